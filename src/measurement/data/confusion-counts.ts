import type { ConfusionCounts, GroupConfusion, GroupedConfusion } from '../core/aggregates.js';
import { isNumberLike, numericExpression } from './column-types.js';
import { invalidArgument, leftOutWarning, noDataRows, positiveValueNotFound, tooManyDistinctValues, wrongColumnType } from './data-errors.js';
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
import { checkBinaryLabelValues, checkEveryPositiveOccurs, distinctSorted, labelSql, type BinaryLabelSpec, type BinaryLabelValues } from './label-check.js';
import { membershipExpression, type ColumnValue } from './value-matching.js';
import { toCount, toTextOrNull } from './values.js';

/**
 * The predicted outcome: a column whose value is one of `positive`, or a score column that
 * predicts positive when `score >= threshold`. A NaN score counts as a missing prediction.
 */
export type BinaryPredictionSpec =
  /** `allowAbsentPositive` as in BinaryLabelSpec: whether a positive value may be absent while another occurs. */
  | { readonly column: string; readonly positive: readonly ColumnValue[]; readonly allowAbsentPositive?: boolean }
  | { readonly scoreColumn: string; readonly threshold: number };

export interface GroupedConfusionOptions {
  readonly label: BinaryLabelSpec;
  readonly prediction: BinaryPredictionSpec;
  /** Sensitive attributes; groups are their intersection. None gives one group with an empty key. */
  readonly sensitive: readonly string[];
  /** Default `group`. */
  readonly missingSensitive?: MissingGroupPolicy;
}

export interface GroupedConfusionResult {
  readonly grouped: GroupedConfusion;
  readonly overall: ConfusionCounts;
  /** The label values found, as text, split by class. */
  readonly labelValues: BinaryLabelValues;
  /** Rows left out because the label or the prediction is missing (a row missing both counts once, as missing label). */
  readonly excluded: { readonly missingLabel: number; readonly missingPrediction: number };
  readonly warnings: readonly string[];
}

interface CountedRow {
  readonly key: (string | null)[];
  readonly labelText: string | null;
  readonly actual: boolean | null;
  readonly predictionText: string | null;
  readonly predicted: boolean | null;
  readonly rows: number;
}

/**
 * Counts true and false positives and negatives per group in one scan of the file (one GROUP BY
 * over group, label value and prediction), then checks that the label is binary. Rows whose
 * label or prediction is missing are left out and counted in `excluded`, with a warning.
 */
export async function groupedConfusionCounts(engine: DataEngine, dataSet: DataSet, options: GroupedConfusionOptions): Promise<GroupedConfusionResult> {
  const parameters = new SqlParameters();
  const attributes = options.sensitive;
  const labelColumn = dataSet.column(options.label.column);
  const label = labelSql(dataSet, options.label, parameters, 'label_value');
  const prediction = predictionExpressions(dataSet, options.prediction, parameters);
  const valueColumns = groupValueColumns(attributes);
  const sql = `
    SELECT ${groupKeyText(attributes)} ${label.text} AS label_text, ${label.actual} AS actual,
           ${prediction.text} AS prediction_text, ${prediction.predicted} AS predicted, sum(row_count) AS row_count
    FROM (
      SELECT ${valueColumns} label_value, prediction_value, count(*) AS row_count
      FROM (
        SELECT ${groupValueSelect(dataSet, attributes)} ${quoteIdentifier(labelColumn.name)} AS label_value, ${prediction.value} AS prediction_value
        FROM ${dataSet.fromClause(parameters)}
      )
      GROUP BY ALL
      LIMIT ${maxResultRows + 1}
    )
    GROUP BY ALL`;
  const rows = await engine.rows(`confusion counts of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length > maxResultRows) throw tooManyDistinctValues(dataSet.path, [...attributes, labelColumn.name], maxResultRows);

  const counted: CountedRow[] = rows.map((row) => ({
    key: readGroupKey(row, attributes),
    labelText: toTextOrNull(row['label_text']),
    actual: row['actual'] as boolean | null,
    predictionText: toTextOrNull(row['prediction_text']),
    predicted: row['predicted'] as boolean | null,
    rows: toCount(row['row_count']),
  }));
  if (counted.length === 0) throw noDataRows(dataSet.path);

  const warnings: string[] = [];
  const labelValues = checkBinaryLabelValues(dataSet, options.label, counted, warnings);
  checkPredictionValues(dataSet, options.prediction, counted, warnings);
  enforceMissingGroupPolicy(dataSet, attributes, counted, options.missingSensitive ?? 'group');
  return summarize(attributes, counted, labelValues, warnings, dataSet);
}

/**
 * SQL for the prediction: `value` is read from each row and grouped; `text` and `predicted` are
 * computed from it in the grouped result.
 */
function predictionExpressions(dataSet: DataSet, prediction: BinaryPredictionSpec, parameters: SqlParameters): { value: string; text: string; predicted: string } {
  if ('column' in prediction) {
    const column = dataSet.column(prediction.column);
    if (prediction.positive.length === 0) throw invalidArgument(dataSet.path, `The prediction "${column.name}" needs at least one positive value`);
    return {
      value: quoteIdentifier(column.name),
      text: 'CAST(prediction_value AS VARCHAR)',
      predicted: membershipExpression(dataSet, column, prediction.positive, parameters, 'prediction_value'),
    };
  }

  const column = dataSet.column(prediction.scoreColumn);
  if (!isNumberLike(column)) throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric');
  if (!Number.isFinite(prediction.threshold)) throw invalidArgument(dataSet.path, `The threshold for "${column.name}" must be a finite number, not ${prediction.threshold}`);
  const score = numericExpression(column);
  // DuckDB orders NaN above every number, so NaN >= threshold would be true; NaN is no prediction.
  const predicted = `(CASE WHEN isnan(${score}) THEN NULL ELSE ${score} >= ${parameters.bindDouble(prediction.threshold)} END)`;
  return { value: predicted, text: 'NULL', predicted: 'prediction_value' };
}

function checkPredictionValues(dataSet: DataSet, prediction: BinaryPredictionSpec, counted: readonly CountedRow[], warnings: string[]): void {
  if (!('column' in prediction)) return;
  const found = distinctSorted(counted.map((row) => row.predictionText));
  const matched = distinctSorted(counted.filter((row) => row.predicted === true).map((row) => row.predictionText));
  if (matched.length === 0) throw positiveValueNotFound(dataSet.path, prediction.column, prediction.positive.map(String), found);

  const counts = counted.map((row) => ({ value: row.predictionText, rows: row.rows }));
  const declared = { column: prediction.column, role: 'prediction' as const, positive: prediction.positive, allowAbsent: prediction.allowAbsentPositive ?? false };
  checkEveryPositiveOccurs(dataSet, declared, found, counts, warnings);
}

function summarize(
  attributes: readonly string[],
  counted: readonly CountedRow[],
  labelValues: BinaryLabelValues,
  warnings: string[],
  dataSet: DataSet,
): GroupedConfusionResult {
  const groups = new Map<string, { key: (string | null)[]; counts: MutableCounts }>();
  const overall = emptyCounts();
  let missingLabel = 0;
  let missingPrediction = 0;

  for (const row of counted) {
    if (row.actual === null) {
      missingLabel += row.rows;
      continue;
    }
    if (row.predicted === null) {
      missingPrediction += row.rows;
      continue;
    }
    const mapKey = groupMapKey(row.key);
    const group = groups.get(mapKey) ?? { key: row.key, counts: emptyCounts() };
    groups.set(mapKey, group);
    addRows(group.counts, row.actual, row.predicted, row.rows);
    addRows(overall, row.actual, row.predicted, row.rows);
  }

  if (missingLabel > 0) warnings.push(leftOutWarning(dataSet.path, missingLabel, 'no label'));
  if (missingPrediction > 0) warnings.push(leftOutWarning(dataSet.path, missingPrediction, 'no prediction'));
  if (groups.size === 0) throw noDataRows(dataSet.path);

  const sortedGroups: GroupConfusion[] = [...groups.values()]
    .sort((left, right) => compareGroupKeys(left.key, right.key))
    .map((group) => ({ key: group.key, counts: { ...group.counts } }));
  return {
    grouped: { attributes: [...attributes], groups: sortedGroups },
    overall: { ...overall },
    labelValues,
    excluded: { missingLabel, missingPrediction },
    warnings,
  };
}

type MutableCounts = { -readonly [K in keyof ConfusionCounts]: number };

function emptyCounts(): MutableCounts {
  return { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
}

function addRows(counts: MutableCounts, actual: boolean, predicted: boolean, rows: number): void {
  if (actual && predicted) counts.truePositives += rows;
  else if (actual) counts.falseNegatives += rows;
  else if (predicted) counts.falsePositives += rows;
  else counts.trueNegatives += rows;
}
