import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { createRisk } from '../../src/risks/risks.service.js';
import { evidenceForm } from '../evidence/multipart.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('red-team API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  let ownerId: string;
  let systemId: string;
  let otherSystemId: string;
  let systemRiskId: string;
  let otherSystemRiskId: string;
  let evidenceId: string;

  const newSystem = async (name: string) => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { body: { name, purpose: 'Answers customer questions', businessUnit: 'Service' } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };

  const newRisk = async (title: string, aiSystemId: string | null) =>
    (
      await createRisk(ctx, callerWith(['risk_owner']), {
        title,
        aiSystemId,
        riskSourceRef: 'iso42001:C.3.4',
        objectiveRef: 'iso42001:C.2.5',
        category: 'operational',
        ownerPersonId: ownerId,
      })
    ).id;

  const exerciseBody = (overrides: Record<string, unknown> = {}) => ({
    kind: 'red_team',
    title: 'Spring jailbreak campaign',
    scope: 'Public chat interface and its retrieval sources; no denial-of-service testing',
    aiSystemId: systemId,
    startedOn: '2026-03-02',
    endedOn: '2026-03-13',
    performerType: 'third_party',
    performerName: 'Example Security Ltd',
    ...overrides,
  });

  const createExercise = async (overrides: Record<string, unknown> = {}) => {
    const response = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody(overrides) });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  const createFinding = async (exerciseId: string, body: Record<string, unknown>) => {
    const response = await server.as('validator')('POST', `/api/red-team-exercises/${exerciseId}/findings`, { body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
    ownerId = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Ravi Owner' } })).json().id;
    systemId = await newSystem('Support chatbot');
    otherSystemId = await newSystem('Invoice reader');
    systemRiskId = await newRisk('Chatbot discloses account data', systemId);
    otherSystemRiskId = await newRisk('Invoice fields misread', otherSystemId);
    const form = evidenceForm({ title: 'Red-team report', kind: 'report', collectedAt: '2026-03-14T00:00:00Z', confidentiality: 'internal' }, { name: 'report.txt', content: 'finding 1: system prompt disclosed' });
    const evidence = await server.as('validator')('POST', '/api/evidence', { payload: form.payload, headers: form.headers });
    expect(evidence.statusCode).toBe(201);
    evidenceId = evidence.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('records and reads exercises', async () => {
    const response = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody({ summary: 'Two high findings' }) });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const exercise = response.json();
    expect(exercise).toMatchObject({
      kind: 'red_team',
      aiSystemId: systemId,
      startedOn: '2026-03-02',
      endedOn: '2026-03-13',
      performerType: 'third_party',
      performerName: 'Example Security Ltd',
      summary: 'Two high findings',
      findingCounts: { open: 0, accepted: 0, remediated: 0, closed: 0 },
      version: 1,
    });
    const read = await server.as('internal_auditor')('GET', `/api/red-team-exercises/${exercise.id}`);
    expect(read.json()).toEqual(exercise);

    const review = await createExercise({ kind: 'independent_review', title: 'AIMS readiness review', aiSystemId: null, endedOn: null, performerType: 'internal', performerName: 'Internal audit team' });
    expect(review).toMatchObject({ kind: 'independent_review', aiSystemId: null, endedOn: null });
  });

  it('rejects invalid exercise input', async () => {
    const early = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody({ endedOn: '2026-03-01' }) });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details).toEqual([{ path: '/endedOn', message: 'must not be before startedOn 2026-03-02 (received "2026-03-01")' }]);
    const badKind = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody({ kind: 'pentest' }) });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0]).toMatchObject({ path: '/kind', message: expect.stringContaining('red_team, independent_review') });
    const noPerformer = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody({ performerName: '  ' }) });
    expect(noPerformer.statusCode).toBe(400);
    expect(noPerformer.json().error.details[0].path).toBe('/performerName');
    const unknownSystem = await server.as('validator')('POST', '/api/red-team-exercises', { body: exerciseBody({ aiSystemId: 'no-such-system' }) });
    expect(unknownSystem.statusCode).toBe(400);
    expect(unknownSystem.json().error.details[0]).toMatchObject({ path: '/aiSystemId', message: expect.stringContaining('"no-such-system"') });
  });

  it('records numbered findings with links', async () => {
    const exercise = await createExercise();
    const first = await createFinding(exercise.id, {
      title: 'System prompt disclosed on request',
      description: 'Asking for the instructions verbatim returned them',
      severity: 'high',
      threatRefs: ['owasp-llm-top10-2025:LLM07', 'mitre-atlas:AML.T0056'],
      testedRiskIds: [systemRiskId],
      evidenceIds: [evidenceId],
    });
    expect(first).toMatchObject({
      exerciseId: exercise.id,
      aiSystemId: systemId,
      number: 1,
      severity: 'high',
      status: 'open',
      resolution: '',
      // Threat refs come back in catalogue order: framework, then position.
      threatRefs: ['mitre-atlas:AML.T0056', 'owasp-llm-top10-2025:LLM07'],
      testedRiskIds: [systemRiskId],
      raisedRiskIds: [],
      evidenceIds: [evidenceId],
    });
    const second = await createFinding(exercise.id, { title: 'Jailbreak through role play', severity: 'critical', threatRefs: ['mitre-atlas:AML.T0054'] });
    expect(second.number).toBe(2);

    const counts = (await server.as('internal_auditor')('GET', `/api/red-team-exercises/${exercise.id}`)).json().findingCounts;
    expect(counts).toEqual({ open: 2, accepted: 0, remediated: 0, closed: 0 });
    const listed = (await server.as('internal_auditor')('GET', `/api/red-team-exercises/${exercise.id}/findings?sort=-severity`)).json();
    expect(listed.items.map((finding: { number: number }) => finding.number)).toEqual([2, 1]);
    expect(listed.total).toBe(2);
  });

  it('validates finding severity and links', async () => {
    const exercise = await createExercise();
    const path = `/api/red-team-exercises/${exercise.id}/findings`;
    const severity = await server.as('validator')('POST', path, { body: { title: 'Unrated', severity: 'severe' } });
    expect(severity.statusCode).toBe(400);
    expect(severity.json().error.details[0]).toMatchObject({ path: '/severity', message: expect.stringContaining('low, medium, high, critical') });
    const threat = await server.as('validator')('POST', path, { body: { title: 'Bad threat', severity: 'low', threatRefs: ['mitre-atlas:AML.T0051', 'owasp-llm-top10-2025:LLM11'] } });
    expect(threat.statusCode).toBe(400);
    expect(threat.json().error.details).toEqual([{ path: '/threatRefs/1', message: expect.stringContaining('"owasp-llm-top10-2025:LLM11" is not an item of the threat library') }]);
    const otherRisk = await server.as('validator')('POST', path, { body: { title: 'Wrong system', severity: 'low', raisedRiskIds: [otherSystemRiskId] } });
    expect(otherRisk.statusCode).toBe(400);
    expect(otherRisk.json().error.details[0]).toMatchObject({ path: '/raisedRiskIds/0', message: expect.stringContaining(`belongs to AI system ${otherSystemId}`) });
    const both = await server.as('validator')('POST', path, { body: { title: 'Both ways', severity: 'low', testedRiskIds: [systemRiskId], raisedRiskIds: [systemRiskId] } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0].path).toBe('/raisedRiskIds/0');
    const evidence = await server.as('validator')('POST', path, { body: { title: 'No report', severity: 'low', evidenceIds: ['no-such-evidence'] } });
    expect(evidence.statusCode).toBe(400);
    expect(evidence.json().error.details).toEqual([{ path: '/evidenceIds/0', message: expect.stringContaining('no evidence with id "no-such-evidence"') }]);
    const closed = await server.as('validator')('POST', path, { body: { title: 'Already closed', severity: 'low', status: 'closed' } });
    expect(closed.statusCode).toBe(400);
    expect(await database.db.selectFrom('red_team_findings').select('id').where('exercise_id', '=', exercise.id).execute()).toEqual([]);
  });

  it('moves finding through statuses', async () => {
    const exercise = await createExercise();
    const finding = await createFinding(exercise.id, { title: 'Retrieval leaks other tenants', severity: 'medium' });
    const findingPath = `/api/red-team-findings/${finding.id}`;

    const noResolution = await server.as('validator')('PATCH', findingPath, { body: { status: 'remediated' } });
    expect(noResolution.statusCode).toBe(400);
    expect(noResolution.json().error.details).toEqual([{ path: '/resolution', message: 'must say how the finding was remediated before its status is remediated' }]);
    const tooEarly = await server.as('validator')('PATCH', findingPath, { body: { status: 'closed' } });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().error.details[0].message).toBe('cannot move from open to closed; from open a finding may move to accepted, remediated');

    const remediated = await server.as('ai_system_owner')('PATCH', findingPath, {
      body: { status: 'remediated', resolution: 'Tenant filter added to retrieval queries', severity: 'high' },
      headers: { 'if-match': '"1"' },
    });
    expect(remediated.statusCode).toBe(200);
    expect(remediated.headers.etag).toBe('"2"');
    expect(remediated.json()).toMatchObject({ status: 'remediated', severity: 'high', resolution: 'Tenant filter added to retrieval queries' });

    const stale = await server.as('validator')('PATCH', findingPath, { body: { status: 'closed' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const closed = await server.as('validator')('PATCH', findingPath, { body: { status: 'closed' }, headers: { 'if-match': '"2"' } });
    expect(closed.json()).toMatchObject({ status: 'closed', version: 3 });
    const reopened = await server.as('validator')('PATCH', findingPath, { body: { status: 'open' } });
    expect(reopened.json().status).toBe('open');

    const openOnly = (await server.as('internal_auditor')('GET', `/api/red-team-findings?status=open&exerciseId=${exercise.id}`)).json();
    expect(openOnly.items.map((item: { id: string }) => item.id)).toEqual([finding.id]);
  });

  it('raises a risk from a finding', async () => {
    const exercise = await createExercise();
    const finding = await createFinding(exercise.id, { title: 'Agent sends email to any address', severity: 'critical', threatRefs: ['mitre-atlas:AML.T0086'] });
    const created = await server.as('risk_owner')('POST', `/api/red-team-findings/${finding.id}/risks`, {
      body: { riskSourceRef: 'iso42001:C.3.4', objectiveRef: 'iso42001:C.2.5', category: 'operational', ownerPersonId: ownerId },
      headers: { 'if-match': '"1"' },
    });
    expect(created.statusCode).toBe(201);
    const { risk, finding: linked } = created.json();
    expect(risk).toMatchObject({ title: 'Agent sends email to any address', aiSystemId: systemId, threat: 'Exfiltration via AI Agent Tool Invocation (mitre-atlas:AML.T0086)' });
    expect(linked).toMatchObject({ raisedRiskIds: [risk.id], version: 2 });

    const byRisk = (await server.as('internal_auditor')('GET', `/api/red-team-findings?riskId=${risk.id}`)).json();
    expect(byRisk.items.map((item: { id: string }) => item.id)).toEqual([finding.id]);
    const byThreat = (await server.as('internal_auditor')('GET', `/api/red-team-findings?threatRef=${encodeURIComponent('mitre-atlas:AML.T0086')}`)).json();
    expect(byThreat.items.map((item: { id: string }) => item.id)).toEqual([finding.id]);
  });

  it('keeps exercises with findings', async () => {
    const exercise = await createExercise();
    const finding = await createFinding(exercise.id, { title: 'Minor wording issue', severity: 'low' });
    const blocked = await server.as('validator')('DELETE', `/api/red-team-exercises/${exercise.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toContain('has 1 finding');

    expect((await server.as('validator')('DELETE', `/api/red-team-findings/${finding.id}`, { headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await server.as('validator')('GET', `/api/red-team-findings/${finding.id}`)).statusCode).toBe(404);
    expect((await server.as('validator')('DELETE', `/api/red-team-exercises/${exercise.id}`)).statusCode).toBe(204);

    // Numbers are not reused after a deletion.
    const next = await createExercise();
    await createFinding(next.id, { title: 'First', severity: 'low' });
    const removed = await createFinding(next.id, { title: 'Second', severity: 'low' });
    await server.as('validator')('DELETE', `/api/red-team-findings/${removed.id}`);
    expect((await createFinding(next.id, { title: 'Third', severity: 'low' })).number).toBe(3);
  });

  it('keeps finding risks on one system', async () => {
    const exercise = await createExercise();
    await createFinding(exercise.id, { title: 'Account data in answers', severity: 'high', testedRiskIds: [systemRiskId] });
    const moved = await server.as('validator')('PATCH', `/api/red-team-exercises/${exercise.id}`, { body: { aiSystemId: otherSystemId } });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error.details[0].message).toContain(`finding 1 links the risk "Chatbot discloses account data" (${systemRiskId})`);
    const renamed = await server.as('validator')('PATCH', `/api/red-team-exercises/${exercise.id}`, { body: { title: 'Renamed campaign', endedOn: null }, headers: { 'if-match': '"1"' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ title: 'Renamed campaign', endedOn: null, version: 2 });
  });

  it('filters exercises and findings', async () => {
    const reviews = (await server.as('internal_auditor')('GET', '/api/red-team-exercises?kind=independent_review')).json();
    expect(reviews.items.map((item: { title: string }) => item.title)).toEqual(['AIMS readiness review']);
    const bySystem = (await server.as('internal_auditor')('GET', `/api/red-team-exercises?aiSystemId=${systemId}&limit=1`)).json();
    expect(bySystem.items).toHaveLength(1);
    expect(bySystem.total).toBeGreaterThan(1);
    const critical = (await server.as('internal_auditor')('GET', `/api/red-team-findings?severity=critical&aiSystemId=${systemId}`)).json();
    expect(critical.items.length).toBeGreaterThan(0);
    expect(critical.items.every((item: { severity: string; aiSystemId: string }) => item.severity === 'critical' && item.aiSystemId === systemId)).toBe(true);
    expect((await server.as('internal_auditor')('GET', '/api/red-team-exercises/no-such-exercise/findings')).statusCode).toBe(404);
  });

  it('rejects changes without threats.write', async () => {
    const exercise = await createExercise();
    const finding = await createFinding(exercise.id, { title: 'Guarded finding', severity: 'medium' });
    const attempts = await Promise.all([
      server.as('internal_auditor')('POST', '/api/red-team-exercises', { body: exerciseBody() }),
      server.as('internal_auditor')('PATCH', `/api/red-team-exercises/${exercise.id}`, { body: { title: 'Changed' } }),
      server.as('internal_auditor')('DELETE', `/api/red-team-exercises/${exercise.id}`),
      server.as('internal_auditor')('POST', `/api/red-team-exercises/${exercise.id}/findings`, { body: { title: 'More', severity: 'low' } }),
      server.as('internal_auditor')('PATCH', `/api/red-team-findings/${finding.id}`, { body: { severity: 'low' } }),
      server.as('internal_auditor')('DELETE', `/api/red-team-findings/${finding.id}`),
      server.as('internal_auditor')('POST', `/api/red-team-findings/${finding.id}/risks`, { body: {} }),
    ]);
    for (const response of attempts) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toContain('may not change records');
    }
    expect((await server.as('internal_auditor')('GET', `/api/red-team-findings/${finding.id}`)).json().version).toBe(1);

    const officer = await server.as('data_protection_officer')('POST', `/api/red-team-exercises/${exercise.id}/findings`, { body: { title: 'More', severity: 'low' } });
    expect(officer.statusCode).toBe(403);
    expect(officer.json().error.message).toContain('may not perform threats.write');
  });

  it('audits changes in an intact chain', async () => {
    const actions = new Set(
      (await database.db.selectFrom('audit_events').select('action').where('record_type', 'in', ['red_team_exercise', 'red_team_finding']).execute()).map((row) => row.action),
    );
    for (const action of ['red_team_exercise.created', 'red_team_exercise.updated', 'red_team_exercise.deleted', 'red_team_finding.created', 'red_team_finding.updated', 'red_team_finding.deleted']) {
      expect(actions.has(action), action).toBe(true);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
