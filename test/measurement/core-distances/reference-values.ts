import fs from 'node:fs';
import { expect } from 'vitest';
import type { Measured } from '../../../src/measurement/core/measured.js';

/** The values written by make-reference-values.py (SciPy 1.10.1, numpy 1.24). */
export interface ReferenceValues {
  readonly distances: readonly {
    readonly name: string;
    readonly reference: number[];
    readonly current: number[];
    readonly epsilon: number;
    readonly jensenShannon: number;
    readonly kullbackLeibler: number;
    readonly populationStabilityIndex: number;
    readonly hellinger: number;
    readonly totalVariation: number;
    readonly kullbackLeiblerUnsmoothed?: number;
    readonly populationStabilityIndexUnsmoothed?: number;
  }[];
  readonly quantiles: readonly { readonly name: string; readonly values: number[]; readonly counts: number[]; readonly binCount: number; readonly quantiles: number[] }[];
  readonly kappa: readonly { readonly name: string; readonly labels: string[]; readonly matrix: number[][]; readonly none: number; readonly linear: number; readonly quadratic: number }[];
  readonly krippendorff: readonly {
    readonly name: string;
    readonly units: (number | null)[][];
    readonly nominal: number;
    readonly ordinal: number;
    readonly interval: number;
    readonly ratio: number;
  }[];
  readonly spc: {
    readonly series: number[];
    readonly process: { readonly mean: number; readonly sigma: number };
    readonly cusumUpper: number[];
    readonly cusumLower: number[];
    readonly ewma: number[];
    readonly ewmaUpper: number[];
    readonly baseline20: { readonly mean: number; readonly sigma: number };
  };
  readonly defaultTest: {
    readonly decileShares: number[];
    readonly decileSharesShifted: number[];
    readonly jensenShannonShift025: number;
    readonly kolmogorovSmirnovShift025: number;
    readonly noise: readonly { readonly bins: number; readonly referenceSize: number; readonly currentSize: number; readonly meanDistance: number }[];
  };
}

export const referenceValues = JSON.parse(fs.readFileSync(new URL('./reference-values.json', import.meta.url), 'utf8')) as ReferenceValues;

/** Asserts that `actual` differs from `expected` by at most `tolerance` times max(1, abs(expected)). */
export function expectClose(actual: number, expected: number, tolerance = 1e-12): void {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${actual} differs from ${expected}`).toBeLessThanOrEqual(tolerance * scale);
}

/** Returns the value of a defined measurement, failing the test when it is undefined. */
export function valueOf(measured: Measured): number {
  if (!measured.defined) throw new Error(`expected a defined value, received undefined because ${measured.reason}`);
  return measured.value;
}
