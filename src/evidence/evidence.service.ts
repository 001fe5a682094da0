import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize, can } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isForeignKeyViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { ensurePeopleExist } from '../people/references.js';
import { addDays, daysRemaining, utcDate } from './evidence.js';
import {
  findEvidenceRow,
  findLinks,
  queryEvidence,
  queryValidUntilBy,
  toEvidenceRecord,
  toEvidenceRow,
  withLinks,
  type EvidenceFilters,
} from './evidence.repository.js';
import {
  EvidenceListQuery,
  ReviewDueQuery,
  UpdateEvidence,
  type Evidence,
  type EvidenceRecord,
  type ReviewDueEvidence,
} from './evidence.schemas.js';
import { parseLinkedTo } from './link-targets.js';

/**
 * Use cases of evidence metadata: list, read, change, delete and the review-due list. Uploads
 * and replacements are in evidence-upload.service.ts, downloads in evidence-content.service.ts,
 * links in evidence-links.service.ts. Each checks access first and audits every change in its
 * transaction.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listEvidence(ctx: ServiceContext, caller: Caller, query: EvidenceListQuery): Promise<PageOf<Evidence>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(EvidenceListQuery, query);
  const filters: EvidenceFilters = {};
  if (parsed.linkedTo !== undefined) filters.linkedTo = parseLinkedTo(parsed.linkedTo, 'querystring:/linkedTo');
  if (parsed.expiresWithinDays !== undefined) filters.validUntilBy = addDays(utcDate(ctx.clock.now()), parsed.expiresWithinDays);

  const db = ctx.database.db;
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryEvidence(db, parsed, filters, limit, offset);
  return { items: await withLinks(db, rows.map(toEvidenceRecord)), total, limit, offset };
}

export async function getEvidence(ctx: ServiceContext, caller: Caller, id: string): Promise<Evidence> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = await findEvidenceRow(db, id);
  if (!row) throw notFound('evidence', id);
  const [evidence] = await withLinks(db, [toEvidenceRecord(row)]);
  return evidence!;
}

/**
 * Lists evidence whose validity ends within `withinDays` days from today (UTC) or has already
 * ended, soonest first, with the days remaining. Evidence without an end date never appears.
 */
export async function listReviewDue(ctx: ServiceContext, caller: Caller, query: ReviewDueQuery): Promise<PageOf<ReviewDueEvidence>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ReviewDueQuery, query);
  const today = utcDate(ctx.clock.now());
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryValidUntilBy(ctx.database.db, addDays(today, parsed.withinDays ?? 30), limit, offset);
  const items = rows.map((row) => {
    const record = toEvidenceRecord(row);
    const remaining = daysRemaining(row.valid_until!, today);
    return { ...record, validUntil: row.valid_until!, daysRemaining: remaining, expired: remaining < 0 };
  });
  return { items, total, limit, offset };
}

export async function updateEvidence(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateEvidence, options: ChangeOptions = {}): Promise<Evidence> {
  authorize(caller, 'evidence.write');
  const parsed = parseWith(UpdateEvidence, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    ensureMayChangeRestricted(caller, before, 'change the metadata of');
    const now = ctx.clock.now();
    const after: EvidenceRecord = {
      ...before,
      ...parsed,
      title: parsed.title?.trim() ?? before.title,
      collectedAt: parsed.collectedAt !== undefined ? toTimestamp(new Date(parsed.collectedAt)) : before.collectedAt,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (parsed.collectedByPersonId) await ensurePeopleExist(trx, [{ id: parsed.collectedByPersonId, path: '/collectedByPersonId' }]);

    await trx.updateTable('evidence').set(toEvidenceRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'evidence.updated', recordId: id, before, after, reason: options.reason ?? null });
    const links = await findLinks(trx, [id]);
    return { ...after, links: links.get(id) ?? [] };
  });
}

/**
 * Deletes evidence that has no links and that no assessment answer or document version cites.
 * Its file stays in the store, because the audit trail names it by hash. The event's `before`
 * records the metadata.
 */
export async function deleteEvidence(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'evidence.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const links = (await findLinks(trx, [id])).get(id) ?? [];
    if (links.length > 0) {
      const named = links.map((link) => `${link.targetType} ${link.targetId}`).join(', ');
      throw new AppError('CONFLICT', `The evidence "${before.title}" is still linked to ${named}; unlink it first, or keep it as the record of what it showed`);
    }
    try {
      await trx.deleteFrom('evidence').where('id', '=', id).execute();
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      throw new AppError(
        'CONFLICT',
        `The evidence "${before.title}" is cited by an assessment answer or a document version; remove it there first, or keep it as the record of what it showed`,
      );
    }
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'evidence.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/** Reads the record for a change, checking the version the caller read. Throws NOT_FOUND or PRECONDITION_FAILED. */
export async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<EvidenceRecord> {
  const row = await findEvidenceRow(trx, id);
  if (!row) throw notFound('evidence', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('evidence', id, expectedVersion, row.version);
  }
  return toEvidenceRecord(row);
}

/**
 * Rejects a change to restricted evidence by a caller who may not read its file: lowering its
 * confidentiality or replacing its file would otherwise hand the caller the content.
 */
export function ensureMayChangeRestricted(caller: Caller, record: Pick<EvidenceRecord, 'confidentiality' | 'uploadedBy' | 'title'>, change: string): void {
  if (mayReadContent(caller, record)) return;
  throw new AppError(
    'FORBIDDEN',
    `${caller.username} may not ${change} the restricted evidence "${record.title}"; it needs the uploader or one of the roles that may read restricted evidence`,
  );
}

/** Tells whether the caller may download the file: always, unless it is restricted and the caller neither has a role for that nor uploaded it. */
export function mayReadContent(caller: Caller, record: Pick<EvidenceRecord, 'confidentiality' | 'uploadedBy'>): boolean {
  return record.confidentiality !== 'restricted' || can(caller, 'evidence.read_restricted') || record.uploadedBy === caller.userId;
}
