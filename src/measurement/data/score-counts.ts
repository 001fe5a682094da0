import type { ScoreLabelCounts } from '../core/aggregates.js';
import type { DataColumn } from './column-types.js';
import { leftOutWarning, noDataRows, notAProbability, notNumeric, wrongColumnType } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import { compareGroupKeys, enforceMissingGroupPolicy, groupKeyText, groupValueColumns, groupValueSelect, type MissingGroupPolicy } from './group-keys.js';
import { checkBinaryLabelValues, labelSql, type BinaryLabelSpec } from './label-check.js';
import { findFirstRow } from './row-locator.js';
import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { readColumns, toCount } from './values.js';

export interface ScoreLabelOptions {
  readonly label: BinaryLabelSpec;
  /** The predicted probability (or score) of the positive class. */
  readonly scoreColumn: string;
  /** Whether every score must be a probability in [0, 1], as log loss, Brier score and calibration need. Default true. */
  readonly requireProbability?: boolean;
  readonly sensitive?: readonly string[];
  /** Default `group`. */
  readonly missingSensitive?: MissingGroupPolicy;
}

export interface GroupScoreLabelCounts {
  readonly key: readonly (string | null)[];
  readonly counts: ScoreLabelCounts;
}

export interface ScoreLabelResult {
  readonly overall: ScoreLabelCounts;
  readonly attributes: readonly string[];
  /** Per group, sorted by key; empty without sensitive attributes. */
  readonly groups: readonly GroupScoreLabelCounts[];
  readonly excluded: { readonly missingLabel: number; readonly missingScore: number };
  readonly warnings: readonly string[];
}

/**
 * Counts actual positives and negatives at each distinct score, overall and per group. Two scans:
 * the first checks that the label is binary and the scores are numbers (and probabilities when
 * required); the second groups by score. A bad score raises an error with the number of such
 * rows and the first one. Rows with a missing label or score are left out, with a warning.
 */
export async function scoreLabelCounts(engine: DataEngine, dataSet: DataSet, options: ScoreLabelOptions): Promise<ScoreLabelResult> {
  const attributes = options.sensitive ?? [];
  const scoreColumn = dataSet.column(options.scoreColumn);
  const score = scoreExpression(dataSet, scoreColumn);
  const checks = await checkLabelAndScores(engine, dataSet, options, scoreColumn, score);

  const parameters = new SqlParameters();
  const label = labelSql(dataSet, options.label, parameters);
  const groupingSets = attributes.length > 0 ? `GROUPING SETS ((${groupValueColumns(attributes)} score), (score))` : 'score';
  const overallFlag = attributes.length > 0 ? 'CAST(GROUPING(group_value_0) AS DOUBLE)' : 'CAST(1 AS DOUBLE)';
  const keyOrder = attributes.map((_, index) => `group_key_${index}, `).join('');
  const sql = `
    SELECT ${overallFlag} AS is_overall, ${groupKeyText(attributes)} score,
           CAST(count(*) FILTER (WHERE actual) AS DOUBLE) AS positives,
           CAST(count(*) FILTER (WHERE NOT actual) AS DOUBLE) AS negatives
    FROM (
      SELECT ${groupValueSelect(dataSet, attributes)} ${label.actual} AS actual, ${score} AS score
      FROM ${dataSet.fromClause(parameters)}
    )
    WHERE actual IS NOT NULL AND score IS NOT NULL
    GROUP BY ${groupingSets}
    ORDER BY is_overall DESC, ${keyOrder} score`;
  const result = await engine.run(`score counts of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  const number = { kind: 'number' } as const;
  const text = { kind: 'text' } as const;
  const columns = readColumns(result, [number, ...attributes.map(() => text), number, number, number]);
  const flags = columns[0] as Float64Array;
  const keyTexts = attributes.map((_, index) => columns[1 + index] as (string | null)[]);
  const [scores, positives, negatives] = columns.slice(1 + attributes.length) as [Float64Array, Float64Array, Float64Array];

  // The ORDER BY puts the overall rows (GROUPING = 1) first, then each group's rows together.
  const overallEnd = flags.findIndex((flag) => flag !== 1);
  const overallRows = overallEnd === -1 ? flags.length : overallEnd;
  const overall = { scores: scores.slice(0, overallRows), positives: positives.slice(0, overallRows), negatives: negatives.slice(0, overallRows) };
  if (overallRows === 0) throw noDataRows(dataSet.path);

  const groups = splitGroups(keyTexts, scores, positives, negatives, overallRows);
  enforceMissingGroupPolicy(dataSet, attributes, groups.map((group) => ({ key: group.key, rows: rowsOf(group.counts) })), options.missingSensitive ?? 'group');
  return { overall, attributes: [...attributes], groups, excluded: checks.excluded, warnings: checks.warnings };
}

function scoreExpression(dataSet: DataSet, column: DataColumn): string {
  const name = quoteIdentifier(column.name);
  if (column.columnType === 'numerical') return `CAST(${name} AS DOUBLE)`;
  if (column.columnType === 'categorical') return `TRY_CAST(${name} AS DOUBLE)`;
  throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric');
}

async function checkLabelAndScores(
  engine: DataEngine,
  dataSet: DataSet,
  options: ScoreLabelOptions,
  scoreColumn: DataColumn,
  score: string,
): Promise<{ excluded: ScoreLabelResult['excluded']; warnings: string[] }> {
  const parameters = new SqlParameters();
  const label = labelSql(dataSet, options.label, parameters);
  const raw = quoteIdentifier(scoreColumn.name);
  const outOfRange = `(${score} < 0 OR ${score} > 1 OR isnan(${score}))`;
  const sql = `
    SELECT label_text, actual,
           count(*) AS row_count,
           count(*) FILTER (WHERE score_raw IS NULL) AS missing_score,
           count(*) FILTER (WHERE score_raw IS NOT NULL AND score IS NULL) AS not_numeric,
           count(*) FILTER (WHERE out_of_range) AS out_of_range
    FROM (
      SELECT ${label.text} AS label_text, ${label.actual} AS actual, ${raw} AS score_raw, ${score} AS score, ${outOfRange} AS out_of_range
      FROM ${dataSet.fromClause(parameters)}
    )
    GROUP BY ALL`;
  const rows = await engine.rows(`checking labels and scores of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length === 0) throw noDataRows(dataSet.path);

  const labelRows = rows.map((row) => ({ labelText: row['label_text'] as string | null, actual: row['actual'] as boolean | null, rows: toCount(row['row_count']) }));
  const warnings: string[] = [];
  checkBinaryLabelValues(dataSet, options.label, labelRows, warnings);

  const total = (field: string): number => rows.reduce((sum, row) => sum + toCount(row[field]), 0);
  const notNumericCount = total('not_numeric');
  if (notNumericCount > 0) {
    const first = await findFirstRow(engine, dataSet, `(${raw} IS NOT NULL AND ${score} IS NULL)`, raw, new SqlParameters());
    throw notNumeric(dataSet.path, scoreColumn.name, notNumericCount, first?.row ?? 0, first?.value ?? '');
  }
  const outOfRangeCount = total('out_of_range');
  if ((options.requireProbability ?? true) && outOfRangeCount > 0) {
    const first = await findFirstRow(engine, dataSet, outOfRange, raw, new SqlParameters());
    throw notAProbability(dataSet.path, scoreColumn.name, outOfRangeCount, first?.row ?? 0, first?.value ?? '');
  }

  const missingLabel = labelRows.filter((row) => row.labelText === null).reduce((sum, row) => sum + row.rows, 0);
  const missingScore = rows.filter((row) => row['label_text'] !== null).reduce((sum, row) => sum + toCount(row['missing_score']), 0);
  if (missingLabel > 0) warnings.push(leftOutWarning(dataSet.path, missingLabel, 'no label'));
  if (missingScore > 0) warnings.push(leftOutWarning(dataSet.path, missingScore, 'no score'));
  return { excluded: { missingLabel, missingScore }, warnings };
}

function splitGroups(
  keyTexts: readonly (string | null)[][],
  scores: Float64Array,
  positives: Float64Array,
  negatives: Float64Array,
  start: number,
): GroupScoreLabelCounts[] {
  const sameKey = (left: number, right: number): boolean => keyTexts.every((texts) => texts[left] === texts[right]);
  const groups: GroupScoreLabelCounts[] = [];
  let begin = start;
  while (begin < scores.length) {
    let end = begin + 1;
    while (end < scores.length && sameKey(begin, end)) end++;
    groups.push({
      key: keyTexts.map((texts) => texts[begin] ?? null),
      counts: { scores: scores.slice(begin, end), positives: positives.slice(begin, end), negatives: negatives.slice(begin, end) },
    });
    begin = end;
  }
  return groups.sort((left, right) => compareGroupKeys(left.key, right.key));
}

function rowsOf(counts: ScoreLabelCounts): number {
  let rows = 0;
  for (let index = 0; index < counts.scores.length; index++) rows += (counts.positives[index] as number) + (counts.negatives[index] as number);
  return rows;
}

