import { SqlParameters, type DataEngine, type DataSet } from '../data/index.js';
import { toCount } from '../data/values.js';

/** Counts the rows of a data set; for a Parquet file DuckDB reads the count from the file's metadata. */
export async function countRows(engine: DataEngine, dataSet: DataSet): Promise<number> {
  const parameters = new SqlParameters();
  const [row] = await engine.rows(`counting rows of ${dataSet.path}`, `SELECT count(*) AS row_count FROM ${dataSet.fromClause(parameters)}`, parameters, [dataSet.errorContext]);
  return toCount(row?.['row_count']);
}
