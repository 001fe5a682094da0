import { describe, expect, it } from 'vitest';
import { wassersteinDistance, wassersteinNormalized } from '../../../src/measurement/core/drift/wasserstein.js';
import { pooledValueCounts, reasonOf, valueOf } from './fixtures.js';

const reference = [0.4, 1.1, 1.1, 2.3, 3.8, 4.0, 5.6];
const current = [0.9, 1.7, 2.2, 2.2, 3.1, 6.4];

describe('wassersteinDistance', () => {
  it('computes the area between the distribution functions', () => {
    expect(valueOf(wassersteinDistance(pooledValueCounts([0], [1])))).toBe(1);
    // F_ref = 2/3 and F_cur = 0 on [0, 1).
    expect(valueOf(wassersteinDistance(pooledValueCounts([0, 0, 1], [1])))).toBeCloseTo(2 / 3, 15);
    expect(valueOf(wassersteinDistance(pooledValueCounts([1, 2, 2, 7], [7, 2, 1, 2])))).toBe(0);
  });

  it('is symmetric, moves with a shift and scales with the unit', () => {
    const distance = valueOf(wassersteinDistance(pooledValueCounts(reference, current)));
    expect(valueOf(wassersteinDistance(pooledValueCounts(current, reference)))).toBeCloseTo(distance, 14);
    expect(valueOf(wassersteinDistance(pooledValueCounts(reference.map((x) => x + 100), current.map((x) => x + 100))))).toBeCloseTo(
      distance,
      12,
    );
    expect(valueOf(wassersteinDistance(pooledValueCounts(reference.map((x) => 3 * x), current.map((x) => 3 * x))))).toBeCloseTo(
      3 * distance,
      12,
    );
    expect(valueOf(wassersteinDistance(pooledValueCounts(reference, reference.map((x) => x + 2.5))))).toBeCloseTo(2.5, 14);
  });

  it('is undefined for an empty or all-missing sample', () => {
    expect(reasonOf(wassersteinDistance(pooledValueCounts([], current)))).toBe('the reference sample is empty, so the distance is undefined');
    expect(reasonOf(wassersteinDistance(pooledValueCounts(reference, [null, Number.NaN])))).toBe(
      'the current sample has no finite values (1 missing, 1 NaN), so the distance is undefined',
    );
  });

  it('counts infinite values apart and warns about them', () => {
    const result = wassersteinDistance(pooledValueCounts([...reference, Number.NEGATIVE_INFINITY], current));
    expect(valueOf(result)).toBe(valueOf(wassersteinDistance(pooledValueCounts(reference, current))));
    expect(result.warnings).toEqual(['reference sample: 1 value left out (1 -Infinity); the test uses the 7 finite values']);
  });
});

describe('wassersteinNormalized', () => {
  it('divides by the population standard deviation of the reference', () => {
    // Reference {0, 2}: mean 1, population standard deviation 1.
    expect(valueOf(wassersteinNormalized(pooledValueCounts([0, 2], [1, 3])))).toBeCloseTo(1, 15);
  });

  it('does not depend on the unit of the column', () => {
    const plain = valueOf(wassersteinNormalized(pooledValueCounts(reference, current)));
    const rescaled = valueOf(wassersteinNormalized(pooledValueCounts(reference.map((x) => 1000 * x - 7), current.map((x) => 1000 * x - 7))));
    expect(rescaled).toBeCloseTo(plain, 12);
  });

  it('is undefined for a constant reference', () => {
    const pooled = pooledValueCounts([3, 3, 3], [3, 4]);
    expect(valueOf(wassersteinDistance(pooled))).toBe(0.5);
    expect(reasonOf(wassersteinNormalized(pooled))).toBe(
      'the reference sample is constant (standard deviation 0), so the distance cannot be expressed in reference standard deviations',
    );
  });

  it('is undefined for one shared constant', () => {
    const pooled = pooledValueCounts([3, 3], [3, 3, 3]);
    expect(valueOf(wassersteinDistance(pooled))).toBe(0);
    expect(wassersteinNormalized(pooled).defined).toBe(false);
  });
});
