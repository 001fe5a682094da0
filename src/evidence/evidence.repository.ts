import type { Db } from '../platform/database/connection.js';
import type { EvidenceLinkTable, EvidenceTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { Confidentiality, EvidenceKind } from './evidence.js';
import type { Evidence, EvidenceLink, EvidenceListQuery, EvidenceRecord, EvidenceSortKey } from './evidence.schemas.js';
import type { LinkTargetType } from './link-targets.js';

/** Reads and writes evidence and evidence_links rows and turns them into the API's shape. */

const sortColumns: Record<EvidenceSortKey, keyof EvidenceTable> = {
  title: 'title',
  collectedAt: 'collected_at',
  validUntil: 'valid_until',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toEvidenceRecord(row: EvidenceTable): EvidenceRecord {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind as EvidenceKind,
    description: row.description,
    collectedAt: row.collected_at,
    collectedByPersonId: row.collected_by_person_id,
    validUntil: row.valid_until,
    confidentiality: row.confidentiality as Confidentiality,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    mediaType: row.media_type,
    fileName: row.file_name,
    uploadedBy: row.uploaded_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEvidenceRow(record: EvidenceRecord): EvidenceTable {
  return {
    id: record.id,
    title: record.title,
    kind: record.kind,
    description: record.description,
    collected_at: record.collectedAt,
    collected_by_person_id: record.collectedByPersonId,
    valid_until: record.validUntil,
    confidentiality: record.confidentiality,
    sha256: record.sha256,
    size_bytes: record.sizeBytes,
    media_type: record.mediaType,
    file_name: record.fileName,
    uploaded_by: record.uploadedBy,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

export function toEvidenceLink(row: EvidenceLinkTable): EvidenceLink {
  return { targetType: row.target_type as LinkTargetType, targetId: row.target_id, createdAt: row.created_at, createdBy: row.created_by };
}

export function toLinkRow(evidenceId: string, link: EvidenceLink): EvidenceLinkTable {
  return {
    evidence_id: evidenceId,
    target_type: link.targetType,
    target_id: link.targetId,
    // Filled for catalogue items only, where a foreign key then protects the linked item.
    catalogue_item_ref: link.targetType === 'catalogue_item' ? link.targetId : null,
    created_at: link.createdAt,
    created_by: link.createdBy,
  };
}

export async function findEvidenceRow(db: Db, id: string): Promise<EvidenceTable | undefined> {
  return db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the links of each of the given evidence records, in the order they were made. */
export async function findLinks(db: Db, evidenceIds: readonly string[]): Promise<Map<string, EvidenceLink[]>> {
  const byEvidence = new Map<string, EvidenceLink[]>();
  if (evidenceIds.length === 0) return byEvidence;
  const rows = await db
    .selectFrom('evidence_links')
    .selectAll()
    .where('evidence_id', 'in', [...new Set(evidenceIds)])
    .orderBy('created_at')
    .orderBy('target_type')
    .orderBy('target_id')
    .execute();
  for (const row of rows) {
    const links = byEvidence.get(row.evidence_id) ?? [];
    links.push(toEvidenceLink(row));
    byEvidence.set(row.evidence_id, links);
  }
  return byEvidence;
}

/** Adds the links to each record of a page with one query. */
export async function withLinks(db: Db, records: readonly EvidenceRecord[]): Promise<Evidence[]> {
  const links = await findLinks(
    db,
    records.map((record) => record.id),
  );
  return records.map((record) => ({ ...record, links: links.get(record.id) ?? [] }));
}

export async function findLinkRow(db: Db, evidenceId: string, targetType: string, targetId: string): Promise<EvidenceLinkTable | undefined> {
  return db
    .selectFrom('evidence_links')
    .selectAll()
    .where('evidence_id', '=', evidenceId)
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
}

/** Tells whether any evidence record has this file as its current file. */
export async function isFileReferenced(db: Db, sha256: string): Promise<boolean> {
  const row = await db.selectFrom('evidence').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface EvidenceFilters {
  linkedTo?: { targetType: LinkTargetType; targetId: string };
  /** Only evidence valid until this date (YYYY-MM-DD) or earlier. */
  validUntilBy?: string;
}

export async function queryEvidence(
  db: Db,
  query: EvidenceListQuery,
  filters: EvidenceFilters,
  limit: number,
  offset: number,
): Promise<{ rows: EvidenceTable[]; total: number }> {
  let filtered = db.selectFrom('evidence');
  if (query.q) filtered = filtered.where(containsText(['title', 'description', 'file_name'], query.q));
  if (query.kind) filtered = filtered.where('kind', '=', query.kind);
  if (query.confidentiality) filtered = filtered.where('confidentiality', '=', query.confidentiality);
  if (query.sha256) filtered = filtered.where('sha256', '=', query.sha256);
  if (filters.validUntilBy !== undefined) filtered = filtered.where('valid_until', 'is not', null).where('valid_until', '<=', filters.validUntilBy);
  const linkedTo = filters.linkedTo;
  if (linkedTo) {
    filtered = filtered.where('id', 'in', (eb) =>
      eb.selectFrom('evidence_links').select('evidence_id').where('target_type', '=', linkedTo.targetType).where('target_id', '=', linkedTo.targetId),
    );
  }
  const { key, order } = parseSort<EvidenceSortKey>(query.sort ?? 'title');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(sortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Evidence valid until `cutoff` (YYYY-MM-DD) or earlier, soonest first. */
export async function queryValidUntilBy(db: Db, cutoff: string, limit: number, offset: number): Promise<{ rows: EvidenceTable[]; total: number }> {
  const filtered = db.selectFrom('evidence').where('valid_until', 'is not', null).where('valid_until', '<=', cutoff);
  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('valid_until').orderBy('title').orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Reads every evidence record in pages of `pageSize`, ordered by id, so that memory stays bounded however many there are. */
export async function* allEvidenceRows(db: Db, pageSize = 500): AsyncGenerator<EvidenceTable> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('evidence').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
