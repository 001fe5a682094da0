/**
 * Group fairness from confusion counts: rates per group, their Wilson intervals, disparities
 * between groups, to the overall value and to a reference group, the named parity measures and
 * the four-fifths rule.
 *
 * Undefined values. A rate whose denominator is 0 (TPR in a group with no actual positives, PPV in
 * a group with no predicted positives) is undefined with that reason, never 0. Every disparity
 * skips such groups and names them. The established libraries differ:
 * - Fairlearn returns 0 instead. A group with no actual positives gets TPR 0 and FNR 0, and a
 *   group with no actual negatives gets FPR 0 and TNR 0, as its tests pin
 *   (test/unit/metrics/test_base_metrics.py, class TestSingleValueArrays). Such a group then
 *   looks like the worst or the best group in `difference` and `ratio`. Where both define a
 *   value, the values here equal Fairlearn's.
 * - Aequitas returns NaN for a rate with a 0 denominator. It replaces an infinite disparity
 *   (group / reference with a reference value of 0) by 10.0, its `fill_divbyzero` default in
 *   src/aequitas/bias.py. Here that ratio is undefined with the reason.
 */
import type { ConfusionCounts, GroupedConfusion } from './aggregates.js';
import { checkConfidence, defaultConfidence, wilsonInterval, type ConfidenceInterval } from './confidence-intervals.js';
import { measureDisparity, type Disparity, type GroupMeasurement } from './disparities.js';
import { fourFifthsRule, type FourFifthsResult } from './four-fifths.js';
import { defined, ratioOfCounts, undefinedBecause, type Measured } from './measured.js';

export const rateNames = [
  'selectionRate',
  'baseRate',
  'truePositiveRate',
  'falsePositiveRate',
  'falseNegativeRate',
  'trueNegativeRate',
  'positivePredictiveValue',
  'negativePredictiveValue',
  'falseDiscoveryRate',
  'falseOmissionRate',
  'accuracy',
] as const;

export type RateName = (typeof rateNames)[number];

export type GroupRates = Readonly<Record<RateName, Measured>>;

interface RateFraction {
  readonly numerator: number;
  readonly denominator: number;
  readonly emptyReason: string;
}

/** Returns the numerator and denominator of one rate, both counts of rows. */
export function rateFraction(rate: RateName, counts: ConfusionCounts): RateFraction {
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const size = tp + fp + tn + fn;
  switch (rate) {
    case 'selectionRate':
      return { numerator: tp + fp, denominator: size, emptyReason: 'the group has no rows' };
    case 'baseRate':
      return { numerator: tp + fn, denominator: size, emptyReason: 'the group has no rows' };
    case 'truePositiveRate':
      return { numerator: tp, denominator: tp + fn, emptyReason: 'no actual positives in the group' };
    case 'falsePositiveRate':
      return { numerator: fp, denominator: fp + tn, emptyReason: 'no actual negatives in the group' };
    case 'falseNegativeRate':
      return { numerator: fn, denominator: tp + fn, emptyReason: 'no actual positives in the group' };
    case 'trueNegativeRate':
      return { numerator: tn, denominator: fp + tn, emptyReason: 'no actual negatives in the group' };
    case 'positivePredictiveValue':
      return { numerator: tp, denominator: tp + fp, emptyReason: 'no predicted positives in the group' };
    case 'negativePredictiveValue':
      return { numerator: tn, denominator: tn + fn, emptyReason: 'no predicted negatives in the group' };
    case 'falseDiscoveryRate':
      return { numerator: fp, denominator: tp + fp, emptyReason: 'no predicted positives in the group' };
    case 'falseOmissionRate':
      return { numerator: fn, denominator: tn + fn, emptyReason: 'no predicted negatives in the group' };
    case 'accuracy':
      return { numerator: tp + tn, denominator: size, emptyReason: 'the group has no rows' };
  }
}

/**
 * Computes the eleven rates of one group (or of all rows) from its confusion counts:
 * selection rate (TP + FP) / n, base rate (TP + FN) / n, TPR = TP / (TP + FN), FPR = FP / (FP + TN),
 * FNR = FN / (TP + FN), TNR = TN / (FP + TN), PPV = TP / (TP + FP), NPV = TN / (TN + FN),
 * FDR = FP / (TP + FP), FOR = FN / (TN + FN) and accuracy (TP + TN) / n. Each lies in [0, 1] and is
 * undefined, with the reason, when its denominator is 0.
 */
export function groupRates(counts: ConfusionCounts): GroupRates {
  checkConfusionCounts(counts, 'the confusion counts');
  const rates = {} as Record<RateName, Measured>;
  for (const rate of rateNames) {
    const fraction = rateFraction(rate, counts);
    rates[rate] = ratioOfCounts(fraction.numerator, fraction.denominator, fraction.emptyReason);
  }
  return rates;
}

/** Throws a RangeError unless every count is a finite non-negative number. */
export function checkConfusionCounts(counts: ConfusionCounts, description: string): void {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`Confusion counts must be finite and non-negative, but ${name} of ${description} is ${value}`);
    }
  }
}

export function confusionSize(counts: ConfusionCounts): number {
  return counts.truePositives + counts.falsePositives + counts.trueNegatives + counts.falseNegatives;
}

export type ReferenceGroupChoice =
  | { readonly kind: 'largest' }
  | { readonly kind: 'most-favourable' }
  | { readonly kind: 'named'; readonly key: readonly (string | null)[] };

export interface FairnessOptions {
  /** Groups with fewer rows are flagged (default 30, see `defaultMinimumGroupSize`). */
  readonly minimumGroupSize?: number;
  /** The group every other group is compared with (default: the largest group). */
  readonly reference?: ReferenceGroupChoice;
  /** The prediction that is the favourable outcome for the people concerned (default `positive`, as for a hiring or loan decision). */
  readonly favourableOutcome?: 'positive' | 'negative';
  /** `group` (default) keeps rows with a missing sensitive value as an explicit group; `error` rejects them. */
  readonly missingValues?: 'group' | 'error';
  /** Confidence level of the Wilson intervals (default 0.95). */
  readonly confidence?: number;
}

/**
 * Default minimum group size: 30 rows, a common rule of thumb. It is no statistical guarantee: at
 * 30 rows a rate near 0.5 still has a 95 % Wilson interval about ±0.17 wide, which the intervals in
 * the report show.
 */
export const defaultMinimumGroupSize = 30;

export interface ResolvedFairnessOptions {
  readonly minimumGroupSize: number;
  readonly reference: ReferenceGroupChoice;
  readonly favourableOutcome: 'positive' | 'negative';
  readonly missingValues: 'group' | 'error';
  readonly confidence: number;
}

export interface RateEstimate {
  readonly value: Measured;
  readonly numerator: number;
  readonly denominator: number;
  readonly interval: ConfidenceInterval;
}

export interface GroupFairness {
  readonly key: readonly (string | null)[];
  readonly label: string;
  /** Whether the key contains a missing value: the explicit "missing" group. */
  readonly isMissing: boolean;
  readonly size: number;
  readonly counts: ConfusionCounts;
  readonly belowMinimumSize: boolean;
  readonly rates: Readonly<Record<RateName, RateEstimate>>;
}

export interface MetricDisparity extends Disparity {
  /** Reason for the choice of reference group, for example `largest group`. */
  readonly referenceChoice: string;
}

export interface ParityMeasure {
  readonly betweenGroups: { readonly difference: Measured; readonly ratio: Measured };
  readonly toOverall: { readonly difference: Measured; readonly ratio: Measured };
}

export interface FairnessReport {
  readonly attributes: readonly string[];
  readonly options: ResolvedFairnessOptions;
  readonly groups: readonly GroupFairness[];
  readonly overall: { readonly size: number; readonly counts: ConfusionCounts; readonly rates: Readonly<Record<RateName, RateEstimate>> };
  readonly disparities: Readonly<Record<RateName, MetricDisparity>>;
  /** Demographic parity (selection rate), equal opportunity (TPR), predictive parity (PPV), equalized odds (TPR and FPR). */
  readonly parity: {
    readonly demographicParity: ParityMeasure;
    readonly equalOpportunity: ParityMeasure;
    readonly predictiveParity: ParityMeasure;
    readonly equalizedOdds: { readonly worstCase: ParityMeasure; readonly mean: ParityMeasure };
  };
  readonly fourFifthsRule: FourFifthsResult;
  readonly warnings: readonly string[];
}

export const missingGroupLabel = '(missing)';

/**
 * Builds the fairness report of a binary classifier from confusion counts per group, where a
 * group is one value of one sensitive attribute or a combination of values of several (as
 * `GroupedConfusion` gives them). A group whose key contains null is the explicit missing group,
 * labelled "(missing)"; with `missingValues: 'error'` a non-empty missing group is rejected.
 *
 * Per group: size, counts, the eleven rates of `groupRates` with Wilson intervals, and a flag for
 * groups below `minimumGroupSize`. Per rate: disparities between groups (max - min, min / max),
 * to the overall value (Fairlearn's `to_overall`), and to the reference group (group - reference
 * and group / reference).
 *
 * The reference group is the largest group, the most favourable group for each rate, or a named
 * group. The most favourable group has the highest TPR, TNR, PPV, NPV or accuracy, or the lowest
 * FPR, FNR, FDR or FOR. For the selection rate and the base rate it has the highest value when
 * the positive prediction is favourable, else the lowest. Automatic choices skip the missing
 * group and groups below the minimum size unless no other group qualifies, and break ties by
 * size, then input order.
 *
 * Parity measures follow Fairlearn's definitions: demographic parity on the selection rate,
 * equal opportunity on TPR, predictive parity on PPV, and equalized odds as the worse (larger
 * difference, smaller ratio) or the mean of the TPR and FPR disparities.
 */
export function fairnessReport(grouped: GroupedConfusion, options: FairnessOptions = {}): FairnessReport {
  return buildFairnessReport(grouped, options, true);
}

/** Builds the report; `withIntervals: false` skips the Wilson intervals, for bootstrap replicates. */
export function buildFairnessReport(grouped: GroupedConfusion, options: FairnessOptions, withIntervals: boolean): FairnessReport {
  const resolved = resolveFairnessOptions(options);
  checkGroupedConfusion(grouped, resolved);
  const labels = uniqueLabels(grouped);
  const warnings: string[] = [];

  const groups = grouped.groups.map((group, index): GroupFairness => {
    const size = confusionSize(group.counts);
    return {
      key: group.key,
      label: labels[index] as string,
      isMissing: group.key.includes(null),
      size,
      counts: group.counts,
      belowMinimumSize: size < resolved.minimumGroupSize,
      rates: rateEstimates(group.counts, resolved.confidence, withIntervals),
    };
  });
  const overallCounts = sumCounts(grouped.groups.map((group) => group.counts));
  const overall = { size: confusionSize(overallCounts), counts: overallCounts, rates: rateEstimates(overallCounts, resolved.confidence, withIntervals) };

  const small = groups.filter((group) => group.belowMinimumSize).map((group) => `${group.label} (${group.size} rows)`);
  if (small.length > 0) warnings.push(`groups below the minimum size of ${resolved.minimumGroupSize} rows: ${small.join(', ')}`);

  const disparities = {} as Record<RateName, MetricDisparity>;
  for (const rate of rateNames) {
    const { label, choice } = chooseReference(groups, rate, resolved);
    const measurements = groups.map((group): GroupMeasurement => ({ label: group.label, value: group.rates[rate].value, belowMinimumSize: group.belowMinimumSize }));
    disparities[rate] = { ...measureDisparity(measurements, overall.rates[rate].value, label), referenceChoice: choice };
  }

  return {
    attributes: grouped.attributes,
    options: resolved,
    groups,
    overall,
    disparities,
    parity: parityMeasures(disparities),
    fourFifthsRule: fourFifthsRule(groups, resolved.favourableOutcome),
    warnings,
  };
}

export function resolveFairnessOptions(options: FairnessOptions): ResolvedFairnessOptions {
  const resolved: ResolvedFairnessOptions = {
    minimumGroupSize: options.minimumGroupSize ?? defaultMinimumGroupSize,
    reference: options.reference ?? { kind: 'largest' },
    favourableOutcome: options.favourableOutcome ?? 'positive',
    missingValues: options.missingValues ?? 'group',
    confidence: options.confidence ?? defaultConfidence,
  };
  if (!Number.isFinite(resolved.minimumGroupSize) || resolved.minimumGroupSize < 0) {
    throw new RangeError(`The minimum group size must be a non-negative number of rows, but it is ${resolved.minimumGroupSize}`);
  }
  checkConfidence(resolved.confidence);
  return resolved;
}

function checkGroupedConfusion(grouped: GroupedConfusion, options: ResolvedFairnessOptions): void {
  if (grouped.attributes.length === 0) throw new RangeError('A fairness report needs at least one sensitive attribute');
  const seen = new Set<string>();
  for (const group of grouped.groups) {
    if (group.key.length !== grouped.attributes.length) {
      throw new RangeError(
        `Group key ${JSON.stringify(group.key)} has ${group.key.length} values, but there are ${grouped.attributes.length} sensitive attributes (${grouped.attributes.join(', ')})`,
      );
    }
    const identity = JSON.stringify(group.key);
    if (seen.has(identity)) throw new RangeError(`Group key ${identity} occurs twice; merge its counts into one group`);
    seen.add(identity);
    checkConfusionCounts(group.counts, `group ${identity}`);
  }
  if (options.missingValues === 'error') rejectMissingValues(grouped);
}

function rejectMissingValues(grouped: GroupedConfusion): void {
  const missingRows = grouped.attributes.map((attribute, index) => {
    const rows = grouped.groups.filter((group) => group.key[index] === null).reduce((sum, group) => sum + confusionSize(group.counts), 0);
    return { attribute, rows };
  });
  const affected = missingRows.filter((entry) => entry.rows > 0);
  if (affected.length === 0) return;

  const summary = affected.map((entry) => `${entry.attribute} in ${entry.rows} rows`).join(', ');
  throw new RangeError(`Sensitive attribute values are missing: ${summary}; fill in the values, or keep those rows as a "missing" group with missingValues: 'group'`);
}

/** Labels each group by its values joined with " & ", null as "(missing)"; a label that would repeat falls back to the JSON of the key. */
function uniqueLabels(grouped: GroupedConfusion): string[] {
  const labels = grouped.groups.map((group) => groupLabel(group.key));
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, index) => ((counts.get(label) ?? 0) > 1 ? JSON.stringify(grouped.groups[index]?.key) : label));
}

export function groupLabel(key: readonly (string | null)[]): string {
  return key.map((value) => value ?? missingGroupLabel).join(' & ');
}

function rateEstimates(counts: ConfusionCounts, confidence: number, withIntervals: boolean): Record<RateName, RateEstimate> {
  const estimates = {} as Record<RateName, RateEstimate>;
  for (const rate of rateNames) {
    const { numerator, denominator, emptyReason } = rateFraction(rate, counts);
    const interval: ConfidenceInterval = withIntervals
      ? wilsonInterval(numerator, denominator, confidence)
      : { defined: false, reason: 'intervals were not requested', confidence, method: 'wilson' };
    estimates[rate] = { value: ratioOfCounts(numerator, denominator, emptyReason), numerator, denominator, interval };
  }
  return estimates;
}

export function sumCounts(all: readonly ConfusionCounts[]): ConfusionCounts {
  let truePositives = 0;
  let falsePositives = 0;
  let trueNegatives = 0;
  let falseNegatives = 0;
  for (const counts of all) {
    truePositives += counts.truePositives;
    falsePositives += counts.falsePositives;
    trueNegatives += counts.trueNegatives;
    falseNegatives += counts.falseNegatives;
  }
  return { truePositives, falsePositives, trueNegatives, falseNegatives };
}

/** Returns whether a higher value of the rate is better for the group. */
function isHigherFavourable(rate: RateName, favourableOutcome: 'positive' | 'negative'): boolean {
  switch (rate) {
    case 'selectionRate':
    case 'baseRate':
      return favourableOutcome === 'positive';
    case 'truePositiveRate':
    case 'trueNegativeRate':
    case 'positivePredictiveValue':
    case 'negativePredictiveValue':
    case 'accuracy':
      return true;
    case 'falsePositiveRate':
    case 'falseNegativeRate':
    case 'falseDiscoveryRate':
    case 'falseOmissionRate':
      return false;
  }
}

function chooseReference(groups: readonly GroupFairness[], rate: RateName, options: ResolvedFairnessOptions): { label: string | null; choice: string } {
  if (groups.length === 0) return { label: null, choice: 'no groups' };
  const reference = options.reference;

  if (reference.kind === 'named') {
    const wanted = JSON.stringify(reference.key);
    const found = groups.find((group) => JSON.stringify(group.key) === wanted);
    if (found === undefined) {
      throw new RangeError(`The reference group ${wanted} is not among the groups: ${groups.map((group) => JSON.stringify(group.key)).join(', ')}`);
    }
    return { label: found.label, choice: 'named group' };
  }

  const qualified = groups.filter((group) => !group.isMissing && !group.belowMinimumSize);
  const pool = qualified.length > 0 ? qualified : groups;
  const fallback = qualified.length > 0 ? '' : ' (no group outside the missing group reaches the minimum size)';

  if (reference.kind === 'largest') return { label: largestGroup(pool).label, choice: `largest group${fallback}` };

  const higherIsBetter = isHigherFavourable(rate, options.favourableOutcome);
  let best: GroupFairness | null = null;
  for (const group of pool) {
    const value = group.rates[rate].value;
    if (!value.defined) continue;
    if (best === null) {
      best = group;
      continue;
    }
    const bestValue = (best.rates[rate].value as { value: number }).value;
    const better = higherIsBetter ? value.value > bestValue : value.value < bestValue;
    if (better || (value.value === bestValue && group.size > best.size)) best = group;
  }
  if (best === null) return { label: largestGroup(pool).label, choice: `largest group, because no group has a defined ${rate}${fallback}` };
  return { label: best.label, choice: `most favourable ${rate}${fallback}` };
}

function largestGroup(groups: readonly GroupFairness[]): GroupFairness {
  let largest = groups[0] as GroupFairness;
  for (const group of groups) if (group.size > largest.size) largest = group;
  return largest;
}

function parityMeasures(disparities: Readonly<Record<RateName, MetricDisparity>>): FairnessReport['parity'] {
  const single = (rate: RateName): ParityMeasure => ({
    betweenGroups: { difference: disparities[rate].betweenGroups.difference, ratio: disparities[rate].betweenGroups.ratio },
    toOverall: { difference: disparities[rate].toOverall.difference, ratio: disparities[rate].toOverall.ratio },
  });
  const tpr = single('truePositiveRate');
  const fpr = single('falsePositiveRate');
  const mean = (a: number, b: number) => (a + b) / 2;

  return {
    demographicParity: single('selectionRate'),
    equalOpportunity: tpr,
    predictiveParity: single('positivePredictiveValue'),
    equalizedOdds: {
      // The worse of the two: the larger difference and the smaller ratio.
      worstCase: combineParity(tpr, fpr, Math.max, Math.min),
      mean: combineParity(tpr, fpr, mean, mean),
    },
  };
}

function combineParity(
  tpr: ParityMeasure,
  fpr: ParityMeasure,
  combineDifferences: (a: number, b: number) => number,
  combineRatios: (a: number, b: number) => number,
): ParityMeasure {
  return {
    betweenGroups: {
      difference: combine(tpr.betweenGroups.difference, fpr.betweenGroups.difference, combineDifferences),
      ratio: combine(tpr.betweenGroups.ratio, fpr.betweenGroups.ratio, combineRatios),
    },
    toOverall: {
      difference: combine(tpr.toOverall.difference, fpr.toOverall.difference, combineDifferences),
      ratio: combine(tpr.toOverall.ratio, fpr.toOverall.ratio, combineRatios),
    },
  };
}

/** Combines the TPR and FPR disparities; undefined, with the reason, when either is. */
function combine(tpr: Measured, fpr: Measured, operation: (a: number, b: number) => number): Measured {
  const warnings = [...new Set([...tpr.warnings, ...fpr.warnings])];
  if (!tpr.defined) return undefinedBecause(`the TPR disparity is undefined: ${tpr.reason}`, warnings);
  if (!fpr.defined) return undefinedBecause(`the FPR disparity is undefined: ${fpr.reason}`, warnings);
  return defined(operation(tpr.value, fpr.value), warnings);
}
