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
import { CreateModelVersion, ModelVersionListQuery, UpdateModelVersion, type ModelVersion } from './model.schemas.js';
import type { ChangeOptions } from './models.service.js';
import {
  findDeploymentsOfVersion,
  findModelRow,
  findModelVersionRow,
  findModelVersionRowByLabel,
  queryModelVersions,
  toModelVersion,
  toModelVersionRow,
} from './models.repository.js';
import { findTrainingData } from './training-data.repository.js';

/** Use cases of model versions. Each checks access first and audits every change in its transaction. */

export async function listModelVersions(ctx: ServiceContext, caller: Caller, modelId: string, query: ModelVersionListQuery): Promise<PageOf<ModelVersion>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ModelVersionListQuery, query);
  const db = ctx.database.db;
  if (!(await findModelRow(db, modelId))) throw notFound('model', modelId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryModelVersions(db, modelId, parsed, limit, offset);
  return { items: rows.map(toModelVersion), total, limit, offset };
}

export async function getModelVersion(ctx: ServiceContext, caller: Caller, modelId: string, versionId: string): Promise<ModelVersion> {
  authorize(caller, 'register.read');
  const row = await findModelVersionRow(ctx.database.db, modelId, versionId);
  if (!row) throw modelVersionNotFound(modelId, versionId);
  return toModelVersion(row);
}

export async function createModelVersion(
  ctx: ServiceContext,
  caller: Caller,
  modelId: string,
  input: CreateModelVersion,
  reason?: string | null,
): Promise<ModelVersion> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateModelVersion, input);
  return writeTransaction(ctx.database, (trx) => insertModelVersion(trx, caller, ctx.clock.now(), modelId, parsed, reason ?? null));
}

/** Inserts a version of a model inside the caller's write transaction, with its audit event. */
export async function insertModelVersion(
  trx: Db,
  caller: Caller,
  now: Date,
  modelId: string,
  input: CreateModelVersion,
  reason: string | null = null,
): Promise<ModelVersion> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(CreateModelVersion, input);
  const model = await findModelRow(trx, modelId);
  if (!model) throw notFound('model', modelId);

  const timestamp = toTimestamp(now);
  const version: ModelVersion = {
    id: newId(),
    modelId,
    versionLabel: parsed.versionLabel.trim(),
    description: parsed.description ?? '',
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await ensureLabelFree(trx, model.name, version);
  try {
    await trx.insertInto('model_versions').values(toModelVersionRow(version)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw labelTaken(model.name, version.versionLabel);
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'model_version.created', recordId: version.id, after: version, reason });
  return version;
}

export async function updateModelVersion(
  ctx: ServiceContext,
  caller: Caller,
  modelId: string,
  versionId: string,
  patch: UpdateModelVersion,
  options: ChangeOptions = {},
): Promise<ModelVersion> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(UpdateModelVersion, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, modelId, versionId, options.expectedVersion);
    const now = ctx.clock.now();
    const after: ModelVersion = {
      ...before,
      ...parsed,
      versionLabel: parsed.versionLabel?.trim() ?? before.versionLabel,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };

    // The version belongs to this model, so the model row exists while the write lock is held.
    const model = (await findModelRow(trx, modelId))!;
    if (after.versionLabel !== before.versionLabel) await ensureLabelFree(trx, model.name, after);
    try {
      await trx.updateTable('model_versions').set(toModelVersionRow(after)).where('id', '=', versionId).where('version', '=', before.version).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw labelTaken(model.name, after.versionLabel);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'model_version.updated', recordId: versionId, before, after, reason: options.reason ?? null });
    return after;
  });
}

/**
 * Deletes a version that runs in no AI system. Its training data links go with it, and the
 * audit event's `before` lists them, so the trail keeps what the version was trained on.
 */
export async function deleteModelVersion(
  ctx: ServiceContext,
  caller: Caller,
  modelId: string,
  versionId: string,
  options: ChangeOptions = {},
): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const version = await loadForChange(trx, modelId, versionId, options.expectedVersion);
    const deployments = await findDeploymentsOfVersion(trx, versionId);
    if (deployments.length > 0) {
      const named = deployments.map((deployment) => `"${deployment.systemName}" (${deployment.environment})`).join(', ');
      throw new AppError('CONFLICT', `The model version "${version.versionLabel}" runs in the AI system ${named}; withdraw it from there first`);
    }
    const measured = await trx.selectFrom('measurement_runs').select((eb) => eb.fn.countAll<number>().as('count')).where('model_version_id', '=', versionId).executeTakeFirstOrThrow();
    if (Number(measured.count) > 0) {
      throw new AppError(
        'CONFLICT',
        `The model version "${version.versionLabel}" is named by ${Number(measured.count)} measurement run(s), which are kept as evidence; it cannot be deleted`,
      );
    }

    const trainingData = (await findTrainingData(trx, [versionId])).map((entry) => ({
      purpose: entry.purpose,
      datasetVersionId: entry.datasetVersion.id,
      sha256: entry.datasetVersion.sha256,
    }));
    await trx.deleteFrom('model_training_data').where('model_version_id', '=', versionId).execute();
    await trx.deleteFrom('model_versions').where('id', '=', versionId).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), {
      action: 'model_version.deleted',
      recordId: versionId,
      before: { ...version, trainingData },
      reason: options.reason ?? null,
    });
  });
}

async function loadForChange(trx: Db, modelId: string, versionId: string, expectedVersion: number | undefined): Promise<ModelVersion> {
  const row = await findModelVersionRow(trx, modelId, versionId);
  if (!row) throw modelVersionNotFound(modelId, versionId);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('model version', versionId, expectedVersion, row.version);
  }
  return toModelVersion(row);
}

async function ensureLabelFree(trx: Db, modelName: string, version: ModelVersion): Promise<void> {
  const clash = await findModelVersionRowByLabel(trx, version.modelId, version.versionLabel);
  if (clash && clash.id !== version.id) throw labelTaken(modelName, version.versionLabel);
}

function labelTaken(modelName: string, versionLabel: string): AppError {
  return new AppError('CONFLICT', `The model "${modelName}" already has a version labelled "${versionLabel}"; choose another label`, [
    { path: '/versionLabel', message: 'must be unique within its model' },
  ]);
}

export function modelVersionNotFound(modelId: string, versionId: string): AppError {
  return new AppError('NOT_FOUND', `No version with id "${versionId}" exists in model "${modelId}"; list the model's versions to find its id`);
}
