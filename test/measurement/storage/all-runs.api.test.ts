import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../src/measurement/core/measured.js';
import { recordMeasurementRun } from '../../../src/measurement/measurements.service.js';
import { testContext } from '../../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { engineer, outcomeOf, registerSystem, runInput, runOutcome, typicalOutcomes, type RegisteredSystem } from './fixtures.js';

interface ListedRun {
  id: string;
  aiSystemId: string;
  aiSystemName: string;
  kind: string;
  result: string;
  finishedAt: string;
  modelName: string | null;
  modelVersionLabel: string | null;
  runByName: string;
  files: { sha256: string }[];
}

describe.each(databaseKinds)('GET /api/measurements on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let scale: RegisteredSystem;
  let screener: RegisteredSystem;
  const runIds: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    server = await startTestServer(ctx);
    scale = await registerSystem(ctx, 'Recidivism risk scale');
    screener = await registerSystem(ctx, 'Loan screener');
    // Two failed runs of the scale (FPR 0.45 > 0.3), then one passed run of the screener.
    for (const [index, rate] of [0.45, 0.46].entries()) {
      const run = await recordMeasurementRun(ctx, engineer, runInput(scale, runOutcome(typicalOutcomes(rate), `2026-05-0${index + 1}T09:00:00.000Z`)));
      runIds.push(run.id);
    }
    const passing = [outcomeOf('fpr', 'false_positive_rate', defined(0.1), { group: 'sex=Female' })];
    const run = await recordMeasurementRun(ctx, engineer, runInput(screener, runOutcome(passing, '2026-05-03T09:00:00.000Z', 'Fairness gate', 'Loan screener')));
    runIds.push(run.id);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('lists every run newest first', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/measurements');
    expect(response.statusCode).toBe(200);
    const page = response.json() as { items: ListedRun[]; total: number };
    expect(page.total).toBe(3);
    expect(page.items.map((run) => run.id)).toEqual([...runIds].reverse());
    expect(page.items[0]).toMatchObject({ aiSystemId: screener.aiSystemId, aiSystemName: 'Loan screener', result: 'passed', modelName: screener.modelName, modelVersionLabel: 'v1' });
    expect(page.items[2]).toMatchObject({ aiSystemName: 'Recidivism risk scale', result: 'failed' });
    expect(page.items[2]!.files[0]!.sha256).toBe(scale.datasetSha256);
    // The test caller is not a registered user, so its id stands for its name.
    expect(page.items[0]!.runByName).toBe(engineer.userId);
  });

  it('filters by system, result, kind, time and id, and pages', async () => {
    const get = async (query: string) => {
      const response = await server.as('internal_auditor')('GET', `/api/measurements?${query}`);
      expect(response.statusCode).toBe(200);
      return response.json() as { items: ListedRun[]; total: number; limit: number; offset: number };
    };
    expect((await get(`aiSystemId=${scale.aiSystemId}`)).items.map((run) => run.id)).toEqual([runIds[1], runIds[0]]);
    expect((await get('result=passed')).items.map((run) => run.id)).toEqual([runIds[2]]);
    expect((await get('kind=drift')).total).toBe(0);
    expect((await get('kind=check')).total).toBe(3);
    expect((await get(`finishedFrom=${encodeURIComponent('2026-05-02T00:00:00Z')}&finishedBefore=${encodeURIComponent('2026-05-03T00:00:00Z')}`)).items.map((run) => run.id)).toEqual([runIds[1]]);
    expect((await get(`id=${runIds[0]}`)).items.map((run) => run.aiSystemName)).toEqual(['Recidivism risk scale']);
    const second = await get('limit=1&offset=1');
    expect(second).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(second.items.map((run) => run.id)).toEqual([runIds[1]]);
  });

  it('rejects bad kind and anonymous caller', async () => {
    const bad = await server.as('internal_auditor')('GET', '/api/measurements?kind=accuracy');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('kind');
    const anonymous = await server.anonymous('GET', '/api/measurements');
    expect(anonymous.statusCode).toBe(401);
  });
});
