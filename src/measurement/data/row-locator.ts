import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import type { SqlParameters } from './sql-text.js';
import { toCount, toTextOrNull } from './values.js';

/** A data row, counted from 1 after the header, and a value in it as text. */
export interface LocatedRow {
  readonly row: number;
  readonly value: string;
}

/**
 * Finds the first data row where `condition` is true, for error messages. Rows are numbered in
 * file order: this scans the file even for a materialized data set, DuckDB keeps a scan's
 * insertion order while `preserve_insertion_order` is on (its default), and `row_number() OVER ()`
 * numbers rows as they stream. This is another scan, so it runs only after a count has shown that
 * such a row exists.
 */
export async function findFirstRow(
  engine: DataEngine,
  dataSet: DataSet,
  condition: string,
  valueExpression: string,
  parameters: SqlParameters,
): Promise<LocatedRow | null> {
  const file = dataSet.fileDataSet();
  const sql = `
    SELECT row_number, value FROM (
      SELECT row_number() OVER () AS row_number, CAST(${valueExpression} AS VARCHAR) AS value, ${condition} AS offending
      FROM ${file.fromClause(parameters)}
    )
    WHERE offending
    LIMIT 1`;
  const [row] = await engine.rows(`locating a row of ${file.path}`, sql, parameters, [file.errorContext]);
  if (row === undefined) return null;
  return { row: toCount(row['row_number']), value: toTextOrNull(row['value']) ?? 'NULL' };
}
