import { describe, expect, it } from 'vitest';
import { andersonDarlingKSample } from '../../../src/measurement/core/drift/anderson-darling.js';
import { pooledValueCounts, reasonOf, valueOf } from './fixtures.js';

const reference = [0.2, 0.9, 1.4, 1.5, 2.8, 3.1, 3.3, 4.0, 4.6, 5.9, 6.1, 7.4];
const current = [1.0, 2.0, 2.5, 3.9, 4.4, 5.0, 5.8, 6.6, 7.1, 7.9, 8.3];

describe('andersonDarlingKSample', () => {
  it('reports the critical values of Scholz and Stephens for two samples', () => {
    const result = andersonDarlingKSample(pooledValueCounts(reference, current));
    expect(result.criticalValues.map((critical) => critical.significanceLevel)).toEqual([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]);
    const expected = [0.325, 1.226, 1.961, 2.718, 3.752, 4.592, 6.546];
    result.criticalValues.forEach((critical, i) => expect(critical.value).toBeCloseTo(expected[i]!, 12));
    expect(result.method).toBe('interpolated');
  });

  it('is symmetric in the two samples', () => {
    const forward = andersonDarlingKSample(pooledValueCounts(reference, current));
    const backward = andersonDarlingKSample(pooledValueCounts(current, reference));
    expect(valueOf(backward.statistic)).toBeCloseTo(valueOf(forward.statistic), 12);
    expect(valueOf(backward.pValue)).toBeCloseTo(valueOf(forward.pValue), 12);
  });

  it('depends only on the ranks of the values', () => {
    const plain = andersonDarlingKSample(pooledValueCounts(reference, current));
    const transformed = andersonDarlingKSample(pooledValueCounts(reference.map(Math.exp), current.map(Math.exp)));
    expect(valueOf(transformed.statistic)).toBeCloseTo(valueOf(plain.statistic), 12);
  });

  it('caps the p-value at 0.25 with a warning', () => {
    const result = andersonDarlingKSample(pooledValueCounts([1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12]));
    expect(valueOf(result.statistic)).toBeLessThan(0.325);
    expect(valueOf(result.pValue)).toBe(0.25);
    expect(result.warnings).toEqual([
      'p-value capped at 0.25: the statistic is below the 25 % critical value, so the true p-value is larger',
    ]);
  });

  it('floors the p-value at 0.001 with a warning', () => {
    const low = Array.from({ length: 40 }, (_, i) => i);
    const high = Array.from({ length: 40 }, (_, i) => 100 + i);
    const result = andersonDarlingKSample(pooledValueCounts(low, high));
    expect(valueOf(result.pValue)).toBe(0.001);
    expect(result.warnings[0]).toMatch(/^p-value floored at 0.001/);
  });

  it('handles two different constants', () => {
    const result = andersonDarlingKSample(pooledValueCounts([3, 3, 3, 3, 3], [4, 4, 4, 4, 4]));
    expect(valueOf(result.statistic)).toBeGreaterThan(6.546);
    expect(valueOf(result.pValue)).toBe(0.001);
  });

  it('is undefined for the same constant on both sides', () => {
    const result = andersonDarlingKSample(pooledValueCounts([3, 3, 3], [3, 3]));
    expect(reasonOf(result.statistic)).toBe('all values of both samples are equal, so the rank-based statistic is undefined');
    expect(result.criticalValues).toEqual([]);
  });

  it('is undefined for fewer than 4 values in total', () => {
    expect(reasonOf(andersonDarlingKSample(pooledValueCounts([1], [2, 3])).statistic)).toBe(
      'the null variance needs at least 4 values in total, but the samples have 3',
    );
  });

  it('is undefined for an empty or all-missing sample', () => {
    expect(reasonOf(andersonDarlingKSample(pooledValueCounts(reference, [])).pValue)).toMatch(/^the current sample is empty/);
    const allMissing = andersonDarlingKSample(pooledValueCounts([null, null], current));
    expect(reasonOf(allMissing.statistic)).toMatch(/^the reference sample has no finite values \(2 missing\)/);
  });

  it('counts infinite values apart', () => {
    const plain = andersonDarlingKSample(pooledValueCounts(reference, current));
    const withInfinity = andersonDarlingKSample(pooledValueCounts(reference, [...current, Number.POSITIVE_INFINITY]));
    expect(valueOf(withInfinity.statistic)).toBe(valueOf(plain.statistic));
    expect(withInfinity.warnings).toContain('current sample: 1 value left out (1 +Infinity); the test uses the 11 finite values');
  });
});
