import { sql, type SqlBool } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { RiskEscalationTable } from '../platform/database/schema.js';
import type { Role } from '../platform/auth/roles.js';
import { utcDate } from '../evidence/evidence.js';
import { isOverdue, type EscalationOutcome, type EscalationStatus } from './escalation.js';
import type { Escalation, EscalationListQuery } from './risk.schemas.js';

/** Reads and writes risk_escalations rows and turns them into the API's shape. */

export function toEscalation(row: RiskEscalationTable, riskTitle: string, now: Date): Escalation {
  const status = row.status as EscalationStatus;
  return {
    id: row.id,
    riskId: row.risk_id,
    riskTitle,
    category: row.category_id,
    score: row.score,
    maxScore: row.max_score,
    band: row.band,
    escalateToRole: row.escalate_to_role as Exclude<Role, 'internal_auditor'>,
    openedBy: row.opened_by,
    openedAt: row.created_at,
    dueDate: row.due_date,
    status,
    overdue: isOverdue(status, row.due_date, now),
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    outcome: row.outcome as EscalationOutcome | null,
    resolutionNote: row.resolution_note,
    version: row.version,
  };
}

export async function findEscalationRow(db: Db, id: string): Promise<RiskEscalationTable | undefined> {
  return db.selectFrom('risk_escalations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenEscalationRow(db: Db, riskId: string): Promise<RiskEscalationTable | undefined> {
  return db.selectFrom('risk_escalations').selectAll().where('risk_id', '=', riskId).where('status', '=', 'open').executeTakeFirst();
}

export async function queryEscalations(db: Db, query: EscalationListQuery, now: Date, limit: number, offset: number): Promise<{ items: Escalation[]; total: number }> {
  const today = utcDate(now);
  let filtered = db.selectFrom('risk_escalations as e').innerJoin('risks as r', 'r.id', 'e.risk_id');
  if (query.status) filtered = filtered.where('e.status', '=', query.status);
  if (query.role) filtered = filtered.where('e.escalate_to_role', '=', query.role);
  if (query.riskId) filtered = filtered.where('e.risk_id', '=', query.riskId);
  // Overdue means open with a due date before today (UTC), as isOverdue decides.
  const overdue = sql<SqlBool>`(e.status = 'open' and e.due_date < ${today})`;
  if (query.overdue === true) filtered = filtered.where(overdue);
  if (query.overdue === false) filtered = filtered.where(sql<SqlBool>`not ${overdue}`);

  const [rows, count] = await Promise.all([
    filtered.selectAll('e').select('r.title as risk_title').orderBy('e.due_date').orderBy('e.id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(({ risk_title, ...row }) => toEscalation(row, risk_title, now)), total: Number(count.total) };
}
