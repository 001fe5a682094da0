import type { Db } from '../platform/database/connection.js';
import type { ModelTable, ModelVersionTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { Model, ModelListQuery, ModelSortKey, ModelVersion, ModelVersionListQuery, ModelVersionSortKey } from './model.schemas.js';

/** Reads and writes models and model_versions rows and turns them into the API's shape. */

const modelSortColumns: Record<ModelSortKey, keyof ModelTable> = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' };
const versionSortColumns: Record<ModelVersionSortKey, keyof ModelVersionTable> = { versionLabel: 'version_label', createdAt: 'created_at' };

export function toModel(row: ModelTable): Model {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    thirdPartyComponentId: row.third_party_component_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toModelRow(model: Model): ModelTable {
  return {
    id: model.id,
    name: model.name,
    description: model.description,
    third_party_component_id: model.thirdPartyComponentId,
    version: model.version,
    created_at: model.createdAt,
    updated_at: model.updatedAt,
  };
}

export function toModelVersion(row: ModelVersionTable): ModelVersion {
  return {
    id: row.id,
    modelId: row.model_id,
    versionLabel: row.version_label,
    description: row.description,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toModelVersionRow(version: ModelVersion): ModelVersionTable {
  return {
    id: version.id,
    model_id: version.modelId,
    version_label: version.versionLabel,
    description: version.description,
    version: version.version,
    created_at: version.createdAt,
    updated_at: version.updatedAt,
  };
}

export async function findModelRow(db: Db, id: string): Promise<ModelTable | undefined> {
  return db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findModelRowByName(db: Db, name: string): Promise<ModelTable | undefined> {
  return db.selectFrom('models').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Finds a version by its id alone, for links that name only the version. */
export async function findModelVersionRowById(db: Db, versionId: string): Promise<ModelVersionTable | undefined> {
  return db.selectFrom('model_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
}

export async function findModelVersionRow(db: Db, modelId: string, versionId: string): Promise<ModelVersionTable | undefined> {
  return db.selectFrom('model_versions').selectAll().where('id', '=', versionId).where('model_id', '=', modelId).executeTakeFirst();
}

export async function findModelVersionRowByLabel(db: Db, modelId: string, label: string): Promise<ModelVersionTable | undefined> {
  return db.selectFrom('model_versions').selectAll().where('model_id', '=', modelId).where('version_label', '=', label).executeTakeFirst();
}

export async function countModelVersions(db: Db, modelId: string): Promise<number> {
  const row = await db
    .selectFrom('model_versions')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('model_id', '=', modelId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** AI systems and environments the model version runs in, which keep it from being deleted. */
export async function findDeploymentsOfVersion(db: Db, versionId: string): Promise<{ systemName: string; environment: string }[]> {
  return db
    .selectFrom('ai_system_model_versions')
    .innerJoin('ai_systems', 'ai_systems.id', 'ai_system_model_versions.ai_system_id')
    .select(['ai_systems.name as systemName', 'ai_system_model_versions.environment as environment'])
    .where('ai_system_model_versions.model_version_id', '=', versionId)
    .orderBy('ai_systems.name')
    .orderBy('ai_system_model_versions.environment')
    .execute();
}

export async function queryModels(db: Db, query: ModelListQuery, limit: number, offset: number): Promise<{ rows: ModelTable[]; total: number }> {
  let filtered = db.selectFrom('models');
  if (query.q) filtered = filtered.where(containsText(['name', 'description'], query.q));
  if (query.thirdPartyComponentId) filtered = filtered.where('third_party_component_id', '=', query.thirdPartyComponentId);
  const { key, order } = parseSort<ModelSortKey>(query.sort ?? 'name');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(modelSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function queryModelVersions(
  db: Db,
  modelId: string,
  query: ModelVersionListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: ModelVersionTable[]; total: number }> {
  const filtered = db.selectFrom('model_versions').where('model_id', '=', modelId);
  const { key, order } = parseSort<ModelVersionSortKey>(query.sort ?? 'createdAt');

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy(versionSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
