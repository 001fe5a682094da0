import { describe, expect, it } from 'vitest';
import type { PooledValueCounts } from '../../../src/measurement/core/aggregates.js';
import { kolmogorovSmirnov, kolmogorovSmirnovFromStatistic } from '../../../src/measurement/core/drift/kolmogorov-smirnov.js';
import { pooledValueCounts, reasonOf, valueOf } from './fixtures.js';

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i += 1) result = (result * (n - k + i)) / i;
  return result;
}

const reference = [0.3, 1.2, 1.9, 2.4, 3.3, 4.1, 4.8, 5.5];
const current = [1.1, 2.2, 2.9, 3.6, 4.4, 5.2, 6.3, 7.0, 7.7];

describe('kolmogorovSmirnov', () => {
  it('gives D = 1 for separated samples', () => {
    // Only the two orderings with one sample entirely below the other reach D = 1.
    const result = kolmogorovSmirnov(pooledValueCounts([1, 2, 3], [4, 5, 6, 7, 8]));
    expect(valueOf(result.statistic)).toBe(1);
    expect(valueOf(result.pValue)).toBeCloseTo(2 / binomial(8, 3), 15);
    expect(result.method).toBe('exact');
  });

  it('is symmetric in the two samples', () => {
    const forward = kolmogorovSmirnov(pooledValueCounts(reference, current));
    const backward = kolmogorovSmirnov(pooledValueCounts(current, reference));
    expect(valueOf(backward.statistic)).toBe(valueOf(forward.statistic));
    expect(valueOf(backward.pValue)).toBe(valueOf(forward.pValue));
  });

  it('compares the distribution functions after each tied value', () => {
    // After 1: 2/4 against 1/4; after 2: 3/4 against 3/4; after 3: 1 against 1.
    const result = kolmogorovSmirnov(pooledValueCounts([1, 1, 2, 3], [1, 2, 2, 3]));
    expect(valueOf(result.statistic)).toBe(0.25);
  });

  it('gives D = 0 for one shared constant', () => {
    const result = kolmogorovSmirnov(pooledValueCounts([3, 3, 3, 3], [3, 3, 3]));
    expect(valueOf(result.statistic)).toBe(0);
    expect(valueOf(result.pValue)).toBe(1);
    expect(result.warnings).toEqual([]);
  });

  it('gives D = 1 for different constants', () => {
    const result = kolmogorovSmirnov(pooledValueCounts([3, 3, 3, 3], [4, 4, 4]));
    expect(valueOf(result.statistic)).toBe(1);
    expect(valueOf(result.pValue)).toBeCloseTo(2 / binomial(7, 3), 15);
  });

  it('is undefined for an empty sample', () => {
    const result = kolmogorovSmirnov(pooledValueCounts([], current));
    expect(reasonOf(result.statistic)).toBe('the reference sample is empty, so the distributions cannot be compared');
    expect(reasonOf(result.pValue)).toBe(reasonOf(result.statistic));
    expect(result.method).toBe('none');
  });

  it('is undefined for an all-missing column and names the excluded values', () => {
    const result = kolmogorovSmirnov(pooledValueCounts([null, null, Number.NaN], [null]));
    expect(reasonOf(result.statistic)).toBe(
      'the reference sample has no finite values (2 missing, 1 NaN) and the current sample has no finite values (1 missing), ' +
        'so the distributions cannot be compared',
    );
    expect(result.warnings).toHaveLength(2);
  });

  it('counts infinite values apart and warns about them', () => {
    const plain = kolmogorovSmirnov(pooledValueCounts(reference, current));
    const withInfinities = kolmogorovSmirnov(
      pooledValueCounts([...reference, Number.POSITIVE_INFINITY, null], [...current, Number.NEGATIVE_INFINITY]),
    );
    expect(valueOf(withInfinities.statistic)).toBe(valueOf(plain.statistic));
    expect(valueOf(withInfinities.pValue)).toBe(valueOf(plain.pValue));
    expect(withInfinities.warnings).toEqual([
      'reference sample: 2 values left out (1 missing, 1 +Infinity); the test uses the 8 finite values',
      'current sample: 1 value left out (1 -Infinity); the test uses the 9 finite values',
    ]);
  });

  it('falls back to the asymptotic p-value where SciPy does', () => {
    // With 5 against 5 values and D = 1/5, the exact series rounds to 1.0000000000000002.
    const result = kolmogorovSmirnov(pooledValueCounts([1, 2, 3, 4, 5], [1.5, 2.5, 3.5, 4.5, 5.5]), { method: 'exact' });
    expect(result.method).toBe('asymptotic');
    expect(valueOf(result.pValue)).toBe(1);
    expect(result.warnings).toEqual([
      'the exact p-value came out outside [0, 1] through rounding, so the asymptotic p-value is reported (as SciPy 1.10 does)',
    ]);
  });

  it('uses the asymptotic p-value above 10,000 values with auto', () => {
    const large = Array.from({ length: 10_001 }, (_, i) => i / 10_001);
    const shifted = Array.from({ length: 50 }, (_, i) => 0.2 + i / 60);
    expect(kolmogorovSmirnov(pooledValueCounts(large, shifted)).method).toBe('asymptotic');
    expect(kolmogorovSmirnov(pooledValueCounts(large.slice(1), shifted)).method).toBe('exact');
  });

  it('rejects malformed aggregates and unknown methods', () => {
    const valid = pooledValueCounts(reference, current);
    const unsorted: PooledValueCounts = { ...valid, values: valid.values.slice().reverse() };
    const fractional: PooledValueCounts = { ...valid, referenceCounts: valid.referenceCounts.map((count) => count + 0.5) };
    const short: PooledValueCounts = { ...valid, currentCounts: valid.currentCounts.slice(1) };
    expect(() => kolmogorovSmirnov(unsorted)).toThrow(/distinct and ascending/);
    expect(() => kolmogorovSmirnov(fractional)).toThrow(/integers ≥ 0/);
    expect(() => kolmogorovSmirnov(short)).toThrow(/one reference and one current count per value/);
    expect(() => kolmogorovSmirnov(valid, { method: 'bootstrap' as 'exact' })).toThrow(/unknown Kolmogorov-Smirnov method "bootstrap"/);
  });
});

describe('kolmogorovSmirnovFromStatistic', () => {
  it('matches the test on the pooled counts', () => {
    for (const method of ['auto', 'exact', 'asymptotic'] as const) {
      const pooled = kolmogorovSmirnov(pooledValueCounts(reference, current), { method });
      const fromStatistic = kolmogorovSmirnovFromStatistic(valueOf(pooled.statistic), reference.length, current.length, method);
      expect(fromStatistic).toEqual(pooled);
    }
  });

  it('snaps the statistic to h / lcm', () => {
    // A D computed in another order of operations may differ in the last bits; the exact method snaps it to h / lcm.
    const result = kolmogorovSmirnovFromStatistic(0.30000000000000004, 10, 20, 'exact');
    expect(valueOf(result.statistic)).toBe(6 / 20);
  });

  it('switches to the asymptotic p-value when lcm(n, m) is too large', () => {
    const result = kolmogorovSmirnovFromStatistic(0.01, 100_003, 100_019, 'exact');
    expect(result.method).toBe('asymptotic');
    expect(result.warnings[0]).toMatch(/^the exact p-value is not computed for sample sizes 100003 and 100019/);
    expect(valueOf(result.pValue)).toBeGreaterThan(0);
  });

  it('leaves the asymptotic p-value undefined for one value on each side', () => {
    // n m / (n + m) = 1/2 rounds to 0, where SciPy's kstwo has no distribution and returns nan.
    const result = kolmogorovSmirnovFromStatistic(1, 1, 1, 'asymptotic');
    expect(valueOf(result.statistic)).toBe(1);
    expect(reasonOf(result.pValue)).toMatch(/needs n m \/ \(n \+ m\) > 0.5/);
  });

  it('is undefined for an empty sample and rejects invalid input', () => {
    expect(reasonOf(kolmogorovSmirnovFromStatistic(0.5, 0, 12).pValue)).toMatch(/reference sample is empty/);
    expect(() => kolmogorovSmirnovFromStatistic(1.5, 10, 12)).toThrow(RangeError);
    expect(() => kolmogorovSmirnovFromStatistic(Number.NaN, 10, 12)).toThrow(RangeError);
    expect(() => kolmogorovSmirnovFromStatistic(0.5, 10.5, 12)).toThrow(/reference sample size must be an integer/);
  });
});
