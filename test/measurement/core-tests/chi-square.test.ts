import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity, gTest } from '../../../src/measurement/core/drift/chi-square.js';
import { categoryCounts, reasonOf, valueOf } from './fixtures.js';

// Expected counts of the table below: 15, 10, 5 in both rows.
const reference = categoryCounts({ a: 10, b: 10, c: 10 });
const current = categoryCounts({ a: 20, b: 10 });

describe('chiSquareHomogeneity', () => {
  it('computes Pearson’s statistic on the union of categories', () => {
    const result = chiSquareHomogeneity(reference, current);
    const statistic = 2 * (25 / 15) + 2 * (25 / 5);
    expect(result.categories).toEqual(['a', 'b', 'c']);
    expect(result.degreesOfFreedom).toBe(2);
    expect(valueOf(result.statistic)).toBeCloseTo(statistic, 13);
    // With 2 degrees of freedom the survival function is exp(-x / 2).
    expect(valueOf(result.pValue)).toBeCloseTo(Math.exp(-statistic / 2), 15);
    expect(result.method).toBe('asymptotic');
  });

  it('is symmetric in the two samples', () => {
    const forward = chiSquareHomogeneity(reference, current);
    const backward = chiSquareHomogeneity(current, reference);
    expect(valueOf(backward.statistic)).toBeCloseTo(valueOf(forward.statistic), 13);
  });

  it('drops categories with no count on either side', () => {
    const withEmpty = chiSquareHomogeneity(categoryCounts({ a: 10, b: 10, c: 10, d: 0 }), categoryCounts({ a: 20, b: 10, d: 0 }));
    expect(withEmpty.categories).toEqual(['a', 'b', 'c']);
    expect(valueOf(withEmpty.statistic)).toBe(valueOf(chiSquareHomogeneity(reference, current).statistic));
  });

  it('gives 0 and p = 1 for proportional counts', () => {
    const result = chiSquareHomogeneity(categoryCounts({ x: 5, y: 15 }), categoryCounts({ x: 50, y: 150 }));
    expect(valueOf(result.statistic)).toBe(0);
    expect(valueOf(result.pValue)).toBe(1);
  });

  it('is undefined with one category or an empty sample', () => {
    expect(reasonOf(chiSquareHomogeneity(categoryCounts({ a: 4 }), categoryCounts({ a: 9 })).statistic)).toBe(
      'only one category ("a") occurs in the two samples, so there is no distribution to compare',
    );
    const empty = chiSquareHomogeneity(categoryCounts({}, 12), current);
    expect(reasonOf(empty.pValue)).toBe('the reference sample has no values');
    expect(empty.degreesOfFreedom).toBeNull();
    expect(empty.warnings).toEqual(['reference sample: 12 missing values left out; missing is not a category']);
  });

  it('warns about small expected counts', () => {
    // The column c has 4 values in all, so both of its expected counts are below 5.
    const result = chiSquareHomogeneity(categoryCounts({ a: 10, b: 10, c: 4 }), current);
    expect(result.warnings).toEqual(['2 of 6 expected counts are below 5, so the chi-square approximation of the p-value may be poor']);
    expect(chiSquareHomogeneity(categoryCounts({ a: 100, b: 80 }), categoryCounts({ a: 90, b: 95 })).warnings).toEqual([]);
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => chiSquareHomogeneity(categoryCounts({ a: -1, b: 3 }), current)).toThrow(/count of category "a" is -1/);
    expect(() => gTest(reference, categoryCounts({ a: Number.NaN }))).toThrow(RangeError);
  });
});

describe('gTest', () => {
  it('computes the likelihood-ratio statistic with 0 ln 0 = 0', () => {
    const result = gTest(reference, current);
    const statistic = 2 * (10 * Math.log(10 / 15) + 10 * Math.log(10 / 5) + 20 * Math.log(20 / 15));
    expect(valueOf(result.statistic)).toBeCloseTo(statistic, 13);
    expect(valueOf(result.pValue)).toBeCloseTo(Math.exp(-statistic / 2), 15);
    expect(result.degreesOfFreedom).toBe(2);
  });

  it('never reports a negative statistic for identical shares', () => {
    const result = gTest(categoryCounts({ p: 3, q: 7, r: 11 }), categoryCounts({ p: 9, q: 21, r: 33 }));
    expect(valueOf(result.statistic)).toBeGreaterThanOrEqual(0);
    expect(valueOf(result.statistic)).toBeLessThan(1e-12);
  });

  it('keeps a category seen only in the current sample', () => {
    const result = gTest(categoryCounts({ a: 30, b: 30 }), categoryCounts({ a: 30, b: 20, new: 10 }));
    expect(result.categories).toEqual(['a', 'b', 'new']);
    expect(valueOf(result.pValue)).toBeLessThan(0.01);
  });
});
