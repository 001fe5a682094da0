import { describe, expect, it } from 'vitest';
import {
  hellingerDistance,
  jensenShannonDistance,
  kullbackLeibler,
  populationStabilityIndex,
  totalVariationDistance,
} from '../../../src/measurement/core/drift/distances.js';
import { expectClose, referenceValues, valueOf } from './reference-values.js';

const distances = { jensenShannonDistance, hellingerDistance, totalVariationDistance, kullbackLeibler, populationStabilityIndex };

describe('distances against SciPy 1.10.1 and numpy', () => {
  for (const testCase of referenceValues.distances) {
    it(`agree on ${testCase.name}`, () => {
      const { reference, current } = testCase;
      expectClose(valueOf(jensenShannonDistance(reference, current)), testCase.jensenShannon);
      expectClose(valueOf(kullbackLeibler(reference, current)), testCase.kullbackLeibler);
      expectClose(valueOf(populationStabilityIndex(reference, current)), testCase.populationStabilityIndex);
      expectClose(valueOf(hellingerDistance(reference, current)), testCase.hellinger);
      expectClose(valueOf(totalVariationDistance(reference, current)), testCase.totalVariation);
      if (testCase.kullbackLeiblerUnsmoothed !== undefined) {
        expectClose(valueOf(kullbackLeibler(reference, current, { epsilon: 0 })), testCase.kullbackLeiblerUnsmoothed);
        expectClose(valueOf(populationStabilityIndex(reference, current, { epsilon: 0 })), testCase.populationStabilityIndexUnsmoothed!);
      }
    });
  }
});

describe('distance properties', () => {
  it('are 0 for proportional counts', () => {
    for (const distance of Object.values(distances)) {
      expect(valueOf(distance([3, 6, 9], [1, 2, 3]))).toBeCloseTo(0, 14);
    }
  });

  it('bounded ones are 1 on disjoint supports', () => {
    expect(valueOf(jensenShannonDistance([4, 0], [0, 9]))).toBe(1);
    expect(valueOf(hellingerDistance([4, 0], [0, 9]))).toBe(1);
    expect(valueOf(totalVariationDistance([4, 0], [0, 9]))).toBe(1);
  });

  it('symmetric ones ignore the order of the samples', () => {
    const a = [12, 0, 7, 30];
    const b = [5, 9, 1, 20];
    for (const distance of [jensenShannonDistance, hellingerDistance, totalVariationDistance, populationStabilityIndex]) {
      expect(valueOf(distance(a, b))).toBeCloseTo(valueOf(distance(b, a)), 14);
    }
  });

  it('KL is not symmetric', () => {
    const a = [80, 15, 5];
    const b = [30, 30, 40];
    expect(Math.abs(valueOf(kullbackLeibler(a, b)) - valueOf(kullbackLeibler(b, a)))).toBeGreaterThan(0.1);
  });

  it('ignore a permutation applied to both samples', () => {
    const a = [12, 0, 7, 30, 2];
    const b = [5, 9, 1, 20, 0];
    const order = [3, 0, 4, 1, 2];
    for (const distance of Object.values(distances)) {
      const permuted = valueOf(distance(order.map((i) => a[i]!), order.map((i) => b[i]!)));
      expect(permuted).toBeCloseTo(valueOf(distance(a, b)), 14);
    }
  });

  it('PSI equals KL in both directions added', () => {
    const a = [40, 25, 20, 15];
    const b = [30, 30, 25, 15];
    const sum = valueOf(kullbackLeibler(a, b)) + valueOf(kullbackLeibler(b, a));
    expect(valueOf(populationStabilityIndex(a, b))).toBeCloseTo(sum, 14);
  });

  it('Jensen-Shannon in base 2 is the natural-log value over sqrt(ln 2)', () => {
    // Evidently's natural-log distance for these counts, from the definition with ln.
    const p = [0.5, 0.3, 0.2];
    const q = [0.2, 0.3, 0.5];
    const m = p.map((pi, i) => (pi + q[i]!) / 2);
    const naturalDivergence = p.reduce((sum, pi, i) => sum + (pi * Math.log(pi / m[i]!) + q[i]! * Math.log(q[i]! / m[i]!)) / 2, 0);
    expectClose(valueOf(jensenShannonDistance(p, q)), Math.sqrt(naturalDivergence) / Math.sqrt(Math.LN2));
  });
});

describe('empty bins', () => {
  it('smoothing keeps PSI finite and warns', () => {
    const result = populationStabilityIndex([50, 30, 20, 0], [40, 30, 20, 10]);
    expect(result.defined).toBe(true);
    expect(result.warnings).toEqual(['1 of 4 bins are empty in one sample only; their shares were smoothed with epsilon 0.0001']);
  });

  it('bins empty on both sides change nothing', () => {
    expect(valueOf(populationStabilityIndex([0, 50, 0, 50, 0], [0, 30, 10, 60, 0]))).toBe(valueOf(populationStabilityIndex([50, 0, 50], [30, 10, 60])));
    expect(valueOf(kullbackLeibler([0, 50, 0, 50], [0, 30, 10, 60]))).toBe(valueOf(kullbackLeibler([50, 0, 50], [30, 10, 60])));
  });

  it('a larger epsilon gives a smaller PSI', () => {
    const small = valueOf(populationStabilityIndex([50, 50, 0], [40, 40, 20], { epsilon: 1e-6 }));
    const large = valueOf(populationStabilityIndex([50, 50, 0], [40, 40, 20], { epsilon: 1e-2 }));
    expect(large).toBeLessThan(small);
  });

  it('epsilon 0 makes one-sided empty bins undefined', () => {
    expect(populationStabilityIndex([50, 50, 0], [40, 40, 20], { epsilon: 0 })).toEqual({
      defined: false,
      reason: 'bin 2 is empty on one side only and smoothing is off (epsilon 0), so PSI is infinite; use an epsilon above 0',
      warnings: [],
    });
    expect(kullbackLeibler([50, 50, 10], [40, 60, 0], { epsilon: 0 }).defined).toBe(false);
  });

  it('KL without smoothing is finite when only the reference has an empty bin', () => {
    expect(kullbackLeibler([50, 50, 0], [40, 40, 20], { epsilon: 0 }).defined).toBe(true);
  });
});

describe('distance degenerate input', () => {
  it('an empty side is undefined with the side named', () => {
    for (const distance of Object.values(distances)) {
      expect(distance([0, 0, 0], [1, 2, 3])).toMatchObject({ defined: false, reason: 'the reference sample has no counts in any bin' });
      expect(distance([1, 2, 3], [0, 0, 0])).toMatchObject({ defined: false, reason: 'the current sample has no counts in any bin' });
      expect(distance([], [])).toMatchObject({ defined: false });
    }
  });

  it('vectors of different length are rejected', () => {
    expect(() => jensenShannonDistance([1, 2], [1, 2, 3])).toThrow(
      'Count vectors must have one entry per bin on both sides, received 2 reference and 3 current entries; align them with alignBinnedCounts or alignCategoryCounts',
    );
  });

  it('negative, infinite and NaN counts are rejected', () => {
    expect(() => hellingerDistance([1, -2], [1, 2])).toThrow('Counts must be finite numbers >= 0, received -2 at reference bin 1');
    expect(() => totalVariationDistance([1, 2], [Infinity, 2])).toThrow('received Infinity at current bin 0');
    expect(() => totalVariationDistance([1, 2], [1, Number.NaN])).toThrow('received NaN at current bin 1');
  });

  it('a negative epsilon is rejected', () => {
    expect(() => kullbackLeibler([1, 2], [2, 1], { epsilon: -1e-4 })).toThrow('Smoothing epsilon must be a finite number >= 0, received -0.0001');
  });
});
