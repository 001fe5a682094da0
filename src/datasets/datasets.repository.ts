import type { Db } from '../platform/database/connection.js';
import type { DatasetTable, DatasetVersionTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type {
  Dataset,
  DatasetListQuery,
  DatasetSortKey,
  DatasetVersion,
  DatasetVersionListQuery,
  DatasetVersionSortKey,
} from './dataset.schemas.js';

/** Reads and writes datasets and dataset_versions rows and turns them into the API's shape. */

const datasetSortColumns: Record<DatasetSortKey, keyof DatasetTable> = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' };
const versionSortColumns: Record<DatasetVersionSortKey, keyof DatasetVersionTable> = { versionLabel: 'version_label', createdAt: 'created_at' };

export function toDataset(row: DatasetTable): Dataset {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: row.source,
    containsPersonalData: row.contains_personal_data === 1,
    thirdPartyComponentId: row.third_party_component_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDatasetRow(dataset: Dataset): DatasetTable {
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    source: dataset.source,
    contains_personal_data: dataset.containsPersonalData ? 1 : 0,
    third_party_component_id: dataset.thirdPartyComponentId,
    version: dataset.version,
    created_at: dataset.createdAt,
    updated_at: dataset.updatedAt,
  };
}

export function toDatasetVersion(row: DatasetVersionTable): DatasetVersion {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    versionLabel: row.version_label,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    location: row.location,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDatasetVersionRow(version: DatasetVersion): DatasetVersionTable {
  return {
    id: version.id,
    dataset_id: version.datasetId,
    version_label: version.versionLabel,
    sha256: version.sha256,
    size_bytes: version.sizeBytes,
    location: version.location,
    version: version.version,
    created_at: version.createdAt,
    updated_at: version.updatedAt,
  };
}

export async function findDatasetRow(db: Db, id: string): Promise<DatasetTable | undefined> {
  return db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDatasetRowByName(db: Db, name: string): Promise<DatasetTable | undefined> {
  return db.selectFrom('datasets').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findDatasetVersionRow(db: Db, datasetId: string, versionId: string): Promise<DatasetVersionTable | undefined> {
  return db.selectFrom('dataset_versions').selectAll().where('id', '=', versionId).where('dataset_id', '=', datasetId).executeTakeFirst();
}

export async function findDatasetVersionRowByLabel(db: Db, datasetId: string, label: string): Promise<DatasetVersionTable | undefined> {
  return db.selectFrom('dataset_versions').selectAll().where('dataset_id', '=', datasetId).where('version_label', '=', label).executeTakeFirst();
}

export async function countDatasetVersions(db: Db, datasetId: string): Promise<number> {
  const row = await db
    .selectFrom('dataset_versions')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Models and versions that record the dataset version as training, validation or test data. */
export async function findTrainingUses(db: Db, datasetVersionId: string): Promise<{ modelName: string; versionLabel: string; purpose: string }[]> {
  const rows = await db
    .selectFrom('model_training_data')
    .innerJoin('model_versions', 'model_versions.id', 'model_training_data.model_version_id')
    .innerJoin('models', 'models.id', 'model_versions.model_id')
    .select(['models.name as modelName', 'model_versions.version_label as versionLabel', 'model_training_data.purpose as purpose'])
    .where('model_training_data.dataset_version_id', '=', datasetVersionId)
    .orderBy('models.name')
    .orderBy('model_versions.version_label')
    .execute();
  return rows;
}

export async function queryDatasets(db: Db, query: DatasetListQuery, limit: number, offset: number): Promise<{ rows: DatasetTable[]; total: number }> {
  let filtered = db.selectFrom('datasets');
  if (query.q) filtered = filtered.where(containsText(['name', 'description', 'source'], query.q));
  if (query.containsPersonalData !== undefined) filtered = filtered.where('contains_personal_data', '=', query.containsPersonalData ? 1 : 0);
  if (query.thirdPartyComponentId) filtered = filtered.where('third_party_component_id', '=', query.thirdPartyComponentId);

  const { key, order } = parseSort<DatasetSortKey>(query.sort ?? 'name');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(datasetSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function queryDatasetVersions(
  db: Db,
  datasetId: string,
  query: DatasetVersionListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: DatasetVersionTable[]; total: number }> {
  let filtered = db.selectFrom('dataset_versions').where('dataset_id', '=', datasetId);
  if (query.sha256) filtered = filtered.where('sha256', '=', query.sha256);

  const { key, order } = parseSort<DatasetVersionSortKey>(query.sort ?? 'createdAt');

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy(versionSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
