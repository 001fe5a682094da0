import { describe, expect, it } from 'vitest';
import { PageHinkleyDetector, pageHinkley } from '../../../src/measurement/core/spc.js';

const sensitive = { delta: 0, threshold: 2, alpha: 1, minInstances: 1 };

describe('pageHinkley', () => {
  it('computes the statistics by hand', () => {
    // After three zeros, x = 3 makes the mean 0.75 and U = 3 - 0.75 = 2.25 >= 2.
    const chart = pageHinkley([0, 0, 0, 3], sensitive);
    expect(chart.points[3]).toEqual({ index: 3, value: 3, mean: 0.75, increase: 2.25, decrease: 0 });
    expect(chart.breaches).toEqual([{ index: 3, rule: 'page-hinkley-increase', value: 3, side: 'above' }]);
  });

  it('detects a decrease', () => {
    expect(pageHinkley([0, 0, 0, -3], sensitive).breaches).toEqual([{ index: 3, rule: 'page-hinkley-decrease', value: -3, side: 'below' }]);
  });

  it('watches one direction when asked', () => {
    expect(pageHinkley([0, 0, 0, -3], { ...sensitive, direction: 'increase' }).breaches).toEqual([]);
  });

  it('waits for minInstances values', () => {
    const chart = pageHinkley([0, 0, 0, 3], { ...sensitive, minInstances: 5 });
    expect(chart.breaches).toEqual([]);
    expect(chart.warnings).toEqual(['the series has 4 points and no alarm can fire before 5']);
  });

  it('restarts after an alarm', () => {
    const chart = pageHinkley([0, 0, 0, 3, 3], sensitive);
    expect(chart.points[4]).toEqual({ index: 4, value: 3, mean: 3, increase: 0, decrease: 0 });
  });

  it('finds a step of 10 with the defaults', () => {
    const series = [...new Array<number>(100).fill(0), ...new Array<number>(100).fill(10)];
    expect(pageHinkley(series).breaches[0]).toMatchObject({ index: 105, rule: 'page-hinkley-increase' });
  });

  it('stays quiet on a constant series', () => {
    expect(pageHinkley(new Array<number>(500).fill(7)).breaches).toEqual([]);
  });

  it('copies timestamps', () => {
    expect(pageHinkley([0, 0, 0, 3], { ...sensitive, timestamps: ['a', 'b', 'c', 'd'] }).breaches[0]?.timestamp).toBe('d');
  });
});

describe('PageHinkleyDetector', () => {
  it('continues from a stored state', () => {
    const series = [1, 2, 1, 2, 1, 5, 6, 5, 6, 5, 6];
    const whole = new PageHinkleyDetector(sensitive);
    const wholeUpdates = series.map((value) => whole.update(value));

    const first = new PageHinkleyDetector(sensitive);
    series.slice(0, 6).forEach((value) => first.update(value));
    const second = new PageHinkleyDetector(sensitive, first.state);
    const resumed = series.slice(6).map((value) => second.update(value));
    expect(resumed).toEqual(wholeUpdates.slice(6));
  });

  it('resets to the initial state', () => {
    const detector = new PageHinkleyDetector(sensitive);
    detector.update(4);
    detector.reset();
    expect(detector.state).toEqual({ count: 0, mean: 0, increase: 0, decrease: 0, driftDetected: false });
  });

  it('has the river defaults', () => {
    expect(new PageHinkleyDetector().options).toEqual({ delta: 0.005, threshold: 50, alpha: 0.9999, minInstances: 30, direction: 'both' });
  });

  it('rejects invalid options with every problem', () => {
    expect(() => new PageHinkleyDetector({ alpha: 0, minInstances: 0.5 })).toThrow(
      'Invalid Page-Hinkley options: alpha must be above 0 and at most 1, received 0; minInstances must be an integer >= 1, received 0.5',
    );
  });

  it('rejects a non-finite value', () => {
    expect(() => new PageHinkleyDetector().update(Number.POSITIVE_INFINITY)).toThrow('Page-Hinkley values must be finite numbers, received Infinity');
  });
});
