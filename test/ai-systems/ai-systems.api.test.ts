import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { startTestServer, type TestServer } from '../support/server.js';

const credit = {
  name: 'Credit limit scoring',
  purpose: 'Suggests a credit limit for new card customers',
  businessUnit: 'Retail banking',
  lifecycleStage: 'development',
  organizationRole: 'provider',
  deploymentEnvironments: ['development', 'staging'],
  autonomy: 'human_in_the_loop',
  affectedGroups: ['applicants'],
  decisionDomain: 'credit',
};

describe.each(databaseKinds)('AI systems API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
  });
  afterAll(async () => {
    await server.app.close();
    await database.cleanup();
  });

  it('creates and reads a system with its ETag', async () => {
    const created = await server.as('ai_system_owner')('POST', '/api/ai-systems', { body: credit });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ ...credit, version: 1, inScope: true, ownerId: null });
    expect(created.headers.etag).toBe('"1"');

    const read = await server.as('internal_auditor')('GET', `/api/ai-systems/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
    expect(read.headers['x-request-id']).toBeTruthy();
  });

  it('accepts register provenance fields', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', {
      body: {
        ...credit,
        name: 'Parking permits',
        sourceUrl: 'https://algoritmes.overheid.nl/nl/algoritme/12337864',
        publishedAt: '2025-10-31',
        externalId: '12337864',
        impactAssessmentStatus: 'completed',
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sourceUrl: 'https://algoritmes.overheid.nl/nl/algoritme/12337864', publishedAt: '2025-10-31' });

    const invalid = await server.as('administrator')('POST', '/api/ai-systems', { body: { ...credit, name: 'Bad URL', sourceUrl: 'not a url' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details).toEqual([{ path: '/sourceUrl', message: 'must be an absolute http or https URL, or null (received "not a url")' }]);

    const script = await server.as('administrator')('POST', '/api/ai-systems', { body: { ...credit, name: 'Script URL', sourceUrl: 'javascript:alert(1)' } });
    expect(script.statusCode).toBe(400);
  });

  it('rejects unauthenticated requests', async () => {
    const response = await server.anonymous('GET', '/api/ai-systems');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects an unknown token', async () => {
    const response = await server.anonymous('GET', '/api/ai-systems', { headers: { authorization: 'Bearer custos_nope' } });
    expect(response.statusCode).toBe(401);
  });

  it('keeps the internal auditor read-only', async () => {
    const response = await server.as('internal_auditor')('POST', '/api/ai-systems', { body: { ...credit, name: 'Auditor attempt' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
    const invalid = await server.as('internal_auditor')('POST', '/api/ai-systems', { body: { name: 42 } });
    expect(invalid.statusCode).toBe(403);
    const list = await server.as('internal_auditor')('GET', '/api/ai-systems?q=auditor');
    expect(list.json().total).toBe(0);
  });

  it('lists every validation problem with its path', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', {
      body: { name: '', purpose: 42, lifecycleStage: 'launched', colour: 'red', inScope: 'true' },
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['/businessUnit', '/colour', '/inScope', '/lifecycleStage', '/name', '/purpose']);
    const stage = error.details.find((detail: { path: string }) => detail.path === '/lifecycleStage');
    expect(stage.message).toBe('must be one of concept, design, development, validation, pilot, production, retired (received "launched")');
  });

  it('rejects malformed JSON', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', {
      payload: '{"name": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
  });

  it('rejects an oversized body', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', {
      body: { ...credit, name: 'Huge', purpose: 'x'.repeat(2_000_000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('rejects a duplicate name in the same business unit', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { body: credit });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('"Credit limit scoring" already exists in business unit "Retail banking"');
    const other = await server.as('administrator')('POST', '/api/ai-systems', { body: { ...credit, businessUnit: 'Business banking' } });
    expect(other.statusCode).toBe(201);
  });

  it('answers 412 to a stale If-Match and keeps the newer update', async () => {
    const created = (await server.as('administrator')('POST', '/api/ai-systems', { body: { ...credit, name: 'Fraud alerts' } })).json();
    const first = await server.as('administrator')('PATCH', `/api/ai-systems/${created.id}`, {
      body: { purpose: 'Flags card payments for review' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');

    const stale = await server.as('administrator')('PATCH', `/api/ai-systems/${created.id}`, {
      body: { purpose: 'Overwrites the other change' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('PRECONDITION_FAILED');

    const read = (await server.as('administrator')('GET', `/api/ai-systems/${created.id}`)).json();
    expect(read.purpose).toBe('Flags card payments for review');

    const staleDelete = await server.as('administrator')('DELETE', `/api/ai-systems/${created.id}`, { headers: { 'if-match': '"1"' } });
    expect(staleDelete.statusCode).toBe(412);
  });

  it('records lifecycle transitions with who and why', async () => {
    const created = (await server.as('administrator')('POST', '/api/ai-systems', { body: { ...credit, name: 'Churn model' } })).json();
    const moved = await server.as('ai_system_owner')('POST', `/api/ai-systems/${created.id}/lifecycle-transitions`, {
      body: { toStage: 'validation', reason: 'Training finished' },
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json().aiSystem.lifecycleStage).toBe('validation');

    const skipped = await server.as('ai_system_owner')('POST', `/api/ai-systems/${created.id}/lifecycle-transitions`, {
      body: { toStage: 'concept', reason: 'Start over' },
    });
    expect(skipped.statusCode).toBe(409);

    const history = (await server.as('internal_auditor')('GET', `/api/ai-systems/${created.id}/lifecycle-transitions`)).json();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ fromStage: 'development', toStage: 'validation', actorId: expect.stringMatching(/.+/), reason: 'Training finished' });
  });

  it('filters, sorts and paginates with the total', async () => {
    for (let index = 0; index < 12; index += 1) {
      await server.as('administrator')('POST', '/api/ai-systems', {
        body: { ...credit, name: `Paged ${String(index).padStart(2, '0')}`, businessUnit: 'Paging unit', lifecycleStage: index % 2 === 0 ? 'production' : 'pilot' },
      });
    }
    const page = (await server.as('validator')('GET', '/api/ai-systems?businessUnit=Paging%20unit&lifecycleStage=production&sort=-name&limit=4&offset=1')).json();
    expect(page.total).toBe(6);
    expect(page.limit).toBe(4);
    expect(page.items.map((item: { name: string }) => item.name)).toEqual(['Paged 08', 'Paged 06', 'Paged 04', 'Paged 02']);

    const bad = await server.as('validator')('GET', '/api/ai-systems?limit=0&sort=colour');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['querystring:/limit', 'querystring:/sort']);
  });

  it('audits the assignments deleted with a system', async () => {
    const admin = server.as('administrator');
    const system = (await admin('POST', '/api/ai-systems', { body: { ...credit, name: 'Short-lived' } })).json();
    const person = (await admin('POST', '/api/people', { body: { name: 'Rita Owner' } })).json();
    const role = await admin('POST', '/api/role-assignments', { body: { personId: person.id, role: 'risk_owner', aiSystemId: system.id } });
    expect(role.statusCode).toBe(201);
    const raci = await admin('POST', `/api/ai-systems/${system.id}/raci`, { body: { activity: 'Deployment approval', responsibility: 'accountable', personId: person.id } });
    expect(raci.statusCode).toBe(201);

    const deleted = await admin('DELETE', `/api/ai-systems/${system.id}?reason=Duplicate%20entry`);
    expect(deleted.statusCode).toBe(204);

    const roleEvents = (await admin('GET', `/api/audit-events?action=role_assignment.deleted&recordId=${role.json().id}`)).json();
    expect(roleEvents.total).toBe(1);
    expect(roleEvents.items[0].reason).toBe('Duplicate entry');
    const raciEvents = (await admin('GET', `/api/audit-events?action=raci_assignment.deleted&recordId=${raci.json().id}`)).json();
    expect(raciEvents.total).toBe(1);
    const systemEvents = (await admin('GET', `/api/audit-events?action=ai_system.deleted&recordId=${system.id}`)).json();
    expect(systemEvents.items[0].before.name).toBe('Short-lived');
  });

  it('writes one audit event per change and keeps the chain intact', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=ai_system&limit=500')).json();
    expect(events.total).toBeGreaterThan(10);
    const verification = await verifyAuditChain(database.db);
    expect(verification.ok).toBe(true);
    const verifyResponse = await server.as('internal_auditor')('POST', '/api/audit-events/verify');
    expect(verifyResponse.json()).toMatchObject({ ok: true, failure: null });
    const anchor = { seq: verification.headSeq, hash: verification.headHash };
    const anchored = await server.as('internal_auditor')('POST', '/api/audit-events/verify', { body: { anchor } });
    expect(anchored.json()).toMatchObject({ ok: true });
    const wrong = await server.as('internal_auditor')('POST', '/api/audit-events/verify', { body: { anchor: { ...anchor, hash: 'f'.repeat(64) } } });
    expect(wrong.json().failure).toMatchObject({ seq: anchor.seq, kind: 'edited' });
  });
});
