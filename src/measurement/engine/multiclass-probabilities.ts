/**
 * The multiclass Brier score and log loss from one probability column per class. The data layer
 * has no aggregate for them, so this file adds one: a single SQL scan sums each row's squared
 * error and negative log-likelihood per group and actual class, and the sums merge by addition.
 */
import { logLossEpsilon, multiclassBrierScore } from '../core/calibration.js';
import { defined, undefinedBecause, type Measured } from '../core/measured.js';
import type { DataColumn } from '../data/column-types.js';
import { invalidArgument, leftOutWarning, noDataRows, notAProbability, notNumeric, shortList, tooManyDistinctValues, wrongColumnType } from '../data/data-errors.js';
import {
  compareGroupKeys,
  enforceMissingGroupPolicy,
  groupMapKey,
  groupValueColumns,
  groupValueSelect,
  maxResultRows,
  readGroupKey,
  type MissingGroupPolicy,
} from '../data/group-keys.js';
import { findFirstRow } from '../data/row-locator.js';
import { toCount, toNumberOrNull, toTextOrNull } from '../data/values.js';
import { quoteIdentifier, SqlParameters, type DataEngine, type DataSet } from '../data/index.js';

/**
 * Largest gap allowed between 1 and the sum of a row's class probabilities. Probabilities written
 * to a file are often rounded, and three classes rounded to two decimals can miss 1 by 0.015.
 */
export const probabilitySumTolerance = 0.02;

/** Mergeable sums over rows with a complete probability vector. */
export interface MulticlassProbabilitySums {
  readonly count: number;
  /** Σ over rows of Σ_k (p_k − [actual = k])². */
  readonly sumSquaredError: number;
  /** Σ over rows of −ln(clip(p_actual)), with p clipped to [ε, 1 − ε], ε = 2^-52. */
  readonly sumNegativeLogLikelihood: number;
  /** Rows whose probability of the actual class was below ε and was clipped. */
  readonly clippedRows: number;
}

export interface MulticlassProbabilityOptions {
  readonly labelColumn: string;
  /** The probability column of each class label; labels are compared with the label column's text. */
  readonly probabilityColumns: Readonly<Record<string, string>>;
  readonly sensitive?: readonly string[];
  /** Default `group`. */
  readonly missingSensitive?: MissingGroupPolicy;
}

export interface MulticlassProbabilityResult {
  readonly overall: MulticlassProbabilitySums;
  readonly attributes: readonly string[];
  readonly groups: readonly { readonly key: readonly (string | null)[]; readonly sums: MulticlassProbabilitySums }[];
  readonly excluded: { readonly missingLabel: number; readonly missingProbability: number };
  readonly warnings: readonly string[];
}

/**
 * Sums squared errors and negative log-likelihoods of per-class probabilities, overall and per
 * group, in one scan. Every probability must be a number in [0, 1], and each row's probabilities
 * must sum to 1 within `probabilitySumTolerance`. A violation raises an error that names the
 * column, the number of such rows and the first one. Every class that occurs in the label needs
 * a probability column. Rows with a missing label or a missing probability are left out, with a
 * warning. Probabilities are used as given, not rescaled to sum to 1.
 */
export async function multiclassProbabilitySums(engine: DataEngine, dataSet: DataSet, options: MulticlassProbabilityOptions): Promise<MulticlassProbabilityResult> {
  const attributes = options.sensitive ?? [];
  const classes = Object.keys(options.probabilityColumns);
  if (classes.length < 2) throw invalidArgument(dataSet.path, `Multiclass probabilities need a probability column for each of at least two classes, but ${classes.length} ${classes.length === 1 ? 'is' : 'are'} given`);
  const labelColumn = dataSet.column(options.labelColumn);
  const columns = dataSet.requireColumns(classes.map((label) => options.probabilityColumns[label] as string));
  columns.forEach((column) => {
    if (column.columnType !== 'numerical' && column.columnType !== 'categorical') throw wrongColumnType(dataSet.path, column.name, column.duckdbType, 'numeric');
  });

  const parameters = new SqlParameters();
  const probabilities = columns.map((column, index) => `${probabilityExpression(column)} AS p_${index}`);
  const raws = columns.map((column, index) => `${quoteIdentifier(column.name)} AS raw_${index}`);
  const indices = columns.map((_, index) => index);
  const anyMissing = indices.map((index) => `p_${index} IS NULL`).join(' OR ');
  const notNumber = indices.map((index) => `(raw_${index} IS NOT NULL AND p_${index} IS NULL)`).join(' OR ');
  const outOfRange = indices.map((index) => `(p_${index} < 0 OR p_${index} > 1 OR isnan(p_${index}))`).join(' OR ');
  const total = indices.map((index) => `p_${index}`).join(' + ');
  const classBinds = classes.map((label) => parameters.bind(label));
  const squaredError = indices.map((index) => `pow(p_${index} - CASE WHEN actual = ${classBinds[index]} THEN 1.0 ELSE 0.0 END, 2)`).join(' + ');
  const actualProbability = `CASE actual ${indices.map((index) => `WHEN ${classBinds[index]} THEN p_${index}`).join(' ')} END`;
  const epsilon = parameters.bindDouble(logLossEpsilon);
  const usable = `NOT (${anyMissing}) AND NOT (${outOfRange})`;
  const sql = `
    SELECT ${attributes.map((_, index) => `CAST(group_value_${index} AS VARCHAR) AS group_key_${index}, `).join('')} actual,
           count(*) AS row_count,
           count(*) FILTER (WHERE ${anyMissing}) AS missing_probability,
           count(*) FILTER (WHERE ${notNumber}) AS not_numeric,
           count(*) FILTER (WHERE NOT (${anyMissing}) AND (${outOfRange})) AS out_of_range,
           count(*) FILTER (WHERE ${usable} AND abs(${total} - 1) > ${parameters.bindDouble(probabilitySumTolerance)}) AS bad_sum,
           count(*) FILTER (WHERE ${usable}) AS usable_count,
           fsum(${squaredError}) FILTER (WHERE ${usable}) AS sum_squared_error,
           fsum(-ln(greatest(${epsilon}, least(1 - ${epsilon}, ${actualProbability})))) FILTER (WHERE ${usable}) AS sum_negative_log_likelihood,
           count(*) FILTER (WHERE ${usable} AND ${actualProbability} < ${epsilon}) AS clipped_rows
    FROM (
      SELECT ${groupValueSelect(dataSet, attributes)} CAST(${quoteIdentifier(labelColumn.name)} AS VARCHAR) AS actual, ${[...probabilities, ...raws].join(', ')}
      FROM ${dataSet.fromClause(parameters)}
    )
    GROUP BY ${groupValueColumns(attributes)} actual
    LIMIT ${maxResultRows + 1}`;
  const rows = await engine.rows(`class probabilities of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (rows.length > maxResultRows) throw tooManyDistinctValues(dataSet.path, [...attributes, labelColumn.name], maxResultRows);
  if (rows.length === 0) throw noDataRows(dataSet.path);

  const counted = rows.map((row) => ({ key: readGroupKey(row, attributes), actual: toTextOrNull(row['actual']), row }));
  const labelled = counted.filter((entry) => entry.actual !== null);
  const unmapped = [...new Set(labelled.map((entry) => entry.actual as string))].filter((label) => !classes.includes(label)).sort();
  if (unmapped.length > 0) {
    throw invalidArgument(
      dataSet.path,
      `Column "${labelColumn.name}" of "${dataSet.path}" has the classes ${shortList(unmapped)}, which have no probability column; map every class to its column (classes with a column: ${shortList(classes)})`,
    );
  }
  await rejectInvalidProbabilities(engine, dataSet, columns, labelled.map((entry) => entry.row));
  enforceMissingGroupPolicy(dataSet, attributes, counted.map((entry) => ({ key: entry.key, rows: toCount(entry.row['row_count']) })), options.missingSensitive ?? 'group');
  return summarize(dataSet.path, attributes, counted);
}

function probabilityExpression(column: DataColumn): string {
  const name = quoteIdentifier(column.name);
  return column.columnType === 'numerical' ? `CAST(${name} AS DOUBLE)` : `TRY_CAST(${name} AS DOUBLE)`;
}

async function rejectInvalidProbabilities(engine: DataEngine, dataSet: DataSet, columns: readonly DataColumn[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const total = (field: string): number => rows.reduce((sum, row) => sum + toCount(row[field]), 0);
  const checks = [
    { field: 'not_numeric', condition: (expression: string, raw: string) => `(${raw} IS NOT NULL AND ${expression} IS NULL)` },
    { field: 'out_of_range', condition: (expression: string) => `(${expression} < 0 OR ${expression} > 1 OR isnan(${expression}))` },
  ];
  for (const check of checks) {
    const count = total(check.field);
    if (count === 0) continue;
    for (const column of columns) {
      const raw = quoteIdentifier(column.name);
      const first = await findFirstRow(engine, dataSet, check.condition(probabilityExpression(column), raw), raw, new SqlParameters());
      if (first === null) continue;
      if (check.field === 'not_numeric') throw notNumeric(dataSet.path, column.name, count, first.row, first.value);
      throw notAProbability(dataSet.path, column.name, count, first.row, first.value);
    }
    // The rows were counted but not located again, which a file changed between the scans would cause.
    const names = columns.map((column) => column.name);
    throw invalidArgument(dataSet.path, `${count} rows of "${dataSet.path}" have class probabilities that are not numbers between 0 and 1 in the columns ${shortList(names)}; fix those values`);
  }
  const badSums = total('bad_sum');
  if (badSums > 0) {
    const sum = columns.map((column) => probabilityExpression(column)).join(' + ');
    const first = await findFirstRow(engine, dataSet, `abs(${sum} - 1) > ${probabilitySumTolerance}`, `round(${sum}, 6)`, new SqlParameters());
    throw invalidArgument(
      dataSet.path,
      `The class probabilities of ${badSums} ${badSums === 1 ? 'row' : 'rows'} of "${dataSet.path}" do not sum to 1 (within ${probabilitySumTolerance}); the first is data row ${first?.row ?? 0} (counted from 1 after the header) with a sum of ${first?.value ?? 'unknown'}. Give one probability column per class, each row summing to 1`,
    );
  }
}

interface MutableSums {
  count: number;
  sumSquaredError: number;
  sumNegativeLogLikelihood: number;
  clippedRows: number;
}

function summarize(path: string, attributes: readonly string[], counted: readonly { key: (string | null)[]; actual: string | null; row: Record<string, unknown> }[]): MulticlassProbabilityResult {
  const overall = emptySums();
  const groups = new Map<string, { key: (string | null)[]; sums: MutableSums }>();
  let missingLabel = 0;
  let missingProbability = 0;
  for (const { key, actual, row } of counted) {
    if (actual === null) {
      missingLabel += toCount(row['row_count']);
      continue;
    }
    missingProbability += toCount(row['missing_probability']);
    const mapKey = groupMapKey(key);
    const group = groups.get(mapKey) ?? { key, sums: emptySums() };
    groups.set(mapKey, group);
    for (const sums of attributes.length > 0 ? [overall, group.sums] : [overall]) {
      sums.count += toCount(row['usable_count']);
      sums.sumSquaredError += toNumberOrNull(row['sum_squared_error']) ?? 0;
      sums.sumNegativeLogLikelihood += toNumberOrNull(row['sum_negative_log_likelihood']) ?? 0;
      sums.clippedRows += toCount(row['clipped_rows']);
    }
  }
  if (overall.count === 0) throw noDataRows(path);

  const warnings: string[] = [];
  if (missingLabel > 0) warnings.push(leftOutWarning(path, missingLabel, 'no label'));
  if (missingProbability > 0) warnings.push(leftOutWarning(path, missingProbability, 'a missing class probability'));
  const sortedGroups = attributes.length === 0 ? [] : [...groups.values()].sort((left, right) => compareGroupKeys(left.key, right.key)).map((group) => ({ key: group.key, sums: { ...group.sums } }));
  return { overall: { ...overall }, attributes: [...attributes], groups: sortedGroups, excluded: { missingLabel, missingProbability }, warnings };
}

function emptySums(): MutableSums {
  return { count: 0, sumSquaredError: 0, sumNegativeLogLikelihood: 0, clippedRows: 0 };
}

/**
 * Computes the multiclass log loss, (1/n) Σ_rows −ln p_actual, in nats, with p clipped to
 * [ε, 1 − ε] and ε = 2^-52 as for the binary log loss. Range [0, ∞). Probabilities are used as
 * given. scikit-learn's `log_loss` rescaled each row to sum to 1 before version 1.5 (its pull
 * request 28851 removed that), so older versions differ for rows whose probabilities were
 * rounded. Undefined with no rows.
 */
export function multiclassLogLoss(sums: MulticlassProbabilitySums): Measured {
  if (sums.count === 0) return undefinedBecause('no rows with a complete probability vector');
  const warnings = sums.clippedRows > 0 ? [`the probability of the actual class was below 2^-52 and clipped in ${sums.clippedRows} of ${sums.count} rows`] : [];
  return defined(sums.sumNegativeLogLikelihood / sums.count, warnings);
}

/** Computes the multiclass Brier score (summed over classes, range 0..2) from the sums; see `multiclassBrierScore`. */
export function multiclassBrier(sums: MulticlassProbabilitySums): Measured {
  if (sums.count === 0) return undefinedBecause('no rows with a complete probability vector');
  return multiclassBrierScore({ count: sums.count, sumSquaredError: sums.sumSquaredError });
}
