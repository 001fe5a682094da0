import type { Db } from '../platform/database/connection.js';
import type { MeasurementRunFileTable, MeasurementRunTable, MeasurementValueTable } from '../platform/database/schema.js';
import { parseSort } from '../platform/listing.js';
import type { KpiQuery, MeasurementRun, MeasurementRunListQuery, MeasurementRunSummary, MeasurementValue, RunKind } from './measurement.schemas.js';
import type { MetricFamily, MetricName } from './policy/metric-names.js';
import type { Threshold } from './policy/policy.js';
import type { CheckResult, RunResult } from './reports/run-outcome.js';

/** Reads and writes measurement runs, their data files and values, and turns rows into the API's shape. */

/** Rows per INSERT of values: 20 columns a row stays well below SQLite's 32,766 bound parameters. */
const valueBatchSize = 1_000;

export async function insertRunRows(trx: Db, run: MeasurementRunTable, files: readonly MeasurementRunFileTable[], values: readonly MeasurementValueTable[]): Promise<void> {
  await trx.insertInto('measurement_runs').values(run).execute();
  if (files.length > 0) await trx.insertInto('measurement_run_files').values([...files]).execute();
  for (let start = 0; start < values.length; start += valueBatchSize) {
    await trx.insertInto('measurement_values').values(values.slice(start, start + valueBatchSize)).execute();
  }
}

export async function findRunRow(db: Db, id: string): Promise<MeasurementRunTable | undefined> {
  return db.selectFrom('measurement_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFileRows(db: Db, runIds: readonly string[]): Promise<Map<string, MeasurementRunFileTable[]>> {
  const files = new Map<string, MeasurementRunFileTable[]>();
  if (runIds.length === 0) return files;
  const rows = await db.selectFrom('measurement_run_files').selectAll().where('run_id', 'in', [...new Set(runIds)]).orderBy('run_id').orderBy('role').execute();
  for (const row of rows) files.set(row.run_id, [...(files.get(row.run_id) ?? []), row]);
  return files;
}

export async function findValueRows(db: Db, runId: string): Promise<MeasurementValueTable[]> {
  return db.selectFrom('measurement_values').selectAll().where('run_id', '=', runId).orderBy('position').execute();
}

export async function findMeasurementRun(db: Db, id: string): Promise<MeasurementRun | undefined> {
  const row = await findRunRow(db, id);
  if (!row) return undefined;
  const [files, values] = await Promise.all([findFileRows(db, [id]), findValueRows(db, id)]);
  return {
    ...toRunSummary(row, files.get(id) ?? []),
    policyText: row.policy_text,
    values: values.map(toMeasurementValue),
    report: JSON.parse(row.result_json) as unknown,
  };
}

export async function queryRuns(db: Db, aiSystemId: string, query: MeasurementRunListQuery, limit: number, offset: number): Promise<{ items: MeasurementRunSummary[]; total: number }> {
  let filtered = db.selectFrom('measurement_runs').where('ai_system_id', '=', aiSystemId);
  if (query.kind) filtered = filtered.where('kind', '=', query.kind);
  if (query.result) filtered = filtered.where('result', '=', query.result);
  if (query.modelVersionId) filtered = filtered.where('model_version_id', '=', query.modelVersionId);
  if (query.finishedFrom) filtered = filtered.where('finished_at', '>=', normalizeInstant(query.finishedFrom));
  if (query.finishedBefore) filtered = filtered.where('finished_at', '<', normalizeInstant(query.finishedBefore));
  const { order } = parseSort<'finishedAt'>(query.sort ?? '-finishedAt');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a run.
    filtered.selectAll().orderBy('finished_at', order).orderBy('id', order).limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const files = await findFileRows(
    db,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => toRunSummary(row, files.get(row.id) ?? [])), total: Number(count.total) };
}

/**
 * Reads every stored value of one metric of one system, optionally of one column and group, in
 * the order of the KPI index: series, then time.
 */
export async function findKpiRows(db: Db, aiSystemId: string, metric: MetricName, query: Pick<KpiQuery, 'column' | 'group' | 'finishedFrom' | 'finishedBefore'>): Promise<MeasurementValueTable[]> {
  let selected = db.selectFrom('measurement_values').selectAll().where('ai_system_id', '=', aiSystemId).where('metric', '=', metric);
  if (query.column !== undefined) selected = selected.where('column_name', '=', query.column);
  if (query.group !== undefined) selected = selected.where('group_name', '=', query.group);
  if (query.finishedFrom) selected = selected.where('measured_at', '>=', normalizeInstant(query.finishedFrom));
  if (query.finishedBefore) selected = selected.where('measured_at', '<', normalizeInstant(query.finishedBefore));
  return selected.orderBy('series_key').orderBy('measured_at').orderBy('run_id').orderBy('position').execute();
}

/** Finds AI systems by id, else by name; names are unique only within a business unit, so several may match. */
export async function findAiSystemsByIdOrName(db: Db, idOrName: string): Promise<{ id: string; name: string; business_unit: string; owner_id: string | null }[]> {
  const byId = await db.selectFrom('ai_systems').select(['id', 'name', 'business_unit', 'owner_id']).where('id', '=', idOrName).execute();
  if (byId.length > 0) return byId;
  return db.selectFrom('ai_systems').select(['id', 'name', 'business_unit', 'owner_id']).where('name', '=', idOrName).orderBy('business_unit').execute();
}

export function toRunSummary(row: MeasurementRunTable, files: readonly MeasurementRunFileTable[]): MeasurementRunSummary {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    modelVersionId: row.model_version_id,
    kind: row.kind as RunKind,
    policyName: row.policy_name,
    policySha256: row.policy_sha256,
    engineVersion: row.engine_version,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runBy: row.run_by,
    result: row.result as RunResult,
    counts: { outcomes: Number(row.outcome_count), passed: Number(row.passed_count), failed: Number(row.failed_count), undefined: Number(row.undefined_count) },
    resultSha256: row.result_sha256,
    recordedAt: row.recorded_at,
    files: files.map((file) => ({
      role: file.role as MeasurementRunSummary['files'][number]['role'],
      fileName: file.file_name,
      format: file.format as MeasurementRunSummary['files'][number]['format'],
      sha256: file.sha256,
      sizeBytes: Number(file.size_bytes),
      rowCount: Number(file.row_count),
      datasetVersionId: file.dataset_version_id,
    })),
  };
}

export function toMeasurementValue(row: MeasurementValueTable): MeasurementValue {
  return {
    position: Number(row.position),
    checkId: row.check_id,
    family: row.family as MetricFamily,
    metric: row.metric as MetricName,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    column: row.column_name,
    group: row.group_name,
    value: apiNumber(row.value),
    undefinedReason: row.undefined_reason,
    warnings: JSON.parse(row.warnings) as string[],
    threshold: thresholdOf(row),
    severity: row.severity as MeasurementValue['severity'],
    result: row.result as CheckResult,
  };
}

/** Writes a stored number for JSON, where infinities have no literal: as the string "Infinity" or "-Infinity". */
export function apiNumber(value: number | null): number | 'Infinity' | '-Infinity' | null {
  if (value === null) return null;
  const number = Number(value);
  if (number === Number.POSITIVE_INFINITY) return 'Infinity';
  if (number === Number.NEGATIVE_INFINITY) return '-Infinity';
  return number;
}

export function thresholdOf(row: Pick<MeasurementValueTable, 'threshold_operator' | 'threshold_value' | 'threshold_min' | 'threshold_max'>): Threshold {
  if (row.threshold_operator === 'between') return { operator: 'between', min: Number(row.threshold_min), max: Number(row.threshold_max) };
  return { operator: row.threshold_operator as '<' | '<=' | '>' | '>=', value: Number(row.threshold_value) };
}

/** Stored instants are ISO 8601 UTC with milliseconds, so a bound in another offset is converted before comparing text. */
export function normalizeInstant(instant: string): string {
  return new Date(instant).toISOString();
}
