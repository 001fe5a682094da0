/**
 * Seeded, group-stratified bootstrap intervals for the disparities of a fairness report.
 */
import type { ConfusionCounts, GroupedConfusion } from './aggregates.js';
import { checkConfidence, defaultConfidence, type ConfidenceInterval } from './confidence-intervals.js';
import { buildFairnessReport, confusionSize, rateNames, type FairnessOptions, type FairnessReport, type ParityMeasure, type RateName } from './fairness.js';
import { defined, undefinedBecause, type Measured } from './measured.js';
import { sampleMultinomial, Xoshiro128StarStar } from './random.js';

export interface BootstrapOptions extends FairnessOptions {
  /** Number of bootstrap replicates (default 1000). */
  readonly replicates?: number;
  /** Seed of the xoshiro128** generator, an integer in [0, 2^53) (default 0). The same seed gives the same intervals. */
  readonly seed?: number;
}

export const defaultBootstrapReplicates = 1000;
export const defaultBootstrapSeed = 0;

export interface BootstrapInterval {
  /** Dotted name of the statistic, for example `truePositiveRate.betweenGroups.difference`. */
  readonly statistic: string;
  /** The value on the observed data. */
  readonly estimate: Measured;
  readonly interval: ConfidenceInterval;
  /** Replicates whose value entered the interval. */
  readonly usedReplicates: number;
  /** Replicates left out because the value was undefined or covered other groups than the observed value. */
  readonly excludedReplicates: number;
  readonly warnings: readonly string[];
}

export interface BootstrapResult {
  readonly seed: number;
  readonly replicates: number;
  readonly confidence: number;
  readonly method: string;
  readonly intervals: readonly BootstrapInterval[];
}

interface Statistic {
  readonly value: Measured;
  /** The rates the statistic is computed from. */
  readonly rates: readonly RateName[];
}

/**
 * Computes percentile bootstrap intervals for every disparity of `fairnessReport(grouped, options)`:
 * per rate the between-groups and to-overall difference and ratio and the difference and ratio
 * of each group to the reference group, and the parity measures.
 *
 * Resampling is stratified by group: each replicate draws, for every group, as many rows as the
 * group has, with replacement, from that group's own rows. From counts that is one multinomial
 * draw of the group size over the group's four confusion cells with the observed cell shares, so
 * every group keeps its size and no small group drops out of a replicate. (Fairlearn's bootstrap
 * resamples all rows together, so a small group can be absent from a replicate.) Draws come from
 * xoshiro128** seeded with `seed`, through exact binomial draws, so the same input, options and
 * seed always give the same intervals.
 *
 * The interval bounds are the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the
 * replicate values, with the linear interpolation that numpy.quantile uses by default.
 *
 * A replicate is left out of one statistic when its value is undefined there. It is also left
 * out when a rate of some group became undefined in the replicate (for example no actual
 * positives were drawn), because the disparity would then cover other groups than the observed
 * one. The count of left-out replicates comes with a warning. The reference group of each rate
 * stays the one chosen on the observed data.
 */
export function bootstrapDisparities(grouped: GroupedConfusion, options: BootstrapOptions = {}): BootstrapResult {
  const replicates = options.replicates ?? defaultBootstrapReplicates;
  const seed = options.seed ?? defaultBootstrapSeed;
  const confidence = options.confidence ?? defaultConfidence;
  checkConfidence(confidence);
  if (!Number.isSafeInteger(replicates) || replicates < 1) {
    throw new RangeError(`The number of bootstrap replicates must be a positive integer, for example 1000, but it is ${replicates}`);
  }
  for (const group of grouped.groups) {
    for (const [name, value] of Object.entries(group.counts)) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`The bootstrap needs whole row counts, but ${name} of group ${JSON.stringify(group.key)} is ${value}`);
      }
    }
  }

  const observed = buildFairnessReport(grouped, options, false);
  const referenceLabels = referenceLabelsOf(observed);
  const observedStatistics = statisticsOf(observed, referenceLabels);
  const observedSkipped = skippedGroupsOf(observed);
  const names = [...observedStatistics.keys()];
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  const excluded = new Map<string, number>(names.map((name) => [name, 0]));

  const random = new Xoshiro128StarStar(seed);
  for (let replicate = 0; replicate < replicates; replicate += 1) {
    const resampled: GroupedConfusion = {
      attributes: grouped.attributes,
      groups: grouped.groups.map((group) => ({ key: group.key, counts: resampleCounts(random, group.counts) })),
    };
    const report = buildFairnessReport(resampled, options, false);
    const statistics = statisticsOf(report, referenceLabels);
    const skipped = skippedGroupsOf(report);

    for (const name of names) {
      const statistic = statistics.get(name);
      const comparable = statistic !== undefined && statistic.rates.every((rate) => skipped.get(rate) === observedSkipped.get(rate));
      if (statistic !== undefined && comparable && statistic.value.defined) samples.get(name)?.push(statistic.value.value);
      else excluded.set(name, (excluded.get(name) ?? 0) + 1);
    }
  }

  const intervals = names.map((name): BootstrapInterval => {
    const estimate = (observedStatistics.get(name) as Statistic).value;
    const values = (samples.get(name) as number[]).sort((a, b) => a - b);
    const excludedReplicates = excluded.get(name) ?? 0;
    const warnings = estimate.defined && excludedReplicates > 0 ? [`${excludedReplicates} of ${replicates} replicates were left out because the value was undefined or covered other groups`] : [];
    return { statistic: name, estimate, interval: percentileInterval(values, estimate, confidence), usedReplicates: values.length, excludedReplicates, warnings };
  });
  return { seed, replicates, confidence, method: 'percentile bootstrap, stratified by group', intervals };
}

/** Resamples one group: a multinomial draw of its size over its four confusion cells. */
function resampleCounts(random: Xoshiro128StarStar, counts: ConfusionCounts): ConfusionCounts {
  const size = confusionSize(counts);
  if (size === 0) return counts;
  const cells = [counts.truePositives, counts.falsePositives, counts.trueNegatives, counts.falseNegatives];
  const [truePositives, falsePositives, trueNegatives, falseNegatives] = sampleMultinomial(random, size, cells) as [number, number, number, number];
  return { truePositives, falsePositives, trueNegatives, falseNegatives };
}

function referenceLabelsOf(report: FairnessReport): Map<RateName, string | null> {
  return new Map(rateNames.map((rate) => [rate, report.disparities[rate].toReference?.reference ?? null]));
}

function skippedGroupsOf(report: FairnessReport): Map<RateName, string> {
  return new Map(rateNames.map((rate) => [rate, report.disparities[rate].skippedGroups.join('\u0000')]));
}

/** Flattens the disparities of a report into named statistics, each with the rates it depends on. */
function statisticsOf(report: FairnessReport, referenceLabels: ReadonlyMap<RateName, string | null>): Map<string, Statistic> {
  const statistics = new Map<string, Statistic>();
  for (const rate of rateNames) {
    const disparity = report.disparities[rate];
    const rates = [rate];
    statistics.set(`${rate}.betweenGroups.difference`, { value: disparity.betweenGroups.difference, rates });
    statistics.set(`${rate}.betweenGroups.ratio`, { value: disparity.betweenGroups.ratio, rates });
    statistics.set(`${rate}.toOverall.difference`, { value: disparity.toOverall.difference, rates });
    statistics.set(`${rate}.toOverall.ratio`, { value: disparity.toOverall.ratio, rates });

    const referenceLabel = referenceLabels.get(rate) ?? null;
    const reference = report.groups.find((group) => group.label === referenceLabel);
    if (reference === undefined) continue;
    for (const group of report.groups) {
      if (group === reference) continue;
      const { difference, ratio } = compareToReference(group.rates[rate].value, reference.rates[rate].value);
      statistics.set(`${rate}.toReference.${group.label}.difference`, { value: difference, rates: [] });
      statistics.set(`${rate}.toReference.${group.label}.ratio`, { value: ratio, rates: [] });
    }
  }

  const parity = report.parity;
  addParity(statistics, 'demographicParity', parity.demographicParity, ['selectionRate']);
  addParity(statistics, 'equalOpportunity', parity.equalOpportunity, ['truePositiveRate']);
  addParity(statistics, 'predictiveParity', parity.predictiveParity, ['positivePredictiveValue']);
  addParity(statistics, 'equalizedOdds.worstCase', parity.equalizedOdds.worstCase, ['truePositiveRate', 'falsePositiveRate']);
  addParity(statistics, 'equalizedOdds.mean', parity.equalizedOdds.mean, ['truePositiveRate', 'falsePositiveRate']);
  return statistics;
}

function addParity(statistics: Map<string, Statistic>, name: string, measure: ParityMeasure, rates: readonly RateName[]): void {
  statistics.set(`${name}.betweenGroups.difference`, { value: measure.betweenGroups.difference, rates });
  statistics.set(`${name}.betweenGroups.ratio`, { value: measure.betweenGroups.ratio, rates });
  statistics.set(`${name}.toOverall.difference`, { value: measure.toOverall.difference, rates });
  statistics.set(`${name}.toOverall.ratio`, { value: measure.toOverall.ratio, rates });
}

function compareToReference(group: Measured, reference: Measured): { difference: Measured; ratio: Measured } {
  if (!group.defined || !reference.defined) {
    const reason = !group.defined ? group.reason : `the reference group has no value: ${(reference as { reason: string }).reason}`;
    return { difference: undefinedBecause(reason), ratio: undefinedBecause(reason) };
  }
  const difference = defined(group.value - reference.value);
  const ratio = reference.value === 0 ? undefinedBecause('the reference group has the value 0') : defined(group.value / reference.value);
  return { difference, ratio };
}

/**
 * Returns the q-quantile (0 <= q <= 1) of ascending `sorted` values with linear interpolation
 * between order statistics, numpy.quantile's default (`linear`, Hyndman and Fan type 7).
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('A quantile needs at least one value');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`A quantile level must lie in [0, 1], but it is ${q}`);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lowerValue = sorted[below] as number;
  const upperValue = sorted[above] as number;
  return lowerValue + (position - below) * (upperValue - lowerValue);
}

function percentileInterval(sorted: readonly number[], estimate: Measured, confidence: number): ConfidenceInterval {
  const method = 'bootstrap-percentile';
  if (!estimate.defined) return { defined: false, reason: `the observed value is undefined: ${estimate.reason}`, confidence, method };
  if (sorted.length === 0) return { defined: false, reason: 'no replicate gave a comparable value', confidence, method };
  const tail = (1 - confidence) / 2;
  return { defined: true, lower: quantileOfSorted(sorted, tail), upper: quantileOfSorted(sorted, 1 - tail), confidence, method };
}
