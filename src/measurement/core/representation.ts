/**
 * Protected attributes in training data: how well each group is represented against a reference
 * population, and how far the rate of positive labels differs between groups.
 */
import type { CategoryCounts } from './aggregates.js';
import { checkConfidence, defaultConfidence, wilsonInterval, type ConfidenceInterval } from './confidence-intervals.js';
import { measureDisparity, type Disparity } from './disparities.js';
import { defined, ratioOfCounts, undefinedBecause, type Measured } from './measured.js';

export interface RepresentationOptions {
  /**
   * A group is flagged when its share divided by its reference share is below this bound or
   * above its reciprocal (default 0.8, so the accepted band is 0.8 to 1.25, the band Aequitas
   * uses for disparities).
   */
  readonly minimumRatio?: number;
  /** A group is also flagged when |share − reference share| exceeds this (default: not used). */
  readonly maximumAbsoluteDifference?: number | null;
}

export const defaultRepresentationMinimumRatio = 0.8;

export interface GroupRepresentation {
  readonly group: string;
  readonly count: number;
  /** Share among the rows with a known value. */
  readonly share: Measured;
  /** Share in the reference population; undefined for a group the reference does not list. */
  readonly referenceShare: Measured;
  /** share − reference share. */
  readonly difference: Measured;
  /** share / reference share. */
  readonly ratio: Measured;
  readonly flagged: boolean;
  /** Reasons for the flag; empty when the group is not flagged. */
  readonly flagReasons: readonly string[];
}

export interface RepresentationReport {
  readonly groups: readonly GroupRepresentation[];
  /** Rows whose value is missing, and their share of all rows; missing rows are not in the shares. */
  readonly missing: { readonly count: number; readonly shareOfAllRows: Measured };
  readonly options: { readonly minimumRatio: number; readonly maximumAbsoluteDifference: number | null };
  readonly warnings: readonly string[];
}

/**
 * Compares the share of each group in the data with its share in a reference population (for
 * example census figures). Shares in the data are taken among rows with a known value. The
 * reference shares must be non-negative and sum to at most 1. A sum below 1 leaves the rest to
 * groups the reference does not list, with a warning.
 *
 * Per group: share, reference share, difference (share − reference) and ratio (share /
 * reference). A group is flagged when the ratio lies outside [minimumRatio, 1 / minimumRatio],
 * when |difference| exceeds `maximumAbsoluteDifference` (if given), when the reference lists it
 * but the data has no row of it, or when the data has it but the reference does not list it.
 * The ratio is undefined when the reference share is 0 or the group is not listed.
 */
export function representation(observed: CategoryCounts, referenceShares: ReadonlyMap<string, number>, options: RepresentationOptions = {}): RepresentationReport {
  const minimumRatio = options.minimumRatio ?? defaultRepresentationMinimumRatio;
  const maximumAbsoluteDifference = options.maximumAbsoluteDifference ?? null;
  if (!(minimumRatio > 0 && minimumRatio <= 1)) throw new RangeError(`The minimum representation ratio must lie in (0, 1], for example 0.8, but it is ${minimumRatio}`);
  if (maximumAbsoluteDifference !== null && !(maximumAbsoluteDifference >= 0 && maximumAbsoluteDifference <= 1)) {
    throw new RangeError(`The maximum absolute share difference must lie in [0, 1], but it is ${maximumAbsoluteDifference}`);
  }
  const warnings = checkReferenceShares(referenceShares);
  for (const [group, count] of observed.counts) {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`Category counts must be finite and non-negative, but group ${group} has ${count}`);
  }

  let known = 0;
  for (const count of observed.counts.values()) known += count;
  const names = [...observed.counts.keys()];
  for (const name of referenceShares.keys()) if (!observed.counts.has(name)) names.push(name);

  const groups = names.map((group): GroupRepresentation => {
    const count = observed.counts.get(group) ?? 0;
    const share = ratioOfCounts(count, known, 'no row has a known value');
    const reference = referenceShares.get(group);
    const referenceShare = reference === undefined ? undefinedBecause('the reference population does not list this group') : defined(reference);
    return compareShares(group, count, share, referenceShare, minimumRatio, maximumAbsoluteDifference);
  });

  const total = known + observed.missing;
  if (observed.missing > 0) warnings.push(`the value is missing in ${observed.missing} of ${total} rows, which are left out of the shares`);
  return {
    groups,
    missing: { count: observed.missing, shareOfAllRows: ratioOfCounts(observed.missing, total, 'no rows') },
    options: { minimumRatio, maximumAbsoluteDifference },
    warnings,
  };
}

function checkReferenceShares(referenceShares: ReadonlyMap<string, number>): string[] {
  let sum = 0;
  for (const [group, share] of referenceShares) {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`Reference shares must lie in [0, 1], but group ${group} has ${share}`);
    sum += share;
  }
  if (sum > 1 + 1e-9) throw new RangeError(`Reference shares must sum to at most 1, but they sum to ${sum}; give shares, not counts or percentages`);
  return sum < 1 - 1e-9 ? [`the reference shares sum to ${sum}, so ${1 - sum} belongs to groups the reference does not list`] : [];
}

function compareShares(
  group: string,
  count: number,
  share: Measured,
  referenceShare: Measured,
  minimumRatio: number,
  maximumAbsoluteDifference: number | null,
): GroupRepresentation {
  const flagReasons: string[] = [];
  if (!referenceShare.defined) {
    if (count > 0) flagReasons.push('the group occurs in the data but not in the reference population');
    const reason = referenceShare.reason;
    return { group, count, share, referenceShare, difference: undefinedBecause(reason), ratio: undefinedBecause(reason), flagged: flagReasons.length > 0, flagReasons };
  }
  if (!share.defined) {
    const reason = share.reason;
    return { group, count, share, referenceShare, difference: undefinedBecause(reason), ratio: undefinedBecause(reason), flagged: false, flagReasons };
  }

  if (count === 0 && referenceShare.value > 0) flagReasons.push('the reference population has the group but the data has no row of it');
  const differenceValue = share.value - referenceShare.value;
  const ratio = referenceShare.value === 0 ? undefinedBecause('the reference share is 0') : defined(share.value / referenceShare.value);
  if (ratio.defined && (ratio.value < minimumRatio || ratio.value > 1 / minimumRatio)) {
    flagReasons.push(`share / reference share is ${ratio.value.toFixed(3)}, outside [${minimumRatio}, ${(1 / minimumRatio).toFixed(3)}]`);
  }
  if (maximumAbsoluteDifference !== null && Math.abs(differenceValue) > maximumAbsoluteDifference) {
    flagReasons.push(`share − reference share is ${differenceValue.toFixed(4)}, beyond ±${maximumAbsoluteDifference}`);
  }
  return { group, count, share, referenceShare, difference: defined(differenceValue), ratio, flagged: flagReasons.length > 0, flagReasons };
}

/** Per group of training data: rows with a positive label and rows with a negative label. */
export interface GroupLabelCounts {
  readonly group: string;
  readonly positives: number;
  readonly negatives: number;
}

export interface LabelRateOptions {
  /** The between-groups ratio (lowest / highest label rate) is flagged below this (default 0.8). */
  readonly minimumRatio?: number;
  /** The between-groups difference (highest − lowest label rate) is flagged above this (default: not used). */
  readonly maximumDifference?: number | null;
  /** Groups with fewer rows are flagged (default 30). */
  readonly minimumGroupSize?: number;
  /** Confidence level of the Wilson intervals (default 0.95). */
  readonly confidence?: number;
}

export interface LabelRateReport {
  readonly groups: readonly {
    readonly group: string;
    readonly size: number;
    readonly labelRate: Measured;
    readonly interval: ConfidenceInterval;
    readonly belowMinimumSize: boolean;
  }[];
  readonly overall: Measured;
  readonly disparity: Disparity;
  readonly flagged: boolean;
  readonly flagReasons: readonly string[];
}

/**
 * Measures label-rate disparity in training data: the share of positive labels per group (the
 * base rate), with Wilson intervals, and its disparities between groups and to the overall rate
 * as in `measureDisparity`. The data is flagged when lowest / highest falls below `minimumRatio`
 * or highest − lowest exceeds `maximumDifference`. A large gap means a model trained on the data
 * can learn the group from the label, whatever the cause of the gap.
 */
export function labelRateDisparity(groups: readonly GroupLabelCounts[], options: LabelRateOptions = {}): LabelRateReport {
  const minimumRatio = options.minimumRatio ?? defaultRepresentationMinimumRatio;
  const maximumDifference = options.maximumDifference ?? null;
  const minimumGroupSize = options.minimumGroupSize ?? 30;
  const confidence = options.confidence ?? defaultConfidence;
  checkConfidence(confidence);
  if (!(minimumRatio > 0 && minimumRatio <= 1)) throw new RangeError(`The minimum label-rate ratio must lie in (0, 1], for example 0.8, but it is ${minimumRatio}`);

  let positives = 0;
  let total = 0;
  const rows = groups.map((entry) => {
    if (!(entry.positives >= 0 && entry.negatives >= 0 && Number.isFinite(entry.positives + entry.negatives))) {
      throw new RangeError(`Label counts must be finite and non-negative, but group ${entry.group} has ${entry.positives} positives and ${entry.negatives} negatives`);
    }
    const size = entry.positives + entry.negatives;
    positives += entry.positives;
    total += size;
    return {
      group: entry.group,
      size,
      labelRate: ratioOfCounts(entry.positives, size, 'the group has no rows'),
      interval: wilsonInterval(entry.positives, size, confidence),
      belowMinimumSize: size < minimumGroupSize,
    };
  });

  const overall = ratioOfCounts(positives, total, 'no rows');
  const disparity = measureDisparity(rows.map((row) => ({ label: row.group, value: row.labelRate, belowMinimumSize: row.belowMinimumSize })), overall);
  const flagReasons: string[] = [];
  const { ratio, difference } = disparity.betweenGroups;
  if (ratio.defined && ratio.value < minimumRatio) flagReasons.push(`lowest / highest label rate is ${ratio.value.toFixed(3)}, below ${minimumRatio}`);
  if (maximumDifference !== null && difference.defined && difference.value > maximumDifference) {
    flagReasons.push(`highest − lowest label rate is ${difference.value.toFixed(4)}, above ${maximumDifference}`);
  }
  return { groups: rows, overall, disparity, flagged: flagReasons.length > 0, flagReasons };
}
