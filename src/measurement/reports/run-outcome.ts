import { undefinedBecause, type Measured } from '../core/measured.js';
import { metricDefinitions, metricFamilies, type MetricFamily, type MetricName } from '../policy/metric-names.js';
import type { ParameterValue, PolicyCheck, Severity, Threshold } from '../policy/policy.js';
import { describeThreshold, meetsThreshold } from '../policy/thresholds.js';

/**
 * The outcome of a check run, which every report writer and the measurement store consume: one
 * outcome per check, column and group, and the full results of each metric family.
 *
 * How an undefined value counts: a check whose value is undefined (a rate of a group without
 * actual positives, a distance over an empty sample) has the result `undefined`, never passed.
 * With severity error it fails the run, because nothing shows that the threshold is met. With
 * severity warning it is reported and the run can still pass.
 */

export const checkResults = ['passed', 'failed', 'undefined'] as const;
export type CheckResult = (typeof checkResults)[number];

export const runResults = ['passed', 'passed_with_warnings', 'failed'] as const;
export type RunResult = (typeof runResults)[number];

export interface CheckOutcome {
  readonly checkId: string;
  readonly family: MetricFamily;
  readonly metric: MetricName;
  /** Every parameter of the metric as the check used it, defaults included. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** The column measured, for per-column metrics; null otherwise. */
  readonly column: string | null;
  /** The group measured, as groupLabel writes it; null for values over all rows. */
  readonly group: string | null;
  readonly value: Measured;
  readonly threshold: Threshold;
  readonly severity: Severity;
  readonly result: CheckResult;
  /** Reason the check passed, failed or is undefined, in one sentence. */
  readonly message: string;
}

export interface RunOutcome {
  /** The policy run, or null for an ad-hoc measurement. */
  readonly policyName: string | null;
  readonly aiSystemName: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly engineVersion: string;
  readonly outcomes: readonly CheckOutcome[];
  /** The full results of each family (every group, bin and test), as plain JSON values. */
  readonly results: Readonly<Partial<Record<MetricFamily, unknown>>>;
}

/**
 * Writes a group as `attribute=value`, joined by ", " for an intersection, in the order of the
 * attributes; a missing value is written `(missing)`.
 */
export function groupLabel(attributes: readonly string[], key: readonly (string | null)[]): string {
  return attributes.map((attribute, index) => `${attribute}=${key[index] ?? '(missing)'}`).join(', ');
}

/** Judges one value of a check against its threshold. A NaN value is treated as undefined. */
export function judgeCheck(check: Pick<PolicyCheck, 'id' | 'family' | 'metric' | 'parameters' | 'threshold' | 'severity'>, target: { column?: string | null; group?: string | null }, value: Measured): CheckOutcome {
  const measured = value.defined && Number.isNaN(value.value) ? undefinedBecause('the computed value is not a number (NaN)', value.warnings) : value;
  const base = {
    checkId: check.id,
    family: check.family,
    metric: check.metric,
    parameters: check.parameters,
    column: target.column ?? null,
    group: target.group ?? null,
    value: measured,
    threshold: check.threshold,
    severity: check.severity,
  };
  const threshold = describeThreshold(check.threshold);
  if (!measured.defined) {
    const consequence = check.severity === 'error' ? 'so the check fails the run' : 'reported as a warning';
    return { ...base, result: 'undefined', message: `${check.metric} is undefined (${measured.reason}), ${consequence}` };
  }
  const meets = meetsThreshold(check.threshold, measured.value);
  return {
    ...base,
    result: meets ? 'passed' : 'failed',
    message: meets ? `${check.metric} = ${measured.value} meets ${threshold}` : `${check.metric} = ${measured.value} does not meet ${threshold}`,
  };
}

/** Returns whether an outcome fails the run: a failed or undefined check of severity error. */
export function failsRun(outcome: CheckOutcome): boolean {
  return outcome.severity === 'error' && outcome.result !== 'passed';
}

export function runResultOf(outcomes: readonly CheckOutcome[]): RunResult {
  if (outcomes.some(failsRun)) return 'failed';
  if (outcomes.some((outcome) => outcome.result !== 'passed')) return 'passed_with_warnings';
  return 'passed';
}

export interface OutcomeCounts {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly undefined: number;
  /** Outcomes that fail the run (severity error, failed or undefined). */
  readonly failingRun: number;
}

export function countOutcomes(outcomes: readonly CheckOutcome[]): OutcomeCounts {
  return {
    total: outcomes.length,
    passed: outcomes.filter((outcome) => outcome.result === 'passed').length,
    failed: outcomes.filter((outcome) => outcome.result === 'failed').length,
    undefined: outcomes.filter((outcome) => outcome.result === 'undefined').length,
    failingRun: outcomes.filter(failsRun).length,
  };
}

/** Groups outcomes by family in the order of metricFamilies, leaving out families without outcomes. */
export function outcomesByFamily(outcomes: readonly CheckOutcome[]): [MetricFamily, CheckOutcome[]][] {
  return metricFamilies.map((family): [MetricFamily, CheckOutcome[]] => [family, outcomes.filter((outcome) => outcome.family === family)]).filter(([, list]) => list.length > 0);
}

/** Returns the caveat a report repeats for a metric, such as the limits of the four-fifths rule. */
export function caveatOf(metric: MetricName): string | null {
  return metricDefinitions[metric].caveat;
}
