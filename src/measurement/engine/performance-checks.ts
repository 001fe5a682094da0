/**
 * Evaluates the performance and calibration checks of a policy, over all rows or per group when
 * a check sets `by`. Checks over the same attributes share the scans of the evaluation file, and
 * checks that also use the same number of calibration bins share one measurement.
 */
import { defaultCalibrationBins } from '../core/calibration.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import type { EvaluationData, PolicyCheck } from '../policy/policy.js';
import { judgeCheck, type CheckOutcome } from '../reports/run-outcome.js';
import { AppError } from '../../platform/errors.js';
import { attributesName, binaryLabelOf, binaryPredictionOf, checkTargets, evaluationDataOf, recordOnce } from './check-targets.js';
import { readingWarnings } from './fairness-measurement.js';
import {
  collectPerformanceAggregates,
  performanceColumns,
  summarizePerformance,
  type PerformanceGroup,
  type PerformanceMeasurement,
  type PerformanceMeasurementOptions,
} from './performance-measurement.js';
import type { BinaryPerformance, MulticlassPerformance, RegressionPerformance } from './performance-metrics.js';
import type { CheckEvaluator, RunContext } from './run-context.js';

/** Returns the evaluator of the performance or the calibration family; both read one performance measurement. */
export function performanceEvaluator(family: 'performance' | 'calibration'): CheckEvaluator {
  return async (context, check) => {
    const evaluation = evaluationDataOf(context, check);
    const outcomes: CheckOutcome[] = [];
    for (const attributes of check.by.length > 0 ? check.by : [[]]) {
      const measurement = await performanceMeasurementFor(context, check, family, evaluation, attributes);
      if (attributes.length === 0) {
        outcomes.push(judgeCheck(check, {}, metricValue(check, measurement.overall)));
        continue;
      }
      const groups: readonly PerformanceGroup<AnyPerformance>[] = measurement.groups;
      for (const target of checkTargets(check, attributes, groups, measurement.file)) {
        outcomes.push(judgeCheck(check, { group: target.name }, metricValue(check, target.group.metrics)));
      }
    }
    return outcomes;
  };
}

async function performanceMeasurementFor(
  context: RunContext,
  check: PolicyCheck,
  family: 'performance' | 'calibration',
  evaluation: EvaluationData,
  attributes: readonly string[],
): Promise<PerformanceMeasurement> {
  const bins = check.metric === 'expected_calibration_error' && typeof check.parameters.bins === 'number' ? check.parameters.bins : defaultCalibrationBins;
  const options = measurementOptions(context, check, evaluation, attributes, bins);
  const scanKey = JSON.stringify(attributes);
  const measurement = await context.memo(`performance:${scanKey}:${bins}`, async () => {
    const dataSet = await context.dataSet(check.data);
    const aggregates = await context.memo(`performance-aggregates:${scanKey}`, () => collectPerformanceAggregates(context.engine, dataSet, options));
    return summarizePerformance(aggregates, options, readingWarnings(dataSet, performanceColumns(options)));
  });

  const rows = attributes.length === 0 ? 'all rows' : attributesName(attributes);
  const resultKey = evaluation.task === 'binary_classification' && bins !== defaultCalibrationBins ? `${rows}, ${bins} calibration bins` : rows;
  await recordOnce(context, family, resultKey, measurement);
  return measurement;
}

function measurementOptions(context: RunContext, check: PolicyCheck, evaluation: EvaluationData, attributes: readonly string[], bins: number): PerformanceMeasurementOptions {
  const minGroupSize = context.policy.settings.minGroupSize;
  const common = { sensitive: attributes, missingSensitive: evaluation.missingSensitive, ...(minGroupSize === null ? {} : { minimumGroupSize: minGroupSize }) };
  const score = evaluation.score;
  const prediction = evaluation.prediction;
  switch (evaluation.task) {
    case 'binary_classification':
      return {
        ...common,
        task: 'binary_classification',
        label: binaryLabelOf(evaluation),
        prediction: binaryPredictionOf(evaluation),
        scoreColumn: score !== null && 'column' in score ? score.column : null,
        calibrationBins: bins,
      };
    case 'multiclass_classification':
      return {
        ...common,
        task: 'multiclass_classification',
        labelColumn: evaluation.label.column,
        predictionColumn: prediction?.column ?? null,
        probabilityColumns: score !== null && 'columns' in score ? score.columns : null,
      };
    case 'regression':
      if (prediction === null) {
        throw new AppError('VALIDATION_FAILED', `The check "${check.id}" (${check.metric}) needs the predicted value, and data.evaluation has no prediction; add prediction: { column: ... }`);
      }
      return { ...common, task: 'regression', truthColumn: evaluation.label.column, predictionColumn: prediction.column };
  }
}

type AnyPerformance = BinaryPerformance | MulticlassPerformance | RegressionPerformance;

/** Picks the value a check compares with its threshold from the metrics of all rows or of one group. */
function metricValue(check: PolicyCheck, metrics: AnyPerformance): Measured {
  if ('counts' in metrics) return binaryValue(check, metrics);
  if ('confusion' in metrics) return multiclassValue(check, metrics);
  return regressionValue(check, metrics);
}

const noPrediction = 'the evaluation data has no prediction for these rows';
const noScore = 'the evaluation data has no score for these rows';

function binaryValue(check: PolicyCheck, metrics: BinaryPerformance): Measured {
  const classification = metrics.classification;
  const average = String(check.parameters.average ?? 'binary');
  switch (check.metric) {
    case 'accuracy':
      return classification?.accuracy ?? undefinedBecause(noPrediction);
    case 'balanced_accuracy':
      return classification?.balancedAccuracy ?? undefinedBecause(noPrediction);
    case 'precision':
    case 'recall':
    case 'f1': {
      if (classification === null) return undefinedBecause(noPrediction);
      const metric = check.metric;
      return average === 'binary' ? classification[metric] : classification.averages[averageOf(average)][metric];
    }
    case 'roc_auc':
      return metrics.ranking?.rocAuc ?? undefinedBecause(noScore);
    case 'pr_auc':
      return metrics.ranking?.prAuc ?? undefinedBecause(noScore);
    case 'log_loss':
      return metrics.calibration?.logLoss ?? undefinedBecause(noScore);
    case 'brier_score':
      return metrics.calibration?.brierScore ?? undefinedBecause(noScore);
    case 'expected_calibration_error': {
      const calibration = metrics.calibration;
      if (calibration === null) return undefinedBecause(noScore);
      return check.parameters.binning === 'equal_mass' ? calibration.expectedCalibrationError.equalMass : calibration.expectedCalibrationError.equalWidth;
    }
    default:
      throw unsupported(check, 'binary classification');
  }
}

function multiclassValue(check: PolicyCheck, metrics: MulticlassPerformance): Measured {
  const classification = metrics.classification;
  switch (check.metric) {
    case 'accuracy':
      return classification?.accuracy ?? undefinedBecause(noPrediction);
    case 'balanced_accuracy':
      return classification?.balancedAccuracy ?? undefinedBecause(noPrediction);
    case 'precision':
    case 'recall':
    case 'f1': {
      const average = String(check.parameters.average ?? 'binary');
      if (average === 'binary') {
        throw new AppError(
          'VALIDATION_FAILED',
          `The check "${check.id}" asks for ${check.metric} with average: binary, which needs binary classification, and data.evaluation.task is multiclass_classification; set parameters.average to macro, micro or weighted`,
          [{ path: `${check.source.pointer}/parameters/average`, message: 'binary needs binary classification' }],
        );
      }
      if (classification === null) return undefinedBecause(noPrediction);
      return classification[averageOf(average)][check.metric];
    }
    case 'log_loss':
      return metrics.probabilities?.logLoss ?? undefinedBecause(noScore);
    case 'brier_score':
      return metrics.probabilities?.brierScore ?? undefinedBecause(noScore);
    default:
      throw unsupported(check, 'multiclass classification');
  }
}

function regressionValue(check: PolicyCheck, metrics: RegressionPerformance): Measured {
  switch (check.metric) {
    case 'mae':
      return metrics.meanAbsoluteError;
    case 'rmse':
      return metrics.rootMeanSquaredError;
    case 'mape':
      return metrics.meanAbsolutePercentageError;
    case 'r2':
      return metrics.rSquared;
    default:
      throw unsupported(check, 'regression');
  }
}

function averageOf(average: string): 'macro' | 'micro' | 'weighted' {
  if (average === 'macro' || average === 'micro' || average === 'weighted') return average;
  throw new RangeError(`The average must be binary, macro, micro or weighted, but it is ${average}`);
}

function unsupported(check: PolicyCheck, task: string): AppError {
  return new AppError('VALIDATION_FAILED', `The check "${check.id}" asks for ${check.metric}, which is not defined for ${task}; choose a metric of that task`, [
    { path: `${check.source.pointer}/metric`, message: `not defined for ${task}` },
  ]);
}
