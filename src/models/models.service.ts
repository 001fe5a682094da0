import { ensureComponentOfKind } from '../components/third-party-components.service.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { CreateModel, ModelListQuery, UpdateModel, type Model } from './model.schemas.js';
import { countModelVersions, findModelRow, findModelRowByName, queryModels, toModel, toModelRow } from './models.repository.js';

/**
 * Use cases of models. Each checks access first and audits every change in its transaction.
 * Versions, training data and deployments have their own services beside this one.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listModels(ctx: ServiceContext, caller: Caller, query: ModelListQuery): Promise<PageOf<Model>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ModelListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryModels(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toModel), total, limit, offset };
}

export async function getModel(ctx: ServiceContext, caller: Caller, id: string): Promise<Model> {
  authorize(caller, 'register.read');
  const row = await findModelRow(ctx.database.db, id);
  if (!row) throw notFound('model', id);
  return toModel(row);
}

export async function createModel(ctx: ServiceContext, caller: Caller, input: CreateModel, reason?: string | null): Promise<Model> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateModel, input);
  return writeTransaction(ctx.database, (trx) => insertModel(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Inserts a model inside the caller's write transaction, with its audit event. */
export async function insertModel(trx: Db, caller: Caller, now: Date, input: CreateModel, reason: string | null = null): Promise<Model> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateModel, input);
  const timestamp = toTimestamp(now);
  const model: Model = {
    id: newId(),
    name: parsed.name.trim(),
    description: parsed.description ?? '',
    thirdPartyComponentId: parsed.thirdPartyComponentId ?? null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };

  await ensureComponentOfKind(trx, model.thirdPartyComponentId, 'model', '/thirdPartyComponentId');
  await ensureNameFree(trx, model);
  try {
    await trx.insertInto('models').values(toModelRow(model)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(model.name);
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'model.created', recordId: model.id, after: model, reason });
  return model;
}

export async function updateModel(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateModel, options: ChangeOptions = {}): Promise<Model> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(UpdateModel, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: Model = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };

    if (parsed.thirdPartyComponentId !== undefined) {
      await ensureComponentOfKind(trx, after.thirdPartyComponentId, 'model', '/thirdPartyComponentId');
    }
    if (after.name !== before.name) await ensureNameFree(trx, after);
    try {
      await trx.updateTable('models').set(toModelRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(after.name);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'model.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Deletes a model that has no versions left; each version is deleted, and audited, on its own first. */
export async function deleteModel(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const versions = await countModelVersions(trx, id);
    if (versions > 0) {
      throw new AppError(
        'CONFLICT',
        `The model "${before.name}" still has ${versions} version${versions === 1 ? '' : 's'}; delete its versions first, or keep the model as the record of its history`,
      );
    }
    await trx.deleteFrom('models').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'model.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Model> {
  const row = await findModelRow(trx, id);
  if (!row) throw notFound('model', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('model', id, expectedVersion, row.version);
  }
  return toModel(row);
}

async function ensureNameFree(trx: Db, model: Model): Promise<void> {
  const clash = await findModelRowByName(trx, model.name);
  if (clash && clash.id !== model.id) throw nameTaken(model.name);
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', `A model named "${name}" already exists; choose another name or add a version to the existing model`, [
    { path: '/name', message: 'must be unique' },
  ]);
}

// The demo loader and other callers that write several records in one transaction find every
// model insert and link here.
export { insertModelVersion } from './model-versions.service.js';
export { linkTrainingData } from './training-data.service.js';
export { linkModelVersionToAiSystem } from './deployments.service.js';
