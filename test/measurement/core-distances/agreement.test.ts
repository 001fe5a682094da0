import { describe, expect, it } from 'vitest';
import { cohenKappa, krippendorffAlpha, krippendorffAlphaOfCombinations } from '../../../src/measurement/core/agreement.js';
import { expectClose, referenceValues, valueOf } from './reference-values.js';

describe('cohenKappa', () => {
  for (const testCase of referenceValues.kappa) {
    it(`matches the reference script on ${testCase.name}`, () => {
      const confusion = { labels: testCase.labels, matrix: testCase.matrix };
      expectClose(valueOf(cohenKappa(confusion)), testCase.none);
      expectClose(valueOf(cohenKappa(confusion, { weights: 'linear' })), testCase.linear);
      expectClose(valueOf(cohenKappa(confusion, { weights: 'quadratic' })), testCase.quadratic);
    });
  }

  it('is 0.4 on the yes-no example by hand', () => {
    // p_o = 35 / 50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; (0.7 - 0.5) / 0.5 = 0.4.
    expect(valueOf(cohenKappa({ labels: ['yes', 'no'], matrix: [[20, 5], [10, 15]] }))).toBeCloseTo(0.4, 14);
  });

  it('is 1 and -1 at the extremes', () => {
    expect(valueOf(cohenKappa({ labels: ['a', 'b'], matrix: [[7, 0], [0, 3]] }))).toBe(1);
    expect(valueOf(cohenKappa({ labels: ['a', 'b'], matrix: [[0, 5], [5, 0]] }))).toBe(-1);
  });

  it('is undefined when both annotators use one label', () => {
    expect(cohenKappa({ labels: ['a', 'b'], matrix: [[9, 0], [0, 0]] })).toEqual({
      defined: false,
      reason: 'both annotators gave every item the same single label, so the expected disagreement is 0 and kappa is 0 / 0',
      warnings: [],
    });
    expect(cohenKappa({ labels: ['a'], matrix: [[4]] }, { weights: 'linear' }).defined).toBe(false);
  });

  it('is undefined without items', () => {
    expect(cohenKappa({ labels: ['a', 'b'], matrix: [[0, 0], [0, 0]] })).toMatchObject({ defined: false, reason: 'no item has labels from both annotators' });
  });

  it('rejects a matrix of the wrong shape', () => {
    expect(() => cohenKappa({ labels: ['a', 'b'], matrix: [[1, 2]] })).toThrow('The annotator confusion matrix must be 2 x 2, one row and one column per label, received rows of lengths [2]');
  });
});

describe('krippendorffAlpha', () => {
  for (const testCase of referenceValues.krippendorff) {
    it(`matches the coincidence matrix on ${testCase.name}`, () => {
      expectClose(valueOf(krippendorffAlpha(testCase.units)), testCase.nominal);
      expectClose(valueOf(krippendorffAlpha(testCase.units, { level: 'ordinal' })), testCase.ordinal);
      expectClose(valueOf(krippendorffAlpha(testCase.units, { level: 'interval' })), testCase.interval);
      expectClose(valueOf(krippendorffAlpha(testCase.units, { level: 'ratio' })), testCase.ratio);
    });
  }

  it("gives Krippendorff's published values on his example", () => {
    const example = referenceValues.krippendorff[0]!.units;
    expect(valueOf(krippendorffAlpha(example))).toBeCloseTo(0.743, 3);
    expect(valueOf(krippendorffAlpha(example, { level: 'ordinal' }))).toBeCloseTo(0.815, 3);
    expect(valueOf(krippendorffAlpha(example, { level: 'interval' }))).toBeCloseTo(0.849, 3);
    expect(valueOf(krippendorffAlpha(example, { level: 'ratio' }))).toBeCloseTo(0.797, 3);
  });

  it('gives the same value from counted combinations', () => {
    const units = referenceValues.krippendorff[1]!.units;
    const counted = new Map<string, number>();
    for (const unit of units) counted.set(JSON.stringify(unit), (counted.get(JSON.stringify(unit)) ?? 0) + 1);
    const combinations = [...counted].map(([labels, count]) => ({ labels: (JSON.parse(labels) as (number | null)[]).map((value) => (value === null ? null : String(value))), count }));
    expect(combinations.length).toBeLessThan(units.length);
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expectClose(valueOf(krippendorffAlphaOfCombinations(combinations, { level })), valueOf(krippendorffAlpha(units, { level })));
    }
  });

  it('ranks ordinal labels by the given order', () => {
    const example = referenceValues.krippendorff[0]!.units;
    const names = ['', 'low', 'fair', 'good', 'high', 'top'];
    const named = example.map((unit) => unit.map((value) => (value === null ? null : names[value]!)));
    expectClose(valueOf(krippendorffAlpha(named, { level: 'ordinal', order: names.slice(1) })), referenceValues.krippendorff[0]!.ordinal);
  });

  it('warns about units that cannot be paired', () => {
    expect(krippendorffAlpha(referenceValues.krippendorff[0]!.units).warnings).toEqual(['1 of 12 units have fewer than 2 values and are not pairable']);
  });

  it('ignores the order of annotators within a unit', () => {
    const units = [['a', 'b', 'a'], ['b', 'b'], ['c', 'a', null], ['c', 'c', 'c']];
    const reversed = units.map((unit) => [...unit].reverse());
    expect(valueOf(krippendorffAlpha(reversed))).toBeCloseTo(valueOf(krippendorffAlpha(units)), 14);
  });

  it('is 1 for perfect agreement', () => {
    expect(valueOf(krippendorffAlpha([['x', 'x'], ['y', 'y', 'y'], ['x', null, 'x']]))).toBe(1);
  });

  it('computes two annotators by hand', () => {
    // n = 8 values (3 a, 5 b); 2 ordered disagreeing pairs within units; 64 - 9 - 25 = 30 among all values.
    // alpha = 1 - (n - 1) * 2 / 30 = 8 / 15.
    expect(valueOf(krippendorffAlpha([['a', 'a'], ['a', 'b'], ['b', 'b'], ['b', 'b']]))).toBeCloseTo(8 / 15, 14);
  });

  it('is undefined when every value is the same or nothing is pairable', () => {
    expect(krippendorffAlpha([['a', 'a'], ['a', 'a', 'a']])).toMatchObject({
      defined: false,
      reason: 'every pairable value is the same, so the expected disagreement is 0 and alpha is 0 / 0',
    });
    expect(krippendorffAlpha([['a'], [null, 'b'], []])).toMatchObject({ defined: false, reason: 'no unit has values from at least 2 annotators' });
  });

  it('rejects labels at numeric levels', () => {
    expect(() => krippendorffAlpha([[1, 2], [3, 'high']], { level: 'interval' })).toThrow(
      'interval alpha needs numeric values, received "high" in unit 1; use level nominal for labels',
    );
    expect(() => krippendorffAlpha([['low', 'high']], { level: 'ordinal' })).toThrow(
      'ordinal alpha needs numeric values, received "low" in unit 0; pass the order of the labels, or use level nominal',
    );
    expect(() => krippendorffAlpha([['low', 'mid']], { level: 'ordinal', order: ['low', 'high'] })).toThrow(
      'Ordinal value "mid" in unit 0 is not in the order [low, high]; add it to the order',
    );
    expect(() => krippendorffAlpha([[1, -2]], { level: 'ratio' })).toThrow('ratio alpha needs values >= 0, received -2 in unit 0; use level interval for signed values');
  });

  it('reads numeric strings at numeric levels', () => {
    expect(valueOf(krippendorffAlpha([['1', 2], ['3', '3'], [' 4 ', 5]], { level: 'interval' }))).toBeCloseTo(valueOf(krippendorffAlpha([[1, 2], [3, 3], [4, 5]], { level: 'interval' })), 14);
  });
});
