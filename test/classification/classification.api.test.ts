import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listClassificationReviews } from '../../src/classification/reevaluation.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { callerWith, steppingClock, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { exampleAnswers } from './rules-fixtures.js';

describe.each(databaseKinds)('classification API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  const systems: Record<string, string> = {};
  const firstClassification: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const admin = () => server.as('administrator');
  const riskOwner = () => server.as('risk_owner');

  async function createSystem(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await admin()('POST', '/api/ai-systems', { body: { name, purpose: `${name} purpose`, businessUnit: 'Test', ...extra } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  }

  async function counts() {
    const db = database.db;
    const [classifications, reviews, events] = await Promise.all([
      db.selectFrom('classifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('classification_reviews').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { classifications: Number(classifications.n), reviews: Number(reviews.n), events: Number(events.n) };
  }

  const classificationOf = async (systemId: string) => (await server.as('internal_auditor')('GET', `/api/ai-systems/${systemId}/classification`)).json();

  it('lists questions with their allowed options', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/classification/questionnaire');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.sections.map((section: { id: string }) => section.id)).toEqual(['eu-ai-act', 'gdpr']);
    const annexIii = body.sections[0].questions.find((question: { id: string }) => question.id === 'annex-iii-use');
    expect(annexIii.options).toHaveLength(26);
    expect(body.sections[0].rules.find((rule: { id: string }) => rule.id === 'annex-iii-6-d').citation).toBe('Annex III 6(d)');
    expect(body.impact.factors.find((factor: { id: string }) => factor.id === 'autonomy').source).toBe('ai-system-autonomy');
  });

  it.each([
    ['compas-recidivism', { organizationRole: 'deployer', autonomy: 'human_in_the_loop' }, 'high-risk', 'Annex III 6(d)'],
    ['social-scoring', { organizationRole: 'deployer', autonomy: 'autonomous' }, 'prohibited', 'Art 5(1)(c)'],
    ['customer-service-chatbot', { organizationRole: 'provider', autonomy: 'autonomous', deploymentEnvironments: ['production'] }, 'transparency', 'Art 50(1)'],
    ['spam-filter', { organizationRole: 'deployer', autonomy: 'autonomous' }, 'minimal', 'Art 4'],
  ])('classifies %s', async (example, fields, tier, citation) => {
    const systemId = await createSystem(example, fields);
    systems[example] = systemId;
    const response = await riskOwner()('POST', `/api/ai-systems/${systemId}/classifications`, { body: { answers: exampleAnswers(example) } });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const draft = response.json();
    firstClassification[example] = draft.id;
    expect(draft).toMatchObject({ aiSystemId: systemId, number: 1, status: 'draft', tier, role: fields.organizationRole, roleSource: 'ai_system', stale: false });
    expect(draft.result.euAiAct.trace.map((entry: { citation: string }) => entry.citation)).toContain(citation);
    expect(draft.inputs).toMatchObject({ purpose: `${example} purpose`, autonomy: fields.autonomy, organizationRole: fields.organizationRole });
    expect(draft.result.rules.euAiAct).toMatchObject({ id: 'eu-ai-act', version: '2' });

    const read = await server.as('internal_auditor')('GET', `/api/classifications/${draft.id}`);
    expect(read.json()).toEqual(draft);
  });

  it('stores the obligations for the role', async () => {
    const draft = (await server.as('internal_auditor')('GET', `/api/classifications/${firstClassification['compas-recidivism']}`)).json();
    const refs = draft.result.euAiAct.obligations.map((obligation: { ref: string }) => obligation.ref);
    expect(refs).toContain('eu-ai-act:Art 26(1)');
    expect(refs).toContain('eu-ai-act:Art 27');
    expect(refs).not.toContain('eu-ai-act:Art 9');
    expect(draft.dpiaRequired).toBe(true);
    expect(draft.impactLevel).toBe('critical');
  });

  it('rejects an answer outside the options and writes nothing', async () => {
    const before = await counts();
    const answers = { ...exampleAnswers('spam-filter'), 'annex-iii-use': ['crystal-ball'], 'harm-severity': 'catastrophic' };
    const response = await riskOwner()('POST', `/api/ai-systems/${systems['spam-filter']}/classifications`, { body: { answers } });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([
      { path: '/answers/annex-iii-use/0', message: expect.stringMatching(/^"crystal-ball" is not an allowed option of question annex-iii-use; choose one or more of: none, remote-biometric-identification, /) },
      { path: '/answers/harm-severity', message: '"catastrophic" is not an allowed option of question harm-severity; choose one of: negligible, limited, serious, severe' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('rejects an unknown role and system', async () => {
    const role = await riskOwner()('POST', `/api/ai-systems/${systems['spam-filter']}/classification/preview`, { body: { answers: exampleAnswers('spam-filter'), role: 'reseller' } });
    expect(role.statusCode).toBe(400);
    expect(role.json().error.details[0].path).toBe('/role');
    const missing = await riskOwner()('POST', '/api/ai-systems/no-such-system/classifications', { body: { answers: exampleAnswers('spam-filter') } });
    expect(missing.statusCode).toBe(404);
  });

  it('lets the internal auditor read but not change', async () => {
    const before = await counts();
    const auditor = server.as('internal_auditor');
    const draft = await auditor('POST', `/api/ai-systems/${systems['spam-filter']}/classifications`, { body: { answers: exampleAnswers('spam-filter') } });
    expect(draft.statusCode).toBe(403);
    expect(draft.json().error.message).toContain('may not change records');
    expect((await auditor('POST', `/api/classifications/${firstClassification['spam-filter']}/approve`)).statusCode).toBe(403);
    expect((await auditor('PUT', `/api/classifications/${firstClassification['spam-filter']}`, { body: { answers: exampleAnswers('spam-filter') } })).statusCode).toBe(403);
    expect((await auditor('DELETE', `/api/classifications/${firstClassification['spam-filter']}`)).statusCode).toBe(403);
    expect((await auditor('PUT', '/api/classification/settings', { body: { reviewDueDays: 5, impactConfiguration: null } })).statusCode).toBe(403);

    // The server rejects every POST of a read-only caller, a preview included.
    expect((await auditor('POST', `/api/ai-systems/${systems['compas-recidivism']}/classification/preview`, { body: { answers: {} } })).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('previews without storing anything', async () => {
    const validator = server.as('validator');
    // The first request issues the validator's token, which is audited, so it comes before the count.
    await validator('GET', '/api/classification/settings');
    const before = await counts();
    const preview = await validator('POST', `/api/ai-systems/${systems['compas-recidivism']}/classification/preview`, {
      body: { answers: exampleAnswers('compas-recidivism'), role: 'provider' },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ role: 'provider', roleSource: 'request', result: { euAiAct: { tier: 'high-risk' } } });
    expect(preview.json().result.euAiAct.obligations.map((obligation: { ref: string }) => obligation.ref)).toContain('eu-ai-act:Art 9');
    expect(await counts()).toEqual(before);
  });

  it('refuses approval by the drafter', async () => {
    const response = await riskOwner()('POST', `/api/classifications/${firstClassification['compas-recidivism']}/approve`);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe('risk-owner computed draft classification 1 of "compas-recidivism", so may not approve it; a risk owner who did not draft it must approve it');
    const owner = await server.as('ai_system_owner')('POST', `/api/classifications/${firstClassification['compas-recidivism']}/approve`);
    expect(owner.statusCode).toBe(403);
    expect(owner.json().error.message).toContain('classification.approve');
  });

  it('makes an approved classification current', async () => {
    for (const example of Object.keys(firstClassification)) {
      const response = await admin()('POST', `/api/classifications/${firstClassification[example]}/approve`, { body: { comment: 'Checked against the answers' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'approved', approvalComment: 'Checked against the answers', version: 2 });
    }
    const view = await classificationOf(systems['compas-recidivism']!);
    expect(view.current).toMatchObject({ id: firstClassification['compas-recidivism'], tier: 'high-risk', impactLevel: 'critical', stale: false, staleInputs: [], aiSystemName: 'compas-recidivism' });
    expect(view.openDraft).toBeNull();
    expect(view.openReview).toBeNull();

    const again = await admin()('POST', `/api/classifications/${firstClassification['compas-recidivism']}/approve`);
    expect(again.statusCode).toBe(409);
  });

  it('marks stale on a deployment environment change and opens a review', async () => {
    const systemId = systems['compas-recidivism']!;
    const person = await admin()('POST', '/api/people', { body: { name: 'Rita Owner' } });
    const assignment = await admin()('POST', '/api/role-assignments', { body: { personId: person.json().id, role: 'risk_owner', aiSystemId: systemId } });
    expect(assignment.statusCode).toBe(201);

    const changed = await server.as('ai_system_owner')('PATCH', `/api/ai-systems/${systemId}`, { body: { deploymentEnvironments: ['staging', 'production'] } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().classification).toMatchObject({ id: firstClassification['compas-recidivism'], stale: true, staleInputs: ['deploymentEnvironments'] });

    const view = await classificationOf(systemId);
    expect(view.current).toMatchObject({ stale: true, staleInputs: ['deploymentEnvironments'] });
    const review = view.openReview;
    expect(review).toMatchObject({
      classificationId: firstClassification['compas-recidivism'],
      status: 'open',
      assignedRole: 'risk_owner',
      changedInputs: ['deploymentEnvironments'],
      overdue: false,
      riskOwners: [{ personId: person.json().id, name: 'Rita Owner', scope: 'ai_system' }],
    });
    // The stepping clock starts on 2026-01-01, and the default review period is 30 days.
    expect(review.openedAt.slice(0, 10)).toBe('2026-01-01');
    expect(review.dueDate).toBe('2026-01-31');
    expect(view.current.staleSince).toBe(review.openedAt);

    const events = await database.db
      .selectFrom('audit_events')
      .select(['seq', 'action', 'occurred_at', 'record_id'])
      .where('action', 'in', ['ai_system.updated', 'classification.marked_stale', 'classification_review.opened'])
      .orderBy('seq', 'desc')
      .limit(3)
      .execute();
    expect(events.map((event) => event.action).reverse()).toEqual(['ai_system.updated', 'classification.marked_stale', 'classification_review.opened']);
    expect(new Set(events.map((event) => event.occurred_at)).size).toBe(1);

    const stale = (await server.as('internal_auditor')('GET', '/api/classifications?stale=true&status=approved')).json();
    expect(stale.items.map((item: { aiSystemName: string }) => item.aiSystemName)).toEqual(['compas-recidivism']);
    const open = (await server.as('internal_auditor')('GET', '/api/classification-reviews?status=open')).json();
    expect(open.items.map((item: { id: string }) => item.id)).toEqual([review.id]);
  });

  it('shows and filters stale AI systems', async () => {
    const systemId = systems['compas-recidivism']!;
    const view = await classificationOf(systemId);
    const read = await server.as('internal_auditor')('GET', `/api/ai-systems/${systemId}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().classification).toEqual({
      id: firstClassification['compas-recidivism'],
      number: 1,
      status: 'approved',
      tier: 'high-risk',
      impactLevel: 'critical',
      stale: true,
      staleSince: view.current.staleSince,
      staleInputs: ['deploymentEnvironments'],
    });

    const list = (await server.as('internal_auditor')('GET', '/api/ai-systems?sort=name')).json();
    const listed = Object.fromEntries(list.items.map((item: { name: string; classification: { tier: string; stale: boolean } | null }) => [item.name, item.classification]));
    expect(listed['compas-recidivism']).toEqual(read.json().classification);
    expect(listed['spam-filter']).toMatchObject({ tier: 'minimal', stale: false, staleSince: null, staleInputs: [] });

    const names = async (query: string) => {
      const response = await server.as('internal_auditor')('GET', `/api/ai-systems?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return { names: response.json().items.map((item: { name: string }) => item.name), total: response.json().total };
    };
    expect(await names('classificationStale=true')).toEqual({ names: ['compas-recidivism'], total: 1 });
    expect(await names('classificationStale=false')).toEqual({ names: ['customer-service-chatbot', 'social-scoring', 'spam-filter'], total: 3 });
    expect(await names('classificationTier=high-risk')).toEqual({ names: ['compas-recidivism'], total: 1 });
    expect(await names('classificationStale=false&classificationTier=high-risk')).toEqual({ names: [], total: 0 });
    expect(await names('classificationStale=true&q=COMPAS&sort=-name')).toEqual({ names: ['compas-recidivism'], total: 1 });

    const unclassified = await createSystem('unclassified');
    expect((await server.as('internal_auditor')('GET', `/api/ai-systems/${unclassified}`)).json().classification).toBeNull();
    expect((await names('q=unclassified')).names).toEqual(['unclassified']);
    expect((await names('classificationStale=false&q=unclassified')).names).toEqual([]);
    const deleted = await admin()('DELETE', `/api/ai-systems/${unclassified}`);
    expect(deleted.statusCode).toBe(204);

    const badTier = await server.as('internal_auditor')('GET', '/api/ai-systems?classificationTier=severe');
    expect(badTier.statusCode).toBe(400);
    expect(badTier.json().error.details[0].path).toBe('querystring:/classificationTier');
  });

  it('extends the open review on another change', async () => {
    const systemId = systems['compas-recidivism']!;
    await admin()('PATCH', `/api/ai-systems/${systemId}`, { body: { autonomy: 'human_on_the_loop' } });
    const view = await classificationOf(systemId);
    expect(view.current.staleInputs).toEqual(['deploymentEnvironments', 'autonomy']);
    expect(view.openReview).toMatchObject({ changedInputs: ['deploymentEnvironments', 'autonomy'], dueDate: '2026-01-31', version: 2 });
    const reviews = await database.db.selectFrom('classification_reviews').select('id').where('ai_system_id', '=', systemId).execute();
    expect(reviews).toHaveLength(1);
  });

  it('ignores changes to fields it did not use', async () => {
    const systemId = systems['spam-filter']!;
    const response = await admin()('PATCH', `/api/ai-systems/${systemId}`, { body: { intendedUse: 'Filter inbound mail', name: 'spam-filter 2' } });
    expect(response.statusCode).toBe(200);
    const view = await classificationOf(systemId);
    expect(view.current.stale).toBe(false);
    expect(view.openReview).toBeNull();
  });

  it('refuses a stale draft, then closes the review on approval', async () => {
    const systemId = systems['compas-recidivism']!;
    const created = await riskOwner()('POST', `/api/ai-systems/${systemId}/classifications`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({ number: 2, stale: false, inputs: { deploymentEnvironments: ['staging', 'production'], autonomy: 'human_on_the_loop' } });

    const second = await riskOwner()('POST', `/api/ai-systems/${systemId}/classifications`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('Draft classification 2 of this AI system is still open');

    await admin()('PATCH', `/api/ai-systems/${systemId}`, { body: { purpose: 'Inform bail decisions' } });
    const refused = await admin()('POST', `/api/classifications/${draft.id}/approve`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('is stale: purpose changed after it was computed');

    const wrongVersion = await server.as('ai_system_owner')('PUT', `/api/classifications/${draft.id}`, { body: { answers: exampleAnswers('compas-recidivism') }, headers: { 'if-match': '"1"' } });
    expect(wrongVersion.statusCode).toBe(412);
    const recomputed = await server.as('ai_system_owner')('PUT', `/api/classifications/${draft.id}`, {
      body: { answers: exampleAnswers('compas-recidivism') },
      headers: { 'if-match': '"2"' },
    });
    expect(recomputed.statusCode).toBe(200);
    expect(recomputed.json()).toMatchObject({ stale: false, version: 3, inputs: { purpose: 'Inform bail decisions' } });
    expect(recomputed.json().authors).toHaveLength(2);

    const approved = await admin()('POST', `/api/classifications/${draft.id}/approve`, { headers: { 'if-match': '"3"' } });
    expect(approved.statusCode).toBe(200);

    const view = await classificationOf(systemId);
    expect(view.current).toMatchObject({ id: draft.id, number: 2, stale: false });
    expect(view.openReview).toBeNull();
    const reviews = (await server.as('internal_auditor')('GET', `/api/classification-reviews?aiSystemId=${systemId}`)).json();
    expect(reviews.items).toHaveLength(1);
    expect(reviews.items[0]).toMatchObject({ status: 'done', closedByClassificationId: draft.id, overdue: false });
    expect(reviews.items[0].closedAt).not.toBeNull();

    const history = (await server.as('internal_auditor')('GET', `/api/classifications?aiSystemId=${systemId}`)).json();
    expect(history.items.map((item: { number: number; status: string; stale: boolean }) => [item.number, item.status, item.stale])).toEqual([
      [2, 'approved', false],
      [1, 'superseded', true],
    ]);
  });

  it('marks stale when a model version is deployed or withdrawn', async () => {
    const systemId = systems['spam-filter']!;
    const model = await admin()('POST', '/api/models', { body: { name: 'Spam scorer' } });
    const version = await admin()('POST', `/api/models/${model.json().id}/versions`, { body: { versionLabel: '1.0' } });
    const deployed = await admin()('POST', `/api/ai-systems/${systemId}/model-versions`, { body: { modelVersionId: version.json().id, environment: 'production' } });
    expect(deployed.statusCode).toBe(201);

    const view = await classificationOf(systemId);
    expect(view.current).toMatchObject({ stale: true, staleInputs: ['modelVersions'] });
    expect(view.openReview.changedInputs).toEqual(['modelVersions']);

    const withdrawn = await admin()('DELETE', `/api/ai-systems/${systemId}/model-versions/${version.json().id}?environment=production`);
    expect(withdrawn.statusCode).toBe(204);
    const after = await classificationOf(systemId);
    expect(after.current.staleInputs).toEqual(['modelVersions']);
    expect(after.openReview.id).toBe(view.openReview.id);
  });

  it('snapshots data sources of deployed model versions', async () => {
    const systemId = systems['compas-recidivism']!;
    const dataset = await admin()('POST', '/api/datasets', { body: { name: 'Court records', containsPersonalData: true } });
    const datasetVersion = await admin()('POST', `/api/datasets/${dataset.json().id}/versions?versionLabel=2024&location=archive`, {
      payload: 'case,outcome\n1,0\n',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(datasetVersion.statusCode).toBe(201);
    const model = await admin()('POST', '/api/models', { body: { name: 'Risk scorer' } });
    const version = await admin()('POST', `/api/models/${model.json().id}/versions`, { body: { versionLabel: '2.1' } });
    const linked = await admin()('POST', `/api/models/${model.json().id}/versions/${version.json().id}/training-data`, {
      body: { datasetVersionId: datasetVersion.json().id, purpose: 'training' },
    });
    expect(linked.statusCode).toBe(201);

    await admin()('POST', `/api/ai-systems/${systemId}/model-versions`, { body: { modelVersionId: version.json().id, environment: 'production' } });
    const view = await classificationOf(systemId);
    expect(view.current).toMatchObject({ number: 2, stale: true, staleInputs: ['dataSources', 'modelVersions'] });
    expect(view.openReview).toMatchObject({ classificationId: view.current.id, changedInputs: ['dataSources', 'modelVersions'], status: 'open' });

    const preview = await riskOwner()('POST', `/api/ai-systems/${systemId}/classification/preview`, { body: { answers: exampleAnswers('compas-recidivism') } });
    expect(preview.json().inputs.dataSources).toEqual([
      { modelVersionId: version.json().id, datasetId: dataset.json().id, datasetName: 'Court records', datasetVersionId: datasetVersion.json().id, versionLabel: '2024', purpose: 'training' },
    ]);
    expect(preview.json().inputs.modelVersions).toEqual([{ modelVersionId: version.json().id, modelName: 'Risk scorer', versionLabel: '2.1', environment: 'production' }]);
  });

  it('lists overdue reviews after the due date', async () => {
    const later = testContext(database, steppingClock('2026-03-15T00:00:00.000Z'));
    const overdue = await listClassificationReviews(later, callerWith(['internal_auditor']), { overdue: true });
    // Both reviews are due on the same day, so their order is not fixed.
    expect(overdue.items.map((review) => review.aiSystemName).sort()).toEqual(['compas-recidivism', 'spam-filter 2']);
    expect(overdue.items[0]!.overdue).toBe(true);
    const onTime = await listClassificationReviews(ctx, callerWith(['internal_auditor']), { overdue: true });
    expect(onTime.total).toBe(0);
  });

  it('applies stored settings to reviews and impact', async () => {
    const before = await counts();
    const invalid = await riskOwner()('PUT', '/api/classification/settings', {
      body: { reviewDueDays: 10, impactConfiguration: { points: {}, thresholds: { high: 5, critical: 5 }, escalations: [] } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details.map((detail: { path: string }) => detail.path)).toContain('/impactConfiguration/thresholds/critical');
    const badCondition = await riskOwner()('PUT', '/api/classification/settings', {
      body: { reviewDueDays: 10, impactConfiguration: { ...(await builtInConfiguration()), escalations: [{ id: 'x', level: 'high', summary: 'x', when: { question: 'harm-severity' } }] } },
    });
    expect(badCondition.statusCode).toBe(400);
    expect(badCondition.json().error.details[0]).toEqual({
      path: '/impactConfiguration/escalations/0/when',
      message: expect.stringMatching(/^is not a valid condition \(received \{"question":"harm-severity"\}\); use /),
    });
    expect(await counts()).toEqual(before);

    const configuration = { ...(await builtInConfiguration()), thresholds: { high: 2, critical: 30 }, escalations: [] };
    const stored = await riskOwner()('PUT', '/api/classification/settings?reason=Calibrated%20to%20our%20criteria', {
      body: { reviewDueDays: 10, impactConfiguration: configuration, comment: 'Stricter high band' },
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ number: 1, reviewDueDays: 10, impactSource: 'organization', comment: 'Stricter high band' });

    const systemId = systems['customer-service-chatbot']!;
    const preview = await riskOwner()('POST', `/api/ai-systems/${systemId}/classification/preview`, { body: { answers: exampleAnswers('customer-service-chatbot') } });
    expect(preview.json().result.impact).toMatchObject({ level: 'high', configuration: { source: 'organization', settingsNumber: 1 } });

    await admin()('PATCH', `/api/ai-systems/${systemId}`, { body: { deploymentEnvironments: ['staging'] } });
    expect((await classificationOf(systemId)).openReview.dueDate).toBe('2026-01-11');
  });

  it('keeps a classified system and its history', async () => {
    const systemId = systems['social-scoring']!;
    await admin()('PATCH', `/api/ai-systems/${systemId}`, { body: { affectedGroups: ['benefit claimants'] } });
    expect((await classificationOf(systemId)).openReview).not.toBeNull();
    const deleted = await admin()('DELETE', `/api/ai-systems/${systemId}`);
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['classifications']);
    const left = await database.db.selectFrom('classifications').select('id').where('ai_system_id', '=', systemId).execute();
    expect(left.length).toBeGreaterThan(0);
    expect((await server.as('internal_auditor')('GET', `/api/classifications/${firstClassification['social-scoring']}`)).statusCode).toBe(200);
  });

  it('documents the routes in OpenAPI', async () => {
    const openapi = await server.anonymous('GET', '/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    const paths = Object.keys(openapi.json().paths);
    for (const route of ['/api/classification/questionnaire', '/api/ai-systems/{id}/classifications', '/api/ai-systems/{id}/classification', '/api/classifications/{id}/approve', '/api/classification-reviews']) {
      expect(paths).toContain(route);
    }
  });

  it('keeps the audit chain intact', async () => {
    const actions = await database.db.selectFrom('audit_events').select('action').where('record_type', 'like', 'classification%').execute();
    const kinds = new Set(actions.map((row) => row.action));
    for (const action of ['classification.created', 'classification.updated', 'classification.approved', 'classification.superseded', 'classification.marked_stale', 'classification_review.opened', 'classification_review.updated', 'classification_review.closed', 'classification_settings.changed']) {
      expect(kinds.has(action as never), action).toBe(true);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  async function builtInConfiguration() {
    return (await server.as('internal_auditor')('GET', '/api/classification/settings')).json().builtInImpactConfiguration;
  }
});
