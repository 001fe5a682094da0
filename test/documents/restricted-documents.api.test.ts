import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('restricted documents on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let documentId: string;
  let versionId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    const owner = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Rita Restricted' } })).json();
    const document = await server.as('risk_owner')('POST', '/api/documents', {
      body: { title: 'Pay equity analysis method', kind: 'procedure', ownerPersonId: owner.id, reviewIntervalMonths: 12, retentionMonths: 72, confidentiality: 'restricted' },
    });
    expect(document.statusCode).toBe(201);
    documentId = document.json().id;
    const version = await server.as('risk_owner')('POST', `/api/documents/${documentId}/versions`, { body: { content: 'Salary bands per grade: A 100, B 200.', changeSummary: 'First issue' } });
    expect(version.statusCode).toBe(201);
    versionId = version.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('shows the text to its writer and restricted readers only', async () => {
    expect((await server.as('risk_owner')('GET', `/api/documents/${documentId}/versions/${versionId}`)).statusCode).toBe(200);
    expect((await server.as('internal_auditor')('GET', `/api/documents/${documentId}/versions/${versionId}`)).json().content).toContain('Salary bands');
    for (const role of ['validator', 'approver', 'ai_system_owner'] as const) {
      const response = await server.as(role)('GET', `/api/documents/${documentId}/versions/${versionId}`);
      expect(response.statusCode, role).toBe(403);
      expect(response.body, role).not.toContain('Salary bands');
    }
  });

  it('lets only restricted readers lower the confidentiality', async () => {
    const lowered = await server.as('risk_owner')('PATCH', `/api/documents/${documentId}`, { body: { confidentiality: 'internal' } });
    expect(lowered.statusCode).toBe(403);
    const allowed = await server.as('administrator')('PATCH', `/api/documents/${documentId}`, { body: { confidentiality: 'internal' } });
    expect(allowed.statusCode).toBe(200);
    expect((await server.as('validator')('GET', `/api/documents/${documentId}/versions/${versionId}`)).statusCode).toBe(200);
  });
});
