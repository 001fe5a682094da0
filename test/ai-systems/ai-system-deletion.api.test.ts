import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evidenceForm } from '../evidence/multipart.js';

describe.each(databaseKinds)('AI system deletion with governance records on %s', (kind) => {
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

  it('keeps a system that evidence and objectives refer to', async () => {
    const system = (await server.as('administrator')('POST', '/api/ai-systems', { body: { name: 'Benefit triage', purpose: 'Orders claims for review', businessUnit: 'Benefits' } })).json();
    const owner = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Grace Owner' } })).json();

    const form = evidenceForm({ title: 'Validation report', kind: 'report', collectedAt: '2026-01-01T00:00:00Z', confidentiality: 'internal' }, { name: 'report.txt', content: 'accuracy 0.91' });
    const evidence = await server.as('administrator')('POST', '/api/evidence', { payload: form.payload, headers: form.headers });
    expect(evidence.statusCode).toBe(201);
    const link = await server.as('administrator')('POST', `/api/evidence/${evidence.json().id}/links`, { body: { targetType: 'ai_system', targetId: system.id } });
    expect(link.statusCode).toBe(201);
    const objective = await server.as('administrator')('POST', '/api/objectives', {
      body: { title: 'Fewer reversals', metricName: 'Reversed triage decisions', targetValue: 2, unit: '%', direction: 'at_most', ownerPersonId: owner.id, dueDate: '2027-06-30', aiSystemIds: [system.id] },
    });
    expect(objective.statusCode).toBe(201);

    const blocked = await server.as('administrator')('DELETE', `/api/ai-systems/${system.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['evidence', 'objectives']);
    expect(await database.db.selectFrom('ai_systems').select('id').where('id', '=', system.id).executeTakeFirst()).toBeDefined();
  });
});
