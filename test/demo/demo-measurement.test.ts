import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { getMeasurementRun, listMeasurementRuns } from '../../src/measurement/measurements.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

const auditor = callerWith(['internal_auditor']);

describe.each(databaseKinds)('demo COMPAS measurement on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ReturnType<typeof testContext>;
  let compasId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
    const row = await database.db.selectFrom('ai_systems').select('id').where('name', '=', 'COMPAS recidivism risk assessment').executeTakeFirstOrThrow();
    compasId = row.id;
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('records the fairness gate as a failed run', async () => {
    const runs = await listMeasurementRuns(ctx, auditor, compasId, {});
    expect(runs.total).toBe(1);
    const run = runs.items[0]!;
    expect(run.policyName).toBe('COMPAS fairness gate');
    expect(run.result).toBe('failed');
    expect(run.modelVersionId).not.toBeNull();
    expect(run.files).toHaveLength(1);
    expect(run.files[0]!.rowCount).toBe(7214);
  });

  it('stores the ProPublica false positive rates', async () => {
    const summary = (await listMeasurementRuns(ctx, auditor, compasId, {})).items[0]!;
    const run = await getMeasurementRun(ctx, auditor, summary.id);
    const rate = (group: string) => run.values.find((value) => value.checkId === 'false-positive-rate' && value.group === `race=${group}`);
    expect(rate('African-American')?.value).toBeCloseTo(805 / (805 + 990), 12);
    expect(rate('African-American')?.result).toBe('failed');
    expect(rate('Caucasian')?.value).toBeCloseTo(349 / (349 + 1139), 12);
    expect(rate('Caucasian')?.result).toBe('passed');
  });

  it('links the registered dataset version by fingerprint', async () => {
    const summary = (await listMeasurementRuns(ctx, auditor, compasId, {})).items[0]!;
    const version = await database.db.selectFrom('dataset_versions').select(['id', 'sha256']).where('version_label', '=', 'propublica-bafff5d').executeTakeFirstOrThrow();
    expect(summary.files[0]!.sha256).toBe(version.sha256);
    expect(summary.files[0]!.datasetVersionId).toBe(version.id);
  });
});
