import path from 'node:path';
import { insertThirdPartyComponent } from '../components/third-party-components.service.js';
import { insertDataset, insertDatasetVersion } from '../datasets/datasets.service.js';
import { fingerprintFile, type Fingerprint } from '../datasets/fingerprint.js';
import { insertModel, insertModelVersion, linkModelVersionToAiSystem, linkTrainingData } from '../models/models.service.js';
import type { Caller } from '../platform/auth/caller.js';
import type { Db } from '../platform/database/connection.js';

/** The COMPAS data file, relative to the examples folder; the dataset version records this path. */
export const compasDataFile = 'compas/compas-scores-two-years.csv';

const propublicaRepository = 'https://github.com/propublica/compas-analysis';

/** Hashes the COMPAS data before the write transaction, so the lock is not held while the file is read. */
export function fingerprintCompasData(examplesDirectory: string): Promise<Fingerprint> {
  return fingerprintFile(path.join(examplesDirectory, compasDataFile));
}

/**
 * Records where the COMPAS system's model and data come from, inside the caller's write
 * transaction: the vendor's model and ProPublica's data as third-party components, the dataset
 * with its fingerprinted version, a model version, and the links between them and the system.
 * The dataset contains the scores the model gave and the outcomes two years later, so it is linked
 * as test data: the vendor has not published what the model was trained on.
 */
export async function insertCompasLineage(
  trx: Db,
  caller: Caller,
  now: Date,
  aiSystemId: string,
  fingerprint: Fingerprint,
  reason: string,
): Promise<void> {
  const dataComponent = await insertThirdPartyComponent(
    trx,
    caller,
    now,
    {
      name: 'COMPAS two-year recidivism data (ProPublica)',
      vendor: 'ProPublica',
      kind: 'dataset',
      licence: 'unstated',
      componentVersion: 'commit bafff5da3f2e45eca6c2d5055faad269defd135a',
      sourceUrl: propublicaRepository,
    },
    reason,
  );
  const modelComponent = await insertThirdPartyComponent(
    trx,
    caller,
    now,
    { name: 'COMPAS', vendor: 'Northpointe', kind: 'model', licence: 'unstated (commercial product)', componentVersion: 'not published' },
    reason,
  );

  const dataset = await insertDataset(
    trx,
    caller,
    now,
    {
      name: 'COMPAS scores and two-year outcomes, Broward County',
      containsPersonalData: true,
      description:
        'COMPAS scores of defendants screened in Broward County, Florida, in 2013 and 2014, with their criminal history and whether they were charged again within two years. Names, dates of birth and case numbers were removed; sex, age, race and charges remain.',
      source: `ProPublica, "Machine Bias" analysis (2016), ${propublicaRepository}`,
      thirdPartyComponentId: dataComponent.id,
    },
    reason,
  );
  const datasetVersion = await insertDatasetVersion(
    trx,
    caller,
    now,
    dataset.id,
    { versionLabel: 'propublica-bafff5d', location: `examples/${compasDataFile}`, fingerprint },
    reason,
  );

  const model = await insertModel(
    trx,
    caller,
    now,
    {
      name: 'COMPAS Risk of Recidivism scale',
      description: 'Vendor scale that scores the risk of reoffending as deciles 1 to 10, banded Low (1-4), Medium (5-7) and High (8-10).',
      thirdPartyComponentId: modelComponent.id,
    },
    reason,
  );
  const modelVersion = await insertModelVersion(
    trx,
    caller,
    now,
    model.id,
    { versionLabel: 'Broward County 2013-2014', description: 'The scale as it scored defendants screened in 2013 and 2014; the vendor has not published the model.' },
    reason,
  );

  await linkTrainingData(trx, caller, now, modelVersion.id, { datasetVersionId: datasetVersion.id, purpose: 'test' }, reason);
  await linkModelVersionToAiSystem(trx, caller, now, aiSystemId, { modelVersionId: modelVersion.id, environment: 'production' }, reason);
}
