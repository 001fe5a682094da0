import { describe, expect, it } from 'vitest';

import type { PooledValueCounts } from '../../../src/measurement/core/aggregates.js';
import {
  compareNumericColumns,
  distributionDistance,
  materializeDataSet,
  mergeCountedSample,
  mergeSortedSamples,
  numericColumnSummaries,
  openDataSet,
  pooledValueCounts,
  type DataSet,
} from '../../../src/measurement/data/index.js';
import { adultTestPath, adultTrainPath, appErrorOf, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();

async function driftFixtures(): Promise<[DataSet, DataSet]> {
  return [await openDataSet(engine(), { path: fixture('drift-reference.csv') }), await openDataSet(engine(), { path: fixture('drift-current.csv') })];
}

async function adultSplits(): Promise<[DataSet, DataSet]> {
  const train = await openDataSet(engine(), { path: adultTrainPath, csv: { nullStrings: ['?'] } });
  const test = await openDataSet(engine(), { path: adultTestPath, csv: { delimiter: ', ', nullStrings: ['?'] } });
  return [train, test];
}

/** Opens a sample with the drift fixtures' columns and no rows; DuckDB types empty columns as text. */
async function emptySample(): Promise<DataSet> {
  return openDataSet(engine(), { path: fixture('drift-empty.csv'), csv: { columnTypes: { value: 'DOUBLE' } } });
}

/** KS D and Wasserstein-1 from pooled counts, written out plainly as a second implementation. */
function distancesFromPooled(pooled: PooledValueCounts): { statistic: number; wasserstein: number } {
  const referenceSize = pooled.referenceCounts.reduce((sum, count) => sum + count, 0);
  const currentSize = pooled.currentCounts.reduce((sum, count) => sum + count, 0);
  let referenceSeen = 0;
  let currentSeen = 0;
  let statistic = 0;
  let wasserstein = 0;
  for (let index = 0; index < pooled.values.length; index++) {
    referenceSeen += pooled.referenceCounts[index] as number;
    currentSeen += pooled.currentCounts[index] as number;
    const difference = Math.abs(referenceSeen / referenceSize - currentSeen / currentSize);
    statistic = Math.max(statistic, difference);
    if (index + 1 < pooled.values.length) wasserstein += difference * ((pooled.values[index + 1] as number) - (pooled.values[index] as number));
  }
  return { statistic, wasserstein };
}

describe('numericColumnSummaries', () => {
  it('counts missing, infinite and NaN values apart from finite ones', async () => {
    const [reference, current] = await driftFixtures();
    expect((await numericColumnSummaries(engine(), reference, ['value'])).get('value')).toEqual({
      rowCount: 7,
      finite: 4,
      excluded: { missing: 1, positiveInfinity: 1, negativeInfinity: 0, notANumber: 1 },
    });
    expect((await numericColumnSummaries(engine(), current, ['value'])).get('value')).toEqual({
      rowCount: 6,
      finite: 5,
      excluded: { missing: 0, positiveInfinity: 0, negativeInfinity: 1, notANumber: 0 },
    });
  });

  it('rejects a text column', async () => {
    const [reference] = await driftFixtures();
    const error = await appErrorOf(() => numericColumnSummaries(engine(), reference, ['colour']));
    expect(error.message).toContain('contains VARCHAR values, but numeric, date or timestamp values are needed');
  });
});

describe('pooledValueCounts', () => {
  it('pools distinct finite values with a count per sample', async () => {
    const [reference, current] = await driftFixtures();
    const pooled = await pooledValueCounts(engine(), reference, current, 'value');
    expect([...pooled.values]).toEqual([1, 2, 3, 4, 5]);
    expect([...pooled.referenceCounts]).toEqual([1, 2, 1, 0, 0]);
    expect([...pooled.currentCounts]).toEqual([0, 1, 2, 1, 1]);
    expect(pooled.reference).toEqual({ missing: 1, positiveInfinity: 1, negativeInfinity: 0, notANumber: 1 });
    expect(pooled.current.negativeInfinity).toBe(1);
  });

  it('reads dates as days since 1970-01-01', async () => {
    const [reference, current] = await driftFixtures();
    const pooled = await pooledValueCounts(engine(), reference, current, 'day');
    const firstOfJanuary = Date.UTC(2024, 0, 1) / 86_400_000;
    expect([...pooled.values]).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((offset) => firstOfJanuary + offset));
    expect(pooled.reference.missing).toBe(1);
  });

  it('reads timestamps as seconds since 1970-01-01 UTC', async () => {
    const [reference, current] = await driftFixtures();
    const pooled = await pooledValueCounts(engine(), reference, current, 'moment');
    const start = Date.UTC(2024, 0, 1) / 1000;
    expect([...pooled.values].slice(0, 3)).toEqual([start, start + 1.5, start + 2]);
  });

  it('pools against a sample without rows', async () => {
    const [reference] = await driftFixtures();
    const empty = await emptySample();
    const pooled = await pooledValueCounts(engine(), reference, empty, 'value');
    expect([...pooled.values]).toEqual([1, 2, 3]);
    expect([...pooled.currentCounts]).toEqual([0, 0, 0]);
    expect(pooled.current).toEqual({ missing: 0, positiveInfinity: 0, negativeInfinity: 0, notANumber: 0 });
  });
});

describe('mergeSortedSamples', () => {
  it('merges ties across and within samples', () => {
    const merged = mergeSortedSamples(new Float64Array([-1, 0, 0, 2]), new Float64Array([0, 2, 2, 3]));
    expect([...merged.values]).toEqual([-1, 0, 2, 3]);
    expect([...merged.referenceCounts]).toEqual([1, 2, 1, 0]);
    expect([...merged.currentCounts]).toEqual([0, 1, 2, 1]);
  });

  it('handles an empty sample', () => {
    const merged = mergeSortedSamples(new Float64Array([]), new Float64Array([4, 4]));
    expect([...merged.values]).toEqual([4]);
    expect([...merged.referenceCounts]).toEqual([0]);
  });
});

describe('distributionDistance', () => {
  it('computes KS D and Wasserstein in SQL on a hand-checked example', async () => {
    const [reference, current] = await driftFixtures();
    const distance = await distributionDistance(engine(), reference, current, 'value');
    expect(distance.statistic).toBeCloseTo(0.55, 15);
    expect(distance.wasserstein).toBeCloseTo(1.4, 14);
    expect(distance.referenceSize).toBe(4);
    expect(distance.currentSize).toBe(5);
    expect(distance.reference.notANumber).toBe(1);
  });

  // SciPy 1.10.1: ks_2samp(train, test).statistic and wasserstein_distance(train, test) over the
  // non-missing values read with pandas (adult.test with sep=", ").
  it.each([
    ['age', 0.008194210323058115, 0.23053441401073405],
    ['hours-per-week', 0.004634461738854095, 0.11678728062127368],
    ['fnlwgt', 0.007542447847754652, 1038.012334672189],
  ])('agrees with SciPy on Adult %s', async (column, statistic, wasserstein) => {
    const [train, test] = await adultSplits();
    const distance = await distributionDistance(engine(), train, test, column);
    expect(distance.statistic).toBeCloseTo(statistic, 14);
    expect(Math.abs((distance.wasserstein as number) - wasserstein) / wasserstein).toBeLessThan(1e-12);
    expect([distance.referenceSize, distance.currentSize]).toEqual([32561, 16281]);
  });

  it('agrees with the pooled counts on Adult columns', async () => {
    const [train, test] = await adultSplits();
    for (const column of ['age', 'capital-gain', 'education-num']) {
      const pooled = await pooledValueCounts(engine(), train, test, column);
      const distance = await distributionDistance(engine(), train, test, column);
      const expected = distancesFromPooled(pooled);
      expect(distance.statistic).toBeCloseTo(expected.statistic, 14);
      expect(Math.abs((distance.wasserstein as number) - expected.wasserstein)).toBeLessThan(1e-9 * Math.max(1, expected.wasserstein));
    }
  });

  it('is null for a sample without rows', async () => {
    const [reference] = await driftFixtures();
    const distance = await distributionDistance(engine(), reference, await emptySample(), 'value');
    expect(distance).toMatchObject({ statistic: null, wasserstein: null, referenceSize: 4, currentSize: 0 });
  });
});

describe('compareNumericColumns', () => {
  it('fetches pooled counts up to the limit and distances beyond it', async () => {
    const [train, test] = await adultSplits();
    const loadedTrain = await materializeDataSet(engine(), train, ['age', 'fnlwgt']);
    const loadedTest = await materializeDataSet(engine(), test, ['age', 'fnlwgt']);
    const comparisons = await compareNumericColumns(engine(), loadedTrain, loadedTest, ['age', 'fnlwgt'], { pooledLimit: 48_842 });
    expect(comparisons.map((comparison) => [comparison.column, comparison.kind])).toEqual([
      ['age', 'pooled'],
      ['fnlwgt', 'pooled'],
    ]);
    const beyond = await compareNumericColumns(engine(), loadedTrain, loadedTest, ['age'], { pooledLimit: 48_841 });
    expect(beyond[0]?.kind).toBe('distance');
  });

  it('rejects a date compared with a timestamp', async () => {
    const [reference, current] = await driftFixtures();
    const mixed = await openDataSet(engine(), { path: fixture('drift-current.csv'), csv: { columnTypes: { day: 'TIMESTAMP' } } });
    const error = await appErrorOf(() => compareNumericColumns(engine(), reference, mixed, ['day']));
    expect(error.message).toContain('but date (as in');
    expect(current.column('day').columnType).toBe('date');
  });
});

describe('mergeCountedSample', () => {
  it('equals the merge of the expanded sample', () => {
    const counted: [number, number][] = [[-2, 3], [0, 1], [1.5, 4], [7, 2]];
    const expanded = new Float64Array(counted.flatMap(([value, count]) => Array.from({ length: count }, () => value)));
    for (const current of [[], [-3, -2, -2, 1.5, 8], [0, 0, 0], [7], [-5, 10]]) {
      const sorted = new Float64Array(current);
      expect(mergeCountedSample(counted, sorted)).toEqual(mergeSortedSamples(expanded, sorted));
    }
    expect(mergeCountedSample([], new Float64Array([1, 1, 2]))).toEqual(mergeSortedSamples(new Float64Array(), new Float64Array([1, 1, 2])));
  });
});
