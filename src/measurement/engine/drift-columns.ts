import { invalidArgument, missingColumns } from '../data/data-errors.js';
import { materializeDataSet, quoteIdentifier, releaseDataSet, SqlParameters, type DataColumn, type DataEngine, type DataSet } from '../data/index.js';

/**
 * Matching of the columns a drift measurement compares in a reference and a current file, and
 * loading them into the tables it reads. Columns are matched by name, or through a column mapping for columns that
 * the two files name differently (Adult's label is `income-per-year` in the training split and
 * `Y` in the test split). Every comparison uses the reference name on both sides.
 */

/** How a column is tested for drift: numbers, dates and timestamps as numerical, text and booleans as categorical. */
export type DriftColumnType = 'numerical' | 'categorical';

/** The columns of a file and what a drift report names it by: a data set, or the file a reference profile describes. */
export type ColumnList = Pick<DataSet, 'path' | 'warnings' | 'columns' | 'column' | 'requireColumns' | 'columnNames'>;

/** One column present in both files. */
export interface ColumnPair {
  /** The reference name, under which the column is compared and reported. */
  readonly column: string;
  /** The name in the current file; differs from `column` only through the column mapping. */
  readonly currentColumn: string;
  readonly reference: DataColumn;
  readonly current: DataColumn;
}

export interface MatchedColumns {
  readonly pairs: readonly ColumnPair[];
  /** Reference columns that have no counterpart in the current file. */
  readonly onlyInReference: readonly string[];
  /** Current columns that have no counterpart in the reference file. */
  readonly onlyInCurrent: readonly string[];
}

/**
 * Matches the columns to compare. Without `columns`, every reference column whose name (or
 * mapped name) the current file has is compared, and the rest of both files is listed as
 * present on one side only. Named columns must exist in both files. Raises a VALIDATION_FAILED
 * error for a named or mapped column that a file lacks, and for a mapping that uses one current
 * column twice.
 */
export function matchColumns(reference: ColumnList, current: ColumnList, columns: readonly string[] | undefined, mapping: Readonly<Record<string, string>>): MatchedColumns {
  checkMapping(reference, current, mapping);
  const currentNames = new Set(current.columnNames());
  const mappedTargets = new Set(Object.values(mapping));
  // A current column that the mapping assigns to one reference column is no counterpart of a
  // reference column that happens to share its name.
  const counterpartOf = (name: string): string | null => {
    if (Object.hasOwn(mapping, name)) return mapping[name] as string;
    return currentNames.has(name) && !mappedTargets.has(name) ? name : null;
  };

  const matched = reference.columnNames().filter((name) => counterpartOf(name) !== null);
  let compared: string[];
  if (columns === undefined) {
    compared = matched;
  } else {
    const duplicate = columns.find((name, index) => columns.indexOf(name) !== index);
    if (duplicate !== undefined) throw invalidArgument(reference.path, `Column "${duplicate}" is named twice in the drift columns; name each column once`);
    reference.requireColumns(columns);
    const absent = columns.filter((name) => counterpartOf(name) === null);
    if (absent.length > 0) throw missingColumns(current.path, absent, current.columnNames());
    compared = [...columns];
  }

  const pairs = compared.map((name) => {
    const currentColumn = counterpartOf(name) as string;
    return { column: name, currentColumn, reference: reference.column(name), current: current.column(currentColumn) };
  });
  const matchedCurrent = new Set(matched.map((name) => counterpartOf(name) as string));
  return {
    pairs,
    onlyInReference: reference.columnNames().filter((name) => counterpartOf(name) === null),
    onlyInCurrent: current.columnNames().filter((name) => !matchedCurrent.has(name)),
  };
}

function checkMapping(reference: ColumnList, current: ColumnList, mapping: Readonly<Record<string, string>>): void {
  const entries = Object.entries(mapping);
  const unknownReference = entries.map(([from]) => from).filter((name) => !reference.columnNames().includes(name));
  if (unknownReference.length > 0) throw missingColumns(reference.path, unknownReference, reference.columnNames());
  const unknownCurrent = entries.map(([, to]) => to).filter((name) => !current.columnNames().includes(name));
  if (unknownCurrent.length > 0) throw missingColumns(current.path, unknownCurrent, current.columnNames());

  const seen = new Map<string, string>();
  for (const [from, to] of entries) {
    const earlier = seen.get(to);
    if (earlier !== undefined) {
      throw invalidArgument(current.path, `The column mapping maps both "${earlier}" and "${from}" to the current column "${to}"; map each current column to one reference column`);
    }
    seen.set(to, from);
  }
}

/** Returns how a column of the data layer's type is tested, or null for a type no drift test reads. */
export function driftColumnType(column: DataColumn): DriftColumnType | null {
  switch (column.columnType) {
    case 'numerical':
    case 'date':
    case 'timestamp':
      return 'numerical';
    case 'categorical':
    case 'boolean':
      return 'categorical';
    case 'unsupported':
      return null;
  }
}

/**
 * Returns why a pair of columns cannot be compared, or null when it can: a type no drift test
 * reads, numbers on one side and text on the other, or dates against timestamps (days against
 * seconds).
 */
export function incomparableReason(pair: ColumnPair): string | null {
  const referenceType = driftColumnType(pair.reference);
  const currentType = driftColumnType(pair.current);
  const describe = (column: DataColumn, file: string) => `${column.duckdbType} in the ${file} file`;
  if (referenceType === null || currentType === null) {
    const unsupported = referenceType === null ? describe(pair.reference, 'reference') : describe(pair.current, 'current');
    return `the column holds ${unsupported}, a type no drift test reads (lists, structs, blobs, intervals and times of day are not tested)`;
  }
  const isTemporal = (column: DataColumn) => column.columnType === 'date' || column.columnType === 'timestamp';
  const temporalMismatch = (isTemporal(pair.reference) || isTemporal(pair.current)) && pair.reference.columnType !== pair.current.columnType;
  if (referenceType !== currentType || temporalMismatch) {
    return `the column is ${describe(pair.reference, 'reference')} but ${describe(pair.current, 'current')}; read both files with the same type, for example through csv.columnTypes`;
  }
  return null;
}

/** A data set ready for repeated aggregates, and whether the measurement created its table and must drop it. */
export interface LoadedDataSet {
  readonly dataSet: DataSet;
  readonly owned: boolean;
}

/**
 * Loads the compared columns of a file into a temporary table, so that the per-column queries
 * read memory instead of parsing the file again, renaming mapped columns to their reference
 * names. A data set that is already a table is used as it is when no column needs renaming, and
 * so is a Parquet file: Parquet stores each column apart, so reading one column again costs
 * little. On the 1,000,000-row, 20-column benchmark files, loading both Parquet files took
 * 0.5 s and made the later queries no faster.
 */
export async function loadColumns(engine: DataEngine, dataSet: DataSet, columns: readonly { readonly source: string; readonly name: string }[]): Promise<LoadedDataSet> {
  const renames = columns.some((column) => column.source !== column.name);
  if (!renames && (dataSet.isMaterialized || dataSet.format === 'parquet')) return { dataSet, owned: false };
  if (!renames) return { dataSet: await materializeDataSet(engine, dataSet, columns.map((column) => column.source)), owned: true };

  const table = engine.nextTableName();
  const parameters = new SqlParameters();
  const selected = columns.map((column) => `${quoteIdentifier(column.source)} AS ${quoteIdentifier(column.name)}`).join(', ');
  const task = `loading ${dataSet.path}`;
  // As in materializeDataSet: not keeping the row order halves the load time, and no aggregate depends on it.
  await engine.run(task, 'SET preserve_insertion_order = false', new SqlParameters(), [dataSet.errorContext]);
  try {
    await engine.run(task, `CREATE TEMPORARY TABLE ${quoteIdentifier(table)} AS SELECT ${selected} FROM ${dataSet.fromClause(parameters)}`, parameters, [dataSet.errorContext]);
  } finally {
    await engine.run(task, 'SET preserve_insertion_order = true', new SqlParameters(), [dataSet.errorContext]);
  }
  const renamed = columns.map((column) => ({ ...dataSet.column(column.source), name: column.name }));
  return { dataSet: dataSet.withTable(table, renamed), owned: true };
}

/** Drops the temporary table of a loaded data set that the measurement created. */
export async function unloadColumns(engine: DataEngine, loaded: LoadedDataSet): Promise<void> {
  if (loaded.owned) await releaseDataSet(engine, loaded.dataSet);
}
