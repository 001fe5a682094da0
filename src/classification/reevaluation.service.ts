import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ClassificationReviewTable, ClassificationTable } from '../platform/database/schema.js';
import { notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { readEffectiveSettings } from './classification-settings.service.js';
import {
  findAiSystemName,
  findCurrentRow,
  findDraftRow,
  findOpenReviewRow,
  findRiskOwners,
  queryReviews,
  readClassificationInputs,
  toReview,
  toSummary,
} from './classification.repository.js';
import { ReviewListQuery, type ClassificationReview } from './classification.schemas.js';
import { changedInputs, watchedInputs, type ClassificationInputs, type WatchedInput } from './inputs.js';

/**
 * Re-evaluation triggers. The inputs watched are purpose, decision domain, data sources,
 * deployment environments, model versions, affected groups, autonomy, and the organization's
 * role when it came from the AI system. When one of them changes, the current classification is
 * marked stale and a review task opens for the risk owner with a due date. An open draft is
 * marked stale too, so that it cannot be approved before it is recomputed. Approving a new
 * classification closes the task.
 */

/** The role expected to carry out reviews of stale classifications. */
export const reviewerRole = 'risk_owner';

/**
 * Compares the system's facts now with those each of its classifications used, inside the
 * caller's write transaction, and marks stale the ones that differ, opening or extending the
 * review task. Services that change a classification input call this after their change; it
 * does nothing when the system has no classification or nothing it used changed. No permission
 * is checked beyond the one of the change that triggers it.
 */
export async function markClassificationStaleIfInputsChanged(trx: Db, caller: Caller, now: Date, aiSystemId: string, reason: string | null = null): Promise<void> {
  const [current, draft] = await Promise.all([findCurrentRow(trx, aiSystemId), findDraftRow(trx, aiSystemId)]);
  if (!current && !draft) return;
  const inputs = await readClassificationInputs(trx, aiSystemId);
  if (!inputs) return;
  const name = (await findAiSystemName(trx, aiSystemId)) ?? aiSystemId;

  if (draft) await markStale(trx, caller, now, draft, inputs, name, reason);
  if (!current) return;
  const changed = await markStale(trx, caller, now, current, inputs, name, reason);
  if (changed.length > 0) await openOrExtendReview(trx, caller, now, current, changed, name, reason);
}

/** Marks one classification stale for the inputs that changed, returning them (empty when none did). */
async function markStale(trx: Db, caller: Caller, now: Date, row: ClassificationTable, inputs: ClassificationInputs, name: string, reason: string | null): Promise<WatchedInput[]> {
  const changed = changedInputs(JSON.parse(row.inputs) as ClassificationInputs, inputs, { roleFromAiSystem: row.role_source === 'ai_system' });
  if (changed.length === 0) return changed;
  const known = JSON.parse(row.stale_inputs) as WatchedInput[];
  const merged = watchedInputs.filter((input) => known.includes(input) || changed.includes(input));
  if (row.stale === 1 && merged.length === known.length) return changed;

  const timestamp = toTimestamp(now);
  const after: ClassificationTable = {
    ...row,
    stale: 1,
    stale_since: row.stale_since ?? timestamp,
    stale_inputs: JSON.stringify(merged),
    version: row.version + 1,
    updated_at: timestamp,
  };
  await trx.updateTable('classifications').set(after).where('id', '=', row.id).where('version', '=', row.version).execute();
  await appendAuditEvent(trx, caller, now, {
    action: 'classification.marked_stale',
    recordId: row.id,
    before: toSummary(row, name),
    after: toSummary(after, name),
    reason,
  });
  return changed;
}

async function openOrExtendReview(trx: Db, caller: Caller, now: Date, current: ClassificationTable, changed: WatchedInput[], name: string, reason: string | null): Promise<void> {
  const timestamp = toTimestamp(now);
  const owners = (await findRiskOwners(trx, [current.ai_system_id])).get(current.ai_system_id) ?? [];
  const today = dateOf(now);
  const open = await findOpenReviewRow(trx, current.ai_system_id);

  if (open) {
    const known = JSON.parse(open.changed_inputs) as WatchedInput[];
    const merged = watchedInputs.filter((input) => known.includes(input) || changed.includes(input));
    if (merged.length === known.length) return;
    const after: ClassificationReviewTable = { ...open, changed_inputs: JSON.stringify(merged), version: open.version + 1, updated_at: timestamp };
    await trx.updateTable('classification_reviews').set(after).where('id', '=', open.id).where('version', '=', open.version).execute();
    await appendAuditEvent(trx, caller, now, {
      action: 'classification_review.updated',
      recordId: open.id,
      before: toReview(open, name, owners, today),
      after: toReview(after, name, owners, today),
      reason,
    });
    return;
  }

  const { reviewDueDays } = await readEffectiveSettings(trx);
  const review: ClassificationReviewTable = {
    id: newId(),
    ai_system_id: current.ai_system_id,
    classification_id: current.id,
    status: 'open',
    assigned_role: reviewerRole,
    due_date: addDays(now, reviewDueDays),
    changed_inputs: JSON.stringify(changed),
    opened_at: timestamp,
    closed_at: null,
    closed_by: null,
    closed_by_classification_id: null,
    version: 1,
    created_at: timestamp,
    updated_at: timestamp,
  };
  await trx.insertInto('classification_reviews').values(review).execute();
  await appendAuditEvent(trx, caller, now, { action: 'classification_review.opened', recordId: review.id, after: toReview(review, name, owners, today), reason });
}

/** Closes the system's open review, if any, as done by the approval of `classificationId`. */
export async function closeOpenReview(trx: Db, caller: Caller, now: Date, aiSystemId: string, classificationId: string, reason: string | null): Promise<void> {
  const open = await findOpenReviewRow(trx, aiSystemId);
  if (!open) return;
  const timestamp = toTimestamp(now);
  const after: ClassificationReviewTable = {
    ...open,
    status: 'done',
    closed_at: timestamp,
    closed_by: caller.userId,
    closed_by_classification_id: classificationId,
    version: open.version + 1,
    updated_at: timestamp,
  };
  await trx.updateTable('classification_reviews').set(after).where('id', '=', open.id).where('version', '=', open.version).execute();
  const name = (await findAiSystemName(trx, aiSystemId)) ?? aiSystemId;
  const owners = (await findRiskOwners(trx, [aiSystemId])).get(aiSystemId) ?? [];
  const today = dateOf(now);
  await appendAuditEvent(trx, caller, now, {
    action: 'classification_review.closed',
    recordId: open.id,
    before: toReview(open, name, owners, today),
    after: toReview(after, name, owners, today),
    reason,
  });
}

export async function listClassificationReviews(ctx: ServiceContext, caller: Caller, query: ReviewListQuery): Promise<PageOf<ClassificationReview>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ReviewListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;
  const today = dateOf(ctx.clock.now());
  const { rows, total } = await queryReviews(db, parsed, today, limit, offset);
  const owners = await findRiskOwners(db, rows.map((row) => row.ai_system_id));
  return { items: rows.map((row) => toReview(row, row.ai_system_name, owners.get(row.ai_system_id) ?? [], today)), total, limit, offset };
}

export async function getClassificationReview(ctx: ServiceContext, caller: Caller, id: string): Promise<ClassificationReview> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = await db.selectFrom('classification_reviews').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('classification review', id);
  return reviewOf(db, row, ctx.clock.now());
}

export async function reviewOf(db: Db, row: ClassificationReviewTable, now: Date): Promise<ClassificationReview> {
  const name = (await findAiSystemName(db, row.ai_system_id)) ?? row.ai_system_id;
  const owners = (await findRiskOwners(db, [row.ai_system_id])).get(row.ai_system_id) ?? [];
  return toReview(row, name, owners, dateOf(now));
}

/** Returns the UTC calendar date of an instant, as YYYY-MM-DD. */
export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function addDays(instant: Date, days: number): string {
  return dateOf(new Date(instant.getTime() + days * 86_400_000));
}
