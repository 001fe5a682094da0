import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from '../../../src/measurement/core/drift/distances.js';
import {
  datasetDrift,
  decideDrift,
  defaultDriftTest,
  distanceSizeLimit,
  driftTestForColumn,
  findDriftOverrideProblems,
  type ColumnType,
  type DriftTestName,
} from '../../../src/measurement/core/drift/default-test.js';
import { defined, undefinedBecause, type TestResult } from '../../../src/measurement/core/measured.js';
import { expectClose, referenceValues, valueOf } from './reference-values.js';

describe('defaultDriftTest', () => {
  const cases: [ColumnType, number, number, number | undefined, DriftTestName, string][] = [
    ['numerical', 500, 400, undefined, 'kolmogorov-smirnov', 'values'],
    ['numerical', 1000, 400, undefined, 'kolmogorov-smirnov', 'values'],
    ['numerical', 1001, 400, undefined, 'jensen-shannon', 'bins'],
    ['numerical', 1_000_000, 400, 800, 'kolmogorov-smirnov', 'values'],
    ['numerical', 1_000_000, 400, 5000, 'jensen-shannon', 'bins'],
    ['numerical', 200, 2, undefined, 'chi-square', 'categories'],
    ['numerical', 200, 5, undefined, 'chi-square', 'categories'],
    ['numerical', 200, 6, undefined, 'kolmogorov-smirnov', 'values'],
    ['numerical', 50_000, 3, undefined, 'jensen-shannon', 'categories'],
    ['categorical', 900, 2, undefined, 'chi-square', 'categories'],
    ['categorical', 5000, 8, undefined, 'jensen-shannon', 'categories'],
    ['categorical', 5000, 300, undefined, 'chi-square', 'categories'],
    ['categorical', 10_000, 300, undefined, 'chi-square', 'categories'],
    ['categorical', 10_001, 300, undefined, 'jensen-shannon', 'categories'],
  ];
  for (const [columnType, referenceSize, distinctCount, currentSize, test, input] of cases) {
    it(`picks ${test} for ${columnType}, ${referenceSize} rows, ${distinctCount} values, current ${currentSize ?? 'unknown'}`, () => {
      const choice = defaultDriftTest(columnType, referenceSize, distinctCount, currentSize);
      expect(choice.test).toBe(test);
      expect(choice.input).toBe(input);
      expect(choice.source).toBe('default');
      expect(choice.threshold).toBe(choice.kind === 'p-value' ? 0.05 : 0.1);
    });
  }

  it('bins numerical columns on 10 reference quantiles', () => {
    expect(defaultDriftTest('numerical', 5000, 1000).binning).toEqual({ method: 'reference-quantiles', binCount: 10 });
    expect(defaultDriftTest('numerical', 500, 1000).binning).toBeNull();
  });

  it('states the reason', () => {
    expect(defaultDriftTest('categorical', 20_000, 300, 2000).reason).toBe('categorical column with 300 categories and smaller sample size 2000 <= 10000');
  });

  it('size limit grows with the bins', () => {
    expect(distanceSizeLimit(10)).toBe(1000);
    expect(distanceSizeLimit(12)).toBe(1100);
    expect(distanceSizeLimit(101)).toBe(10_000);
  });

  it('rejects negative sizes', () => {
    expect(() => defaultDriftTest('numerical', -1, 3)).toThrow('Invalid drift column: referenceSize must be an integer >= 0, received -1');
  });
});

describe('default test justification', () => {
  const { defaultTest } = referenceValues;

  it('a 0.25 sd shift gives Jensen-Shannon 0.1 on deciles', () => {
    const distance = valueOf(jensenShannonDistance(defaultTest.decileShares, defaultTest.decileSharesShifted));
    expectClose(distance, defaultTest.jensenShannonShift025);
    expect(distance).toBeCloseTo(0.1, 2);
    expect(defaultTest.kolmogorovSmirnovShift025).toBeCloseTo(0.1, 2);
  });

  it('the noise approximation matches simulation within 5 %', () => {
    for (const { bins, referenceSize, currentSize, meanDistance } of defaultTest.noise) {
      const approximation = Math.sqrt(((bins - 1) * (1 / referenceSize + 1 / currentSize)) / (8 * Math.LN2));
      expect(Math.abs(approximation - meanDistance) / meanDistance).toBeLessThan(0.05);
    }
  });

  it('noise at the size limit stays near 0.06', () => {
    for (const bins of [2, 10, 50, 101]) {
      const limit = distanceSizeLimit(bins);
      expect(Math.sqrt(((bins - 1) * (2 / limit)) / (8 * Math.LN2))).toBeLessThanOrEqual(0.061);
    }
  });
});

describe('driftTestForColumn', () => {
  const column = { columnType: 'numerical' as const, referenceSize: 50_000, currentSize: 40_000, distinctCount: 20_000 };

  it('returns the default without an override', () => {
    expect(driftTestForColumn(column)).toEqual(defaultDriftTest('numerical', 50_000, 20_000, 40_000));
  });

  it('takes the test and threshold of the override', () => {
    const choice = driftTestForColumn(column, { test: 'population-stability-index', threshold: 0.25 });
    expect(choice).toMatchObject({ test: 'population-stability-index', kind: 'distance', threshold: 0.25, input: 'bins', source: 'override' });
    expect(choice.binning).toEqual({ method: 'reference-quantiles', binCount: 10 });
  });

  it('gives an overridden test its default threshold', () => {
    expect(driftTestForColumn(column, { test: 'anderson-darling' })).toMatchObject({ threshold: 0.05, kind: 'p-value', input: 'values', binning: null });
  });

  it('takes equal-width binning and a bin count', () => {
    expect(driftTestForColumn(column, { test: 'hellinger', binning: 'equal-width', binCount: 20 }).binning).toEqual({ method: 'equal-width', binCount: 20 });
  });

  it('runs a bin test on categories for a categorical column', () => {
    expect(driftTestForColumn({ columnType: 'categorical', referenceSize: 100, distinctCount: 4 }, { test: 'g-test' }).input).toBe('categories');
  });

  it('rejects invalid overrides with every problem', () => {
    expect(() => driftTestForColumn({ columnType: 'categorical', referenceSize: 100, distinctCount: 4 }, { test: 'kolmogorov-smirnov', binCount: 0 })).toThrow(
      'Invalid drift test override: test "kolmogorov-smirnov" needs ordered numerical values and cannot run on a categorical column; binCount must be an integer >= 1, received 0',
    );
  });

  it('lists threshold problems', () => {
    expect(findDriftOverrideProblems('numerical', { threshold: 0.2 })).toEqual([
      'a threshold needs a test, because the default test switches between a p-value test and a distance with the sample size; add the test it is meant for',
    ]);
    expect(findDriftOverrideProblems('numerical', { test: 'jensen-shannon', threshold: 1.5 })).toEqual(['threshold for jensen-shannon must be a number above 0 and at most 1, received 1.5']);
    expect(findDriftOverrideProblems('numerical', { test: 'kullback-leibler', threshold: 3 })).toEqual([]);
    expect(findDriftOverrideProblems('numerical', { test: 'chi-square', threshold: 1 })).toEqual([
      'a p-value threshold of 1 flags nearly every column; use a value below 1, such as 0.05',
    ]);
    expect(findDriftOverrideProblems('numerical', { test: 'toString' as DriftTestName })[0]).toMatch(/^test "toString" is not a known drift test; use one of kolmogorov-smirnov, /);
  });
});

describe('decideDrift', () => {
  const ks = defaultDriftTest('numerical', 100, 100);
  const js = defaultDriftTest('categorical', 100_000, 4);
  const testResult = (pValue: number): TestResult => ({ statistic: defined(0.3), pValue: defined(pValue), method: 'exact', warnings: ['ties'] });

  it('flags p strictly below the threshold', () => {
    expect(decideDrift(ks, testResult(0.049))).toMatchObject({ defined: true, drifted: true, score: 0.049, rule: 'p-value < threshold', warnings: ['ties'] });
    expect(decideDrift(ks, testResult(0.05))).toMatchObject({ defined: true, drifted: false });
  });

  it('flags a distance at or above the threshold', () => {
    expect(decideDrift(js, defined(0.1))).toMatchObject({ defined: true, drifted: true, rule: 'distance >= threshold' });
    expect(decideDrift(js, defined(0.0999))).toMatchObject({ defined: true, drifted: false });
  });

  it('passes an undefined outcome on', () => {
    expect(decideDrift(js, undefinedBecause('the current sample has no counts in any bin'))).toEqual({
      defined: false,
      reason: 'the current sample has no counts in any bin',
      warnings: [],
    });
    expect(decideDrift(ks, { statistic: defined(1), pValue: null, method: 'none', warnings: [] })).toMatchObject({ defined: false, reason: 'kolmogorov-smirnov returned no p-value' });
  });
});

describe('datasetDrift', () => {
  it('is inclusive at the share', () => {
    expect(datasetDrift(5, 10)).toEqual({ defined: true, drifted: true, share: 0.5, driftedColumns: 5, testedColumns: 10, threshold: 0.5 });
    expect(datasetDrift(4, 10)).toMatchObject({ drifted: false, share: 0.4 });
    expect(datasetDrift(1, 10, 0.1)).toMatchObject({ drifted: true });
  });

  it('is undefined with no tested column', () => {
    expect(datasetDrift(0, 0)).toEqual({ defined: false, reason: 'no column had a defined drift test result' });
  });

  it('rejects impossible counts and shares', () => {
    expect(() => datasetDrift(3, 2)).toThrow('Column counts must be integers with 0 <= drifted <= tested, received drifted 3 and tested 2');
    expect(() => datasetDrift(1, 2, 0)).toThrow('The dataset drift share must be above 0 and at most 1, received 0; the default is 0.5');
  });
});
