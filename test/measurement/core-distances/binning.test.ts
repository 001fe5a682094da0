import { describe, expect, it } from 'vitest';
import type { BinnedCounts, CategoryCounts, PooledValueCounts } from '../../../src/measurement/core/aggregates.js';
import {
  alignBinnedCounts,
  alignCategoryCounts,
  binPooledValues,
  binsWithOutsideRange,
  categoryCountsFromPooled,
  referenceEqualWidthEdges,
  referenceQuantileEdges,
  topCategoriesWithOther,
} from '../../../src/measurement/core/drift/binning.js';
import { expectClose, referenceValues } from './reference-values.js';

const none = { missing: 0, positiveInfinity: 0, negativeInfinity: 0, notANumber: 0 };

/** Pooled counts from two plain samples, the way the data layer would aggregate them. */
function pooledOf(reference: readonly number[], current: readonly number[]): PooledValueCounts {
  const values = [...new Set([...reference, ...current])].sort((a, b) => a - b);
  const countIn = (sample: readonly number[]) => Float64Array.from(values.map((value) => sample.filter((x) => x === value).length));
  return { values: Float64Array.from(values), referenceCounts: countIn(reference), currentCounts: countIn(current), reference: none, current: none };
}

function pooledFromCounts(values: number[], referenceCounts: number[]): PooledValueCounts {
  return {
    values: Float64Array.from(values),
    referenceCounts: Float64Array.from(referenceCounts),
    currentCounts: new Float64Array(values.length),
    reference: none,
    current: none,
  };
}

function edgesOf(result: ReturnType<typeof referenceQuantileEdges>): readonly number[] {
  if (!result.defined) throw new Error(`expected edges, received undefined because ${result.reason}`);
  return result.edges;
}

describe('referenceQuantileEdges', () => {
  for (const testCase of referenceValues.quantiles) {
    it(`match numpy linear quantiles on ${testCase.name}`, () => {
      const edges = edgesOf(referenceQuantileEdges(pooledFromCounts(testCase.values, testCase.counts), testCase.binCount));
      const distinctQuantiles = testCase.quantiles.filter((value, index) => index === 0 || value !== testCase.quantiles[index - 1]);
      const expectedEdges = distinctQuantiles.length === testCase.quantiles.length ? testCase.quantiles : null;
      if (expectedEdges === null) {
        // With ties, every numpy quantile is still an edge; successors of repeated values are added.
        for (const quantile of testCase.quantiles) expect(edges.some((edge) => Math.abs(edge - quantile) <= 1e-12 * Math.max(1, Math.abs(quantile)))).toBe(true);
      } else {
        expect(edges).toHaveLength(expectedEdges.length);
        edges.forEach((edge, index) => expectClose(edge, expectedEdges[index]!));
      }
    });
  }

  it('default to 10 bins with the reference minimum and maximum', () => {
    const reference = Array.from({ length: 101 }, (_, i) => i);
    expect(edgesOf(referenceQuantileEdges(pooledOf(reference, [500, -3])))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('give a repeated value a bin of its own', () => {
    // 35 % zeros: the quantiles 0 .. 0.3 are 0 and the 0.4 quantile is 5.6, so 1 becomes an edge.
    const reference = [...new Array<number>(35).fill(0), ...Array.from({ length: 65 }, (_, i) => i + 1)];
    const edges = edgesOf(referenceQuantileEdges(pooledOf(reference, [])));
    expect(edges.slice(0, 2)).toEqual([0, 1]);
    expect(edges[2]).toBeCloseTo(5.6, 12);
    expect(new Set(edges).size).toBe(edges.length);
    const binned = binPooledValues(pooledOf(reference, []), edges);
    expect(binned.reference.counts[0]).toBe(35);
  });

  it('add no edge when the next quantile already isolates a repeated value', () => {
    // 60 % zeros: the 0.6 quantile interpolates between 0 and 1 to 0.4, so [0, 0.4) holds only the zeros.
    const reference = [...new Array<number>(60).fill(0), ...Array.from({ length: 40 }, (_, i) => i + 1)];
    const edges = edgesOf(referenceQuantileEdges(pooledOf(reference, [])));
    expect(edges.slice(0, 2)).toEqual([0, 0.3999999999999986]);
    expect(binPooledValues(pooledOf(reference, []), edges).reference.counts[0]).toBe(60);
  });

  it('keep a repeated maximum in the closed last bin', () => {
    const reference = [1, 2, 3, ...new Array<number>(20).fill(9)];
    const edges = edgesOf(referenceQuantileEdges(pooledOf(reference, [])));
    expect(edges[edges.length - 1]).toBe(9);
    expect(new Set(edges).size).toBe(edges.length);
  });

  it('give [v, v] for a constant reference', () => {
    expect(edgesOf(referenceQuantileEdges(pooledOf([4, 4, 4], [1, 4, 9])))).toEqual([4, 4]);
  });

  it('ignore values found only in the current sample', () => {
    expect(edgesOf(referenceQuantileEdges(pooledOf([1, 2, 3], [-100, 100]), 2))).toEqual([1, 2, 3]);
  });

  it('are undefined for an empty reference', () => {
    expect(referenceQuantileEdges(pooledOf([], [1, 2]))).toEqual({ defined: false, reason: 'the reference sample has no finite values to take quantiles of' });
  });

  it('reject a bin count below 1', () => {
    expect(() => referenceQuantileEdges(pooledOf([1, 2], []), 0)).toThrow('binCount must be an integer >= 1, received 0');
  });
});

describe('referenceEqualWidthEdges', () => {
  it('split the reference range evenly', () => {
    expect(edgesOf(referenceEqualWidthEdges(pooledOf([0, 3, 10], [20]), 5))).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('give [v, v] for a constant reference', () => {
    expect(edgesOf(referenceEqualWidthEdges(pooledOf([2, 2], [3])))).toEqual([2, 2]);
  });
});

describe('binPooledValues', () => {
  it('count half-open bins with a closed last bin and outside values', () => {
    const pooled = pooledOf([0, 1, 1, 2, 3, 4], [-1, 0, 2, 4, 5, 5]);
    const { reference, current } = binPooledValues(pooled, [0, 2, 4]);
    expect(reference).toMatchObject({ counts: [3, 3], below: 0, above: 0 });
    expect(current).toMatchObject({ counts: [1, 2], below: 1, above: 2 });
  });

  it('put a constant column in the single closed bin', () => {
    const { reference, current } = binPooledValues(pooledOf([4, 4], [4, 5, 3]), [4, 4]);
    expect(reference).toMatchObject({ counts: [2], below: 0, above: 0 });
    expect(current).toMatchObject({ counts: [1], below: 1, above: 1 });
  });

  it('reject edges out of order', () => {
    expect(() => binPooledValues(pooledOf([1], []), [0, 2, 1])).toThrow('Bin edges must be at least 2 finite numbers in increasing order (or [v, v] for one closed bin), received [0, 2, 1]');
  });
});

describe('alignBinnedCounts', () => {
  const binned = (counts: number[], below: number, above: number, excluded = none): BinnedCounts => ({ edges: [0, 1, 2], counts, below, above, excluded });

  it('add the bins below and above with labels', () => {
    const aligned = alignBinnedCounts(binned([5, 5], 0, 0), binned([4, 3], 1, 2));
    expect(aligned.labels).toEqual(['< 0', '[0, 1)', '[1, 2]', '> 2']);
    expect(aligned.reference).toEqual([0, 5, 5, 0]);
    expect(aligned.current).toEqual([1, 4, 3, 2]);
    expect(aligned.warnings).toEqual([]);
  });

  it('count infinite values outside the range', () => {
    const current = binned([4, 3], 1, 2, { missing: 7, positiveInfinity: 2, negativeInfinity: 1, notANumber: 3 });
    expect(binsWithOutsideRange(current)).toEqual([2, 4, 3, 4]);
    expect(alignBinnedCounts(binned([5, 5], 0, 0), current).warnings).toEqual([
      '0 reference and 3 current values are infinite; they count in the bins below and above the edges',
    ]);
  });

  it('reject different edges', () => {
    const other: BinnedCounts = { edges: [0, 1.5, 2], counts: [1, 1], below: 0, above: 0, excluded: none };
    expect(() => alignBinnedCounts(binned([1, 1], 0, 0), other)).toThrow(
      'Binned counts must share their edges to be compared, received 3 reference edges [0, 1, 2] and 3 current edges [0, 1.5, 2]; bin both samples on the reference edges',
    );
  });
});

describe('category alignment', () => {
  const categories = (entries: [string, number][], missing = 0): CategoryCounts => ({ counts: new Map(entries), missing });

  it('align the union with zeros for one-sided categories', () => {
    const aligned = alignCategoryCounts(categories([['a', 6], ['b', 4]]), categories([['b', 5], ['c', 5]]));
    expect(aligned.labels).toEqual(['b', 'a', 'c']);
    expect(aligned.reference).toEqual([4, 6, 0]);
    expect(aligned.current).toEqual([5, 0, 5]);
    expect(aligned.otherCategories).toBe(0);
  });

  it('keep the top categories and lump the rest into other', () => {
    const reference = categories(Array.from({ length: 5000 }, (_, i): [string, number] => [`c${i}`, i < 10 ? 1000 : 1]));
    const current = categories([['new', 5000], ['c0', 1000]]);
    const aligned = alignCategoryCounts(reference, current);
    expect(aligned.labels).toHaveLength(101);
    expect(aligned.labels[0]).toBe('new');
    expect(aligned.labels[100]).toBe('(other)');
    expect(aligned.otherCategories).toBe(4901);
    expect(aligned.reference.reduce((a, b) => a + b)).toBe(14990);
    expect(aligned.current.reduce((a, b) => a + b)).toBe(6000);
    expect(aligned.warnings).toEqual(['4901 categories beyond the 100 largest share one bin, (other)']);
  });

  it('name the other bin apart from a real category called (other)', () => {
    const reduced = topCategoriesWithOther(categories([['(other)', 5], ['x', 4], ['y', 3]]), categories([]), { maxCategories: 1 });
    expect(reduced.otherKey).toBe('(other)*');
    expect([...reduced.reference.counts]).toEqual([['(other)', 5], ['(other)*', 7]]);
  });

  it('count missing values only when asked', () => {
    const reference = categories([['a', 3]], 2);
    const current = categories([['a', 3]], 6);
    expect(alignCategoryCounts(reference, current).labels).toEqual(['a']);
    const aligned = alignCategoryCounts(reference, current, { missingAsCategory: true });
    expect(aligned.labels).toEqual(['(missing)', 'a']);
    expect(aligned.reference).toEqual([2, 3]);
    expect(aligned.current).toEqual([6, 3]);
  });

  it('turn pooled numbers into categories', () => {
    const { reference, current } = categoryCountsFromPooled(pooledOf([0, 1, 1], [1, 2.5]));
    expect([...reference.counts]).toEqual([['0', 1], ['1', 2]]);
    expect([...current.counts]).toEqual([['1', 1], ['2.5', 1]]);
  });
});
