import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { testContext } from '../support/context.js';
import { exampleAnswers } from '../classification/rules-fixtures.js';

/**
 * The data sources of the model versions an AI system deploys are inputs of its classification,
 * so changing a model version's training data marks stale the classifications of every system
 * that deploys that version, and only those.
 */
describe.each(databaseKinds)('training data changes and classifications on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let modelId: string;
  let deployedVersionId: string;
  let otherVersionId: string;
  let undeployedVersionId: string;
  let trainingSetId: string;
  let holdoutSetId: string;
  /** AI systems by role in the test: `deploying` runs the deployed version, `other` another version, `unclassified` the deployed version without a classification. */
  const systems: Record<'deploying' | 'other' | 'unclassified', string> = { deploying: '', other: '', unclassified: '' };
  const current: Record<'deploying' | 'other', string> = { deploying: '', other: '' };
  let openDraftId: string;

  const admin = () => server.as('administrator');

  const post = async (url: string, body: unknown) => {
    const response = await admin()('POST', url, { body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const uploadDatasetVersion = async (datasetId: string, label: string, content: string) => {
    const response = await server.as('validator')('POST', `/api/datasets/${datasetId}/versions?versionLabel=${label}&location=archive/${label}.csv`, {
      payload: content,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };

  /** Drafts a classification as the risk owner and approves it as the administrator, who did not draft it. */
  const approvedClassification = async (aiSystemId: string) => {
    const draft = await server.as('risk_owner')('POST', `/api/ai-systems/${aiSystemId}/classifications`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(draft.statusCode, draft.body).toBe(201);
    const approved = await admin()('POST', `/api/classifications/${draft.json().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    return draft.json().id as string;
  };

  const classificationOf = async (aiSystemId: string) => (await server.as('internal_auditor')('GET', `/api/ai-systems/${aiSystemId}/classification`)).json();
  const reviewCount = async () => Number((await database.db.selectFrom('classification_reviews').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const eventsSince = async (seq: number) =>
    database.db.selectFrom('audit_events').select(['action', 'record_id', 'reason']).where('seq', '>', seq).orderBy('seq').execute();
  const lastSeq = async () => Number((await database.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));

    modelId = (await post('/api/models', { name: 'Recidivism score' })).id;
    deployedVersionId = (await post(`/api/models/${modelId}/versions`, { versionLabel: '1.0' })).id;
    otherVersionId = (await post(`/api/models/${modelId}/versions`, { versionLabel: '2.0' })).id;
    undeployedVersionId = (await post(`/api/models/${modelId}/versions`, { versionLabel: '3.0-rc' })).id;
    const datasetId = (await post('/api/datasets', { name: 'Court records', containsPersonalData: true })).id;
    trainingSetId = await uploadDatasetVersion(datasetId, 'train-2024', 'case,outcome\n1,0\n2,1\n');
    holdoutSetId = await uploadDatasetVersion(datasetId, 'holdout-2024', 'case,outcome\n3,1\n');

    for (const [key, versionId] of [['deploying', deployedVersionId], ['other', otherVersionId], ['unclassified', deployedVersionId]] as const) {
      systems[key] = (await post('/api/ai-systems', { name: `Pretrial ${key}`, purpose: 'Scores the risk that a defendant reoffends', businessUnit: 'Courts' })).id;
      await post(`/api/ai-systems/${systems[key]}/model-versions`, { modelVersionId: versionId, environment: 'production' });
    }
    current.deploying = await approvedClassification(systems.deploying);
    current.other = await approvedClassification(systems.other);
    // A later draft of the deploying system, still open, must not be approvable on stale inputs either.
    const draft = await server.as('risk_owner')('POST', `/api/ai-systems/${systems.deploying}/classifications`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(draft.statusCode, draft.body).toBe(201);
    openDraftId = draft.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('ignores versions that run nowhere', async () => {
    const seq = await lastSeq();
    await post(`/api/models/${modelId}/versions/${undeployedVersionId}/training-data`, { datasetVersionId: trainingSetId, purpose: 'training' });
    expect((await eventsSince(seq)).map((event) => event.action)).toEqual(['model_version.training_data_linked']);
    expect((await classificationOf(systems.deploying)).current.stale).toBe(false);
    expect(await reviewCount()).toBe(0);
  });

  it('marks deploying systems stale', async () => {
    const seq = await lastSeq();
    const linked = await server.as('validator')('POST', `/api/models/${modelId}/versions/${deployedVersionId}/training-data?reason=Retrained%20on%202024%20cases`, {
      body: { datasetVersionId: trainingSetId, purpose: 'training' },
    });
    expect(linked.statusCode, linked.body).toBe(201);

    const view = await classificationOf(systems.deploying);
    expect(view.current).toMatchObject({ id: current.deploying, stale: true, staleInputs: ['dataSources'] });
    expect(view.openDraft).toMatchObject({ id: openDraftId, stale: true, staleInputs: ['dataSources'] });
    expect(view.openReview).toMatchObject({ classificationId: current.deploying, status: 'open', assignedRole: 'risk_owner', changedInputs: ['dataSources'] });
    // The stepping clock starts on 2026-01-01, and the default review period is 30 days.
    expect(view.openReview.dueDate).toBe('2026-01-31');
    expect(view.current.staleSince).toBe(view.openReview.openedAt);

    const system = (await server.as('internal_auditor')('GET', `/api/ai-systems/${systems.deploying}`)).json();
    expect(system.classification).toMatchObject({ id: current.deploying, stale: true, staleInputs: ['dataSources'] });

    const events = await eventsSince(seq);
    expect(events.map((event) => [event.action, event.record_id])).toEqual([
      ['model_version.training_data_linked', deployedVersionId],
      ['classification.marked_stale', openDraftId],
      ['classification.marked_stale', current.deploying],
      ['classification_review.opened', view.openReview.id],
    ]);
    expect(new Set(events.map((event) => event.reason))).toEqual(new Set(['Retrained on 2024 cases']));
  });

  it('spares other and unclassified systems', async () => {
    const other = await classificationOf(systems.other);
    expect(other.current).toMatchObject({ id: current.other, stale: false, staleInputs: [] });
    expect(other.openReview).toBeNull();

    const unclassified = await classificationOf(systems.unclassified);
    expect(unclassified).toEqual({ aiSystemId: systems.unclassified, current: null, openDraft: null, openReview: null });
    expect(await reviewCount()).toBe(1);
  });

  it('keeps one review through changes', async () => {
    const before = await classificationOf(systems.deploying);
    const seq = await lastSeq();
    await post(`/api/models/${modelId}/versions/${deployedVersionId}/training-data`, { datasetVersionId: holdoutSetId, purpose: 'test' });
    const removed = await server.as('validator')('DELETE', `/api/models/${modelId}/versions/${deployedVersionId}/training-data/${trainingSetId}?purpose=training`);
    expect(removed.statusCode).toBe(204);

    // dataSources is already recorded as changed, so nothing more is marked or opened.
    expect((await eventsSince(seq)).map((event) => event.action)).toEqual(['model_version.training_data_linked', 'model_version.training_data_unlinked']);
    const after = await classificationOf(systems.deploying);
    expect(after.current).toMatchObject({ stale: true, staleSince: before.current.staleSince, staleInputs: ['dataSources'], version: before.current.version });
    expect(after.openReview).toMatchObject({ id: before.openReview.id, changedInputs: ['dataSources'], version: before.openReview.version });
    expect(await reviewCount()).toBe(1);
  });

  it('marks stale again after approval', async () => {
    const recomputed = await server.as('ai_system_owner')('PUT', `/api/classifications/${openDraftId}`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(recomputed.statusCode, recomputed.body).toBe(200);
    expect(recomputed.json()).toMatchObject({ stale: false, inputs: { dataSources: [{ datasetVersionId: holdoutSetId, purpose: 'test' }] } });
    const approved = await admin()('POST', `/api/classifications/${openDraftId}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await classificationOf(systems.deploying)).openReview).toBeNull();

    const removed = await server.as('validator')('DELETE', `/api/models/${modelId}/versions/${deployedVersionId}/training-data/${holdoutSetId}?purpose=test`);
    expect(removed.statusCode).toBe(204);
    const view = await classificationOf(systems.deploying);
    expect(view.current).toMatchObject({ id: openDraftId, stale: true, staleInputs: ['dataSources'] });
    expect(view.openReview).toMatchObject({ classificationId: openDraftId, changedInputs: ['dataSources'], status: 'open' });
    expect(await reviewCount()).toBe(2);
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
