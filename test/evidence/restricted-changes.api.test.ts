import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evidenceForm } from './multipart.js';

describe.each(databaseKinds)('changes to restricted evidence on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let evidenceId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    const form = evidenceForm({ title: 'Salary bands used in training', kind: 'record', collectedAt: '2026-01-01T00:00:00Z', confidentiality: 'restricted' }, { name: 'bands.csv', content: 'band,salary\nA,100\n' });
    const uploaded = await server.as('ai_system_owner')('POST', '/api/evidence', { payload: form.payload, headers: form.headers });
    expect(uploaded.statusCode).toBe(201);
    evidenceId = uploaded.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('keeps confidentiality with those who may read the file', async () => {
    expect((await server.as('risk_owner')('GET', `/api/evidence/${evidenceId}/content`)).statusCode).toBe(403);
    const lowered = await server.as('risk_owner')('PATCH', `/api/evidence/${evidenceId}`, { body: { confidentiality: 'internal' } });
    expect(lowered.statusCode).toBe(403);
    expect(lowered.json().error.message).toContain('may not change the metadata of the restricted evidence');
    expect((await database.db.selectFrom('evidence').select('confidentiality').where('id', '=', evidenceId).executeTakeFirstOrThrow()).confidentiality).toBe('restricted');
  });

  it('keeps the file with those who may read it', async () => {
    const form = evidenceForm({}, { name: 'other.csv', content: 'band,salary\nB,200\n' });
    const replaced = await server.as('validator')('PUT', `/api/evidence/${evidenceId}/file`, { payload: form.payload, headers: form.headers });
    expect(replaced.statusCode).toBe(403);
    expect((await server.as('ai_system_owner')('GET', `/api/evidence/${evidenceId}/content`)).body).toBe('band,salary\nA,100\n');
  });

  it('lets a reader of restricted evidence change it', async () => {
    const changed = await server.as('administrator')('PATCH', `/api/evidence/${evidenceId}`, { body: { confidentiality: 'internal' } });
    expect(changed.statusCode).toBe(200);
    expect((await server.as('risk_owner')('GET', `/api/evidence/${evidenceId}/content`)).statusCode).toBe(200);
  });
});
