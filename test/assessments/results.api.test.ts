import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { answer, catalogueWeights, createAssessment, createPerson } from './assessment-fixtures.js';

interface Row {
  ref: string | null;
  itemCount: number;
  answeredCount: number;
  notApplicableCount: number;
  unansweredCount: number;
  weightTotal: number;
  weightedMean: number | null;
  percentOfTarget: number | null;
  level: number | null;
  levelCounts: number[];
}

describe.each(databaseKinds)('assessment results on %s', (kind) => {
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

  it('rolls up clause 5 with hand-computed figures', async () => {
    const assessment = await createAssessment(server, { title: 'Roll-up by hand' });
    // Weights are overridden so that the expected figures follow from this test alone:
    // weighted mean = (1*0 + 3*5 + 2*2) / (1 + 3 + 2) = 19/6 = 3.1666..., target 3.
    await answer(server, assessment.id, 'iso42001:5.1', { maturity: 0, weight: 1 });
    await answer(server, assessment.id, 'iso42001:5.2', { maturity: 5, weight: 3 });
    await answer(server, assessment.id, 'iso42001:5.3', { maturity: 2, weight: 2 });
    // A.6 contains A.6.1.2 and A.6.1.3 under A.6.1 and A.6.2.2 to A.6.2.8 under A.6.2: 9 controls.
    // Weighted mean = (1*2 + 3*4) / (1 + 3) = 14/4 = 3.5.
    await answer(server, assessment.id, 'iso42001:A.6.1.2', { maturity: 2, weight: 1 });
    await answer(server, assessment.id, 'iso42001:A.6.2.4', { maturity: 4, weight: 3 });
    await answer(server, assessment.id, 'iso42001:A.6.2.5', { notApplicable: true, notApplicableReason: 'No deployment yet' });

    const response = await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/scores`);
    expect(response.statusCode, response.body).toBe(200);
    const scores = response.json();
    expect(scores.clauses.map((row: Row) => row.ref)).toEqual(['4', '5', '6', '7', '8', '9', '10'].map((id) => `iso42001:${id}`));
    expect(scores.annexAGroups.map((row: Row) => row.ref)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10'].map((id) => `iso42001:${id}`));
    expect(scores.organizationControls).toBeNull();

    const clause5 = scores.clauses.find((row: Row) => row.ref === 'iso42001:5');
    expect(clause5).toEqual({
      ref: 'iso42001:5',
      itemId: '5',
      title: 'Leadership',
      itemCount: 3,
      answeredCount: 3,
      notApplicableCount: 0,
      unansweredCount: 0,
      weightTotal: 6,
      weightedMean: 3.17,
      percentOfTarget: 105.6,
      level: 3,
      levelCounts: [1, 0, 1, 0, 0, 1],
    });

    const groupA6 = scores.annexAGroups.find((row: Row) => row.ref === 'iso42001:A.6');
    expect(groupA6).toMatchObject({
      itemCount: 9,
      answeredCount: 2,
      notApplicableCount: 1,
      unansweredCount: 6,
      weightTotal: 4,
      weightedMean: 3.5,
      percentOfTarget: 116.7,
      level: 3,
      levelCounts: [0, 0, 1, 0, 1, 0],
    });

    const clause4 = scores.clauses.find((row: Row) => row.ref === 'iso42001:4');
    expect(clause4).toMatchObject({ itemCount: 4, answeredCount: 0, weightTotal: 0, weightedMean: null, percentOfTarget: null, level: null, levelCounts: [0, 0, 0, 0, 0, 0] });

    // Overall: (0 + 15 + 4 + 2 + 12) / (1 + 3 + 2 + 1 + 3) = 33/10 = 3.3; 3.3/3 = 110 %.
    expect(scores.overall).toMatchObject({ itemCount: 70, answeredCount: 5, notApplicableCount: 1, weightTotal: 10, weightedMean: 3.3, percentOfTarget: 110, level: 3 });
  });

  it('rolls up every clause against catalogue weights', async () => {
    const assessment = await createAssessment(server, { title: 'Roll-up with catalogue weights', targetLevel: 4 });
    const weights = await catalogueWeights(database.db);
    // Level by position in clause 4: 4.1 -> 1, 4.2 -> 2, 4.3 -> 3, 4.4 -> 4; clause 7 all at 2 except 7.5.2 at 5.
    const levels: Record<string, number> = {
      'iso42001:4.1': 1,
      'iso42001:4.2': 2,
      'iso42001:4.3': 3,
      'iso42001:4.4': 4,
      'iso42001:7.1': 2,
      'iso42001:7.2': 2,
      'iso42001:7.3': 2,
      'iso42001:7.4': 2,
      'iso42001:7.5.1': 2,
      'iso42001:7.5.2': 5,
      'iso42001:7.5.3': 2,
    };
    for (const [ref, maturity] of Object.entries(levels)) await answer(server, assessment.id, ref, { maturity });

    const scores = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/scores`)).json();
    for (const clause of ['4', '7']) {
      const refs = Object.keys(levels).filter((ref) => ref.startsWith(`iso42001:${clause}.`));
      const weightTotal = refs.reduce((sum, ref) => sum + weights.get(ref)!, 0);
      const weightedSum = refs.reduce((sum, ref) => sum + weights.get(ref)! * levels[ref]!, 0);
      const row = scores.clauses.find((candidate: Row) => candidate.ref === `iso42001:${clause}`);
      expect(row.weightTotal).toBe(weightTotal);
      expect(row.weightedMean).toBeCloseTo(weightedSum / weightTotal, 2);
      expect(row.percentOfTarget).toBeCloseTo((weightedSum / weightTotal / 4) * 100, 1);
      expect(row.level).toBe(Math.floor(weightedSum / weightTotal));
      expect(row.answeredCount).toBe(refs.length);
    }
    const clause7 = scores.clauses.find((row: Row) => row.ref === 'iso42001:7');
    expect(clause7.levelCounts).toEqual([0, 0, 6, 0, 0, 1]);
    expect(clause7.itemCount).toBe(7);
  });

  it('orders the remediation plan by priority then effort', async () => {
    const assessment = await createAssessment(server, { title: 'Plan order' });
    // Target 3. Priority = (3 - level) * weight.
    await answer(server, assessment.id, 'iso42001:4.1', { maturity: 1, weight: 2, effort: 'large' }); // 2 * 2 = 4
    await answer(server, assessment.id, 'iso42001:4.2', { maturity: 3, weight: 3 }); // no gap
    await answer(server, assessment.id, 'iso42001:4.3', { maturity: 5, weight: 3 }); // above target
    await answer(server, assessment.id, 'iso42001:5.1', { maturity: 0, weight: 1, effort: 'small' }); // 3 * 1 = 3
    await answer(server, assessment.id, 'iso42001:6.1.2', { maturity: 1, weight: 3, effort: 'large' }); // 2 * 3 = 6
    await answer(server, assessment.id, 'iso42001:7.1', { maturity: 1, weight: 2, effort: 'small' }); // 2 * 2 = 4
    await answer(server, assessment.id, 'iso42001:A.2.2', { maturity: 2, weight: 2, effort: 'small' }); // 1 * 2 = 2
    await answer(server, assessment.id, 'iso42001:A.3.2', { maturity: 1, weight: 2 }); // 2 * 2 = 4, effort unknown
    await answer(server, assessment.id, 'iso42001:A.4.2', { maturity: 2, weight: 2, effort: 'medium' }); // 1 * 2 = 2
    await answer(server, assessment.id, 'iso42001:A.5.2', { notApplicable: true, notApplicableReason: 'Out of scope' });

    const response = await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/remediation-plan`);
    expect(response.statusCode, response.body).toBe(200);
    const plan = response.json();
    expect(plan.total).toBe(7);
    expect(plan.items.map((entry: { ref: string; priority: number; gap: number }) => [entry.ref, entry.gap, entry.priority])).toEqual([
      ['iso42001:6.1.2', 2, 6],
      ['iso42001:7.1', 2, 4],
      ['iso42001:4.1', 2, 4],
      ['iso42001:A.3.2', 2, 4],
      ['iso42001:5.1', 3, 3],
      ['iso42001:A.2.2', 1, 2],
      ['iso42001:A.4.2', 1, 2],
    ]);
    expect(plan.items[0]).toMatchObject({ maturity: 1, targetLevel: 3, weight: 3, effort: 'large', sectionRef: 'iso42001:6', actions: [] });

    const page = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/remediation-plan?limit=2&offset=1`)).json();
    expect(page).toMatchObject({ total: 7, limit: 2, offset: 1 });
    expect(page.items.map((entry: { ref: string }) => entry.ref)).toEqual(['iso42001:7.1', 'iso42001:4.1']);

    const raised = await server.as('risk_owner')('PATCH', `/api/assessments/${assessment.id}`, { body: { targetLevel: 4 } });
    expect(raised.statusCode).toBe(200);
    const higher = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/remediation-plan?limit=1`)).json();
    // With target 4, 4.2 (level 3, weight 3) joins at priority 3 and 6.1.2 leads at (4 - 1) * 3 = 9.
    expect(higher.total).toBe(8);
    expect(higher.items[0]).toMatchObject({ ref: 'iso42001:6.1.2', gap: 3, priority: 9 });
  });

  it('turns plan items into tracked actions', async () => {
    const assessment = await createAssessment(server, { title: 'Actions' });
    const owner = await createPerson(server, 'Action Owner');
    await answer(server, assessment.id, 'iso42001:A.6.2.4', { maturity: 1, weight: 3, effort: 'medium' });
    await answer(server, assessment.id, 'iso42001:4.1', { maturity: 3 });
    await answer(server, assessment.id, 'iso42001:4.2', { notApplicable: true, notApplicableReason: 'Covered elsewhere' });
    const url = `/api/assessments/${assessment.id}/remediation-actions`;

    const created = await server.as('validator')('POST', `${url}?reason=from%20plan`, {
      body: { itemRef: 'iso42001:A.6.2.4', title: ' Define verification and validation criteria ', ownerPersonId: owner, dueDate: '2026-06-30' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json();
    expect(action).toMatchObject({
      assessmentId: assessment.id,
      itemRef: 'iso42001:A.6.2.4',
      title: 'Define verification and validation criteria',
      ownerPersonId: owner,
      dueDate: '2026-06-30',
      status: 'open',
      gap: 2,
      weight: 3,
      priority: 6,
      doneAt: null,
      version: 1,
    });
    expect(created.headers.location).toBe(`${url}/${action.id}`);

    const rejected: Array<{ body: Record<string, unknown>; path: string; message: string }> = [
      {
        body: { itemRef: 'iso42001:4.1', title: 'x', ownerPersonId: owner, dueDate: '2026-06-30' },
        path: '/itemRef',
        message: '"iso42001:4.1" is at level 3, which meets the target level 3, so it has no gap to remediate',
      },
      {
        body: { itemRef: 'iso42001:4.2', title: 'x', ownerPersonId: owner, dueDate: '2026-06-30' },
        path: '/itemRef',
        message: '"iso42001:4.2" is marked not applicable in this assessment, so it has no gap to remediate',
      },
      {
        body: { itemRef: 'iso42001:4.3', title: 'x', ownerPersonId: owner, dueDate: '2026-06-30' },
        path: '/itemRef',
        message: '"iso42001:4.3" has no maturity level yet; answer it before raising an action',
      },
      {
        body: { itemRef: 'iso42001:Z.1', title: 'x', ownerPersonId: owner, dueDate: '2026-06-30' },
        path: '/itemRef',
        message: `"iso42001:Z.1" is not an item of the assessment "Actions"; choose a ref from GET /api/assessments/${assessment.id}/remediation-plan`,
      },
      {
        body: { itemRef: 'iso42001:A.6.2.4', title: 'x', ownerPersonId: 'ghost', dueDate: '2026-06-30' },
        path: '/ownerPersonId',
        message: 'no person with id "ghost" exists; check the id or create the person first',
      },
      {
        body: { itemRef: 'iso42001:A.6.2.4', title: 'x', ownerPersonId: owner, dueDate: '2026-02-30' },
        path: '/dueDate',
        message: 'must be a date as YYYY-MM-DD (received "2026-02-30")',
      },
    ];
    for (const { body, path, message } of rejected) {
      const response = await server.as('validator')('POST', url, { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.details).toEqual([{ path, message }]);
    }

    const plan = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/remediation-plan`)).json();
    expect(plan.items[0].actions).toEqual([{ id: action.id, title: action.title, status: 'open', ownerPersonId: owner, dueDate: '2026-06-30' }]);

    const started = await server.as('risk_owner')('PATCH', `${url}/${action.id}`, { body: { status: 'in_progress' }, headers: { 'if-match': '"1"' } });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', doneAt: null, version: 2 });
    const stale = await server.as('risk_owner')('PATCH', `${url}/${action.id}`, { body: { status: 'done' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const done = await server.as('risk_owner')('PATCH', `${url}/${action.id}`, { body: { status: 'done', dueDate: '2026-07-15' } });
    expect(done.json()).toMatchObject({ status: 'done', dueDate: '2026-07-15', version: 3 });
    expect(done.json().doneAt).not.toBeNull();
    const reopened = await server.as('risk_owner')('PATCH', `${url}/${action.id}`, { body: { status: 'open' } });
    expect(reopened.json()).toMatchObject({ status: 'open', doneAt: null });

    const listed = (await server.as('internal_auditor')('GET', `${url}?status=open`)).json();
    expect(listed.total).toBe(1);
    expect(listed.items[0].id).toBe(action.id);
    expect((await server.as('internal_auditor')('GET', `${url}?status=done`)).json().total).toBe(0);
    expect((await server.as('internal_auditor')('GET', `${url}/no-such-action`)).statusCode).toBe(404);

    const blockedDelete = await server.as('risk_owner')('DELETE', `/api/assessments/${assessment.id}`);
    expect(blockedDelete.statusCode).toBe(409);
    expect(blockedDelete.json().error.message).toContain('has 1 remediation action');

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=remediation_action&recordId=${action.id}`)).json();
    expect(events.items.map((event: { action: string }) => event.action)).toEqual([
      'remediation_action.updated',
      'remediation_action.updated',
      'remediation_action.updated',
      'remediation_action.created',
    ]);
    expect(events.items[3].reason).toBe('from plan');
  });

  it('keeps actions editable after completion', async () => {
    const assessment = await createAssessment(server, { title: 'Completed with actions' });
    const owner = await createPerson(server, 'Follow-up Owner');
    const answers = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/answers?limit=500`)).json().items;
    for (const item of answers) await answer(server, assessment.id, item.ref, { maturity: item.ref === 'iso42001:8.2' ? 1 : 3 });
    const completed = await server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);

    const created = await server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/remediation-actions`, {
      body: { itemRef: 'iso42001:8.2', title: 'Run the AI risk assessment for every system', ownerPersonId: owner, dueDate: '2026-09-01' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const updated = await server.as('risk_owner')('PATCH', `/api/assessments/${assessment.id}/remediation-actions/${created.json().id}`, { body: { status: 'done' } });
    expect(updated.statusCode).toBe(200);
    const plan = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/remediation-plan`)).json();
    expect(plan.total).toBe(1);
    expect(plan.items[0].actions[0].status).toBe('done');
  });
});
