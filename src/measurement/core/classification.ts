/**
 * Classification performance from confusion counts: binary metrics from `ConfusionCounts` and
 * multiclass metrics from `MulticlassConfusion`.
 *
 * Undefined values. A per-class value whose denominator is 0 is undefined with the reason. The
 * macro and weighted averages are taken over the classes where the value is defined, with a
 * warning that names the classes left out, and are undefined only when no class has a value.
 * That matches scikit-learn's `zero_division=np.nan` (added in 1.3, which excludes such classes
 * from the average). scikit-learn's default, `zero_division="warn"`, instead sets the value of
 * such a class to 0 and averages it in, which pulls the macro average down for a class that was
 * never predicted or never occurs.
 */
import type { ConfusionCounts, MulticlassConfusion } from './aggregates.js';
import { checkConfusionCounts } from './fairness.js';
import { defined, ratioOfCounts, undefinedBecause, type Measured } from './measured.js';

export interface BinaryClassificationMetrics {
  /** (TP + TN) / n. */
  readonly accuracy: Measured;
  /** Mean of recall and specificity over the classes present in the truth (scikit-learn's `balanced_accuracy_score`). */
  readonly balancedAccuracy: Measured;
  /** TP / (TP + FP). */
  readonly precision: Measured;
  /** TP / (TP + FN), the true positive rate. */
  readonly recall: Measured;
  /** 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. */
  readonly f1: Measured;
  /** TN / (TN + FP), the true negative rate. */
  readonly specificity: Measured;
  readonly actualPositives: number;
  readonly actualNegatives: number;
  readonly total: number;
}

/**
 * Computes accuracy, balanced accuracy, precision, recall, F1 and specificity of a binary
 * classifier; each lies in [0, 1].
 *
 * Degenerate cases: with no rows all are undefined. Precision is undefined with no predicted
 * positives, recall with no actual positives, specificity with no actual negatives. F1 is
 * undefined only when TP + FP + FN = 0; with actual positives but no predicted positives it is 0,
 * the limit of the harmonic mean. Balanced accuracy averages recall and specificity over the
 * classes that occur in the truth, as scikit-learn does, so with one class absent it equals the
 * other class's recall, with a warning.
 */
export function binaryClassificationMetrics(counts: ConfusionCounts): BinaryClassificationMetrics {
  checkConfusionCounts(counts, 'the confusion counts');
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const actualPositives = tp + fn;
  const actualNegatives = tn + fp;
  const total = actualPositives + actualNegatives;

  const recall = ratioOfCounts(tp, actualPositives, 'no actual positives');
  const specificity = ratioOfCounts(tn, actualNegatives, 'no actual negatives');
  const perClassRecall = [
    { label: 'positive', value: recall },
    { label: 'negative', value: specificity },
  ];

  return {
    accuracy: ratioOfCounts(tp + tn, total, 'no rows'),
    balancedAccuracy: meanOverDefined(perClassRecall, 'recall', 'no rows'),
    precision: ratioOfCounts(tp, tp + fp, 'no predicted positives'),
    recall,
    f1: ratioOfCounts(2 * tp, 2 * tp + fp + fn, 'no actual positives and no predicted positives'),
    specificity,
    actualPositives,
    actualNegatives,
    total,
  };
}

export interface ClassMetrics {
  readonly label: string;
  /** Rows whose actual class is this one. */
  readonly support: number;
  /** Rows predicted as this class. */
  readonly predicted: number;
  readonly precision: Measured;
  readonly recall: Measured;
  readonly f1: Measured;
}

export interface AveragedMetrics {
  readonly precision: Measured;
  readonly recall: Measured;
  readonly f1: Measured;
}

export interface MulticlassMetrics {
  /** Correct predictions / rows. */
  readonly accuracy: Measured;
  /** Mean recall over the classes that occur in the truth. */
  readonly balancedAccuracy: Measured;
  /** Unweighted mean over classes. */
  readonly macro: AveragedMetrics;
  /** From the pooled counts; for single-label data all three equal accuracy. */
  readonly micro: AveragedMetrics;
  /** Mean over classes weighted by support. */
  readonly weighted: AveragedMetrics;
  readonly perClass: readonly ClassMetrics[];
  readonly total: number;
}

/**
 * Computes multiclass metrics from a confusion matrix (rows actual, columns predicted).
 *
 * Per class k: precision = M[k][k] / column sum, recall = M[k][k] / row sum (support),
 * F1 = 2·M[k][k] / (row sum + column sum), each undefined with a 0 denominator. Macro is the
 * plain mean over classes with a defined value. Weighted is the support-weighted mean over those
 * classes, with the weights renormalised. Micro uses the summed counts, where precision, recall
 * and F1 all equal accuracy because every row has exactly one actual and one predicted class. Balanced
 * accuracy is the macro recall over classes that occur in the truth (scikit-learn's
 * `balanced_accuracy_score` with `adjusted=False`). All values lie in [0, 1].
 */
export function multiclassMetrics(confusion: MulticlassConfusion): MulticlassMetrics {
  checkMulticlassConfusion(confusion);
  const size = confusion.labels.length;
  const rowSums = confusion.matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  const columnSums = confusion.labels.map((_, column) => confusion.matrix.reduce((sum, row) => sum + (row[column] ?? 0), 0));
  let correct = 0;
  for (let k = 0; k < size; k += 1) correct += confusion.matrix[k]?.[k] ?? 0;
  const total = rowSums.reduce((sum, count) => sum + count, 0);

  const perClass = confusion.labels.map((label, k): ClassMetrics => {
    const hits = confusion.matrix[k]?.[k] ?? 0;
    const support = rowSums[k] ?? 0;
    const predicted = columnSums[k] ?? 0;
    return {
      label,
      support,
      predicted,
      precision: ratioOfCounts(hits, predicted, `class ${label} is never predicted`),
      recall: ratioOfCounts(hits, support, `class ${label} does not occur in the truth`),
      f1: ratioOfCounts(2 * hits, support + predicted, `class ${label} neither occurs in the truth nor is predicted`),
    };
  });

  const accuracy = ratioOfCounts(correct, total, 'no rows');
  const valuesOf = (pick: (metrics: ClassMetrics) => Measured) => perClass.map((metrics) => ({ label: metrics.label, value: pick(metrics), weight: metrics.support }));
  return {
    accuracy,
    balancedAccuracy: meanOverDefined(valuesOf((metrics) => metrics.recall), 'recall', 'no rows'),
    macro: {
      precision: meanOverDefined(valuesOf((metrics) => metrics.precision), 'precision', 'no class has a defined precision'),
      recall: meanOverDefined(valuesOf((metrics) => metrics.recall), 'recall', 'no class has a defined recall'),
      f1: meanOverDefined(valuesOf((metrics) => metrics.f1), 'F1', 'no class has a defined F1'),
    },
    micro: { precision: accuracy, recall: accuracy, f1: accuracy },
    weighted: {
      precision: weightedMeanOverDefined(valuesOf((metrics) => metrics.precision), 'precision'),
      recall: weightedMeanOverDefined(valuesOf((metrics) => metrics.recall), 'recall'),
      f1: weightedMeanOverDefined(valuesOf((metrics) => metrics.f1), 'F1'),
    },
    perClass,
    total,
  };
}

function checkMulticlassConfusion(confusion: MulticlassConfusion): void {
  const size = confusion.labels.length;
  if (size === 0) throw new RangeError('A multiclass confusion matrix needs at least one class label');
  if (new Set(confusion.labels).size !== size) throw new RangeError(`Class labels must be unique, but they are ${JSON.stringify(confusion.labels)}`);
  if (confusion.matrix.length !== size || confusion.matrix.some((row) => row.length !== size)) {
    throw new RangeError(`The confusion matrix must be ${size} × ${size}, one row and one column per label, in the order of the labels`);
  }
  confusion.matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (!Number.isFinite(count) || count < 0) {
        throw new RangeError(
          `Confusion counts must be finite and non-negative, but the count for actual ${confusion.labels[actual]}, predicted ${confusion.labels[predicted]} is ${count}`,
        );
      }
    }),
  );
}

interface ClassValue {
  readonly label: string;
  readonly value: Measured;
  readonly weight?: number;
}

/** Averages the defined values; names the classes left out in a warning. */
function meanOverDefined(values: readonly ClassValue[], metric: string, emptyReason: string): Measured {
  const included = values.filter((entry) => entry.value.defined);
  if (included.length === 0) return undefinedBecause(emptyReason);
  const sum = included.reduce((total, entry) => total + (entry.value as { value: number }).value, 0);
  return defined(sum / included.length, leftOutWarning(values, metric));
}

/** Averages the defined values weighted by support, renormalising the weights over them. */
function weightedMeanOverDefined(values: readonly ClassValue[], metric: string): Measured {
  const included = values.filter((entry) => entry.value.defined && (entry.weight ?? 0) > 0);
  const weight = included.reduce((total, entry) => total + (entry.weight ?? 0), 0);
  if (weight === 0) return undefinedBecause(`no class with a defined ${metric} occurs in the truth`);
  const sum = included.reduce((total, entry) => total + (entry.weight ?? 0) * (entry.value as { value: number }).value, 0);
  const leftOut = values.filter((entry) => !entry.value.defined && (entry.weight ?? 0) > 0);
  return defined(sum / weight, leftOut.length > 0 ? leftOutWarning(leftOut, metric) : []);
}

function leftOutWarning(values: readonly ClassValue[], metric: string): string[] {
  const leftOut = values.filter((entry) => !entry.value.defined).map((entry) => entry.label);
  return leftOut.length > 0 ? [`classes without a defined ${metric} were left out of the average: ${leftOut.join(', ')}`] : [];
}
