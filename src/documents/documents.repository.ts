import type { Db } from '../platform/database/connection.js';
import type { CatalogueItemTable, DocumentTable, DocumentVersionTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { Confidentiality, DocumentKind, DocumentStatus, DocumentVersionStatus } from './document.js';
import type {
  Document,
  DocumentListQuery,
  DocumentSortKey,
  DocumentVersion,
  DocumentVersionListQuery,
  DocumentVersionSummary,
} from './document.schemas.js';

/** Reads and writes documents, their versions and links, and turns rows into the API's shape. */

type DocumentRow = DocumentTable & { current_version_number: number | null };

const sortColumns: Record<DocumentSortKey, keyof DocumentTable> = {
  title: 'title',
  nextReviewDate: 'next_review_date',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toDocument(row: DocumentRow, catalogueRefs: readonly string[]): Document {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind as DocumentKind,
    isAiPolicy: row.is_ai_policy === 1,
    ownerPersonId: row.owner_person_id,
    reviewIntervalMonths: row.review_interval_months,
    retentionMonths: row.retention_months,
    confidentiality: row.confidentiality as Confidentiality,
    catalogueRefs: [...catalogueRefs],
    nextReviewDate: row.next_review_date,
    status: row.status as DocumentStatus,
    currentVersionId: row.current_version_id,
    currentVersionNumber: row.current_version_number === null ? null : Number(row.current_version_number),
    createdBy: row.created_by,
    retiredAt: row.retired_at,
    retiredBy: row.retired_by,
    retirementReason: row.retirement_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDocumentRow(document: Document): DocumentTable {
  return {
    id: document.id,
    title: document.title,
    kind: document.kind,
    is_ai_policy: document.isAiPolicy ? 1 : 0,
    owner_person_id: document.ownerPersonId,
    review_interval_months: document.reviewIntervalMonths,
    next_review_date: document.nextReviewDate,
    status: document.status,
    retention_months: document.retentionMonths,
    confidentiality: document.confidentiality,
    current_version_id: document.currentVersionId,
    created_by: document.createdBy,
    retired_at: document.retiredAt,
    retired_by: document.retiredBy,
    retirement_reason: document.retirementReason,
    version: document.version,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}

export function toDocumentVersionSummary(row: DocumentVersionTable): DocumentVersionSummary {
  return {
    id: row.id,
    documentId: row.document_id,
    number: Number(row.number),
    status: row.status as DocumentVersionStatus,
    changeSummary: row.change_summary,
    evidenceId: row.evidence_id,
    authorId: row.author_id,
    editorIds: JSON.parse(row.editor_ids) as string[],
    basedOnId: row.based_on_id,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    approvalComment: row.approval_comment,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDocumentVersion(row: DocumentVersionTable): DocumentVersion {
  return { ...toDocumentVersionSummary(row), content: row.content };
}

export function toDocumentVersionRow(version: DocumentVersion): DocumentVersionTable {
  return {
    id: version.id,
    document_id: version.documentId,
    number: version.number,
    status: version.status,
    content: version.content,
    change_summary: version.changeSummary,
    author_id: version.authorId,
    editor_ids: JSON.stringify(version.editorIds),
    evidence_id: version.evidenceId,
    based_on_id: version.basedOnId,
    approved_by: version.approvedBy,
    approved_at: version.approvedAt,
    approval_comment: version.approvalComment,
    version: version.version,
    created_at: version.createdAt,
    updated_at: version.updatedAt,
  };
}

/** Documents with the number of their current version, which lives in document_versions. */
function documentsWithVersionNumber(db: Db) {
  return db
    .selectFrom('documents')
    .leftJoin('document_versions as current', 'current.id', 'documents.current_version_id')
    .selectAll('documents')
    .select('current.number as current_version_number');
}

export async function findDocument(db: Db, id: string): Promise<Document | undefined> {
  const row = await documentsWithVersionNumber(db).where('documents.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const links = await findLinks(db, [id]);
  return toDocument(row, links.get(id) ?? []);
}

/** Catalogue refs linked to each document, in catalogue order. */
export async function findLinks(db: Db, documentIds: readonly string[]): Promise<Map<string, string[]>> {
  const links = new Map<string, string[]>();
  if (documentIds.length === 0) return links;
  const rows = await db
    .selectFrom('document_links')
    .innerJoin('catalogue_items', 'catalogue_items.ref', 'document_links.catalogue_ref')
    .select(['document_links.document_id', 'document_links.catalogue_ref'])
    .where('document_links.document_id', 'in', [...new Set(documentIds)])
    .orderBy('catalogue_items.framework_id')
    .orderBy('catalogue_items.position')
    .execute();
  for (const row of rows) {
    const refs = links.get(row.document_id) ?? [];
    refs.push(row.catalogue_ref);
    links.set(row.document_id, refs);
  }
  return links;
}

export async function replaceLinks(trx: Db, documentId: string, refs: readonly string[]): Promise<void> {
  await trx.deleteFrom('document_links').where('document_id', '=', documentId).execute();
  if (refs.length > 0) {
    await trx
      .insertInto('document_links')
      .values(refs.map((ref) => ({ document_id: documentId, catalogue_ref: ref })))
      .execute();
  }
}

/** Finds the document in force, other than `exceptId`, that carries the AI policy flag. */
export async function findOtherAiPolicy(db: Db, exceptId: string): Promise<{ id: string; title: string } | undefined> {
  return db
    .selectFrom('documents')
    .select(['id', 'title'])
    .where('is_ai_policy', '=', 1)
    .where('status', '<>', 'retired')
    .where('id', '<>', exceptId)
    .executeTakeFirst();
}

export async function queryDocuments(db: Db, query: DocumentListQuery, limit: number, offset: number): Promise<{ items: Document[]; total: number }> {
  let filtered = documentsWithVersionNumber(db);
  if (query.q) filtered = filtered.where(containsText(['documents.title'], query.q));
  if (query.kind) filtered = filtered.where('documents.kind', '=', query.kind);
  if (query.status) filtered = filtered.where('documents.status', '=', query.status);
  if (query.ownerPersonId) filtered = filtered.where('documents.owner_person_id', '=', query.ownerPersonId);
  if (query.isAiPolicy !== undefined) filtered = filtered.where('documents.is_ai_policy', '=', query.isAiPolicy ? 1 : 0);
  if (query.catalogueRef) {
    const ref = query.catalogueRef;
    filtered = filtered.where('documents.id', 'in', (eb) => eb.selectFrom('document_links').select('document_id').where('catalogue_ref', '=', ref));
  }
  const { key, order } = parseSort<DocumentSortKey>(query.sort ?? 'title');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.orderBy(`documents.${sortColumns[key]}`, order).orderBy('documents.id').limit(limit).offset(offset).execute(),
    filtered.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const links = await findLinks(db, rows.map((row) => row.id));
  return { items: rows.map((row) => toDocument(row, links.get(row.id) ?? [])), total: Number(count.total) };
}

/** Documents in force whose next review falls on or before `until`, earliest first. */
export async function queryReviewDue(db: Db, until: string, limit: number, offset: number): Promise<{ items: Document[]; total: number }> {
  const filtered = documentsWithVersionNumber(db)
    .where('documents.status', '<>', 'retired')
    .where('documents.next_review_date', 'is not', null)
    .where('documents.next_review_date', '<=', until);
  const [rows, count] = await Promise.all([
    filtered.orderBy('documents.next_review_date').orderBy('documents.title').orderBy('documents.id').limit(limit).offset(offset).execute(),
    filtered.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const links = await findLinks(db, rows.map((row) => row.id));
  return { items: rows.map((row) => toDocument(row, links.get(row.id) ?? [])), total: Number(count.total) };
}

export async function findVersionRow(db: Db, documentId: string, versionId: string): Promise<DocumentVersionTable | undefined> {
  return db.selectFrom('document_versions').selectAll().where('id', '=', versionId).where('document_id', '=', documentId).executeTakeFirst();
}

export async function findDraftRow(db: Db, documentId: string): Promise<DocumentVersionTable | undefined> {
  return db.selectFrom('document_versions').selectAll().where('document_id', '=', documentId).where('status', '=', 'draft').executeTakeFirst();
}

export async function findVersionRows(db: Db, documentId: string): Promise<DocumentVersionTable[]> {
  return db.selectFrom('document_versions').selectAll().where('document_id', '=', documentId).orderBy('number').execute();
}

export async function nextVersionNumber(db: Db, documentId: string): Promise<number> {
  const row = await db
    .selectFrom('document_versions')
    .select((eb) => eb.fn.max('number').as('last'))
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
}

export async function queryVersions(
  db: Db,
  documentId: string,
  query: DocumentVersionListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: DocumentVersionTable[]; total: number }> {
  let filtered = db.selectFrom('document_versions').where('document_id', '=', documentId);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  const { order } = parseSort<'number'>(query.sort ?? 'number');
  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('number', order).limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function evidenceExists(db: Db, evidenceId: string): Promise<boolean> {
  return (await db.selectFrom('evidence').select('id').where('id', '=', evidenceId).executeTakeFirst()) !== undefined;
}

/** Catalogue items of a framework that require documented information, in document order. */
export async function findRequiringItems(db: Db, frameworkId: string): Promise<CatalogueItemTable[]> {
  return db
    .selectFrom('catalogue_items')
    .selectAll()
    .where('framework_id', '=', frameworkId)
    .where('documented_information', 'is not', null)
    .orderBy('position')
    .execute();
}

export interface LinkedDocumentRow {
  catalogue_ref: string;
  id: string;
  title: string;
  kind: string;
  status: string;
  next_review_date: string | null;
  current_version_number: number | null;
}

/** Lists every document linked to an item of a framework that requires documented information, with the item's ref. */
export async function findDocumentsLinkedTo(db: Db, frameworkId: string): Promise<LinkedDocumentRow[]> {
  return db
    .selectFrom('document_links')
    .innerJoin('catalogue_items', 'catalogue_items.ref', 'document_links.catalogue_ref')
    .innerJoin('documents', 'documents.id', 'document_links.document_id')
    .leftJoin('document_versions as current', 'current.id', 'documents.current_version_id')
    .select([
      'document_links.catalogue_ref',
      'documents.id',
      'documents.title',
      'documents.kind',
      'documents.status',
      'documents.next_review_date',
      'current.number as current_version_number',
    ])
    .where('catalogue_items.framework_id', '=', frameworkId)
    .where('catalogue_items.documented_information', 'is not', null)
    .orderBy('documents.title')
    .orderBy('documents.id')
    .execute();
}
