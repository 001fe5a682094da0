/** Builders of drift-test aggregates from plain arrays, for the core-tests suite. */

import { expect } from 'vitest';
import type { CategoryCounts, ExcludedCounts, PooledValueCounts } from '../../../src/measurement/core/aggregates.js';
import type { Measured } from '../../../src/measurement/core/measured.js';

type MutableExcludedCounts = { -readonly [K in keyof ExcludedCounts]: ExcludedCounts[K] };

function emptyExcluded(): MutableExcludedCounts {
  return { missing: 0, positiveInfinity: 0, negativeInfinity: 0, notANumber: 0 };
}

/**
 * Builds PooledValueCounts from two raw samples the way the data layer aggregates a column:
 * null counts as missing, ±Infinity and NaN are counted apart, finite values are pooled.
 */
export function pooledValueCounts(reference: readonly (number | null)[], current: readonly (number | null)[]): PooledValueCounts {
  const counts = new Map<number, [number, number]>();
  const excluded = [emptyExcluded(), emptyExcluded()] as const;
  [reference, current].forEach((sample, side) => {
    const sideExcluded = excluded[side]!;
    for (const value of sample) {
      if (value === null) sideExcluded.missing += 1;
      else if (Number.isNaN(value)) sideExcluded.notANumber += 1;
      else if (value === Number.POSITIVE_INFINITY) sideExcluded.positiveInfinity += 1;
      else if (value === Number.NEGATIVE_INFINITY) sideExcluded.negativeInfinity += 1;
      else {
        const entry = counts.get(value) ?? [0, 0];
        entry[side as 0 | 1] += 1;
        counts.set(value, entry);
      }
    }
  });
  const values = [...counts.keys()].sort((a, b) => a - b);
  return {
    values: Float64Array.from(values),
    referenceCounts: Float64Array.from(values, (value) => counts.get(value)![0]),
    currentCounts: Float64Array.from(values, (value) => counts.get(value)![1]),
    reference: excluded[0],
    current: excluded[1],
  };
}

/** Builds CategoryCounts from a record of counts. */
export function categoryCounts(counts: Readonly<Record<string, number>>, missing = 0): CategoryCounts {
  return { counts: new Map(Object.entries(counts)), missing };
}

/** Returns the value of a Measured after asserting that it is defined. */
export function valueOf(measured: Measured | null): number {
  expect(measured?.defined, measured && !measured.defined ? measured.reason : 'no value').toBe(true);
  return (measured as { value: number }).value;
}

/** Returns the reason of a Measured after asserting that it is undefined. */
export function reasonOf(measured: Measured | null): string {
  expect(measured?.defined).toBe(false);
  return (measured as { reason: string }).reason;
}
