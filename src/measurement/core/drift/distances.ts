import { defined, undefinedBecause, type Measured } from '../measured.js';

/**
 * Distances between two distributions given as count vectors of equal length: bin i of the
 * reference counts and bin i of the current counts describe the same bin or category. The
 * vectors come from binning.ts (`alignBinnedCounts`, `alignCategoryCounts`). Counts may be
 * weights (any finite value >= 0); each side is divided by its own total.
 *
 * Empty bins. PSI and KL divergence are infinite when a bin is empty on one side only, so they
 * use additive smoothing on the shares: bins empty on both sides are dropped first, then
 * epsilon (default 1e-4) is added to every remaining share of both sides and each side is
 * divided by 1 + k * epsilon (k = remaining bins), so both stay distributions that sum to 1.
 * Evidently instead replaces each zero share by 1e-4 (or the smallest share / 1e6) and does
 * not renormalise for PSI, so its shares sum to more than 1 (`get_binned_data` in
 * evidently/legacy/calculations/stattests/utils.py at commit 05d85bbb). Jensen-Shannon,
 * Hellinger and total variation are finite with empty bins and use the unsmoothed shares.
 */

/** Epsilon added to every share before PSI and KL divergence, unless the caller passes another. */
export const defaultSmoothingEpsilon = 1e-4;

export interface SmoothingOptions {
  /** Added to every share of both sides before renormalising; 0 turns smoothing off. */
  readonly epsilon?: number;
}

/**
 * Computes the population stability index, sum over bins of (q - p) * ln(q / p) with p the
 * reference share and q the current share, after the smoothing described in the file header.
 * Range 0 to infinity; 0 for equal distributions. PSI is the symmetrised KL divergence,
 * KL(p || q) + KL(q || p), in nats. Common reading: below 0.1 no shift, 0.1 to 0.25 a moderate
 * shift, above 0.25 a major shift. Undefined when a side has no counts, or when `epsilon` is 0
 * and a bin is empty on one side only (the value would be infinite).
 */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[], options: SmoothingOptions = {}): Measured {
  const shares = smoothedShares(reference, current, options);
  if (!shares.defined) return undefinedBecause(shares.reason);
  const { p, q, warnings } = shares;

  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === qi) continue;
    if (pi === 0 || qi === 0) {
      return undefinedBecause(`bin ${shares.bins[i]} is empty on one side only and smoothing is off (epsilon 0), so PSI is infinite; use an epsilon above 0`, warnings);
    }
    sum += (qi - pi) * Math.log(qi / pi);
  }
  return defined(sum, warnings);
}

/**
 * Computes the Kullback-Leibler divergence KL(reference || current) = sum of p * ln(p / q), in
 * nats, after the smoothing described in the file header. The direction matches
 * `scipy.stats.entropy(reference, current)`. It measures the information lost when the
 * current distribution replaces the reference. Range 0 to
 * infinity, not symmetric. Undefined when a side has no counts, or when `epsilon` is 0 and a
 * bin has reference counts but no current counts (the value would be infinite).
 */
export function kullbackLeibler(reference: readonly number[], current: readonly number[], options: SmoothingOptions = {}): Measured {
  const shares = smoothedShares(reference, current, options);
  if (!shares.defined) return undefinedBecause(shares.reason);
  const { p, q, warnings } = shares;

  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) continue;
    if (qi === 0) {
      return undefinedBecause(`bin ${shares.bins[i]} has reference counts but no current counts and smoothing is off (epsilon 0), so KL is infinite; use an epsilon above 0`, warnings);
    }
    sum += pi * Math.log(pi / qi);
  }
  return defined(Math.max(0, sum), warnings);
}

/**
 * Computes the Jensen-Shannon distance in base 2: the square root of
 * JSD = (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2 and logarithms in base 2. Range 0
 * (equal distributions) to 1 (disjoint supports). No smoothing: an empty bin contributes 0.
 * Equals `scipy.spatial.distance.jensenshannon(reference, current, base=2)` and NannyML's
 * value. Evidently's `jensenshannon` (stattests/jensenshannon.py at commit 2841e3ec) passes no
 * base to SciPy and so uses the natural logarithm, whose range is 0 to
 * sqrt(ln 2) = 0.8326, so an Evidently value is this value times 0.8326, and Evidently's
 * default threshold 0.1 corresponds to 0.120 here. Undefined when a side has no counts.
 */
export function jensenShannonDistance(reference: readonly number[], current: readonly number[]): Measured {
  const shares = normalizedShares(reference, current);
  if (!shares.defined) return undefinedBecause(shares.reason);
  const { p, q } = shares;

  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    const mi = (pi + qi) / 2;
    if (pi > 0) sum += pi * Math.log(pi / mi);
    if (qi > 0) sum += qi * Math.log(qi / mi);
  }
  const divergence = sum / 2 / Math.LN2;
  return defined(Math.min(1, Math.sqrt(Math.max(0, divergence))));
}

/**
 * Computes the Hellinger distance sqrt(sum of (sqrt p - sqrt q)^2 / 2), which equals
 * sqrt(1 - BC) with BC the Bhattacharyya coefficient sum of sqrt(p * q). Range 0 (equal) to 1
 * (disjoint supports). No smoothing. The sum-of-squares form cannot go below 0 through
 * rounding, so no clipping is needed (Evidently computes sqrt(1 - BC) and clips BC to 0..1).
 * Same definition as NannyML and whylogs. Undefined when a side has no counts.
 */
export function hellingerDistance(reference: readonly number[], current: readonly number[]): Measured {
  const shares = normalizedShares(reference, current);
  if (!shares.defined) return undefinedBecause(shares.reason);
  const { p, q } = shares;

  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const difference = Math.sqrt(p[i]!) - Math.sqrt(q[i]!);
    sum += difference * difference;
  }
  return defined(Math.min(1, Math.sqrt(sum / 2)));
}

/**
 * Computes the total variation distance, half the sum of |p - q| over bins: the largest
 * difference in probability that the two distributions give to any set of bins, or the share
 * of one sample that would have to move to turn it into the other. Range 0 to 1. No
 * smoothing. Evidently reports only a permutation p-value of this distance, not the distance.
 * Undefined when a side has no counts.
 */
export function totalVariationDistance(reference: readonly number[], current: readonly number[]): Measured {
  const shares = normalizedShares(reference, current);
  if (!shares.defined) return undefinedBecause(shares.reason);
  const { p, q } = shares;

  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - q[i]!);
  return defined(Math.min(1, sum / 2));
}

type Shares =
  | { readonly defined: true; readonly p: number[]; readonly q: number[]; readonly bins: number[]; readonly warnings: string[] }
  | { readonly defined: false; readonly reason: string };

/** Divides each side by its total. Throws a RangeError on vectors of different length or invalid counts. */
function normalizedShares(reference: readonly number[], current: readonly number[]): Shares {
  validateCountVectors(reference, current);
  const referenceTotal = sumOf(reference);
  const currentTotal = sumOf(current);
  if (referenceTotal === 0) return { defined: false, reason: 'the reference sample has no counts in any bin' };
  if (currentTotal === 0) return { defined: false, reason: 'the current sample has no counts in any bin' };

  return {
    defined: true,
    p: reference.map((count) => count / referenceTotal),
    q: current.map((count) => count / currentTotal),
    bins: reference.map((_, index) => index),
    warnings: [],
  };
}

/** Applies the smoothing of the file header: drop bins empty on both sides, add epsilon, renormalise. */
function smoothedShares(reference: readonly number[], current: readonly number[], options: SmoothingOptions): Shares {
  const epsilon = options.epsilon ?? defaultSmoothingEpsilon;
  if (!Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`Smoothing epsilon must be a finite number >= 0, received ${epsilon}; use the default ${defaultSmoothingEpsilon} or 0 to turn smoothing off`);
  }
  const shares = normalizedShares(reference, current);
  if (!shares.defined) return shares;

  const bins = shares.bins.filter((bin) => shares.p[bin]! > 0 || shares.q[bin]! > 0);
  const emptyOnOneSide = bins.filter((bin) => shares.p[bin] === 0 || shares.q[bin] === 0).length;
  const scale = 1 + bins.length * epsilon;
  const warnings =
    emptyOnOneSide > 0 && epsilon > 0
      ? [`${emptyOnOneSide} of ${bins.length} bins are empty in one sample only; their shares were smoothed with epsilon ${epsilon}`]
      : [];

  return {
    defined: true,
    p: bins.map((bin) => (shares.p[bin]! + epsilon) / scale),
    q: bins.map((bin) => (shares.q[bin]! + epsilon) / scale),
    bins,
    warnings,
  };
}

function validateCountVectors(reference: readonly number[], current: readonly number[]): void {
  if (reference.length !== current.length) {
    throw new RangeError(
      `Count vectors must have one entry per bin on both sides, received ${reference.length} reference and ${current.length} current entries; align them with alignBinnedCounts or alignCategoryCounts`,
    );
  }
  for (const [side, counts] of [['reference', reference], ['current', current]] as const) {
    const index = counts.findIndex((count) => !Number.isFinite(count) || count < 0);
    if (index >= 0) throw new RangeError(`Counts must be finite numbers >= 0, received ${counts[index]} at ${side} bin ${index}`);
  }
}

function sumOf(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}
