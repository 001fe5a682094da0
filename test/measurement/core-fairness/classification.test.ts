import { describe, expect, it } from 'vitest';
import { binaryClassificationMetrics, multiclassMetrics } from '../../../src/measurement/core/classification.js';
import { counts, expectClose, reasonOf, reference, valueOf } from './fixtures.js';

interface MulticlassReference {
  labels: string[];
  matrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  perClass: { precision: number | null; recall: number | null; f1: number | null; support: number }[];
}

describe('binary classification metrics', () => {
  it('computes a hand-worked case', () => {
    // TP 40, FP 10, TN 35, FN 15.
    const metrics = binaryClassificationMetrics(counts(40, 10, 35, 15));
    expect(valueOf(metrics.accuracy)).toBe(75 / 100);
    expect(valueOf(metrics.precision)).toBe(40 / 50);
    expect(valueOf(metrics.recall)).toBe(40 / 55);
    expect(valueOf(metrics.specificity)).toBe(35 / 45);
    expect(valueOf(metrics.f1)).toBe(80 / 105);
    expectClose(valueOf(metrics.balancedAccuracy), (40 / 55 + 35 / 45) / 2);
    expect(metrics.total).toBe(100);
  });

  it('gives F1 as the harmonic mean of precision and recall', () => {
    const metrics = binaryClassificationMetrics(counts(17, 4, 60, 9));
    const precision = valueOf(metrics.precision);
    const recall = valueOf(metrics.recall);
    expectClose(valueOf(metrics.f1), (2 * precision * recall) / (precision + recall));
  });

  it('handles a class that never occurs', () => {
    const noPositives = binaryClassificationMetrics(counts(0, 3, 7, 0));
    expect(reasonOf(noPositives.recall)).toBe('no actual positives');
    expect(valueOf(noPositives.precision)).toBe(0);
    expect(valueOf(noPositives.f1)).toBe(0);
    // Balanced accuracy falls back to the recall of the class present, as scikit-learn's does.
    expect(valueOf(noPositives.balancedAccuracy)).toBe(0.7);
    expect(noPositives.balancedAccuracy.warnings).toEqual(['classes without a defined recall were left out of the average: positive']);

    const nothingPositive = binaryClassificationMetrics(counts(0, 0, 9, 0));
    expect(reasonOf(nothingPositive.f1)).toBe('no actual positives and no predicted positives');
    expect(reasonOf(nothingPositive.precision)).toBe('no predicted positives');

    const empty = binaryClassificationMetrics(counts(0, 0, 0, 0));
    expect(reasonOf(empty.accuracy)).toBe('no rows');
    expect(reasonOf(empty.balancedAccuracy)).toBe('no rows');
  });
});

describe('multiclass metrics', () => {
  const { ordinary, degenerate } = reference.multiclass as { ordinary: MulticlassReference; degenerate: MulticlassReference };

  function check(expected: MulticlassReference) {
    const metrics = multiclassMetrics({ labels: expected.labels, matrix: expected.matrix });
    expectClose(valueOf(metrics.accuracy), expected.accuracy);
    expectClose(valueOf(metrics.balancedAccuracy), expected.balancedAccuracy);
    for (const part of ['precision', 'recall', 'f1'] as const) {
      expectClose(valueOf(metrics.macro[part]), expected.macro[part]);
      expectClose(valueOf(metrics.weighted[part]), expected.weighted[part]);
      expectClose(valueOf(metrics.micro[part]), expected.accuracy);
    }
    metrics.perClass.forEach((entry, index) => {
      const classReference = expected.perClass[index] as MulticlassReference['perClass'][number];
      expect(entry.support).toBe(classReference.support);
      for (const part of ['precision', 'recall', 'f1'] as const) {
        const value = classReference[part];
        if (value === null) expect(entry[part].defined, `${entry.label} ${part}`).toBe(false);
        else expectClose(valueOf(entry[part]), value);
      }
    });
    return metrics;
  }

  it('agrees with scikit-learn definitions on four classes', () => {
    const metrics = check(ordinary);
    expect(metrics.total).toBe(600);
    expect(metrics.macro.precision.warnings).toEqual([]);
  });

  it('excludes undefined classes like zero_division=nan', () => {
    const metrics = check(degenerate);
    const [fish, newt] = [metrics.perClass[3], metrics.perClass[4]];
    if (fish === undefined || newt === undefined) throw new Error('the classes fish and newt are missing');
    expect(reasonOf(fish.precision)).toBe('class fish is never predicted');
    expect(reasonOf(newt.recall)).toBe('class newt does not occur in the truth');
    expect(reasonOf(newt.f1)).toBe('class newt neither occurs in the truth nor is predicted');
    expect(metrics.macro.precision.warnings).toEqual(['classes without a defined precision were left out of the average: fish, newt']);
    expect(metrics.weighted.precision.warnings).toEqual(['classes without a defined precision were left out of the average: fish']);
    // The default zero_division="warn" would average in 0 for fish and newt instead.
    const withZeros = (ordinaryPrecisions(degenerate) + 0 + 0) / 5;
    expect(valueOf(metrics.macro.precision)).toBeGreaterThan(withZeros);
  });

  it('rejects a matrix that does not fit the labels', () => {
    expect(() => multiclassMetrics({ labels: ['a', 'b'], matrix: [[1, 2]] })).toThrow(/must be 2 × 2/);
    expect(() => multiclassMetrics({ labels: ['a', 'a'], matrix: [[1, 2], [3, 4]] })).toThrow(/unique/);
    expect(() => multiclassMetrics({ labels: ['a', 'b'], matrix: [[1, -2], [3, 4]] })).toThrow(/actual a, predicted b is -2/);
  });
});

function ordinaryPrecisions(expected: MulticlassReference): number {
  return expected.perClass.reduce((sum, entry) => sum + (entry.precision ?? 0), 0);
}
