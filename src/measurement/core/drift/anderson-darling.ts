/**
 * The k-sample Anderson-Darling test of Scholz and Stephens ("K-sample Anderson-Darling tests",
 * Journal of the American Statistical Association 82, 1987) for k = 2 samples, in the midrank
 * version for data with ties (their A²_akN, equation 7), computed from pooled value counts.
 *
 * With N = n_ref + n_cur values, distinct pooled values z_1 < … < z_L, l_j values equal to z_j,
 * B_j = (values below z_j) + l_j / 2, and M_ij = (values of sample i ≤ z_j) − (values of sample i
 * equal to z_j) / 2:
 *   A²_akN = (N − 1) / N · Σ_i 1/n_i Σ_j (l_j / N) (N M_ij − n_i B_j)² / (B_j (N − B_j) − N l_j / 4).
 * The reported statistic is the standardized T = (A²_akN − (k − 1)) / σ_N, with σ²_N the exact
 * null variance of Scholz and Stephens (their a, b, c, d coefficients). It is about 0 or below
 * when the samples agree and grows with the difference between them.
 *
 * P-value: scipy.stats.anderson_ksamp (SciPy 1.10.1) fits a quadratic in T to the logarithms of the
 * significance levels 0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001 at their critical values
 * (Scholz and Stephens, Table 2, interpolated for k − 1 = 1) and evaluates it at T. Beyond the
 * table it returns 0.25 (capped: the true p-value is larger) or 0.001 (floored: smaller), and so
 * does this function, with a warning. The p-value is therefore an approximation, and no p-value
 * is ever reported above 0.25 or below 0.001. Evidently's `anderson` test reports this p-value.
 *
 * Undefined when a sample has no finite values, when all values are equal (SciPy raises), or with
 * fewer than 4 values in total, where σ²_N divides by (N − 1)(N − 2)(N − 3) = 0.
 */

import type { PooledValueCounts } from '../aggregates.js';
import { defined, undefinedBecause, type TestResult } from '../measured.js';
import { solveLeastSquares } from '../special-functions/least-squares.js';
import { CompensatedSum } from '../special-functions/summation.js';
import { emptySampleReason, excludedValueWarnings, validatePooledValueCounts, type SampleSizes } from './pooled-values.js';

export interface CriticalValue {
  readonly significanceLevel: number;
  readonly value: number;
}

export interface AndersonDarlingResult extends TestResult {
  /** Critical values of the standardized statistic for two samples; empty when the statistic is undefined. */
  readonly criticalValues: readonly CriticalValue[];
}

const SIGNIFICANCE_LEVELS = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001] as const;
// Interpolation coefficients b0, b1, b2 of Scholz and Stephens, Table 2: critical value = b0 + b1 / √(k − 1) + b2 / (k − 1).
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085] as const;
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615] as const;
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154] as const;
const SAMPLE_COUNT = 2;

/** Critical values for k = 2, computed in SciPy's order of operations so that they match it to the last bit. */
const CRITICAL_VALUES: readonly number[] = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(SAMPLE_COUNT - 1) + B2[i]! / (SAMPLE_COUNT - 1));

/** Coefficients [c2, c1, c0] of the quadratic fitted to ln(significance level) against the critical value (numpy.polyfit, degree 2). */
const LOG_LEVEL_FIT = solveLeastSquares(
  CRITICAL_VALUES.map((value) => [value * value, value, 1]),
  SIGNIFICANCE_LEVELS.map((level) => Math.log(level)),
);

/** Computes A²_akN, equation 7 of Scholz and Stephens, for the two samples. */
function midrankStatistic(pooled: PooledValueCounts, sizes: SampleSizes, total: number): number {
  const sampleCounts = [pooled.referenceCounts, pooled.currentCounts] as const;
  const sampleSizes = [sizes.reference, sizes.current] as const;
  let statistic = 0;
  for (let sample = 0; sample < SAMPLE_COUNT; sample += 1) {
    const counts = sampleCounts[sample]!;
    const size = sampleSizes[sample]!;
    const sum = new CompensatedSum();
    let below = 0;
    let sampleAtOrBelow = 0;
    for (let j = 0; j < pooled.values.length; j += 1) {
      const tied = pooled.referenceCounts[j]! + pooled.currentCounts[j]!;
      if (tied === 0) continue;
      sampleAtOrBelow += counts[j]!;
      const midrank = below + tied / 2;
      const sampleMidrank = sampleAtOrBelow - counts[j]! / 2;
      const deviation = total * sampleMidrank - midrank * size;
      sum.add(((tied / total) * deviation ** 2) / (midrank * (total - midrank) - (total * tied) / 4));
      below += tied;
    }
    statistic += sum.value / size;
  }
  return (statistic * (total - 1)) / total;
}

/** Returns the null variance σ²_N of A²_akN (Scholz and Stephens, section 3) for two samples. */
function nullVariance(sizes: SampleSizes, total: number): number {
  const k = SAMPLE_COUNT;
  const inverseSizeSum = 1 / sizes.reference + 1 / sizes.current;
  // tail[i] = Σ_{j = N − 1 − i}^{N − 1} 1/j; h = Σ_{j=1}^{N−1} 1/j; g = Σ_{i=0}^{N−3} tail[i] / (i + 2).
  let tail = 0;
  const gSum = new CompensatedSum();
  for (let i = 0; i < total - 2; i += 1) {
    tail += 1 / (total - 1 - i);
    gSum.add(tail / (i + 2));
  }
  const h = tail + 1;
  const g = gSum.value;

  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * inverseSizeSum;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * inverseSizeSum - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * inverseSizeSum + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  return (a * total ** 3 + b * total ** 2 + c * total + d) / ((total - 1) * (total - 2) * (total - 3));
}

function interpolatedPValue(statistic: number, warnings: string[]): number {
  const lowest = Math.min(...CRITICAL_VALUES);
  const highest = Math.max(...CRITICAL_VALUES);
  if (statistic < lowest) {
    warnings.push('p-value capped at 0.25: the statistic is below the 25 % critical value, so the true p-value is larger');
    return 0.25;
  }
  if (statistic > highest) {
    warnings.push('p-value floored at 0.001: the statistic is above the 0.1 % critical value, so the true p-value is smaller');
    return 0.001;
  }
  const [c2, c1, c0] = LOG_LEVEL_FIT as [number, number, number];
  return Math.exp((c2 * statistic + c1) * statistic + c0);
}

function undefinedResult(reason: string, warnings: readonly string[]): AndersonDarlingResult {
  return { statistic: undefinedBecause(reason), pValue: undefinedBecause(reason), method: 'none', warnings, criticalValues: [] };
}

/**
 * Runs the two-sample Anderson-Darling test (midrank version) on pooled value counts; see the
 * module comment for the definition, the p-value interpolation and its caps. The method of the
 * result is `interpolated`, or `none` when the statistic is undefined. Throws a RangeError for a
 * malformed aggregate.
 */
export function andersonDarlingKSample(pooled: PooledValueCounts): AndersonDarlingResult {
  const sizes = validatePooledValueCounts(pooled);
  const warnings = excludedValueWarnings(pooled, sizes);

  const emptyReason = emptySampleReason(pooled, sizes);
  if (emptyReason !== null) return undefinedResult(`${emptyReason}, so the distributions cannot be compared`, warnings);

  let distinct = 0;
  for (let j = 0; j < pooled.values.length; j += 1) {
    if (pooled.referenceCounts[j]! + pooled.currentCounts[j]! > 0) distinct += 1;
  }
  if (distinct < 2) {
    return undefinedResult('all values of both samples are equal, so the rank-based statistic is undefined', warnings);
  }
  const total = sizes.reference + sizes.current;
  if (total < 4) {
    return undefinedResult(`the null variance needs at least 4 values in total, but the samples have ${total}`, warnings);
  }

  const variance = nullVariance(sizes, total);
  const statistic = (midrankStatistic(pooled, sizes, total) - (SAMPLE_COUNT - 1)) / Math.sqrt(variance);
  const pValue = interpolatedPValue(statistic, warnings);
  const criticalValues = SIGNIFICANCE_LEVELS.map((significanceLevel, i) => ({ significanceLevel, value: CRITICAL_VALUES[i]! }));
  return { statistic: defined(statistic), pValue: defined(pValue), method: 'interpolated', warnings, criticalValues };
}
