import { describe, expect, it } from 'vitest';
import { standardNormalQuantile, wilsonInterval } from '../../../src/measurement/core/confidence-intervals.js';
import { expectClose, reference } from './fixtures.js';

describe('standard normal quantile', () => {
  it('agrees with scipy.stats.norm.ppf to 1e-12', () => {
    for (const { probability, quantile } of reference.normalQuantiles as { probability: number; quantile: number }[]) {
      const actual = standardNormalQuantile(probability);
      // Relative tolerance, also for the quantile 2.5e-7 of 0.5000001.
      expect(Math.abs(actual - quantile), `p = ${probability}`).toBeLessThanOrEqual(1e-12 * Math.abs(quantile));
    }
  });

  it('is antisymmetric around 0.5', () => {
    for (const p of [0.01, 0.2, 0.45]) expectClose(standardNormalQuantile(p), -standardNormalQuantile(1 - p), 1e-14);
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => standardNormalQuantile(0)).toThrow(/strictly between 0 and 1/);
    expect(() => standardNormalQuantile(1)).toThrow(/strictly between 0 and 1/);
  });
});

describe('Wilson interval', () => {
  it('agrees with the Wilson formula evaluated in numpy', () => {
    for (const testCase of reference.wilson as { successes: number; trials: number; confidence: number; lower: number; upper: number }[]) {
      const interval = wilsonInterval(testCase.successes, testCase.trials, testCase.confidence);
      if (!interval.defined) throw new Error(interval.reason);
      expectClose(interval.lower, testCase.lower);
      expectClose(interval.upper, testCase.upper);
    }
  });

  it('has bounds where the score test is exactly significant', () => {
    // Each bound p0 solves |p̂ − p0| = z · sqrt(p0 (1 − p0) / n), which defines the Wilson interval.
    const z = standardNormalQuantile(0.975);
    for (const [successes, trials] of [[3, 17], [40, 41], [500, 1000]] as const) {
      const interval = wilsonInterval(successes, trials);
      if (!interval.defined) throw new Error(interval.reason);
      for (const bound of [interval.lower, interval.upper]) {
        expectClose(Math.abs(successes / trials - bound), z * Math.sqrt((bound * (1 - bound)) / trials), 1e-12);
      }
    }
  });

  it('reaches exactly 0 and 1 at the extremes', () => {
    expect(wilsonInterval(0, 25)).toMatchObject({ defined: true, lower: 0 });
    expect(wilsonInterval(25, 25)).toMatchObject({ defined: true, upper: 1 });
  });

  it('is undefined without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ defined: false, reason: 'no trials: the rate has an empty denominator', confidence: 0.95, method: 'wilson' });
  });

  it('narrows as the confidence level falls', () => {
    const wide = wilsonInterval(30, 100, 0.99);
    const narrow = wilsonInterval(30, 100, 0.8);
    if (!wide.defined || !narrow.defined) throw new Error('intervals must be defined');
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('rejects impossible counts and confidence levels', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/successes is 5 and trials is 4/);
    expect(() => wilsonInterval(1, 4, 95)).toThrow(/strictly between 0 and 1, for example 0.95, but it is 95/);
  });
});
