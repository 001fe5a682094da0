import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ConfusionCounts, RegressionSums, ScoreLabelCounts } from '../../../src/measurement/core/aggregates.js';
import type { Measured } from '../../../src/measurement/core/measured.js';

const testDirectory = path.dirname(fileURLToPath(import.meta.url));

/** Values written by make-reference-values.py (numpy 1.24, scipy 1.10.1). */
export const reference: any = JSON.parse(fs.readFileSync(path.join(testDirectory, 'reference-values.json'), 'utf8'));

export function counts(truePositives: number, falsePositives: number, trueNegatives: number, falseNegatives: number): ConfusionCounts {
  return { truePositives, falsePositives, trueNegatives, falseNegatives };
}

/** Aggregates rows into distinct ascending scores with positive and negative counts, as the data layer does in SQL. */
export function scoreLabelCounts(scores: readonly number[], labels: readonly number[]): ScoreLabelCounts {
  const byScore = new Map<number, { positives: number; negatives: number }>();
  scores.forEach((score, index) => {
    const entry = byScore.get(score) ?? { positives: 0, negatives: 0 };
    if (labels[index] === 1) entry.positives += 1;
    else entry.negatives += 1;
    byScore.set(score, entry);
  });
  const distinct = [...byScore.keys()].sort((a, b) => a - b);
  return {
    scores: Float64Array.from(distinct),
    positives: Float64Array.from(distinct.map((score) => byScore.get(score)?.positives ?? 0)),
    negatives: Float64Array.from(distinct.map((score) => byScore.get(score)?.negatives ?? 0)),
  };
}

export function regressionSums(truth: readonly number[], predicted: readonly number[]): RegressionSums {
  let sumAbsoluteError = 0;
  let sumSquaredError = 0;
  let sumAbsolutePercentage = 0;
  let zeroTruthCount = 0;
  let sumTruth = 0;
  let sumSquaredTruth = 0;
  truth.forEach((y, index) => {
    const error = y - (predicted[index] as number);
    sumAbsoluteError += Math.abs(error);
    sumSquaredError += error * error;
    if (y === 0) zeroTruthCount += 1;
    else sumAbsolutePercentage += Math.abs(error) / Math.abs(y);
    sumTruth += y;
    sumSquaredTruth += y * y;
  });
  return { count: truth.length, sumAbsoluteError, sumSquaredError, sumAbsolutePercentage, zeroTruthCount, sumTruth, sumSquaredTruth };
}

/** Returns the value of a defined measure, failing the test with the reason when it is undefined. */
export function valueOf(measured: Measured): number {
  if (!measured.defined) throw new Error(`expected a defined value, but it is undefined: ${measured.reason}`);
  return measured.value;
}

/** Returns the reason of an undefined measure, failing the test when it has a value. */
export function reasonOf(measured: Measured): string {
  if (measured.defined) throw new Error(`expected an undefined value, but it is ${measured.value}`);
  return measured.reason;
}

/** Asserts |actual − expected| <= tolerance · max(1, |expected|). */
export function expectClose(actual: number, expected: number, tolerance = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}
