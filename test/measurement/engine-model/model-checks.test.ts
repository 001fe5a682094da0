import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { ConfusionCounts } from '../../../src/measurement/core/aggregates.js';
import type { FairnessMeasurement } from '../../../src/measurement/engine/fairness-measurement.js';
import { modelCheckEvaluators } from '../../../src/measurement/engine/model-checks.js';
import { metricDefinitions, metricsOfFamily, type MetricName } from '../../../src/measurement/policy/metric-names.js';
import type { MeasurementPolicy } from '../../../src/measurement/policy/policy.js';
import type { CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { appErrorOf, compasPath, parseOk, recordingContext, useDataEngine, valueOf, type RecordingContext } from './support.js';

const engine = useDataEngine();

async function evaluateAll(context: RecordingContext, policy: MeasurementPolicy): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const check of policy.checks) {
    const family = check.family;
    if (family !== 'fairness' && family !== 'performance' && family !== 'calibration') throw new Error(`unexpected family ${family}`);
    outcomes.push(...(await modelCheckEvaluators[family](context, check)));
  }
  return outcomes;
}

function summary(outcomes: readonly CheckOutcome[]): [string, string | null, string][] {
  return outcomes.map((outcome) => [outcome.checkId, outcome.group, outcome.result]);
}

function outcomeOf(outcomes: readonly CheckOutcome[], checkId: string, group: string | null = null): CheckOutcome {
  const found = outcomes.find((outcome) => outcome.checkId === checkId && outcome.group === group);
  if (found === undefined) throw new Error(`no outcome of ${checkId} for ${group}`);
  return found;
}

const compasPolicy = `policyFormat: 1
name: COMPAS fairness gate
aiSystem: COMPAS recidivism risk assessment
data:
  evaluation:
    file: ${path.basename(compasPath)}
    task: binary_classification
    label: { column: two_year_recid, positive: 1 }
    prediction: { column: score_text, positive: [Medium, High] }
    sensitive: [race, sex]
checks:
  - id: fpr-by-race
    metric: false_positive_rate
    by: [race]
    groups: [African-American, Caucasian]
    threshold: { operator: "<=", value: 0.3 }
  - id: fnr-caucasian
    metric: false_negative_rate
    by: [race]
    groups: [Caucasian]
    threshold: { operator: "<=", value: 0.5 }
  - id: odds
    metric: equalized_odds_difference
    parameters: { aggregation: mean }
    threshold: { operator: "<", value: 0.1 }
    severity: warning
  - id: parity-to-caucasian
    metric: demographic_parity_ratio
    by: [race]
    parameters: { comparison: to_reference, reference: Caucasian }
    threshold: { operator: ">=", value: 0.8 }
  - id: four-fifths
    metric: four_fifths
    by: [race]
    threshold: { operator: ">=", value: 0.8 }
  - id: fnr-to-overall
    metric: rate_difference
    by: [race]
    parameters: { rate: false_negative_rate, comparison: to_overall }
    threshold: { operator: "<=", value: 0.35 }
`;

/** Rates computed here from the counts a measurement stores, independently of the core's disparity code. */
function selectionRate(counts: ConfusionCounts): number {
  const size = counts.truePositives + counts.falsePositives + counts.trueNegatives + counts.falseNegatives;
  return (counts.truePositives + counts.falsePositives) / size;
}

function falseNegativeRate(counts: ConfusionCounts): number {
  return counts.falseNegatives / (counts.falseNegatives + counts.truePositives);
}

describe('fairness check evaluator on COMPAS', () => {
  async function run() {
    const policy = parseOk(compasPolicy, path.resolve(path.dirname(compasPath)));
    const context = recordingContext(engine(), policy);
    const outcomes = await evaluateAll(context, policy);
    const byRace = context.results.fairness?.['race'] as FairnessMeasurement;
    return { context, outcomes, byRace };
  }

  it('judges group rates against their thresholds', async () => {
    const { outcomes } = await run();
    expect(summary(outcomes.filter((outcome) => outcome.checkId === 'fpr-by-race' || outcome.checkId === 'fnr-caucasian'))).toEqual([
      ['fpr-by-race', 'race=African-American', 'failed'],
      ['fpr-by-race', 'race=Caucasian', 'passed'],
      ['fnr-caucasian', 'race=Caucasian', 'passed'],
    ]);
    const africanAmerican = outcomeOf(outcomes, 'fpr-by-race', 'race=African-American');
    expect(valueOf(africanAmerican.value)).toBeCloseTo(805 / 1795, 15);
    expect(africanAmerican.message).toBe(`false_positive_rate = ${805 / 1795} does not meet <= 0.3`);
    expect(valueOf(outcomeOf(outcomes, 'fnr-caucasian', 'race=Caucasian').value)).toBeCloseTo(461 / 966, 15);
  });

  it('judges disparities with absolute differences and folded ratios', async () => {
    const { outcomes, byRace } = await run();
    const selection = new Map(byRace.groups.map((group) => [group.label, selectionRate(group.counts)]));
    const caucasian = selection.get('Caucasian') as number;
    const foldedToCaucasian = [...selection].filter(([label]) => label !== 'Caucasian').map(([, rate]) => Math.min(rate / caucasian, caucasian / rate));
    expect(valueOf(outcomeOf(outcomes, 'parity-to-caucasian', 'race').value)).toBeCloseTo(Math.min(...foldedToCaucasian), 14);

    const largeEnough = byRace.groups.filter((group) => group.size >= 30).map((group) => selectionRate(group.counts));
    expect(valueOf(outcomeOf(outcomes, 'four-fifths', 'race').value)).toBeCloseTo(Math.min(...selection.values()) / Math.max(...largeEnough), 14);
    expect(outcomeOf(outcomes, 'four-fifths', 'race').result).toBe('failed');

    const overallFnr = falseNegativeRate(byRace.overall.counts);
    const gaps = byRace.groups.map((group) => Math.abs(falseNegativeRate(group.counts) - overallFnr));
    expect(valueOf(outcomeOf(outcomes, 'fnr-to-overall', 'race').value)).toBeCloseTo(Math.max(...gaps), 14);
  });

  it('evaluates a check over each sensitive attribute when by is not set', async () => {
    const { outcomes, context } = await run();
    expect(summary(outcomes.filter((outcome) => outcome.checkId === 'odds'))).toEqual([
      ['odds', 'race', 'failed'],
      ['odds', 'sex', 'passed'],
    ]);
    const bySex = context.results.fairness?.['sex'] as FairnessMeasurement;
    const rates = (pick: (counts: ConfusionCounts) => number) => bySex.groups.map((group) => pick(group.counts));
    const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
    const truePositive = spread(rates((counts) => counts.truePositives / (counts.truePositives + counts.falseNegatives)));
    const falsePositive = spread(rates((counts) => counts.falsePositives / (counts.falsePositives + counts.trueNegatives)));
    expect(valueOf(outcomeOf(outcomes, 'odds', 'sex').value)).toBeCloseTo((truePositive + falsePositive) / 2, 14);
    expect(outcomeOf(outcomes, 'odds', 'sex').severity).toBe('warning');
  });

  it('scans once per set of attributes and stores each measurement once', async () => {
    const { context } = await run();
    expect(context.computed.filter((key) => key.startsWith('fairness-counts:'))).toEqual(['fairness-counts:["race"]', 'fairness-counts:["sex"]']);
    expect(context.added).toEqual(['fairness: race', 'fairness: sex', 'fairness: race, reference Caucasian']);
    const withReference = context.results.fairness?.['race, reference Caucasian'] as FairnessMeasurement;
    expect(withReference.disparities.selectionRate?.toReference?.reference).toBe('Caucasian');
    expect(context.warnings).toContain('groups below the minimum size of 30 rows: Native American (18 rows)');
  });
});

describe('fairness check evaluator on edge cases', () => {
  it('selects intersection groups, the missing group included', async () => {
    const policy = parseOk(`policyFormat: 1
name: Small gate
aiSystem: Test system
data:
  evaluation:
    file: missing-groups.csv
    task: binary_classification
    label: { column: label, positive: 1 }
    prediction: { column: prediction, positive: 1 }
    sensitive: [sex, age_band]
checks:
  - id: tpr
    metric: true_positive_rate
    by: [sex, age_band]
    groups: [{ sex: female, age_band: old }, { sex: "(missing)", age_band: old }]
    threshold: { operator: ">=", value: 0.5 }
`);
    const outcomes = await evaluateAll(recordingContext(engine(), policy), policy);
    expect(summary(outcomes)).toEqual([
      ['tpr', 'sex=female, age_band=old', 'undefined'],
      ['tpr', 'sex=(missing), age_band=old', 'passed'],
    ]);
    expect(outcomes[0]?.value).toEqual({ defined: false, reason: 'no actual positives in the group', warnings: [] });
  });

  it('measures base rates without a prediction', async () => {
    const policy = parseOk(`policyFormat: 1
name: Training data gate
aiSystem: Test system
data:
  evaluation:
    file: missing-groups.csv
    task: binary_classification
    label: { column: label, positive: 1 }
    sensitive: [sex]
checks:
  - { id: base, metric: base_rate, threshold: { operator: between, min: 0.2, max: 0.8 } }
  - { id: base-gap, metric: rate_difference, parameters: { rate: base_rate }, threshold: { operator: "<=", value: 0.3 } }
`);
    const context = recordingContext(engine(), policy);
    const outcomes = await evaluateAll(context, policy);
    // Labelled rows: female 1, 0, 0; male 1, 0, 1, 0; missing 1, 0.
    expect(outcomes.map((outcome) => [outcome.checkId, outcome.group, valueOf(outcome.value)])).toEqual([
      ['base', 'sex=female', 1 / 3],
      ['base', 'sex=male', 2 / 4],
      ['base', 'sex=(missing)', 1 / 2],
      ['base-gap', 'sex', 1 / 2 - 1 / 3],
    ]);
    const measurement = context.results.fairness?.['sex'] as FairnessMeasurement;
    expect(measurement.rates).toEqual(['baseRate']);
  });
});

const binaryPolicy = `policyFormat: 1
name: Scores gate
aiSystem: Loan approval
data:
  evaluation:
    file: binary-scores.csv
    task: binary_classification
    label: { column: label, positive: "yes" }
    prediction: { column: prediction, positive: "yes" }
    score: { column: score }
    sensitive: [group]
settings: { minGroupSize: 5 }
checks:
  - { id: accuracy, metric: accuracy, threshold: { operator: ">=", value: 0.8 } }
  - { id: f1-macro, metric: f1, parameters: { average: macro }, threshold: { operator: ">=", value: 0.7 } }
  - { id: auc-by-group, metric: roc_auc, by: [group], threshold: { operator: ">=", value: 0.8 } }
  - { id: auc-of-a, metric: roc_auc, by: [group], groups: [a], threshold: { operator: ">=", value: 0.8 } }
  - { id: log-loss, metric: log_loss, threshold: { operator: "<=", value: 0.5 } }
  - { id: brier, metric: brier_score, threshold: { operator: "<=", value: 0.1 } }
  - id: ece-equal-mass
    metric: expected_calibration_error
    parameters: { bins: 4, binning: equal_mass }
    threshold: { operator: "<=", value: 0.2 }
`;

describe('performance and calibration check evaluators', () => {
  it('judges binary metrics, per group where asked', async () => {
    const policy = parseOk(binaryPolicy);
    const context = recordingContext(engine(), policy);
    const outcomes = await evaluateAll(context, policy);

    expect(summary(outcomes)).toEqual([
      ['accuracy', null, 'failed'],
      ['f1-macro', null, 'passed'],
      ['auc-by-group', 'group=a', 'passed'],
      ['auc-by-group', 'group=b', 'passed'],
      ['auc-by-group', 'group=(missing)', 'undefined'],
      ['auc-of-a', 'group=a', 'passed'],
      ['log-loss', null, 'passed'],
      ['brier', null, 'failed'],
      ['ece-equal-mass', null, 'passed'],
    ]);
    expect(valueOf(outcomeOf(outcomes, 'accuracy').value)).toBeCloseTo(13 / 18, 15);
    expect(outcomeOf(outcomes, 'auc-by-group', 'group=(missing)').value).toEqual({
      defined: false,
      reason: 'no actual negatives, so the ranking of positives over negatives is undefined',
      warnings: [],
    });
    expect(outcomeOf(outcomes, 'auc-by-group', 'group=(missing)').message).toBe(
      'roc_auc is undefined (no actual negatives, so the ranking of positives over negatives is undefined), so the check fails the run',
    );
  });

  it('shares scans and stores each measurement once per family', async () => {
    const policy = parseOk(binaryPolicy);
    const context = recordingContext(engine(), policy);
    await evaluateAll(context, policy);
    expect(context.computed.filter((key) => key.startsWith('performance-aggregates:'))).toEqual(['performance-aggregates:[]', 'performance-aggregates:["group"]']);
    expect(context.added).toEqual(['performance: all rows', 'performance: group', 'calibration: all rows', 'calibration: all rows, 4 calibration bins']);
    const fourBins = context.results.calibration?.['all rows, 4 calibration bins'] as { settings: { calibrationBins: number } };
    expect(fourBins.settings.calibrationBins).toBe(4);
  });

  it('judges multiclass and regression metrics', async () => {
    const policy = parseOk(`policyFormat: 1
name: Classes gate
aiSystem: Animal classifier
data:
  evaluation:
    file: multiclass.csv
    task: multiclass_classification
    label: { column: actual }
    prediction: { column: predicted }
    score: { columns: { cat: p_cat, dog: p_dog, bird: p_bird } }
    sensitive: [site]
checks:
  - { id: f1, metric: f1, parameters: { average: macro }, by: [site], threshold: { operator: ">=", value: 0.7 } }
  - { id: brier, metric: brier_score, threshold: { operator: "<=", value: 0.3 } }
`);
    const outcomes = await evaluateAll(recordingContext(engine(), policy), policy);
    expect(summary(outcomes)).toEqual([
      ['f1', 'site=x', 'passed'],
      ['f1', 'site=y', 'failed'],
      ['brier', null, 'passed'],
    ]);

    const regression = parseOk(`policyFormat: 1
name: Estimate gate
aiSystem: Price estimator
data:
  evaluation:
    file: regression.csv
    task: regression
    label: { column: truth }
    prediction: { column: estimate }
    sensitive: [region]
checks:
  - { id: rmse, metric: rmse, by: [region], threshold: { operator: "<=", value: 2 } }
`);
    const regressionOutcomes = await evaluateAll(recordingContext(engine(), regression), regression);
    expect(summary(regressionOutcomes)).toEqual([
      ['rmse', 'region=north', 'failed'],
      ['rmse', 'region=south', 'passed'],
    ]);
  });

  it('rejects a binary average for multiclass data', async () => {
    const policy = parseOk(`policyFormat: 1
name: Classes gate
aiSystem: Animal classifier
data:
  evaluation:
    file: multiclass.csv
    task: multiclass_classification
    label: { column: actual }
    prediction: { column: predicted }
checks:
  - { id: precision, metric: precision, threshold: { operator: ">=", value: 0.7 } }
`);
    const error = await appErrorOf(() => evaluateAll(recordingContext(engine(), policy), policy));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(
      'The check "precision" asks for precision with average: binary, which needs binary classification, and data.evaluation.task is multiclass_classification; set parameters.average to macro, micro or weighted',
    );
  });
});

describe('model check evaluators', () => {
  /** Writes a policy with one check of every metric of the three families that applies to the task. */
  function everyMetricPolicy(task: 'binary_classification' | 'multiclass_classification' | 'regression'): string {
    const data = {
      binary_classification: `file: binary-scores.csv
    task: binary_classification
    label: { column: label, positive: "yes" }
    prediction: { column: prediction, positive: "yes" }
    score: { column: score }`,
      multiclass_classification: `file: multiclass.csv
    task: multiclass_classification
    label: { column: actual }
    prediction: { column: predicted }
    score: { columns: { cat: p_cat, dog: p_dog, bird: p_bird } }`,
      regression: `file: regression.csv
    task: regression
    label: { column: truth }
    prediction: { column: estimate }`,
    }[task];
    const sensitive = { binary_classification: 'group', multiclass_classification: 'site', regression: 'region' }[task];
    const checks = metricsForTask(task).map((metric) => {
      const parameters = metric.startsWith('rate_') ? ', parameters: { rate: false_positive_rate }' : ['precision', 'recall', 'f1'].includes(metric) && task !== 'binary_classification' ? ', parameters: { average: weighted }' : '';
      return `  - { metric: ${metric}${parameters}, threshold: { operator: ">=", value: 0 } }`;
    });
    return `policyFormat: 1\nname: Every metric\naiSystem: Test system\ndata:\n  evaluation:\n    ${data}\n    sensitive: [${sensitive}]\nchecks:\n${checks.join('\n')}\n`;
  }

  function metricsForTask(task: 'binary_classification' | 'multiclass_classification' | 'regression'): MetricName[] {
    return (['fairness', 'performance', 'calibration'] as const).flatMap((family) => metricsOfFamily(family)).filter((metric) => (metricDefinitions[metric].tasks as readonly string[]).includes(task));
  }

  it('evaluates every metric of the fairness, performance and calibration families', async () => {
    const evaluated = new Set<string>();
    for (const task of ['binary_classification', 'multiclass_classification', 'regression'] as const) {
      const policy = parseOk(everyMetricPolicy(task));
      const outcomes = await evaluateAll(recordingContext(engine(), policy), policy);
      for (const check of policy.checks) {
        const checkOutcomes = outcomes.filter((outcome) => outcome.checkId === check.id);
        expect(checkOutcomes.length, `${task} ${check.metric}`).toBeGreaterThan(0);
        evaluated.add(check.metric);
      }
    }
    const families = (['fairness', 'performance', 'calibration'] as const).flatMap((family) => metricsOfFamily(family));
    expect([...evaluated].sort()).toEqual([...families].sort());
  });
});
