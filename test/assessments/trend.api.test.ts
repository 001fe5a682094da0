import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steppingClock, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { answer, answerAll, createAssessment, listAllAnswers } from './assessment-fixtures.js';

interface TrendRow {
  ref: string;
  weightedMean: number | null;
  level: number | null;
}

describe.each(databaseKinds)('assessment trend on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database, steppingClock('2026-03-01T09:00:00.000Z')));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const complete = async (id: string) => {
    const response = await server.as('risk_owner')('POST', `/api/assessments/${id}/complete`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('lists completed gap assessments in completion order', async () => {
    // The later-started assessment is completed first, so completion order differs from start order.
    const baseline = await createAssessment(server, { title: 'Baseline' });
    const followUp = await createAssessment(server, { title: 'Follow-up' });
    await createAssessment(server, { title: 'Still open' });
    const mock = await createAssessment(server, { title: 'Mock audit', mode: 'mock_audit', sampleSize: 1, seed: 5 });

    // Follow-up: clause 4 at level 4, everything else at level 2.
    await answerAll(server, followUp.id, (item) => (item.sectionRef === 'iso42001:4' ? 4 : 2));
    const followUpDone = await complete(followUp.id);
    // Baseline: level 1 everywhere except A.6, whose items are all at level 3.
    await answerAll(server, baseline.id, (item) => (item.sectionRef === 'iso42001:A.6' ? 3 : 1));
    const baselineDone = await complete(baseline.id);
    expect(followUpDone.completedAt < baselineDone.completedAt).toBe(true);

    const [sampled] = await listAllAnswers(server, mock.id);
    await answer(server, mock.id, sampled!.ref, { finding: 'conformity' });
    await complete(mock.id);

    const response = await server.as('internal_auditor')('GET', '/api/assessments/trend');
    expect(response.statusCode, response.body).toBe(200);
    const trend = response.json();
    expect(trend.total).toBe(2);
    expect(trend.items.map((point: { title: string }) => point.title)).toEqual(['Follow-up', 'Baseline']);
    expect(trend.items.map((point: { completedAt: string }) => point.completedAt)).toEqual([followUpDone.completedAt, baselineDone.completedAt]);

    const meanOf = (rows: TrendRow[], ref: string) => rows.find((row) => row.ref === ref)?.weightedMean;
    const [first, second] = trend.items;
    expect(meanOf(first.clauses, 'iso42001:4')).toBe(4);
    expect(meanOf(first.clauses, 'iso42001:9')).toBe(2);
    expect(meanOf(first.annexAGroups, 'iso42001:A.6')).toBe(2);
    expect(meanOf(second.clauses, 'iso42001:4')).toBe(1);
    expect(meanOf(second.clauses, 'iso42001:9')).toBe(1);
    expect(meanOf(second.annexAGroups, 'iso42001:A.6')).toBe(3);
    expect(first.clauses).toHaveLength(7);
    expect(first.annexAGroups).toHaveLength(9);
    expect(second.overall).toMatchObject({ itemCount: 70, answeredCount: 70 });

    const secondPage = (await server.as('internal_auditor')('GET', '/api/assessments/trend?limit=1&offset=1')).json();
    expect(secondPage).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(secondPage.items[0].assessmentId).toBe(baseline.id);
  });
});
