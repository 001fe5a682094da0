import { defined, undefinedBecause, type Measured } from '../core/measured.js';
import { validationFailed } from '../../platform/errors.js';
import { metricDefinitions } from '../policy/metric-names.js';
import type { DataRole, MeasurementPolicy, ParameterValue, PolicyCheck } from '../policy/policy.js';
import { judgeCheck, type CheckOutcome } from '../reports/run-outcome.js';
import { isColumnDriftMetric, type DriftMetricRequest } from './drift-metrics.js';
import { measureDriftFromProfile } from './drift-from-profile.js';
import { measureDrift, type DriftMeasurement, type DriftOptions } from './drift-measurement.js';
import type { CheckEvaluator, RunContext } from './run-context.js';

/**
 * Evaluates the drift checks of a policy. The first drift check of a run starts one measurement
 * over the reference file and the check's data file. It covers every column that any drift check
 * of the policy names (every common column when one check names none), under the union of
 * their column mappings, and every drift metric and parameter set the policy uses. The later checks read their values from it. The measurement is stored
 * in the run's results under `measurement` (or `measurement:<role>` for a role other than
 * current), and the values of each check under `check:<id>`.
 */
export const evaluateDriftCheck: CheckEvaluator = async (context, check) => {
  const measurement = await sharedMeasurement(context, check.data);
  if (check.metric === 'dataset_drift_share') return [judgeCheck(check, {}, datasetDriftShare(measurement, check))];
  if (!isColumnDriftMetric(check.metric)) throw new RangeError(`${check.metric} is not a drift metric`);

  const key = requestKey(check.metric, check.parameters);
  let values = measurement.metrics[key];
  if (values === undefined || !coversColumns(measurement, check.columns)) {
    // A check the policy did not list when the shared measurement ran (one added by the caller) gets a measurement of its own.
    const own = await context.memo(`drift:${check.data}:${check.id}`, async () =>
      driftOf(context, check.data, {
        ...(check.columns === null ? {} : { columns: check.columns }),
        columnMapping: columnMappingOf(driftChecksOf(context.policy).filter((candidate) => candidate.data === check.data)),
        extraMeasures: false,
        metrics: [{ key, metric: check.metric as DriftMetricRequest['metric'], parameters: check.parameters }],
      }),
    );
    values = own.metrics[key] ?? [];
  }

  const targets = check.columns ?? values.map((value) => value.column);
  const outcomes: CheckOutcome[] = [];
  const stored = [];
  for (const column of targets) {
    const value = values.find((candidate) => candidate.column === column);
    if (value === undefined) throw wrongColumnType(check, measurement, column);
    stored.push(value);
    outcomes.push(judgeCheck(check, { column }, value.value));
  }
  context.addResult('drift', `check:${check.id}`, stored);
  return outcomes;
};

function sharedMeasurement(context: RunContext, role: DataRole): Promise<DriftMeasurement> {
  return context.memo(`drift:${role}`, async () => {
    const checks = driftChecksOf(context.policy).filter((candidate) => candidate.data === role);
    const named = checks.some((candidate) => candidate.columns === null) ? undefined : [...new Set(checks.flatMap((candidate) => candidate.columns ?? []))];
    const requests = new Map<string, DriftMetricRequest>();
    for (const candidate of checks) {
      if (!isColumnDriftMetric(candidate.metric)) continue;
      const key = requestKey(candidate.metric, candidate.parameters);
      // Each metric is computed for the columns its checks name, so that a test on values runs
      // only where a check reads it: on a reference profile it may not run elsewhere.
      const known = requests.get(key);
      let columns = candidate.columns;
      if (known !== undefined) {
        const everyColumn = known.columns == null || candidate.columns === null;
        columns = everyColumn ? null : [...new Set([...(known.columns ?? []), ...(candidate.columns ?? [])])];
      }
      requests.set(key, { key, metric: candidate.metric, parameters: candidate.parameters, columns });
    }
    const measurement = await driftOf(context, role, {
      ...(named === undefined ? {} : { columns: named }),
      columnMapping: columnMappingOf(checks),
      metrics: [...requests.values()],
    });
    context.addResult('drift', role === 'current' ? 'measurement' : `measurement:${role}`, measurement);
    for (const warning of measurement.warnings) context.warn(warning);
    return measurement;
  });
}

/** Measures drift of a data file from the policy's reference, which is a data file or a stored profile of one. */
async function driftOf(context: RunContext, role: DataRole, options: DriftOptions): Promise<DriftMeasurement> {
  const stored = await context.referenceProfile();
  const current = await context.dataSet(role);
  if (stored === null) return measureDrift(context.engine, await context.dataSet('reference'), current, options);
  return measureDriftFromProfile(context.engine, stored.profile, stored.file, current, options);
}

/** Returns every drift check of the policy, including those of every tier, so that one measurement serves all. */
function driftChecksOf(policy: MeasurementPolicy): PolicyCheck[] {
  return [...policy.checks, ...Object.values(policy.tierChecks).flat()].filter((check) => check.family === 'drift');
}

/**
 * Returns the union of the column mappings of drift checks over the same files. The policy parser
 * has rejected checks that map one reference column to different current columns.
 */
function columnMappingOf(checks: readonly PolicyCheck[]): Record<string, string> {
  return Object.assign({}, ...checks.map((check) => check.columnMapping)) as Record<string, string>;
}

/** Builds a key that is equal for two checks exactly when they request the same metric with the same parameters. */
function requestKey(metric: string, parameters: Readonly<Record<string, ParameterValue>>): string {
  const sorted = Object.keys(parameters)
    .sort()
    .map((name) => [name, parameters[name]]);
  return `${metric} ${JSON.stringify(sorted)}`;
}

function coversColumns(measurement: DriftMeasurement, columns: readonly string[] | null): boolean {
  if (columns === null) return true;
  return columns.every((column) => measurement.columns.some((result) => result.column === column));
}

/**
 * Returns the share of drifted columns among the check's columns (every compared column when
 * the check names none). Each column is decided by its default test or override, and columns
 * whose test is undefined count in neither number.
 */
function datasetDriftShare(measurement: DriftMeasurement, check: PolicyCheck): Measured {
  const columns = check.columns === null ? measurement.columns : measurement.columns.filter((result) => (check.columns as readonly string[]).includes(result.column));
  const tested = columns.filter((result) => result.drifted !== null);
  if (tested.length === 0) return undefinedBecause(columns.length === 0 ? 'no column is present in both files' : 'no column has a defined drift test result');
  return defined(tested.filter((result) => result.drifted === true).length / tested.length);
}

function wrongColumnType(check: PolicyCheck, measurement: DriftMeasurement, column: string) {
  const result = measurement.columns.find((candidate) => candidate.column === column);
  const accepted = metricDefinitions[check.metric].columnTypes.join(' or ');
  const where = check.source.line === null ? check.source.pointer : `line ${check.source.line}`;
  const found = result?.type ?? result?.dataTypes.reference ?? 'not compared';
  const message = `The check "${check.id}" (${where}) applies ${check.metric} to column "${column}", which is ${found}, but ${check.metric} needs a ${accepted} column; name another column or use a metric for ${found} columns`;
  return validationFailed([{ path: check.source.pointer, message }], message);
}
