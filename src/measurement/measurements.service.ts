import { createHash } from 'node:crypto';
import { findAiSystemRow } from '../ai-systems/ai-systems.repository.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import { canonicalJson } from '../platform/audit/chain.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import type { MeasurementRunFileTable, MeasurementRunTable, MeasurementValueTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { chartSeries, groupIntoSeries, seriesKeyOf } from './kpi-series.js';
import { KpiQuery, MeasurementRunListQuery, RecordMeasurementRun, type KpiReport, type MeasurementRun, type MeasurementRunSummary } from './measurement.schemas.js';
import { findKpiRows, findMeasurementRun, insertRunRows, queryRuns, toRunSummary } from './measurements.repository.js';
import { openTasksForRun } from './monitoring-tasks.service.js';
import { isMetricName, metricDefinitions, type MetricName } from './policy/metric-names.js';
import { describeUnknownMetric } from './policy/name-suggestions.js';
import { defaultMonitoring, type MonitoringSettings } from './policy/policy.js';
import { renderJsonReport } from './reports/json-report.js';
import { countOutcomes, runResultOf, type CheckOutcome, type RunOutcome } from './reports/run-outcome.js';
import { resolveAiSystem, resolveDatasetVersion, resolveModelVersion } from './run-references.js';

/**
 * Use cases of measurement runs. Recording a run stores it whole in one write transaction: the
 * run with its JSON report, its data files with their fingerprints, one row per value, the
 * audit event, and the monitoring tasks its new KPI points open. When any step fails, nothing
 * of the run is stored.
 */

export async function recordMeasurementRun(ctx: ServiceContext, caller: Caller, input: RecordMeasurementRun): Promise<MeasurementRun> {
  authorize(caller, 'measurements.write');
  const parsed = parseRunInput(input);
  return writeTransaction(ctx.database, (trx) => insertMeasurementRun(trx, caller, ctx.clock.now(), parsed));
}

/** Records a run inside the caller's write transaction, with its audit event and the tasks it opens. */
export async function insertMeasurementRun(trx: Db, caller: Caller, now: Date, input: RecordMeasurementRun): Promise<MeasurementRun> {
  authorize(caller, 'measurements.write');
  const parsed = parseRunInput(input);
  const problems: ErrorDetail[] = [];
  const system = await resolveAiSystem(trx, parsed.aiSystem, problems);
  const modelVersion = parsed.modelVersion ? await resolveModelVersion(trx, parsed.modelVersion, problems) : null;
  const datasetVersionIds: (string | null)[] = [];
  for (const [index, file] of parsed.files.entries()) {
    const version = file.dataset ? await resolveDatasetVersion(trx, file.dataset, file, `/files/${index}`, problems) : null;
    datasetVersionIds.push(version?.id ?? null);
  }
  if (problems.length > 0 || !system) throw validationFailed(problems);

  const runId = newId();
  const outcome = parsed.outcome as RunOutcome;
  const report = renderJsonReport(outcome);
  const counts = countOutcomes(outcome.outcomes);
  const run: MeasurementRunTable = {
    id: runId,
    ai_system_id: system.id,
    model_version_id: modelVersion?.id ?? null,
    kind: parsed.kind,
    policy_name: parsed.policy?.name ?? null,
    policy_sha256: parsed.policy?.sha256 ?? null,
    policy_text: parsed.policy?.text ?? null,
    engine_version: outcome.engineVersion,
    started_at: toTimestamp(new Date(outcome.startedAt)),
    finished_at: toTimestamp(new Date(outcome.finishedAt)),
    run_by: caller.userId,
    result: runResultOf(outcome.outcomes),
    outcome_count: counts.total,
    passed_count: counts.passed,
    failed_count: counts.failed,
    undefined_count: counts.undefined,
    result_json: report,
    result_sha256: createHash('sha256').update(report).digest('hex'),
    recorded_at: toTimestamp(now),
  };
  const files: MeasurementRunFileTable[] = parsed.files.map((file, index) => ({
    run_id: runId,
    role: file.role,
    file_name: file.fileName,
    format: file.format,
    sha256: file.sha256,
    size_bytes: file.sizeBytes,
    row_count: file.rowCount,
    dataset_version_id: datasetVersionIds[index] ?? null,
  }));
  const values = outcome.outcomes.map((checkOutcome, position) => toValueRow(runId, system.id, run.finished_at, position, checkOutcome));

  try {
    await insertRunRows(trx, run, files, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateOutcomes(outcome.outcomes);
    throw error;
  }
  const summary = toRunSummary(run, files);
  await appendAuditEvent(trx, caller, now, { action: 'measurement_run.recorded', recordId: runId, after: summary });

  const settings: MonitoringSettings = parsed.monitoring ?? defaultMonitoring;
  const metrics = [...new Set(outcome.outcomes.map((checkOutcome) => checkOutcome.metric))];
  await openTasksForRun(trx, caller, now, system, runId, metrics, settings);
  return (await findMeasurementRun(trx, runId))!;
}

/**
 * Validates a run against its schema and the rules a schema cannot state. Every value is a
 * number, and undefined exactly when its result is undefined. A policy check carries its policy,
 * and each data role appears once. Every problem is reported at once.
 */
function parseRunInput(input: RecordMeasurementRun): RecordMeasurementRun {
  const parsed = parseWith(RecordMeasurementRun, input);
  const problems: ErrorDetail[] = [];
  parsed.outcome.outcomes.forEach((outcome, index) => {
    const path = `/outcome/outcomes/${index}`;
    if (outcome.value.defined && (typeof outcome.value.value !== 'number' || Number.isNaN(outcome.value.value))) {
      problems.push({ path: `${path}/value/value`, message: `must be a number; a value that cannot be computed is { defined: false, reason } (received ${JSON.stringify(outcome.value.value) ?? 'nothing'})` });
    }
    if ((outcome.result === 'undefined') !== !outcome.value.defined) {
      problems.push({ path: `${path}/result`, message: `is ${outcome.result} while the value is ${outcome.value.defined ? 'defined' : 'undefined'}; only an undefined value has the result undefined` });
    }
    if (metricDefinitions[outcome.metric].family !== outcome.family) {
      problems.push({ path: `${path}/family`, message: `is ${outcome.family}, but ${outcome.metric} belongs to ${metricDefinitions[outcome.metric].family}` });
    }
  });
  if (parsed.kind === 'check' && !parsed.policy) problems.push({ path: '/policy', message: 'is missing; a check run stores the policy it ran (name, SHA-256 and text)' });
  if (parsed.policy && parsed.outcome.policyName !== parsed.policy.name) {
    problems.push({ path: '/outcome/policyName', message: `is ${JSON.stringify(parsed.outcome.policyName)} but the policy is named ${JSON.stringify(parsed.policy.name)}` });
  }
  if (Date.parse(parsed.outcome.finishedAt) < Date.parse(parsed.outcome.startedAt)) {
    problems.push({ path: '/outcome/finishedAt', message: `is before startedAt (${parsed.outcome.startedAt})` });
  }
  const roles = parsed.files.map((file) => file.role);
  roles.forEach((role, index) => {
    if (roles.indexOf(role) !== index) problems.push({ path: `/files/${index}/role`, message: `repeats the role ${role}; a run reads one file per role` });
  });
  if (problems.length > 0) throw validationFailed(problems);
  return parsed;
}

function toValueRow(runId: string, aiSystemId: string, measuredAt: string, position: number, outcome: CheckOutcome): MeasurementValueTable {
  const threshold = outcome.threshold;
  return {
    run_id: runId,
    position,
    ai_system_id: aiSystemId,
    measured_at: measuredAt,
    check_id: outcome.checkId,
    family: outcome.family,
    metric: outcome.metric,
    parameters: canonicalJson(outcome.parameters),
    column_name: outcome.column,
    group_name: outcome.group,
    series_key: seriesKeyOf(outcome),
    value: outcome.value.defined ? outcome.value.value : null,
    undefined_reason: outcome.value.defined ? null : outcome.value.reason,
    warnings: JSON.stringify(outcome.value.warnings),
    threshold_operator: threshold.operator,
    threshold_value: threshold.operator === 'between' ? null : threshold.value,
    threshold_min: threshold.operator === 'between' ? threshold.min : null,
    threshold_max: threshold.operator === 'between' ? threshold.max : null,
    severity: outcome.severity,
    result: outcome.result,
  };
}

/** Names the outcomes that repeat a check, column and group, which the unique index of values rejected. */
function duplicateOutcomes(outcomes: readonly CheckOutcome[]): AppError {
  const seen = new Map<string, number>();
  const details: ErrorDetail[] = [];
  outcomes.forEach((outcome, index) => {
    const key = JSON.stringify([outcome.checkId, outcome.column ?? '', outcome.group ?? '']);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else details.push({ path: `/outcome/outcomes/${index}`, message: `repeats check ${outcome.checkId} for the same column and group as /outcome/outcomes/${first}; each check has one value per column and group` });
  });
  return validationFailed(details, `The run has ${details.length} repeated outcome(s); nothing was stored`);
}

export async function listMeasurementRuns(ctx: ServiceContext, caller: Caller, aiSystemId: string, query: MeasurementRunListQuery): Promise<PageOf<MeasurementRunSummary>> {
  authorize(caller, 'measurements.read');
  const parsed = parseWith(MeasurementRunListQuery, query);
  const db = ctx.database.db;
  if (!(await findAiSystemRow(db, aiSystemId))) throw notFound('AI system', aiSystemId);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryRuns(db, aiSystemId, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getMeasurementRun(ctx: ServiceContext, caller: Caller, id: string): Promise<MeasurementRun> {
  authorize(caller, 'measurements.read');
  const run = await findMeasurementRun(ctx.database.db, id);
  if (!run) throw notFound('measurement run', id);
  return run;
}

/**
 * Returns the KPI series of one metric of an AI system, one per parameters, column and group,
 * each with the default control charts over its finite values.
 */
export async function getKpiReport(ctx: ServiceContext, caller: Caller, aiSystemId: string, metric: string, query: KpiQuery): Promise<KpiReport> {
  authorize(caller, 'measurements.read');
  const parsed = parseWith(KpiQuery, query);
  if (!isMetricName(metric)) {
    throw validationFailed([{ path: '/metric', message: `is not a known metric; ${describeUnknownMetric(metric)} (received ${JSON.stringify(metric)})` }]);
  }
  const db = ctx.database.db;
  if (!(await findAiSystemRow(db, aiSystemId))) throw notFound('AI system', aiSystemId);

  const settings = { charts: defaultMonitoring.charts, baselineLength: parsed.baselineLength ?? defaultMonitoring.baselineLength };
  const rows = await findKpiRows(db, aiSystemId, metric as MetricName, parsed);
  const series = groupIntoSeries(rows).map(({ key, rows: seriesRows }) => {
    const { key: _key, ...charted } = chartSeries(key, seriesRows, settings);
    return charted;
  });
  return { aiSystemId, metric, family: metricDefinitions[metric].family, baselineLength: settings.baselineLength, series };
}
