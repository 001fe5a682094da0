import { countOutcomes, runResultOf, type RunOutcome } from './run-outcome.js';

/**
 * The full JSON report of a run: the run's facts, its result and counts, every check outcome and
 * the full results of each family. JSON has no infinities or NaN, so those numbers are written
 * as the strings "Infinity", "-Infinity" and "NaN" rather than turning into null.
 */

export const jsonReportFormat = 'custos-measurement-report/1';

export function renderJsonReport(run: RunOutcome): string {
  return `${JSON.stringify(jsonReportOf(run), keepNonFiniteNumbers, 2)}\n`;
}

/** Builds the report as a plain object, with the fields in the order the JSON file lists them. */
export function jsonReportOf(run: RunOutcome) {
  return {
    format: jsonReportFormat,
    policy: run.policyName,
    aiSystem: run.aiSystemName,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    engineVersion: run.engineVersion,
    result: runResultOf(run.outcomes),
    counts: countOutcomes(run.outcomes),
    outcomes: run.outcomes,
    results: run.results,
  };
}

/** JSON.stringify replacer that writes non-finite numbers as strings instead of null. */
export function keepNonFiniteNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
