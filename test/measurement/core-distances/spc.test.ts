import { describe, expect, it } from 'vitest';
import { cusumChart, estimateBaseline, ewmaChart, shewhartChart, type SpcBreach } from '../../../src/measurement/core/spc.js';
import { expectClose, referenceValues } from './reference-values.js';

const standard = { process: { mean: 0, sigma: 1 } };

function breachesOf(chart: { defined: boolean }): readonly SpcBreach[] {
  if (!('breaches' in chart)) throw new Error(`expected a defined chart, received ${JSON.stringify(chart)}`);
  return chart.breaches as readonly SpcBreach[];
}

function rulesAt(series: number[]): [number, string][] {
  return breachesOf(shewhartChart(series, standard)).map((breach) => [breach.index, breach.rule]);
}

describe('estimateBaseline', () => {
  it('uses mean and moving range of 20 points', () => {
    const baseline = estimateBaseline(referenceValues.spc.series);
    if (!baseline.defined) throw new Error(baseline.reason);
    expectClose(baseline.value.mean, referenceValues.spc.baseline20.mean);
    expectClose(baseline.value.sigma, referenceValues.spc.baseline20.sigma);
    expect(baseline.value).toMatchObject({ length: 20, source: 'baseline' });
  });

  it('is undefined for a series shorter than the baseline', () => {
    expect(shewhartChart([1, 2, 3])).toEqual({
      defined: false,
      reason: 'the baseline needs 20 points and the series has 3; pass a shorter baselineLength (at least 2) or the known process mean and sigma',
      warnings: [],
    });
  });

  it('is undefined for a constant baseline', () => {
    expect(cusumChart([5, 5, 5, 5, 9], { baselineLength: 4 })).toMatchObject({
      defined: false,
      reason: 'the 4 baseline points are all equal, so sigma is 0 and any change would breach; pass the known process sigma',
    });
  });

  it('warns about a short baseline', () => {
    const chart = ewmaChart([1, 2, 1, 2, 1], { baselineLength: 5 });
    expect(chart.warnings).toEqual(['sigma comes from 5 baseline points; below 20 points the limits are imprecise']);
  });

  it('rejects invalid input', () => {
    expect(() => shewhartChart([1, Number.NaN], standard)).toThrow('Series values must be finite numbers, received NaN at index 1');
    expect(() => shewhartChart([1, 2], { baselineLength: 1 })).toThrow('baselineLength must be an integer >= 2');
    expect(() => shewhartChart([1, 2], { ...standard, timestamps: ['2024-01-01'] })).toThrow('timestamps must have one entry per point, received 1 timestamps for 2 points');
    expect(() => shewhartChart([1, 2], { process: { mean: 0, sigma: 0 } })).toThrow('The process mean must be finite and its sigma above 0, received mean 0 and sigma 0');
  });
});

describe('shewhartChart', () => {
  it('sets limits at 3 sigma', () => {
    const chart = shewhartChart([10, 12], { process: { mean: 10, sigma: 2 } });
    expect(chart).toMatchObject({ defined: true, centre: 10, sigma: 2, limits: { lower: 4, upper: 16 } });
  });

  it('rule 1 fires strictly beyond 3 sigma', () => {
    expect(rulesAt([0, 3.5, -3.2, 0, 3])).toEqual([
      [1, 'beyond-3-sigma'],
      [2, 'beyond-3-sigma'],
    ]);
  });

  it('rule 2 fires on two of three beyond 2 sigma on one side', () => {
    expect(rulesAt([0, 2.5, 0, 2.1])).toEqual([[3, 'two-of-three-beyond-2-sigma']]);
    expect(rulesAt([0, -2.5, -2.1])).toEqual([[2, 'two-of-three-beyond-2-sigma']]);
    expect(rulesAt([0, 2.5, -2.5, 0])).toEqual([]);
    expect(rulesAt([0, 2.5, 2.5, 0])).toEqual([[2, 'two-of-three-beyond-2-sigma']]);
  });

  it('rule 3 fires on four of five beyond 1 sigma on one side', () => {
    expect(rulesAt([1.5, 1.2, 0.5, 1.1, 1.3])).toEqual([[4, 'four-of-five-beyond-1-sigma']]);
    expect(rulesAt([1.5, 1.2, 0.5, 1.1, -1.3])).toEqual([]);
  });

  it('rule 4 fires on eight on one side', () => {
    expect(rulesAt(new Array<number>(9).fill(0.5))).toEqual([
      [7, 'eight-on-one-side'],
      [8, 'eight-on-one-side'],
    ]);
  });

  it('rule 4 run ends on the centre line', () => {
    expect(rulesAt([...new Array<number>(4).fill(-0.5), 0, ...new Array<number>(4).fill(-0.5)])).toEqual([]);
  });

  it('reports several rules at one point', () => {
    const series = [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3.5];
    expect(breachesOf(shewhartChart(series, standard)).filter((breach) => breach.index === 7).map((breach) => breach.rule)).toEqual([
      'beyond-3-sigma',
      'two-of-three-beyond-2-sigma',
      'four-of-five-beyond-1-sigma',
      'eight-on-one-side',
    ]);
  });

  it('applies only the chosen rules', () => {
    const chart = shewhartChart([0, 3.5, 2.5, 2.5], { ...standard, rules: ['beyond-3-sigma'] });
    expect(breachesOf(chart).map((breach) => breach.rule)).toEqual(['beyond-3-sigma']);
  });

  it('copies timestamps into points and breaches', () => {
    const chart = shewhartChart([0, 4], { ...standard, timestamps: ['2024-01-01', '2024-01-02'] });
    expect(breachesOf(chart)).toEqual([{ index: 1, rule: 'beyond-3-sigma', value: 4, side: 'above', timestamp: '2024-01-02' }]);
  });
});

describe('cusumChart', () => {
  const { spc } = referenceValues;
  const expectedBreaches = spc.cusumUpper.flatMap((sum, index) => (sum > 5 * spc.process.sigma ? [index] : []));

  it('matches the tabular sums of the reference script', () => {
    const chart = cusumChart(spc.series, { process: spc.process });
    if (!chart.defined) throw new Error(chart.reason);
    chart.points.forEach((point, index) => {
      expectClose(point.upper, spc.cusumUpper[index]!, 1e-9);
      expectClose(point.lower, spc.cusumLower[index]!, 1e-9);
    });
    expect(chart.breaches.map((breach) => breach.index)).toEqual(expectedBreaches);
  });

  it('finds the step after point 30', () => {
    expect(expectedBreaches.length).toBeGreaterThan(0);
    expect(expectedBreaches[0]).toBeGreaterThanOrEqual(30);
  });

  it('uses k 0.5 and h 5 sigma by default', () => {
    const chart = cusumChart([10, 11], { process: { mean: 10, sigma: 2 } });
    expect(chart).toMatchObject({ allowance: 1, decisionInterval: 10 });
  });

  it('restarts the sum after a breach', () => {
    // C+ grows by 2.5 per point of 3: 2.5, 5, 7.5 > 5 at index 4, then again from 0.
    const series = [0, 0, 3, 3, 3, 3, 3, 3];
    expect(breachesOf(cusumChart(series, standard)).map((breach) => breach.index)).toEqual([4, 7]);
    expect(breachesOf(cusumChart(series, { ...standard, resetAfterBreach: false })).map((breach) => breach.index)).toEqual([4, 5, 6, 7]);
  });

  it('detects a downward shift on the lower sum', () => {
    expect(breachesOf(cusumChart([0, -2, -2, -2, -2], standard))).toEqual([{ index: 4, rule: 'cusum-lower', value: -2, side: 'below' }]);
  });

  it('rejects a negative allowance', () => {
    expect(() => cusumChart([0], { ...standard, k: -1 })).toThrow('CUSUM allowance k must be a finite number >= 0 (in sigma units), received -1');
  });
});

describe('ewmaChart', () => {
  const { spc } = referenceValues;

  it('matches the statistic and exact limits of the reference script', () => {
    const chart = ewmaChart(spc.series, { process: spc.process });
    if (!chart.defined) throw new Error(chart.reason);
    chart.points.forEach((point, index) => {
      expectClose(point.ewma, spc.ewma[index]!, 1e-9);
      expectClose(point.upper, spc.ewmaUpper[index]!, 1e-9);
    });
    const expected = spc.ewma.flatMap((value, index) => (value > spc.ewmaUpper[index]! || value < 2 * spc.process.mean - spc.ewmaUpper[index]! ? [index] : []));
    expect(chart.breaches.map((breach) => breach.index)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('starts with narrow limits that widen to the asymptote', () => {
    const chart = ewmaChart([0, 0, 0], standard);
    if (!chart.defined) throw new Error(chart.reason);
    expectClose(chart.points[0]!.upper, 3 * 0.2);
    expectClose(chart.limits.upper, 3 * Math.sqrt(0.2 / 1.8));
    expect(chart.points[2]!.upper).toBeLessThan(chart.limits.upper);
  });

  it('flags a point whose statistic leaves the limits', () => {
    // z1 = 0.2 * 4 = 0.8 > 0.6, the first exact limit.
    expect(breachesOf(ewmaChart([4], standard))).toEqual([{ index: 0, rule: 'ewma-upper', value: 4, side: 'above' }]);
  });

  it('rejects lambda outside (0, 1]', () => {
    expect(() => ewmaChart([0], { ...standard, lambda: 0 })).toThrow('EWMA lambda must be above 0 and at most 1, received 0');
  });
});
