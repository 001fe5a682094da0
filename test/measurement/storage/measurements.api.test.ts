import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMeasurementRun } from '../../../src/measurement/measurements.service.js';
import type { MonitoringSettings } from '../../../src/measurement/policy/policy.js';
import { testContext } from '../../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { countStoredRows, engineer, registerSystem, runInput, runOutcome, typicalOutcomes, type RegisteredSystem } from './fixtures.js';

const monitoring: MonitoringSettings = { charts: ['shewhart', 'cusum'], taskDueDays: 14, baselineLength: 5 };

describe.each(databaseKinds)('measurements API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let system: RegisteredSystem;
  let spikeRunId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    server = await startTestServer(ctx);
    system = await registerSystem(ctx);
    const rates = [0.4, 0.42, 0.41, 0.43, 0.4, 0.6];
    for (const [index, rate] of rates.entries()) {
      const run = await recordMeasurementRun(ctx, engineer, runInput(system, runOutcome(typicalOutcomes(rate), `2026-05-0${index + 1}T09:00:00.000Z`), monitoring));
      spikeRunId = run.id;
    }
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('lets the internal auditor read runs, KPIs and tasks', async () => {
    const auditor = server.as('internal_auditor');

    const runs = await auditor('GET', `/api/ai-systems/${system.aiSystemId}/measurements?limit=2`);
    expect(runs.statusCode).toBe(200);
    expect(runs.json()).toMatchObject({ total: 6, limit: 2, offset: 0 });
    expect(runs.json().items.map((run: { id: string }) => run.id)[0]).toBe(spikeRunId);

    const run = await auditor('GET', `/api/measurements/${spikeRunId}`);
    expect(run.statusCode).toBe(200);
    expect(run.json().values).toHaveLength(4);
    expect(run.json().files[0].sha256).toBe(system.datasetSha256);
    expect(run.json().report.result).toBe('failed');

    const kpis = await auditor('GET', `/api/ai-systems/${system.aiSystemId}/kpis/false_positive_rate?group=${encodeURIComponent('race=African-American')}&baselineLength=5`);
    expect(kpis.statusCode).toBe(200);
    const [series] = kpis.json().series;
    expect(series.points.map((point: { value: number }) => point.value)).toEqual([0.4, 0.42, 0.41, 0.43, 0.4, 0.6]);
    expect(series.charts.shewhart).toMatchObject({ defined: true, limits: { upper: expect.any(Number) } });
    expect(series.breaches).toContainEqual(expect.objectContaining({ chart: 'shewhart', rule: 'beyond-3-sigma', runId: spikeRunId }));

    const tasks = await auditor('GET', '/api/monitoring-tasks?status=open');
    expect(tasks.statusCode).toBe(200);
    // The spike is 10 sigma above the centre line, so CUSUM's upper sum passes 5 sigma at once too.
    expect(tasks.json().items.map((task: { chart: string; rule: string }) => `${task.chart}:${task.rule}`).sort()).toEqual(['cusum:cusum-upper', 'shewhart:beyond-3-sigma']);
  });

  it('rejects closing a task by the internal auditor and a validator with 403', async () => {
    const [task] = (await server.as('internal_auditor')('GET', '/api/monitoring-tasks?status=open')).json().items;
    // Issues the validator's token first, since issuing it writes audit events.
    await server.as('validator')('GET', '/api/monitoring-tasks');
    const before = await countStoredRows(database.db);

    for (const role of ['internal_auditor', 'validator'] as const) {
      const response = await server.as(role)('POST', `/api/monitoring-tasks/${task.id}/close`, { body: { resolution: 'Looked at it' } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect(await countStoredRows(database.db)).toEqual(before);
  });

  it('closes a task once, checking its version', async () => {
    const owner = server.as('ai_system_owner');
    const [task] = (await owner('GET', '/api/monitoring-tasks?status=open')).json().items;

    const stale = await owner('POST', `/api/monitoring-tasks/${task.id}/close`, { body: { resolution: 'Retrained' }, headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);

    const blank = await owner('POST', `/api/monitoring-tasks/${task.id}/close`, { body: { resolution: '   ' } });
    expect(blank.statusCode).toBe(400);

    const closed = await owner('POST', `/api/monitoring-tasks/${task.id}/close?reason=quarterly%20review`, { body: { resolution: 'Retrained on 2026 data' }, headers: { 'if-match': '"1"' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.headers.etag).toBe('"2"');
    expect(closed.json()).toMatchObject({ status: 'done', resolution: 'Retrained on 2026 data', version: 2 });

    const again = await owner('POST', `/api/monitoring-tasks/${task.id}/close`, { body: { resolution: 'Retrained' } });
    expect(again.statusCode).toBe(409);

    const read = await server.as('internal_auditor')('GET', `/api/monitoring-tasks/${task.id}`);
    expect(read.json()).toMatchObject({ status: 'done', closedBy: expect.any(String) });
    expect(read.headers.etag).toBe('"2"');
  });

  it('answers unknown records and metrics with 404 and 400', async () => {
    const reader = server.as('oversight_board_member');
    expect((await reader('GET', '/api/measurements/no-such-run')).statusCode).toBe(404);
    expect((await reader('GET', '/api/ai-systems/no-such-system/measurements')).statusCode).toBe(404);
    expect((await reader('GET', '/api/monitoring-tasks/no-such-task')).statusCode).toBe(404);

    const unknownMetric = await reader('GET', `/api/ai-systems/${system.aiSystemId}/kpis/accuracy_score`);
    expect(unknownMetric.statusCode).toBe(400);
    expect(unknownMetric.json().error.details).toEqual([{ path: '/metric', message: 'is not a known metric; did you mean accuracy? (received "accuracy_score")' }]);

    const badFilter = await reader('GET', `/api/ai-systems/${system.aiSystemId}/measurements?result=green`);
    expect(badFilter.statusCode).toBe(400);
  });

  it('documents its routes in OpenAPI', async () => {
    const openapi = await server.anonymous('GET', '/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    const paths = Object.keys(openapi.json().paths);
    for (const route of ['/api/ai-systems/{id}/measurements', '/api/measurements/{id}', '/api/ai-systems/{id}/kpis/{metric}', '/api/monitoring-tasks', '/api/monitoring-tasks/{id}', '/api/monitoring-tasks/{id}/close']) {
      expect(paths).toContain(route);
    }
  });

  it('rejects unauthenticated reads with 401', async () => {
    expect((await server.anonymous('GET', '/api/monitoring-tasks')).statusCode).toBe(401);
  });
});
