/**
 * The metrics of one set of rows (all rows, or one group) for each task, computed by the
 * measurement core from the aggregates of the data layer.
 */
import type { ConfusionCounts, MulticlassConfusion, RegressionSums, ScoreLabelCounts } from '../core/aggregates.js';
import { brierScore, defaultCalibrationBins, expectedCalibrationError, logLoss, reliabilityDiagram, type ReliabilityDiagram } from '../core/calibration.js';
import { binaryClassificationMetrics, multiclassMetrics, type AveragedMetrics, type BinaryClassificationMetrics, type MulticlassMetrics } from '../core/classification.js';
import type { Measured } from '../core/measured.js';
import { prAuc, rocAuc } from '../core/ranking.js';
import { regressionMetrics, type RegressionMetrics } from '../core/regression.js';
import { multiclassBrier, multiclassLogLoss, type MulticlassProbabilitySums } from './multiclass-probabilities.js';

export interface BinaryClassification extends BinaryClassificationMetrics {
  /**
   * Precision, recall and F1 averaged over the two classes, each class in turn taken as the
   * positive one, as scikit-learn's `average='macro' | 'micro' | 'weighted'` does for two labels.
   */
  readonly averages: { readonly macro: AveragedMetrics; readonly micro: AveragedMetrics; readonly weighted: AveragedMetrics };
}

export interface BinaryCalibration {
  readonly logLoss: Measured;
  /** Mean squared error of the positive-class probability, 0..1. */
  readonly brierScore: Measured;
  readonly expectedCalibrationError: { readonly equalWidth: Measured; readonly equalMass: Measured };
  readonly reliabilityDiagram: { readonly equalWidth: ReliabilityDiagram; readonly equalMass: ReliabilityDiagram };
}

export interface BinaryPerformance {
  /** Rows measured: those with a prediction, or with a score when no prediction was given. */
  readonly size: number;
  /** Null without a prediction. */
  readonly counts: ConfusionCounts | null;
  /** Null without a prediction. */
  readonly classification: BinaryClassification | null;
  /** Rows with a score; null without a score column. */
  readonly scoredRows: number | null;
  /** Null without a score column. */
  readonly ranking: { readonly rocAuc: Measured; readonly prAuc: Measured } | null;
  /** Null without a score column, or when the scores are not probabilities. */
  readonly calibration: BinaryCalibration | null;
}

export interface MulticlassPerformance {
  readonly size: number;
  /** Null without a prediction column. */
  readonly confusion: MulticlassConfusion | null;
  readonly classification: MulticlassMetrics | null;
  /** Null without probability columns. */
  readonly probabilities: { readonly rows: number; readonly logLoss: Measured; readonly brierScore: Measured } | null;
}

export interface RegressionPerformance extends RegressionMetrics {
  readonly size: number;
}

/**
 * Computes the binary metrics of one set of rows. The confusion counts give accuracy, balanced
 * accuracy, precision, recall, F1, specificity and the class averages. The scores give ROC AUC and
 * PR AUC and, when they are probabilities, log loss, Brier score, expected calibration error and
 * reliability diagrams with `bins` equal-width and equal-mass bins (default 10).
 */
export function binaryPerformance(counts: ConfusionCounts | null, scores: ScoreLabelCounts | null, scoresAreProbabilities: boolean, bins: number = defaultCalibrationBins): BinaryPerformance {
  const scoredRows = scores === null ? null : rowsOf(scores);
  const classification = counts === null ? null : { ...binaryClassificationMetrics(counts), averages: classAverages(counts) };
  return {
    size: classification?.total ?? scoredRows ?? 0,
    counts,
    classification,
    scoredRows,
    ranking: scores === null ? null : { rocAuc: rocAuc(scores), prAuc: prAuc(scores) },
    calibration: scores === null || !scoresAreProbabilities ? null : binaryCalibration(scores, bins),
  };
}

function binaryCalibration(scores: ScoreLabelCounts, bins: number): BinaryCalibration {
  return {
    logLoss: logLoss(scores),
    brierScore: brierScore(scores),
    expectedCalibrationError: {
      equalWidth: expectedCalibrationError(scores, { bins, strategy: 'equal-width' }),
      equalMass: expectedCalibrationError(scores, { bins, strategy: 'equal-mass' }),
    },
    reliabilityDiagram: {
      equalWidth: reliabilityDiagram(scores, { bins, strategy: 'equal-width' }),
      equalMass: reliabilityDiagram(scores, { bins, strategy: 'equal-mass' }),
    },
  };
}

/** Averages over the two classes from the 2 × 2 matrix, rows actual and columns predicted. */
function classAverages(counts: ConfusionCounts): BinaryClassification['averages'] {
  const metrics = multiclassMetrics({
    labels: ['negative', 'positive'],
    matrix: [
      [counts.trueNegatives, counts.falsePositives],
      [counts.falseNegatives, counts.truePositives],
    ],
  });
  return { macro: metrics.macro, micro: metrics.micro, weighted: metrics.weighted };
}

/** Computes the multiclass metrics from the confusion matrix, and log loss and Brier score from the probability sums. */
export function multiclassPerformance(confusion: MulticlassConfusion | null, probabilities: MulticlassProbabilitySums | null): MulticlassPerformance {
  const classification = confusion === null ? null : multiclassMetrics(confusion);
  const probabilityMetrics = probabilities === null ? null : { rows: probabilities.count, logLoss: multiclassLogLoss(probabilities), brierScore: multiclassBrier(probabilities) };
  return { size: classification?.total ?? probabilityMetrics?.rows ?? 0, confusion, classification, probabilities: probabilityMetrics };
}

export function regressionPerformance(sums: RegressionSums): RegressionPerformance {
  return { ...regressionMetrics(sums), size: sums.count };
}

/**
 * Returns the single-number metrics of a result by name, for tables and group comparisons.
 * Sections that were not computed (no prediction, no score) contribute no names.
 */
export function scalarMetrics(metrics: BinaryPerformance | MulticlassPerformance | RegressionPerformance): Record<string, Measured> {
  if ('counts' in metrics) return binaryScalars(metrics);
  if ('confusion' in metrics) return multiclassScalars(metrics);
  return {
    meanAbsoluteError: metrics.meanAbsoluteError,
    rootMeanSquaredError: metrics.rootMeanSquaredError,
    meanAbsolutePercentageError: metrics.meanAbsolutePercentageError,
    rSquared: metrics.rSquared,
  };
}

function binaryScalars(metrics: BinaryPerformance): Record<string, Measured> {
  const values: Record<string, Measured> = {};
  const classification = metrics.classification;
  if (classification !== null) {
    Object.assign(values, {
      accuracy: classification.accuracy,
      balancedAccuracy: classification.balancedAccuracy,
      precision: classification.precision,
      recall: classification.recall,
      f1: classification.f1,
      specificity: classification.specificity,
    });
  }
  if (metrics.ranking !== null) Object.assign(values, { rocAuc: metrics.ranking.rocAuc, prAuc: metrics.ranking.prAuc });
  if (metrics.calibration !== null) {
    Object.assign(values, {
      logLoss: metrics.calibration.logLoss,
      brierScore: metrics.calibration.brierScore,
      expectedCalibrationError: metrics.calibration.expectedCalibrationError.equalWidth,
    });
  }
  return values;
}

function multiclassScalars(metrics: MulticlassPerformance): Record<string, Measured> {
  const values: Record<string, Measured> = {};
  const classification = metrics.classification;
  if (classification !== null) {
    Object.assign(values, {
      accuracy: classification.accuracy,
      balancedAccuracy: classification.balancedAccuracy,
      macroPrecision: classification.macro.precision,
      macroRecall: classification.macro.recall,
      macroF1: classification.macro.f1,
      weightedPrecision: classification.weighted.precision,
      weightedRecall: classification.weighted.recall,
      weightedF1: classification.weighted.f1,
    });
  }
  if (metrics.probabilities !== null) Object.assign(values, { logLoss: metrics.probabilities.logLoss, brierScore: metrics.probabilities.brierScore });
  return values;
}

function rowsOf(scores: ScoreLabelCounts): number {
  let rows = 0;
  for (let index = 0; index < scores.scores.length; index++) rows += (scores.positives[index] as number) + (scores.negatives[index] as number);
  return rows;
}
