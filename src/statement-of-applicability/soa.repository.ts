import type { Db } from '../platform/database/connection.js';
import type { CatalogueItemTable, SoaEntryTable, SoaVersionTable } from '../platform/database/schema.js';
import { iso42001FrameworkId, organizationFrameworkId } from '../catalogue/catalogue.js';
import { findRisksByControl } from '../risks/treatments.repository.js';
import { authorsOf, type EntryDecision, type ImplementationStatus, type InclusionBasis, type SoaDecision, type SoaStatus } from './soa.js';
import type { SoaEntry, SoaEntryListQuery, SoaVersion } from './soa.schemas.js';

/** Reads and writes soa_versions and soa_entries rows and turns them into the API's shape. */

/** The frameworks whose controls a Statement of Applicability covers: Annex A, then the organization's own. */
export const soaFrameworks = [iso42001FrameworkId, organizationFrameworkId] as const;

export async function findVersionRow(db: Db, id: string): Promise<SoaVersionTable | undefined> {
  return db.selectFrom('soa_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDraftRow(db: Db): Promise<SoaVersionTable | undefined> {
  return db.selectFrom('soa_versions').selectAll().where('status', '=', 'draft').executeTakeFirst();
}

export async function findLatestApprovedRow(db: Db): Promise<SoaVersionTable | undefined> {
  return db.selectFrom('soa_versions').selectAll().where('status', '=', 'approved').orderBy('number', 'desc').limit(1).executeTakeFirst();
}

export async function nextVersionNumber(db: Db): Promise<number> {
  const row = await db.selectFrom('soa_versions').select((eb) => eb.fn.max('number').as('number')).executeTakeFirst();
  return Number(row?.number ?? 0) + 1;
}

/** Every control a new version must cover: the assessable controls of Annex A and the organization's own. */
export async function findSoaControls(db: Db): Promise<CatalogueItemTable[]> {
  return db
    .selectFrom('catalogue_items')
    .selectAll()
    .where('framework_id', 'in', [...soaFrameworks])
    .where('kind', '=', 'control')
    .where('assessable', '=', 1)
    .orderBy('framework_id', 'desc')
    .orderBy('position')
    .execute();
}

export async function findEntryRows(db: Db, versionId: string): Promise<SoaEntryTable[]> {
  return db.selectFrom('soa_entries').selectAll().where('soa_version_id', '=', versionId).execute();
}

export async function findEntryRow(db: Db, versionId: string, ref: string): Promise<SoaEntryTable | undefined> {
  return db.selectFrom('soa_entries').selectAll().where('soa_version_id', '=', versionId).where('control_ref', '=', ref).executeTakeFirst();
}

export function toEntryDecision(row: SoaEntryTable): EntryDecision {
  return {
    decision: row.decision as SoaDecision,
    justification: row.justification,
    basis: JSON.parse(row.basis) as InclusionBasis[],
    requirementRefs: JSON.parse(row.requirement_refs) as string[],
    implementationStatus: row.implementation_status as ImplementationStatus | null,
    ownerPersonId: row.owner_person_id,
    notes: row.notes,
  };
}

export function toEntryRow(versionId: string, ref: string, entry: EntryDecision, changedBy: readonly string[], version: number, updatedAt: string): SoaEntryTable {
  return {
    soa_version_id: versionId,
    control_ref: ref,
    decision: entry.decision,
    justification: entry.justification,
    basis: JSON.stringify(entry.basis),
    requirement_refs: JSON.stringify(entry.requirementRefs),
    implementation_status: entry.implementationStatus,
    owner_person_id: entry.ownerPersonId,
    notes: entry.notes,
    changed_by: JSON.stringify(changedBy),
    approved_view: null,
    version,
    updated_at: updatedAt,
  };
}

/**
 * Data from other tables that entries are shown with: the control's title and group, the
 * owner's name and the evidence linked to the control. It is loaded once per request.
 */
export interface EntryLookups {
  items: Map<string, CatalogueItemTable>;
  people: Map<string, string>;
  evidence: Map<string, SoaEntry['evidence']>;
  linkedRisks: Map<string, SoaEntry['linkedRisks']>;
}

export async function loadEntryLookups(db: Db, entries: readonly SoaEntryTable[]): Promise<EntryLookups> {
  const items = new Map((await db.selectFrom('catalogue_items').selectAll().where('framework_id', 'in', [...soaFrameworks]).execute()).map((row) => [row.ref, row]));
  const ownerIds = [...new Set(entries.map((entry) => entry.owner_person_id).filter((id): id is string => id !== null))];
  const people = new Map<string, string>();
  if (ownerIds.length > 0) {
    for (const row of await db.selectFrom('people').select(['id', 'name']).where('id', 'in', ownerIds).execute()) people.set(row.id, row.name);
  }
  const refs = entries.map((entry) => entry.control_ref);
  return { items, people, evidence: await findEvidenceByControl(db, refs), linkedRisks: await findRisksByControl(db, refs) };
}

/** Evidence linked to each control, valid or not, newest first. */
async function findEvidenceByControl(db: Db, refs: readonly string[]): Promise<Map<string, SoaEntry['evidence']>> {
  const byControl = new Map<string, SoaEntry['evidence']>();
  if (refs.length === 0) return byControl;
  const rows = await db
    .selectFrom('evidence_links as l')
    .innerJoin('evidence as e', 'e.id', 'l.evidence_id')
    .select(['l.target_id', 'e.id', 'e.title', 'e.valid_until'])
    .where('l.target_type', '=', 'catalogue_item')
    .where('l.target_id', 'in', [...new Set(refs)])
    .orderBy('e.collected_at', 'desc')
    .execute();
  for (const row of rows) {
    const list = byControl.get(row.target_id) ?? [];
    list.push({ id: row.id, title: row.title, validUntil: row.valid_until });
    byControl.set(row.target_id, list);
  }
  return byControl;
}

/** Walks up from a control to its top-level group, such as A.6 for A.6.2.4. */
function groupOf(item: CatalogueItemTable | undefined, items: Map<string, CatalogueItemTable>): CatalogueItemTable | undefined {
  let current = item?.parent_ref ? items.get(item.parent_ref) : undefined;
  while (current?.parent_ref) current = items.get(current.parent_ref);
  return current;
}

export function toSoaEntry(row: SoaEntryTable, lookups: EntryLookups): SoaEntry {
  // An approved version shows the entry as it was at approval, whatever changed around it since.
  if (row.approved_view !== null) return JSON.parse(row.approved_view) as SoaEntry;
  const item = lookups.items.get(row.control_ref);
  const group = groupOf(item, lookups.items);
  return {
    soaVersionId: row.soa_version_id,
    controlRef: row.control_ref,
    frameworkId: item?.framework_id ?? row.control_ref.split(':')[0]!,
    controlId: item?.item_id ?? row.control_ref,
    controlTitle: item?.title ?? row.control_ref,
    groupRef: group?.ref ?? null,
    groupTitle: group?.title ?? null,
    ...toEntryDecision(row),
    ownerName: row.owner_person_id ? (lookups.people.get(row.owner_person_id) ?? null) : null,
    evidence: lookups.evidence.get(row.control_ref) ?? [],
    linkedRisks: lookups.linkedRisks.get(row.control_ref) ?? [],
    changedBy: JSON.parse(row.changed_by) as string[],
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Entries in catalogue order: Annex A first, then the organization's controls. */
export function sortEntries(entries: SoaEntry[], lookups: EntryLookups): SoaEntry[] {
  const rank = (entry: SoaEntry) => {
    const item = lookups.items.get(entry.controlRef);
    return [soaFrameworks.indexOf(entry.frameworkId as (typeof soaFrameworks)[number]), item?.position ?? Number.MAX_SAFE_INTEGER] as const;
  };
  return entries.sort((a, b) => {
    const [frameworkA, positionA] = rank(a);
    const [frameworkB, positionB] = rank(b);
    return frameworkA - frameworkB || positionA - positionB;
  });
}

export function filterEntries(entries: SoaEntry[], query: SoaEntryListQuery): SoaEntry[] {
  return entries.filter(
    (entry) =>
      (query.decision === undefined || entry.decision === query.decision) &&
      (query.implementationStatus === undefined || entry.implementationStatus === query.implementationStatus) &&
      (query.framework === undefined || entry.frameworkId === query.framework) &&
      (query.owner === undefined || entry.ownerPersonId === query.owner),
  );
}

export function toSoaVersion(row: SoaVersionTable, entries: readonly SoaEntryTable[]): SoaVersion {
  const counts = { controls: entries.length, undecided: 0, applicable: 0, excluded: 0, notStarted: 0, planned: 0, partiallyImplemented: 0, implemented: 0 };
  for (const entry of entries) {
    counts[entry.decision as SoaDecision] += 1;
    if (entry.implementation_status === 'not_started') counts.notStarted += 1;
    if (entry.implementation_status === 'planned') counts.planned += 1;
    if (entry.implementation_status === 'partially_implemented') counts.partiallyImplemented += 1;
    if (entry.implementation_status === 'implemented') counts.implemented += 1;
  }
  const authors = authorsOf(
    row.created_by,
    entries.map((entry) => JSON.parse(entry.changed_by) as string[]),
  );
  return {
    id: row.id,
    number: row.number,
    status: row.status as SoaStatus,
    title: row.title,
    basedOnId: row.based_on_id,
    createdBy: row.created_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    approvalComment: row.approval_comment,
    authors: [...authors],
    counts,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toVersionRow(version: SoaVersion): SoaVersionTable {
  return {
    id: version.id,
    number: version.number,
    status: version.status,
    title: version.title,
    based_on_id: version.basedOnId,
    created_by: version.createdBy,
    approved_by: version.approvedBy,
    approved_at: version.approvedAt,
    approval_comment: version.approvalComment,
    version: version.version,
    created_at: version.createdAt,
    updated_at: version.updatedAt,
  };
}
