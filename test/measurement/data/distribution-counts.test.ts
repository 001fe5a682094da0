import { describe, expect, it } from 'vitest';

import { binnedCounts, columnQuantiles, columnsQuantiles, compareCategories, compareCategoryColumns, openDataSet, type DataSet } from '../../../src/measurement/data/index.js';
import { adultTestPath, adultTrainPath, appErrorOf, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();

async function driftFixtures(): Promise<[DataSet, DataSet]> {
  return [await openDataSet(engine(), { path: fixture('drift-reference.csv') }), await openDataSet(engine(), { path: fixture('drift-current.csv') })];
}

describe('columnQuantiles', () => {
  it('interpolates linearly between finite values', async () => {
    const [reference] = await driftFixtures();
    expect(await columnQuantiles(engine(), reference, 'value', [0, 0.25, 0.5, 1])).toEqual([1, 1.75, 2, 3]);
  });

  it('is null without finite values', async () => {
    const empty = await openDataSet(engine(), { path: fixture('drift-empty.csv'), csv: { columnTypes: { value: 'DOUBLE' } } });
    expect(await columnQuantiles(engine(), empty, 'value', [0.5])).toBeNull();
  });

  it('rejects a probability outside [0, 1]', async () => {
    const [reference] = await driftFixtures();
    const error = await appErrorOf(() => columnQuantiles(engine(), reference, 'value', [0.5, 1.5]));
    expect(error.message).toBe('Quantile probabilities must lie in [0, 1]; 1.5 does not');
  });
});

describe('binnedCounts', () => {
  it('bins several columns in one scan, closing the last bin on the right', async () => {
    const [reference, current] = await driftFixtures();
    const firstOfJanuary = Date.UTC(2024, 0, 1) / 86_400_000;
    const specs = [
      { column: 'value', edges: [1, 2, 3] },
      { column: 'day', edges: [firstOfJanuary + 1, firstOfJanuary + 3, firstOfJanuary + 5] },
    ];
    const referenceBins = await binnedCounts(engine(), reference, specs);
    expect(referenceBins.get('value')).toEqual({
      edges: [1, 2, 3],
      counts: [1, 3],
      below: 0,
      above: 0,
      excluded: { missing: 1, positiveInfinity: 1, negativeInfinity: 0, notANumber: 1 },
    });
    expect(referenceBins.get('day')).toMatchObject({ counts: [2, 3], below: 1, above: 0 });

    const currentBins = await binnedCounts(engine(), current, specs);
    expect(currentBins.get('value')).toMatchObject({ counts: [0, 3], below: 0, above: 2 });
    expect(currentBins.get('value')?.excluded.negativeInfinity).toBe(1);
  });

  it('rejects edges that do not increase', async () => {
    const [reference] = await driftFixtures();
    const error = await appErrorOf(() => binnedCounts(engine(), reference, [{ column: 'value', edges: [1, 1, 2] }]));
    expect(error.message).toBe('The bin edges for "value" must be at least two finite numbers in strictly increasing order, not [1, 1, 2]');
  });
});

describe('compareCategories', () => {
  it('keeps the top categories and folds the rest into "(other)"', async () => {
    const [reference, current] = await driftFixtures();
    const comparison = await compareCategories(engine(), reference, current, 'colour', { topK: 2 });
    expect(comparison.reference.counts).toEqual(new Map([['blue', 2], ['red', 3], ['(other)', 1]]));
    expect(comparison.current.counts).toEqual(new Map([['blue', 2], ['red', 1], ['(other)', 2]]));
    expect(comparison).toMatchObject({ otherKey: '(other)', otherCategories: 2, distinctCount: 4 });
    expect([comparison.reference.missing, comparison.current.missing]).toEqual([1, 1]);
  });

  it('counts a category seen on one side as 0 on the other', async () => {
    const [reference, current] = await driftFixtures();
    const comparison = await compareCategories(engine(), reference, current, 'colour');
    expect(comparison.otherKey).toBeNull();
    expect(comparison.reference.counts.get('purple')).toBe(0);
    expect(comparison.current.counts.get('green')).toBe(0);
  });

  it('compares Adult\'s splits after recoding the test labels', async () => {
    const train = await openDataSet(engine(), { path: adultTrainPath, csv: { nullStrings: ['?'] } });
    const test = await openDataSet(engine(), {
      path: adultTestPath,
      csv: { delimiter: ', ', nullStrings: ['?'] },
      recode: { Y: { '>50K.': '>50K', '<=50K.': '<=50K' } },
    });
    const workclass = await compareCategories(engine(), train, test, 'workclass');
    expect([workclass.reference.missing, workclass.current.missing]).toEqual([1836, 963]);
    expect(workclass.distinctCount).toBe(8);
    expect(test.column('Y').columnType).toBe('categorical');
  });
});

describe('compareCategoryColumns', () => {
  it('counts several columns as compareCategories does', async () => {
    const train = await openDataSet(engine(), { path: adultTrainPath, csv: { nullStrings: ['?'] } });
    const test = await openDataSet(engine(), { path: adultTestPath, csv: { delimiter: ', ', nullStrings: ['?'] } });
    const columns = ['workclass', 'education', 'native-country'];
    const together = await compareCategoryColumns(engine(), train, test, columns, { topK: 10 });
    for (const column of columns) {
      expect(together.get(column), column).toEqual(await compareCategories(engine(), train, test, column, { topK: 10 }));
    }
  });
});

describe('binnedCounts edges', () => {
  it('puts a value on an edge into the bin that starts there', async () => {
    const [reference] = await driftFixtures();
    const bins = await binnedCounts(engine(), reference, [{ column: 'value', edges: [1, 2] }]);
    expect(bins.get('value')).toMatchObject({ counts: [3], below: 0, above: 1 });
    const split = await binnedCounts(engine(), reference, [{ column: 'value', edges: [0, 1, 1.5, 3] }]);
    expect(split.get('value')).toMatchObject({ counts: [0, 1, 3], below: 0, above: 0 });
  });

  it('counts one value on the edges of a constant reference', async () => {
    const [reference] = await driftFixtures();
    const bins = await binnedCounts(engine(), reference, [{ column: 'value', edges: [2, 2] }]);
    expect(bins.get('value')).toMatchObject({ edges: [2, 2], counts: [2], below: 1, above: 1 });
  });
});

describe('columnsQuantiles', () => {
  it('gives the exact quantiles of columnQuantiles without approximation', async () => {
    const [reference] = await driftFixtures();
    const quantiles = await columnsQuantiles(engine(), reference, ['value'], [0, 0.25, 0.5, 1], { approximate: false });
    expect(quantiles.get('value')).toEqual(await columnQuantiles(engine(), reference, 'value', [0, 0.25, 0.5, 1]));
  });
});
