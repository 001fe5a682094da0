import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import type { DeploymentEnvironment } from '../ai-systems/ai-system.js';
import { markClassificationStaleIfInputsChanged } from '../classification/reevaluation.service.js';
import { LinkModelVersion, type Deployment } from './model.schemas.js';
import { findModelVersionRowById } from './models.repository.js';

/** Use cases of the links that record which model version runs in which AI system and environment. */

export async function deployModelVersion(
  ctx: ServiceContext,
  caller: Caller,
  aiSystemId: string,
  input: LinkModelVersion,
  reason?: string | null,
): Promise<Deployment> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(LinkModelVersion, input);
  return writeTransaction(ctx.database, (trx) => linkModelVersionToAiSystem(trx, caller, ctx.clock.now(), aiSystemId, parsed, reason ?? null));
}

/**
 * Records inside the caller's write transaction that a model version runs in an environment of
 * an AI system, with its audit event. An unknown AI system gives NOT_FOUND, and an unknown
 * model version gives VALIDATION_FAILED at /modelVersionId.
 */
export async function linkModelVersionToAiSystem(
  trx: Db,
  caller: Caller,
  now: Date,
  aiSystemId: string,
  input: LinkModelVersion,
  reason: string | null = null,
): Promise<Deployment> {
  authorize(caller, 'inventory.write');
  const parsed = parseWith(LinkModelVersion, input);
  const system = await trx.selectFrom('ai_systems').select(['id', 'name']).where('id', '=', aiSystemId).executeTakeFirst();
  if (!system) throw notFound('AI system', aiSystemId);
  const modelVersion = await findModelVersionRowById(trx, parsed.modelVersionId);
  if (!modelVersion) {
    throw validationFailed([{ path: '/modelVersionId', message: `no model version with id "${parsed.modelVersionId}" exists; add the model version first` }]);
  }

  const deployment: Deployment = { aiSystemId, modelVersionId: parsed.modelVersionId, environment: parsed.environment };
  const duplicate = () =>
    new AppError(
      'CONFLICT',
      `The model version "${modelVersion.version_label}" (${parsed.modelVersionId}) already runs in ${parsed.environment} of the AI system "${system.name}"`,
    );
  if (await findDeployment(trx, deployment)) throw duplicate();
  try {
    await trx
      .insertInto('ai_system_model_versions')
      .values({ ai_system_id: aiSystemId, model_version_id: deployment.modelVersionId, environment: deployment.environment })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'ai_system.model_version_linked', recordId: aiSystemId, after: deployment, reason });
  await markClassificationStaleIfInputsChanged(trx, caller, now, aiSystemId, reason);
  return deployment;
}

/** Records that a model version no longer runs in an environment of an AI system. */
export async function withdrawModelVersion(
  ctx: ServiceContext,
  caller: Caller,
  aiSystemId: string,
  modelVersionId: string,
  environment: DeploymentEnvironment,
  reason?: string | null,
): Promise<void> {
  authorize(caller, 'inventory.write');
  await writeTransaction(ctx.database, async (trx) => {
    const system = await trx.selectFrom('ai_systems').select('id').where('id', '=', aiSystemId).executeTakeFirst();
    if (!system) throw notFound('AI system', aiSystemId);
    const deployment: Deployment = { aiSystemId, modelVersionId, environment };
    if (!(await findDeployment(trx, deployment))) {
      throw new AppError('NOT_FOUND', `The model version "${modelVersionId}" does not run in ${environment} of the AI system "${aiSystemId}"; read the system's lineage to see what runs where`);
    }
    await trx
      .deleteFrom('ai_system_model_versions')
      .where('ai_system_id', '=', aiSystemId)
      .where('model_version_id', '=', modelVersionId)
      .where('environment', '=', environment)
      .execute();
    const now = ctx.clock.now();
    await appendAuditEvent(trx, caller, now, { action: 'ai_system.model_version_unlinked', recordId: aiSystemId, before: deployment, reason: reason ?? null });
    await markClassificationStaleIfInputsChanged(trx, caller, now, aiSystemId, reason ?? null);
  });
}

async function findDeployment(trx: Db, deployment: Deployment): Promise<boolean> {
  const row = await trx
    .selectFrom('ai_system_model_versions')
    .select('environment')
    .where('ai_system_id', '=', deployment.aiSystemId)
    .where('model_version_id', '=', deployment.modelVersionId)
    .where('environment', '=', deployment.environment)
    .executeTakeFirst();
  return row !== undefined;
}
