/**
 * Helpers of the model check evaluators: the policy's evaluation data, the groups a check
 * reports on, and the storing of each distinct measurement once per run.
 */
import { AppError } from '../../platform/errors.js';
import type { MetricFamily } from '../policy/metric-names.js';
import type { EvaluationData, PolicyCheck } from '../policy/policy.js';
import { groupLabel } from '../reports/run-outcome.js';
import type { RunContext } from './run-context.js';

/** Returns the policy's evaluation data, which every fairness, performance and calibration check reads. */
export function evaluationDataOf(context: RunContext, check: PolicyCheck): EvaluationData {
  const evaluation = context.policy.data.evaluation;
  if (evaluation === null) {
    throw new AppError('VALIDATION_FAILED', `The check "${check.id}" (${check.metric}) reads data.evaluation, but the policy "${context.policy.name}" has none; add data.evaluation with its file, task and columns`);
  }
  return evaluation;
}

/** A group a check reports on: a group found in the data, or one that a selector names and the data lacks. */
export interface CheckTarget<Group> {
  readonly group: Group | null;
  /** The group as `groupLabel` writes it. */
  readonly name: string;
}

/**
 * Returns the groups of one set of attributes that a check reports on: every group when the check
 * has no `groups`, else the groups its selectors for these attributes name, in the selectors'
 * order. A selected group that does not occur in the data is returned with `group: null`, so that
 * the check reports it as undefined instead of passing silently. A selector value `(missing)`
 * names the group of rows whose value is missing.
 */
export function checkTargets<Group extends { readonly key: readonly (string | null)[]; readonly name: string }>(
  check: PolicyCheck,
  attributes: readonly string[],
  groups: readonly Group[],
): CheckTarget<Group>[] {
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
    return { group: group ?? null, name: group?.name ?? groupLabel(attributes, key) };
  });
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
