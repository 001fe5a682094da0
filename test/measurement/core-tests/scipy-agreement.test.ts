import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { andersonDarlingKSample } from '../../../src/measurement/core/drift/anderson-darling.js';
import { chiSquareHomogeneity, gTest } from '../../../src/measurement/core/drift/chi-square.js';
import { kolmogorovSmirnov, type KolmogorovSmirnovMethod } from '../../../src/measurement/core/drift/kolmogorov-smirnov.js';
import { wassersteinDistance, wassersteinNormalized } from '../../../src/measurement/core/drift/wasserstein.js';
import {
  chiSquareSurvival,
  durbinMatrixCdf,
  kolmogorovSmirnovSurvival,
  pelzGoodCdf,
  pomeranzCdf,
  smirnovSurvival,
  twoSampleKolmogorovSmirnovSurvival,
} from '../../../src/measurement/core/special-functions.js';
import { categoryCounts, pooledValueCounts, reasonOf, valueOf } from './fixtures.js';

// Reference values written by test/measurement/reference/make-scipy-cases.py with SciPy 1.10.1.
interface ScipyCases {
  readonly versions: { readonly scipy: string };
  readonly kolmogorovSmirnov: readonly {
    readonly name: string;
    readonly method: KolmogorovSmirnovMethod;
    readonly reference: number[];
    readonly current: number[];
    readonly statistic: number;
    readonly pValue: number;
    readonly pValueMethod: 'exact' | 'asymptotic';
  }[];
  readonly andersonDarling: readonly {
    readonly name: string;
    readonly reference: number[];
    readonly current: number[];
    readonly statistic: number;
    readonly criticalValues: number[];
    readonly pValue: number;
    readonly pValueBound: 'capped' | 'floored' | null;
  }[];
  readonly wasserstein: readonly {
    readonly name: string;
    readonly reference: number[];
    readonly current: number[];
    readonly distance: number;
    readonly normalized: number | null;
  }[];
  readonly contingency: readonly {
    readonly name: string;
    readonly reference: Record<string, number>;
    readonly current: Record<string, number>;
    readonly categories: string[];
    readonly degreesOfFreedom: number;
    readonly chiSquare: { readonly statistic: number; readonly pValue: number };
    readonly gTest: { readonly statistic: number; readonly pValue: number };
  }[];
  readonly grids: Readonly<Record<string, number[][]>>;
}

const cases = JSON.parse(readFileSync(new URL('../reference/scipy-cases.json', import.meta.url), 'utf8')) as ScipyCases;

// Every statistic and p-value must agree with SciPy to a relative 1e-9. Values below 1e-300 in
// magnitude are compared with an absolute tolerance of 1e-300 instead: there SciPy returns 0 for
// some results that this code still returns as tiny (subnormal) numbers, and no decision depends
// on the difference.
const RELATIVE_TOLERANCE = 1e-9;
const ABSOLUTE_FLOOR = 1e-300;

function expectClose(actual: number, expected: number, label: string): void {
  const tolerance = Math.max(RELATIVE_TOLERANCE * Math.abs(expected), ABSOLUTE_FLOOR);
  expect(Math.abs(actual - expected), `${label}: ${actual} against SciPy ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('agreement with SciPy', () => {
  it('uses reference values of SciPy 1.10.1', () => {
    expect(cases.versions.scipy).toBe('1.10.1');
    const twoSampleCases =
      cases.kolmogorovSmirnov.length + cases.andersonDarling.length + cases.wasserstein.length + cases.contingency.length;
    expect(twoSampleCases).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.kolmogorovSmirnov)('Kolmogorov-Smirnov: $name', (testCase) => {
    const result = kolmogorovSmirnov(pooledValueCounts(testCase.reference, testCase.current), { method: testCase.method });
    expectClose(valueOf(result.statistic), testCase.statistic, 'statistic');
    expectClose(valueOf(result.pValue), testCase.pValue, 'p-value');
    expect(result.method).toBe(testCase.pValueMethod);
  });

  it.each(cases.andersonDarling)('Anderson-Darling: $name', (testCase) => {
    const result = andersonDarlingKSample(pooledValueCounts(testCase.reference, testCase.current));
    expectClose(valueOf(result.statistic), testCase.statistic, 'statistic');
    expectClose(valueOf(result.pValue), testCase.pValue, 'p-value');
    expect(result.criticalValues.map((critical) => critical.value)).toEqual(testCase.criticalValues);
    const boundWarnings = result.warnings.filter((warning) => /^p-value (capped|floored)/.test(warning));
    expect(boundWarnings.map((warning) => warning.split(' ')[1])).toEqual(testCase.pValueBound === null ? [] : [testCase.pValueBound]);
  });

  it.each(cases.wasserstein)('Wasserstein: $name', (testCase) => {
    const pooled = pooledValueCounts(testCase.reference, testCase.current);
    expectClose(valueOf(wassersteinDistance(pooled)), testCase.distance, 'distance');
    const normalized = wassersteinNormalized(pooled);
    if (testCase.normalized === null) expect(reasonOf(normalized)).toContain('constant');
    else expectClose(valueOf(normalized), testCase.normalized, 'normalized distance');
  });

  it.each(cases.contingency)('chi-square and G-test: $name', (testCase) => {
    const reference = categoryCounts(testCase.reference);
    const current = categoryCounts(testCase.current);
    const pearson = chiSquareHomogeneity(reference, current);
    expect(pearson.categories).toEqual(testCase.categories);
    expect(pearson.degreesOfFreedom).toBe(testCase.degreesOfFreedom);
    expectClose(valueOf(pearson.statistic), testCase.chiSquare.statistic, 'chi-square statistic');
    expectClose(valueOf(pearson.pValue), testCase.chiSquare.pValue, 'chi-square p-value');

    const likelihood = gTest(reference, current);
    expect(likelihood.degreesOfFreedom).toBe(testCase.degreesOfFreedom);
    expectClose(valueOf(likelihood.statistic), testCase.gTest.statistic, 'G statistic');
    expectClose(valueOf(likelihood.pValue), testCase.gTest.pValue, 'G-test p-value');
  });

  const gridFunctions: Record<string, (row: number[]) => number> = {
    kolmogorovSmirnovSurvival: ([n, d]) => kolmogorovSmirnovSurvival(n!, d!),
    smirnovSurvival: ([n, d]) => smirnovSurvival(n!, d!),
    chiSquareSurvival: ([x, degreesOfFreedom]) => chiSquareSurvival(x!, degreesOfFreedom!),
    durbinMatrixCdf: ([n, d]) => durbinMatrixCdf(n!, d!),
    pomeranzCdf: ([n, d]) => pomeranzCdf(n!, d!),
    pelzGoodCdf: ([n, d]) => pelzGoodCdf(n!, d!),
    twoSampleKolmogorovSmirnovSurvival: ([m, n, h]) => twoSampleKolmogorovSmirnovSurvival(m!, n!, h!),
  };

  it.each(Object.keys(gridFunctions))('distribution grid: %s', (name) => {
    const rows = cases.grids[name]!;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const expected = row[row.length - 1]!;
      expectClose(gridFunctions[name]!(row), expected, `${name}(${row.slice(0, -1).join(', ')})`);
    }
  });
});
