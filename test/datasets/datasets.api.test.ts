import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDataset } from '../../src/datasets/datasets.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const compas = {
  name: 'COMPAS two-year recidivism',
  description: 'Defendants scored by COMPAS in Broward County, Florida, 2013 to 2014, with two-year outcomes',
  source: 'ProPublica compas-analysis repository',
  containsPersonalData: true,
};

describe.each(databaseKinds)('datasets API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('creates and reads a dataset with its ETag', async () => {
    const created = await server.as('validator')('POST', '/api/datasets', { body: compas });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const body = created.json();
    expect(body).toMatchObject({ ...compas, thirdPartyComponentId: null, version: 1 });

    const read = await server.as('internal_auditor')('GET', `/api/datasets/${body.id}`);
    expect(read.json()).toEqual(body);
  });

  it('rejects a duplicate dataset name naming it', async () => {
    const response = await server.as('validator')('POST', '/api/datasets', { body: { ...compas, description: 'again' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe(
      'A dataset named "COMPAS two-year recidivism" already exists; choose another name or add a version to the existing dataset',
    );
  });

  it('requires the personal data flag and rejects unknown fields', async () => {
    const response = await server.as('validator')('POST', '/api/datasets', { body: { name: 'Loans', containsPersonalData: 'yes', rows: 10 } });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['/containsPersonalData', '/rows']);
  });

  it('links a dataset to a component of kind dataset only', async () => {
    const modelComponent = (
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name: 'bert', vendor: 'Google', kind: 'model', licence: 'Apache-2.0', componentVersion: 'base-uncased' },
      })
    ).json();
    const wrongKind = await server.as('administrator')('POST', '/api/datasets', { body: { name: 'Text corpus', containsPersonalData: false, thirdPartyComponentId: modelComponent.id } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.details[0]).toEqual({
      path: '/thirdPartyComponentId',
      message: 'the third-party component "bert" supplies a model, not a dataset; choose a dataset component',
    });
  });

  it('filters by personal data and text and reports the total', async () => {
    for (const [name, personal] of [['Sensor readings', false], ['Call transcripts', true], ['Weather archive', false]] as const) {
      await server.as('administrator')('POST', '/api/datasets', { body: { name, containsPersonalData: personal, source: 'internal' } });
    }
    const page = (await server.as('internal_auditor')('GET', '/api/datasets?containsPersonalData=false&sort=-name')).json();
    expect(page.total).toBe(2);
    expect(page.items.map((item: { name: string }) => item.name)).toEqual(['Weather archive', 'Sensor readings']);

    const searched = (await server.as('internal_auditor')('GET', '/api/datasets?q=broward')).json();
    expect(searched.items.map((item: { name: string }) => item.name)).toEqual(['COMPAS two-year recidivism']);
  });

  it('answers 412 to a stale If-Match and keeps the newer update', async () => {
    const dataset = (await server.as('administrator')('POST', '/api/datasets', { body: { name: 'Claims', containsPersonalData: true } })).json();
    const first = await server.as('administrator')('PATCH', `/api/datasets/${dataset.id}`, { body: { source: 'Claims system export' }, headers: { 'if-match': '"1"' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await server.as('administrator')('PATCH', `/api/datasets/${dataset.id}`, { body: { source: 'Lost' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const staleDelete = await server.as('administrator')('DELETE', `/api/datasets/${dataset.id}`, { headers: { 'if-match': '"1"' } });
    expect(staleDelete.statusCode).toBe(412);
    expect((await server.as('administrator')('GET', `/api/datasets/${dataset.id}`)).json().source).toBe('Claims system export');

    const renamed = await server.as('administrator')('PATCH', `/api/datasets/${dataset.id}`, { body: { name: 'Sensor readings' } });
    expect(renamed.statusCode).toBe(409);

    expect((await server.as('administrator')('DELETE', `/api/datasets/${dataset.id}`, { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/datasets/${dataset.id}`)).statusCode).toBe(404);
  });

  it('rejects every change by a read-only role', async () => {
    const target = (await server.as('administrator')('GET', '/api/datasets?limit=1')).json().items[0];
    const attempts = [
      () => server.as('internal_auditor')('POST', '/api/datasets', { body: { name: 'Auditor data', containsPersonalData: false } }),
      () => server.as('internal_auditor')('PATCH', `/api/datasets/${target.id}`, { body: { source: 'x' } }),
      () => server.as('internal_auditor')('DELETE', `/api/datasets/${target.id}`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect((await server.as('administrator')('GET', `/api/datasets/${target.id}`)).json()).toEqual(target);
    expect((await server.anonymous('GET', '/api/datasets')).statusCode).toBe(401);
    await expect(
      writeTransaction(database, (trx) => insertDataset(trx, callerWith(['data_protection_officer']), new Date(), { name: 'x', containsPersonalData: true })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('writes one audit event per change and keeps the chain intact', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=dataset&limit=500')).json();
    const actions = events.items.map((event: { action: string }) => event.action);
    expect(actions.filter((action: string) => action === 'dataset.created')).toHaveLength(5);
    expect(actions.filter((action: string) => action === 'dataset.updated')).toHaveLength(1);
    expect(actions.filter((action: string) => action === 'dataset.deleted')).toHaveLength(1);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
