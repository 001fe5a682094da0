import { describe, expect, it } from 'vitest';
import { averagePrecision, prAuc, rocAuc, rocCurve } from '../../../src/measurement/core/ranking.js';
import { expectClose, reasonOf, reference, scoreLabelCounts, valueOf } from './fixtures.js';

const scored = reference.scores as { scores: number[]; labels: number[]; rocAuc: number; mannWhitneyAuc: number; averagePrecision: number };

describe('ROC AUC', () => {
  it('agrees with the trapezoid rule and the Mann-Whitney U of SciPy', () => {
    const auc = valueOf(rocAuc(scoreLabelCounts(scored.scores, scored.labels)));
    expectClose(auc, scored.rocAuc);
    expectClose(auc, scored.mannWhitneyAuc);
  });

  it('counts ties as one half', () => {
    // Positives at 0.2 and 0.5, negatives at 0.5 and 0.1: pairs (0.2 > 0.1), (0.2 < 0.5), (0.5 = 0.5), (0.5 > 0.1).
    const counts = scoreLabelCounts([0.2, 0.5, 0.5, 0.1], [1, 1, 0, 0]);
    expect(valueOf(rocAuc(counts))).toBe(2.5 / 4);
    const allTied = scoreLabelCounts([0.7, 0.7, 0.7], [1, 0, 1]);
    expect(valueOf(rocAuc(allTied))).toBe(0.5);
  });

  it('does not change under a monotone transformation of the scores', () => {
    const counts = scoreLabelCounts(scored.scores.map((score) => Math.exp(3 * score) - 7), scored.labels);
    expectClose(valueOf(rocAuc(counts)), scored.rocAuc);
  });

  it('is undefined when a class is absent', () => {
    expect(reasonOf(rocAuc(scoreLabelCounts([0.1, 0.4], [1, 1])))).toMatch(/^no actual negatives/);
    expect(reasonOf(rocAuc(scoreLabelCounts([0.1, 0.4], [0, 0])))).toMatch(/^no actual positives/);
    expect(reasonOf(rocAuc(scoreLabelCounts([], [])))).toBe('no rows');
  });

  it('traces the curve from (0, 0) to (1, 1)', () => {
    const curve = rocCurve(scoreLabelCounts([0.2, 0.5, 0.5, 0.1], [1, 1, 0, 0]));
    if (curve.points === null) throw new Error(curve.reason);
    expect(curve.points).toEqual([
      { threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 },
      { threshold: 0.5, falsePositiveRate: 0.5, truePositiveRate: 0.5 },
      { threshold: 0.2, falsePositiveRate: 0.5, truePositiveRate: 1 },
      { threshold: 0.1, falsePositiveRate: 1, truePositiveRate: 1 },
    ]);
  });

  it('rejects unsorted or repeated scores', () => {
    const bad = { scores: Float64Array.from([0.5, 0.5]), positives: Float64Array.from([1, 0]), negatives: Float64Array.from([0, 1]) };
    expect(() => rocAuc(bad)).toThrow(/distinct and ascending, but score 1 \(0.5\) follows 0.5/);
    const short = { scores: Float64Array.from([0.5]), positives: Float64Array.from([1, 0]), negatives: Float64Array.from([0]) };
    expect(() => rocAuc(short)).toThrow(/one positive and one negative count per score/);
  });
});

describe('PR AUC as average precision', () => {
  it('agrees with the scikit-learn step definition', () => {
    expectClose(valueOf(prAuc(scoreLabelCounts(scored.scores, scored.labels))), scored.averagePrecision);
    expect(averagePrecision).toBe(prAuc);
  });

  it('computes a hand-worked case with a tie', () => {
    // Thresholds 0.9: TP 1, FP 0 (P = 1, R = 1/3); 0.6: TP 2, FP 1 (P = 2/3, R = 2/3); 0.3: TP 3, FP 2 (P = 3/5, R = 1).
    const counts = scoreLabelCounts([0.9, 0.6, 0.6, 0.3, 0.3], [1, 1, 0, 1, 0]);
    expectClose(valueOf(prAuc(counts)), (1 / 3) * 1 + (1 / 3) * (2 / 3) + (1 / 3) * (3 / 5));
  });

  it('is undefined when a class is absent', () => {
    expect(reasonOf(prAuc(scoreLabelCounts([0.2, 0.3], [1, 1])))).toMatch(/^no actual negatives/);
    expect(reasonOf(prAuc(scoreLabelCounts([0.2, 0.3], [0, 0])))).toMatch(/^no actual positives/);
  });
});
