import { describe, expect, it } from 'vitest';
import { regressionMetrics } from '../../../src/measurement/core/regression.js';
import { expectClose, reasonOf, reference, regressionSums, valueOf } from './fixtures.js';

describe('regression metrics', () => {
  it('agree with numpy on 300 rows', () => {
    const expected = reference.regression as Record<string, number> & { truth: number[]; predicted: number[] };
    const metrics = regressionMetrics(regressionSums(expected.truth, expected.predicted));
    expectClose(valueOf(metrics.meanAbsoluteError), expected.meanAbsoluteError as number);
    expectClose(valueOf(metrics.rootMeanSquaredError), expected.rootMeanSquaredError as number);
    expectClose(valueOf(metrics.meanAbsolutePercentageError), expected.meanAbsolutePercentageError as number);
    // Σy² − (Σy)²/n loses about one digit here (mean 50, spread 12), hence the looser tolerance.
    expectClose(valueOf(metrics.rSquared), expected.rSquared as number, 1e-10);
    expect(metrics.rSquared.warnings).toEqual([]);
  });

  it('compute a hand-worked case', () => {
    const metrics = regressionMetrics(regressionSums([3, -0.5, 2, 7], [2.5, 0, 2, 8]));
    expect(valueOf(metrics.meanAbsoluteError)).toBe(0.5);
    expectClose(valueOf(metrics.rootMeanSquaredError), Math.sqrt(0.375));
    // scikit-learn's documented example: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.948...
    expectClose(valueOf(metrics.rSquared), 1 - 1.5 / 29.1875);
    expectClose(valueOf(metrics.meanAbsolutePercentageError), (0.5 / 3 + 0.5 / 0.5 + 0 + 1 / 7) / 4);
  });

  it('leave MAPE undefined when a truth is 0', () => {
    const metrics = regressionMetrics(regressionSums([0, 2, 4], [1, 2, 5]));
    expect(reasonOf(metrics.meanAbsolutePercentageError)).toBe('the true value is 0 in 1 of 3 rows, where the percentage error is infinite');
    expect(valueOf(metrics.meanAbsoluteError)).toBe(2 / 3);
  });

  it('leave R² undefined for a constant truth', () => {
    expect(reasonOf(regressionMetrics(regressionSums([5, 5, 5], [4, 5, 6])).rSquared)).toBe('the true values are constant, so the total sum of squares is 0');
    // A truth that is constant up to rounding counts as constant too.
    expect(regressionMetrics(regressionSums([1e8, 1e8, 1e8 + 1e-7], [1e8, 1e8, 1e8])).rSquared.defined).toBe(false);
  });

  it('warn when the mean dwarfs the spread', () => {
    const truth = [1e6, 1e6 + 1, 1e6 + 2, 1e6 + 3];
    const metrics = regressionMetrics(regressionSums(truth, [1e6, 1e6 + 1, 1e6 + 2, 1e6 + 2]));
    expect(metrics.rSquared.warnings[0]).toMatch(/^about 12 of 16 digits of the total sum of squares were lost/);
    expectClose(valueOf(metrics.rSquared), 1 - 1 / 5, 1e-3);
  });

  it('are undefined without rows and reject impossible sums', () => {
    expect(reasonOf(regressionMetrics(regressionSums([], [])).meanAbsoluteError)).toBe('no rows');
    const sums = regressionSums([1, 2], [1, 2]);
    expect(() => regressionMetrics({ ...sums, sumSquaredError: -1 })).toThrow(/sumSquaredError is -1/);
    expect(() => regressionMetrics({ ...sums, zeroTruthCount: 3 })).toThrow(/cannot exceed count/);
  });
});
