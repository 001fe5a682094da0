import { classifyDuckDbType, type DataColumn } from './column-types.js';
import { missingColumns } from './data-errors.js';
import type { ErrorContext } from './duckdb-errors.js';
import type { FileFormat, ResolvedFileSpec } from './file-spec.js';
import { quoteIdentifier, type SqlParameters } from './sql-text.js';

/** The source of a data set's rows: a file scanned where it lies, or a temporary table. */
type DataSource =
  | { readonly kind: 'file'; readonly spec: ResolvedFileSpec }
  | { readonly kind: 'table'; readonly table: string; readonly file: DataSet };

/**
 * An opened data file: its columns as DuckDB reads them, warnings about how it was read, and the
 * SQL that scans it. Every aggregate function takes a DataSet. Open one with `openDataSet`.
 */
export class DataSet {
  constructor(
    /** The file path as the caller gave it, for messages. */
    readonly path: string,
    readonly format: FileFormat,
    readonly columns: readonly DataColumn[],
    /** Facts about the reading a user should see, such as repeated column names. */
    readonly warnings: readonly string[],
    private readonly source: DataSource,
    private readonly errorContextValue: ErrorContext,
  ) {}

  /** Whether the rows are held in a temporary table instead of being read from the file. */
  get isMaterialized(): boolean {
    return this.source.kind === 'table';
  }

  get tableName(): string | null {
    return this.source.kind === 'table' ? this.source.table : null;
  }

  get errorContext(): ErrorContext {
    return this.errorContextValue;
  }

  /** Returns the SQL table expression that yields the rows, binding file paths and options as parameters. */
  fromClause(parameters: SqlParameters): string {
    if (this.source.kind === 'table') return quoteIdentifier(this.source.table);
    return recodedScan(this.source.spec, parameters);
  }

  /** Returns the column with this exact name, or raises an error that lists the file's columns. */
  column(name: string): DataColumn {
    const found = this.columns.find((column) => column.name === name);
    if (found === undefined) throw missingColumns(this.path, [name], this.columnNames());
    return found;
  }

  /** Returns the named columns, raising one error that lists every missing one. */
  requireColumns(names: readonly string[]): DataColumn[] {
    const missing = names.filter((name) => !this.columns.some((column) => column.name === name));
    if (missing.length > 0) throw missingColumns(this.path, missing, this.columnNames());
    return names.map((name) => this.column(name));
  }

  columnNames(): string[] {
    return this.columns.map((column) => column.name);
  }

  /** Returns a data set with the same file and columns whose rows are in the temporary table `table`. */
  withTable(table: string, columns: readonly DataColumn[]): DataSet {
    return new DataSet(this.path, this.format, columns, this.warnings, { kind: 'table', table, file: this.fileDataSet() }, this.errorContextValue);
  }

  /**
   * Returns the data set that reads the file itself. A temporary table does not keep the file's row
   * order, so row numbers for messages are always counted in the file.
   */
  fileDataSet(): DataSet {
    return this.source.kind === 'table' ? this.source.file : this;
  }
}

/** The DuckDB table function call that scans a file with every option stated. */
export function scanFunction(spec: ResolvedFileSpec, parameters: SqlParameters): string {
  const path = parameters.bind(spec.path);
  if (spec.format === 'parquet') return `read_parquet(${path})`;
  if (spec.format === 'jsonl') return `read_json(${path}, format = 'newline_delimited')`;

  const csv = spec.csv;
  const options = [
    `delim = ${parameters.bind(csv.delimiter)}`,
    `quote = ${parameters.bind(csv.quote)}`,
    `escape = ${parameters.bind(csv.escape)}`,
    `header = ${csv.header ? 'true' : 'false'}`,
    `skip = ${csv.skipRows}`,
    `nullstr = [${parameters.bindList(csv.nullStrings)}]`,
    // A row with too many or too few fields is an error, never silently padded or cut.
    'strict_mode = true',
  ];
  if (csv.columnNames !== null) options.push(`names = [${parameters.bindList(csv.columnNames)}]`);
  const typeEntries = Object.entries(csv.columnTypes);
  if (typeEntries.length > 0) {
    options.push(`types = {${typeEntries.map(([name, type]) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`).join(', ')}}`);
  }
  if (csv.allText) options.push('all_varchar = true');
  return `read_csv(${path}, ${options.join(', ')})`;
}

/**
 * Builds the file scan with recoded columns replaced by their recoded text. Values are compared by
 * their text form, so a recoded column always becomes VARCHAR.
 */
function recodedScan(spec: ResolvedFileSpec, parameters: SqlParameters): string {
  const scan = scanFunction(spec, parameters);
  if (spec.recode.size === 0) return scan;

  const replacements = [...spec.recode.entries()].map(([name, table]) => {
    const text = `CAST(${quoteIdentifier(name)} AS VARCHAR)`;
    const cases = [...table.entries()].map(([from, to]) => `WHEN ${parameters.bind(from)} THEN ${parameters.bind(to)}`).join(' ');
    return `CASE ${text} ${cases} ELSE ${text} END AS ${quoteIdentifier(name)}`;
  });
  return `(SELECT * REPLACE (${replacements.join(', ')}) FROM ${scan})`;
}

/** Column descriptions after recoding: a recoded column is text. */
export function columnsAfterRecoding(described: readonly { name: string; duckdbType: string }[], spec: ResolvedFileSpec): DataColumn[] {
  return described.map(({ name, duckdbType }) => {
    const type = spec.recode.has(name) ? 'VARCHAR' : duckdbType;
    return { name, duckdbType: type, columnType: classifyDuckDbType(type) };
  });
}

/** Quotes text as a DuckDB string literal, for the places where DuckDB accepts no parameter (the `types` option). */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
