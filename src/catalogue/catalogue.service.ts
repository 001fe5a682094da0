import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isForeignKeyViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { addControlToOpenDraft } from '../statement-of-applicability/soa.service.js';
import { iso42001FrameworkId, organizationFrameworkId, refOf } from './catalogue.js';
import {
  CatalogueItemListQuery,
  CreateOrganizationControl,
  CrosswalkPairQuery,
  UpdateOrganizationControl,
  type CatalogueItem,
  type CatalogueItemDetail,
  type Crosswalk,
  type CrosswalkPair,
  type Framework,
} from './catalogue.schemas.js';
import {
  findCatalogueItemRow,
  findChildren,
  findMappings,
  queryCatalogueItems,
  queryCrosswalkPairs,
  queryCrosswalks,
  queryFrameworks,
  toCatalogueItem,
} from './catalogue.repository.js';

/**
 * Use cases of the catalogue: reading frameworks, items and crosswalks, and keeping the
 * organization's own controls. The built-in frameworks change only through the catalogue files.
 */

export interface ChangeOptions {
  expectedVersion?: number;
  reason?: string | null;
}

export async function listFrameworks(ctx: ServiceContext, caller: Caller): Promise<Framework[]> {
  authorize(caller, 'register.read');
  return queryFrameworks(ctx.database.db);
}

export async function getFramework(ctx: ServiceContext, caller: Caller, id: string): Promise<Framework> {
  authorize(caller, 'register.read');
  const [framework] = await queryFrameworks(ctx.database.db, id);
  if (!framework) throw notFound('framework', id);
  return framework;
}

export async function listCatalogueItems(ctx: ServiceContext, caller: Caller, query: CatalogueItemListQuery): Promise<PageOf<CatalogueItem>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(CatalogueItemListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryCatalogueItems(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toCatalogueItem), total, limit, offset };
}

/** Reads one item with its direct children and every crosswalk pair that touches it. */
export async function getCatalogueItem(ctx: ServiceContext, caller: Caller, ref: string): Promise<CatalogueItemDetail> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = await findCatalogueItemRow(db, ref);
  if (!row) throw notFound('catalogue item', ref);
  return { item: toCatalogueItem(row), children: await findChildren(db, ref), mappings: await findMappings(db, ref) };
}

export async function listCrosswalks(ctx: ServiceContext, caller: Caller): Promise<Crosswalk[]> {
  authorize(caller, 'register.read');
  return queryCrosswalks(ctx.database.db);
}

export async function listCrosswalkPairs(ctx: ServiceContext, caller: Caller, id: string, query: CrosswalkPairQuery): Promise<PageOf<CrosswalkPair>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(CrosswalkPairQuery, query);
  const [crosswalk] = await queryCrosswalks(ctx.database.db, id);
  if (!crosswalk) throw notFound('crosswalk', id);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryCrosswalkPairs(ctx.database.db, id, parsed, limit, offset);
  return { items: rows, total, limit, offset };
}

export async function createOrganizationControl(ctx: ServiceContext, caller: Caller, input: CreateOrganizationControl, reason?: string | null): Promise<CatalogueItem> {
  authorize(caller, 'catalogue.write');
  const parsed = parseWith(CreateOrganizationControl, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const ref = refOf(organizationFrameworkId, parsed.itemId);
    // An identifier such as A.2.2 would read as an Annex A control in every export.
    if (await findCatalogueItemRow(trx, refOf(iso42001FrameworkId, parsed.itemId))) {
      throw validationFailed([
        { path: '/itemId', message: `"${parsed.itemId}" is an ISO/IEC 42001 identifier; give the organization's control an identifier of its own, such as ORG-1` },
      ]);
    }
    if (await findCatalogueItemRow(trx, ref)) {
      throw new AppError('CONFLICT', `The organization already has a control "${parsed.itemId}"; choose another identifier or change that control`, [
        { path: '/itemId', message: 'must be unique' },
      ]);
    }
    const last = await trx
      .selectFrom('catalogue_items')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('framework_id', '=', organizationFrameworkId)
      .executeTakeFirst();
    const item: CatalogueItem = {
      ref,
      frameworkId: organizationFrameworkId,
      itemId: parsed.itemId,
      parentRef: null,
      kind: 'control',
      title: parsed.title.trim(),
      summary: parsed.summary.trim(),
      evidenceGuidance: parsed.evidenceGuidance?.trim() ?? '',
      documentedInformation: null,
      assessable: true,
      weight: parsed.weight ?? 1,
      attributes: {},
      position: last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await trx.insertInto('catalogue_items').values(toItemRow(item)).execute();
    await appendAuditEvent(trx, caller, now, { action: 'catalogue_item.created', recordId: ref, after: item, reason: reason ?? null });

    // An open Statement of Applicability draft must decide the new control before approval.
    const entry = await addControlToOpenDraft(trx, ref, now);
    if (entry) {
      await appendAuditEvent(trx, caller, now, { action: 'soa_entry.created', recordId: entry.soa_version_id, after: entry, reason: reason ?? null });
    }
    return item;
  });
}

export async function updateOrganizationControl(
  ctx: ServiceContext,
  caller: Caller,
  ref: string,
  patch: UpdateOrganizationControl,
  options: ChangeOptions = {},
): Promise<CatalogueItem> {
  authorize(caller, 'catalogue.write');
  const parsed = parseWith(UpdateOrganizationControl, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadOrganizationControl(trx, ref, options.expectedVersion);
    const now = ctx.clock.now();
    const after: CatalogueItem = {
      ...before,
      title: parsed.title?.trim() ?? before.title,
      summary: parsed.summary?.trim() ?? before.summary,
      evidenceGuidance: parsed.evidenceGuidance?.trim() ?? before.evidenceGuidance,
      weight: parsed.weight ?? before.weight,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await trx.updateTable('catalogue_items').set(toItemRow(after)).where('ref', '=', ref).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'catalogue_item.updated', recordId: ref, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Removes one of the organization's controls that no record links to any more. */
export async function deleteOrganizationControl(ctx: ServiceContext, caller: Caller, ref: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'catalogue.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadOrganizationControl(trx, ref, options.expectedVersion);
    try {
      await trx.deleteFrom('catalogue_items').where('ref', '=', ref).execute();
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      throw new AppError(
        'CONFLICT',
        `The control ${ref} is still used by a Statement of Applicability, an assessment, evidence, a document or a risk treatment; remove those links first, or keep the control`,
      );
    }
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'catalogue_item.deleted', recordId: ref, before, reason: options.reason ?? null });
  });
}

async function loadOrganizationControl(trx: Db, ref: string, expectedVersion: number | undefined): Promise<CatalogueItem> {
  const row = await findCatalogueItemRow(trx, ref);
  if (!row) throw notFound('catalogue item', ref);
  if (row.framework_id !== organizationFrameworkId) {
    throw new AppError('CONFLICT', `${ref} belongs to the built-in framework ${row.framework_id}, which changes only with custos's catalogue files; only the organization's own controls (org:…) can be changed`);
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionMismatch('catalogue item', ref, expectedVersion, row.version);
  return toCatalogueItem(row);
}

function toItemRow(item: CatalogueItem) {
  return {
    ref: item.ref,
    framework_id: item.frameworkId,
    item_id: item.itemId,
    parent_ref: item.parentRef,
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    evidence_guidance: item.evidenceGuidance,
    documented_information: item.documentedInformation,
    assessable: item.assessable ? 1 : 0,
    weight: item.weight,
    attributes: JSON.stringify(item.attributes),
    position: item.position,
    version: item.version,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
  };
}
