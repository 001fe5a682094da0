import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { answer, createAssessment, listAllAnswers } from './assessment-fixtures.js';

describe.each(databaseKinds)('mock audits on %s', (kind) => {
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

  const sampledRefs = async (assessmentId: string) => (await listAllAnswers(server, assessmentId)).map((item) => item.ref);

  it('samples the same controls for the same seed', async () => {
    const first = await createAssessment(server, { title: 'Mock audit 1', mode: 'mock_audit', sampleSize: 8, seed: 20260513 });
    const second = await createAssessment(server, { title: 'Mock audit 2', mode: 'mock_audit', sampleSize: 8, seed: 20260513 });
    const other = await createAssessment(server, { title: 'Mock audit 3', mode: 'mock_audit', sampleSize: 8, seed: 7 });
    expect(first).toMatchObject({ mode: 'mock_audit', sampleSize: 8, seed: 20260513, progress: { itemCount: 8 } });

    const refs = await sampledRefs(first.id);
    expect(refs).toHaveLength(8);
    expect(new Set(refs).size).toBe(8);
    for (const ref of refs) expect(ref).toMatch(/^iso42001:A\.\d+\.\d+(\.\d+)?$/);
    expect(await sampledRefs(second.id)).toEqual(refs);
    expect(await sampledRefs(other.id)).not.toEqual(refs);

    const created = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=assessment&recordId=${first.id}`)).json();
    expect(created.items[0].after.itemRefs).toEqual(refs);
  });

  it('records the seed it picked when none is given', async () => {
    const picked = await createAssessment(server, { title: 'Unseeded', mode: 'mock_audit', sampleSize: 5 });
    expect(Number.isInteger(picked.seed)).toBe(true);
    const replay = await createAssessment(server, { title: 'Replay', mode: 'mock_audit', sampleSize: 5, seed: picked.seed });
    expect(await sampledRefs(replay.id)).toEqual(await sampledRefs(picked.id));
  });

  it('samples every control at the upper bound', async () => {
    const all = await createAssessment(server, { title: 'Full sample', mode: 'mock_audit', sampleSize: 38, seed: 1 });
    const refs = await sampledRefs(all.id);
    expect(refs).toHaveLength(38);
    const controls = await database.db.selectFrom('catalogue_items').select('ref').where('framework_id', '=', 'iso42001').where('kind', '=', 'control').execute();
    expect(new Set(refs)).toEqual(new Set(controls.map((control) => control.ref)));
  });

  it('rejects sample sizes outside 1 to the controls in scope', async () => {
    const before = await database.db.selectFrom('assessments').select('id').execute();
    const cases: Array<{ body: Record<string, unknown>; path: string; message: string }> = [
      { body: { sampleSize: 0 }, path: '/sampleSize', message: 'must be 1 or more (received 0)' },
      {
        body: { sampleSize: 39 },
        path: '/sampleSize',
        message: '39 is more than the 38 controls in scope; choose at most 38, or set includeOrganizationControls to add your own controls',
      },
      { body: {}, path: '/sampleSize', message: 'is required for a mock_audit: give the number of controls to sample' },
      { body: { sampleSize: 3, seed: -1 }, path: '/seed', message: 'must be 0 or more (received -1)' },
      { body: { sampleSize: 3, seed: 4_294_967_296 }, path: '/seed', message: 'must be 4294967295 or less (received 4294967296)' },
    ];
    for (const { body, path, message } of cases) {
      const response = await server.as('risk_owner')('POST', '/api/assessments', { body: { title: 'Bad sample', mode: 'mock_audit', ...body } });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.details).toEqual([{ path, message }]);
    }
    expect(await database.db.selectFrom('assessments').select('id').execute()).toEqual(before);
  });

  it('records findings and completes once each control has one', async () => {
    const audit = await createAssessment(server, { title: 'Findings', mode: 'mock_audit', sampleSize: 3, seed: 99 });
    const [first, second, third] = await sampledRefs(audit.id);
    const url = (ref: string) => `/api/assessments/${audit.id}/answers/${ref}`;

    const noText = await server.as('validator')('PATCH', url(first!), { body: { finding: 'minor_nonconformity' } });
    expect(noText.statusCode).toBe(400);
    expect(noText.json().error.details).toEqual([
      { path: '/findingText', message: 'is required for a finding of minor_nonconformity: state what was found and against which requirement' },
    ]);
    const badKind = await server.as('validator')('PATCH', url(first!), { body: { finding: 'critical' } });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].path).toBe('/finding');

    const recorded = await answer(server, audit.id, first!, { finding: 'minor_nonconformity', findingText: 'Two of five models lack a documented validation.', maturity: 2 });
    expect(recorded).toMatchObject({ finding: 'minor_nonconformity', findingText: 'Two of five models lack a documented validation.', maturity: 2 });
    await answer(server, audit.id, second!, { finding: 'conformity' });

    // A changed finding brings its own text: the stored text described the old one.
    const changed = await server.as('validator')('PATCH', url(first!), { body: { finding: 'major_nonconformity' } });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error.details[0].path).toBe('/findingText');
    const cleared = await answer(server, audit.id, first!, { finding: 'conformity' });
    expect(cleared.findingText).toBe('');
    await answer(server, audit.id, first!, { finding: 'minor_nonconformity', findingText: 'Two of five models lack a documented validation.' });

    const incomplete = await server.as('risk_owner')('POST', `/api/assessments/${audit.id}/complete`);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.message).toBe(
      `The assessment "Findings" cannot be completed while 1 item is unanswered (${third}); give each a finding or mark it not applicable`,
    );

    await answer(server, audit.id, third!, { notApplicable: true, notApplicableReason: 'Excluded in the Statement of Applicability' });
    const completed = await server.as('risk_owner')('POST', `/api/assessments/${audit.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().progress).toEqual({
      itemCount: 3,
      answeredCount: 2,
      notApplicableCount: 1,
      unansweredCount: 0,
      findingCounts: { minor_nonconformity: 1, conformity: 1 },
    });

    const frozen = await server.as('validator')('PATCH', url(second!), { body: { finding: 'observation', findingText: 'late' } });
    expect(frozen.statusCode).toBe(409);

    const outside = await server.as('validator')('GET', `/api/assessments/${audit.id}/answers/iso42001:4.1`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.message).toContain('which covers only the controls its sample drew');
  });
});
