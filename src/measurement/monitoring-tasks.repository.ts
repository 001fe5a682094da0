import type { Db } from '../platform/database/connection.js';
import type { MonitoringTaskTable } from '../platform/database/schema.js';
import type { MonitoringTask, MonitoringTaskListQuery } from './measurement.schemas.js';
import type { MetricName } from './policy/metric-names.js';
import type { SpcChart } from './policy/policy.js';

/** Reads and writes monitoring tasks, and turns rows into the API's shape. */

export type MonitoringTaskRow = MonitoringTaskTable & { ai_system_name: string };

export async function findTaskRow(db: Db, id: string): Promise<MonitoringTaskRow | undefined> {
  return db
    .selectFrom('monitoring_tasks')
    .innerJoin('ai_systems', 'ai_systems.id', 'monitoring_tasks.ai_system_id')
    .selectAll('monitoring_tasks')
    .select('ai_systems.name as ai_system_name')
    .where('monitoring_tasks.id', '=', id)
    .executeTakeFirst();
}

/** Returns the open task of a system for one metric, chart and rule; the schema allows at most one. */
export async function findOpenTaskRow(db: Db, aiSystemId: string, metric: MetricName, chart: SpcChart, rule: string): Promise<MonitoringTaskTable | undefined> {
  return db
    .selectFrom('monitoring_tasks')
    .selectAll()
    .where('ai_system_id', '=', aiSystemId)
    .where('metric', '=', metric)
    .where('chart', '=', chart)
    .where('rule', '=', rule)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export async function queryTasks(db: Db, query: MonitoringTaskListQuery, today: string, limit: number, offset: number): Promise<{ rows: MonitoringTaskRow[]; total: number }> {
  let filtered = db.selectFrom('monitoring_tasks').innerJoin('ai_systems', 'ai_systems.id', 'monitoring_tasks.ai_system_id');
  if (query.status) filtered = filtered.where('monitoring_tasks.status', '=', query.status);
  if (query.kind) filtered = filtered.where('monitoring_tasks.kind', '=', query.kind);
  if (query.aiSystemId) filtered = filtered.where('monitoring_tasks.ai_system_id', '=', query.aiSystemId);
  if (query.overdue === true) filtered = filtered.where('monitoring_tasks.status', '=', 'open').where('monitoring_tasks.due_date', '<', today);
  if (query.overdue === false) filtered = filtered.where((eb) => eb.or([eb('monitoring_tasks.status', '<>', 'open'), eb('monitoring_tasks.due_date', '>=', today)]));

  const [rows, count] = await Promise.all([
    filtered
      .selectAll('monitoring_tasks')
      .select('ai_systems.name as ai_system_name')
      // Open tasks first, the most urgent on top; the id breaks ties so pages never overlap.
      .orderBy('monitoring_tasks.status', 'desc')
      .orderBy('monitoring_tasks.due_date')
      .orderBy('monitoring_tasks.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export function toMonitoringTask(row: MonitoringTaskRow, today: string): MonitoringTask {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    aiSystemName: row.ai_system_name,
    kind: row.kind as MonitoringTask['kind'],
    status: row.status as MonitoringTask['status'],
    metric: row.metric as MetricName,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    column: row.column_name,
    group: row.group_name,
    chart: row.chart as SpcChart,
    rule: row.rule,
    runId: row.run_id,
    breach: JSON.parse(row.breach) as unknown,
    assignedRole: row.assigned_role,
    ownerPersonId: row.owner_person_id,
    dueDate: row.due_date,
    overdue: row.status === 'open' && row.due_date < today,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    resolution: row.resolution,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
