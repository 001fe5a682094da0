import { markClassificationStaleIfInputsChanged } from '../classification/reevaluation.service.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import type { TrainingDataPurpose } from './model.js';
import { LinkTrainingData, type TrainingDataEntry, type TrainingDataLink } from './model.schemas.js';
import { modelVersionNotFound } from './model-versions.service.js';
import { findModelVersionRow, findModelVersionRowById } from './models.repository.js';
import { findTrainingData } from './training-data.repository.js';

/** Use cases of the links that record which dataset versions a model version was trained, validated and tested on. */

/** Lists the data of a model version: training first, then validation, then test. */
export async function listTrainingData(ctx: ServiceContext, caller: Caller, modelId: string, versionId: string): Promise<TrainingDataEntry[]> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  if (!(await findModelVersionRow(db, modelId, versionId))) throw modelVersionNotFound(modelId, versionId);
  const entries = await findTrainingData(db, [versionId]);
  return entries.map(({ purpose, dataset, datasetVersion }) => ({ purpose, dataset, datasetVersion }));
}

export async function addTrainingData(
  ctx: ServiceContext,
  caller: Caller,
  modelId: string,
  versionId: string,
  input: LinkTrainingData,
  reason?: string | null,
): Promise<TrainingDataLink> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(LinkTrainingData, input);
  return writeTransaction(ctx.database, async (trx) => {
    if (!(await findModelVersionRow(trx, modelId, versionId))) throw modelVersionNotFound(modelId, versionId);
    return linkTrainingData(trx, caller, ctx.clock.now(), versionId, parsed, reason ?? null);
  });
}

/**
 * Records inside the caller's write transaction that a model version used a dataset version
 * for training, validation or test, with its audit event. An unknown model version gives
 * NOT_FOUND, and an unknown dataset version gives VALIDATION_FAILED at /datasetVersionId.
 */
export async function linkTrainingData(
  trx: Db,
  caller: Caller,
  now: Date,
  modelVersionId: string,
  input: LinkTrainingData,
  reason: string | null = null,
): Promise<TrainingDataLink> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(LinkTrainingData, input);
  const modelVersion = await findModelVersionRowById(trx, modelVersionId);
  if (!modelVersion) throw notFound('model version', modelVersionId);
  const datasetVersion = await trx.selectFrom('dataset_versions').select(['id', 'version_label']).where('id', '=', parsed.datasetVersionId).executeTakeFirst();
  if (!datasetVersion) {
    throw validationFailed([
      { path: '/datasetVersionId', message: `no dataset version with id "${parsed.datasetVersionId}" exists; add the dataset version first` },
    ]);
  }

  const link: TrainingDataLink = { modelVersionId, datasetVersionId: parsed.datasetVersionId, purpose: parsed.purpose };
  const duplicate = () =>
    new AppError(
      'CONFLICT',
      `The model version "${modelVersion.version_label}" already records dataset version "${datasetVersion.version_label}" (${parsed.datasetVersionId}) as ${parsed.purpose} data`,
    );
  if (await findLink(trx, link)) throw duplicate();
  try {
    await trx
      .insertInto('model_training_data')
      .values({ model_version_id: link.modelVersionId, dataset_version_id: link.datasetVersionId, purpose: link.purpose })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'model_version.training_data_linked', recordId: modelVersionId, after: link, reason });
  await markDeployingSystemsStale(trx, caller, now, modelVersionId, reason);
  return link;
}

export async function removeTrainingData(
  ctx: ServiceContext,
  caller: Caller,
  modelId: string,
  versionId: string,
  datasetVersionId: string,
  purpose: TrainingDataPurpose,
  reason?: string | null,
): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    if (!(await findModelVersionRow(trx, modelId, versionId))) throw modelVersionNotFound(modelId, versionId);
    const link: TrainingDataLink = { modelVersionId: versionId, datasetVersionId, purpose };
    if (!(await findLink(trx, link))) {
      throw new AppError('NOT_FOUND', `The model version "${versionId}" records no dataset version "${datasetVersionId}" as ${purpose} data; list its training data to see the links`);
    }
    await trx
      .deleteFrom('model_training_data')
      .where('model_version_id', '=', versionId)
      .where('dataset_version_id', '=', datasetVersionId)
      .where('purpose', '=', purpose)
      .execute();
    const now = ctx.clock.now();
    await appendAuditEvent(trx, caller, now, { action: 'model_version.training_data_unlinked', recordId: versionId, before: link, reason: reason ?? null });
    await markDeployingSystemsStale(trx, caller, now, versionId, reason ?? null);
  });
}

async function findLink(trx: Db, link: TrainingDataLink): Promise<boolean> {
  const row = await trx
    .selectFrom('model_training_data')
    .select('purpose')
    .where('model_version_id', '=', link.modelVersionId)
    .where('dataset_version_id', '=', link.datasetVersionId)
    .where('purpose', '=', link.purpose)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The data sources of a deployed model version are inputs of its AI systems' classifications, so
 * each system that deploys the version is checked for a stale classification.
 */
async function markDeployingSystemsStale(trx: Db, caller: Caller, now: Date, modelVersionId: string, reason: string | null): Promise<void> {
  const systems = await trx.selectFrom('ai_system_model_versions').select('ai_system_id').distinct().where('model_version_id', '=', modelVersionId).execute();
  for (const system of systems) await markClassificationStaleIfInputsChanged(trx, caller, now, system.ai_system_id, reason);
}
