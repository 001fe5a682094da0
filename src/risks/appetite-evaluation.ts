import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { toTimestamp } from '../platform/clock.js';
import type { Db } from '../platform/database/connection.js';
import type { RiskEscalationTable } from '../platform/database/schema.js';
import { newId } from '../platform/ids.js';
import { isBeyondAppetite } from './appetite.js';
import { findAppetiteRow, findCategoryRow } from './categories.repository.js';
import { dueDateOf, nextEscalationStep, type EscalationOutcome } from './escalation.js';
import { findOpenEscalationRow, toEscalation } from './escalations.repository.js';
import { currentRating } from './risk.js';
import type { Risk } from './risk.schemas.js';

/**
 * Judges risks against their category's appetite and keeps their escalations in step. Every
 * function here runs inside the caller's write transaction and audits what it changes.
 */

/** Returns the current score of a risk: residual, else inherent, else null. */
export function currentScoreOf(risk: Pick<Risk, 'inherent' | 'residual'>): number | null {
  return currentRating(risk.inherent, risk.residual)?.score ?? null;
}

/** Tells whether the risk's current score lies above its category's appetite. */
export async function evaluateAppetite(db: Db, risk: Pick<Risk, 'category' | 'inherent' | 'residual'>): Promise<boolean> {
  const appetite = await findAppetiteRow(db, risk.category);
  return isBeyondAppetite(currentScoreOf(risk), appetite ? { maxScore: appetite.max_score } : null);
}

/**
 * Opens or resolves the risk's escalation after a change from `before` (null for a new risk) to
 * `after`, as nextEscalationStep decides. An opened escalation goes to the role of the category's
 * escalation path and is due after its deadline.
 */
export async function reconcileEscalation(trx: Db, caller: Caller, now: Date, before: Risk | null, after: Risk, reason: string | null): Promise<void> {
  const open = await findOpenEscalationRow(trx, after.id);
  const step = nextEscalationStep({
    wasBeyond: before?.beyondAppetite ?? false,
    isBeyond: after.beyondAppetite,
    previousScore: before ? currentScoreOf(before) : null,
    score: currentScoreOf(after),
    status: after.status,
    hasOpenEscalation: open !== undefined,
  });
  if (step.kind === 'open') await openEscalation(trx, caller, now, after, reason);
  if (step.kind === 'resolve' && open) {
    const note = step.outcome === 'risk_closed' ? 'The risk was closed.' : `The risk's score of ${currentScoreOf(after) ?? 'none'} is back within the appetite.`;
    await resolveEscalationRow(trx, caller, now, open, after.title, step.outcome, note, reason);
  }
}

async function openEscalation(trx: Db, caller: Caller, now: Date, risk: Risk, reason: string | null): Promise<void> {
  const [category, appetite] = await Promise.all([findCategoryRow(trx, risk.category), findAppetiteRow(trx, risk.category)]);
  const rating = currentRating(risk.inherent, risk.residual);
  // Only a rated risk with an appetite can be beyond it, so both exist here.
  if (!category || !appetite || !rating) throw new Error(`Risk ${risk.id} was judged beyond appetite without a rating or an appetite`);
  const timestamp = toTimestamp(now);
  const row: RiskEscalationTable = {
    id: newId(),
    risk_id: risk.id,
    category_id: risk.category,
    score: rating.score,
    max_score: appetite.max_score,
    band: rating.band.key,
    escalate_to_role: category.escalate_to_role,
    opened_by: caller.userId,
    due_date: dueDateOf(now, category.escalation_deadline_days),
    status: 'open',
    resolved_at: null,
    resolved_by: null,
    outcome: null,
    resolution_note: null,
    version: 1,
    created_at: timestamp,
    updated_at: timestamp,
  };
  await trx.insertInto('risk_escalations').values(row).execute();
  await appendAuditEvent(trx, caller, now, { action: 'risk_escalation.opened', recordId: row.id, after: toEscalation(row, risk.title, now), reason });
}

/** Resolves an open escalation, recording who resolved it, how and why. */
export async function resolveEscalationRow(
  trx: Db,
  caller: Caller,
  now: Date,
  open: RiskEscalationTable,
  riskTitle: string,
  outcome: EscalationOutcome,
  note: string,
  reason: string | null,
): Promise<RiskEscalationTable> {
  const timestamp = toTimestamp(now);
  const resolved: RiskEscalationTable = {
    ...open,
    status: 'resolved',
    resolved_at: timestamp,
    resolved_by: caller.userId,
    outcome,
    resolution_note: note,
    version: open.version + 1,
    updated_at: timestamp,
  };
  await trx.updateTable('risk_escalations').set(resolved).where('id', '=', open.id).where('version', '=', open.version).execute();
  await appendAuditEvent(trx, caller, now, {
    action: 'risk_escalation.resolved',
    recordId: open.id,
    before: toEscalation(open, riskTitle, now),
    after: toEscalation(resolved, riskTitle, now),
    reason,
  });
  return resolved;
}
