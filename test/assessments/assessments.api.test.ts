import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnswer } from '../../src/assessments/answers.service.js';
import { insertAssessment, recordCompletion } from '../../src/assessments/assessments.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { answer, catalogueWeights, createAssessment, createPerson, insertEvidence, listAllAnswers } from './assessment-fixtures.js';

describe.each(databaseKinds)('assessments API on %s', (kind) => {
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

  const countRows = async (table: 'assessments' | 'assessment_answers' | 'assessment_answer_evidence' | 'audit_events') => {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    return Number(row.total);
  };

  it('serves the maturity scale 0 to 5', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/assessments/maturity-scale');
    expect(response.statusCode).toBe(200);
    const scale = response.json();
    expect(scale.levels.map((level: { level: number }) => level.level)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scale.levels.map((level: { name: string }) => level.name)).toEqual(['Not performed', 'Initial', 'Managed', 'Defined', 'Measured', 'Optimizing']);
    for (const level of scale.levels) expect(level.criteria.length).toBeGreaterThan(40);
    expect(scale.defaultTargetLevel).toBe(3);
  });

  it('creates one answer row per clause leaf and control', async () => {
    const lead = await createPerson(server, 'Lead Assessor');
    const created = await createAssessment(server, { title: 'Readiness review', leadAssessorPersonId: lead });
    expect(created).toMatchObject({
      title: 'Readiness review',
      mode: 'gap',
      includeOrganizationControls: false,
      targetLevel: 3,
      status: 'in_progress',
      leadAssessorPersonId: lead,
      sampleSize: null,
      seed: null,
      completedAt: null,
      version: 1,
      progress: { itemCount: 70, answeredCount: 0, notApplicableCount: 0, unansweredCount: 70, findingCounts: {} },
    });
    expect(created.startedAt).toBe(created.createdAt);
    const creator = await database.db.selectFrom('users').select('id').where('username', '=', 'risk-owner').executeTakeFirstOrThrow();
    expect(created.createdBy).toBe(creator.id);

    const answers = await listAllAnswers(server, created.id);
    expect(answers).toHaveLength(70);
    const clauseLeaves = answers.filter((item) => (item as unknown as { kind: string }).kind === 'clause');
    const controls = answers.filter((item) => (item as unknown as { kind: string }).kind === 'control');
    expect(clauseLeaves).toHaveLength(32);
    expect(controls).toHaveLength(38);
    expect(answers.every((item) => item.maturity === null && !item.notApplicable)).toBe(true);
    expect(answers[0]).toMatchObject({ ref: 'iso42001:4.1', sectionRef: 'iso42001:4', position: 0 });
    expect(answers.find((item) => item.ref === 'iso42001:6.1.3')?.sectionRef).toBe('iso42001:6');
    expect(answers.find((item) => item.ref === 'iso42001:A.6.1.2')?.sectionRef).toBe('iso42001:A.6');
    expect(answers.find((item) => item.ref === 'iso42001:A.6.2.4')?.sectionRef).toBe('iso42001:A.6');

    const weights = await catalogueWeights(database.db);
    for (const item of answers) {
      expect(item.catalogueWeight).toBe(weights.get(item.ref));
      expect(item.weight).toBe(weights.get(item.ref));
    }
    const stored = await database.db.selectFrom('assessment_answers').select('item_ref').where('assessment_id', '=', created.id).execute();
    expect(stored).toHaveLength(70);

    const section = await server.as('internal_auditor')('GET', `/api/assessments/${created.id}/answers?section=iso42001:A.6`);
    expect(section.json().total).toBe(9);
  });

  it('adds the organization controls when asked', async () => {
    const control = await server.as('administrator')('POST', '/api/catalogue/organization-controls', {
      body: { itemId: 'ORG-ASSESS-1', title: 'Customer model cards', summary: 'Every model shipped to a customer has a model card.', weight: 3 },
    });
    expect(control.statusCode, control.body).toBe(201);

    const created = await createAssessment(server, { title: 'With own controls', includeOrganizationControls: true, targetLevel: 4 });
    expect(created.progress).toMatchObject({ itemCount: 71 });
    const own = await listAllAnswers(server, created.id, '&framework=org');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ ref: 'org:ORG-ASSESS-1', sectionRef: null, catalogueWeight: 3, position: 70 });

    const scores = (await server.as('internal_auditor')('GET', `/api/assessments/${created.id}/scores`)).json();
    expect(scores.organizationControls).toMatchObject({ itemCount: 1, unansweredCount: 1, weightedMean: null });
  });

  it('records an answer with evidence, weight and effort', async () => {
    const assessment = await createAssessment(server, { title: 'Answering' });
    const evidenceA = await insertEvidence(database.db, 'AI policy approval minutes');
    const evidenceB = await insertEvidence(database.db, 'Policy review schedule');

    const response = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:A.2.2?reason=workshop`, {
      body: { maturity: 2, comment: ' Policy exists, not yet reviewed. ', evidenceIds: [evidenceB, evidenceA], weight: 3, effort: 'small' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const body = response.json();
    expect(body).toMatchObject({
      ref: 'iso42001:A.2.2',
      maturity: 2,
      maturityName: 'Managed',
      comment: 'Policy exists, not yet reviewed.',
      weightOverride: 3,
      weight: 3,
      effort: 'small',
      version: 2,
    });
    expect(body.evidenceIds).toEqual([evidenceA, evidenceB].sort());
    const validator = await database.db.selectFrom('users').select('id').where('username', '=', 'validator').executeTakeFirstOrThrow();
    expect(body.answeredBy).toBe(validator.id);

    const links = await database.db.selectFrom('assessment_answer_evidence').select('evidence_id').where('assessment_id', '=', assessment.id).execute();
    expect(links.map((link) => link.evidence_id).sort()).toEqual([evidenceA, evidenceB].sort());

    const read = await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/answers/iso42001:A.2.2`);
    expect(read.json()).toEqual(body);

    const cleared = await answer(server, assessment.id, 'iso42001:A.2.2', { weight: null, evidenceIds: [evidenceA] });
    expect(cleared).toMatchObject({ weightOverride: null, weight: cleared.catalogueWeight, maturity: 2, evidenceIds: [evidenceA] });
    const stale = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:A.2.2`, { body: { maturity: 4 }, headers: { 'if-match': '"2"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.message).toContain('If-Match names version 2, the current version is 3');

    const progress = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}`)).json().progress;
    expect(progress).toMatchObject({ itemCount: 70, answeredCount: 1, unansweredCount: 69 });

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=assessment_answer&recordId=${assessment.id}`)).json();
    expect(events.total).toBe(2);
    expect(events.items[1]).toMatchObject({ action: 'assessment_answer.updated', reason: 'workshop', before: { maturity: null }, after: { maturity: 2 } });
  });

  it.each([
    { value: 6, message: 'must be 5 or less, or null (received 6)' },
    { value: -1, message: 'must be 0 or more, or null (received -1)' },
    { value: 2.5, message: 'must be an integer, or null (received 2.5)' },
    { value: '3', message: 'must be an integer, or null (received "3")' },
  ])('rejects maturity $value naming it', async ({ value, message }) => {
    const assessment = await createAssessment(server, { title: `Bad level ${String(value)}` });
    const eventsBefore = await countRows('audit_events');

    const response = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.1`, { body: { maturity: value, comment: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: '/maturity', message }]);

    const stored = await database.db
      .selectFrom('assessment_answers')
      .selectAll()
      .where('assessment_id', '=', assessment.id)
      .where('item_ref', '=', 'iso42001:4.1')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ maturity: null, comment: '', version: 1 });
    expect(await countRows('audit_events')).toBe(eventsBefore);
  });

  it('rejects unknown and out-of-scope refs naming them', async () => {
    const assessment = await createAssessment(server, { title: 'Refs' });
    const unknown = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:A.99.1`, { body: { maturity: 1 } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('No catalogue item "iso42001:A.99.1" exists');

    const heading = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:6.1`, { body: { maturity: 1 } });
    expect(heading.statusCode).toBe(404);
    expect(heading.json().error.message).toContain('"iso42001:6.1" is not an item of the assessment "Refs"');

    const otherFramework = await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/answers/nist-ai-rmf:GOVERN 1.1`);
    expect(otherFramework.statusCode).toBe(404);
    expect(otherFramework.json().error.message).toContain('"nist-ai-rmf:GOVERN 1.1" is not an item');

    const noAssessment = await server.as('validator')('PATCH', '/api/assessments/no-such-assessment/answers/iso42001:4.1', { body: { maturity: 1 } });
    expect(noAssessment.statusCode).toBe(404);
    expect(noAssessment.json().error.message).toContain('"no-such-assessment"');
  });

  it('rejects unknown evidence without writing anything', async () => {
    const assessment = await createAssessment(server, { title: 'Evidence check' });
    const known = await insertEvidence(database.db, 'Known record');
    const linksBefore = await countRows('assessment_answer_evidence');

    const response = await server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.2`, {
      body: { maturity: 3, evidenceIds: [known, 'missing-evidence'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/evidenceIds/1', message: 'no evidence with id "missing-evidence" exists; upload the evidence first or check the id' },
    ]);
    expect(await countRows('assessment_answer_evidence')).toBe(linksBefore);
    const read = (await server.as('validator')('GET', `/api/assessments/${assessment.id}/answers/iso42001:4.2`)).json();
    expect(read).toMatchObject({ maturity: null, evidenceIds: [], version: 1 });
  });

  it('applies the not-applicable rules', async () => {
    const assessment = await createAssessment(server, { title: 'Not applicable' });
    const url = `/api/assessments/${assessment.id}/answers/iso42001:A.10.4`;
    await answer(server, assessment.id, 'iso42001:A.10.4', { maturity: 2 });

    const noReason = await server.as('validator')('PATCH', url, { body: { notApplicable: true } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toEqual([
      { path: '/notApplicableReason', message: 'is required when the item is marked not applicable: say why it does not apply' },
    ]);

    const both = await server.as('validator')('PATCH', url, { body: { notApplicable: true, notApplicableReason: 'No customers', maturity: 2 } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0]).toEqual({ path: '/maturity', message: 'cannot be given together with notApplicable: true' });

    const marked = await answer(server, assessment.id, 'iso42001:A.10.4', { notApplicable: true, notApplicableReason: ' We have no customers yet ' });
    expect(marked).toMatchObject({ notApplicable: true, notApplicableReason: 'We have no customers yet', maturity: null, maturityName: null });

    const levelWhileMarked = await server.as('validator')('PATCH', url, { body: { maturity: 3 } });
    expect(levelWhileMarked.statusCode).toBe(400);
    expect(levelWhileMarked.json().error.details[0].message).toBe(
      'cannot be given while the item is marked not applicable; send notApplicable: false with the level',
    );

    const unmarked = await answer(server, assessment.id, 'iso42001:A.10.4', { notApplicable: false, maturity: 3 });
    expect(unmarked).toMatchObject({ notApplicable: false, notApplicableReason: null, maturity: 3 });

    const finding = await server.as('validator')('PATCH', url, { body: { finding: 'observation', findingText: 'x' } });
    expect(finding.statusCode).toBe(400);
    expect(finding.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/finding', '/findingText']);
  });

  it('completes only when every item is answered, then freezes', async () => {
    const assessment = await createAssessment(server, { title: 'Completion' });
    const answers = await listAllAnswers(server, assessment.id);
    const skipped = ['iso42001:5.2', 'iso42001:A.7.4', 'iso42001:10.2'];
    for (const item of answers) {
      if (skipped.includes(item.ref)) continue;
      await answer(server, assessment.id, item.ref, item.ref === 'iso42001:A.9.4' ? { notApplicable: true, notApplicableReason: 'No third parties' } : { maturity: 2 });
    }

    const incomplete = await server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/complete`);
    expect(incomplete.statusCode).toBe(400);
    const error = incomplete.json().error;
    expect(error.message).toBe(
      'The assessment "Completion" cannot be completed while 3 items are unanswered (iso42001:5.2, iso42001:10.2, iso42001:A.7.4); give each a maturity level or mark it not applicable',
    );
    expect(error.details.map((detail: { path: string }) => detail.path)).toEqual(['/answers/iso42001:5.2', '/answers/iso42001:10.2', '/answers/iso42001:A.7.4']);
    expect((await server.as('risk_owner')('GET', `/api/assessments/${assessment.id}`)).json().status).toBe('in_progress');

    for (const ref of skipped) await answer(server, assessment.id, ref, { maturity: 1 });
    const stale = await server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/complete`, { headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);

    const completed = await server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/complete?reason=review%20done`, { headers: { 'if-match': '"1"' } });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).toMatchObject({ status: 'completed', version: 2, progress: { answeredCount: 69, notApplicableCount: 1, unansweredCount: 0 } });
    expect(completed.json().completedAt).not.toBeNull();

    const frozenAttempts = [
      () => server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.1`, { body: { maturity: 5 } }),
      () => server.as('validator')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.1`, { body: { comment: 'late note' } }),
      () => server.as('risk_owner')('PATCH', `/api/assessments/${assessment.id}`, { body: { targetLevel: 2 } }),
      () => server.as('risk_owner')('POST', `/api/assessments/${assessment.id}/complete`),
      () => server.as('risk_owner')('DELETE', `/api/assessments/${assessment.id}`),
    ];
    for (const attempt of frozenAttempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(409);
      expect(response.json().error.message).toContain('"Completion" was completed at');
    }
    const stillTwo = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/answers/iso42001:4.1`)).json();
    expect(stillTwo).toMatchObject({ maturity: 2, comment: '' });
  });

  it('validates the creation request without writing anything', async () => {
    const assessmentsBefore = await countRows('assessments');
    const answersBefore = await countRows('assessment_answers');
    const cases: Array<{ body: Record<string, unknown>; path: string; message: string }> = [
      { body: { title: 'x', targetLevel: 0 }, path: '/targetLevel', message: 'must be 1 or more (received 0)' },
      { body: { title: 'x', targetLevel: 6 }, path: '/targetLevel', message: 'must be 5 or less (received 6)' },
      { body: { title: '  ' }, path: '/title', message: 'must not be blank (received "  ")' },
      { body: { title: 'x', mode: 'survey' }, path: '/mode', message: 'must be one of gap, mock_audit (received "survey")' },
      { body: { title: 'x', sampleSize: 5 }, path: '/sampleSize', message: 'applies only to mode mock_audit; remove it or set mode to mock_audit' },
      {
        body: { title: 'x', leadAssessorPersonId: 'nobody' },
        path: '/leadAssessorPersonId',
        message: 'no person with id "nobody" exists; check the id or create the person first',
      },
    ];
    for (const { body, path, message } of cases) {
      const response = await server.as('risk_owner')('POST', '/api/assessments', { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.details).toEqual([{ path, message }]);
    }
    expect(await countRows('assessments')).toBe(assessmentsBefore);
    expect(await countRows('assessment_answers')).toBe(answersBefore);
  });

  it('changes and discards an assessment in progress', async () => {
    const assessment = await createAssessment(server, { title: 'Draft review' });
    const lead = await createPerson(server, 'Second Assessor');
    const changed = await server.as('risk_owner')('PATCH', `/api/assessments/${assessment.id}`, {
      body: { title: 'Draft review, round 2', targetLevel: 4, leadAssessorPersonId: lead },
      headers: { 'if-match': '"1"' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Draft review, round 2', targetLevel: 4, leadAssessorPersonId: lead, version: 2 });

    await answer(server, assessment.id, 'iso42001:4.1', { maturity: 1 });
    const deleted = await server.as('risk_owner')('DELETE', `/api/assessments/${assessment.id}?reason=duplicate`);
    expect(deleted.statusCode).toBe(204);
    expect((await server.as('risk_owner')('GET', `/api/assessments/${assessment.id}`)).statusCode).toBe(404);
    const leftovers = await database.db.selectFrom('assessment_answers').select('item_ref').where('assessment_id', '=', assessment.id).execute();
    expect(leftovers).toEqual([]);
  });

  it('lists assessments with filters and pagination', async () => {
    const all = (await server.as('internal_auditor')('GET', '/api/assessments?limit=500')).json();
    expect(all.total).toBe(await countRows('assessments'));
    const startedAt = all.items.map((item: { startedAt: string }) => item.startedAt);
    expect(startedAt).toEqual([...startedAt].sort().reverse());

    const completed = (await server.as('internal_auditor')('GET', '/api/assessments?status=completed')).json();
    expect(completed.items.map((item: { title: string }) => item.title)).toEqual(['Completion']);

    const byTitle = (await server.as('internal_auditor')('GET', '/api/assessments?sort=title&limit=500')).json();
    const page = (await server.as('internal_auditor')('GET', '/api/assessments?sort=title&limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: all.total, limit: 2, offset: 1 });
    expect(page.items).toEqual(byTitle.items.slice(1, 3));

    const bad = await server.as('internal_auditor')('GET', '/api/assessments?status=done');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring:/status');
  });

  it('rejects every change by the internal auditor', async () => {
    const assessment = await createAssessment(server, { title: 'Guarded' });
    const attempts = [
      () => server.as('internal_auditor')('POST', '/api/assessments', { body: { title: 'Auditor review' } }),
      () => server.as('internal_auditor')('PATCH', `/api/assessments/${assessment.id}`, { body: { title: 'x' } }),
      () => server.as('internal_auditor')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.1`, { body: { maturity: 3 } }),
      () => server.as('internal_auditor')('POST', `/api/assessments/${assessment.id}/complete`),
      () => server.as('internal_auditor')('DELETE', `/api/assessments/${assessment.id}`),
      () =>
        server.as('internal_auditor')('POST', `/api/assessments/${assessment.id}/remediation-actions`, {
          body: { itemRef: 'iso42001:4.1', title: 'x', ownerPersonId: 'p', dueDate: '2026-06-30' },
        }),
      () => server.as('internal_auditor')('PATCH', `/api/assessments/${assessment.id}/remediation-actions/some-action`, { body: { status: 'done' } }),
      () => server.as('ai_system_owner')('PATCH', `/api/assessments/${assessment.id}/answers/iso42001:4.1`, { body: { maturity: 3 } }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    const read = (await server.as('internal_auditor')('GET', `/api/assessments/${assessment.id}/answers/iso42001:4.1`)).json();
    expect(read.maturity).toBeNull();
    expect((await server.anonymous('GET', '/api/assessments')).statusCode).toBe(401);
  });

  it('writes in one caller transaction', async () => {
    const completed = await writeTransaction(database, async (trx) => {
      const now = new Date('2026-02-01T10:00:00.000Z');
      const assessment = await insertAssessment(trx, systemCaller, now, { title: 'Loaded in one transaction', mode: 'mock_audit', sampleSize: 2, seed: 3 });
      const sampled = await trx.selectFrom('assessment_answers').select('item_ref').where('assessment_id', '=', assessment.id).execute();
      for (const { item_ref: ref } of sampled) await recordAnswer(trx, systemCaller, now, assessment.id, ref, { finding: 'conformity', maturity: 3 });
      return recordCompletion(trx, systemCaller, now, assessment.id);
    });
    expect(completed).toMatchObject({ status: 'completed', completedAt: '2026-02-01T10:00:00.000Z' });

    const assessmentsBefore = await countRows('assessments');
    const eventsBefore = await countRows('audit_events');
    const failed = writeTransaction(database, async (trx) => {
      const assessment = await insertAssessment(trx, systemCaller, new Date(), { title: 'Rolled back' });
      await recordAnswer(trx, systemCaller, new Date(), assessment.id, 'iso42001:4.1', { maturity: 9 });
    });
    await expect(failed).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/maturity', message: expect.stringContaining('(received 9)') }] });
    expect(await countRows('assessments')).toBe(assessmentsBefore);
    expect(await countRows('audit_events')).toBe(eventsBefore);

    const auditor = callerWith(['internal_auditor']);
    await expect(writeTransaction(database, (trx) => insertAssessment(trx, auditor, new Date(), { title: 'x' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits every change and keeps the chain intact', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=assessment&limit=500')).json();
    const actions = new Set(events.items.map((event: { action: string }) => event.action));
    expect(actions).toEqual(new Set(['assessment.created', 'assessment.updated', 'assessment.completed', 'assessment.deleted']));
    const created = events.items.find((event: { action: string; after: { title: string } }) => event.action === 'assessment.created' && event.after.title === 'Completion');
    expect(created.after.itemRefs).toHaveLength(70);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
