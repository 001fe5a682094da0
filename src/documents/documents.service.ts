import { requireCatalogueItems } from '../catalogue/catalogue.repository.js';
import { ensurePeopleExist } from '../people/references.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize, can } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { CreateDocument, DocumentListQuery, RetireDocument, UpdateDocument, type Document } from './document.schemas.js';
import {
  findDocument,
  findOtherAiPolicy,
  findVersionRows,
  queryDocuments,
  replaceLinks,
  toDocumentRow,
  toDocumentVersion,
} from './documents.repository.js';

/**
 * Use cases of documents: registering, describing, linking, retiring and removing them. Each
 * checks access first and audits every change in its transaction. Versions and their approval
 * live in document-versions.service.ts.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listDocuments(ctx: ServiceContext, caller: Caller, query: DocumentListQuery): Promise<PageOf<Document>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(DocumentListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryDocuments(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getDocument(ctx: ServiceContext, caller: Caller, id: string): Promise<Document> {
  authorize(caller, 'register.read');
  const document = await findDocument(ctx.database.db, id);
  if (!document) throw notFound('document', id);
  return document;
}

export async function createDocument(ctx: ServiceContext, caller: Caller, input: CreateDocument, reason?: string | null): Promise<Document> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(CreateDocument, input);
  return writeTransaction(ctx.database, (trx) => insertDocument(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Inserts a document inside the caller's write transaction, with its audit event. */
export async function insertDocument(trx: Db, caller: Caller, now: Date, input: CreateDocument, reason: string | null = null): Promise<Document> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(CreateDocument, input);
  const timestamp = toTimestamp(now);
  const document: Document = {
    id: newId(),
    title: parsed.title.trim(),
    kind: parsed.kind,
    isAiPolicy: parsed.isAiPolicy ?? false,
    ownerPersonId: parsed.ownerPersonId,
    reviewIntervalMonths: parsed.reviewIntervalMonths,
    retentionMonths: parsed.retentionMonths,
    confidentiality: parsed.confidentiality ?? 'internal',
    catalogueRefs: parsed.catalogueRefs ?? [],
    nextReviewDate: null,
    status: 'draft',
    currentVersionId: null,
    currentVersionNumber: null,
    createdBy: caller.userId,
    retiredAt: null,
    retiredBy: null,
    retirementReason: null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };

  await checkDocument(trx, document, { owner: true, links: true });
  await saveDocument(document, () => trx.insertInto('documents').values(toDocumentRow(document)).execute());
  await replaceLinks(trx, document.id, document.catalogueRefs);
  // Read back, so that links come in catalogue order as in every later read.
  const stored = (await findDocument(trx, document.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'document.created', recordId: stored.id, after: stored, reason });
  return stored;
}

/**
 * Changes the details of a document in force. A new review interval applies from the next
 * approval on; the next review date changes only when the caller sets it.
 */
export async function updateDocument(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateDocument, options: ChangeOptions = {}): Promise<Document> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(UpdateDocument, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadDocumentForChange(trx, id, options.expectedVersion);
    ensureNotRetired(before, 'changed');
    if (before.confidentiality === 'restricted' && parsed.confidentiality !== undefined && parsed.confidentiality !== 'restricted' && !can(caller, 'documents.read_restricted')) {
      throw new AppError('FORBIDDEN', `${caller.username} may not lower the confidentiality of the restricted document "${before.title}"; a role that may read restricted documents must do it`);
    }
    const now = ctx.clock.now();
    const after: Document = {
      ...before,
      ...parsed,
      title: parsed.title?.trim() ?? before.title,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (after.nextReviewDate === null && after.currentVersionId !== null) {
      throw validationFailed([
        {
          path: '/nextReviewDate',
          message: `must be a date, because "${before.title}" has an approved version and so always has a next review date`,
        },
      ]);
    }

    await checkDocument(trx, after, { owner: parsed.ownerPersonId !== undefined, links: parsed.catalogueRefs !== undefined });
    await saveDocument(after, () =>
      trx.updateTable('documents').set(toDocumentRow(after)).where('id', '=', id).where('version', '=', before.version).execute(),
    );
    if (parsed.catalogueRefs !== undefined) await replaceLinks(trx, id, after.catalogueRefs);
    const stored = (await findDocument(trx, id))!;
    await appendAuditEvent(trx, caller, now, { action: 'document.updated', recordId: id, before, after: stored, reason: options.reason ?? null });
    return stored;
  });
}

/**
 * Withdraws a document from use. Its versions stay as the record of what was in force, and an
 * open draft can no longer be edited or approved. Retiring needs the right to approve.
 */
export async function retireDocument(ctx: ServiceContext, caller: Caller, id: string, input: RetireDocument, options: Pick<ChangeOptions, 'expectedVersion'> = {}): Promise<Document> {
  authorize(caller, 'documents.approve');
  const parsed = parseWith(RetireDocument, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadDocumentForChange(trx, id, options.expectedVersion);
    ensureNotRetired(before, 'retired again');
    const now = ctx.clock.now();
    const reason = parsed.reason.trim();
    const after: Document = {
      ...before,
      status: 'retired',
      retiredAt: toTimestamp(now),
      retiredBy: caller.userId,
      retirementReason: reason,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await trx.updateTable('documents').set(toDocumentRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'document.retired', recordId: id, before, after, reason });
    return after;
  });
}

/**
 * Removes a document that never had an approved version, with its drafts. The audit event keeps
 * the drafts' text. A document that was ever in force is retired instead, so its record stays.
 */
export async function deleteDocument(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'documents.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadDocumentForChange(trx, id, options.expectedVersion);
    if (before.currentVersionId !== null) {
      throw new AppError(
        'CONFLICT',
        `The document "${before.title}" has an approved version, which must be kept as documented information; retire the document instead of deleting it`,
      );
    }
    const drafts = (await findVersionRows(trx, id)).map(toDocumentVersion);
    await trx.deleteFrom('document_versions').where('document_id', '=', id).execute();
    await trx.deleteFrom('documents').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), {
      action: 'document.deleted',
      recordId: id,
      before: { ...before, versions: drafts },
      reason: options.reason ?? null,
    });
  });
}

export async function loadDocumentForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Document> {
  const document = await findDocument(trx, id);
  if (!document) throw notFound('document', id);
  if (expectedVersion !== undefined && document.version !== expectedVersion) {
    throw versionMismatch('document', id, expectedVersion, document.version);
  }
  return document;
}

export function ensureNotRetired(document: Document, change: string): void {
  if (document.status === 'retired') {
    throw new AppError(
      'CONFLICT',
      `The document "${document.title}" was retired on ${document.retiredAt?.slice(0, 10) ?? 'an earlier date'} and cannot be ${change}; register a new document instead`,
    );
  }
}

/** Checks the references and the AI policy rules of a document as it would be stored. */
async function checkDocument(trx: Db, document: Document, changed: { owner: boolean; links: boolean }): Promise<void> {
  const problems: ErrorDetail[] = [];
  if (document.isAiPolicy && document.kind !== 'policy') {
    problems.push({ path: '/isAiPolicy', message: `may be true only for a document of kind policy, and this one is of kind ${document.kind}` });
  }
  if (problems.length > 0) throw validationFailed(problems);
  if (changed.owner) await ensurePeopleExist(trx, [{ id: document.ownerPersonId, path: '/ownerPersonId' }]);
  if (changed.links) {
    await requireCatalogueItems(
      trx,
      document.catalogueRefs.map((ref, index) => ({ ref, path: `/catalogueRefs/${index}` })),
    );
  }
  if (document.isAiPolicy && document.status !== 'retired') {
    const other = await findOtherAiPolicy(trx, document.id);
    if (other) throw aiPolicyTaken(other);
  }
}

/**
 * Runs the insert or update. The one-AI-policy index backs the check in checkDocument. The write
 * lock makes a clash here impossible today, but if one happens it gets the same conflict.
 */
async function saveDocument(document: Document, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error) && document.isAiPolicy) throw aiPolicyTaken();
    throw error;
  }
}

function aiPolicyTaken(other?: { id: string; title: string }): AppError {
  const holder = other ? `"${other.title}" (id ${other.id}) is` : 'Another document is';
  return new AppError(
    'CONFLICT',
    `${holder} already the AI policy, and only one document in force may be; clear its isAiPolicy flag or retire it first`,
    [{ path: '/isAiPolicy', message: 'only one document in force may be the AI policy' }],
  );
}
