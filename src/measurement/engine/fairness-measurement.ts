/**
 * Group fairness of a binary classifier measured on a data file. One SQL scan counts true and
 * false positives and negatives per group. The measurement core turns the counts into rates,
 * Wilson intervals, disparities, parity measures, the four-fifths rule and, on request, bootstrap
 * intervals. The result is plain JSON, so it can be stored and written into reports as it is.
 */
import type { ConfusionCounts, GroupedConfusion } from '../core/aggregates.js';
import { bootstrapDisparities, defaultBootstrapReplicates, defaultBootstrapSeed, type BootstrapResult } from '../core/bootstrap.js';
import { defaultConfidence } from '../core/confidence-intervals.js';
import {
  confusionSize,
  defaultMinimumGroupSize,
  missingGroupLabel,
  fairnessReport,
  groupLabel as valuesLabel,
  rateNames,
  type FairnessOptions,
  type FairnessReport,
  type GroupFairness,
  type MetricDisparity,
  type RateEstimate,
  type RateName,
  type ReferenceGroupChoice,
  type ResolvedFairnessOptions,
} from '../core/fairness.js';
import type { FourFifthsResult } from '../core/four-fifths.js';
import { groupedConfusionCounts, type BinaryLabelSpec, type BinaryLabelValues, type BinaryPredictionSpec, type DataEngine, type DataSet } from '../data/index.js';
import { groupLabel } from '../reports/run-outcome.js';
import { AppError } from '../../platform/errors.js';
import { describeValueCounts } from '../data/data-errors.js';
import { describeAbsentGroup, valuesOfGroupName } from './absent-groups.js';
import { withCoreErrors } from './core-errors.js';

/**
 * The reference group every group is compared with: the group with the most rows, the most
 * favourable group for each rate, or a named group. A name may be the group's value (`Caucasian`),
 * its values joined by " & " for an intersection (`African-American & Female`), or the form
 * reports use (`race=African-American, sex=Female`). A key gives the values in attribute order.
 */
export type ReferenceOption = 'largest' | 'most_favourable' | { readonly group: string | readonly (string | null)[] };

export interface FairnessBootstrapOptions {
  /** Default 1000 replicates. */
  readonly replicates?: number;
  /** Default seed 0; the same seed gives the same intervals. */
  readonly seed?: number;
}

export interface FairnessMeasurementOptions {
  /** The actual outcome; a row is an actual positive when its label is one of `positive`. */
  readonly label: BinaryLabelSpec;
  /**
   * The predicted outcome: a column with its predicted-positive values, or a score column with a
   * threshold (score >= threshold predicts positive). Null measures the label alone, for
   * training data: only the base rate is then reported.
   */
  readonly prediction: BinaryPredictionSpec | null;
  /** One sensitive attribute, or several whose combinations of values form the groups. */
  readonly sensitive: readonly string[];
  /** `group` (default) keeps rows with a missing sensitive value as a group of their own; `error` rejects them. */
  readonly missingSensitive?: 'group' | 'error';
  /** Default `largest`. */
  readonly reference?: ReferenceOption;
  /** The source that named the reference group, for messages, such as `the check "parity" (line 12)`. */
  readonly referenceSource?: string;
  /** The prediction that benefits the person (default `positive`); it decides the most favourable group and the four-fifths rule. */
  readonly favourableOutcome?: 'positive' | 'negative';
  /** Groups with fewer rows are flagged (default 30). */
  readonly minimumGroupSize?: number;
  /** Confidence level of the Wilson and bootstrap intervals (default 0.95). */
  readonly confidence?: number;
  /** Bootstrap intervals for the disparities; none unless given. */
  readonly bootstrap?: FairnessBootstrapOptions | null;
}

/** The result of one scan of a file: the confusion counts per group and the rows left out. */
export interface FairnessCounts {
  readonly file: string;
  readonly label: BinaryLabelSpec;
  readonly prediction: BinaryPredictionSpec | null;
  readonly grouped: GroupedConfusion;
  readonly overall: ConfusionCounts;
  readonly labelValues: BinaryLabelValues;
  readonly excluded: { readonly missingLabel: number; readonly missingPrediction: number };
  readonly warnings: readonly string[];
}

export type PredictionDescription =
  | { readonly kind: 'column'; readonly column: string; readonly positive: readonly string[] }
  | { readonly kind: 'score'; readonly column: string; readonly threshold: number }
  | { readonly kind: 'none' };

export interface FairnessGroup extends Omit<GroupFairness, 'rates'> {
  /** The group as reports name it, `attribute=value` joined by ", ". */
  readonly name: string;
  readonly rates: Readonly<Partial<Record<RateName, RateEstimate>>>;
}

export interface FairnessMeasurement {
  readonly kind: 'fairness';
  readonly file: string;
  readonly label: { readonly column: string; readonly positive: readonly string[]; readonly negative: readonly string[] | null; readonly valuesFound: BinaryLabelValues };
  readonly prediction: PredictionDescription;
  readonly attributes: readonly string[];
  readonly settings: ResolvedFairnessOptions;
  readonly rows: { readonly read: number; readonly measured: number; readonly leftOut: { readonly missingLabel: number; readonly missingPrediction: number } };
  /** The rates measured: all eleven, or only the base rate when no prediction was given. */
  readonly rates: readonly RateName[];
  readonly groups: readonly FairnessGroup[];
  readonly overall: { readonly size: number; readonly counts: ConfusionCounts; readonly rates: Readonly<Partial<Record<RateName, RateEstimate>>> };
  readonly disparities: Readonly<Partial<Record<RateName, MetricDisparity>>>;
  /** Null when no prediction was given. */
  readonly parity: FairnessReport['parity'] | null;
  /** Null when no prediction was given. */
  readonly fourFifthsRule: FourFifthsResult | null;
  readonly bootstrap: BootstrapResult | null;
  /** Rows left out, groups below the minimum size and remarks on how the file was read. */
  readonly warnings: readonly string[];
}

/** Measures group fairness on a data file in one scan; see `countFairness` and `summarizeFairness`. */
export async function measureFairness(engine: DataEngine, dataSet: DataSet, options: FairnessMeasurementOptions): Promise<FairnessMeasurement> {
  const counts = await countFairness(engine, dataSet, options);
  return summarizeFairness(counts, options, readingWarnings(dataSet, usedColumns(options)));
}

/**
 * Counts the confusion cells per group in one scan of the file. Rows whose label or prediction
 * is missing are left out and counted. Without a prediction the label is used as the prediction,
 * so that the counts carry the base rate of each group.
 */
export async function countFairness(engine: DataEngine, dataSet: DataSet, options: FairnessMeasurementOptions): Promise<FairnessCounts> {
  if (options.sensitive.length === 0) {
    throw new AppError('VALIDATION_FAILED', `A fairness measurement of "${dataSet.path}" needs at least one sensitive attribute; name the column or columns that form the groups`);
  }
  const prediction = options.prediction ?? { column: options.label.column, positive: options.label.positive };
  const result = await groupedConfusionCounts(engine, dataSet, {
    label: options.label,
    prediction,
    sensitive: options.sensitive,
    missingSensitive: options.missingSensitive ?? 'group',
  });
  return {
    file: dataSet.path,
    label: options.label,
    prediction: options.prediction,
    grouped: result.grouped,
    overall: result.overall,
    labelValues: result.labelValues,
    excluded: result.excluded,
    warnings: result.warnings,
  };
}

/**
 * Builds the measurement from counts. Per group it holds n, TN, FP, FN, TP and every rate with its
 * Wilson interval. It adds the overall values, the disparities of each rate (between groups, to
 * the overall value and to the reference group), the parity measures, the four-fifths rule with
 * its caveat, the groups below the minimum size, and bootstrap intervals when `options.bootstrap`
 * is given. A rate without a denominator is undefined with the reason, never 0. Defaults:
 * reference `largest`, minimum group size 30, confidence 0.95, favourable outcome `positive`, no
 * bootstrap.
 */
export function summarizeFairness(counts: FairnessCounts, options: FairnessMeasurementOptions, extraWarnings: readonly string[] = []): FairnessMeasurement {
  const reference = resolveReference(options.reference, counts.grouped, counts.file, options.referenceSource);
  const coreOptions: FairnessOptions = {
    minimumGroupSize: options.minimumGroupSize ?? defaultMinimumGroupSize,
    reference,
    favourableOutcome: options.favourableOutcome ?? 'positive',
    missingValues: options.missingSensitive ?? 'group',
    confidence: options.confidence ?? defaultConfidence,
  };
  const subject = `The measurement of "${counts.file}"`;
  const report = withCoreErrors(counts.file, () => fairnessReport(counts.grouped, coreOptions), subject);
  const bootstrap = options.bootstrap
    ? withCoreErrors(counts.file, () =>
        bootstrapDisparities(counts.grouped, {
          ...coreOptions,
          replicates: options.bootstrap?.replicates ?? defaultBootstrapReplicates,
          seed: options.bootstrap?.seed ?? defaultBootstrapSeed,
        }),
        subject,
      )
    : null;

  const hasPrediction = counts.prediction !== null;
  const rates: readonly RateName[] = hasPrediction ? rateNames : ['baseRate'];
  const measured = report.overall.size;
  const leftOut = counts.excluded;
  return {
    kind: 'fairness',
    file: counts.file,
    label: {
      column: counts.label.column,
      positive: counts.label.positive.map(String),
      negative: counts.label.negative === undefined ? null : counts.label.negative.map(String),
      valuesFound: counts.labelValues,
    },
    prediction: describePrediction(counts.prediction),
    attributes: counts.grouped.attributes,
    settings: report.options,
    rows: { read: measured + leftOut.missingLabel + leftOut.missingPrediction, measured, leftOut },
    rates,
    groups: report.groups.map((group) => ({ ...group, name: groupLabel(counts.grouped.attributes, group.key), rates: pick(group.rates, rates) })),
    overall: { size: report.overall.size, counts: report.overall.counts, rates: pick(report.overall.rates, rates) },
    disparities: pick(report.disparities, rates),
    parity: hasPrediction ? report.parity : null,
    fourFifthsRule: hasPrediction ? report.fourFifthsRule : null,
    bootstrap: bootstrap === null || hasPrediction ? bootstrap : { ...bootstrap, intervals: bootstrap.intervals.filter((interval) => interval.statistic.startsWith('baseRate.')) },
    warnings: [...extraWarnings, ...counts.warnings, ...report.warnings],
  };
}

/** Returns every name under which a group can be given as a reference. */
export function groupNames(attributes: readonly string[], key: readonly (string | null)[]): string[] {
  return [...new Set([valuesLabel(key), groupLabel(attributes, key)])];
}

function resolveReference(reference: ReferenceOption | undefined, grouped: GroupedConfusion, path: string, source: string | undefined): ReferenceGroupChoice {
  if (reference === undefined || reference === 'largest') return { kind: 'largest' };
  if (reference === 'most_favourable') return { kind: 'most-favourable' };

  const requested = reference.group;
  const found = grouped.groups.find((group) =>
    typeof requested === 'string' ? groupNames(grouped.attributes, group.key).includes(requested) : JSON.stringify(group.key) === JSON.stringify(requested),
  );
  if (found === undefined) {
    const requestedName = typeof requested === 'string' ? requested : valuesLabel(requested);
    const values = typeof requested === 'string' ? valuesOfGroupName(grouped.attributes, requested) : requested.map((value) => value ?? missingGroupLabel);
    const groups = grouped.groups.map((group) => ({ key: group.key, size: confusionSize(group.counts) }));
    const reason =
      values === null
        ? `the name matches none of the groups found, which are ${describeValueCounts(groups.map((group) => ({ value: valuesLabel(group.key), rows: group.size })))}`
        : describeAbsentGroup(grouped.attributes, values, groups);
    const message = `The reference group "${requestedName}"${source === undefined ? '' : ` of ${source}`} has no measured rows in "${path}" when grouped by ${grouped.attributes.join(' × ')}: ${reason}; name a group that occurs, or use largest or most_favourable`;
    throw new AppError('VALIDATION_FAILED', message, [{ path, message }]);
  }
  return { kind: 'named', key: found.key };
}

function describePrediction(prediction: BinaryPredictionSpec | null): PredictionDescription {
  if (prediction === null) return { kind: 'none' };
  if ('column' in prediction) return { kind: 'column', column: prediction.column, positive: prediction.positive.map(String) };
  return { kind: 'score', column: prediction.scoreColumn, threshold: prediction.threshold };
}

function pick<Value>(record: Readonly<Record<RateName, Value>>, names: readonly RateName[]): Partial<Record<RateName, Value>> {
  const picked: Partial<Record<RateName, Value>> = {};
  for (const name of names) picked[name] = record[name];
  return picked;
}

/** Returns the columns a measurement reads. */
export function usedColumns(options: Pick<FairnessMeasurementOptions, 'label' | 'prediction' | 'sensitive'>): string[] {
  const columns = [options.label.column, ...options.sensitive];
  const prediction = options.prediction;
  if (prediction !== null) columns.push('column' in prediction ? prediction.column : prediction.scoreColumn);
  return columns;
}

/**
 * Returns the remarks on how a file was read (a repeated header name, say) that concern the
 * columns a measurement reads. Those remarks name each column in double quotes.
 */
export function readingWarnings(dataSet: DataSet, columns: readonly string[]): string[] {
  return dataSet.warnings.filter((warning) => columns.some((column) => warning.includes(`"${column}"`)));
}
