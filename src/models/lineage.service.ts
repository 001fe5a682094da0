import { toThirdPartyComponent } from '../components/third-party-components.repository.js';
import type { ThirdPartyComponent } from '../components/third-party-component.schemas.js';
import { deploymentEnvironments, type DeploymentEnvironment, type LifecycleStage } from '../ai-systems/ai-system.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { notFound } from '../platform/errors.js';
import type { AiSystemLineage, ModelVersionLineage } from './lineage.schemas.js';
import { toModel, toModelVersion } from './models.repository.js';
import { findTrainingData, selectInChunks } from './training-data.repository.js';

/**
 * Reads the lineage of an AI system, which shows an auditor what runs where and what it was
 * trained on. For each environment it lists the model versions with their models, their
 * training, validation and test dataset versions with fingerprints, and the third-party
 * components they come from.
 */
export async function getAiSystemLineage(ctx: ServiceContext, caller: Caller, aiSystemId: string): Promise<AiSystemLineage> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const system = await db
    .selectFrom('ai_systems')
    .select(['id', 'name', 'lifecycle_stage', 'deployment_environments', 'version'])
    .where('id', '=', aiSystemId)
    .executeTakeFirst();
  if (!system) throw notFound('AI system', aiSystemId);

  const deployments = await db.selectFrom('ai_system_model_versions').selectAll().where('ai_system_id', '=', aiSystemId).execute();
  const versionIds = [...new Set(deployments.map((deployment) => deployment.model_version_id))];
  const lineageByVersion = await describeModelVersions(db, versionIds);

  const declared = JSON.parse(system.deployment_environments) as DeploymentEnvironment[];
  const environments = deploymentEnvironments
    .filter((environment) => declared.includes(environment) || deployments.some((deployment) => deployment.environment === environment))
    .map((environment) => ({
      environment,
      modelVersions: deployments
        .filter((deployment) => deployment.environment === environment)
        .map((deployment) => lineageByVersion.get(deployment.model_version_id)!)
        .sort((a, b) => a.model.name.localeCompare(b.model.name) || a.modelVersion.versionLabel.localeCompare(b.modelVersion.versionLabel)),
    }));

  return {
    aiSystem: { id: system.id, name: system.name, lifecycleStage: system.lifecycle_stage as LifecycleStage, version: system.version },
    environments,
  };
}

async function describeModelVersions(db: Db, versionIds: readonly string[]): Promise<Map<string, ModelVersionLineage>> {
  const described = new Map<string, ModelVersionLineage>();
  if (versionIds.length === 0) return described;

  const versionRows = await selectInChunks(versionIds, (chunk) => db.selectFrom('model_versions').selectAll().where('id', 'in', chunk).execute());
  const versions = versionRows.map(toModelVersion);
  const modelIds = [...new Set(versions.map((version) => version.modelId))];
  const modelRows = await selectInChunks(modelIds, (chunk) => db.selectFrom('models').selectAll().where('id', 'in', chunk).execute());
  const models = new Map(modelRows.map((row) => [row.id, toModel(row)]));
  const trainingData = await findTrainingData(db, versionIds);

  const componentIds = [
    ...[...models.values()].map((model) => model.thirdPartyComponentId),
    ...trainingData.map((entry) => entry.dataset.thirdPartyComponentId),
  ].filter((id): id is string => id !== null);
  const components = await findComponents(db, componentIds);
  const componentOf = (id: string | null): ThirdPartyComponent | null => (id === null ? null : (components.get(id) ?? null));

  for (const modelVersion of versions) {
    const model = models.get(modelVersion.modelId)!;
    const data: ModelVersionLineage['data'] = { training: [], validation: [], test: [] };
    for (const entry of trainingData.filter((candidate) => candidate.modelVersionId === modelVersion.id)) {
      data[entry.purpose].push({
        dataset: entry.dataset,
        datasetVersion: entry.datasetVersion,
        thirdPartyComponent: componentOf(entry.dataset.thirdPartyComponentId),
      });
    }
    described.set(modelVersion.id, { model, modelVersion, thirdPartyComponent: componentOf(model.thirdPartyComponentId), data });
  }
  return described;
}

async function findComponents(db: Db, ids: readonly string[]): Promise<Map<string, ThirdPartyComponent>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await selectInChunks(unique, (chunk) => db.selectFrom('third_party_components').selectAll().where('id', 'in', chunk).execute());
  return new Map(rows.map((row) => [row.id, toThirdPartyComponent(row)]));
}
