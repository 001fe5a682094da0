import type { MulticlassConfusion } from '../core/aggregates.js';
import { leftOutWarning, noDataRows, tooManyDistinctValues } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import {
  compareGroupKeys,
  enforceMissingGroupPolicy,
  groupKeyText,
  groupValueColumns,
  groupValueSelect,
  groupMapKey,
  maxResultRows,
  readGroupKey,
  type MissingGroupPolicy,
} from './group-keys.js';
import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { toCount, toTextOrNull } from './values.js';

export interface MulticlassOptions {
  readonly labelColumn: string;
  readonly predictionColumn: string;
  readonly sensitive?: readonly string[];
  /** Default `group`. */
  readonly missingSensitive?: MissingGroupPolicy;
}

export interface GroupMulticlassConfusion {
  readonly key: readonly (string | null)[];
  readonly confusion: MulticlassConfusion;
}

export interface MulticlassResult {
  /** Classes are the union of label and prediction values, as text, every matrix indexed alike. */
  readonly overall: MulticlassConfusion;
  readonly attributes: readonly string[];
  readonly groups: readonly GroupMulticlassConfusion[];
  readonly excluded: { readonly missingLabel: number; readonly missingPrediction: number };
  readonly warnings: readonly string[];
}

/**
 * Counts (actual class, predicted class) pairs, overall and per group, in one scan. Classes are
 * compared by their text form and ordered numerically when every class is a number, else by
 * code point. Rows with a missing label or prediction are left out, with a warning.
 */
export async function multiclassConfusionCounts(engine: DataEngine, dataSet: DataSet, options: MulticlassOptions): Promise<MulticlassResult> {
  const attributes = options.sensitive ?? [];
  const label = dataSet.column(options.labelColumn);
  const prediction = dataSet.column(options.predictionColumn);
  const parameters = new SqlParameters();
  const sql = `
    SELECT ${groupKeyText(attributes)} CAST(label_value AS VARCHAR) AS actual, CAST(prediction_value AS VARCHAR) AS predicted,
           sum(row_count) AS row_count
    FROM (
      SELECT ${groupValueColumns(attributes)} label_value, prediction_value, count(*) AS row_count
      FROM (
        SELECT ${groupValueSelect(dataSet, attributes)} ${quoteIdentifier(label.name)} AS label_value, ${quoteIdentifier(prediction.name)} AS prediction_value
        FROM ${dataSet.fromClause(parameters)}
      )
      GROUP BY ALL
      LIMIT ${maxResultRows + 1}
    )
    GROUP BY ALL`;
  const rows = await engine.rows(`multiclass counts of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length > maxResultRows) throw tooManyDistinctValues(dataSet.path, [...attributes, label.name, prediction.name], maxResultRows);

  const counted = rows.map((row) => ({
    key: readGroupKey(row, attributes),
    actual: toTextOrNull(row['actual']),
    predicted: toTextOrNull(row['predicted']),
    rows: toCount(row['row_count']),
  }));
  enforceMissingGroupPolicy(dataSet, attributes, counted, options.missingSensitive ?? 'group');

  const missingLabel = counted.filter((row) => row.actual === null).reduce((sum, row) => sum + row.rows, 0);
  const missingPrediction = counted.filter((row) => row.actual !== null && row.predicted === null).reduce((sum, row) => sum + row.rows, 0);
  const complete = counted.filter((row): row is typeof row & { actual: string; predicted: string } => row.actual !== null && row.predicted !== null);
  if (complete.length === 0) throw noDataRows(dataSet.path);

  const labels = orderClasses([...new Set(complete.flatMap((row) => [row.actual, row.predicted]))]);
  const index = new Map(labels.map((value, position) => [value, position]));
  const emptyMatrix = (): number[][] => labels.map(() => labels.map(() => 0));
  const overall = emptyMatrix();
  const byGroup = new Map<string, { key: (string | null)[]; matrix: number[][] }>();
  for (const row of complete) {
    const actualIndex = index.get(row.actual) as number;
    const predictedIndex = index.get(row.predicted) as number;
    addCount(overall, actualIndex, predictedIndex, row.rows);
    if (attributes.length === 0) continue;
    const mapKey = groupMapKey(row.key);
    const group = byGroup.get(mapKey) ?? { key: row.key, matrix: emptyMatrix() };
    byGroup.set(mapKey, group);
    addCount(group.matrix, actualIndex, predictedIndex, row.rows);
  }

  const warnings: string[] = [];
  if (missingLabel > 0) warnings.push(leftOutWarning(dataSet.path, missingLabel, 'no label'));
  if (missingPrediction > 0) warnings.push(leftOutWarning(dataSet.path, missingPrediction, 'no prediction'));
  const groups = [...byGroup.values()]
    .sort((left, right) => compareGroupKeys(left.key, right.key))
    .map((group) => ({ key: group.key, confusion: { labels, matrix: group.matrix } }));
  return { overall: { labels, matrix: overall }, attributes: [...attributes], groups, excluded: { missingLabel, missingPrediction }, warnings };
}

function addCount(matrix: number[][], actualIndex: number, predictedIndex: number, rows: number): void {
  const matrixRow = matrix[actualIndex] as number[];
  matrixRow[predictedIndex] = (matrixRow[predictedIndex] ?? 0) + rows;
}

/** Orders class names numerically when all are numbers, else by code point. */
export function orderClasses(classes: readonly string[]): string[] {
  const allNumbers = classes.every((value) => value.trim() !== '' && Number.isFinite(Number(value)));
  return allNumbers ? [...classes].sort((left, right) => Number(left) - Number(right)) : [...classes].sort();
}
