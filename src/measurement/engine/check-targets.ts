/**
 * Helpers of the model check evaluators: the policy's evaluation data, the groups a check
 * reports on, and the storing of each distinct measurement once per run.
 */
import { AppError } from '../../platform/errors.js';
import type { MetricFamily } from '../policy/metric-names.js';
import type { EvaluationData, PolicyCheck } from '../policy/policy.js';
import type { BinaryLabelSpec, BinaryPredictionSpec } from '../data/index.js';
import { groupLabel } from '../reports/run-outcome.js';
import { describeAbsentGroup, type CountedGroup } from './absent-groups.js';
import type { RunContext } from './run-context.js';

/** Returns the policy's evaluation data, which every fairness, performance and calibration check reads. */
export function evaluationDataOf(context: RunContext, check: PolicyCheck): EvaluationData {
  const evaluation = context.policy.data.evaluation;
  if (evaluation === null) {
    throw new AppError('VALIDATION_FAILED', `The check "${check.id}" (${check.metric}) reads data.evaluation, but the policy "${context.policy.name}" has none; add data.evaluation with its file, task and columns`);
  }
  return evaluation;
}

/** Returns the label of binary evaluation data as the data layer reads it. */
export function binaryLabelOf(evaluation: EvaluationData): BinaryLabelSpec {
  return { column: evaluation.label.column, positive: evaluation.label.positive ?? [], allowAbsentPositive: evaluation.label.allowAbsentPositive };
}

/** Returns the prediction column of binary evaluation data as the data layer reads it, or null without one. The positive values default to the label's. */
export function binaryPredictionOf(evaluation: EvaluationData): BinaryPredictionSpec | null {
  const prediction = evaluation.prediction;
  if (prediction === null) return null;
  return { column: prediction.column, positive: prediction.positive ?? evaluation.label.positive ?? [], allowAbsentPositive: prediction.allowAbsentPositive };
}

/** A group a check reports on, and its name as `groupLabel` writes it. */
export interface CheckTarget<Group> {
  readonly group: Group;
  readonly name: string;
}

/**
 * Returns the groups of one set of attributes that a check reports on: every group when the check
 * has no `groups`, else the groups its selectors for these attributes name, in the selectors'
 * order. A selector value `(missing)` names the group of rows whose value is missing. A selected
 * group that no measured row of `file` belongs to raises a VALIDATION_FAILED error that names the
 * absent value, its column and the values found. Such a filter is a mistake in the policy, not a
 * result.
 */
export function checkTargets<Group extends CountedGroup & { readonly name: string }>(check: PolicyCheck, attributes: readonly string[], groups: readonly Group[], file: string): CheckTarget<Group>[] {
  if (check.groups === null) return groups.map((group) => ({ group, name: group.name }));
  const selectors = check.groups.filter((selector) => {
    const names = Object.keys(selector);
    return names.length === attributes.length && attributes.every((attribute) => names.includes(attribute));
  });
  return selectors.map((selector) => {
    const values = attributes.map((attribute) => String(selector[attribute]));
    const key = values.map((value) => (value === missingValueName ? null : value));
    // A group whose value is the text "(missing)" still matches that text.
    const group = groups.find((candidate) => candidate.key.every((value, index) => value === key[index] || value === values[index]));
    if (group === undefined) throw absentGroup(check, groupLabel(attributes, key), describeAbsentGroup(attributes, values, groups), file);
    return { group, name: group.name };
  });
}

function absentGroup(check: PolicyCheck, name: string, reason: string, file: string): AppError {
  const where = check.source.line === null ? check.source.pointer : `line ${check.source.line}`;
  const message = `The check "${check.id}" (${where}) selects the group ${name}, but no measured row of "${file}" belongs to it: ${reason}; correct the group in groups, or remove it`;
  return new AppError('VALIDATION_FAILED', message, [{ path: `${check.source.pointer}/groups`, message }]);
}

const missingValueName = '(missing)';

/** Names a set of attributes for result keys and outcomes, the way the policy describes an intersection. */
export function attributesName(attributes: readonly string[]): string {
  return attributes.join(' × ');
}

/** Stores a measurement in the run's results the first time its key is seen, and passes its warnings to the run. */
export async function recordOnce(context: RunContext, family: MetricFamily, key: string, measurement: { readonly warnings: readonly string[] }): Promise<void> {
  await context.memo(`result:${family}:${key}`, async () => {
    context.addResult(family, key, measurement);
    for (const warning of measurement.warnings) context.warn(warning);
    return true;
  });
}
