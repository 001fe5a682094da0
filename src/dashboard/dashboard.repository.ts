import { sql } from 'kysely';
import type { Db } from '../platform/database/connection.js';

/** Queries for the grouped counts and short lists of the dashboard that no list endpoint offers as such. */

const countAll = sql<number | string>`count(*)`;

export async function countAiSystemsByStage(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('ai_systems').select(['lifecycle_stage', countAll.as('count')]).groupBy('lifecycle_stage').execute();
  return new Map(rows.map((row) => [row.lifecycle_stage, Number(row.count)]));
}

/**
 * Counts AI systems by the tier of their approved classification (null for none), and how many of
 * those classifications are stale. The partial unique index on approved classifications keeps
 * the join to one row per system, as in the register's list.
 */
export async function countAiSystemsByTier(db: Db): Promise<{ byTier: Map<string | null, number>; stale: number }> {
  const rows = await db
    .selectFrom('ai_systems as s')
    .leftJoin('classifications as c', (join) => join.onRef('c.ai_system_id', '=', 's.id').on('c.status', '=', 'approved'))
    .select(['c.tier as tier', countAll.as('count'), sql<number | string | null>`sum(case when c.stale = 1 then 1 else 0 end)`.as('stale')])
    .groupBy('c.tier')
    .execute();
  let stale = 0;
  const byTier = new Map<string | null, number>();
  for (const row of rows) {
    byTier.set(row.tier, Number(row.count));
    stale += Number(row.stale ?? 0);
  }
  return { byTier, stale };
}

export async function findLatestCompletedGapAssessmentId(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('assessments')
    .select('id')
    .where('mode', '=', 'gap')
    .where('status', '=', 'completed')
    .orderBy('completed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

const unfinishedTreatmentStatuses = ['planned', 'in_progress'];

/** Finds the treatments planned or in progress that were due before `today`, earliest first, and counts them and the risks they belong to. */
export async function findOverdueTreatments(db: Db, today: string, limit: number) {
  const overdue = db
    .selectFrom('risk_treatments as t')
    .innerJoin('risks as r', 'r.id', 't.risk_id')
    .where('t.status', 'in', unfinishedTreatmentStatuses)
    .where('t.due_date', '<', today);
  const [rows, counts] = await Promise.all([
    overdue
      .select(['t.id as id', 't.risk_id as riskId', 'r.title as riskTitle', 't.description as description', 't.due_date as dueDate', 't.status as status'])
      .orderBy('t.due_date')
      .orderBy('t.id')
      .limit(limit)
      .execute(),
    overdue.select([countAll.as('treatments'), sql<number | string>`count(distinct t.risk_id)`.as('risks')]).executeTakeFirstOrThrow(),
  ]);
  return { items: rows, overdue: Number(counts.treatments), risks: Number(counts.risks) };
}

export async function countExpiredEvidence(db: Db, today: string): Promise<number> {
  const row = await db.selectFrom('evidence').select(countAll.as('count')).where('valid_until', 'is not', null).where('valid_until', '<', today).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Counts the documents in force (not retired) whose next review date is before `today`, as the review-due list judges them. */
export async function countDocumentsOverdueForReview(db: Db, today: string): Promise<number> {
  const row = await db
    .selectFrom('documents')
    .select(countAll.as('count'))
    .where('status', '<>', 'retired')
    .where('next_review_date', 'is not', null)
    .where('next_review_date', '<', today)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Finds the latest failed measurement runs with their AI system's name, newest first, and counts every failed run. */
export async function findFailedRuns(db: Db, limit: number) {
  const failed = db.selectFrom('measurement_runs as m').innerJoin('ai_systems as s', 's.id', 'm.ai_system_id').where('m.result', '=', 'failed');
  const [rows, count] = await Promise.all([
    failed
      .select([
        'm.id as id',
        'm.ai_system_id as aiSystemId',
        's.name as aiSystemName',
        'm.kind as kind',
        'm.policy_name as policyName',
        'm.finished_at as finishedAt',
        'm.failed_count as failed',
        'm.outcome_count as outcomes',
      ])
      .orderBy('m.finished_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(limit)
      .execute(),
    failed.select(countAll.as('count')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows, total: Number(count.count) };
}
