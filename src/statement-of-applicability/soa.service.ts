import { requireCatalogueItems } from '../catalogue/catalogue.repository.js';
import { appendAuditEvent, appendAuditEvents } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import type { SoaEntryTable, SoaVersionTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { exportFileName, exportMediaTypes, renderSoa } from './soa-export.js';
import { decisionProblems, diffEntries, justificationChangeProblems, type EntryDecision } from './soa.js';
import {
  ApproveSoa,
  CreateSoaDraft,
  SoaEntryListQuery,
  SoaVersionListQuery,
  UpdateSoaDraft,
  UpdateSoaEntry,
  type SoaDiff,
  type SoaEntry,
  type SoaExportFormat,
  type SoaVersion,
} from './soa.schemas.js';
import {
  filterEntries,
  findDraftRow,
  findEntryRow,
  findEntryRows,
  findLatestApprovedRow,
  findSoaControls,
  findVersionRow,
  loadEntryLookups,
  nextVersionNumber,
  sortEntries,
  toEntryDecision,
  toEntryRow,
  toSoaEntry,
  toSoaVersion,
  toVersionRow,
} from './soa.repository.js';

/**
 * Use cases of the Statement of Applicability. A draft is edited entry by entry. Approving it
 * freezes it for good, so the next round of changes starts a new draft copied from it.
 */

export interface ChangeOptions {
  expectedVersion?: number;
  reason?: string | null;
}

const emptyDecision: EntryDecision = {
  decision: 'undecided',
  justification: '',
  basis: [],
  requirementRefs: [],
  implementationStatus: null,
  ownerPersonId: null,
  notes: '',
};

export async function listSoaVersions(ctx: ServiceContext, caller: Caller, query: SoaVersionListQuery): Promise<PageOf<SoaVersion>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(SoaVersionListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;
  let base = db.selectFrom('soa_versions');
  if (parsed.status !== undefined) base = base.where('status', '=', parsed.status);
  const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('number', 'desc').limit(limit).offset(offset).execute();
  const items: SoaVersion[] = [];
  for (const row of rows) items.push(toSoaVersion(row, await findEntryRows(db, row.id)));
  return { items, total: Number(counted.total), limit, offset };
}

export async function getSoaVersion(ctx: ServiceContext, caller: Caller, id: string): Promise<SoaVersion> {
  authorize(caller, 'register.read');
  const row = await requireVersion(ctx.database.db, id);
  return toSoaVersion(row, await findEntryRows(ctx.database.db, row.id));
}

export async function getSoaVersionByNumber(ctx: ServiceContext, caller: Caller, number: number): Promise<SoaVersion> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = await db.selectFrom('soa_versions').selectAll().where('number', '=', number).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `There is no Statement of Applicability v${number}; GET /api/soa/versions lists the versions`);
  return toSoaVersion(row, await findEntryRows(db, row.id));
}

/**
 * Returns the version an export or a report should show when none is named: the latest
 * approved one, or else the open draft. Throws NOT_FOUND when there is neither.
 */
export async function getCurrentSoaVersion(ctx: ServiceContext, caller: Caller): Promise<SoaVersion> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = (await findLatestApprovedRow(db)) ?? (await findDraftRow(db));
  if (!row) throw new AppError('NOT_FOUND', 'There is no Statement of Applicability yet; start a draft with POST /api/soa/versions');
  return toSoaVersion(row, await findEntryRows(db, row.id));
}

export async function createSoaDraft(ctx: ServiceContext, caller: Caller, input: CreateSoaDraft, reason?: string | null): Promise<SoaVersion> {
  authorize(caller, 'soa.write');
  const parsed = parseWith(CreateSoaDraft, input);
  return writeTransaction(ctx.database, (trx) => insertSoaDraft(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/**
 * Starts a draft inside the caller's write transaction. It covers every Annex A control and every
 * control the organization defined. Decisions are copied from the version it is based on, and
 * controls that version did not have start undecided.
 */
export async function insertSoaDraft(trx: Db, caller: Caller, now: Date, input: CreateSoaDraft, reason: string | null = null): Promise<SoaVersion> {
  authorize(caller, 'soa.write');
  const open = await findDraftRow(trx);
  if (open) {
    throw new AppError('CONFLICT', `Draft v${open.number} ("${open.title}") is still open; approve or discard it before starting another draft`);
  }
  const base = await resolveBase(trx, input.basedOn);
  const baseEntries = new Map((base ? await findEntryRows(trx, base.id) : []).map((row) => [row.control_ref, toEntryDecision(row)]));
  const number = await nextVersionNumber(trx);
  const timestamp = toTimestamp(now);
  const version: SoaVersion = {
    id: newId(),
    number,
    status: 'draft',
    title: input.title?.trim() ?? `Statement of Applicability v${number}`,
    basedOnId: base?.id ?? null,
    createdBy: caller.userId,
    approvedBy: null,
    approvedAt: null,
    approvalComment: null,
    authors: [caller.userId],
    counts: { controls: 0, undecided: 0, applicable: 0, excluded: 0, notStarted: 0, planned: 0, partiallyImplemented: 0, implemented: 0 },
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  try {
    await trx.insertInto('soa_versions').values(toVersionRow(version)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Another draft was started at the same moment; reload the list of versions');
    throw error;
  }

  const controls = await findSoaControls(trx);
  const rows = controls.map((control) => toEntryRow(version.id, control.ref, baseEntries.get(control.ref) ?? emptyDecision, [], 1, timestamp));
  for (let start = 0; start < rows.length; start += 200) {
    await trx.insertInto('soa_entries').values(rows.slice(start, start + 200)).execute();
  }
  const created = toSoaVersion(toVersionRow(version), rows);
  await appendAuditEvent(trx, caller, now, { action: 'soa_version.created', recordId: version.id, after: created, reason });
  return created;
}

async function resolveBase(trx: Db, basedOn: string | undefined): Promise<SoaVersionTable | undefined> {
  if (basedOn === 'empty') return undefined;
  if (basedOn === undefined || basedOn === 'latest-approved') {
    const latest = await findLatestApprovedRow(trx);
    if (!latest && basedOn === 'latest-approved') {
      throw validationFailed([{ path: '/basedOn', message: 'is latest-approved, but no version has been approved yet; send empty to start undecided' }]);
    }
    return latest;
  }
  const row = await findVersionRow(trx, basedOn);
  if (!row) throw validationFailed([{ path: '/basedOn', message: `"${basedOn}" is not a Statement of Applicability version; send latest-approved, empty or a version id` }]);
  if (row.status === 'discarded') throw validationFailed([{ path: '/basedOn', message: `v${row.number} was discarded and has no entries; base the draft on another version` }]);
  return row;
}

export async function updateSoaDraft(ctx: ServiceContext, caller: Caller, id: string, input: UpdateSoaDraft, options: ChangeOptions = {}): Promise<SoaVersion> {
  authorize(caller, 'soa.write');
  const parsed = parseWith(UpdateSoaDraft, input);
  return writeTransaction(ctx.database, async (trx) => {
    const row = await loadDraftForChange(trx, id, options.expectedVersion);
    const entries = await findEntryRows(trx, id);
    const before = toSoaVersion(row, entries);
    const now = ctx.clock.now();
    const afterRow: SoaVersionTable = { ...row, title: parsed.title.trim(), version: row.version + 1, updated_at: toTimestamp(now) };
    await trx.updateTable('soa_versions').set(afterRow).where('id', '=', id).where('version', '=', row.version).execute();
    const after = toSoaVersion(afterRow, entries);
    await appendAuditEvent(trx, caller, now, { action: 'soa_version.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/**
 * Discards an open draft: its entries are deleted and the version stays as `discarded`, so that
 * its number is not reused. Approved versions stay for good.
 */
export async function discardSoaDraft(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'soa.write');
  await writeTransaction(ctx.database, async (trx) => {
    const row = await loadDraftForChange(trx, id, options.expectedVersion);
    const before = toSoaVersion(row, await findEntryRows(trx, id));
    const now = ctx.clock.now();
    const afterRow: SoaVersionTable = { ...row, status: 'discarded', version: row.version + 1, updated_at: toTimestamp(now) };
    await trx.deleteFrom('soa_entries').where('soa_version_id', '=', id).execute();
    await trx.updateTable('soa_versions').set(afterRow).where('id', '=', id).where('version', '=', row.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'soa_version.discarded', recordId: id, before, after: toSoaVersion(afterRow, []), reason: options.reason ?? null });
  });
}

export async function listSoaEntries(ctx: ServiceContext, caller: Caller, versionId: string, query: SoaEntryListQuery): Promise<PageOf<SoaEntry>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(SoaEntryListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const entries = filterEntries(await readEntries(ctx.database.db, versionId), parsed);
  return { items: entries.slice(offset, offset + limit), total: entries.length, limit, offset };
}

/** Reads every entry of a version in catalogue order, with titles, owners and evidence. */
export async function readEntries(db: Db, versionId: string): Promise<SoaEntry[]> {
  await requireVersion(db, versionId);
  const rows = await findEntryRows(db, versionId);
  const lookups = await loadEntryLookups(db, rows);
  return sortEntries(
    rows.map((row) => toSoaEntry(row, lookups)),
    lookups,
  );
}

export async function getSoaEntry(ctx: ServiceContext, caller: Caller, versionId: string, ref: string): Promise<SoaEntry> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  await requireVersion(db, versionId);
  const row = await findEntryRow(db, versionId, ref);
  if (!row) throw entryNotFound(versionId, ref);
  return toSoaEntry(row, await loadEntryLookups(db, [row]));
}

/**
 * Changes one entry of a draft. The entry as it would be after the change must satisfy the
 * decision rules: a justification either way, and grounds and a status for an included control.
 */
export async function updateSoaEntry(
  ctx: ServiceContext,
  caller: Caller,
  versionId: string,
  ref: string,
  patch: UpdateSoaEntry,
  options: ChangeOptions = {},
): Promise<SoaEntry> {
  authorize(caller, 'soa.write');
  parseWith(UpdateSoaEntry, patch);
  return writeTransaction(ctx.database, (trx) => updateSoaEntryIn(trx, caller, ctx.clock.now(), versionId, ref, patch, options));
}

/** Changes one entry of a draft inside the caller's write transaction, with its audit event. The rules are those of updateSoaEntry. */
export async function updateSoaEntryIn(
  trx: Db,
  caller: Caller,
  now: Date,
  versionId: string,
  ref: string,
  patch: UpdateSoaEntry,
  options: ChangeOptions = {},
): Promise<SoaEntry> {
  authorize(caller, 'soa.write');
  const parsed = parseWith(UpdateSoaEntry, patch);
  await loadDraftForChange(trx, versionId, undefined);
  const row = await findEntryRow(trx, versionId, ref);
  if (!row) throw entryNotFound(versionId, ref);
  if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
    throw versionMismatch('Statement of Applicability entry', ref, options.expectedVersion, row.version);
  }

  const before = toEntryDecision(row);
  const after = applyPatch(before, parsed);
  const problems = [...justificationChangeProblems(before.decision, after.decision, parsed.justification !== undefined), ...decisionProblems(after)];
  if (problems.length > 0) throw validationFailed(problems);
  await checkReferences(trx, parsed);

  const editors = JSON.parse(row.changed_by) as string[];
  if (!editors.includes(caller.userId)) editors.push(caller.userId);
  const afterRow = toEntryRow(versionId, ref, after, editors, row.version + 1, toTimestamp(now));
  await trx.updateTable('soa_entries').set(afterRow).where('soa_version_id', '=', versionId).where('control_ref', '=', ref).where('version', '=', row.version).execute();

  const lookups = await loadEntryLookups(trx, [row, afterRow]);
  const shownBefore = toSoaEntry(row, lookups);
  const shownAfter = toSoaEntry(afterRow, lookups);
  await appendAuditEvent(trx, caller, now, {
    action: 'soa_entry.updated',
    // The entry's control is in the record images: version id and ref together can pass the
    // 64 characters of an audit record id.
    recordId: versionId,
    before: shownBefore,
    after: shownAfter,
    reason: options.reason ?? null,
  });
  return shownAfter;
}

function applyPatch(before: EntryDecision, patch: UpdateSoaEntry): EntryDecision {
  const after: EntryDecision = {
    decision: patch.decision ?? before.decision,
    justification: patch.justification?.trim() ?? before.justification,
    basis: patch.basis ?? before.basis,
    requirementRefs: patch.requirementRefs ?? before.requirementRefs,
    implementationStatus: patch.implementationStatus !== undefined ? patch.implementationStatus : before.implementationStatus,
    ownerPersonId: patch.ownerPersonId !== undefined ? patch.ownerPersonId : before.ownerPersonId,
    notes: patch.notes ?? before.notes,
  };
  // A control newly included starts as not started unless the change sets a status; one newly
  // excluded or undecided drops what only an included control has.
  if (after.decision === 'applicable' && before.decision !== 'applicable' && patch.implementationStatus === undefined) {
    after.implementationStatus = 'not_started';
  }
  if (after.decision !== 'applicable' && before.decision === 'applicable') {
    if (patch.implementationStatus === undefined) after.implementationStatus = null;
    if (patch.basis === undefined) after.basis = [];
  }
  return after;
}

async function checkReferences(trx: Db, patch: UpdateSoaEntry): Promise<void> {
  if (patch.requirementRefs && patch.requirementRefs.length > 0) {
    await requireCatalogueItems(
      trx,
      patch.requirementRefs.map((ref, index) => ({ ref, path: `/requirementRefs/${index}` })),
    );
  }
  if (patch.ownerPersonId) {
    const person = await trx.selectFrom('people').select('id').where('id', '=', patch.ownerPersonId).executeTakeFirst();
    if (!person) throw validationFailed([{ path: '/ownerPersonId', message: `"${patch.ownerPersonId}" is not a person in the register; add the person first or pick another owner` }]);
  }
}

/**
 * Approves a draft and freezes it. The approver must hold an approving role and must not be
 * among the version's authors (the user who started the draft and every user who changed an entry), and every
 * control must be decided.
 */
export async function approveSoaVersion(ctx: ServiceContext, caller: Caller, id: string, input: ApproveSoa, options: ChangeOptions = {}): Promise<SoaVersion> {
  authorize(caller, 'soa.approve');
  parseWith(ApproveSoa, input);
  return writeTransaction(ctx.database, (trx) => approveSoaVersionIn(trx, caller, ctx.clock.now(), id, input, options));
}

/** Approves a draft inside the caller's write transaction, with its audit event. The rules are those of approveSoaVersion. */
export async function approveSoaVersionIn(trx: Db, caller: Caller, now: Date, id: string, input: ApproveSoa, options: ChangeOptions = {}): Promise<SoaVersion> {
  authorize(caller, 'soa.approve');
  const parsed = parseWith(ApproveSoa, input);
  const row = await loadDraftForChange(trx, id, options.expectedVersion);
  const entries = await findEntryRows(trx, id);
  const before = toSoaVersion(row, entries);
  if (before.authors.includes(caller.userId)) {
    throw new AppError(
      'FORBIDDEN',
      `${caller.username} wrote part of Statement of Applicability v${row.number}, so may not approve it; an approver who did not start or edit the draft must approve it`,
    );
  }
  const undecided = entries.filter((entry) => entry.decision === 'undecided');
  if (undecided.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Statement of Applicability v${row.number} still has ${undecided.length} undecided control${undecided.length === 1 ? '' : 's'}; decide every control before approval`,
      undecided.map((entry) => ({ path: `/entries/${entry.control_ref}`, message: 'is undecided' })),
    );
  }

  const timestamp = toTimestamp(now);
  const afterRow: SoaVersionTable = {
    ...row,
    status: 'approved',
    approved_by: caller.userId,
    approved_at: timestamp,
    approval_comment: parsed.comment?.trim() || null,
    version: row.version + 1,
    updated_at: timestamp,
  };
  await trx.updateTable('soa_versions').set(afterRow).where('id', '=', id).where('version', '=', row.version).execute();

  // Freeze what each entry shows, including names, evidence and risks read from other records.
  for (const entry of await readEntries(trx, id)) {
    await trx.updateTable('soa_entries').set({ approved_view: JSON.stringify(entry) }).where('soa_version_id', '=', id).where('control_ref', '=', entry.controlRef).execute();
  }
  const after = toSoaVersion(afterRow, entries);
  await appendAuditEvents(trx, caller, now, [{ action: 'soa_version.approved', recordId: id, before, after, reason: options.reason ?? null }]);
  return after;
}

/** Compares two versions; `from` is the older side of the comparison. */
export async function diffSoaVersions(ctx: ServiceContext, caller: Caller, fromId: string, toId: string): Promise<SoaDiff> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const from = await requireVersion(db, fromId);
  const to = await requireVersion(db, toId);
  const fromEntries = await readEntries(db, fromId);
  const toEntries = await readEntries(db, toId);
  const titles = new Map([...fromEntries, ...toEntries].map((entry) => [entry.controlRef, entry.controlTitle]));
  const order = [...new Set([...toEntries.map((entry) => entry.controlRef), ...fromEntries.map((entry) => entry.controlRef)])];
  const differences = diffEntries(decisionsOf(fromEntries), decisionsOf(toEntries), order);
  return {
    from: { id: from.id, number: from.number, status: from.status as SoaVersion['status'] },
    to: { id: to.id, number: to.number, status: to.status as SoaVersion['status'] },
    differences: differences.map((difference) => ({ ...difference, controlTitle: titles.get(difference.controlRef) ?? difference.controlRef })),
  };
}

function decisionsOf(entries: readonly SoaEntry[]): Map<string, EntryDecision> {
  return new Map(
    entries.map((entry) => [
      entry.controlRef,
      {
        decision: entry.decision,
        justification: entry.justification,
        basis: entry.basis,
        requirementRefs: entry.requirementRefs,
        implementationStatus: entry.implementationStatus,
        ownerPersonId: entry.ownerPersonId,
        notes: entry.notes,
      },
    ]),
  );
}

export interface SoaExport {
  version: SoaVersion;
  content: Buffer;
  mediaType: string;
  fileName: string;
  controls: number;
}

/** Renders one version, or the current one when no id is given, in the requested format. */
export async function exportSoa(ctx: ServiceContext, caller: Caller, versionId: string | undefined, format: SoaExportFormat): Promise<SoaExport> {
  const version = versionId === undefined ? await getCurrentSoaVersion(ctx, caller) : await getSoaVersion(ctx, caller, versionId);
  const db = ctx.database.db;
  const entries = await readEntries(db, version.id);
  const approver = version.approvedBy ? await db.selectFrom('users').select('username').where('id', '=', version.approvedBy).executeTakeFirst() : undefined;
  const content = await renderSoa(version, entries, format, approver?.username);
  return { version, content, mediaType: exportMediaTypes[format], fileName: exportFileName(version, format), controls: entries.length };
}

/** Adds an undecided entry for a newly defined control to the open draft, if there is one. */
export async function addControlToOpenDraft(trx: Db, ref: string, now: Date): Promise<SoaEntryTable | undefined> {
  const draft = await findDraftRow(trx);
  if (!draft) return undefined;
  const row = toEntryRow(draft.id, ref, emptyDecision, [], 1, toTimestamp(now));
  await trx.insertInto('soa_entries').values(row).execute();
  return row;
}

async function requireVersion(db: Db, id: string): Promise<SoaVersionTable> {
  const row = await findVersionRow(db, id);
  if (!row) throw notFound('Statement of Applicability version', id);
  return row;
}

async function loadDraftForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<SoaVersionTable> {
  const row = await requireVersion(trx, id);
  if (row.status === 'discarded') {
    throw new AppError('CONFLICT', `Statement of Applicability v${row.number} was discarded and cannot change; start a new draft with POST /api/soa/versions`);
  }
  if (row.status !== 'draft') {
    throw new AppError(
      'CONFLICT',
      `Statement of Applicability v${row.number} was approved on ${row.approved_at ?? 'an earlier date'} and cannot change; start a new draft from it with POST /api/soa/versions`,
    );
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('Statement of Applicability version', id, expectedVersion, row.version);
  }
  return row;
}

function entryNotFound(versionId: string, ref: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `Statement of Applicability version ${versionId} has no entry for "${ref}"; controls are named by catalogue ref, such as iso42001:A.6.2.4`,
  );
}
