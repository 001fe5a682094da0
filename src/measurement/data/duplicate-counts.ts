import { invalidArgument } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { toCount, toTextOrNull } from './values.js';

export interface DuplicateRowCounts {
  readonly rowCount: number;
  /** Rows equal in every column to an earlier row: the row count minus the distinct rows. */
  readonly duplicateRows: number;
  /** Distinct rows that occur more than once. */
  readonly duplicatedGroups: number;
}

export interface DuplicateKeyCounts {
  readonly keyColumns: readonly string[];
  readonly rowCount: number;
  /** Rows whose key has a missing value; they take no part in the duplicate count. */
  readonly missingKey: number;
  /** Rows whose complete key equals that of an earlier row. */
  readonly duplicateRows: number;
  /** Distinct keys that occur more than once. */
  readonly duplicatedKeys: number;
  /** The most repeated key (ties by text order) as text values, or null when no key repeats. */
  readonly example: readonly string[] | null;
  readonly exampleCount: number;
}

/**
 * Counts rows that repeat an earlier row in every column, in one GROUP BY over all columns.
 * Missing values compare equal to each other here, as SQL's GROUP BY and DISTINCT treat them.
 */
export async function duplicateRowCounts(engine: DataEngine, dataSet: DataSet): Promise<DuplicateRowCounts> {
  const parameters = new SqlParameters();
  const columns = dataSet.columns.map((column) => quoteIdentifier(column.name)).join(', ');
  const sql = `
    SELECT coalesce(sum(copies), 0) AS row_count,
           coalesce(sum(copies - 1), 0) AS duplicate_rows,
           count(*) FILTER (WHERE copies > 1) AS duplicated_groups
    FROM (SELECT count(*) AS copies FROM ${dataSet.fromClause(parameters)} GROUP BY ${columns})`;
  const [row] = await engine.rows(`counting duplicate rows of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  return {
    rowCount: toCount(row?.['row_count']),
    duplicateRows: toCount(row?.['duplicate_rows']),
    duplicatedGroups: toCount(row?.['duplicated_groups']),
  };
}

/** Counts rows whose key over `keyColumns` repeats an earlier row's key, in one GROUP BY. */
export async function duplicateKeyCounts(engine: DataEngine, dataSet: DataSet, keyColumns: readonly string[]): Promise<DuplicateKeyCounts> {
  if (keyColumns.length === 0) throw invalidArgument(dataSet.path, 'A duplicate-key check needs at least one key column');
  const columns = dataSet.requireColumns(keyColumns);
  const parameters = new SqlParameters();
  const keys = columns.map((column, index) => `CAST(${quoteIdentifier(column.name)} AS VARCHAR) AS key_${index}`).join(', ');
  const keyNames = columns.map((_, index) => `key_${index}`);
  const anyMissing = keyNames.map((name) => `${name} IS NULL`).join(' OR ');
  const sql = `
    WITH keyed AS (
      SELECT ${keyNames.join(', ')}, ${anyMissing} AS has_missing, count(*) AS copies
      FROM (SELECT ${keys} FROM ${dataSet.fromClause(parameters)})
      GROUP BY ALL
    )
    SELECT coalesce(sum(copies), 0) AS row_count,
           coalesce(sum(copies) FILTER (WHERE has_missing), 0) AS missing_key,
           coalesce(sum(copies - 1) FILTER (WHERE NOT has_missing), 0) AS duplicate_rows,
           count(*) FILTER (WHERE NOT has_missing AND copies > 1) AS duplicated_keys,
           (SELECT [${keyNames.join(', ')}] FROM keyed WHERE NOT has_missing AND copies > 1 ORDER BY copies DESC, ${keyNames.join(', ')} LIMIT 1) AS example,
           coalesce(max(copies) FILTER (WHERE NOT has_missing AND copies > 1), 0) AS example_count
    FROM keyed`;
  const [row] = await engine.rows(`counting duplicate keys of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  const example = row?.['example'];
  return {
    keyColumns: [...keyColumns],
    rowCount: toCount(row?.['row_count']),
    missingKey: toCount(row?.['missing_key']),
    duplicateRows: toCount(row?.['duplicate_rows']),
    duplicatedKeys: toCount(row?.['duplicated_keys']),
    example: Array.isArray(example) ? example.map((value) => toTextOrNull(value) ?? '') : null,
    exampleCount: toCount(row?.['example_count']),
  };
}
