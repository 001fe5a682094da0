import { findDatasetRow, findDatasetRowByName, findDatasetVersionRow, findDatasetVersionRowByLabel } from '../datasets/datasets.repository.js';
import { findModelRow, findModelRowByName, findModelVersionRow, findModelVersionRowByLabel } from '../models/models.repository.js';
import type { Db } from '../platform/database/connection.js';
import type { DatasetVersionTable, ModelVersionTable } from '../platform/database/schema.js';
import type { ErrorDetail } from '../platform/errors.js';
import { findAiSystemsByIdOrName } from './measurements.repository.js';
import type { RecordedSystem } from './monitoring-tasks.service.js';

/**
 * Resolves what a run refers to by id or name, as a policy file writes it: the AI system, the
 * model version and the dataset version of each data file. Each resolver returns the record, or
 * adds a problem naming the path and what to register or correct, so that all are reported at once.
 */

export async function resolveAiSystem(db: Db, idOrName: string, problems: ErrorDetail[]): Promise<RecordedSystem | null> {
  const systems = await findAiSystemsByIdOrName(db, idOrName);
  if (systems.length === 1) return { id: systems[0]!.id, name: systems[0]!.name, ownerId: systems[0]!.owner_id };
  if (systems.length === 0) {
    problems.push({ path: '/aiSystem', message: `no AI system has the id or name ${JSON.stringify(idOrName)}; register it first or correct the name` });
  } else {
    const choices = systems.map((system) => `${system.id} (business unit ${system.business_unit})`).join(', ');
    problems.push({ path: '/aiSystem', message: `${systems.length} AI systems are named ${JSON.stringify(idOrName)}, in different business units; name it by id: ${choices}` });
  }
  return null;
}

export async function resolveModelVersion(db: Db, reference: { model: string; version: string }, problems: ErrorDetail[]): Promise<ModelVersionTable | null> {
  const model = (await findModelRow(db, reference.model)) ?? (await findModelRowByName(db, reference.model));
  if (!model) {
    problems.push({ path: '/modelVersion/model', message: `no model has the id or name ${JSON.stringify(reference.model)}; register the model first or correct the name` });
    return null;
  }
  const version = (await findModelVersionRow(db, model.id, reference.version)) ?? (await findModelVersionRowByLabel(db, model.id, reference.version));
  if (!version) {
    problems.push({ path: '/modelVersion/version', message: `the model "${model.name}" has no version with the id or label ${JSON.stringify(reference.version)}; add the version first or correct the label` });
    return null;
  }
  return version;
}

/**
 * Resolves the dataset version a data file claims to be and checks that the file is that
 * version. A different SHA-256 means the figures would describe other data than the record names.
 */
export async function resolveDatasetVersion(
  db: Db,
  reference: { dataset: string; version: string },
  file: { fileName: string; sha256: string },
  path: string,
  problems: ErrorDetail[],
): Promise<DatasetVersionTable | null> {
  const dataset = (await findDatasetRow(db, reference.dataset)) ?? (await findDatasetRowByName(db, reference.dataset));
  if (!dataset) {
    problems.push({ path: `${path}/dataset`, message: `no dataset has the id or name ${JSON.stringify(reference.dataset)}; register the dataset first or correct the name` });
    return null;
  }
  const version = (await findDatasetVersionRow(db, dataset.id, reference.version)) ?? (await findDatasetVersionRowByLabel(db, dataset.id, reference.version));
  if (!version) {
    problems.push({ path: `${path}/dataset/version`, message: `the dataset "${dataset.name}" has no version with the id or label ${JSON.stringify(reference.version)}; register the file as a version first` });
    return null;
  }
  if (version.sha256 !== file.sha256) {
    problems.push({
      path: `${path}/sha256`,
      message: `the file "${file.fileName}" has SHA-256 ${file.sha256}, but version "${version.version_label}" of "${dataset.name}" was registered with ${version.sha256}; measure the registered file, or register this file as a new version`,
    });
    return null;
  }
  return version;
}
