/**
 * The two-sided two-sample Kolmogorov-Smirnov test, computed from pooled value counts so that
 * the data layer only has to sort and count, never ship rows.
 *
 * Statistic: D = max_x |F_ref(x) − F_cur(x)| over the empirical distribution functions, which is
 * evaluated after each distinct pooled value, so tied values move both functions at once (the
 * ties handling of scipy.stats.ks_2samp). Range [0, 1]: 0 when both samples have the same
 * distribution of values, 1 when every value of one sample lies below every value of the other.
 *
 * P-value, following scipy.stats.ks_2samp of SciPy 1.10.1 (alternative='two-sided'):
 * - `auto` computes the exact p-value when both samples have at most 10,000 values, otherwise
 *   the asymptotic one.
 * - `exact` rounds D to h / lcm(n, m) for the nearest integer h (ties to even) and returns the
 *   exact null probability of a statistic ≥ D (twoSampleKolmogorovSmirnovSurvival). When rounding
 *   pushes that probability outside [0, 1], the test reports the asymptotic p-value for the
 *   rounded D instead, with a warning. When (n / g)(m / g) ≥ 2^31 − 1 for g = gcd(n, m), it
 *   reports the asymptotic p-value from the start, also with a warning.
 * - `asymptotic` evaluates the one-sample distribution of D_k at k = round(n m / (n + m))
 *   (kolmogorovSmirnovSurvival, SciPy's kstwo.sf).
 * The p-value is clipped to [0, 1].
 *
 * Degenerate cases: a sample with no finite values gives an undefined statistic and p-value
 * (SciPy raises). Missing and infinite values are left out and reported in the warnings; SciPy
 * would rank ±inf as extreme values and Evidently drops them silently. The exact p-value assumes
 * continuous data: with ties it is conservative, as in SciPy.
 *
 * Evidently's `ks` test calls ks_2samp with its default method, so it shares these p-values.
 * whylogs approximates D from sketches, and NannyML from 10,000 bins above 10,000 reference rows.
 */

import type { PooledValueCounts } from '../aggregates.js';
import { defined, undefinedBecause, type Measured, type TestResult } from '../measured.js';
import { kolmogorovSmirnovSurvival } from '../special-functions/kolmogorov-one-sample.js';
import { greatestCommonDivisor, twoSampleKolmogorovSmirnovSurvival } from '../special-functions/kolmogorov-two-sample.js';
import { clipProbability, roundHalfToEven } from '../special-functions/probability.js';
import { emptySampleReason, excludedValueWarnings, validatePooledValueCounts, type SampleSizes } from './pooled-values.js';

export type KolmogorovSmirnovMethod = 'auto' | 'exact' | 'asymptotic';

export interface KolmogorovSmirnovOptions {
  /** How to compute the p-value; `auto` (the default) as in SciPy 1.10.1. */
  readonly method?: KolmogorovSmirnovMethod;
}

/** With `auto`, the largest sample size for which the exact p-value is computed (SciPy 1.10.1). */
export const EXACT_METHOD_SIZE_LIMIT = 10_000;
const INT32_MAX = 2 ** 31 - 1;
const METHODS: readonly string[] = ['auto', 'exact', 'asymptotic'];

function validateMethod(method: string): asserts method is KolmogorovSmirnovMethod {
  if (!METHODS.includes(method)) {
    throw new RangeError(`unknown Kolmogorov-Smirnov method "${method}"; expected auto, exact or asymptotic`);
  }
}

function undefinedResult(reason: string, warnings: readonly string[]): TestResult {
  return { statistic: undefinedBecause(reason), pValue: undefinedBecause(reason), method: 'none', warnings };
}

/** Returns max |F_ref − F_cur| over the pooled values, with the arithmetic of SciPy so that D matches to the last bit. */
function maximumDistributionDifference(pooled: PooledValueCounts, sizes: SampleSizes): number {
  let referenceCumulative = 0;
  let currentCumulative = 0;
  let largest = 0;
  let smallest = 0;
  for (let i = 0; i < pooled.values.length; i += 1) {
    referenceCumulative += pooled.referenceCounts[i]!;
    currentCumulative += pooled.currentCounts[i]!;
    const difference = referenceCumulative / sizes.reference - currentCumulative / sizes.current;
    if (difference > largest) largest = difference;
    if (difference < smallest) smallest = difference;
  }
  return Math.max(largest, Math.min(1, -smallest));
}

/** Returns the p-value from the one-sample distribution at k = round(n m / (n + m)), as SciPy's `asymp` method. */
function asymptoticPValue(statistic: number, referenceSize: number, currentSize: number): Measured {
  const effectiveSize = roundHalfToEven((referenceSize * currentSize) / (referenceSize + currentSize));
  if (effectiveSize < 1) {
    return undefinedBecause(
      `the asymptotic distribution needs n m / (n + m) > 0.5, but the samples have ${referenceSize} and ${currentSize} values`,
    );
  }
  return defined(clipProbability(kolmogorovSmirnovSurvival(effectiveSize, statistic)));
}

function computePValue(
  statistic: number,
  referenceSize: number,
  currentSize: number,
  method: KolmogorovSmirnovMethod,
  warnings: string[],
): TestResult {
  let useExact = method === 'exact' || (method === 'auto' && Math.max(referenceSize, currentSize) <= EXACT_METHOD_SIZE_LIMIT);
  const gcd = greatestCommonDivisor(referenceSize, currentSize);
  if (method === 'exact' && referenceSize / gcd >= INT32_MAX / (currentSize / gcd)) {
    useExact = false;
    warnings.push(
      `the exact p-value is not computed for sample sizes ${referenceSize} and ${currentSize}, because ` +
        '(n / gcd)(m / gcd) reaches 2^31 - 1, the limit of SciPy 1.10; the asymptotic p-value is reported',
    );
  }

  let reportedStatistic = statistic;
  if (useExact) {
    const lcm = (referenceSize / gcd) * currentSize;
    const h = roundHalfToEven(statistic * lcm);
    reportedStatistic = h / lcm;
    const probability = twoSampleKolmogorovSmirnovSurvival(referenceSize, currentSize, h);
    if (probability >= 0 && probability <= 1) {
      return { statistic: defined(reportedStatistic), pValue: defined(probability), method: 'exact', warnings };
    }
    warnings.push(
      'the exact p-value came out outside [0, 1] through rounding, so the asymptotic p-value is reported (as SciPy 1.10 does)',
    );
  }
  return {
    statistic: defined(reportedStatistic),
    pValue: asymptoticPValue(reportedStatistic, referenceSize, currentSize),
    method: 'asymptotic',
    warnings,
  };
}

/**
 * Runs the two-sided two-sample Kolmogorov-Smirnov test on pooled value counts (reference
 * against current); see the module comment for the definition and the conventions. The method
 * of the result is `exact` or `asymptotic`, whichever produced the p-value, or `none` when a
 * sample has no finite values. Throws a RangeError for a malformed aggregate or an unknown method.
 */
export function kolmogorovSmirnov(pooled: PooledValueCounts, options: KolmogorovSmirnovOptions = {}): TestResult {
  const method = options.method ?? 'auto';
  validateMethod(method);
  const sizes = validatePooledValueCounts(pooled);
  const warnings = excludedValueWarnings(pooled, sizes);

  const emptyReason = emptySampleReason(pooled, sizes);
  if (emptyReason !== null) return undefinedResult(`${emptyReason}, so the distributions cannot be compared`, warnings);

  const statistic = maximumDistributionDifference(pooled, sizes);
  return computePValue(statistic, sizes.reference, sizes.current, method, warnings);
}

/**
 * Computes the p-value for a statistic D that was computed elsewhere (for example in SQL), with
 * the same rules as kolmogorovSmirnov. Sizes are the numbers of finite values; a size of 0 gives
 * an undefined result. Throws a RangeError when D is outside [0, 1], a size is not an integer
 * ≥ 0, or the method is unknown.
 */
export function kolmogorovSmirnovFromStatistic(
  statistic: number,
  referenceSize: number,
  currentSize: number,
  method: KolmogorovSmirnovMethod = 'auto',
): TestResult {
  validateMethod(method);
  if (!(statistic >= 0 && statistic <= 1)) {
    throw new RangeError(`invalid Kolmogorov-Smirnov statistic ${statistic}: expected a number in [0, 1]`);
  }
  for (const [side, size] of [
    ['reference', referenceSize],
    ['current', currentSize],
  ] as const) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`the ${side} sample size must be an integer ≥ 0, received ${size}`);
  }
  if (referenceSize === 0 || currentSize === 0) {
    const side = referenceSize === 0 ? 'reference' : 'current';
    return undefinedResult(`the ${side} sample is empty, so the distributions cannot be compared`, []);
  }
  return computePValue(statistic, referenceSize, currentSize, method, []);
}
