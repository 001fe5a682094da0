import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { ensurePeopleExist } from '../people/references.js';
import {
  CreateRemediationAction,
  RemediationActionListQuery,
  UpdateRemediationAction,
  type AssessmentRecord,
  type RemediationAction,
} from './assessment.schemas.js';
import { findAnswerRow, findRemediationActionRow, queryRemediationActions, toRemediationAction, toRemediationActionRow } from './assessments.repository.js';
import { loadAssessment, type ChangeOptions } from './assessments.service.js';

/**
 * Use cases of remediation actions: turning an item of the remediation plan into work with an
 * owner and a due date, and tracking it. Actions stay editable after the assessment is
 * completed, because they track the work that follows it.
 */

export async function listRemediationActions(
  ctx: ServiceContext,
  caller: Caller,
  assessmentId: string,
  query: RemediationActionListQuery,
): Promise<PageOf<RemediationAction>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RemediationActionListQuery, query);
  const db = ctx.database.db;
  await loadAssessment(db, assessmentId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryRemediationActions(db, assessmentId, parsed, limit, offset);
  return { items: rows.map(toRemediationAction), total, limit, offset };
}

export async function getRemediationAction(ctx: ServiceContext, caller: Caller, assessmentId: string, id: string): Promise<RemediationAction> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  await loadAssessment(db, assessmentId);
  return loadAction(db, assessmentId, id);
}

/**
 * Raises an action for an item of the remediation plan: an answered item below the target level.
 * The gap, weight and priority at that moment are kept on the action.
 */
export async function createRemediationAction(
  ctx: ServiceContext,
  caller: Caller,
  assessmentId: string,
  input: CreateRemediationAction,
  reason?: string | null,
): Promise<RemediationAction> {
  authorize(caller, 'assessments.write');
  parseWith(CreateRemediationAction, input);
  return writeTransaction(ctx.database, (trx) => insertRemediationAction(trx, caller, ctx.clock.now(), assessmentId, input, reason ?? null));
}

/** Inserts a remediation action inside the caller's write transaction, with its audit event. The rules are those of createRemediationAction. */
export async function insertRemediationAction(
  trx: Db,
  caller: Caller,
  now: Date,
  assessmentId: string,
  input: CreateRemediationAction,
  reason: string | null = null,
): Promise<RemediationAction> {
  authorize(caller, 'assessments.write');
  const parsed = parseWith(CreateRemediationAction, input);
  const assessment = await loadAssessment(trx, assessmentId);
  const { gap, weight } = await findPlanItem(trx, assessment, parsed.itemRef);
  await ensurePeopleExist(trx, [{ id: parsed.ownerPersonId, path: '/ownerPersonId' }]);

  const timestamp = toTimestamp(now);
  const status = parsed.status ?? 'open';
  const action: RemediationAction = {
    id: newId(),
    assessmentId,
    itemRef: parsed.itemRef,
    title: parsed.title.trim(),
    description: parsed.description?.trim() ?? '',
    ownerPersonId: parsed.ownerPersonId,
    dueDate: parsed.dueDate,
    status,
    gap,
    weight,
    priority: gap * weight,
    createdBy: caller.userId,
    doneAt: status === 'done' ? timestamp : null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await trx.insertInto('remediation_actions').values(toRemediationActionRow(action)).execute();
  await appendAuditEvent(trx, caller, now, { action: 'remediation_action.created', recordId: action.id, after: action, reason });
  return action;
}

/** Changes an action. Moving it to done records the time, and moving it back from done clears it. */
export async function updateRemediationAction(
  ctx: ServiceContext,
  caller: Caller,
  assessmentId: string,
  id: string,
  patch: UpdateRemediationAction,
  options: ChangeOptions = {},
): Promise<RemediationAction> {
  authorize(caller, 'assessments.write');
  const parsed = parseWith(UpdateRemediationAction, patch);
  return writeTransaction(ctx.database, async (trx) => {
    await loadAssessment(trx, assessmentId);
    const before = await loadAction(trx, assessmentId, id);
    if (options.expectedVersion !== undefined && before.version !== options.expectedVersion) {
      throw versionMismatch('remediation action', id, options.expectedVersion, before.version);
    }
    if (parsed.ownerPersonId !== undefined && parsed.ownerPersonId !== before.ownerPersonId) {
      await ensurePeopleExist(trx, [{ id: parsed.ownerPersonId, path: '/ownerPersonId' }]);
    }

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const status = parsed.status ?? before.status;
    let doneAt: string | null = null;
    if (status === 'done') doneAt = before.status === 'done' ? before.doneAt : timestamp;
    const after: RemediationAction = {
      ...before,
      title: parsed.title?.trim() ?? before.title,
      description: parsed.description?.trim() ?? before.description,
      ownerPersonId: parsed.ownerPersonId ?? before.ownerPersonId,
      dueDate: parsed.dueDate ?? before.dueDate,
      status,
      doneAt,
      version: before.version + 1,
      updatedAt: timestamp,
    };
    await trx.updateTable('remediation_actions').set(toRemediationActionRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'remediation_action.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

async function loadAction(db: Db, assessmentId: string, id: string): Promise<RemediationAction> {
  const row = await findRemediationActionRow(db, assessmentId, id);
  if (!row) throw notFound('remediation action', id);
  return toRemediationAction(row);
}

/** Returns the gap and effective weight of an item in the remediation plan, or rejects the ref saying why it is not there. */
async function findPlanItem(db: Db, assessment: AssessmentRecord, ref: string): Promise<{ gap: number; weight: number }> {
  const row = await findAnswerRow(db, assessment.id, ref);
  const reject = (message: string) => validationFailed([{ path: '/itemRef', message }]);
  if (!row) throw reject(`"${ref}" is not an item of the assessment "${assessment.title}"; choose a ref from GET /api/assessments/${assessment.id}/remediation-plan`);
  if (row.not_applicable === 1) throw reject(`"${ref}" is marked not applicable in this assessment, so it has no gap to remediate`);
  if (row.maturity === null) throw reject(`"${ref}" has no maturity level yet; answer it before raising an action`);
  if (row.maturity >= assessment.targetLevel) {
    throw reject(`"${ref}" is at level ${row.maturity}, which meets the target level ${assessment.targetLevel}, so it has no gap to remediate`);
  }
  return { gap: assessment.targetLevel - row.maturity, weight: row.weight_override ?? row.catalogue_weight };
}
