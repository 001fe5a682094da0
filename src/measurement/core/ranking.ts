/**
 * Ranking quality of scores for a binary label, computed exactly from `ScoreLabelCounts`
 * (distinct scores with the number of actual positives and negatives at each), so ties are
 * handled without sorting rows.
 */
import type { ScoreLabelCounts } from './aggregates.js';
import { defined, undefinedBecause, type Measured } from './measured.js';

/**
 * Throws a RangeError unless the arrays have one entry per score, the scores are finite and
 * strictly ascending, and the counts are finite and non-negative. With `probabilities`, scores
 * must also lie in [0, 1].
 */
export function checkScoreLabelCounts(counts: ScoreLabelCounts, probabilities: boolean): void {
  const { scores, positives, negatives } = counts;
  if (positives.length !== scores.length || negatives.length !== scores.length) {
    throw new RangeError(
      `Score-label counts need one positive and one negative count per score, but there are ${scores.length} scores, ${positives.length} positive and ${negatives.length} negative counts`,
    );
  }
  for (let i = 0; i < scores.length; i += 1) {
    const score = scores[i] as number;
    if (!Number.isFinite(score)) throw new RangeError(`Scores must be finite, but score ${i} is ${score}`);
    if (i > 0 && !(score > (scores[i - 1] as number))) {
      throw new RangeError(`Scores must be distinct and ascending, but score ${i} (${score}) follows ${scores[i - 1]}`);
    }
    if (probabilities && (score < 0 || score > 1)) {
      throw new RangeError(`The score ${score} is not a probability; this measure needs the predicted probability of the positive class, in [0, 1]`);
    }
    const positive = positives[i] as number;
    const negative = negatives[i] as number;
    if (!Number.isFinite(positive) || positive < 0 || !Number.isFinite(negative) || negative < 0) {
      throw new RangeError(`Counts must be finite and non-negative, but at score ${score} there are ${positive} positives and ${negative} negatives`);
    }
  }
}

function classTotals(counts: ScoreLabelCounts): { positives: number; negatives: number } {
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < counts.scores.length; i += 1) {
    positives += counts.positives[i] as number;
    negatives += counts.negatives[i] as number;
  }
  return { positives, negatives };
}

function missingClassReason(positives: number, negatives: number): string | null {
  if (positives === 0 && negatives === 0) return 'no rows';
  if (positives === 0) return 'no actual positives, so the ranking of positives over negatives is undefined';
  if (negatives === 0) return 'no actual negatives, so the ranking of positives over negatives is undefined';
  return null;
}

/**
 * Computes the area under the ROC curve: the probability that a random actual positive scores
 * higher than a random actual negative, ties counted as one half. That is the Mann-Whitney U
 * statistic divided by P·N, and equals the trapezoid area under the ROC curve through its points
 * at the distinct thresholds, which is what scikit-learn's `roc_auc_score` computes. Exact up to
 * floating-point rounding of the final division. Range [0, 1], 0.5 for an uninformative score.
 * Undefined when either class is absent.
 */
export function rocAuc(counts: ScoreLabelCounts): Measured {
  checkScoreLabelCounts(counts, false);
  const totals = classTotals(counts);
  const reason = missingClassReason(totals.positives, totals.negatives);
  if (reason !== null) return undefinedBecause(reason);

  let negativesBelow = 0;
  let u = 0;
  for (let i = 0; i < counts.scores.length; i += 1) {
    const positives = counts.positives[i] as number;
    const negatives = counts.negatives[i] as number;
    u += positives * (negativesBelow + negatives / 2);
    negativesBelow += negatives;
  }
  return defined(u / (totals.positives * totals.negatives));
}

export interface RocPoint {
  /** Rows scoring at or above it count as predicted positive; the first point has +Infinity. */
  readonly threshold: number;
  readonly falsePositiveRate: number;
  readonly truePositiveRate: number;
}

/**
 * Returns the ROC curve at every distinct score, from the threshold +Infinity (0, 0) down to the
 * lowest score (1, 1), like scikit-learn's `roc_curve` with `drop_intermediate=False`. Undefined
 * (null, with the reason) when either class is absent.
 */
export function rocCurve(counts: ScoreLabelCounts): { points: RocPoint[] } | { points: null; reason: string } {
  checkScoreLabelCounts(counts, false);
  const totals = classTotals(counts);
  const reason = missingClassReason(totals.positives, totals.negatives);
  if (reason !== null) return { points: null, reason };

  const points: RocPoint[] = [{ threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 }];
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = counts.scores.length - 1; i >= 0; i -= 1) {
    truePositives += counts.positives[i] as number;
    falsePositives += counts.negatives[i] as number;
    points.push({ threshold: counts.scores[i] as number, falsePositiveRate: falsePositives / totals.negatives, truePositiveRate: truePositives / totals.positives });
  }
  return { points };
}

/**
 * Computes the area under the precision-recall curve as average precision, scikit-learn's
 * `average_precision_score` definition: AP = Σ_n (R_n − R_(n−1)) · P_n over the distinct scores
 * taken as thresholds from the highest down, where P_n and R_n are precision and recall when rows
 * scoring at or above the n-th threshold are predicted positive and R_0 = 0. It is a step sum,
 * not a trapezoid, which would interpolate linearly and overstate the area. Range [0, 1]; an
 * uninformative score gets about the share of positives.
 *
 * Undefined when either class is absent: with no positives recall has no denominator, and with
 * no negatives every precision is 1, so AP would be 1 whatever the scores (scikit-learn returns
 * that 1.0).
 */
export function prAuc(counts: ScoreLabelCounts): Measured {
  checkScoreLabelCounts(counts, false);
  const totals = classTotals(counts);
  const reason = missingClassReason(totals.positives, totals.negatives);
  if (reason !== null) return undefinedBecause(reason);

  let truePositives = 0;
  let predictedPositives = 0;
  let area = 0;
  for (let i = counts.scores.length - 1; i >= 0; i -= 1) {
    const positives = counts.positives[i] as number;
    const negatives = counts.negatives[i] as number;
    if (positives + negatives === 0) continue;
    truePositives += positives;
    predictedPositives += positives + negatives;
    area += (positives / totals.positives) * (truePositives / predictedPositives);
  }
  return defined(area);
}

/** Average precision; the same function as `prAuc`. */
export const averagePrecision = prAuc;
