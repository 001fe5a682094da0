/**
 * Checks and summaries of PooledValueCounts shared by the numerical drift tests
 * (Kolmogorov-Smirnov, Anderson-Darling, Wasserstein).
 */

import type { ExcludedCounts, PooledValueCounts } from '../aggregates.js';

/** Number of finite values in each sample. */
export interface SampleSizes {
  readonly reference: number;
  readonly current: number;
}

/**
 * Returns the sample sizes after checking the invariants of PooledValueCounts: three arrays of
 * equal length, values finite and strictly increasing, counts non-negative integers. Throws a
 * RangeError naming the first violation, because a malformed aggregate is a bug in the code that
 * built it, not a property of the data.
 */
export function validatePooledValueCounts(pooled: PooledValueCounts): SampleSizes {
  const { values, referenceCounts, currentCounts } = pooled;
  if (referenceCounts.length !== values.length || currentCounts.length !== values.length) {
    throw new RangeError(
      `pooled value counts need one reference and one current count per value: ${values.length} values, ` +
        `${referenceCounts.length} reference counts, ${currentCounts.length} current counts`,
    );
  }

  let reference = 0;
  let current = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`pooled value ${i} is ${value}; non-finite values belong in the excluded counts`);
    if (i > 0 && !(value > values[i - 1]!)) {
      throw new RangeError(`pooled values must be distinct and ascending, but value ${i} (${value}) follows ${values[i - 1]}`);
    }
    reference += checkedCount(referenceCounts[i]!, 'reference', i);
    current += checkedCount(currentCounts[i]!, 'current', i);
  }
  return { reference, current };
}

function checkedCount(count: number, side: string, index: number): number {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`the ${side} count of pooled value ${index} is ${count}; counts must be integers ≥ 0`);
  }
  return count;
}

function describeExcluded(excluded: ExcludedCounts): string[] {
  const parts: string[] = [];
  if (excluded.missing > 0) parts.push(`${excluded.missing} missing`);
  if (excluded.positiveInfinity > 0) parts.push(`${excluded.positiveInfinity} +Infinity`);
  if (excluded.negativeInfinity > 0) parts.push(`${excluded.negativeInfinity} -Infinity`);
  if (excluded.notANumber > 0) parts.push(`${excluded.notANumber} NaN`);
  return parts;
}

/**
 * Returns one warning per sample that had missing or non-finite values, with their counts. The
 * tests use only the finite values; infinite values are never ranked or given a distance.
 */
export function excludedValueWarnings(pooled: PooledValueCounts, sizes: SampleSizes): string[] {
  const warnings: string[] = [];
  for (const [side, excluded, finite] of [
    ['reference', pooled.reference, sizes.reference],
    ['current', pooled.current, sizes.current],
  ] as const) {
    const parts = describeExcluded(excluded);
    if (parts.length === 0) continue;
    const count = excluded.missing + excluded.positiveInfinity + excluded.negativeInfinity + excluded.notANumber;
    warnings.push(
      `${side} sample: ${count} ${count === 1 ? 'value' : 'values'} left out (${parts.join(', ')}); the test uses the ${finite} finite values`,
    );
  }
  return warnings;
}

/** Returns why a two-sample test cannot run when a sample has no finite values, or null when both have some. */
export function emptySampleReason(pooled: PooledValueCounts, sizes: SampleSizes): string | null {
  const empty: string[] = [];
  for (const [side, excluded, finite] of [
    ['reference', pooled.reference, sizes.reference],
    ['current', pooled.current, sizes.current],
  ] as const) {
    if (finite > 0) continue;
    const parts = describeExcluded(excluded);
    empty.push(parts.length > 0 ? `the ${side} sample has no finite values (${parts.join(', ')})` : `the ${side} sample is empty`);
  }
  return empty.length > 0 ? empty.join(' and ') : null;
}
