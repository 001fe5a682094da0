/**
 * Probabilistic accuracy and calibration of predicted probabilities: log loss, Brier score,
 * expected calibration error and the data of a reliability diagram. Binary measures take
 * `ScoreLabelCounts` whose scores are the predicted probabilities of the positive class.
 */
import type { ScoreLabelCounts } from './aggregates.js';
import { defined, undefinedBecause, type Measured } from './measured.js';
import { checkScoreLabelCounts } from './ranking.js';

/** Probabilities are clipped to [ε, 1 − ε] with this ε = 2^-52, the machine epsilon of float64. */
export const logLossEpsilon = Number.EPSILON;

/**
 * Computes the binary log loss (cross-entropy), −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)], in nats.
 * Range [0, ∞); 0 for certain and correct predictions, ln 2 ≈ 0.693 for p = 0.5 everywhere.
 *
 * Clipping: p is clipped to [ε, 1 − ε] with ε = 2^-52 (`Number.EPSILON`), so a certain and wrong
 * prediction adds −ln(2^-52) ≈ 36.04 instead of infinity; a warning counts the rows where the
 * clipping changed the loss. scikit-learn's `log_loss` clips the same way since 1.2
 * (`eps="auto"`, np.finfo(float64).eps for float64 input); before 1.2 it used 1e-15.
 * ln(1 − p) is evaluated with log1p, which keeps precision for small p.
 *
 * Degenerate cases: undefined with no rows. With only one class present the loss is still
 * defined (scikit-learn raises an error unless `labels` is given).
 */
export function logLoss(counts: ScoreLabelCounts): Measured {
  checkScoreLabelCounts(counts, true);
  let total = 0;
  let loss = 0;
  let clippedRows = 0;
  for (let i = 0; i < counts.scores.length; i += 1) {
    const score = counts.scores[i] as number;
    const positives = counts.positives[i] as number;
    const negatives = counts.negatives[i] as number;
    const clipped = Math.min(1 - logLossEpsilon, Math.max(logLossEpsilon, score));
    if (score < logLossEpsilon) clippedRows += positives;
    if (score > 1 - logLossEpsilon) clippedRows += negatives;
    loss -= positives * Math.log(clipped) + negatives * Math.log1p(-clipped);
    total += positives + negatives;
  }
  if (total === 0) return undefinedBecause('no rows');
  const warnings = clippedRows > 0 ? [`probabilities within 2^-52 of the wrong label were clipped to [2^-52, 1 - 2^-52] in ${clippedRows} of ${total} rows`] : [];
  return defined(loss / total, warnings);
}

/**
 * Computes the binary Brier score, (1/n) Σ (p − y)², the mean squared error of the predicted
 * probability of the positive class. Range [0, 1]; 0.25 for p = 0.5 everywhere. This is
 * scikit-learn's `brier_score_loss` for 1-D input. Undefined with no rows.
 */
export function brierScore(counts: ScoreLabelCounts): Measured {
  checkScoreLabelCounts(counts, true);
  let total = 0;
  let sum = 0;
  for (let i = 0; i < counts.scores.length; i += 1) {
    const score = counts.scores[i] as number;
    const positives = counts.positives[i] as number;
    const negatives = counts.negatives[i] as number;
    sum += positives * (1 - score) * (1 - score) + negatives * score * score;
    total += positives + negatives;
  }
  return total === 0 ? undefinedBecause('no rows') : defined(sum / total);
}

/**
 * The mergeable aggregate of the multiclass Brier score: the number of rows and the sum over rows
 * of Σ_k (p_k − [actual = k])², the squared distance between the predicted probability vector and
 * the one-hot vector of the actual class. Sums of disjoint parts add up.
 */
export interface MulticlassBrierSums {
  readonly count: number;
  readonly sumSquaredError: number;
}

/** Returns one row's contribution to `MulticlassBrierSums.sumSquaredError`. */
export function multiclassBrierContribution(probabilities: readonly number[], actualIndex: number): number {
  if (!Number.isInteger(actualIndex) || actualIndex < 0 || actualIndex >= probabilities.length) {
    throw new RangeError(`The actual class index ${actualIndex} is outside the ${probabilities.length} predicted probabilities`);
  }
  let sum = 0;
  probabilities.forEach((probability, k) => {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`The predicted probability ${probability} of class ${k} is not in [0, 1]`);
    const target = k === actualIndex ? 1 : 0;
    sum += (probability - target) * (probability - target);
  });
  return sum;
}

/**
 * Computes the multiclass Brier score, (1/n) Σ_rows Σ_k (p_k − [actual = k])², summed over classes
 * and not halved. Range [0, 2] for probability vectors. This is scikit-learn's multiclass
 * convention; its binary `brier_score_loss` halves the two-class sum, so for two classes this
 * value is twice the binary Brier score. Undefined with no rows.
 */
export function multiclassBrierScore(sums: MulticlassBrierSums): Measured {
  if (!Number.isFinite(sums.count) || sums.count < 0) throw new RangeError(`The row count must be a non-negative number, but it is ${sums.count}`);
  if (!(sums.sumSquaredError >= 0 && sums.sumSquaredError <= 2 * sums.count * (1 + 1e-12))) {
    throw new RangeError(
      `The sum of squared errors (${sums.sumSquaredError}) must lie between 0 and 2 × the row count (${sums.count}); larger sums mean the predictions are not probability vectors`,
    );
  }
  return sums.count === 0 ? undefinedBecause('no rows') : defined(sums.sumSquaredError / sums.count);
}

export type BinningStrategy = 'equal-width' | 'equal-mass';

export interface CalibrationOptions {
  /** Number of bins (default 10). */
  readonly bins?: number;
  /** `equal-width` (default): bins of width 1/bins on [0, 1]; `equal-mass`: about n/bins rows per bin. */
  readonly strategy?: BinningStrategy;
}

/**
 * Default bin count: 10, the choice of NannyML. torchmetrics' `CalibrationError` uses 15
 * equal-width bins and scikit-learn's `calibration_curve` 5. ECE values from those tools therefore
 * differ from these even on the same data, so report the bin count with every ECE.
 */
export const defaultCalibrationBins = 10;

export interface ReliabilityBin {
  /** Lower edge of the bin (equal width), or its smallest score (equal mass). */
  readonly lower: number;
  /** Largest score of the bin; included when `upperInclusive`. */
  readonly upper: number;
  readonly upperInclusive: boolean;
  readonly count: number;
  readonly positives: number;
  /** Mean predicted probability of the rows in the bin. */
  readonly meanPredicted: Measured;
  /** Share of actual positives in the bin. */
  readonly observedRate: Measured;
}

export interface ReliabilityDiagram {
  readonly strategy: BinningStrategy;
  readonly requestedBins: number;
  readonly bins: readonly ReliabilityBin[];
  readonly total: number;
  readonly warnings: readonly string[];
}

/**
 * Returns the data of a reliability diagram: per bin its bounds, row count, positives, mean
 * predicted probability and observed positive rate.
 *
 * Equal width: bin i covers [i/B, (i+1)/B), and the last bin also contains 1. Empty bins are kept with
 * undefined means (scikit-learn's `calibration_curve` drops them). A score equal to an inner
 * edge goes to the upper bin; scikit-learn's `calibration_curve` puts it in the lower one.
 *
 * Equal mass: rows are ranked by score and a distinct score goes, with all its tied rows, to bin
 * floor(r·B/n), where r is the rank of its first row (0-based) and n the number of rows. Ties
 * are never split across a boundary, so bins can hold more or fewer than n/B rows, and a bin
 * swallowed by a large tie is absent, with a warning. Only non-empty bins are returned, with
 * their smallest and largest score as bounds (both included). NannyML splits the sorted rows by
 * position and can split ties.
 */
export function reliabilityDiagram(counts: ScoreLabelCounts, options: CalibrationOptions = {}): ReliabilityDiagram {
  checkScoreLabelCounts(counts, true);
  const binCount = options.bins ?? defaultCalibrationBins;
  const strategy = options.strategy ?? 'equal-width';
  if (!Number.isSafeInteger(binCount) || binCount < 1) throw new RangeError(`The number of calibration bins must be a positive integer, for example 10, but it is ${binCount}`);
  if (strategy !== 'equal-width' && strategy !== 'equal-mass') throw new RangeError(`The binning strategy must be equal-width or equal-mass, but it is ${String(strategy)}`);

  const accumulators = Array.from({ length: binCount }, () => ({ count: 0, positives: 0, scoreSum: 0, lowest: Infinity, highest: -Infinity }));
  const total = rowCount(counts);
  let rank = 0;
  for (let i = 0; i < counts.scores.length; i += 1) {
    const score = counts.scores[i] as number;
    const positives = counts.positives[i] as number;
    const rows = positives + (counts.negatives[i] as number);
    if (rows === 0) continue;
    const index = strategy === 'equal-width' ? equalWidthBin(score, binCount) : Math.min(binCount - 1, Math.floor((rank * binCount) / total));
    const bin = accumulators[index] as (typeof accumulators)[number];
    bin.count += rows;
    bin.positives += positives;
    bin.scoreSum += rows * score;
    bin.lowest = Math.min(bin.lowest, score);
    bin.highest = Math.max(bin.highest, score);
    rank += rows;
  }

  const bins: ReliabilityBin[] = [];
  accumulators.forEach((bin, index) => {
    if (strategy === 'equal-mass' && bin.count === 0) return;
    const isEqualWidth = strategy === 'equal-width';
    bins.push({
      lower: isEqualWidth ? index / binCount : bin.lowest,
      upper: isEqualWidth ? (index + 1) / binCount : bin.highest,
      upperInclusive: isEqualWidth ? index === binCount - 1 : true,
      count: bin.count,
      positives: bin.positives,
      meanPredicted: bin.count === 0 ? undefinedBecause('empty bin') : defined(bin.scoreSum / bin.count),
      observedRate: bin.count === 0 ? undefinedBecause('empty bin') : defined(bin.positives / bin.count),
    });
  });

  const warnings: string[] = [];
  if (strategy === 'equal-mass' && total > 0 && bins.length < binCount) {
    warnings.push(`${bins.length} of ${binCount} equal-mass bins hold rows, because tied scores stay together or there are fewer rows than bins`);
  }
  return { strategy, requestedBins: binCount, bins, total, warnings };
}

/**
 * Computes the expected calibration error, Σ_b (n_b / n) · |observed rate_b − mean predicted_b|,
 * over the bins of `reliabilityDiagram` (default 10 equal-width bins) on the predicted
 * probability of the positive class, as scikit-learn's `calibration_curve` and NannyML bin it;
 * torchmetrics' `CalibrationError` bins the top-label confidence instead. Range [0, 1], 0 for
 * perfect calibration within each bin. Empty bins have weight 0. Undefined with no rows.
 */
export function expectedCalibrationError(counts: ScoreLabelCounts, options: CalibrationOptions = {}): Measured {
  const diagram = reliabilityDiagram(counts, options);
  if (diagram.total === 0) return undefinedBecause('no rows', diagram.warnings);
  let error = 0;
  for (const bin of diagram.bins) {
    if (!bin.meanPredicted.defined || !bin.observedRate.defined) continue;
    error += (bin.count / diagram.total) * Math.abs(bin.observedRate.value - bin.meanPredicted.value);
  }
  return defined(error, diagram.warnings);
}

function rowCount(counts: ScoreLabelCounts): number {
  let total = 0;
  for (let i = 0; i < counts.scores.length; i += 1) total += (counts.positives[i] as number) + (counts.negatives[i] as number);
  return total;
}

/** Returns the equal-width bin of a score in [0, 1], with the edges i/B computed exactly as in the bounds. */
function equalWidthBin(score: number, binCount: number): number {
  let index = Math.min(binCount - 1, Math.floor(score * binCount));
  while (index > 0 && score < index / binCount) index -= 1;
  while (index < binCount - 1 && score >= (index + 1) / binCount) index += 1;
  return index;
}
