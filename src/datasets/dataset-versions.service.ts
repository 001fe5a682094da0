import path from 'node:path';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
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
import { DatasetVersionListQuery, DatasetVersionUploadQuery, FileLocation, VersionLabel, type DatasetVersion } from './dataset.schemas.js';
import {
  findDatasetRow,
  findDatasetVersionRow,
  findDatasetVersionRowByLabel,
  findTrainingUses,
  queryDatasetVersions,
  toDatasetVersion,
  toDatasetVersionRow,
} from './datasets.repository.js';
import { fingerprintFile, fingerprintStream, type Fingerprint } from './fingerprint.js';

/**
 * Use cases of dataset versions. A version's SHA-256 is always computed here from the file's
 * bytes, which stream through the hash and are neither kept in memory nor stored.
 */

const NewVersionFields = Type.Object({ versionLabel: VersionLabel, location: FileLocation });

/** A version about to be inserted, with the fingerprint computed from its file. */
export interface NewDatasetVersion {
  versionLabel: string;
  location: string;
  fingerprint: Fingerprint;
}

export async function listDatasetVersions(
  ctx: ServiceContext,
  caller: Caller,
  datasetId: string,
  query: DatasetVersionListQuery,
): Promise<PageOf<DatasetVersion>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(DatasetVersionListQuery, query);
  const db = ctx.database.db;
  if (!(await findDatasetRow(db, datasetId))) throw notFound('dataset', datasetId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryDatasetVersions(db, datasetId, parsed, limit, offset);
  return { items: rows.map(toDatasetVersion), total, limit, offset };
}

export async function getDatasetVersion(ctx: ServiceContext, caller: Caller, datasetId: string, versionId: string): Promise<DatasetVersion> {
  authorize(caller, 'register.read');
  const row = await findDatasetVersionRow(ctx.database.db, datasetId, versionId);
  if (!row) throw versionNotFound(datasetId, versionId);
  return toDatasetVersion(row);
}

/**
 * Adds a version from an uploaded body. The dataset and label are checked before the body is
 * read, so that a mistake costs no upload time. A body over the configured limit fails with 413.
 */
export async function addDatasetVersionFromUpload(
  ctx: ServiceContext,
  caller: Caller,
  datasetId: string,
  query: DatasetVersionUploadQuery,
  body: Readable,
): Promise<DatasetVersion> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(DatasetVersionUploadQuery, query);
  await ensureVersionCanBeAdded(ctx.database.db, datasetId, parsed.versionLabel.trim());
  const fingerprint = await fingerprintStream(body, ctx.config.datasetUploadLimitBytes);
  const version = { versionLabel: parsed.versionLabel, location: parsed.location, fingerprint };
  return writeTransaction(ctx.database, (trx) => insertDatasetVersion(trx, caller, ctx.clock.now(), datasetId, version, parsed.reason ?? null));
}

/** Adds a version from a local file, hashed before the write transaction starts. The location defaults to the file's absolute path. */
export async function addDatasetVersionFromFile(
  ctx: ServiceContext,
  caller: Caller,
  datasetId: string,
  versionLabel: string,
  filePath: string,
  options: { location?: string; reason?: string | null } = {},
): Promise<DatasetVersion> {
  authorize(caller, 'inventory.write');
  const fields = parseWith(NewVersionFields, { versionLabel, location: options.location ?? path.resolve(filePath) });
  await ensureVersionCanBeAdded(ctx.database.db, datasetId, fields.versionLabel.trim());
  const fingerprint = await fingerprintFile(filePath);
  return writeTransaction(ctx.database, (trx) =>
    insertDatasetVersion(trx, caller, ctx.clock.now(), datasetId, { ...fields, fingerprint }, options.reason ?? null),
  );
}

/**
 * Fingerprints a local file and inserts it as a version inside the caller's write transaction.
 * The file is read while the transaction keeps the write lock, so for large files call
 * fingerprintFile first and then insertDatasetVersion.
 */
export async function insertDatasetVersionFromFile(
  trx: Db,
  caller: Caller,
  now: Date,
  datasetId: string,
  versionLabel: string,
  filePath: string,
  options: { location?: string; reason?: string | null } = {},
): Promise<DatasetVersion> {
  authorize(caller, 'inventory.write');
  const fingerprint = await fingerprintFile(filePath);
  const version = { versionLabel, location: options.location ?? path.resolve(filePath), fingerprint };
  return insertDatasetVersion(trx, caller, now, datasetId, version, options.reason ?? null);
}

/** Inserts a version with a fingerprint computed by fingerprintFile or fingerprintStream, with its audit event. */
export async function insertDatasetVersion(
  trx: Db,
  caller: Caller,
  now: Date,
  datasetId: string,
  input: NewDatasetVersion,
  reason: string | null = null,
): Promise<DatasetVersion> {
  authorize(caller, 'inventory.write');
  const fields = parseWith(NewVersionFields, { versionLabel: input.versionLabel, location: input.location });
  const timestamp = toTimestamp(now);
  const version: DatasetVersion = {
    id: newId(),
    datasetId,
    versionLabel: fields.versionLabel.trim(),
    sha256: input.fingerprint.sha256,
    sizeBytes: input.fingerprint.sizeBytes,
    location: fields.location.trim(),
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };

  const datasetName = await ensureVersionCanBeAdded(trx, datasetId, version.versionLabel);
  try {
    await trx.insertInto('dataset_versions').values(toDatasetVersionRow(version)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw labelTaken(datasetName, version.versionLabel);
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'dataset_version.created', recordId: version.id, after: version, reason });
  return version;
}

/** Deletes a version that no model version records as its training, validation or test data. */
export async function deleteDatasetVersion(
  ctx: ServiceContext,
  caller: Caller,
  datasetId: string,
  versionId: string,
  options: { expectedVersion?: number; reason?: string | null } = {},
): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const row = await findDatasetVersionRow(trx, datasetId, versionId);
    if (!row) throw versionNotFound(datasetId, versionId);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
      throw versionMismatch('dataset version', versionId, options.expectedVersion, row.version);
    }
    const uses = await findTrainingUses(trx, versionId);
    if (uses.length > 0) {
      const named = uses.map((use) => `model "${use.modelName}" version "${use.versionLabel}" (${use.purpose})`).join(', ');
      throw new AppError('CONFLICT', `The dataset version "${row.version_label}" is recorded as data of ${named}; remove those links first`);
    }
    const measured = await trx
      .selectFrom('measurement_run_files')
      .select((eb) => eb.fn.count<number>('run_id').distinct().as('count'))
      .where('dataset_version_id', '=', versionId)
      .executeTakeFirstOrThrow();
    if (Number(measured.count) > 0) {
      throw new AppError(
        'CONFLICT',
        `The dataset version "${row.version_label}" was measured by ${Number(measured.count)} measurement run(s), which are kept as evidence; it cannot be deleted`,
      );
    }
    await trx.deleteFrom('dataset_versions').where('id', '=', versionId).execute();
    const before = toDatasetVersion(row);
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'dataset_version.deleted', recordId: versionId, before, reason: options.reason ?? null });
  });
}

/** Checks that the dataset exists and the label is free in it. Returns the dataset's name. */
async function ensureVersionCanBeAdded(db: Db, datasetId: string, versionLabel: string): Promise<string> {
  const dataset = await findDatasetRow(db, datasetId);
  if (!dataset) throw notFound('dataset', datasetId);
  if (await findDatasetVersionRowByLabel(db, datasetId, versionLabel)) throw labelTaken(dataset.name, versionLabel);
  return dataset.name;
}

function labelTaken(datasetName: string, versionLabel: string): AppError {
  return new AppError(
    'CONFLICT',
    `The dataset "${datasetName}" already has a version labelled "${versionLabel}"; choose another label for the new file`,
    [{ path: '/versionLabel', message: 'must be unique within its dataset' }],
  );
}

function versionNotFound(datasetId: string, versionId: string): AppError {
  return new AppError('NOT_FOUND', `No version with id "${versionId}" exists in dataset "${datasetId}"; list the dataset's versions to find its id`);
}
