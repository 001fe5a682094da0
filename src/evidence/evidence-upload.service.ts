import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { findProblems, parseWith } from '../platform/validation.js';
import { ensurePeopleExist } from '../people/references.js';
import { describeFileNameProblem, describeMediaTypeProblem } from './evidence.js';
import { findEvidenceRow, findLinks, isFileReferenced, toEvidenceRecord, toEvidenceRow } from './evidence.repository.js';
import { NewEvidence, newEvidenceFieldNames, type Evidence, type EvidenceRecord } from './evidence.schemas.js';
import { ensureMayChangeRestricted, loadForChange, type ChangeOptions } from './evidence.service.js';
import { evidenceStoreOf, type EvidenceStore, type StagedFile } from './evidence-store.js';

/**
 * Uploads and replacements of evidence files. The file streams through SHA-256 into the store's
 * temporary area, the metadata is checked, and one write transaction inserts the record and its
 * audit event and moves the file to its content address. When any step fails, the temporary file
 * is removed and no record is written.
 */

/** One part of a multipart upload, as the HTTP layer hands it on in the order received. */
export type UploadPart =
  | { kind: 'field'; name: string; value: string; truncated: boolean }
  | { kind: 'file'; fieldName: string; fileName: string; mediaType: string; stream: Readable };

/** A staged file with what its uploader declared about it. */
export interface ReceivedFile extends StagedFile {
  readonly fileName: string;
  readonly mediaType: string;
}

/** Name of the form part that carries the file. */
export const filePartName = 'file';

/** The metadata fields that may be left empty in a form, which then counts as absent. */
const optionalFields = new Set<string>(['description', 'collectedAt', 'collectedByPersonId', 'validUntil', 'confidentiality']);
const EarlyFieldCheck = Type.Partial(NewEvidence);

/**
 * Adds evidence from a multipart upload: metadata fields and one file part named `file`. The
 * file's name and media type, and the fields that came before it, are checked before any byte
 * of the file is written.
 */
export async function uploadEvidence(ctx: ServiceContext, caller: Caller, parts: AsyncIterable<UploadPart>, reason: string | null = null): Promise<Evidence> {
  authorize(caller, 'evidence.write');
  const store = evidenceStoreOf(ctx.config);
  const received = await receiveUpload(parts, store, ctx.config.evidenceUploadLimitBytes, 'metadata');
  try {
    const metadata = parseMetadata(received.fields, received.problems);
    const created = await commitWithFile(ctx, store, received.file, (trx, now) => insertEvidenceRecord(trx, caller, now, received.file, metadata, reason));
    return { ...created, links: [] };
  } finally {
    await store.discard(received.file);
  }
}

/**
 * Replaces the file of evidence with the single file part of a multipart upload. The record's
 * version goes up by one, and the previous file stays in the store, named by the audit event.
 */
export async function replaceEvidenceFile(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  parts: AsyncIterable<UploadPart>,
  options: ChangeOptions = {},
): Promise<Evidence> {
  authorize(caller, 'evidence.write');
  // Checked before the upload so that a wrong id or a stale ETag costs no transfer, and again below under the write lock.
  const current = await findEvidenceRow(ctx.database.db, id);
  if (!current) throw notFound('evidence', id);
  if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
    throw versionMismatch('evidence', id, options.expectedVersion, current.version);
  }
  ensureMayChangeRestricted(caller, toEvidenceRecord(current), 'replace the file of');

  const store = evidenceStoreOf(ctx.config);
  const received = await receiveUpload(parts, store, ctx.config.evidenceUploadLimitBytes, 'file only');
  try {
    if (received.problems.length > 0) throw validationFailed(received.problems);
    const replaced = await commitWithFile(ctx, store, received.file, async (trx, now) => {
      const before = await loadForChange(trx, id, options.expectedVersion);
      ensureMayChangeRestricted(caller, before, 'replace the file of');
      const after: EvidenceRecord = {
        ...before,
        sha256: received.file.sha256,
        sizeBytes: received.file.sizeBytes,
        mediaType: received.file.mediaType,
        fileName: received.file.fileName,
        uploadedBy: caller.userId,
        version: before.version + 1,
        updatedAt: toTimestamp(now),
      };
      await trx.updateTable('evidence').set(toEvidenceRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
      await appendAuditEvent(trx, caller, now, { action: 'evidence.file_replaced', recordId: id, before, after, reason: options.reason ?? null });
      return after;
    });
    const links = await findLinks(ctx.database.db, [id]);
    return { ...replaced, links: links.get(id) ?? [] };
  } finally {
    await store.discard(received.file);
  }
}

/** A local file to add as evidence, with the media type to serve it as. */
export interface LocalEvidenceFile {
  path: string;
  /** application/octet-stream when absent. */
  mediaType?: string;
}

/**
 * Adds evidence from a file on the server's disk, as the demo loader and scripts do. The file
 * name kept as metadata is the last part of the path, checked as an uploaded name would be.
 */
export async function addEvidenceFromFile(
  ctx: ServiceContext,
  caller: Caller,
  file: LocalEvidenceFile,
  metadata: NewEvidence,
  reason: string | null = null,
): Promise<Evidence> {
  authorize(caller, 'evidence.write');
  const parsed = parseWith(NewEvidence, metadata);
  const store = evidenceStoreOf(ctx.config);
  const staged = await stageLocalFile(store, file, ctx.config.evidenceUploadLimitBytes);
  try {
    const created = await commitWithFile(ctx, store, staged, (trx, now) => insertEvidenceRecord(trx, caller, now, staged, parsed, reason));
    return { ...created, links: [] };
  } finally {
    await store.discard(staged);
  }
}

/**
 * Stages a local file in the store's temporary area, for a caller that then inserts it inside a
 * larger write transaction with insertEvidence. Throws VALIDATION_FAILED when the file cannot be read.
 */
export async function stageLocalFile(store: EvidenceStore, file: LocalEvidenceFile, maxBytes: number): Promise<ReceivedFile> {
  const fileName = path.basename(file.path);
  const mediaType = file.mediaType ?? 'application/octet-stream';
  const problems = checkFileDeclaration(fileName, mediaType);
  if (problems.length > 0) throw validationFailed(problems);

  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file.path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw validationFailed([{ path: 'file', message: `"${file.path}" cannot be read (${code}); name a readable evidence file` }]);
  }
  const stream = handle.createReadStream();
  try {
    if (!(await handle.stat()).isFile()) throw validationFailed([{ path: 'file', message: `"${file.path}" is not a regular file; name the evidence file itself` }]);
    return { ...(await store.stage(stream, maxBytes)), fileName, mediaType };
  } finally {
    stream.destroy();
  }
}

/**
 * Inserts evidence for a staged file inside the caller's write transaction, with its audit
 * event, and moves the file into the store. Should the transaction roll back later, the stored
 * file stays without a record, which `custos evidence verify` does not report.
 */
export async function insertEvidence(trx: Db, caller: Caller, now: Date, store: EvidenceStore, file: ReceivedFile, metadata: NewEvidence, reason: string | null = null): Promise<Evidence> {
  const created = await insertEvidenceRecord(trx, caller, now, file, metadata, reason);
  await store.place(file);
  return { ...created, links: [] };
}

async function insertEvidenceRecord(trx: Db, caller: Caller, now: Date, file: ReceivedFile, metadata: NewEvidence, reason: string | null): Promise<EvidenceRecord> {
  authorize(caller, 'evidence.write');
  const parsed = parseWith(NewEvidence, metadata);
  const timestamp = toTimestamp(now);
  const record: EvidenceRecord = {
    id: newId(),
    title: parsed.title.trim(),
    kind: parsed.kind,
    description: parsed.description ?? '',
    collectedAt: parsed.collectedAt !== undefined ? toTimestamp(new Date(parsed.collectedAt)) : timestamp,
    collectedByPersonId: parsed.collectedByPersonId ?? null,
    validUntil: parsed.validUntil ?? null,
    confidentiality: parsed.confidentiality ?? 'internal',
    sha256: file.sha256,
    sizeBytes: file.sizeBytes,
    mediaType: file.mediaType,
    fileName: file.fileName,
    uploadedBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  if (record.collectedByPersonId) await ensurePeopleExist(trx, [{ id: record.collectedByPersonId, path: '/collectedByPersonId' }]);
  await trx.insertInto('evidence').values(toEvidenceRow(record)).execute();
  await appendAuditEvent(trx, caller, now, { action: 'evidence.created', recordId: record.id, after: record, reason });
  return record;
}

/**
 * Runs `write` in a write transaction and, as its last step before the commit, moves the staged
 * file into the store. A failed move rolls the transaction back. A failed commit after the move
 * removes the file again, unless it was stored before or a record now refers to it.
 */
async function commitWithFile<T>(ctx: ServiceContext, store: EvidenceStore, file: StagedFile, write: (trx: Db, now: Date) => Promise<T>): Promise<T> {
  let createdInStore = false;
  try {
    return await writeTransaction(ctx.database, async (trx) => {
      const result = await write(trx, ctx.clock.now());
      createdInStore = (await store.place(file)).created;
      return result;
    });
  } catch (error) {
    if (createdInStore) await removeUnreferenced(ctx, store, file.sha256);
    throw error;
  }
}

/** Removes a file that a failed commit left in the store, logging rather than raising a failure so that the commit's own error reaches the caller. */
async function removeUnreferenced(ctx: ServiceContext, store: EvidenceStore, sha256: string): Promise<void> {
  try {
    if (!(await isFileReferenced(ctx.database.db, sha256))) await store.remove(sha256);
  } catch (error) {
    ctx.logger.error({ err: error, sha256 }, 'failed to remove an evidence file whose record was not committed');
  }
}

interface ReceivedUpload {
  fields: Record<string, string>;
  /** Problems with the fields found while reading, reported together with the metadata's own. */
  problems: ErrorDetail[];
  file: ReceivedFile;
}

/**
 * Reads the parts of an upload in order, staging the one file part and collecting the fields.
 * Fails before the file is written when its name or media type is invalid or the fields so far
 * already are. On any failure a staged file is removed again.
 */
async function receiveUpload(parts: AsyncIterable<UploadPart>, store: EvidenceStore, maxBytes: number, accepts: 'metadata' | 'file only'): Promise<ReceivedUpload> {
  const fields: Record<string, string> = {};
  const problems: ErrorDetail[] = [];
  let file: ReceivedFile | undefined;

  try {
    for await (const part of parts) {
      if (part.kind === 'field') {
        const problem = checkField(part, fields, accepts);
        if (problem) problems.push(problem);
        else fields[part.name] = part.value;
        continue;
      }

      if (part.fieldName !== filePartName) {
        throw validationFailed([{ path: `/${part.fieldName}`, message: `is a file, but only the part named "${filePartName}" may carry one; rename the part to "${filePartName}"` }]);
      }
      const early = [...problems, ...checkFileDeclaration(part.fileName, part.mediaType), ...findProblems(EarlyFieldCheck, normalizeFields(fields))];
      if (early.length > 0) throw validationFailed(early);
      file = { ...(await store.stage(part.stream, maxBytes)), fileName: part.fileName, mediaType: part.mediaType };
    }
  } catch (error) {
    if (file) await store.discard(file);
    throw error;
  }

  if (!file) {
    throw validationFailed([
      ...problems,
      { path: `/${filePartName}`, message: `is required; send the evidence file as a form part named "${filePartName}" with its file name, for example curl -F file=@report.pdf` },
    ]);
  }
  return { fields, problems, file };
}

function checkField(part: Extract<UploadPart, { kind: 'field' }>, fields: Record<string, string>, accepts: 'metadata' | 'file only'): ErrorDetail | undefined {
  const path = `/${part.name}`;
  if (accepts === 'file only') {
    return { path, message: 'is not accepted here, because this request replaces only the file; change metadata with PATCH /api/evidence/{id}' };
  }
  if (!(newEvidenceFieldNames as string[]).includes(part.name)) {
    return { path, message: `is not a known field; remove it (fields: ${newEvidenceFieldNames.join(', ')}, and the file part "${filePartName}")` };
  }
  if (part.name in fields) return { path, message: 'was sent more than once; send each field once' };
  if (part.truncated) return { path, message: 'is longer than the server accepts for a form field; shorten it' };
  return undefined;
}

function checkFileDeclaration(fileName: string, mediaType: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const nameProblem = describeFileNameProblem(fileName);
  if (nameProblem) problems.push({ path: `/${filePartName}/filename`, message: `the file name ${quote(fileName)} ${nameProblem}` });
  const typeProblem = describeMediaTypeProblem(mediaType);
  if (typeProblem) problems.push({ path: `/${filePartName}/content-type`, message: `${quote(mediaType)} ${typeProblem}` });
  return problems;
}

/** Drops optional fields sent empty, as HTML forms send fields the user left blank. */
function normalizeFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name, value]) => !(optionalFields.has(name) && value.trim() === '')));
}

function parseMetadata(fields: Record<string, string>, problems: ErrorDetail[]): NewEvidence {
  const normalized = normalizeFields(fields);
  const all = [...problems, ...findProblems(NewEvidence, normalized)];
  if (all.length > 0) throw validationFailed(all);
  return normalized as unknown as NewEvidence;
}

function quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}
