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
import { CreateDataset, DatasetListQuery, UpdateDataset, type Dataset } from './dataset.schemas.js';
import {
  countDatasetVersions,
  findDatasetRow,
  findDatasetRowByName,
  queryDatasets,
  toDataset,
  toDatasetRow,
} from './datasets.repository.js';

/**
 * Use cases of datasets. Each checks access first and audits every change in its transaction.
 * The versions of a dataset, with their fingerprints, are in dataset-versions.service.ts.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listDatasets(ctx: ServiceContext, caller: Caller, query: DatasetListQuery): Promise<PageOf<Dataset>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(DatasetListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryDatasets(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toDataset), total, limit, offset };
}

export async function getDataset(ctx: ServiceContext, caller: Caller, id: string): Promise<Dataset> {
  authorize(caller, 'register.read');
  const row = await findDatasetRow(ctx.database.db, id);
  if (!row) throw notFound('dataset', id);
  return toDataset(row);
}

/** Finds a dataset by its unique name, for the CLI. Throws NOT_FOUND naming the value. */
export async function getDatasetByName(ctx: ServiceContext, caller: Caller, name: string): Promise<Dataset> {
  authorize(caller, 'register.read');
  const row = await findDatasetRowByName(ctx.database.db, name.trim());
  if (!row) throw new AppError('NOT_FOUND', `No dataset named "${name}" exists; check the name or create the dataset with POST /api/datasets`);
  return toDataset(row);
}

export async function createDataset(ctx: ServiceContext, caller: Caller, input: CreateDataset, reason?: string | null): Promise<Dataset> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateDataset, input);
  return writeTransaction(ctx.database, (trx) => insertDataset(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Inserts a dataset inside the caller's write transaction, with its audit event. */
export async function insertDataset(trx: Db, caller: Caller, now: Date, input: CreateDataset, reason: string | null = null): Promise<Dataset> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateDataset, input);
  const timestamp = toTimestamp(now);
  const dataset: Dataset = {
    id: newId(),
    name: parsed.name.trim(),
    description: parsed.description ?? '',
    source: parsed.source ?? '',
    containsPersonalData: parsed.containsPersonalData,
    thirdPartyComponentId: parsed.thirdPartyComponentId ?? null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };

  await ensureComponentOfKind(trx, dataset.thirdPartyComponentId, 'dataset', '/thirdPartyComponentId');
  await ensureNameFree(trx, dataset);
  try {
    await trx.insertInto('datasets').values(toDatasetRow(dataset)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(dataset.name);
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'dataset.created', recordId: dataset.id, after: dataset, reason });
  return dataset;
}

export async function updateDataset(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateDataset, options: ChangeOptions = {}): Promise<Dataset> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(UpdateDataset, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: Dataset = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };

    if (parsed.thirdPartyComponentId !== undefined) {
      await ensureComponentOfKind(trx, after.thirdPartyComponentId, 'dataset', '/thirdPartyComponentId');
    }
    if (after.name !== before.name) await ensureNameFree(trx, after);
    try {
      await trx.updateTable('datasets').set(toDatasetRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(after.name);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'dataset.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Deletes a dataset that has no versions left; each version is deleted, and audited, on its own first. */
export async function deleteDataset(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const versions = await countDatasetVersions(trx, id);
    if (versions > 0) {
      throw new AppError(
        'CONFLICT',
        `The dataset "${before.name}" still has ${versions} version${versions === 1 ? '' : 's'}; delete its versions first, or keep the dataset as the record of its history`,
      );
    }
    await trx.deleteFrom('datasets').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'dataset.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Dataset> {
  const row = await findDatasetRow(trx, id);
  if (!row) throw notFound('dataset', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('dataset', id, expectedVersion, row.version);
  }
  return toDataset(row);
}

async function ensureNameFree(trx: Db, dataset: Dataset): Promise<void> {
  const clash = await findDatasetRowByName(trx, dataset.name);
  if (clash && clash.id !== dataset.id) throw nameTaken(dataset.name);
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', `A dataset named "${name}" already exists; choose another name or add a version to the existing dataset`, [
    { path: '/name', message: 'must be unique' },
  ]);
}

// The demo loader and other callers that write several records in one transaction find every
// dataset insert here.
export { insertDatasetVersion, insertDatasetVersionFromFile } from './dataset-versions.service.js';
