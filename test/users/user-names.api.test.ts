import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { createUser } from '../../src/users/users.service.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('user name lookup on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    server = await startTestServer(ctx);
    ids.dora = (await createUser(ctx, systemCaller, { username: 'dora', displayName: 'Dora Privacy', password: 'a long enough password', roles: ['data_protection_officer'] })).id;
    ids.vera = (await createUser(ctx, systemCaller, { username: 'vera', password: 'a long enough password', roles: ['validator'] })).id;
  });

  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('returns display names only, ordered by name', async () => {
    const response = await server.as('approver')('GET', `/api/users/names?ids=${ids.vera}&ids=${ids.dora}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: ids.dora, displayName: 'Dora Privacy' },
      { id: ids.vera, displayName: 'vera' },
    ]);
  });

  it('opens to roles without users.read', async () => {
    for (const role of ['approver', 'validator', 'data_protection_officer', 'ai_system_owner', 'risk_owner', 'oversight_board_member', 'internal_auditor'] as const) {
      const response = await server.as(role)('GET', `/api/users/names?ids=${ids.dora}`);
      expect(response.statusCode, role).toBe(200);
      expect(response.json(), role).toEqual([{ id: ids.dora, displayName: 'Dora Privacy' }]);
    }
  });

  it('keeps the user list closed to them', async () => {
    const response = await server.as('approver')('GET', '/api/users');
    expect(response.statusCode).toBe(403);
  });

  it('leaves out unknown and repeated ids', async () => {
    const response = await server.as('approver')('GET', `/api/users/names?ids=${ids.dora}&ids=system&ids=${ids.dora}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([{ id: ids.dora, displayName: 'Dora Privacy' }]);
  });

  it('rejects a lookup without ids', async () => {
    const response = await server.as('approver')('GET', '/api/users/names');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toContain('querystring:/ids');
  });

  it('rejects more than 200 ids', async () => {
    const query = Array.from({ length: 201 }, (_, index) => `ids=u${index}`).join('&');
    const response = await server.as('approver')('GET', `/api/users/names?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring:/ids');
  });

  it('rejects an anonymous lookup', async () => {
    const response = await server.anonymous('GET', `/api/users/names?ids=${ids.dora}`);
    expect(response.statusCode).toBe(401);
  });

  it('documents the lookup in OpenAPI', async () => {
    const openapi = (await server.anonymous('GET', '/api/openapi.json')).json();
    const operation = openapi.paths['/api/users/names'].get;
    expect(operation.description).toContain('never the username');
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['ids']);
  });
});
