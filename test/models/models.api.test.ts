import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertModel, insertModelVersion } from '../../src/models/models.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('models API on %s', (kind) => {
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

  const createModel = async (body: Record<string, unknown>) => {
    const response = await server.as('administrator')('POST', '/api/models', { body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  it('creates and reads a model with its ETag', async () => {
    const created = await server.as('ai_system_owner')('POST', '/api/models', { body: { name: 'Recidivism scorer', description: 'Logistic regression' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const body = created.json();
    expect(body).toMatchObject({ name: 'Recidivism scorer', description: 'Logistic regression', thirdPartyComponentId: null, version: 1 });

    const read = await server.as('internal_auditor')('GET', `/api/models/${body.id}`);
    expect(read.json()).toEqual(body);
    expect(read.headers.etag).toBe('"1"');
  });

  it('rejects a duplicate model name naming it', async () => {
    const response = await server.as('administrator')('POST', '/api/models', { body: { name: '  Recidivism scorer ' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe('A model named "Recidivism scorer" already exists; choose another name or add a version to the existing model');
  });

  it('links a model to a component of kind model only', async () => {
    const datasetComponent = (
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name: 'census', vendor: 'UCI', kind: 'dataset', licence: 'CC BY 4.0', componentVersion: '1996' },
      })
    ).json();
    const wrongKind = await server.as('administrator')('POST', '/api/models', { body: { name: 'Income model', thirdPartyComponentId: datasetComponent.id } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.details).toEqual([
      { path: '/thirdPartyComponentId', message: 'the third-party component "census" supplies a dataset, not a model; choose a model component' },
    ]);

    const unknown = await server.as('administrator')('POST', '/api/models', { body: { name: 'Income model', thirdPartyComponentId: 'missing-id' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].message).toContain('no third-party component with id "missing-id" exists');

    const modelComponent = (
      await server.as('administrator')('POST', '/api/third-party-components', {
        body: { name: 'scikit-learn', vendor: 'scikit-learn', kind: 'model', licence: 'BSD-3-Clause', componentVersion: '1.4' },
      })
    ).json();
    const linked = await server.as('administrator')('POST', '/api/models', { body: { name: 'Income model', thirdPartyComponentId: modelComponent.id } });
    expect(linked.statusCode).toBe(201);
    expect(linked.json().thirdPartyComponentId).toBe(modelComponent.id);

    const filtered = (await server.as('validator')('GET', `/api/models?thirdPartyComponentId=${modelComponent.id}`)).json();
    expect(filtered.total).toBe(1);
  });

  it('rejects unknown fields and wrong types', async () => {
    const response = await server.as('administrator')('POST', '/api/models', { body: { name: 7, owner: 'me' } });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['/name', '/owner']);
  });

  it('adds, lists and reads versions', async () => {
    const model = await createModel({ name: 'Churn predictor' });
    for (const label of ['1.0', '1.1', '2.0']) {
      const response = await server.as('validator')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: label, description: `Release ${label}` } });
      expect(response.statusCode).toBe(201);
      expect(response.headers.location).toBe(`/api/models/${model.id}/versions/${response.json().id}`);
    }
    const page = (await server.as('internal_auditor')('GET', `/api/models/${model.id}/versions?sort=-versionLabel&limit=2`)).json();
    expect(page.total).toBe(3);
    expect(page.items.map((item: { versionLabel: string }) => item.versionLabel)).toEqual(['2.0', '1.1']);

    const read = await server.as('internal_auditor')('GET', `/api/models/${model.id}/versions/${page.items[0].id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');

    const duplicate = await server.as('validator')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: '1.1' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe('The model "Churn predictor" already has a version labelled "1.1"; choose another label');

    const missingModel = await server.as('validator')('POST', '/api/models/no-such-model/versions', { body: { versionLabel: '1.0' } });
    expect(missingModel.statusCode).toBe(404);
    expect(missingModel.json().error.message).toContain('"no-such-model"');

    const otherModel = await createModel({ name: 'Unrelated model' });
    const wrongParent = await server.as('internal_auditor')('GET', `/api/models/${otherModel.id}/versions/${page.items[0].id}`);
    expect(wrongParent.statusCode).toBe(404);
  });

  it('answers 412 to a stale If-Match on models and versions', async () => {
    const model = await createModel({ name: 'Fraud detector' });
    const renamed = await server.as('administrator')('PATCH', `/api/models/${model.id}`, { body: { description: 'Gradient boosting' }, headers: { 'if-match': '"1"' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.headers.etag).toBe('"2"');
    const stale = await server.as('administrator')('PATCH', `/api/models/${model.id}`, { body: { description: 'Lost' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect((await server.as('administrator')('GET', `/api/models/${model.id}`)).json().description).toBe('Gradient boosting');

    const version = (await server.as('administrator')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: '0.9' } })).json();
    const relabelled = await server.as('administrator')('PATCH', `/api/models/${model.id}/versions/${version.id}`, {
      body: { versionLabel: '1.0' },
      headers: { 'if-match': '"1"' },
    });
    expect(relabelled.statusCode).toBe(200);
    expect(relabelled.json()).toMatchObject({ versionLabel: '1.0', version: 2 });
    const staleVersion = await server.as('administrator')('DELETE', `/api/models/${model.id}/versions/${version.id}`, { headers: { 'if-match': '"1"' } });
    expect(staleVersion.statusCode).toBe(412);
  });

  it('deletes a model only after its versions', async () => {
    const model = await createModel({ name: 'Short-lived model' });
    const version = (await server.as('administrator')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: 'draft' } })).json();

    const blocked = await server.as('administrator')('DELETE', `/api/models/${model.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toBe(
      'The model "Short-lived model" still has 1 version; delete its versions first, or keep the model as the record of its history',
    );

    expect((await server.as('administrator')('DELETE', `/api/models/${model.id}/versions/${version.id}`)).statusCode).toBe(204);
    expect((await server.as('administrator')('DELETE', `/api/models/${model.id}`, { headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/models/${model.id}`)).statusCode).toBe(404);
  });

  it('filters, sorts and paginates models with the total', async () => {
    for (const name of ['Paged model C', 'Paged model A', 'Paged model B']) await createModel({ name, description: 'paging' });
    const page = (await server.as('internal_auditor')('GET', '/api/models?q=PAGED&sort=name&limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((item: { name: string }) => item.name)).toEqual(['Paged model B', 'Paged model C']);

    const bad = await server.as('internal_auditor')('GET', '/api/models?sort=size');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring:/sort');
  });

  it('rejects every change by a read-only role', async () => {
    const model = await createModel({ name: 'Guarded model' });
    const version = (await server.as('administrator')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: '1' } })).json();
    const attempts = [
      () => server.as('internal_auditor')('POST', '/api/models', { body: { name: 'Auditor model' } }),
      () => server.as('internal_auditor')('PATCH', `/api/models/${model.id}`, { body: { description: 'x' } }),
      () => server.as('internal_auditor')('DELETE', `/api/models/${model.id}`),
      () => server.as('risk_owner')('POST', `/api/models/${model.id}/versions`, { body: { versionLabel: '2' } }),
      () => server.as('risk_owner')('PATCH', `/api/models/${model.id}/versions/${version.id}`, { body: { description: 'x' } }),
      () => server.as('approver')('DELETE', `/api/models/${model.id}/versions/${version.id}`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    const versions = (await server.as('administrator')('GET', `/api/models/${model.id}/versions`)).json();
    expect(versions.items).toEqual([version]);
    expect((await server.anonymous('GET', '/api/models')).statusCode).toBe(401);

    const auditor = callerWith(['internal_auditor']);
    await expect(writeTransaction(database, (trx) => insertModel(trx, auditor, new Date(), { name: 'x' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(writeTransaction(database, (trx) => insertModelVersion(trx, auditor, new Date(), model.id, { versionLabel: '3' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('writes one audit event per change and keeps the chain intact', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=model_version&limit=500')).json();
    const actions = new Set(events.items.map((event: { action: string }) => event.action));
    expect(actions).toEqual(new Set(['model_version.created', 'model_version.updated', 'model_version.deleted']));
    const deleted = events.items.find((event: { action: string }) => event.action === 'model_version.deleted');
    expect(deleted.before).toMatchObject({ versionLabel: 'draft', trainingData: [] });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
