import type { RegressionSums } from '../core/aggregates.js';
import { isNumberLike, numericExpression, type DataColumn } from './column-types.js';
import { leftOutWarning, noDataRows, tooManyDistinctValues, wrongColumnType } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import {
  compareGroupKeys,
  enforceMissingGroupPolicy,
  groupKeyText,
  groupValueColumns,
  groupValueSelect,
  maxResultRows,
  readGroupKey,
  type MissingGroupPolicy,
} from './group-keys.js';
import { SqlParameters } from './sql-text.js';
import { toCount, toNumberOrNull } from './values.js';

export interface RegressionOptions {
  readonly truthColumn: string;
  readonly predictionColumn: string;
  readonly sensitive?: readonly string[];
  /** Default `group`. */
  readonly missingSensitive?: MissingGroupPolicy;
}

export interface GroupRegressionSums {
  readonly key: readonly (string | null)[];
  readonly sums: RegressionSums;
}

export interface RegressionResult {
  readonly overall: RegressionSums;
  readonly attributes: readonly string[];
  readonly groups: readonly GroupRegressionSums[];
  /** Rows left out: a missing truth or prediction, or one that is infinite or NaN. */
  readonly excluded: { readonly missing: number; readonly notFinite: number };
  readonly warnings: readonly string[];
}

/**
 * Sums for regression metrics over the rows where truth and prediction are both finite numbers,
 * overall and per group, in one scan. Sums use DuckDB's `fsum`, which adds with error
 * compensation (Kahan-Babuska), so the order in which threads add rows does not change them.
 */
export async function regressionSums(engine: DataEngine, dataSet: DataSet, options: RegressionOptions): Promise<RegressionResult> {
  const attributes = options.sensitive ?? [];
  const [truthColumn, predictionColumn] = dataSet.requireColumns([options.truthColumn, options.predictionColumn]) as [DataColumn, DataColumn];
  for (const column of [truthColumn, predictionColumn]) {
    if (!isNumberLike(column)) throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric');
  }

  const parameters = new SqlParameters();
  const valueColumns = groupValueColumns(attributes).replace(/, $/, '');
  const grouping = attributes.length > 0 ? `GROUP BY GROUPING SETS ((${valueColumns}), ())` : '';
  const overallFlag = attributes.length > 0 ? `GROUPING(${valueColumns}) > 0` : 'true';
  const complete = 'isfinite(truth) AND isfinite(prediction)';
  const sql = `
    SELECT ${overallFlag} AS is_overall, ${groupKeyText(attributes)}
           count(*) FILTER (WHERE ${complete}) AS row_count,
           count(*) FILTER (WHERE truth IS NULL OR prediction IS NULL) AS missing,
           count(*) FILTER (WHERE truth IS NOT NULL AND prediction IS NOT NULL AND NOT (${complete})) AS not_finite,
           fsum(abs(prediction - truth)) FILTER (WHERE ${complete}) AS sum_absolute_error,
           fsum((prediction - truth) * (prediction - truth)) FILTER (WHERE ${complete}) AS sum_squared_error,
           fsum(abs((prediction - truth) / truth)) FILTER (WHERE ${complete} AND truth <> 0) AS sum_absolute_percentage,
           count(*) FILTER (WHERE ${complete} AND truth = 0) AS zero_truth_count,
           fsum(truth) FILTER (WHERE ${complete}) AS sum_truth,
           fsum(truth * truth) FILTER (WHERE ${complete}) AS sum_squared_truth
    FROM (
      SELECT ${groupValueSelect(dataSet, attributes)} ${numericExpression(truthColumn)} AS truth, ${numericExpression(predictionColumn)} AS prediction
      FROM ${dataSet.fromClause(parameters)}
    )
    ${grouping}
    LIMIT ${maxResultRows + 1}`;
  const rows = await engine.rows(`regression sums of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length > maxResultRows) throw tooManyDistinctValues(dataSet.path, attributes, maxResultRows);

  const overallRow = rows.find((row) => row['is_overall'] === true);
  if (overallRow === undefined || toCount(overallRow['row_count']) === 0) throw noDataRows(dataSet.path);
  const groups = rows
    .filter((row) => row['is_overall'] !== true)
    .map((row) => ({ key: readGroupKey(row, attributes), sums: readSums(row) }))
    .sort((left, right) => compareGroupKeys(left.key, right.key));
  enforceMissingGroupPolicy(dataSet, attributes, groups.map((group) => ({ key: group.key, rows: group.sums.count })), options.missingSensitive ?? 'group');

  const excluded = { missing: toCount(overallRow['missing']), notFinite: toCount(overallRow['not_finite']) };
  const warnings: string[] = [];
  if (excluded.missing > 0) warnings.push(leftOutWarning(dataSet.path, excluded.missing, 'no truth or no prediction'));
  if (excluded.notFinite > 0) warnings.push(leftOutWarning(dataSet.path, excluded.notFinite, 'an infinite or NaN truth or prediction'));
  return { overall: readSums(overallRow), attributes: [...attributes], groups, excluded, warnings };
}

function readSums(row: Record<string, unknown>): RegressionSums {
  return {
    count: toCount(row['row_count']),
    sumAbsoluteError: toNumberOrNull(row['sum_absolute_error']) ?? 0,
    sumSquaredError: toNumberOrNull(row['sum_squared_error']) ?? 0,
    sumAbsolutePercentage: toNumberOrNull(row['sum_absolute_percentage']) ?? 0,
    zeroTruthCount: toCount(row['zero_truth_count']),
    sumTruth: toNumberOrNull(row['sum_truth']) ?? 0,
    sumSquaredTruth: toNumberOrNull(row['sum_squared_truth']) ?? 0,
  };
}
