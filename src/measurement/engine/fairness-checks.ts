/**
 * Evaluates the fairness checks of a policy: group rates, disparities and the four-fifths rule.
 * Checks that group by the same attributes share one scan of the evaluation file, and checks that
 * also name the same reference group share one measurement.
 */
import type { Disparity } from '../core/disparities.js';
import type { RateName } from '../core/fairness.js';
import { defined, undefinedBecause, type Measured } from '../core/measured.js';
import { metricDefinitions, type MetricName } from '../policy/metric-names.js';
import type { PolicyCheck } from '../policy/policy.js';
import { judgeCheck, type CheckOutcome } from '../reports/run-outcome.js';
import { attributesName, binaryLabelOf, binaryPredictionOf, checkTargets, evaluationDataOf, recordOnce } from './check-targets.js';
import { countFairness, readingWarnings, summarizeFairness, usedColumns, type FairnessMeasurement, type FairnessMeasurementOptions, type ReferenceOption } from './fairness-measurement.js';
import type { CheckEvaluator, RunContext } from './run-context.js';

/** The core's name of each group rate of the policy vocabulary. */
const rateOfMetric: Readonly<Record<string, RateName>> = {
  selection_rate: 'selectionRate',
  base_rate: 'baseRate',
  true_positive_rate: 'truePositiveRate',
  false_positive_rate: 'falsePositiveRate',
  false_negative_rate: 'falseNegativeRate',
  true_negative_rate: 'trueNegativeRate',
  positive_predictive_value: 'positivePredictiveValue',
  negative_predictive_value: 'negativePredictiveValue',
  false_discovery_rate: 'falseDiscoveryRate',
  false_omission_rate: 'falseOmissionRate',
};

/** The rate each named parity measure compares. */
const rateOfParity: Readonly<Record<string, RateName>> = {
  demographic_parity: 'selectionRate',
  equal_opportunity: 'truePositiveRate',
  predictive_parity: 'positivePredictiveValue',
};

export const evaluateFairnessCheck: CheckEvaluator = async (context, check) => {
  const outcomes: CheckOutcome[] = [];
  for (const attributes of check.by) {
    const measurement = await fairnessMeasurementFor(context, check, attributes);
    outcomes.push(...fairnessOutcomes(check, attributes, measurement));
  }
  return outcomes;
};

async function fairnessMeasurementFor(context: RunContext, check: PolicyCheck, attributes: readonly string[]): Promise<FairnessMeasurement> {
  const evaluation = evaluationDataOf(context, check);
  const settings = context.policy.settings;
  const reference = referenceOf(check);
  const favourableOutcome = check.favourableOutcome ?? 'positive';
  const options: FairnessMeasurementOptions = {
    label: binaryLabelOf(evaluation),
    prediction: binaryPredictionOf(evaluation),
    sensitive: attributes,
    missingSensitive: evaluation.missingSensitive,
    reference,
    referenceSource: `the check "${check.id}" (${check.source.line === null ? check.source.pointer : `line ${check.source.line}`})`,
    favourableOutcome,
    confidence: settings.confidenceLevel,
    ...(settings.minGroupSize === null ? {} : { minimumGroupSize: settings.minGroupSize }),
    bootstrap: settings.bootstrapResamples === null ? null : { replicates: settings.bootstrapResamples, ...(settings.seed === null ? {} : { seed: settings.seed }) },
  };
  const scanKey = JSON.stringify(attributes);
  const referenceName = typeof reference === 'string' ? reference : String(reference.group);
  // The favourable outcome changes the most favourable reference group and the four-fifths rule, so it is part of both keys.
  const variant = [referenceName === 'largest' ? null : `reference ${referenceName}`, favourableOutcome === 'positive' ? null : 'favourable outcome negative'].filter((part) => part !== null);
  const resultKey = [attributesName(attributes), ...variant].join(', ');

  const measurement = await context.memo(`fairness:${scanKey}:${referenceName}:${favourableOutcome}`, async () => {
    const dataSet = await context.dataSet(check.data);
    const counts = await context.memo(`fairness-counts:${scanKey}`, () => countFairness(context.engine, dataSet, options));
    return summarizeFairness(counts, options, readingWarnings(dataSet, usedColumns(options)));
  });
  await recordOnce(context, 'fairness', resultKey, measurement);
  return measurement;
}

function referenceOf(check: PolicyCheck): ReferenceOption {
  const reference = check.parameters.reference;
  if (check.parameters.comparison !== 'to_reference' || reference === undefined || reference === 'largest') return 'largest';
  if (reference === 'most_favourable') return 'most_favourable';
  return { group: String(reference) };
}

function fairnessOutcomes(check: PolicyCheck, attributes: readonly string[], measurement: FairnessMeasurement): CheckOutcome[] {
  const rate = rateOfMetric[check.metric];
  if (rate !== undefined) {
    return checkTargets(check, attributes, measurement.groups, measurement.file).map((target) => {
      const value = target.group.rates[rate]?.value ?? undefinedBecause(`the ${rate} is not measured, because the policy gives no prediction column`);
      return judgeCheck(check, { group: target.name }, value);
    });
  }
  return [judgeCheck(check, { group: attributesName(attributes) }, disparityValue(check, measurement))];
}

/**
 * Returns the value a disparity check compares with its threshold. Differences are absolute and
 * ratios folded to at most 1, as the metric vocabulary states: between groups max − min and
 * min / max, to the overall value the largest |group − overall| and the smallest folded ratio,
 * to the reference group the largest |group − reference| and the smallest folded ratio.
 */
function disparityValue(check: PolicyCheck, measurement: FairnessMeasurement): Measured {
  const metric: MetricName = check.metric;
  if (metric === 'four_fifths') return fourFifthsValue(measurement);

  const kind = metric.endsWith('_ratio') ? 'ratio' : 'difference';
  const comparison = String(check.parameters.comparison ?? 'between_groups');
  const valueOf = (rate: RateName): Measured => {
    const disparity = measurement.disparities[rate];
    if (disparity === undefined) return undefinedBecause(`the ${rate} is not measured, because the policy gives no prediction column`);
    return comparedValue(disparity, comparison, kind);
  };

  if (metric === 'equalized_odds_difference' || metric === 'equalized_odds_ratio') {
    const aggregation = check.parameters.aggregation === 'mean' ? 'mean' : 'worst_case';
    return combineOdds(valueOf('truePositiveRate'), valueOf('falsePositiveRate'), kind, aggregation);
  }
  const parity = rateOfParity[metric.replace(/_(difference|ratio)$/, '')];
  const rate = parity ?? rateOfMetric[String(check.parameters.rate)];
  if (rate === undefined) {
    throw new Error(`The fairness evaluator has no rule for the metric ${metric} (${metricDefinitions[metric].description})`);
  }
  return valueOf(rate);
}

function comparedValue(disparity: Disparity, comparison: string, kind: 'difference' | 'ratio'): Measured {
  if (comparison === 'to_overall') return disparity.toOverall[kind];
  if (comparison === 'to_reference') return referenceValue(disparity, kind);
  return disparity.betweenGroups[kind];
}

/** Summarizes the comparisons with the reference group: the largest absolute difference or the smallest folded ratio. */
function referenceValue(disparity: Disparity, kind: 'difference' | 'ratio'): Measured {
  const toReference = disparity.toReference;
  if (toReference === null) return undefinedBecause('no reference group was chosen');
  const others = toReference.groups.filter((group) => group.label !== toReference.reference);
  if (others.length === 0) return undefinedBecause(`the reference group ${toReference.reference} is the only group`);

  const included = others.filter((group) => group[kind].defined);
  const skipped = others.filter((group) => !group[kind].defined);
  const warnings = [...new Set(included.flatMap((group) => group[kind].warnings.map((warning) => `${group.label}: ${warning}`)))];
  if (skipped.length > 0) warnings.push(`groups without a comparison were skipped: ${skipped.map((group) => group.label).join(', ')}`);
  if (included.length === 0) {
    const first = skipped[0]?.[kind];
    return undefinedBecause(first !== undefined && !first.defined ? first.reason : 'no group has a comparison with the reference group', warnings);
  }

  const values = included.map((group) => (group[kind] as { value: number }).value);
  if (kind === 'difference') return defined(Math.max(...values.map(Math.abs)), warnings);
  return defined(Math.min(...values.map((ratio) => (ratio > 1 ? 1 / ratio : ratio))), warnings);
}

/** Combines the TPR and FPR disparities: the worse of the two (larger difference, smaller ratio) or their mean. */
function combineOdds(tpr: Measured, fpr: Measured, kind: 'difference' | 'ratio', aggregation: 'worst_case' | 'mean'): Measured {
  const warnings = [...new Set([...tpr.warnings, ...fpr.warnings])];
  if (!tpr.defined) return undefinedBecause(`the true positive rate disparity is undefined: ${tpr.reason}`, warnings);
  if (!fpr.defined) return undefinedBecause(`the false positive rate disparity is undefined: ${fpr.reason}`, warnings);
  if (aggregation === 'mean') return defined((tpr.value + fpr.value) / 2, warnings);
  return defined(kind === 'difference' ? Math.max(tpr.value, fpr.value) : Math.min(tpr.value, fpr.value), warnings);
}

/** Returns the smallest ratio of a group's favourable rate to the highest, the adverse impact ratio of the four-fifths rule. */
function fourFifthsValue(measurement: FairnessMeasurement): Measured {
  const rule = measurement.fourFifthsRule;
  if (rule === null) return undefinedBecause('the four-fifths rule needs a prediction column, and the policy gives none');
  const ratios = rule.groups.filter((group) => group.ratio.defined);
  if (ratios.length === 0) {
    const first = rule.groups[0]?.ratio;
    return undefinedBecause(first !== undefined && !first.defined ? first.reason : 'no group has a selection rate');
  }
  let lowest = ratios[0]!;
  for (const group of ratios) if ((group.ratio as { value: number }).value < (lowest.ratio as { value: number }).value) lowest = group;
  return defined((lowest.ratio as { value: number }).value, lowest.ratio.warnings);
}
