import { toDataset, toDatasetVersion } from '../datasets/datasets.repository.js';
import type { Db } from '../platform/database/connection.js';
import { trainingDataPurposes, type TrainingDataPurpose } from './model.js';
import type { TrainingDataEntry } from './model.schemas.js';

/** Reads model_training_data with the dataset versions and datasets each link names. */

export interface TrainingDataOfVersion extends TrainingDataEntry {
  modelVersionId: string;
}

/** Chunk size for `in (…)` lists, well below SQLite's limit of 32,766 bound parameters. */
const idsPerQuery = 500;

/**
 * Returns the training, validation and test data of the model versions, ordered by purpose
 * (training, validation, test), then dataset name and version label.
 */
export async function findTrainingData(db: Db, modelVersionIds: readonly string[]): Promise<TrainingDataOfVersion[]> {
  const links = await selectInChunks(modelVersionIds, (chunk) =>
    db.selectFrom('model_training_data').selectAll().where('model_version_id', 'in', chunk).execute(),
  );
  if (links.length === 0) return [];
  const versions = await selectInChunks(unique(links.map((link) => link.dataset_version_id)), (chunk) =>
    db.selectFrom('dataset_versions').selectAll().where('id', 'in', chunk).execute(),
  );
  const datasets = await selectInChunks(unique(versions.map((version) => version.dataset_id)), (chunk) =>
    db.selectFrom('datasets').selectAll().where('id', 'in', chunk).execute(),
  );

  const versionsById = new Map(versions.map((row) => [row.id, toDatasetVersion(row)]));
  const datasetsById = new Map(datasets.map((row) => [row.id, toDataset(row)]));
  const entries = links.map((link): TrainingDataOfVersion => {
    // The foreign keys guarantee that both rows exist.
    const datasetVersion = versionsById.get(link.dataset_version_id)!;
    return {
      modelVersionId: link.model_version_id,
      purpose: link.purpose as TrainingDataPurpose,
      dataset: datasetsById.get(datasetVersion.datasetId)!,
      datasetVersion,
    };
  });
  return entries.sort(
    (a, b) =>
      trainingDataPurposes.indexOf(a.purpose) - trainingDataPurposes.indexOf(b.purpose) ||
      a.dataset.name.localeCompare(b.dataset.name) ||
      a.datasetVersion.versionLabel.localeCompare(b.datasetVersion.versionLabel),
  );
}

/** Runs `select` over slices of `ids`, so that no `in (…)` list exceeds the bound parameter limit. */
export async function selectInChunks<T>(ids: readonly string[], select: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    rows.push(...(await select(ids.slice(start, start + idsPerQuery))));
  }
  return rows;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
