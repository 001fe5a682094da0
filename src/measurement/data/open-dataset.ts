import { stat } from 'node:fs/promises';

import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { readFirstCsvRecord } from './csv-header.js';
import { emptyFile, fileNotFound, headerTooLong, missingColumns, notAFile } from './data-errors.js';
import { columnsAfterRecoding, DataSet, scanFunction } from './dataset.js';
import { findMalformedCsvRecord, findMalformedJsonLine, isCsvSniffingError, translateDuckDbError, type ErrorContext } from './duckdb-errors.js';
import type { DataEngine } from './engine.js';
import { resolveFileSpec, type DataFileSpec, type ResolvedFileSpec } from './file-spec.js';

/**
 * Opens a data file: checks the spec, the file and the named columns, and learns the columns'
 * types from DuckDB. Nothing is scanned beyond the rows DuckDB samples to detect types (the
 * first 20,480). A CSV header that repeats a name yields a warning that states under which name
 * DuckDB offers each copy.
 */
export async function openDataSet(engine: DataEngine, spec: DataFileSpec): Promise<DataSet> {
  const resolved = resolveFileSpec(spec);
  await ensureNonEmptyFile(resolved.path);
  const headerFields = resolved.format === 'csv' ? await readHeaderFields(resolved) : null;
  const context = errorContextOf(resolved, engine.memoryLimit);

  const declared = [...Object.keys(resolved.csv.columnTypes), ...resolved.recode.keys()];
  if (declared.length > 0) {
    const untyped: ResolvedFileSpec = { ...resolved, csv: { ...resolved.csv, columnTypes: {} } };
    const names = (await describeScan(engine, untyped, context, headerFields)).map((column) => column.name);
    const missing = declared.filter((name) => !names.includes(name));
    if (missing.length > 0) throw missingColumns(resolved.path, [...new Set(missing)], names);
  }

  const described = await describeScan(engine, resolved, context, headerFields);
  const warnings = resolved.format === 'csv' && resolved.csv.header && headerFields !== null ? headerWarnings(resolved.path, headerFields, described.map((column) => column.name), resolved.csv.delimiter) : [];
  return new DataSet(resolved.path, resolved.format, columnsAfterRecoding(described, resolved), warnings, { kind: 'file', spec: resolved }, context);
}

/**
 * Loads the named columns (all when none are named) into a temporary table, so that several
 * aggregates read the file once. A 1,000,000-row, 20-column CSV file takes about 250 MB.
 */
export async function materializeDataSet(engine: DataEngine, dataSet: DataSet, columnNames?: readonly string[]): Promise<DataSet> {
  const columns = columnNames === undefined ? [...dataSet.columns] : dataSet.requireColumns([...new Set(columnNames)]);
  const table = engine.nextTableName();
  const parameters = new SqlParameters();
  const selected = columns.map((column) => quoteIdentifier(column.name)).join(', ');
  // Loading without keeping the file's row order halved the load time of a 1,000,000-row,
  // 20-column CSV file. Aggregates do not depend on row order; row numbers in error messages
  // come from the file, never from the table.
  await engine.run(`loading ${dataSet.path}`, 'SET preserve_insertion_order = false', new SqlParameters(), [dataSet.errorContext]);
  try {
    await engine.run(
      `loading ${dataSet.path}`,
      `CREATE TEMPORARY TABLE ${quoteIdentifier(table)} AS SELECT ${selected} FROM ${dataSet.fromClause(parameters)}`,
      parameters,
      [dataSet.errorContext],
    );
  } finally {
    await engine.run(`loading ${dataSet.path}`, 'SET preserve_insertion_order = true', new SqlParameters(), [dataSet.errorContext]);
  }
  return dataSet.withTable(table, columns);
}

/** Drops the temporary table behind a materialized data set; does nothing for a file. */
export async function releaseDataSet(engine: DataEngine, dataSet: DataSet): Promise<void> {
  const table = dataSet.tableName;
  if (table === null) return;
  await engine.run(`releasing ${dataSet.path}`, `DROP TABLE IF EXISTS ${quoteIdentifier(table)}`, new SqlParameters(), [dataSet.errorContext]);
}

async function ensureNonEmptyFile(path: string): Promise<void> {
  let size: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw notAFile(path);
    size = stats.size;
  } catch (error) {
    if (isMissingFileError(error)) throw fileNotFound(path);
    throw error;
  }
  if (size === 0) throw emptyFile(path);
}

function isMissingFileError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

async function readHeaderFields(spec: ResolvedFileSpec): Promise<readonly string[]> {
  const first = await readFirstCsvRecord(spec.path, spec.csv);
  if (first.kind === 'empty') throw emptyFile(spec.path);
  if (first.kind === 'too-long') throw headerTooLong(spec.path);
  return first.fields;
}

async function describeScan(
  engine: DataEngine,
  spec: ResolvedFileSpec,
  context: ErrorContext,
  headerFields: readonly string[] | null,
): Promise<{ name: string; duckdbType: string }[]> {
  const parameters = new SqlParameters();
  try {
    const result = await engine.runUntranslated(`reading ${spec.path}`, `DESCRIBE SELECT * FROM ${scanFunction(spec, parameters)}`, parameters);
    const rows = await result.getRowObjectsJS();
    return rows.map((row) => ({ name: String(row['column_name']), duckdbType: String(row['column_type']) }));
  } catch (error) {
    if (spec.format === 'csv' && headerFields !== null && isCsvSniffingError(error)) {
      await findMalformedLine(engine, spec, context, headerFields.length);
    }
    throw translateDuckDbError(error, context, await findMalformedJsonLine(error, context), await findMalformedCsvRecord(error, context));
  }
}

/**
 * Raises the error for the first line that breaks the CSV layout, or returns when no line does.
 * DuckDB's type detection reports a broken layout without a line number, so this reads the file
 * again with the layout fixed: every column as text, as many columns as the first record has.
 */
async function findMalformedLine(engine: DataEngine, spec: ResolvedFileSpec, context: ErrorContext, fieldCount: number): Promise<void> {
  const parameters = new SqlParameters();
  const columns = Array.from({ length: fieldCount }, (_, index) => `'c${index}': 'VARCHAR'`).join(', ');
  const csv = spec.csv;
  const skip = csv.skipRows + (csv.header ? 1 : 0);
  const sql = `SELECT count(*) FROM read_csv(${parameters.bind(spec.path)}, auto_detect = false, header = false, skip = ${skip}, columns = {${columns}}, delim = ${parameters.bind(csv.delimiter)}, quote = ${parameters.bind(csv.quote)}, escape = ${parameters.bind(csv.escape)}, strict_mode = true)`;
  await engine.run(`checking ${spec.path}`, sql, parameters, [context]);
}

/**
 * Warnings for header names that DuckDB changed: a name repeated (DuckDB compares names without
 * regard to case, and names the second copy `name_1`), or an empty name. When most names after the
 * first begin with a space, one warning names the likely delimiter instead of one per column,
 * because the values then begin with a space too and will not match another file's.
 */
function headerWarnings(path: string, headerFields: readonly string[], duckdbNames: readonly string[], delimiter: string): string[] {
  if (headerFields.length !== duckdbNames.length) return [];
  const warnings: string[] = [];
  const spaced = headerFields.slice(1).filter((field) => /^ \S/.test(field));
  const spaceAfterDelimiter = headerFields.length > 2 && spaced.length > (headerFields.length - 1) / 2 && !delimiter.endsWith(' ');
  if (spaceAfterDelimiter) {
    const examples = spaced.slice(0, 2).map((field) => `"${field}"`).join(', ');
    warnings.push(
      `${spaced.length} of the ${headerFields.length} column names in the header of "${path}" begin with a space (${examples} …), so its fields are probably separated by ${JSON.stringify(`${delimiter} `)}, not ${JSON.stringify(delimiter)}, and its values begin with a space as well. DuckDB reads the names without the space; read the file with the delimiter ${JSON.stringify(`${delimiter} `)} (--delimiter, or --current-delimiter for the current file of a drift report, or csv.delimiter in a policy) so that the values match too`,
    );
  }
  const positionsByName = new Map<string, number[]>();
  headerFields.forEach((field, index) => {
    const key = field.toLowerCase();
    positionsByName.set(key, [...(positionsByName.get(key) ?? []), index]);
  });

  for (const positions of positionsByName.values()) {
    const first = positions[0] as number;
    const field = headerFields[first] as string;
    if (positions.length > 1) {
      const copies = joinWithAnd(positions.map((position) => `"${duckdbNames[position]}"`));
      warnings.push(
        `Column "${field}" appears ${positions.length} times in the header of "${path}" (columns ${joinWithAnd(positions.map((position) => String(position + 1)))}); DuckDB names the copies ${copies}, so refer to a copy by that name`,
      );
    } else if (duckdbNames[first] !== field && !(spaceAfterDelimiter && duckdbNames[first] === field.trim())) {
      warnings.push(`Column ${first + 1} of the header of "${path}" is named "${field}"; DuckDB reads it as "${duckdbNames[first]}", so refer to it by that name`);
    }
  }
  return warnings;
}

function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function errorContextOf(spec: ResolvedFileSpec, memoryLimit: string): ErrorContext {
  const csv = spec.csv;
  return { path: spec.path, format: spec.format, delimiter: csv.delimiter, quote: csv.quote, escape: csv.escape, skipRows: csv.skipRows, header: csv.header, memoryLimit };
}
