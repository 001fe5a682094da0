import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import type { ComponentKind } from './third-party-component.js';
import {
  CreateThirdPartyComponent,
  ThirdPartyComponentListQuery,
  UpdateThirdPartyComponent,
  type ThirdPartyComponent,
} from './third-party-component.schemas.js';
import {
  findClashingComponent,
  findComponentRow,
  findComponentUsers,
  queryComponents,
  toRow,
  toThirdPartyComponent,
} from './third-party-components.repository.js';

/** Use cases of third-party components. Each checks access first and audits every change in its transaction. */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listThirdPartyComponents(
  ctx: ServiceContext,
  caller: Caller,
  query: ThirdPartyComponentListQuery,
): Promise<PageOf<ThirdPartyComponent>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ThirdPartyComponentListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryComponents(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toThirdPartyComponent), total, limit, offset };
}

export async function getThirdPartyComponent(ctx: ServiceContext, caller: Caller, id: string): Promise<ThirdPartyComponent> {
  authorize(caller, 'register.read');
  const row = await findComponentRow(ctx.database.db, id);
  if (!row) throw notFound('third-party component', id);
  return toThirdPartyComponent(row);
}

export async function createThirdPartyComponent(
  ctx: ServiceContext,
  caller: Caller,
  input: CreateThirdPartyComponent,
  reason?: string | null,
): Promise<ThirdPartyComponent> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateThirdPartyComponent, input);
  return writeTransaction(ctx.database, (trx) => insertThirdPartyComponent(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Inserts a component inside the caller's write transaction, with its audit event. */
export async function insertThirdPartyComponent(
  trx: Db,
  caller: Caller,
  now: Date,
  input: CreateThirdPartyComponent,
  reason: string | null = null,
): Promise<ThirdPartyComponent> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateThirdPartyComponent, input);
  const timestamp = toTimestamp(now);
  const component: ThirdPartyComponent = {
    id: newId(),
    name: parsed.name.trim(),
    vendor: parsed.vendor.trim(),
    kind: parsed.kind,
    licence: parsed.licence.trim(),
    componentVersion: parsed.componentVersion.trim(),
    sourceUrl: parsed.sourceUrl ?? null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };

  await ensureUnique(trx, component);
  try {
    await trx.insertInto('third_party_components').values(toRow(component)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw componentTaken(component);
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'third_party_component.created', recordId: component.id, after: component, reason });
  return component;
}

export async function updateThirdPartyComponent(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  patch: UpdateThirdPartyComponent,
  options: ChangeOptions = {},
): Promise<ThirdPartyComponent> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(UpdateThirdPartyComponent, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: ThirdPartyComponent = {
      ...before,
      name: parsed.name?.trim() ?? before.name,
      vendor: parsed.vendor?.trim() ?? before.vendor,
      licence: parsed.licence?.trim() ?? before.licence,
      componentVersion: parsed.componentVersion?.trim() ?? before.componentVersion,
      sourceUrl: parsed.sourceUrl !== undefined ? parsed.sourceUrl : before.sourceUrl,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };

    await ensureUnique(trx, after);
    try {
      await trx.updateTable('third_party_components').set(toRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw componentTaken(after);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'third_party_component.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Deletes a component that no model or dataset points to. */
export async function deleteThirdPartyComponent(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const users = await findComponentUsers(trx, id);
    if (users.models.length > 0 || users.datasets.length > 0) {
      const named = [...users.models.map((name) => `model "${name}"`), ...users.datasets.map((name) => `dataset "${name}"`)];
      throw new AppError(
        'CONFLICT',
        `The third-party component "${before.name}" is still used by ${named.join(', ')}; point them elsewhere or delete them first`,
      );
    }
    await trx.deleteFrom('third_party_components').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'third_party_component.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/**
 * Checks that a model or dataset may point to the component: it must exist and supply the same
 * kind of thing. Throws VALIDATION_FAILED at `path` otherwise.
 */
export async function ensureComponentOfKind(trx: Db, id: string | null, kind: ComponentKind, path: string): Promise<void> {
  if (id === null) return;
  const row = await findComponentRow(trx, id);
  if (!row) {
    throw validationFailed([{ path, message: `no third-party component with id "${id}" exists; create it first or leave ${path.slice(1)} null` }]);
  }
  if (row.kind !== kind) {
    throw validationFailed([{ path, message: `the third-party component "${row.name}" supplies a ${row.kind}, not a ${kind}; choose a ${kind} component` }]);
  }
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<ThirdPartyComponent> {
  const row = await findComponentRow(trx, id);
  if (!row) throw notFound('third-party component', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('third-party component', id, expectedVersion, row.version);
  }
  return toThirdPartyComponent(row);
}

async function ensureUnique(trx: Db, component: ThirdPartyComponent): Promise<void> {
  if (await findClashingComponent(trx, component)) throw componentTaken(component);
}

function componentTaken(component: ThirdPartyComponent): AppError {
  return new AppError(
    'CONFLICT',
    `A third-party component "${component.name}" version "${component.componentVersion}" from vendor "${component.vendor}" already exists; update that record instead`,
    [{ path: '/name', message: 'must be unique together with vendor and componentVersion' }],
  );
}
