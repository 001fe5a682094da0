import { appendAuditEvents } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize, can, rolesWith } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { addMonths, dayOf, describeControlCharacter, maxContentBytes, writersOf } from './document.js';
import {
  ApproveDocumentVersion,
  CreateDocumentVersion,
  DocumentVersionListQuery,
  UpdateDocumentVersion,
  type ApprovedDocumentVersion,
  type Document,
  type DocumentVersion,
  type DocumentVersionSummary,
} from './document.schemas.js';
import {
  evidenceExists,
  findDocument,
  findDraftRow,
  findVersionRow,
  nextVersionNumber,
  queryVersions,
  toDocumentRow,
  toDocumentVersion,
  toDocumentVersionRow,
  toDocumentVersionSummary,
} from './documents.repository.js';
import { ensureNotRetired, loadDocumentForChange, type ChangeOptions } from './documents.service.js';

/**
 * Use cases of document versions. A draft is edited; approving it, by someone who neither
 * authored nor edited it, freezes it and makes it the document's current version. Each use case
 * checks access first and audits every change in its transaction.
 */

export async function listDocumentVersions(
  ctx: ServiceContext,
  caller: Caller,
  documentId: string,
  query: DocumentVersionListQuery,
): Promise<PageOf<DocumentVersionSummary>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(DocumentVersionListQuery, query);
  const db = ctx.database.db;
  if (!(await findDocument(db, documentId))) throw notFound('document', documentId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryVersions(db, documentId, parsed, limit, offset);
  return { items: rows.map(toDocumentVersionSummary), total, limit, offset };
}

export async function getDocumentVersion(ctx: ServiceContext, caller: Caller, documentId: string, versionId: string): Promise<DocumentVersion> {
  authorize(caller, 'register.read');
  const row = await findVersionRow(ctx.database.db, documentId, versionId);
  if (!row) throw versionNotFound(documentId, versionId);
  const version = toDocumentVersion(row);
  const document = await findDocument(ctx.database.db, documentId);
  if (document?.confidentiality === 'restricted' && !can(caller, 'documents.read_restricted') && !writersOf(version).has(caller.userId)) {
    throw new AppError(
      'FORBIDDEN',
      `The document "${document.title}" is restricted; its text is for its writers and the roles that may read restricted documents (${restrictedReaders()})`,
    );
  }
  return version;
}

function restrictedReaders(): string {
  return rolesWith('documents.read_restricted').join(', ');
}

export async function createDocumentVersion(
  ctx: ServiceContext,
  caller: Caller,
  documentId: string,
  input: CreateDocumentVersion,
  reason?: string | null,
): Promise<DocumentVersion> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(CreateDocumentVersion, input);
  return writeTransaction(ctx.database, (trx) => insertDocumentVersion(trx, caller, ctx.clock.now(), documentId, parsed, reason ?? null));
}

/**
 * Starts the draft of a document's next version inside the caller's write transaction. Without
 * content, the draft starts from the text of the current approved version.
 */
export async function insertDocumentVersion(
  trx: Db,
  caller: Caller,
  now: Date,
  documentId: string,
  input: CreateDocumentVersion,
  reason: string | null = null,
): Promise<DocumentVersion> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(CreateDocumentVersion, input);
  const document = await findDocument(trx, documentId);
  if (!document) throw notFound('document', documentId);
  ensureNotRetired(document, 'given a new version');
  const openDraft = await findDraftRow(trx, documentId);
  if (openDraft) throw draftOpen(document, openDraft.number);

  const current = document.currentVersionId ? await findVersionRow(trx, documentId, document.currentVersionId) : undefined;
  const timestamp = toTimestamp(now);
  const version: DocumentVersion = {
    id: newId(),
    documentId,
    number: await nextVersionNumber(trx, documentId),
    status: 'draft',
    content: parsed.content ?? current?.content ?? '',
    changeSummary: parsed.changeSummary.trim(),
    evidenceId: parsed.evidenceId ?? null,
    authorId: caller.userId,
    editorIds: [],
    basedOnId: current?.id ?? null,
    approvedBy: null,
    approvedAt: null,
    approvalComment: null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await checkVersion(trx, version, { content: parsed.content !== undefined, evidence: parsed.evidenceId !== undefined });
  try {
    await trx.insertInto('document_versions').values(toDocumentVersionRow(version)).execute();
  } catch (error) {
    // The one-draft index backs the check above; the write lock makes this clash impossible today.
    if (isUniqueViolation(error)) throw draftOpen(document, null);
    throw error;
  }
  await appendAuditEvents(trx, caller, now, [{ action: 'document_version.created', recordId: version.id, after: version, reason }]);
  return version;
}

/** Edits a draft. A user other than the author who edits it joins its editors, and so may not approve it. */
export async function updateDocumentVersion(
  ctx: ServiceContext,
  caller: Caller,
  documentId: string,
  versionId: string,
  patch: UpdateDocumentVersion,
  options: ChangeOptions = {},
): Promise<DocumentVersion> {
  authorize(caller, 'documents.write');
  const parsed = parseWith(UpdateDocumentVersion, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const { version: before } = await loadDraftForChange(trx, documentId, versionId, options.expectedVersion, 'edited');
    const now = ctx.clock.now();
    const editorIds = before.authorId === caller.userId || before.editorIds.includes(caller.userId) ? before.editorIds : [...before.editorIds, caller.userId];
    const after: DocumentVersion = {
      ...before,
      ...parsed,
      changeSummary: parsed.changeSummary?.trim() ?? before.changeSummary,
      editorIds,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await checkVersion(trx, after, { content: parsed.content !== undefined, evidence: parsed.evidenceId !== undefined });
    await trx.updateTable('document_versions').set(toDocumentVersionRow(after)).where('id', '=', versionId).where('version', '=', before.version).execute();
    await appendAuditEvents(trx, caller, now, [
      { action: 'document_version.updated', recordId: versionId, before, after, reason: options.reason ?? null },
    ]);
    return after;
  });
}

/** Discards a draft; approved versions are kept for good. */
export async function deleteDocumentVersion(ctx: ServiceContext, caller: Caller, documentId: string, versionId: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'documents.write');
  await writeTransaction(ctx.database, async (trx) => {
    const { version } = await loadDraftForChange(trx, documentId, versionId, options.expectedVersion, 'discarded');
    await trx.deleteFrom('document_versions').where('id', '=', versionId).execute();
    await appendAuditEvents(trx, caller, ctx.clock.now(), [{ action: 'document_version.deleted', recordId: versionId, before: version, reason: options.reason ?? null }]);
  });
}

export async function approveDocumentVersion(
  ctx: ServiceContext,
  caller: Caller,
  documentId: string,
  versionId: string,
  input: ApproveDocumentVersion,
  options: Pick<ChangeOptions, 'expectedVersion'> = {},
): Promise<ApprovedDocumentVersion> {
  authorize(caller, 'documents.approve');
  const parsed = parseWith(ApproveDocumentVersion, input);
  return writeTransaction(ctx.database, (trx) => approveDocumentVersionIn(trx, caller, ctx.clock.now(), documentId, versionId, parsed, options));
}

/**
 * Approves a draft inside the caller's write transaction: the version is frozen, becomes the
 * document's current version, and the next review date moves to the approval day plus the
 * review interval. The approver must be someone who neither authored nor edited the draft.
 */
export async function approveDocumentVersionIn(
  trx: Db,
  caller: Caller,
  now: Date,
  documentId: string,
  versionId: string,
  input: ApproveDocumentVersion,
  options: Pick<ChangeOptions, 'expectedVersion'> = {},
): Promise<ApprovedDocumentVersion> {
  authorize(caller, 'documents.approve');
  const parsed = parseWith(ApproveDocumentVersion, input);
  const { document: documentBefore, version: before } = await loadDraftForChange(trx, documentId, versionId, options.expectedVersion, 'approved again');
  if (writersOf(before).has(caller.userId)) {
    const role = before.authorId === caller.userId ? 'authored' : 'edited';
    throw new AppError(
      'FORBIDDEN',
      `${caller.username} ${role} version ${before.number} of "${documentBefore.title}" and so may not approve it: a document version must be approved by someone who neither authored nor edited it; ask another approver`,
    );
  }
  if (before.content.trim() === '') {
    throw new AppError('CONFLICT', `Version ${before.number} of "${documentBefore.title}" has no content; write its text before it is approved`, [
      { path: '/content', message: 'must not be blank when the version is approved' },
    ]);
  }

  const timestamp = toTimestamp(now);
  const comment = parsed.comment?.trim() ?? '';
  const version: DocumentVersion = {
    ...before,
    status: 'approved',
    approvedBy: caller.userId,
    approvedAt: timestamp,
    approvalComment: comment === '' ? null : comment,
    version: before.version + 1,
    updatedAt: timestamp,
  };
  const document: Document = {
    ...documentBefore,
    status: 'approved',
    currentVersionId: version.id,
    currentVersionNumber: version.number,
    nextReviewDate: addMonths(dayOf(now), documentBefore.reviewIntervalMonths),
    version: documentBefore.version + 1,
    updatedAt: timestamp,
  };
  await trx.updateTable('document_versions').set(toDocumentVersionRow(version)).where('id', '=', versionId).where('version', '=', before.version).execute();
  await trx.updateTable('documents').set(toDocumentRow(document)).where('id', '=', documentId).where('version', '=', documentBefore.version).execute();
  const reason = version.approvalComment;
  await appendAuditEvents(trx, caller, now, [
    { action: 'document_version.approved', recordId: versionId, before, after: version, reason },
    { action: 'document.approved', recordId: documentId, before: documentBefore, after: document, reason },
  ]);
  const { content: _content, ...summary } = version;
  return { document, version: summary };
}

/**
 * Loads a version that is about to change, with its document. Only a draft of a document in
 * force may change: an approved version is frozen (409), and so is every version of a retired
 * document. `expectedVersion` is compared with the version row's own version.
 */
async function loadDraftForChange(
  trx: Db,
  documentId: string,
  versionId: string,
  expectedVersion: number | undefined,
  change: string,
): Promise<{ document: Document; version: DocumentVersion }> {
  const document = await loadDocumentForChange(trx, documentId, undefined);
  const row = await findVersionRow(trx, documentId, versionId);
  if (!row) throw versionNotFound(documentId, versionId);
  const version = toDocumentVersion(row);
  if (version.status === 'approved') {
    throw new AppError(
      'CONFLICT',
      `Version ${version.number} of "${document.title}" was approved on ${version.approvedAt?.slice(0, 10) ?? 'an earlier date'} and is frozen, so it cannot be ${change}; start a new draft with POST /api/documents/${documentId}/versions`,
    );
  }
  ensureNotRetired(document, `changed (its draft version ${version.number} is kept as it is)`);
  if (expectedVersion !== undefined && version.version !== expectedVersion) {
    throw versionMismatch('document version', versionId, expectedVersion, version.version);
  }
  return { document, version };
}

/** Checks the text and the evidence link of a version as it would be stored. */
async function checkVersion(trx: Db, version: DocumentVersion, changed: { content: boolean; evidence: boolean }): Promise<void> {
  const problems: ErrorDetail[] = [];
  if (changed.content) {
    const bytes = Buffer.byteLength(version.content, 'utf8');
    if (bytes > maxContentBytes) {
      problems.push({ path: '/content', message: `is ${bytes} bytes of UTF-8, more than the ${maxContentBytes} allowed; split the document or attach the full text as evidence` });
    }
    const control = describeControlCharacter(version.content);
    if (control) problems.push({ path: '/content', message: control });
  }
  if (problems.length > 0) throw validationFailed(problems);
  if (changed.evidence && version.evidenceId !== null && !(await evidenceExists(trx, version.evidenceId))) {
    throw validationFailed([
      { path: '/evidenceId', message: `no evidence with id "${version.evidenceId}" exists; upload the file as evidence first, or send null` },
    ]);
  }
}

function draftOpen(document: Document, number: number | null): AppError {
  const draftDescription = number === null ? 'an open draft' : `an open draft, version ${number}`;
  return new AppError('CONFLICT', `"${document.title}" already has ${draftDescription}; edit that draft or discard it before starting another`);
}

export function versionNotFound(documentId: string, versionId: string): AppError {
  return new AppError('NOT_FOUND', `No version with id "${versionId}" exists in document "${documentId}"; list the document's versions to find its id`);
}
