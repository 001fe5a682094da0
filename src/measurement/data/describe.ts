import { driftUnit, type ColumnType } from './column-types.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import type { FileFormat } from './file-spec.js';
import { SqlParameters } from './sql-text.js';
import { toCount } from './values.js';

export interface ColumnDescription {
  readonly name: string;
  readonly duckdbType: string;
  readonly columnType: ColumnType;
  /** For dates and timestamps, the unit in which drift tests read the column; null otherwise. */
  readonly driftUnit: string | null;
}

export interface DataSetDescription {
  readonly path: string;
  readonly format: FileFormat;
  readonly rowCount: number;
  readonly columns: readonly ColumnDescription[];
  readonly warnings: readonly string[];
}

/** Describes a data set: its columns with DuckDB's type and the engine's, and its row count (one scan). */
export async function describeDataSet(engine: DataEngine, dataSet: DataSet): Promise<DataSetDescription> {
  const parameters = new SqlParameters();
  const [row] = await engine.rows(`counting rows of ${dataSet.path}`, `SELECT count(*) AS row_count FROM ${dataSet.fromClause(parameters)}`, parameters, [dataSet.errorContext]);
  return {
    path: dataSet.path,
    format: dataSet.format,
    rowCount: toCount(row?.['row_count']),
    columns: dataSet.columns.map((column) => ({ ...column, driftUnit: driftUnit(column.columnType) })),
    warnings: dataSet.warnings,
  };
}
