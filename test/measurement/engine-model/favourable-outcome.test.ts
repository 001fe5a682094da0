import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { ConfusionCounts } from '../../../src/measurement/core/aggregates.js';
import type { FairnessMeasurement } from '../../../src/measurement/engine/fairness-measurement.js';
import { modelCheckEvaluators } from '../../../src/measurement/engine/model-checks.js';
import type { CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { compasPath, parseOk, recordingContext, useDataEngine, valueOf } from './support.js';

const engine = useDataEngine();

// COMPAS predicts recidivism, so a positive prediction (Medium or High) harms the defendant.
const policyText = `policyFormat: 1
name: COMPAS favourable outcome
aiSystem: COMPAS recidivism risk assessment
data:
  evaluation:
    file: ${path.basename(compasPath)}
    task: binary_classification
    label: { column: two_year_recid, positive: 1 }
    prediction: { column: score_text, positive: [Medium, High] }
    sensitive: [race]
checks:
  - id: four-fifths-positive
    metric: four_fifths
    threshold: { operator: ">=", value: 0.8 }
  - id: four-fifths-negative
    metric: four_fifths
    favourableOutcome: negative
    threshold: { operator: ">=", value: 0.8 }
  - id: parity-positive
    metric: demographic_parity_difference
    parameters: { comparison: to_reference, reference: most_favourable }
    threshold: { operator: "<=", value: 0.1 }
  - id: parity-negative
    metric: demographic_parity_difference
    parameters: { comparison: to_reference, reference: most_favourable }
    favourableOutcome: negative
    threshold: { operator: "<=", value: 0.1 }
`;

function selectionRate(counts: ConfusionCounts): number {
  const size = counts.truePositives + counts.falsePositives + counts.trueNegatives + counts.falseNegatives;
  return (counts.truePositives + counts.falsePositives) / size;
}

async function run() {
  const policy = parseOk(policyText, path.dirname(compasPath));
  const context = recordingContext(engine(), policy);
  const outcomes: CheckOutcome[] = [];
  for (const check of policy.checks) outcomes.push(...(await modelCheckEvaluators.fairness(context, check)));
  const results = context.results.fairness ?? {};
  return { policy, context, outcomes, results };
}

function outcomeOf(outcomes: readonly CheckOutcome[], checkId: string): CheckOutcome {
  const found = outcomes.find((outcome) => outcome.checkId === checkId);
  if (found === undefined) throw new Error(`no outcome of ${checkId}`);
  return found;
}

describe('favourableOutcome of fairness checks on COMPAS', () => {
  it('reaches the checks from the policy', async () => {
    const { policy } = await run();
    expect(policy.checks.map((check) => [check.id, check.favourableOutcome])).toEqual([
      ['four-fifths-positive', 'positive'],
      ['four-fifths-negative', 'negative'],
      ['parity-positive', 'positive'],
      ['parity-negative', 'negative'],
    ]);
  });

  it('stores one measurement per favourable outcome', async () => {
    const { context, results } = await run();
    expect(context.added).toEqual([
      'fairness: race',
      'fairness: race, favourable outcome negative',
      'fairness: race, reference most_favourable',
      'fairness: race, reference most_favourable, favourable outcome negative',
    ]);
    expect((results['race'] as FairnessMeasurement).settings.favourableOutcome).toBe('positive');
    expect((results['race, favourable outcome negative'] as FairnessMeasurement).settings.favourableOutcome).toBe('negative');
  });

  it('flips the four-fifths rule to the unselected rate', async () => {
    const { outcomes, results } = await run();
    const measurement = results['race'] as FairnessMeasurement;
    const largeGroups = measurement.groups.filter((group) => group.size >= 30);
    const selected = measurement.groups.map((group) => selectionRate(group.counts));
    const largeSelected = largeGroups.map((group) => selectionRate(group.counts));

    const positive = valueOf(outcomeOf(outcomes, 'four-fifths-positive').value);
    expect(positive).toBeCloseTo(Math.min(...selected) / Math.max(...largeSelected), 14);
    const negative = valueOf(outcomeOf(outcomes, 'four-fifths-negative').value);
    expect(negative).toBeCloseTo(Math.min(...selected.map((rate) => 1 - rate)) / Math.max(...largeSelected.map((rate) => 1 - rate)), 14);

    // Scored Medium or High most often, African-American defendants have the highest selection
    // rate, so they set the bar when selection is favourable and fall below it when it is not.
    const positiveRule = (results['race'] as FairnessMeasurement).fourFifthsRule!;
    const negativeRule = (results['race, favourable outcome negative'] as FairnessMeasurement).fourFifthsRule!;
    expect(positiveRule.highestGroup).toBe('African-American');
    expect(positiveRule.flaggedGroups).not.toContain('African-American');
    expect(negativeRule.flaggedGroups).toContain('African-American');
    expect(negativeRule.highestGroup).not.toBe('African-American');
  });

  it('flips the most favourable reference of the selection rate', async () => {
    const { outcomes, results } = await run();
    const positive = results['race, reference most_favourable'] as FairnessMeasurement;
    const negative = results['race, reference most_favourable, favourable outcome negative'] as FairnessMeasurement;
    const largeGroups = positive.groups.filter((group) => group.size >= 30);
    const byRate = [...largeGroups].sort((left, right) => selectionRate(left.counts) - selectionRate(right.counts));
    const lowest = byRate[0]!;
    const highest = byRate[byRate.length - 1]!;

    expect(positive.disparities.selectionRate?.toReference?.reference).toBe(highest.label);
    expect(negative.disparities.selectionRate?.toReference?.reference).toBe(lowest.label);

    // The check reports the largest gap to the reference group.
    const gapTo = (reference: number) => Math.max(...positive.groups.map((group) => Math.abs(selectionRate(group.counts) - reference)));
    expect(valueOf(outcomeOf(outcomes, 'parity-positive').value)).toBeCloseTo(gapTo(selectionRate(highest.counts)), 14);
    expect(valueOf(outcomeOf(outcomes, 'parity-negative').value)).toBeCloseTo(gapTo(selectionRate(lowest.counts)), 14);
  });
});
