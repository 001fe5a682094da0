import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAiSystem } from '../../../src/ai-systems/ai-systems.service.js';
import { addDatasetVersionFromFile } from '../../../src/datasets/dataset-versions.service.js';
import { createDataset } from '../../../src/datasets/datasets.service.js';
import { defined, undefinedBecause, type Measured } from '../../../src/measurement/core/measured.js';
import type { RecordMeasurementRun } from '../../../src/measurement/measurement.schemas.js';
import { metricDefinitions, type MetricName } from '../../../src/measurement/policy/metric-names.js';
import type { MonitoringSettings, ParameterValue, Threshold } from '../../../src/measurement/policy/policy.js';
import { judgeCheck, type CheckOutcome, type RunOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { createModelVersion } from '../../../src/models/model-versions.service.js';
import { createModel } from '../../../src/models/models.service.js';
import { createPerson } from '../../../src/people/people.service.js';
import type { ServiceContext } from '../../../src/platform/context.js';
import type { Db } from '../../../src/platform/database/connection.js';
import { callerWith } from '../../support/context.js';

/** Factories for measurement storage tests: a registered system with model and dataset versions, and runs to record. */

export const administrator = callerWith(['administrator'], 'admin');
export const engineer = callerWith(['validator'], 'engineer');

export interface RegisteredSystem {
  aiSystemId: string;
  aiSystemName: string;
  ownerId: string;
  modelName: string;
  modelVersionLabel: string;
  datasetName: string;
  datasetVersionLabel: string;
  /** The registered evaluation file and its SHA-256. */
  datasetFile: string;
  datasetSha256: string;
  datasetSize: number;
}

export async function registerSystem(ctx: ServiceContext, name = 'Recidivism risk scale'): Promise<RegisteredSystem> {
  const owner = await createPerson(ctx, administrator, { name: `Owner of ${name}`, jobTitle: 'Head of analytics' });
  const system = await createAiSystem(ctx, administrator, {
    name,
    purpose: 'Scores the risk that a defendant reoffends',
    businessUnit: 'Courts',
    lifecycleStage: 'production',
    organizationRole: 'deployer',
    ownerId: owner.id,
  });
  const model = await createModel(ctx, administrator, { name: `${name} model` });
  await createModelVersion(ctx, administrator, model.id, { versionLabel: 'v1' });
  const dataset = await createDataset(ctx, administrator, { name: `${name} outcomes`, containsPersonalData: true });

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-measurement-'));
  const datasetFile = path.join(directory, 'scores.csv');
  const content = 'id,race,two_year_recid,score_text\n1,Caucasian,0,Low\n2,African-American,1,High\n';
  fs.writeFileSync(datasetFile, content);
  await addDatasetVersionFromFile(ctx, administrator, dataset.id, '2016', datasetFile);
  return {
    aiSystemId: system.id,
    aiSystemName: name,
    ownerId: owner.id,
    modelName: model.name,
    modelVersionLabel: 'v1',
    datasetName: dataset.name,
    datasetVersionLabel: '2016',
    datasetFile,
    datasetSha256: createHash('sha256').update(content).digest('hex'),
    datasetSize: Buffer.byteLength(content),
  };
}

/** Judges a value the way a policy check would, for a check with the given metric and threshold. */
export function outcomeOf(
  checkId: string,
  metric: MetricName,
  value: Measured,
  options: { threshold?: Threshold; column?: string | null; group?: string | null; severity?: 'error' | 'warning'; parameters?: Record<string, ParameterValue> } = {},
): CheckOutcome {
  const check = {
    id: checkId,
    family: metricDefinitions[metric].family,
    metric,
    parameters: options.parameters ?? {},
    threshold: options.threshold ?? { operator: '<=', value: 0.3 },
    severity: options.severity ?? 'error',
  } as const;
  return judgeCheck(check, { column: options.column ?? null, group: options.group ?? null }, value);
}

/** The outcomes of a small fairness and drift check, with the false positive rate of one group set by the caller. */
export function typicalOutcomes(falsePositiveRate: number): CheckOutcome[] {
  return [
    outcomeOf('fpr', 'false_positive_rate', defined(falsePositiveRate), { group: 'race=African-American' }),
    outcomeOf('fpr', 'false_positive_rate', defined(0.2345), { group: 'race=Caucasian' }),
    outcomeOf('fpr', 'false_positive_rate', undefinedBecause('the group has no actual negatives'), { group: 'race=Other' }),
    outcomeOf('psi-age', 'psi', defined(0.05), { column: 'age', threshold: { operator: '<', value: 0.2 }, parameters: { bins: 10, binning: 'quantile', maxCategories: 100 } }),
  ];
}

export function runOutcome(outcomes: CheckOutcome[], startedAt: string, policyName: string | null = 'Fairness gate', aiSystemName = 'Recidivism risk scale'): RunOutcome {
  const finishedAt = new Date(Date.parse(startedAt) + 1500).toISOString();
  return { policyName, aiSystemName, startedAt, finishedAt, engineVersion: '0.1.0', outcomes, results: { fairness: { groups: 3 }, drift: { columns: ['age'] } } };
}

export const policyText = 'policyFormat: 1\nname: Fairness gate\n';

/** A check run of the registered system, with the registered dataset version as its evaluation file. */
export function runInput(system: RegisteredSystem, outcome: RunOutcome, monitoring?: MonitoringSettings): RecordMeasurementRun {
  return {
    aiSystem: system.aiSystemName,
    modelVersion: { model: system.modelName, version: system.modelVersionLabel },
    kind: 'check',
    policy: { name: 'Fairness gate', sha256: createHash('sha256').update(policyText).digest('hex'), text: policyText },
    ...(monitoring ? { monitoring: { ...monitoring, charts: [...monitoring.charts] } } : {}),
    files: [
      {
        role: 'evaluation',
        fileName: 'scores.csv',
        format: 'csv',
        sha256: system.datasetSha256,
        sizeBytes: system.datasetSize,
        rowCount: 2,
        dataset: { dataset: system.datasetName, version: system.datasetVersionLabel },
      },
    ],
    outcome: outcome as RecordMeasurementRun['outcome'],
  };
}

type CountedTable = 'measurement_runs' | 'measurement_run_files' | 'measurement_values' | 'monitoring_tasks' | 'audit_events';

/** Counts the rows of every table a recorded run writes to. */
export async function countStoredRows(db: Db): Promise<Record<CountedTable, number>> {
  const tables: CountedTable[] = ['measurement_runs', 'measurement_run_files', 'measurement_values', 'monitoring_tasks', 'audit_events'];
  const counts = await Promise.all(tables.map(async (table) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total)));
  return Object.fromEntries(tables.map((table, index) => [table, counts[index]!])) as Record<CountedTable, number>;
}
