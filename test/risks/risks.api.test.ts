import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { AppError } from '../../src/platform/errors.js';
import type { CreateRisk } from '../../src/risks/risk.schemas.js';
import { createRisk as createRiskWithService } from '../../src/risks/risks.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evidenceForm } from '../evidence/multipart.js';
import { adjustableClock, createRisk, createRiskFixtures, registerSnapshot, riskBody, type AdjustableClock } from './fixtures.js';

describe.each(databaseKinds)('risk register API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: AdjustableClock;
  let ownerId: string;
  let otherPersonId: string;
  let systemId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // Starts at 2026-01-01T00:00:00Z and moves one second per read; tests move it on by days.
    clock = adjustableClock();
    server = await startTestServer(testContext(database, clock));
    ({ ownerId, otherPersonId, systemId } = await createRiskFixtures(server));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const auditActions = async (recordId: string) =>
    (await database.db.selectFrom('audit_events').select('action').where('record_id', '=', recordId).orderBy('seq').execute()).map((row) => row.action);

  it('serves the default 5 × 5 matrix', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/risks/matrix');
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    const matrix = response.json();
    expect(matrix.number).toBe(1);
    expect(matrix.status).toBe('active');
    expect(matrix.likelihoodLevels.map((level: { label: string }) => level.label)).toEqual(['Remote', 'Unlikely', 'Possible', 'Likely', 'Expected']);
    expect(matrix.impactLevels.map((level: { label: string }) => level.label)).toEqual(['Negligible', 'Minor', 'Moderate', 'Major', 'Severe']);
    expect(matrix.bands).toEqual([
      { key: 'low', label: 'Low', order: 1 },
      { key: 'medium', label: 'Medium', order: 2 },
      { key: 'high', label: 'High', order: 3 },
      { key: 'critical', label: 'Critical', order: 4 },
    ]);
    expect(matrix.cells).toHaveLength(25);
    expect(matrix.maxScore).toBe(25);
    expect(matrix.cells).toContainEqual({ likelihood: 2, impact: 2, band: 'low' });
    expect(matrix.cells).toContainEqual({ likelihood: 3, impact: 3, band: 'medium' });
    expect(matrix.cells).toContainEqual({ likelihood: 3, impact: 4, band: 'high' });
    expect(matrix.cells).toContainEqual({ likelihood: 4, impact: 4, band: 'critical' });
  });

  it('creates a rated risk of an AI system and reads it back', async () => {
    const created = await server.as('ai_system_owner')('POST', '/api/risks?reason=initial%20assessment', {
      body: riskBody(ownerId, { aiSystemId: systemId, inherent: { likelihood: 4, impact: 4 }, residual: { likelihood: 2, impact: 3 } }),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const risk = created.json();
    expect(risk).toMatchObject({
      scope: 'ai_system',
      aiSystemId: systemId,
      riskSourceRef: 'iso42001:C.3.4',
      objectiveRef: 'iso42001:C.2.5',
      category: 'ethical',
      ermCategory: null,
      status: 'assessed',
      beyondAppetite: false,
      version: 1,
    });
    expect(risk.inherent).toMatchObject({ likelihood: 4, impact: 4, score: 16, band: { key: 'critical', order: 4 }, matrixNumber: 1, onActiveMatrix: true });
    expect(risk.residual).toMatchObject({ likelihood: 2, impact: 3, score: 6, band: { key: 'medium', label: 'Medium' }, matrixNumber: 1 });
    expect(created.headers.location).toBe(`/api/risks/${risk.id}`);

    const read = await server.as('internal_auditor')('GET', `/api/risks/${risk.id}`);
    expect(read.json()).toEqual(risk);
    expect(await auditActions(risk.id)).toEqual(['risk.created']);
  });

  it('creates an unrated organization-wide risk as identified', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Staff use unapproved AI tools', category: 'operational', riskSourceRef: 'iso42001:C.3.1', objectiveRef: 'iso42001:C.2.1' }));
    expect(risk).toMatchObject({ scope: 'organization', aiSystemId: null, inherent: null, residual: null, status: 'identified', beyondAppetite: false });

    const rated = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}`, { body: { inherent: { likelihood: 3, impact: 2 } }, headers: { 'if-match': '"1"' } });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({ status: 'assessed', inherent: { score: 6, band: { key: 'medium' } }, version: 2 });

    const stale = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}`, { body: { title: 'Late' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);

    const organizationWide = (await server.as('validator')('GET', '/api/risks?scope=organization')).json();
    expect(organizationWide.items.map((item: { id: string }) => item.id)).toContain(risk.id);
    expect(organizationWide.items.every((item: { aiSystemId: string | null }) => item.aiSystemId === null)).toBe(true);
  });

  it('rejects unknown references and wrong kinds, naming each field', async () => {
    const before = await registerSnapshot(database);
    const response = await server.as('risk_owner')('POST', '/api/risks', {
      body: riskBody('no-such-person', { riskSourceRef: 'iso42001:C.2.5', objectiveRef: 'iso42001:C.9.9', category: 'reputational', aiSystemId: 'no-such-system' }),
    });
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details;
    expect(details).toContainEqual({ path: '/ownerPersonId', message: 'no person with id "no-such-person" exists; check the id or create the person first' });
    expect(details).toContainEqual({ path: '/aiSystemId', message: 'no AI system with id "no-such-system" exists; check the id or create the AI system first' });
    expect(details).toContainEqual({ path: '/riskSourceRef', message: '"iso42001:C.2.5" is a organizational-objective; it must be one of: risk-source' });
    expect(details).toContainEqual({ path: '/objectiveRef', message: '"iso42001:C.9.9" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' });
    expect(details).toContainEqual({ path: '/category', message: 'no risk category "reputational" exists; use one of ethical, legal, operational or create it with POST /api/risks/categories' });
    expect(await registerSnapshot(database)).toEqual(before);
  });

  it('rejects ratings off the scale and statuses the ratings do not allow', async () => {
    const offScale = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { inherent: { likelihood: 6, impact: 2 } }) });
    expect(offScale.statusCode).toBe(400);
    expect(offScale.json().error.details).toEqual([{ path: '/inherent/likelihood', message: 'must be 5 or less (received 6)' }]);

    const residualOnly = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { residual: { likelihood: 2, impact: 2 } }) });
    expect(residualOnly.statusCode).toBe(400);
    expect(residualOnly.json().error.details).toEqual([{ path: '/residual', message: 'a residual rating needs an inherent rating; rate the risk before treatment too' }]);

    const treated = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { inherent: { likelihood: 2, impact: 2 }, status: 'treated' }) });
    expect(treated.statusCode).toBe(400);
    expect(treated.json().error.details).toEqual([{ path: '/status', message: 'status treated needs a residual rating; rate the risk left after treatment first' }]);

    const accepted = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { inherent: { likelihood: 2, impact: 2 }, status: 'accepted' }) });
    expect(accepted.statusCode).toBe(400);
    expect(accepted.json().error.details[0].path).toBe('/status');
  });

  it('reports nullable ratings by field', async () => {
    const response = await server.as('risk_owner')('POST', '/api/risks', {
      body: riskBody(ownerId, { inherent: { likelihood: 0, impact: 9 }, residual: { likelihood: 2 } }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/inherent/likelihood', message: 'must be 1 or more (received 0)' },
      { path: '/inherent/impact', message: 'must be 5 or less (received 9)' },
      { path: '/residual/impact', message: 'is required' },
    ]);

    const wrongType = await server.as('risk_owner')('POST', '/api/risks', { body: riskBody(ownerId, { inherent: 'high' }) });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details).toEqual([{ path: '/inherent', message: 'must be of type object, or null (received "high")' }]);

    // The services check their input again, with the same paths, for callers other than the API.
    const rejected = await createRiskWithService(testContext(database, clock), callerWith(['risk_owner']), riskBody(ownerId, { inherent: { likelihood: 0, impact: 9 } }) as CreateRisk).catch(
      (error: AppError) => error,
    );
    expect(rejected).toBeInstanceOf(AppError);
    expect((rejected as AppError).details.map((detail) => detail.path)).toEqual(['/inherent/likelihood', '/inherent/impact']);
  });

  it('rejects an appetite outside the scale and writes nothing', async () => {
    const before = await registerSnapshot(database);
    for (const maxScore of [0, 26, -1]) {
      const response = await server.as('oversight_board_member')('PUT', '/api/risks/categories/legal/appetite', { body: { statement: 'Low tolerance for legal breaches', maxScore } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toEqual([
        { path: '/maxScore', message: `${maxScore} is outside the scale of the active matrix; the appetite is a maximum score (likelihood × impact) from 1 to 25` },
      ]);
    }
    expect(await registerSnapshot(database)).toEqual(before);
    expect((await server.as('risk_owner')('GET', '/api/risks/categories/legal')).json().appetite).toBeNull();
  });

  it('flags and escalates a risk beyond appetite with a due date', async () => {
    const appetite = await server.as('oversight_board_member')('PUT', '/api/risks/categories/legal/appetite?reason=board%20decision', {
      body: { statement: 'We accept only minor legal exposure.', maxScore: 6 },
    });
    expect(appetite.statusCode, appetite.body).toBe(200);
    expect(appetite.json().appetite).toMatchObject({ statement: 'We accept only minor legal exposure.', maxScore: 6, scaleMax: 25 });

    const within = await createRisk(server, riskBody(ownerId, { title: 'Late transparency notice', category: 'legal', inherent: { likelihood: 2, impact: 3 } }));
    expect(within.beyondAppetite).toBe(false);

    const beyond = await createRisk(
      server,
      riskBody(ownerId, { title: 'Unlawful automated decision', category: 'legal', aiSystemId: systemId, inherent: { likelihood: 4, impact: 4 } }),
    );
    expect(beyond.beyondAppetite).toBe(true);

    const escalations = (await server.as('internal_auditor')('GET', `/api/risks/escalations?riskId=${beyond.id}`)).json();
    expect(escalations.total).toBe(1);
    const escalation = escalations.items[0];
    expect(escalation).toMatchObject({
      riskId: beyond.id,
      riskTitle: 'Unlawful automated decision',
      category: 'legal',
      score: 16,
      maxScore: 6,
      band: 'critical',
      escalateToRole: 'oversight_board_member',
      status: 'open',
      overdue: false,
      outcome: null,
    });
    // The built-in categories escalate with a deadline of 14 days from the day the escalation opened.
    expect(escalation.dueDate).toBe('2026-01-15');
    expect(await auditActions(beyond.id)).toEqual(['risk.created']);
    expect(await auditActions(escalation.id)).toEqual(['risk_escalation.opened']);

    const flagged = (await server.as('validator')('GET', '/api/risks?beyondAppetite=true&category=legal')).json();
    expect(flagged.items.map((item: { id: string }) => item.id)).toEqual([beyond.id]);
  });

  it('judges existing risks again when an appetite changes', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Opaque explanations', inherent: { likelihood: 3, impact: 3 } }));
    expect(risk.beyondAppetite).toBe(false);

    const strict = await server.as('administrator')('PUT', '/api/risks/categories/ethical/appetite', { body: { statement: 'Very low appetite for unfair outcomes.', maxScore: 4 } });
    expect(strict.statusCode).toBe(200);
    const flagged = (await server.as('risk_owner')('GET', `/api/risks/${risk.id}`)).json();
    expect(flagged.beyondAppetite).toBe(true);
    const opened = (await server.as('risk_owner')('GET', `/api/risks/escalations?riskId=${risk.id}&status=open`)).json();
    expect(opened.total).toBe(1);

    const relaxed = await server.as('administrator')('PUT', '/api/risks/categories/ethical/appetite', { body: { statement: 'Moderate appetite for unfair outcomes.', maxScore: 12 } });
    expect(relaxed.statusCode).toBe(200);
    expect((await server.as('risk_owner')('GET', `/api/risks/${risk.id}`)).json().beyondAppetite).toBe(false);
    const resolved = (await server.as('risk_owner')('GET', `/api/risks/escalations/${opened.items[0].id}`)).json();
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'back_within_appetite' });
    expect(resolved.resolvedBy).toBeTruthy();
  });

  it('shows an escalation past its due date as overdue', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Missing conformity assessment', category: 'legal', inherent: { likelihood: 3, impact: 5 } }));
    const open = (await server.as('risk_owner')('GET', `/api/risks/escalations?riskId=${risk.id}`)).json().items[0];
    expect(open.overdue).toBe(false);
    const overdueBefore = (await server.as('risk_owner')('GET', '/api/risks/escalations?overdue=true')).json();
    expect(overdueBefore.items.map((item: { id: string }) => item.id)).not.toContain(open.id);

    // Day 14 after opening is the due date itself: not yet overdue.
    clock.advanceDays(14);
    expect((await server.as('risk_owner')('GET', `/api/risks/escalations/${open.id}`)).json().overdue).toBe(false);
    clock.advanceDays(1);
    const overdue = (await server.as('risk_owner')('GET', '/api/risks/escalations?overdue=true')).json();
    expect(overdue.items.map((item: { id: string }) => item.id)).toContain(open.id);
    expect(overdue.items.every((item: { overdue: boolean; status: string }) => item.overdue && item.status === 'open')).toBe(true);
    const notOverdue = (await server.as('risk_owner')('GET', '/api/risks/escalations?overdue=false')).json();
    expect(notOverdue.items.map((item: { id: string }) => item.id)).not.toContain(open.id);

    const wrongRole = await server.as('risk_owner')('POST', `/api/risks/escalations/${open.id}/resolve`, { body: { outcome: 'treatment_planned', note: 'Treat it' } });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().error.message).toBe('This escalation goes to the role oversight_board_member; risk-owner (roles: risk_owner) may not resolve it');

    const resolved = await server.as('oversight_board_member')('POST', `/api/risks/escalations/${open.id}/resolve?reason=board%20meeting`, {
      body: { outcome: 'treatment_planned', note: 'Commission the conformity assessment this quarter.' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', overdue: false, outcome: 'treatment_planned', resolutionNote: 'Commission the conformity assessment this quarter.' });
    const board = await database.db.selectFrom('users').select('id').where('username', '=', 'oversight-board-member').executeTakeFirstOrThrow();
    expect(resolved.json().resolvedBy).toBe(board.id);
    const event = await database.db.selectFrom('audit_events').selectAll().where('record_id', '=', open.id).where('action', '=', 'risk_escalation.resolved').executeTakeFirstOrThrow();
    expect(event.reason).toBe('board meeting');

    const again = await server.as('oversight_board_member')('POST', `/api/risks/escalations/${open.id}/resolve`, { body: { outcome: 'other', note: 'Again' } });
    expect(again.statusCode).toBe(409);
  });

  it('keeps a risk beyond appetite open', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Scoring feature kept', category: 'legal', inherent: { likelihood: 5, impact: 3 } }));
    const open = (await server.as('risk_owner')('GET', `/api/risks/escalations?riskId=${risk.id}&status=open`)).json().items[0];
    expect(open).toBeDefined();

    const closed = await server.as('ai_system_owner')('PATCH', `/api/risks/${risk.id}`, { body: { status: 'closed' } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.details).toEqual([{ path: '/status', message: 'cannot be closed while the risk is beyond appetite' }]);
    expect((await server.as('risk_owner')('GET', `/api/risks/escalations/${open.id}`)).json().status).toBe('open');
  });

  it('resolves the escalation of a closed risk', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Retired scoring feature', category: 'legal', inherent: { likelihood: 5, impact: 3 } }));
    const open = (await server.as('risk_owner')('GET', `/api/risks/escalations?riskId=${risk.id}&status=open`)).json().items[0];
    expect(open).toBeDefined();

    // Treated down to within appetite, the risk may be closed, which resolves its escalation.
    const within = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}`, { body: { residual: { likelihood: 1, impact: 1 } } });
    expect(within.json().beyondAppetite).toBe(false);
    const closed = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}`, { body: { status: 'closed' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', beyondAppetite: false });
    const resolved = (await server.as('risk_owner')('GET', `/api/risks/escalations/${open.id}`)).json();
    expect(resolved.status).toBe('resolved');

    const treatment = await server.as('risk_owner')('POST', `/api/risks/${risk.id}/treatments`, {
      body: { option: 'avoid', description: 'Remove the feature', ownerPersonId: ownerId, dueDate: '2026-02-01', successMetric: 'Feature gone' },
    });
    expect(treatment.statusCode).toBe(409);
  });

  it('rejects a treatment without an owner or with an unknown control', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Model drift after deployment', category: 'operational', inherent: { likelihood: 3, impact: 3 } }));
    const before = await registerSnapshot(database);
    const treatment = { option: 'modify', description: 'Monitor drift monthly', dueDate: '2026-06-30', successMetric: 'Drift alerts reviewed within 5 days' };

    const noOwner = await server.as('risk_owner')('POST', `/api/risks/${risk.id}/treatments`, { body: { ...treatment, controlRefs: ['iso42001:A.6.2.6'] } });
    expect(noOwner.statusCode).toBe(400);
    expect(noOwner.json().error.details).toEqual([{ path: '/ownerPersonId', message: 'is required' }]);

    const unknownControl = await server.as('risk_owner')('POST', `/api/risks/${risk.id}/treatments`, {
      body: { ...treatment, ownerPersonId: otherPersonId, controlRefs: ['iso42001:A.6.2.6', 'iso42001:A.99.1', 'iso42001:6.1.2'] },
    });
    expect(unknownControl.statusCode).toBe(400);
    expect(unknownControl.json().error.details).toEqual([
      { path: '/controlRefs/1', message: '"iso42001:A.99.1" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' },
      { path: '/controlRefs/2', message: '"iso42001:6.1.2" is a clause; it must be one of: control' },
    ]);
    expect(await registerSnapshot(database)).toEqual(before);

    const planned = await server.as('risk_owner')('POST', `/api/risks/${risk.id}/treatments`, { body: { ...treatment, ownerPersonId: otherPersonId, controlRefs: ['iso42001:A.6.2.6'] } });
    expect(planned.statusCode, planned.body).toBe(201);
    expect(planned.json()).toMatchObject({ option: 'modify', controlRefs: ['iso42001:A.6.2.6'], ownerPersonId: otherPersonId, status: 'planned', completedAt: null });
    expect((await server.as('risk_owner')('GET', `/api/risks/${risk.id}`)).json().status).toBe('treatment_planned');

    const completed = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}/treatments/${planned.json().id}`, { body: { status: 'completed' }, headers: { 'if-match': '"1"' } });
    expect(completed.statusCode).toBe(200);
    expect(completed.json().completedAt).not.toBeNull();
  });

  it('shows treated risks beside SoA controls', async () => {
    const control = await server.as('administrator')('POST', '/api/catalogue/organization-controls', {
      body: { itemId: 'RISK-01', title: 'Fairness review board', summary: 'A board reviews fairness metrics before each release.' },
    });
    expect(control.statusCode, control.body).toBe(201);
    const orgRef = control.json().ref;

    const risk = await createRisk(
      server,
      riskBody(ownerId, { title: 'Disparate error rates', aiSystemId: systemId, inherent: { likelihood: 4, impact: 3 }, residual: { likelihood: 2, impact: 3 } }),
    );
    const treatment = await server.as('ai_system_owner')('POST', `/api/risks/${risk.id}/treatments`, {
      body: { option: 'modify', description: 'Validate per group error rates before release', controlRefs: ['iso42001:A.6.2.4', orgRef], ownerPersonId: ownerId, dueDate: '2026-04-30', successMetric: 'Error rate gap below 2 points' },
    });
    expect(treatment.statusCode, treatment.body).toBe(201);
    expect(treatment.json().controlRefs).toEqual(['iso42001:A.6.2.4', orgRef]);

    const draft = await server.as('risk_owner')('POST', '/api/soa/versions', { body: {} });
    expect(draft.statusCode, draft.body).toBe(201);
    const entry = (await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.json().id}/entries/${encodeURIComponent('iso42001:A.6.2.4')}`)).json();
    expect(entry.linkedRisks).toContainEqual({ id: risk.id, title: 'Disparate error rates', residualLevel: 'Medium' });
    const orgEntry = (await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.json().id}/entries/${encodeURIComponent(orgRef)}`)).json();
    expect(orgEntry.linkedRisks).toEqual([{ id: risk.id, title: 'Disparate error rates', residualLevel: 'Medium' }]);
    const unrelated = (await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.json().id}/entries/${encodeURIComponent('iso42001:A.10.4')}`)).json();
    expect(unrelated.linkedRisks).toEqual([]);

    const csv = await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.json().id}/export?format=csv`);
    const row = csv.body.split('\r\n').find((line) => line.startsWith('A.6.2.4,'));
    expect(row).toContain('Disparate error rates (residual Medium)');

    // A cancelled treatment no longer puts the risk beside the control.
    const cancelled = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}/treatments/${treatment.json().id}`, { body: { status: 'cancelled' } });
    expect(cancelled.statusCode).toBe(200);
    const afterCancel = (await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.json().id}/entries/${encodeURIComponent(orgRef)}`)).json();
    expect(afterCancel.linkedRisks).toEqual([]);
  });

  it('rejects an acceptance beyond the caller authority and writes nothing', async () => {
    const risk = await createRisk(
      server,
      riskBody(ownerId, { title: 'Re-identification from scores', category: 'legal', inherent: { likelihood: 4, impact: 5 }, residual: { likelihood: 3, impact: 4 } }),
    );
    expect(risk.residual.band.key).toBe('high');
    const before = await registerSnapshot(database);

    const response = await server.as('risk_owner')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Cost of further treatment is too high' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe(
      'Accepting residual risk in band "High" (high, order 3 of 4) needs one of the roles approver, oversight_board_member; your authority (role risk_owner) reaches band "Medium"',
    );

    const noAuthority = await server.as('validator')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Fine by me' } });
    expect(noAuthority.statusCode).toBe(403);
    expect(noAuthority.json().error.message).toContain('your roles (validator) have no acceptance authority');

    const auditor = await server.as('internal_auditor')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Fine by me' } });
    expect(auditor.statusCode).toBe(403);

    expect(await registerSnapshot(database)).toEqual(before);
    expect((await server.as('risk_owner')('GET', `/api/risks/${risk.id}/acceptances`)).json()).toEqual([]);
    expect((await server.as('risk_owner')('GET', `/api/risks/${risk.id}`)).json().status).toBe('assessed');
  });

  it('accepts a residual risk within authority and audits it', async () => {
    const risk = await createRisk(
      server,
      riskBody(ownerId, { title: 'Scores misread by clerks', category: 'legal', inherent: { likelihood: 4, impact: 4 }, residual: { likelihood: 3, impact: 4 } }),
    );
    expect(risk.beyondAppetite).toBe(true);
    const escalation = (await server.as('approver')('GET', `/api/risks/escalations?riskId=${risk.id}&status=open`)).json().items[0];
    expect(escalation).toBeDefined();
    expect(escalation.escalateToRole).toBe('oversight_board_member');

    // The approver has authority for the band, but the escalation names the oversight board.
    const notTheirs = await server.as('approver')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Mine to decide' } });
    expect(notTheirs.statusCode).toBe(403);
    expect(notTheirs.json().error.message).toContain('is escalated to the role oversight_board_member');

    const accepted = await server.as('oversight_board_member')('POST', `/api/risks/${risk.id}/acceptances?reason=risk%20committee`, {
      body: { rationale: 'Clerks are trained yearly; further controls cost more than the harm.', reviewDate: '2026-12-31' },
      headers: { 'if-match': '"1"' },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const approver = await database.db.selectFrom('users').select('id').where('username', '=', 'oversight-board-member').executeTakeFirstOrThrow();
    const { risk: stored, acceptance } = accepted.json();
    expect(stored).toMatchObject({ status: 'accepted', version: 2, beyondAppetite: true });
    expect(acceptance).toMatchObject({
      riskId: risk.id,
      likelihood: 3,
      impact: 4,
      band: 'high',
      bandOrder: 3,
      acceptedBy: approver.id,
      acceptedByUsername: 'oversight-board-member',
      authorityRole: 'oversight_board_member',
      rationale: 'Clerks are trained yearly; further controls cost more than the harm.',
      reviewDate: '2026-12-31',
    });
    expect((await server.as('internal_auditor')('GET', `/api/risks/${risk.id}/acceptances`)).json()).toEqual([acceptance]);

    const event = await database.db.selectFrom('audit_events').selectAll().where('record_id', '=', risk.id).where('action', '=', 'risk.accepted').executeTakeFirstOrThrow();
    expect(event.actor_id).toBe(approver.id);
    expect(event.reason).toBe('risk committee');
    expect(JSON.parse(event.after_json!).acceptance).toEqual(acceptance);

    const closedEscalation = (await server.as('approver')('GET', `/api/risks/escalations/${escalation.id}`)).json();
    expect(closedEscalation).toMatchObject({ status: 'resolved', outcome: 'risk_accepted', resolvedBy: approver.id });

    const twice = await server.as('oversight_board_member')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Again' } });
    expect(twice.statusCode).toBe(409);

    // A new residual rating withdraws the acceptance: the risk goes back to assessed.
    const rerated = await server.as('risk_owner')('PATCH', `/api/risks/${risk.id}`, { body: { residual: { likelihood: 2, impact: 4 } } });
    expect(rerated.json().status).toBe('assessed');
  });

  it('needs a residual rating to accept', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Unrated residual', inherent: { likelihood: 1, impact: 2 } }));
    const response = await server.as('oversight_board_member')('POST', `/api/risks/${risk.id}/acceptances`, { body: { rationale: 'Low' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('has no residual rating to accept');
  });

  it('links evidence to a risk', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Evidence target' }));
    const uploaded = await server.as('validator')('POST', '/api/evidence', evidenceForm({ title: 'Fairness test results', kind: 'test_result' }, { name: 'fairness.csv', content: 'group,rate\na,0.1\n' }));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const evidenceId = uploaded.json().id;

    const linked = await server.as('risk_owner')('POST', `/api/evidence/${evidenceId}/links`, { body: { targetType: 'risk', targetId: risk.id } });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json()).toMatchObject({ targetType: 'risk', targetId: risk.id });

    const unknown = await server.as('risk_owner')('POST', `/api/evidence/${evidenceId}/links`, { body: { targetType: 'risk', targetId: 'no-such-risk' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([{ path: '/targetId', message: 'no risk with id "no-such-risk" exists; GET /api/risks lists them' }]);
  });

  it('rejects every change by the internal auditor', async () => {
    const risk = await createRisk(server, riskBody(ownerId, { title: 'Auditor target', inherent: { likelihood: 2, impact: 2 } }));
    const treatment = (
      await server.as('risk_owner')('POST', `/api/risks/${risk.id}/treatments`, {
        body: { option: 'retain', description: 'Keep watching', ownerPersonId: ownerId, dueDate: '2026-09-30', successMetric: 'Reviewed quarterly' },
      })
    ).json();
    const escalation = (await server.as('risk_owner')('GET', '/api/risks/escalations?status=open')).json().items[0];
    expect(escalation).toBeDefined();
    const matrix = (await server.as('risk_owner')('GET', '/api/risks/matrix')).json();
    const before = await registerSnapshot(database);

    const attempts: [('POST' | 'PATCH' | 'PUT' | 'DELETE'), string, unknown][] = [
      ['POST', '/api/risks', riskBody(ownerId)],
      ['PATCH', `/api/risks/${risk.id}`, { title: 'Changed' }],
      ['POST', `/api/risks/${risk.id}/treatments`, { option: 'avoid', description: 'Stop', ownerPersonId: ownerId, dueDate: '2026-09-30', successMetric: 'Stopped' }],
      ['PATCH', `/api/risks/${risk.id}/treatments/${treatment.id}`, { status: 'completed' }],
      ['DELETE', `/api/risks/${risk.id}/treatments/${treatment.id}`, undefined],
      ['POST', `/api/risks/${risk.id}/acceptances`, { rationale: 'No' }],
      ['POST', `/api/risks/escalations/${escalation.id}/resolve`, { outcome: 'other', note: 'No' }],
      ['PUT', '/api/risks/matrix', { likelihoodLevels: matrix.likelihoodLevels, impactLevels: matrix.impactLevels, bands: matrix.bands, cells: matrix.cells, changeSummary: 'No' }],
      ['POST', '/api/risks/categories', { id: 'privacy', label: 'Privacy', escalation: { role: 'data_protection_officer', deadlineDays: 10 } }],
      ['PATCH', '/api/risks/categories/legal', { label: 'Law' }],
      ['PUT', '/api/risks/categories/legal/appetite', { statement: 'Any', maxScore: 25 }],
      ['DELETE', '/api/risks/categories/legal/appetite', undefined],
      ['PUT', '/api/risks/erm-mapping', { mappings: [{ category: 'legal', ermCategory: 'Compliance' }] }],
      ['PUT', '/api/risks/acceptance-authorities', { authorities: [{ role: 'administrator', maxBand: 'critical' }] }],
      ['POST', '/api/risks/import', { format: 'csv', content: 'Title\n' }],
    ];
    for (const [method, url, body] of attempts) {
      const response = await server.as('internal_auditor')(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await registerSnapshot(database)).toEqual(before);
  });

  it('limits configuration to administrators and the oversight board', async () => {
    const writers: Role[] = ['risk_owner', 'ai_system_owner', 'validator', 'approver'];
    for (const role of writers) {
      const response = await server.as(role)('PUT', '/api/risks/categories/operational/appetite', { body: { statement: 'Any', maxScore: 10 } });
      expect(response.statusCode, role).toBe(403);
    }
    const validator = await server.as('validator')('POST', '/api/risks', { body: riskBody(ownerId) });
    expect(validator.statusCode).toBe(403);
  });

  it('sorts risks by current score', async () => {
    const ratings = [{ inherent: { likelihood: 2, impact: 2 } }, { inherent: { likelihood: 5, impact: 5 }, residual: { likelihood: 1, impact: 3 } }, {}, { inherent: { likelihood: 3, impact: 4 } }];
    for (const [index, rating] of ratings.entries()) await createRisk(server, riskBody(ownerId, { title: `Sort probe ${index}`, category: 'operational', ...rating }));
    const scoresOf = async (sort: string) => {
      const page = (await server.as('internal_auditor')('GET', `/api/risks?q=sort%20probe&sort=${sort}`)).json();
      return page.items.map((risk: { inherent: { score: number } | null; residual: { score: number } | null }) => (risk.residual ?? risk.inherent)?.score ?? null);
    };

    // The residual score (3) counts over the inherent one (25), and unrated risks sort last both ways.
    expect(await scoresOf('-score')).toEqual([12, 4, 3, null]);
    expect(await scoresOf('score')).toEqual([3, 4, 12, null]);
  });

  it('documents the risk routes in OpenAPI', async () => {
    const openapi = await server.anonymous('GET', '/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    const paths = Object.keys(openapi.json().paths);
    for (const route of ['/api/risks', '/api/risks/{id}', '/api/risks/{id}/acceptances', '/api/risks/escalations', '/api/risks/matrix', '/api/risks/export', '/api/risks/import']) {
      expect(paths).toContain(route);
    }
  });

  it('keeps the audit chain intact', async () => {
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(true);
  });
});
