import { describe, expect, it } from 'vitest';
import {
  brierScore,
  expectedCalibrationError,
  logLoss,
  multiclassBrierContribution,
  multiclassBrierScore,
  reliabilityDiagram,
} from '../../../src/measurement/core/calibration.js';
import { expectClose, reasonOf, reference, scoreLabelCounts, valueOf } from './fixtures.js';

interface BinReference {
  bin: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

const scored = reference.scores as {
  scores: number[];
  labels: number[];
  logLoss: number;
  brier: number;
  equalWidth10: { bins: BinReference[]; ece: number };
  equalWidth15: { bins: BinReference[]; ece: number };
  equalMass10: { bins: BinReference[]; ece: number };
};
const counts = scoreLabelCounts(scored.scores, scored.labels);

describe('log loss', () => {
  it('agrees with numpy using scikit-learn clipping', () => {
    const loss = logLoss(counts);
    expectClose(valueOf(loss), scored.logLoss, 1e-12);
    // One row predicts 1 for an actual negative and is clipped.
    expect(loss.warnings).toEqual(['probabilities within 2^-52 of the wrong label were clipped to [2^-52, 1 - 2^-52] in 1 of 503 rows']);
  });

  it('gives ln 2 and the clipping bound', () => {
    // p = 0.5 everywhere gives ln 2; a certain wrong prediction gives −ln(2^-52) ≈ 36.04.
    expectClose(valueOf(logLoss(scoreLabelCounts([0.5, 0.5], [1, 0]))), Math.LN2, 1e-15);
    expectClose(valueOf(logLoss(scoreLabelCounts([0], [1]))), 52 * Math.LN2, 1e-12);
  });

  it('stays defined with one class', () => {
    expectClose(valueOf(logLoss(scoreLabelCounts([0.8, 0.9], [1, 1]))), -(Math.log(0.8) + Math.log(0.9)) / 2, 1e-15);
  });

  it('rejects scores that are not probabilities', () => {
    expect(() => logLoss(scoreLabelCounts([0.2, 1.3], [1, 0]))).toThrow(/The score 1.3 is not a probability/);
  });
});

describe('Brier score', () => {
  it('agrees with numpy in the binary case', () => {
    expectClose(valueOf(brierScore(counts)), scored.brier);
    expect(valueOf(brierScore(scoreLabelCounts([0.5, 0.5], [1, 0])))).toBe(0.25);
    expect(reasonOf(brierScore(scoreLabelCounts([], [])))).toBe('no rows');
  });

  it('sums over classes without halving in the multiclass case', () => {
    const { probabilities, actual, brier } = reference.multiclassBrier as { probabilities: number[][]; actual: number[]; brier: number };
    let sumSquaredError = 0;
    probabilities.forEach((row, index) => (sumSquaredError += multiclassBrierContribution(row, actual[index] as number)));
    expectClose(valueOf(multiclassBrierScore({ count: probabilities.length, sumSquaredError })), brier);
  });

  it('doubles the binary score for two classes', () => {
    const rows = [
      { p: 0.8, y: 1 },
      { p: 0.3, y: 0 },
      { p: 0.6, y: 0 },
    ];
    const binary = valueOf(brierScore(scoreLabelCounts(rows.map((row) => row.p), rows.map((row) => row.y))));
    const sumSquaredError = rows.reduce((sum, row) => sum + multiclassBrierContribution([1 - row.p, row.p], row.y), 0);
    expectClose(valueOf(multiclassBrierScore({ count: rows.length, sumSquaredError })), 2 * binary, 1e-15);
  });

  it('rejects sums that cannot come from probability vectors', () => {
    expect(() => multiclassBrierScore({ count: 2, sumSquaredError: 5 })).toThrow(/not probability vectors/);
    expect(() => multiclassBrierContribution([0.5, 1.5], 0)).toThrow(/1.5 of class 1 is not in \[0, 1\]/);
    expect(() => multiclassBrierContribution([0.5, 0.5], 2)).toThrow(/outside the 2 predicted probabilities/);
  });
});

function checkBins(strategy: 'equal-width' | 'equal-mass', bins: number, expected: { bins: BinReference[]; ece: number }) {
  const diagram = reliabilityDiagram(counts, { strategy, bins });
  const nonEmpty = expected.bins.filter((bin) => bin.count > 0);
  const compared = strategy === 'equal-width' ? expected.bins : nonEmpty;
  expect(diagram.bins.map((bin) => bin.count)).toEqual(compared.map((bin) => bin.count));
  diagram.bins.forEach((bin, index) => {
    const binReference = compared[index] as BinReference;
    if (binReference.meanPredicted === null) {
      expect(bin.meanPredicted.defined).toBe(false);
      return;
    }
    expectClose(valueOf(bin.meanPredicted), binReference.meanPredicted);
    expectClose(valueOf(bin.observedRate), binReference.observedRate as number);
  });
  expectClose(valueOf(expectedCalibrationError(counts, { strategy, bins })), expected.ece);
}

describe('expected calibration error', () => {
  it('agrees with numpy for 10 equal-width bins, the default', () => {
    checkBins('equal-width', 10, scored.equalWidth10);
    expect(valueOf(expectedCalibrationError(counts))).toBe(valueOf(expectedCalibrationError(counts, { strategy: 'equal-width', bins: 10 })));
  });

  it('agrees with numpy for 15 equal-width bins', () => {
    checkBins('equal-width', 15, scored.equalWidth15);
  });

  it('agrees with numpy for 10 equal-mass bins', () => {
    checkBins('equal-mass', 10, scored.equalMass10);
  });

  it('depends on the binning', () => {
    expect(scored.equalWidth10.ece).not.toBeCloseTo(scored.equalMass10.ece, 3);
  });

  it('is 0 for a calibrated score', () => {
    // Within each bin the observed rate equals the predicted probability.
    const calibrated = scoreLabelCounts([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75], [1, 0, 0, 0, 1, 1, 1, 0]);
    expect(valueOf(expectedCalibrationError(calibrated))).toBe(0);
  });
});

describe('reliability diagram', () => {
  it('puts edge scores in the upper bin', () => {
    // 0.3 lies on the edge between bins 2 and 3; 1 belongs to the last bin.
    const diagram = reliabilityDiagram(scoreLabelCounts([0.3, 1, 0], [1, 1, 0]), { bins: 10 });
    expect(diagram.bins).toHaveLength(10);
    expect(diagram.bins[3]?.count).toBe(1);
    expect(diagram.bins[3]?.lower).toBe(0.3);
    expect(diagram.bins[9]?.count).toBe(1);
    expect(diagram.bins[9]?.upperInclusive).toBe(true);
    expect(diagram.bins[0]?.count).toBe(1);
    expect(diagram.bins[5]?.count).toBe(0);
    expect(diagram.bins[5]?.meanPredicted).toEqual({ defined: false, reason: 'empty bin', warnings: [] });
  });

  it('keeps tied scores together in equal-mass bins', () => {
    // Ten rows, five bins of two: the six rows at 0.4 all start in bin 1 and stay there.
    const scores = [0.1, 0.2, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.8, 0.9];
    const labels = [0, 0, 1, 0, 1, 0, 1, 0, 1, 1];
    const diagram = reliabilityDiagram(scoreLabelCounts(scores, labels), { strategy: 'equal-mass', bins: 5 });
    expect(diagram.bins.map((bin) => bin.count)).toEqual([2, 6, 2]);
    expect(diagram.bins.map((bin) => [bin.lower, bin.upper])).toEqual([[0.1, 0.2], [0.4, 0.4], [0.8, 0.9]]);
    expect(diagram.warnings).toEqual(['3 of 5 equal-mass bins hold rows, because tied scores stay together or there are fewer rows than bins']);
  });

  it('rejects a bad bin count', () => {
    expect(() => reliabilityDiagram(counts, { bins: 0 })).toThrow(/positive integer, for example 10, but it is 0/);
  });
});
