import { extname } from 'node:path';

import { validationFailed, type ErrorDetail } from '../../platform/errors.js';

/** The file formats the data layer reads. JSON Lines means one JSON object per line. */
export type FileFormat = 'csv' | 'parquet' | 'jsonl';

export const fileFormats: readonly FileFormat[] = ['csv', 'parquet', 'jsonl'];

/** The layout of a CSV file. Every option is passed to DuckDB explicitly, never sniffed. */
export interface CsvOptions {
  /** Field separator of one or more characters, for example `,`, `\t` or `, `. Default `,`. */
  readonly delimiter?: string;
  /** Quote character. Default `"`. */
  readonly quote?: string;
  /** Escape character inside quoted fields. Default: the quote character, so `""` is a literal quote. */
  readonly escape?: string;
  /** Whether the first line after `skipRows` is a header of column names. Default true. */
  readonly header?: boolean;
  /** Column names for a file without a header; without them DuckDB names the columns `column0`, `column1`, … */
  readonly columnNames?: readonly string[];
  /** Lines to skip at the top of the file, before the header or the first row. Default 0. */
  readonly skipRows?: number;
  /** Field values that mean "missing", for example `?` in the Adult data set. Default: the empty field. */
  readonly nullStrings?: readonly string[];
  /**
   * DuckDB types for named columns, for example `{ zip: 'VARCHAR' }`. Needed when a value late in
   * the file does not fit the type DuckDB detected from the first 20,480 rows.
   */
  readonly columnTypes?: Readonly<Record<string, string>>;
  /** Reads every column as text (VARCHAR), so that data-quality checks see the values as written. */
  readonly allText?: boolean;
}

/**
 * A data file to measure: where it is, how to read it, and which values to recode on the way in.
 * `recode` maps a column name to a table of replacements. A value is compared by its text form,
 * and a recoded column is read as text (VARCHAR). Adult's test labels, for example, need
 * `{ Y: { '>50K.': '>50K', '<=50K.': '<=50K' } }` to match the training labels.
 */
export interface DataFileSpec {
  readonly path: string;
  /** Inferred from the extension when absent: see `inferFileFormat`. */
  readonly format?: FileFormat;
  readonly csv?: CsvOptions;
  readonly recode?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A file spec with every default filled in, as the rest of the data layer uses it. */
export interface ResolvedFileSpec {
  readonly path: string;
  readonly format: FileFormat;
  readonly csv: Required<Omit<CsvOptions, 'columnNames'>> & { readonly columnNames: readonly string[] | null };
  readonly recode: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const extensionFormats: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.data': 'csv',
  '.test': 'csv',
  '.parquet': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Returns the extension of the data inside the file: `.csv` for both `a.csv` and `a.csv.gz`, which DuckDB decompresses as it reads. */
function dataExtension(path: string): string {
  const extension = extname(path).toLowerCase();
  return extension === '.gz' ? extname(path.slice(0, -extension.length)).toLowerCase() : extension;
}

/**
 * Returns the format that a file's extension implies, or null for an extension not listed above.
 * A gzipped CSV or JSON Lines file counts as its format; a gzipped Parquet file does not, because
 * Parquet compresses inside the file and DuckDB cannot read it gzipped.
 */
export function inferFileFormat(path: string): FileFormat | null {
  const format = extensionFormats[dataExtension(path)] ?? null;
  return format === 'parquet' && extname(path).toLowerCase() === '.gz' ? null : format;
}

/**
 * Fills in the defaults of a file spec and checks it, reporting every problem at once.
 * A `.tsv` or `.tsv.gz` file defaults to a tab delimiter; every other CSV file to a comma.
 */
export function resolveFileSpec(spec: DataFileSpec): ResolvedFileSpec {
  const problems: ErrorDetail[] = [];
  const format = spec.format ?? inferFileFormat(spec.path);

  if (spec.path.trim() === '') problems.push({ path: '/path', message: 'must name a file' });
  if (format === null) {
    problems.push({
      path: '/format',
      message: `cannot infer the format of "${spec.path}" from its extension; set format to one of ${fileFormats.join(', ')} (known extensions: ${Object.keys(extensionFormats).join(' ')}, and .gz after a CSV or JSON Lines extension)`,
    });
  } else if (!fileFormats.includes(format)) {
    problems.push({ path: '/format', message: `unknown format "${String(format)}"; use one of ${fileFormats.join(', ')}` });
  }
  if (spec.csv !== undefined && format !== null && format !== 'csv') {
    problems.push({ path: '/csv', message: `CSV options apply only to CSV files, but "${spec.path}" is read as ${format}; remove them or set format to csv` });
  }

  const csv = resolveCsvOptions(spec, problems);
  const recode = resolveRecoding(spec.recode, problems);

  if (problems.length > 0 || format === null) {
    throw validationFailed(problems, `The data file spec for "${spec.path}" is invalid: ${problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')}`);
  }
  return { path: spec.path, format, csv, recode };
}

function resolveCsvOptions(spec: DataFileSpec, problems: ErrorDetail[]): ResolvedFileSpec['csv'] {
  const options = spec.csv ?? {};
  const isTabSeparated = dataExtension(spec.path) === '.tsv';
  const delimiter = options.delimiter ?? (isTabSeparated ? '\t' : ',');
  const quote = options.quote ?? '"';
  const escape = options.escape ?? quote;
  const header = options.header ?? true;
  const skipRows = options.skipRows ?? 0;

  if (delimiter === '') problems.push({ path: '/csv/delimiter', message: 'must not be empty' });
  if (/[\r\n]/.test(delimiter)) problems.push({ path: '/csv/delimiter', message: 'must not contain a line break' });
  if ([...quote].length > 1) problems.push({ path: '/csv/quote', message: `must be one character or empty, not "${quote}"` });
  if (options.escape !== undefined && [...escape].length > 1) problems.push({ path: '/csv/escape', message: `must be one character or empty, not "${escape}"` });
  if (quote !== '' && delimiter.includes(quote)) problems.push({ path: '/csv/quote', message: `must not occur in the delimiter "${delimiter}"` });
  if (!Number.isInteger(skipRows) || skipRows < 0) problems.push({ path: '/csv/skipRows', message: `must be a whole number of lines, 0 or more, not ${skipRows}` });

  const columnNames = options.columnNames ?? null;
  if (columnNames !== null) {
    if (header) {
      problems.push({ path: '/csv/columnNames', message: 'apply only to a file without a header; set header to false or remove columnNames' });
    }
    const seen = new Set<string>();
    for (const name of columnNames) {
      const key = name.toLowerCase();
      if (name.trim() === '') problems.push({ path: '/csv/columnNames', message: 'must not contain an empty name' });
      else if (seen.has(key)) problems.push({ path: '/csv/columnNames', message: `names "${name}" twice (DuckDB compares column names without regard to case); give each column its own name` });
      seen.add(key);
    }
  }

  return {
    delimiter,
    quote,
    escape,
    header,
    columnNames,
    skipRows,
    nullStrings: options.nullStrings ?? [''],
    columnTypes: options.columnTypes ?? {},
    allText: options.allText ?? false,
  };
}

function resolveRecoding(recode: DataFileSpec['recode'], problems: ErrorDetail[]): ReadonlyMap<string, ReadonlyMap<string, string>> {
  const resolved = new Map<string, ReadonlyMap<string, string>>();
  for (const [column, table] of Object.entries(recode ?? {})) {
    const entries = Object.entries(table);
    if (entries.length === 0) problems.push({ path: `/recode/${column}`, message: 'lists no values to recode; remove it or add "from": "to" pairs' });
    resolved.set(column, new Map(entries));
  }
  return resolved;
}

