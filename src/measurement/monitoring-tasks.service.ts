import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { MonitoringTaskTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { chartSeries, groupIntoSeries } from './kpi-series.js';
import { CloseMonitoringTask, MonitoringTaskListQuery, type MonitoringTask } from './measurement.schemas.js';
import { findKpiRows } from './measurements.repository.js';
import { findOpenTaskRow, findTaskRow, queryTasks, toMonitoringTask } from './monitoring-tasks.repository.js';
import { metricDefinitions, type MetricFamily, type MetricName } from './policy/metric-names.js';
import type { MonitoringSettings } from './policy/policy.js';

/**
 * Monitoring tasks: when a newly recorded value of a KPI series breaches a control chart rule,
 * a retraining or review task opens for the AI system's owner, with a due date. At most one
 * task is open per system, metric, chart and rule, so a drift that persists over many runs or
 * columns opens one task until someone closes it. Opening and closing are audited.
 */

/** The role expected to act on a monitoring task. */
export const taskAssigneeRole = 'ai_system_owner';

/** Families whose breaches call for retraining the model; the others call for a review. */
const retrainingFamilies: readonly MetricFamily[] = ['performance', 'calibration', 'drift'];

export interface RecordedSystem {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string | null;
}

/**
 * Evaluates the control charts over every KPI series that the run just added a point to, inside
 * the run's write transaction, and opens a task for each rule breached at that new point unless
 * one is already open. Breaches of earlier points were judged when their runs were recorded.
 */
export async function openTasksForRun(trx: Db, caller: Caller, now: Date, system: RecordedSystem, runId: string, metrics: readonly MetricName[], settings: MonitoringSettings): Promise<MonitoringTask[]> {
  const opened: MonitoringTask[] = [];
  for (const metric of [...new Set(metrics)]) {
    const rows = await findKpiRows(trx, system.id, metric, {});
    for (const { key, rows: seriesRows } of groupIntoSeries(rows)) {
      if (seriesRows.at(-1)?.run_id !== runId) continue;
      const series = chartSeries(key, seriesRows, settings);
      for (const breach of series.breaches.filter((candidate) => candidate.runId === runId)) {
        if (await findOpenTaskRow(trx, system.id, metric, breach.chart, breach.rule)) continue;
        const timestamp = toTimestamp(now);
        const row: MonitoringTaskTable = {
          id: newId(),
          ai_system_id: system.id,
          kind: retrainingFamilies.includes(metricDefinitions[metric].family) ? 'retraining' : 'review',
          status: 'open',
          metric,
          parameters: key.parameters,
          column_name: key.column,
          group_name: key.group,
          chart: breach.chart,
          rule: breach.rule,
          run_id: runId,
          breach: JSON.stringify({ ...breach, chartResult: summarizeChart(series.charts[breach.chart]) }),
          assigned_role: taskAssigneeRole,
          owner_person_id: system.ownerId,
          due_date: dateOf(new Date(now.getTime() + settings.taskDueDays * 86_400_000)),
          opened_at: timestamp,
          closed_at: null,
          closed_by: null,
          resolution: null,
          version: 1,
          created_at: timestamp,
          updated_at: timestamp,
        };
        await trx.insertInto('monitoring_tasks').values(row).execute();
        const task = toMonitoringTask({ ...row, ai_system_name: system.name }, dateOf(now));
        await appendAuditEvent(trx, caller, now, { action: 'monitoring_task.opened', recordId: row.id, after: task });
        opened.push(task);
      }
    }
  }
  return opened;
}

/** Keeps the limits of a chart for the task's record and leaves out its points, which the KPI series holds. */
function summarizeChart(chart: unknown): unknown {
  if (typeof chart !== 'object' || chart === null) return chart;
  const { points: _points, breaches: _breaches, ...limits } = chart as Record<string, unknown>;
  return limits;
}

export async function listMonitoringTasks(ctx: ServiceContext, caller: Caller, query: MonitoringTaskListQuery): Promise<PageOf<MonitoringTask>> {
  authorize(caller, 'measurements.read');
  const parsed = parseWith(MonitoringTaskListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const today = dateOf(ctx.clock.now());
  const { rows, total } = await queryTasks(ctx.database.db, parsed, today, limit, offset);
  return { items: rows.map((row) => toMonitoringTask(row, today)), total, limit, offset };
}

export async function getMonitoringTask(ctx: ServiceContext, caller: Caller, id: string): Promise<MonitoringTask> {
  authorize(caller, 'measurements.read');
  const row = await findTaskRow(ctx.database.db, id);
  if (!row) throw notFound('monitoring task', id);
  return toMonitoringTask(row, dateOf(ctx.clock.now()));
}

/** Closes an open task with what was done about it; a closed task stays closed. */
export async function closeMonitoringTask(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  input: CloseMonitoringTask,
  options: { expectedVersion?: number; reason?: string | null } = {},
): Promise<MonitoringTask> {
  authorize(caller, 'monitoring_tasks.close');
  const parsed = parseWith(CloseMonitoringTask, input);
  return writeTransaction(ctx.database, async (trx) => {
    const row = await findTaskRow(trx, id);
    if (!row) throw notFound('monitoring task', id);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) throw versionMismatch('monitoring task', id, options.expectedVersion, row.version);
    if (row.status !== 'open') {
      throw new AppError('CONFLICT', `The monitoring task "${id}" was closed at ${row.closed_at} by ${row.closed_by}; a new breach opens a new task`);
    }

    const now = ctx.clock.now();
    const today = dateOf(now);
    const timestamp = toTimestamp(now);
    const { ai_system_name: aiSystemName, ...stored } = row;
    const after: MonitoringTaskTable = {
      ...stored,
      status: 'done',
      closed_at: timestamp,
      closed_by: caller.userId,
      resolution: parsed.resolution.trim(),
      version: row.version + 1,
      updated_at: timestamp,
    };
    await trx.updateTable('monitoring_tasks').set(after).where('id', '=', id).where('version', '=', row.version).execute();
    const closed = toMonitoringTask({ ...after, ai_system_name: aiSystemName }, today);
    await appendAuditEvent(trx, caller, now, { action: 'monitoring_task.closed', recordId: id, before: toMonitoringTask(row, today), after: closed, reason: options.reason ?? null });
    return closed;
  });
}

/** Returns the UTC calendar date of an instant, as YYYY-MM-DD. */
export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
