import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertThirdPartyComponent } from '../../src/components/third-party-components.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const compasData = {
  name: 'compas-analysis',
  vendor: 'ProPublica',
  kind: 'dataset',
  licence: 'unstated',
  componentVersion: '2016-05-23',
  sourceUrl: 'https://github.com/propublica/compas-analysis',
};

describe.each(databaseKinds)('third-party components API on %s', (kind) => {
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

  it('creates and reads a component with its ETag', async () => {
    const created = await server.as('validator')('POST', '/api/third-party-components', { body: compasData });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const body = created.json();
    expect(body).toMatchObject({ ...compasData, version: 1 });
    expect(created.headers.location).toBe(`/api/third-party-components/${body.id}`);

    const read = await server.as('internal_auditor')('GET', `/api/third-party-components/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(body);
  });

  it('rejects the same vendor, name and version twice', async () => {
    const response = await server.as('administrator')('POST', '/api/third-party-components', { body: compasData });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe(
      'A third-party component "compas-analysis" version "2016-05-23" from vendor "ProPublica" already exists; update that record instead',
    );
    const nextRelease = await server.as('administrator')('POST', '/api/third-party-components', { body: { ...compasData, componentVersion: '2017-01-01' } });
    expect(nextRelease.statusCode).toBe(201);
  });

  it('lists every validation problem with its path', async () => {
    const response = await server.as('administrator')('POST', '/api/third-party-components', {
      body: { name: ' ', vendor: 'Acme', kind: 'weights', licence: '', sourceUrl: 'not a url', colour: 'red' },
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = new Set(error.details.map((detail: { path: string }) => detail.path));
    expect([...paths].sort()).toEqual(['/colour', '/componentVersion', '/kind', '/licence', '/name', '/sourceUrl']);
    const kindDetail = error.details.find((detail: { path: string }) => detail.path === '/kind');
    expect(kindDetail.message).toBe('must be one of model, dataset (received "weights")');
  });

  it('filters by kind and vendor and reports the total', async () => {
    for (const name of ['gpt-neo', 'bert-base', 'resnet-50']) {
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name, vendor: 'Model hub', kind: 'model', licence: 'Apache-2.0', componentVersion: '1.0' },
      });
    }
    const page = (await server.as('internal_auditor')('GET', '/api/third-party-components?kind=model&vendor=Model%20hub&sort=-name&limit=2')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((item: { name: string }) => item.name)).toEqual(['resnet-50', 'gpt-neo']);

    const searched = (await server.as('internal_auditor')('GET', '/api/third-party-components?q=APACHE')).json();
    expect(searched.total).toBe(3);

    const bad = await server.as('internal_auditor')('GET', '/api/third-party-components?kind=weights');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring:/kind');
  });

  it('answers 412 to a stale If-Match and keeps the newer update', async () => {
    const created = (
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name: 'llama', vendor: 'Meta', kind: 'model', licence: 'Llama 2 Community Licence', componentVersion: '2-7b' },
      })
    ).json();
    const first = await server.as('administrator')('PATCH', `/api/third-party-components/${created.id}`, {
      body: { licence: 'Llama 2 Community License Agreement' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');

    const stale = await server.as('administrator')('PATCH', `/api/third-party-components/${created.id}`, {
      body: { licence: 'MIT' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    const staleDelete = await server.as('administrator')('DELETE', `/api/third-party-components/${created.id}`, { headers: { 'if-match': '"1"' } });
    expect(staleDelete.statusCode).toBe(412);

    const read = (await server.as('administrator')('GET', `/api/third-party-components/${created.id}`)).json();
    expect(read.licence).toBe('Llama 2 Community License Agreement');

    const kindChange = await server.as('administrator')('PATCH', `/api/third-party-components/${created.id}`, { body: { kind: 'dataset' } });
    expect(kindChange.statusCode).toBe(400);
    expect(kindChange.json().error.details[0].path).toBe('/kind');

    const deleted = await server.as('administrator')('DELETE', `/api/third-party-components/${created.id}`, { headers: { 'if-match': '"2"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/third-party-components/${created.id}`)).statusCode).toBe(404);
  });

  it('keeps a component that a model points to', async () => {
    const component = (
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name: 'xgboost', vendor: 'DMLC', kind: 'model', licence: 'Apache-2.0', componentVersion: '2.0.3' },
      })
    ).json();
    await server.as('administrator')('POST', '/api/models', { body: { name: 'Risk scorer', thirdPartyComponentId: component.id } });

    const response = await server.as('administrator')('DELETE', `/api/third-party-components/${component.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe('The third-party component "xgboost" is still used by model "Risk scorer"; point them elsewhere or delete them first');
  });

  it('answers 404 naming an unknown id', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/third-party-components/no-such-id');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('"no-such-id"');
  });

  it('rejects every change by a read-only role', async () => {
    const target = (await server.as('administrator')('GET', '/api/third-party-components?limit=1')).json().items[0];
    const attempts = [
      () => server.as('internal_auditor')('POST', '/api/third-party-components', { body: { ...compasData, name: 'auditor attempt' } }),
      () => server.as('risk_owner')('PATCH', `/api/third-party-components/${target.id}`, { body: { licence: 'MIT' } }),
      () => server.as('oversight_board_member')('DELETE', `/api/third-party-components/${target.id}`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    const unchanged = (await server.as('administrator')('GET', `/api/third-party-components/${target.id}`)).json();
    expect(unchanged).toEqual(target);

    const anonymous = await server.anonymous('GET', '/api/third-party-components');
    expect(anonymous.statusCode).toBe(401);

    const ctx = testContext(database);
    await expect(
      writeTransaction(ctx.database, (trx) => insertThirdPartyComponent(trx, callerWith(['internal_auditor']), new Date(), compasData as never)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('writes one audit event per change and keeps the chain intact', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=third_party_component&limit=500')).json();
    const actions = events.items.map((event: { action: string }) => event.action);
    expect(actions.filter((action: string) => action === 'third_party_component.created')).toHaveLength(7);
    expect(actions.filter((action: string) => action === 'third_party_component.updated')).toHaveLength(1);
    expect(actions.filter((action: string) => action === 'third_party_component.deleted')).toHaveLength(1);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
