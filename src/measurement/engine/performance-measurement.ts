/**
 * Model performance and calibration measured on a data file, overall and per group. Binary
 * classification is measured from confusion counts, and from the scores when a score column is
 * given. Multiclass classification is measured from the confusion matrix, and from per-class
 * probabilities when they are given. Regression is measured from error sums. SQL scans compute
 * the mergeable aggregates, and the measurement core computes the metrics. The result is plain JSON.
 */
import type { ConfusionCounts } from '../core/aggregates.js';
import { defaultMinimumGroupSize, groupLabel as valuesLabel } from '../core/fairness.js';
import { measureDisparity, type Disparity, type GroupMeasurement } from '../core/disparities.js';
import type { Measured } from '../core/measured.js';
import {
  groupedConfusionCounts,
  multiclassConfusionCounts,
  regressionSums,
  scoreLabelCounts,
  type BinaryLabelSpec,
  type BinaryPredictionSpec,
  type DataEngine,
  type DataSet,
  type GroupedConfusionResult,
  type MissingGroupPolicy,
  type MulticlassResult,
  type RegressionResult,
  type ScoreLabelResult,
} from '../data/index.js';
import { compareGroupKeys, groupMapKey } from '../data/group-keys.js';
import { groupLabel } from '../reports/run-outcome.js';
import { AppError } from '../../platform/errors.js';
import { withCoreErrors } from './core-errors.js';
import { readingWarnings } from './fairness-measurement.js';
import { multiclassProbabilitySums, type MulticlassProbabilityResult } from './multiclass-probabilities.js';
import {
  binaryPerformance,
  multiclassPerformance,
  regressionPerformance,
  scalarMetrics,
  type BinaryPerformance,
  type MulticlassPerformance,
  type RegressionPerformance,
} from './performance-metrics.js';

interface CommonOptions {
  /** Sensitive attributes: every metric is also computed per group of their combined values. */
  readonly sensitive?: readonly string[];
  /** Default `group`: rows with a missing sensitive value form a group of their own. */
  readonly missingSensitive?: MissingGroupPolicy;
  /** Groups with fewer rows are flagged (default 30). */
  readonly minimumGroupSize?: number;
}

export interface BinaryPerformanceOptions extends CommonOptions {
  readonly task: 'binary_classification';
  readonly label: BinaryLabelSpec;
  /** The predicted class, for the metrics from confusion counts; null or absent leaves them out. */
  readonly prediction?: BinaryPredictionSpec | null;
  /** The predicted probability (or score) of the positive class, for ROC AUC, PR AUC and calibration. */
  readonly scoreColumn?: string | null;
  /** Whether the scores are probabilities in [0, 1] (default true); without them only ROC AUC and PR AUC are computed. */
  readonly scoreIsProbability?: boolean;
  /** Bins of the expected calibration error and the reliability diagram (default 10). */
  readonly calibrationBins?: number;
}

export interface MulticlassPerformanceOptions extends CommonOptions {
  readonly task: 'multiclass_classification';
  readonly labelColumn: string;
  readonly predictionColumn?: string | null;
  /** The probability column of each class label, for the multiclass log loss and Brier score. */
  readonly probabilityColumns?: Readonly<Record<string, string>> | null;
}

export interface RegressionPerformanceOptions extends CommonOptions {
  readonly task: 'regression';
  readonly truthColumn: string;
  readonly predictionColumn: string;
}

export type PerformanceMeasurementOptions = BinaryPerformanceOptions | MulticlassPerformanceOptions | RegressionPerformanceOptions;

/** The aggregates of the scans, which `summarizePerformance` turns into metrics; not JSON. */
export type PerformanceAggregates =
  | { readonly task: 'binary_classification'; readonly file: string; readonly confusion: GroupedConfusionResult | null; readonly scores: ScoreLabelResult | null }
  | { readonly task: 'multiclass_classification'; readonly file: string; readonly confusion: MulticlassResult | null; readonly probabilities: MulticlassProbabilityResult | null }
  | { readonly task: 'regression'; readonly file: string; readonly sums: RegressionResult };

export interface PerformanceGroup<Metrics> {
  readonly key: readonly (string | null)[];
  /** The group's values joined by " & ", as tables show it. */
  readonly label: string;
  /** The group as reports name it, `attribute=value` joined by ", ". */
  readonly name: string;
  readonly size: number;
  readonly belowMinimumSize: boolean;
  readonly metrics: Metrics;
}

interface MeasurementOf<Task, Metrics> {
  readonly kind: 'performance';
  readonly task: Task;
  readonly file: string;
  /** The columns read, by role. */
  readonly columns: Readonly<Record<string, string | readonly string[] | null>>;
  readonly settings: { readonly minimumGroupSize: number; readonly calibrationBins: number | null };
  /** Rows left out, by reason. */
  readonly leftOut: Readonly<Record<string, number>>;
  readonly overall: Metrics;
  readonly attributes: readonly string[];
  readonly groups: readonly PerformanceGroup<Metrics>[];
  /** For each scalar metric, how its values differ across the groups; empty without groups. */
  readonly comparisons: Readonly<Record<string, Disparity>>;
  readonly warnings: readonly string[];
}

export type BinaryPerformanceMeasurement = MeasurementOf<'binary_classification', BinaryPerformance>;
export type MulticlassPerformanceMeasurement = MeasurementOf<'multiclass_classification', MulticlassPerformance>;
export type RegressionPerformanceMeasurement = MeasurementOf<'regression', RegressionPerformance>;
export type PerformanceMeasurement = BinaryPerformanceMeasurement | MulticlassPerformanceMeasurement | RegressionPerformanceMeasurement;

/** Measures performance on a data file; see `collectPerformanceAggregates` and `summarizePerformance`. */
export async function measurePerformance(engine: DataEngine, dataSet: DataSet, options: PerformanceMeasurementOptions): Promise<PerformanceMeasurement> {
  const aggregates = await collectPerformanceAggregates(engine, dataSet, options);
  return summarizePerformance(aggregates, options, readingWarnings(dataSet, performanceColumns(options)));
}

/**
 * Runs the scans a task needs. Binary: confusion counts when a prediction is given (one scan),
 * score counts when a score column is given (two scans). Multiclass: the confusion matrix when a
 * prediction is given, probability sums when probability columns are given (one scan each).
 * Regression: one scan for the error sums.
 */
export async function collectPerformanceAggregates(engine: DataEngine, dataSet: DataSet, options: PerformanceMeasurementOptions): Promise<PerformanceAggregates> {
  const sensitive = options.sensitive ?? [];
  const missingSensitive = options.missingSensitive ?? 'group';
  switch (options.task) {
    case 'binary_classification': {
      const prediction = options.prediction ?? null;
      const scoreColumn = options.scoreColumn ?? null;
      if (prediction === null && scoreColumn === null) throw nothingToMeasure(dataSet.path, 'a prediction or a score column');
      const confusion = prediction === null ? null : await groupedConfusionCounts(engine, dataSet, { label: options.label, prediction, sensitive, missingSensitive });
      const scores =
        scoreColumn === null
          ? null
          : await scoreLabelCounts(engine, dataSet, { label: options.label, scoreColumn, requireProbability: options.scoreIsProbability ?? true, sensitive, missingSensitive });
      return { task: options.task, file: dataSet.path, confusion, scores };
    }
    case 'multiclass_classification': {
      const predictionColumn = options.predictionColumn ?? null;
      const probabilityColumns = options.probabilityColumns ?? null;
      if (predictionColumn === null && probabilityColumns === null) throw nothingToMeasure(dataSet.path, 'a prediction column or probability columns');
      const confusion = predictionColumn === null ? null : await multiclassConfusionCounts(engine, dataSet, { labelColumn: options.labelColumn, predictionColumn, sensitive, missingSensitive });
      const probabilities =
        probabilityColumns === null ? null : await multiclassProbabilitySums(engine, dataSet, { labelColumn: options.labelColumn, probabilityColumns, sensitive, missingSensitive });
      return { task: options.task, file: dataSet.path, confusion, probabilities };
    }
    case 'regression': {
      const sums = await regressionSums(engine, dataSet, { truthColumn: options.truthColumn, predictionColumn: options.predictionColumn, sensitive, missingSensitive });
      return { task: options.task, file: dataSet.path, sums };
    }
  }
}

/**
 * Computes every metric of the task overall and per group from the aggregates, and compares the
 * groups on each scalar metric (max − min, min / max, distance to the overall value). Defaults:
 * minimum group size 30, 10 calibration bins. Undefined values carry their reason.
 */
export function summarizePerformance(aggregates: PerformanceAggregates, options: PerformanceMeasurementOptions, extraWarnings: readonly string[] = []): PerformanceMeasurement {
  const minimumGroupSize = options.minimumGroupSize ?? defaultMinimumGroupSize;
  return withCoreErrors(aggregates.file, () => {
    switch (aggregates.task) {
      case 'binary_classification':
        return summarizeBinary(aggregates, options as BinaryPerformanceOptions, minimumGroupSize, extraWarnings);
      case 'multiclass_classification':
        return summarizeMulticlass(aggregates, options as MulticlassPerformanceOptions, minimumGroupSize, extraWarnings);
      case 'regression':
        return summarizeRegression(aggregates, options as RegressionPerformanceOptions, minimumGroupSize, extraWarnings);
    }
  }, `The measurement of "${aggregates.file}"`);
}

function summarizeBinary(
  aggregates: Extract<PerformanceAggregates, { task: 'binary_classification' }>,
  options: BinaryPerformanceOptions,
  minimumGroupSize: number,
  extraWarnings: readonly string[],
): BinaryPerformanceMeasurement {
  const { confusion, scores } = aggregates;
  const bins = options.calibrationBins;
  const probability = options.scoreIsProbability ?? true;
  const overall = binaryPerformance(confusion?.overall ?? null, scores?.overall ?? null, probability, bins);

  const attributes = confusion?.grouped.attributes ?? scores?.attributes ?? [];
  const confusionByKey = new Map<string, ConfusionCounts>((confusion?.grouped.groups ?? []).map((group) => [groupMapKey(group.key), group.counts]));
  const scoresByKey = new Map((scores?.groups ?? []).map((group) => [groupMapKey(group.key), group.counts]));
  // Without attributes the confusion counts hold one group with an empty key, which is all rows.
  const keys = attributes.length === 0 ? [] : unionOfKeys([...(confusion?.grouped.groups ?? []), ...(scores?.groups ?? [])].map((group) => group.key));
  const groups = keys.map((key) => binaryPerformance(confusionByKey.get(groupMapKey(key)) ?? null, scoresByKey.get(groupMapKey(key)) ?? null, probability, bins));

  return assemble('binary_classification', aggregates.file, overall, attributes, keys, groups, minimumGroupSize, {
    columns: {
      label: options.label.column,
      prediction: predictionColumnOf(options.prediction ?? null),
      score: options.scoreColumn ?? null,
      sensitive: attributes,
    },
    calibrationBins: overall.calibration?.reliabilityDiagram.equalWidth.requestedBins ?? null,
    leftOut: {
      missingLabel: Math.max(confusion?.excluded.missingLabel ?? 0, scores?.excluded.missingLabel ?? 0),
      ...(confusion ? { missingPrediction: confusion.excluded.missingPrediction } : {}),
      ...(scores ? { missingScore: scores.excluded.missingScore } : {}),
    },
    warnings: [...extraWarnings, ...uniqueWarnings([...(confusion?.warnings ?? []), ...(scores?.warnings ?? [])])],
  });
}

function summarizeMulticlass(
  aggregates: Extract<PerformanceAggregates, { task: 'multiclass_classification' }>,
  options: MulticlassPerformanceOptions,
  minimumGroupSize: number,
  extraWarnings: readonly string[],
): MulticlassPerformanceMeasurement {
  const { confusion, probabilities } = aggregates;
  const overall = multiclassPerformance(confusion?.overall ?? null, probabilities?.overall ?? null);
  const attributes = confusion?.attributes ?? probabilities?.attributes ?? [];
  const confusionByKey = new Map((confusion?.groups ?? []).map((group) => [groupMapKey(group.key), group.confusion]));
  const probabilitiesByKey = new Map((probabilities?.groups ?? []).map((group) => [groupMapKey(group.key), group.sums]));
  const keys = unionOfKeys([...(confusion?.groups ?? []), ...(probabilities?.groups ?? [])].map((group) => group.key));
  const groups = keys.map((key) => multiclassPerformance(confusionByKey.get(groupMapKey(key)) ?? null, probabilitiesByKey.get(groupMapKey(key)) ?? null));

  return assemble('multiclass_classification', aggregates.file, overall, attributes, keys, groups, minimumGroupSize, {
    columns: { label: options.labelColumn, prediction: options.predictionColumn ?? null, probabilities: options.probabilityColumns ? Object.values(options.probabilityColumns) : null, sensitive: attributes },
    calibrationBins: null,
    leftOut: {
      missingLabel: Math.max(confusion?.excluded.missingLabel ?? 0, probabilities?.excluded.missingLabel ?? 0),
      ...(confusion ? { missingPrediction: confusion.excluded.missingPrediction } : {}),
      ...(probabilities ? { missingProbability: probabilities.excluded.missingProbability } : {}),
    },
    warnings: [...extraWarnings, ...uniqueWarnings([...(confusion?.warnings ?? []), ...(probabilities?.warnings ?? [])])],
  });
}

function summarizeRegression(
  aggregates: Extract<PerformanceAggregates, { task: 'regression' }>,
  options: RegressionPerformanceOptions,
  minimumGroupSize: number,
  extraWarnings: readonly string[],
): RegressionPerformanceMeasurement {
  const { sums } = aggregates;
  const keys = sums.groups.map((group) => group.key);
  const groups = sums.groups.map((group) => regressionPerformance(group.sums));
  return assemble('regression', aggregates.file, regressionPerformance(sums.overall), sums.attributes, keys, groups, minimumGroupSize, {
    columns: { truth: options.truthColumn, prediction: options.predictionColumn, sensitive: sums.attributes },
    calibrationBins: null,
    leftOut: { missing: sums.excluded.missing, notFinite: sums.excluded.notFinite },
    warnings: [...extraWarnings, ...sums.warnings],
  });
}

type AnyPerformance = BinaryPerformance | MulticlassPerformance | RegressionPerformance;

interface AssemblyDetails {
  readonly columns: MeasurementOf<string, unknown>['columns'];
  readonly calibrationBins: number | null;
  readonly leftOut: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
}

function assemble<Task extends PerformanceMeasurement['task'], Metrics extends AnyPerformance>(
  task: Task,
  file: string,
  overall: Metrics,
  attributes: readonly string[],
  keys: readonly (readonly (string | null)[])[],
  metrics: readonly Metrics[],
  minimumGroupSize: number,
  details: AssemblyDetails,
): MeasurementOf<Task, Metrics> {
  const groups = keys.map((key, index): PerformanceGroup<Metrics> => {
    const groupMetrics = metrics[index] as Metrics;
    return { key, label: valuesLabel(key), name: groupLabel(attributes, key), size: groupMetrics.size, belowMinimumSize: groupMetrics.size < minimumGroupSize, metrics: groupMetrics };
  });
  const small = groups.filter((group) => group.belowMinimumSize).map((group) => `${group.label} (${group.size} rows)`);
  const warnings = [...details.warnings];
  if (small.length > 0) warnings.push(`groups below the minimum size of ${minimumGroupSize} rows: ${small.join(', ')}`);

  return {
    kind: 'performance',
    task,
    file,
    columns: details.columns,
    settings: { minimumGroupSize, calibrationBins: details.calibrationBins },
    leftOut: details.leftOut,
    overall,
    attributes,
    groups,
    comparisons: compareGroups(groups, overall),
    warnings,
  };
}

/** Compares the groups on every scalar metric that the overall result has. */
function compareGroups<Metrics extends AnyPerformance>(groups: readonly PerformanceGroup<Metrics>[], overall: Metrics): Record<string, Disparity> {
  if (groups.length === 0) return {};
  const overallValues = scalarMetrics(overall);
  const groupValues = groups.map((group) => scalarMetrics(group.metrics));
  const comparisons: Record<string, Disparity> = {};
  for (const [metric, overallValue] of Object.entries(overallValues)) {
    const measurements = groups.map((group, index): GroupMeasurement => ({
      label: group.label,
      value: groupValues[index]?.[metric] ?? missingValue,
      belowMinimumSize: group.belowMinimumSize,
    }));
    comparisons[metric] = measureDisparity(measurements, overallValue);
  }
  return comparisons;
}

const missingValue: Measured = { defined: false, reason: 'the group has no rows for this metric', warnings: [] };

/** Returns the distinct keys, ordered as the data layer orders groups. */
function unionOfKeys(keys: readonly (readonly (string | null)[])[]): (readonly (string | null)[])[] {
  const seen = new Map<string, readonly (string | null)[]>();
  for (const key of keys) if (!seen.has(groupMapKey(key))) seen.set(groupMapKey(key), key);
  return [...seen.values()].sort(compareGroupKeys);
}

function uniqueWarnings(warnings: readonly string[]): string[] {
  return [...new Set(warnings)];
}

function predictionColumnOf(prediction: BinaryPredictionSpec | null): string | null {
  if (prediction === null) return null;
  return 'column' in prediction ? prediction.column : prediction.scoreColumn;
}

function nothingToMeasure(path: string, needed: string): AppError {
  return new AppError('VALIDATION_FAILED', `A performance measurement of "${path}" needs ${needed}; name the column that holds the model's output`, [{ path, message: `needs ${needed}` }]);
}

/** Returns the columns a performance measurement reads. */
export function performanceColumns(options: PerformanceMeasurementOptions): string[] {
  const sensitive = options.sensitive ?? [];
  switch (options.task) {
    case 'binary_classification': {
      const predictionColumn = predictionColumnOf(options.prediction ?? null);
      return [options.label.column, ...(predictionColumn === null ? [] : [predictionColumn]), ...(options.scoreColumn ? [options.scoreColumn] : []), ...sensitive];
    }
    case 'multiclass_classification':
      return [options.labelColumn, ...(options.predictionColumn ? [options.predictionColumn] : []), ...Object.values(options.probabilityColumns ?? {}), ...sensitive];
    case 'regression':
      return [options.truthColumn, options.predictionColumn, ...sensitive];
  }
}
