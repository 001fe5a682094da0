/**
 * The first Wasserstein (earth mover's) distance between the empirical distributions of two
 * samples of a numerical column, computed from pooled value counts.
 *
 * Definition: W = ∫ |F_ref(x) − F_cur(x)| dx, which for step functions is the sum over
 * consecutive distinct pooled values z_i < z_{i+1} of |F_ref(z_i) − F_cur(z_i)| (z_{i+1} − z_i).
 * This is scipy.stats.wasserstein_distance (SciPy 1.10.1) without weights. Range [0, ∞), in the
 * unit of the column; 0 exactly when both samples have the same distribution of values. Tied
 * values are handled by the pooled counts: a value shared by both samples moves both functions.
 *
 * Missing and infinite values are left out with a warning (with an infinite value SciPy returns
 * inf or nan). The distance is undefined when a sample has no finite values.
 */

import type { PooledValueCounts } from '../aggregates.js';
import { defined, undefinedBecause, type Measured } from '../measured.js';
import { CompensatedSum } from '../special-functions/summation.js';
import { emptySampleReason, excludedValueWarnings, validatePooledValueCounts, type SampleSizes } from './pooled-values.js';

function distanceBetweenDistributions(pooled: PooledValueCounts, sizes: SampleSizes): number {
  const sum = new CompensatedSum();
  let referenceCumulative = 0;
  let currentCumulative = 0;
  for (let i = 0; i + 1 < pooled.values.length; i += 1) {
    referenceCumulative += pooled.referenceCounts[i]!;
    currentCumulative += pooled.currentCounts[i]!;
    const gap = pooled.values[i + 1]! - pooled.values[i]!;
    sum.add(Math.abs(referenceCumulative / sizes.reference - currentCumulative / sizes.current) * gap);
  }
  return sum.value;
}

/** Returns the population standard deviation (divisor n) of the reference sample, by the two-pass formula. */
function referenceStandardDeviation(pooled: PooledValueCounts, size: number): number {
  const total = new CompensatedSum();
  for (let i = 0; i < pooled.values.length; i += 1) total.add(pooled.values[i]! * pooled.referenceCounts[i]!);
  const mean = total.value / size;

  const squares = new CompensatedSum();
  for (let i = 0; i < pooled.values.length; i += 1) {
    const count = pooled.referenceCounts[i]!;
    if (count > 0) squares.add(count * (pooled.values[i]! - mean) ** 2);
  }
  return Math.sqrt(squares.value / size);
}

/** Returns the distance with the sample sizes it was computed from. */
function measureDistance(pooled: PooledValueCounts): { sizes: SampleSizes; distance: Measured } {
  const sizes = validatePooledValueCounts(pooled);
  const warnings = excludedValueWarnings(pooled, sizes);
  const emptyReason = emptySampleReason(pooled, sizes);
  if (emptyReason !== null) return { sizes, distance: undefinedBecause(`${emptyReason}, so the distance is undefined`, warnings) };
  return { sizes, distance: defined(distanceBetweenDistributions(pooled, sizes), warnings) };
}

/**
 * Computes the Wasserstein distance between the reference and the current sample; see the module
 * comment. Throws a RangeError for a malformed aggregate.
 */
export function wassersteinDistance(pooled: PooledValueCounts): Measured {
  return measureDistance(pooled).distance;
}

/**
 * Computes the Wasserstein distance divided by the population standard deviation (divisor n) of
 * the reference sample, a unit-free measure of the shift: a value of 0.1 means the current
 * distribution moved by a tenth of the reference spread. Undefined when the reference sample is
 * constant, because every nonzero shift of a constant column is infinitely many standard
 * deviations. Evidently's `wasserstein` test divides by max(σ, 0.001) instead, so its result
 * depends on the unit of the column. Also undefined when a sample has no finite values.
 */
export function wassersteinNormalized(pooled: PooledValueCounts): Measured {
  const { sizes, distance } = measureDistance(pooled);
  if (!distance.defined) return distance;

  const spread = referenceStandardDeviation(pooled, sizes.reference);
  if (spread === 0) {
    return undefinedBecause(
      'the reference sample is constant (standard deviation 0), so the distance cannot be expressed in reference standard deviations',
      distance.warnings,
    );
  }
  return defined(distance.value / spread, distance.warnings);
}
