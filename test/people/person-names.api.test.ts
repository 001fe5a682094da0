import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('person name lookup on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    for (const [key, body] of [
      ['grace', { name: 'Grace Hopper', email: 'grace@example.org', jobTitle: 'Rear admiral' }],
      ['alan', { name: 'Alan Turing', email: 'alan@example.org' }],
      ['edsger', { name: 'Edsger Dijkstra' }],
    ] as const) {
      const response = await server.as('administrator')('POST', '/api/people', { body });
      expect(response.statusCode).toBe(201);
      ids[key] = response.json().id;
    }
  });

  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('returns names only, ordered by name', async () => {
    const response = await server.as('approver')('GET', `/api/people/names?ids=${ids.grace}&ids=${ids.alan}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { id: ids.alan, name: 'Alan Turing' },
      { id: ids.grace, name: 'Grace Hopper' },
    ]);
  });

  it('accepts a single id', async () => {
    const response = await server.as('oversight_board_member')('GET', `/api/people/names?ids=${ids.edsger}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([{ id: ids.edsger, name: 'Edsger Dijkstra' }]);
  });

  it('opens to every reading role', async () => {
    for (const role of ['internal_auditor', 'validator', 'data_protection_officer', 'ai_system_owner', 'risk_owner'] as const) {
      const response = await server.as(role)('GET', `/api/people/names?ids=${ids.grace}`);
      expect(response.statusCode, role).toBe(200);
    }
  });

  it('leaves out unknown and repeated ids', async () => {
    const response = await server.as('approver')('GET', `/api/people/names?ids=${ids.grace}&ids=no-such-person&ids=${ids.grace}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([{ id: ids.grace, name: 'Grace Hopper' }]);
  });

  it('rejects a lookup without ids', async () => {
    const response = await server.as('approver')('GET', '/api/people/names');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toContain('querystring:/ids');
  });

  it('rejects more than 200 ids', async () => {
    const query = Array.from({ length: 201 }, (_, index) => `ids=p${index}`).join('&');
    const response = await server.as('approver')('GET', `/api/people/names?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring:/ids');
  });

  it('rejects an anonymous lookup', async () => {
    const response = await server.anonymous('GET', `/api/people/names?ids=${ids.grace}`);
    expect(response.statusCode).toBe(401);
  });

  it('still reads a person whose id is not names', async () => {
    const response = await server.as('approver')('GET', `/api/people/${ids.grace}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe('Grace Hopper');
  });

  it('documents the lookup in OpenAPI', async () => {
    const openapi = (await server.anonymous('GET', '/api/openapi.json')).json();
    const operation = openapi.paths['/api/people/names'].get;
    expect(operation.description).toContain('never contact data');
  });
});
