import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkModelVersionToAiSystem, linkTrainingData } from '../../src/models/models.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const trainingFile = 'id,priors,two_year_recid\n1,0,0\n2,3,1\n3,1,0\n';
const testFile = 'id,priors,two_year_recid\n4,5,1\n5,0,0\n';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(databaseKinds)('model lineage API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let systemId: string;
  let modelId: string;
  let v1: { id: string };
  let v2: { id: string };
  let datasetId: string;
  let trainingVersion: { id: string };
  let testVersion: { id: string };
  let modelComponentId: string;
  let datasetComponentId: string;

  const post = (url: string, body: unknown) => server.as('administrator')('POST', url, { body });
  const uploadVersion = async (label: string, content: string) => {
    const response = await server.as('validator')('POST', `/api/datasets/${datasetId}/versions?versionLabel=${label}&location=examples/${label}.csv`, {
      payload: content,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    systemId = (
      await post('/api/ai-systems', {
        name: 'Pretrial risk assessment',
        purpose: 'Scores the risk that a defendant reoffends within two years',
        businessUnit: 'Courts',
        deploymentEnvironments: ['staging', 'production'],
      })
    ).json().id;
    modelComponentId = (await post('/api/third-party-components', { name: 'COMPAS', vendor: 'Northpointe', kind: 'model', licence: 'proprietary', componentVersion: 'Core' })).json().id;
    datasetComponentId = (
      await post('/api/third-party-components', { name: 'compas-analysis', vendor: 'ProPublica', kind: 'dataset', licence: 'unstated', componentVersion: '2016' })
    ).json().id;
    modelId = (await post('/api/models', { name: 'Recidivism score', thirdPartyComponentId: modelComponentId })).json().id;
    v1 = (await post(`/api/models/${modelId}/versions`, { versionLabel: '1.0' })).json();
    v2 = (await post(`/api/models/${modelId}/versions`, { versionLabel: '2.0' })).json();
    datasetId = (await post('/api/datasets', { name: 'COMPAS two-year', containsPersonalData: true, thirdPartyComponentId: datasetComponentId })).json().id;
    trainingVersion = await uploadVersion('train', trainingFile);
    testVersion = await uploadVersion('test', testFile);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('records training, validation and test data', async () => {
    const url = `/api/models/${modelId}/versions/${v1.id}/training-data`;
    const training = await server.as('validator')('POST', url, { body: { datasetVersionId: trainingVersion.id, purpose: 'training' } });
    expect(training.statusCode).toBe(201);
    expect(training.json()).toEqual({ modelVersionId: v1.id, datasetVersionId: trainingVersion.id, purpose: 'training' });
    expect((await server.as('validator')('POST', url, { body: { datasetVersionId: testVersion.id, purpose: 'test' } })).statusCode).toBe(201);
    expect((await server.as('validator')('POST', url, { body: { datasetVersionId: trainingVersion.id, purpose: 'validation' } })).statusCode).toBe(201);

    const listed = (await server.as('internal_auditor')('GET', url)).json();
    expect(listed.map((entry: { purpose: string }) => entry.purpose)).toEqual(['training', 'validation', 'test']);
    expect(listed[0].datasetVersion.sha256).toBe(sha256(trainingFile));
    expect(listed[0].dataset.name).toBe('COMPAS two-year');
  });

  it('rejects a duplicate or unknown training data link', async () => {
    const url = `/api/models/${modelId}/versions/${v1.id}/training-data`;
    const duplicate = await server.as('validator')('POST', url, { body: { datasetVersionId: trainingVersion.id, purpose: 'training' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe(`The model version "1.0" already records dataset version "train" (${trainingVersion.id}) as training data`);

    const unknownData = await server.as('validator')('POST', url, { body: { datasetVersionId: 'missing-version', purpose: 'training' } });
    expect(unknownData.statusCode).toBe(400);
    expect(unknownData.json().error.details).toEqual([
      { path: '/datasetVersionId', message: 'no dataset version with id "missing-version" exists; add the dataset version first' },
    ]);

    const unknownModelVersion = await server.as('validator')('POST', `/api/models/${modelId}/versions/missing-model-version/training-data`, {
      body: { datasetVersionId: trainingVersion.id, purpose: 'training' },
    });
    expect(unknownModelVersion.statusCode).toBe(404);
    expect(unknownModelVersion.json().error.message).toContain('"missing-model-version"');

    const badPurpose = await server.as('validator')('POST', url, { body: { datasetVersionId: trainingVersion.id, purpose: 'tuning' } });
    expect(badPurpose.statusCode).toBe(400);
    expect(badPurpose.json().error.details[0]).toEqual({ path: '/purpose', message: 'must be one of training, validation, test (received "tuning")' });
  });

  it('removes a training data link', async () => {
    const url = `/api/models/${modelId}/versions/${v1.id}/training-data/${trainingVersion.id}`;
    const removed = await server.as('validator')('DELETE', `${url}?purpose=validation&reason=duplicate%20of%20training`);
    expect(removed.statusCode).toBe(204);
    const again = await server.as('validator')('DELETE', `${url}?purpose=validation`);
    expect(again.statusCode).toBe(404);
    const noPurpose = await server.as('validator')('DELETE', url);
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().error.details[0].path).toBe('querystring:/purpose');
  });

  it('records which model version runs where', async () => {
    const url = `/api/ai-systems/${systemId}/model-versions`;
    const production = await server.as('ai_system_owner')('POST', url, { body: { modelVersionId: v1.id, environment: 'production' } });
    expect(production.statusCode).toBe(201);
    expect(production.json()).toEqual({ aiSystemId: systemId, modelVersionId: v1.id, environment: 'production' });
    expect((await server.as('ai_system_owner')('POST', url, { body: { modelVersionId: v2.id, environment: 'development' } })).statusCode).toBe(201);

    const duplicate = await server.as('ai_system_owner')('POST', url, { body: { modelVersionId: v1.id, environment: 'production' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe(`The model version "1.0" (${v1.id}) already runs in production of the AI system "Pretrial risk assessment"`);

    const unknownVersion = await server.as('ai_system_owner')('POST', url, { body: { modelVersionId: 'missing-model-version', environment: 'staging' } });
    expect(unknownVersion.statusCode).toBe(400);
    expect(unknownVersion.json().error.details[0]).toEqual({
      path: '/modelVersionId',
      message: 'no model version with id "missing-model-version" exists; add the model version first',
    });

    const unknownSystem = await server.as('ai_system_owner')('POST', '/api/ai-systems/missing-system/model-versions', {
      body: { modelVersionId: v1.id, environment: 'staging' },
    });
    expect(unknownSystem.statusCode).toBe(404);
    expect(unknownSystem.json().error.message).toContain('"missing-system"');

    const badEnvironment = await server.as('ai_system_owner')('POST', url, { body: { modelVersionId: v1.id, environment: 'test' } });
    expect(badEnvironment.statusCode).toBe(400);
  });

  it('reads the lineage an auditor asks for', async () => {
    const response = await server.as('internal_auditor')('GET', `/api/ai-systems/${systemId}/lineage`);
    expect(response.statusCode).toBe(200);
    const lineage = response.json();
    expect(lineage.aiSystem).toMatchObject({ id: systemId, name: 'Pretrial risk assessment', lifecycleStage: 'concept' });
    expect(lineage.environments.map((entry: { environment: string }) => entry.environment)).toEqual(['development', 'staging', 'production']);

    const [development, staging, production] = lineage.environments;
    expect(staging.modelVersions).toEqual([]);
    expect(development.modelVersions[0].modelVersion.versionLabel).toBe('2.0');
    expect(development.modelVersions[0].data).toEqual({ training: [], validation: [], test: [] });

    const running = production.modelVersions[0];
    expect(running.model).toMatchObject({ id: modelId, name: 'Recidivism score' });
    expect(running.modelVersion).toMatchObject({ id: v1.id, versionLabel: '1.0' });
    expect(running.thirdPartyComponent).toMatchObject({ id: modelComponentId, vendor: 'Northpointe', licence: 'proprietary' });
    expect(running.data.training).toHaveLength(1);
    expect(running.data.training[0].datasetVersion).toMatchObject({ id: trainingVersion.id, sha256: sha256(trainingFile), sizeBytes: trainingFile.length });
    expect(running.data.training[0].dataset).toMatchObject({ id: datasetId, containsPersonalData: true });
    expect(running.data.training[0].thirdPartyComponent).toMatchObject({ id: datasetComponentId, vendor: 'ProPublica' });
    expect(running.data.validation).toEqual([]);
    expect(running.data.test[0].datasetVersion.sha256).toBe(sha256(testFile));

    const unknown = await server.as('internal_auditor')('GET', '/api/ai-systems/missing-system/lineage');
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps versions that are deployed or used as data', async () => {
    const deployed = await server.as('administrator')('DELETE', `/api/models/${modelId}/versions/${v1.id}`);
    expect(deployed.statusCode).toBe(409);
    expect(deployed.json().error.message).toBe('The model version "1.0" runs in the AI system "Pretrial risk assessment" (production); withdraw it from there first');

    const usedData = await server.as('administrator')('DELETE', `/api/datasets/${datasetId}/versions/${trainingVersion.id}`);
    expect(usedData.statusCode).toBe(409);
    expect(usedData.json().error.message).toBe('The dataset version "train" is recorded as data of model "Recidivism score" version "1.0" (training); remove those links first');
  });

  it('withdraws a model version and then deletes it with its links', async () => {
    const url = `/api/ai-systems/${systemId}/model-versions/${v1.id}`;
    const wrongEnvironment = await server.as('ai_system_owner')('DELETE', `${url}?environment=staging`);
    expect(wrongEnvironment.statusCode).toBe(404);
    expect((await server.as('ai_system_owner')('DELETE', `${url}?environment=production`)).statusCode).toBe(204);

    const lineage = (await server.as('internal_auditor')('GET', `/api/ai-systems/${systemId}/lineage`)).json();
    expect(lineage.environments.find((entry: { environment: string }) => entry.environment === 'production').modelVersions).toEqual([]);

    expect((await server.as('administrator')('DELETE', `/api/models/${modelId}/versions/${v1.id}`)).statusCode).toBe(204);
    const remaining = await database.db.selectFrom('model_training_data').selectAll().where('model_version_id', '=', v1.id).execute();
    expect(remaining).toEqual([]);
    const event = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${v1.id}&action=model_version.deleted`)).json().items[0];
    expect(event.before.trainingData).toEqual([
      { purpose: 'training', datasetVersionId: trainingVersion.id, sha256: sha256(trainingFile) },
      { purpose: 'test', datasetVersionId: testVersion.id, sha256: sha256(testFile) },
    ]);
  });

  it('rejects link changes by a read-only role', async () => {
    const attempts = [
      () => server.as('internal_auditor')('POST', `/api/models/${modelId}/versions/${v2.id}/training-data`, { body: { datasetVersionId: testVersion.id, purpose: 'test' } }),
      () => server.as('internal_auditor')('DELETE', `/api/models/${modelId}/versions/${v2.id}/training-data/${testVersion.id}?purpose=test`),
      () => server.as('internal_auditor')('POST', `/api/ai-systems/${systemId}/model-versions`, { body: { modelVersionId: v2.id, environment: 'staging' } }),
      () => server.as('internal_auditor')('DELETE', `/api/ai-systems/${systemId}/model-versions/${v2.id}?environment=development`),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
    }
    expect((await server.anonymous('GET', `/api/ai-systems/${systemId}/lineage`)).statusCode).toBe(401);

    const auditor = callerWith(['internal_auditor']);
    await expect(
      writeTransaction(database, (trx) => linkTrainingData(trx, auditor, new Date(), v2.id, { datasetVersionId: testVersion.id, purpose: 'test' })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      writeTransaction(database, (trx) => linkModelVersionToAiSystem(trx, auditor, new Date(), systemId, { modelVersionId: v2.id, environment: 'staging' })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const deployments = await database.db.selectFrom('ai_system_model_versions').selectAll().execute();
    expect(deployments).toEqual([{ ai_system_id: systemId, model_version_id: v2.id, environment: 'development' }]);
  });

  it('audits every link change and keeps the chain intact', async () => {
    const systemEvents = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${systemId}&order=asc`)).json();
    expect(systemEvents.items.map((event: { action: string }) => event.action)).toEqual([
      'ai_system.created',
      'ai_system.model_version_linked',
      'ai_system.model_version_linked',
      'ai_system.model_version_unlinked',
    ]);
    const unlinked = (await server.as('internal_auditor')('GET', '/api/audit-events?action=model_version.training_data_unlinked')).json().items[0];
    expect(unlinked).toMatchObject({ recordId: v1.id, reason: 'duplicate of training', before: { purpose: 'validation' } });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
