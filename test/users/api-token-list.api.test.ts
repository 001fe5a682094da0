import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiTokens } from '../../src/users/token-listing.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('GET /api/tokens on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    // The test server issues one token per role on first use: these make three tokens of three users.
    for (const role of ['administrator', 'validator', 'approver'] as const) await server.as(role)('GET', '/api/ai-systems');
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('lists every token for an administrator, without secrets', async () => {
    const response = await server.as('administrator')('GET', '/api/tokens');
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.items.map((token: { username: string }) => token.username).sort()).toEqual(['administrator', 'approver', 'validator']);
    expect(Object.keys(page.items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'revokedAt', 'role', 'userId', 'username']);
    expect(response.body).not.toMatch(/custos_[A-Za-z0-9_-]{43}/);
  });

  it('lists newest first, a page at a time', async () => {
    const all = (await server.as('administrator')('GET', '/api/tokens')).json().items as { id: string; createdAt: string }[];
    const createdAt = all.map((token) => token.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());

    const second = await server.as('administrator')('GET', '/api/tokens?limit=1&offset=1');
    expect(second.json()).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(second.json().items.map((token: { id: string }) => token.id)).toEqual([all[1]!.id]);
  });

  it('filters by username for an administrator', async () => {
    const response = await server.as('administrator')('GET', '/api/tokens?username=validator');
    expect(response.json()).toMatchObject({ total: 1, items: [{ username: 'validator', role: 'validator' }] });
  });

  it('shows others only their own tokens', async () => {
    const response = await server.as('validator')('GET', '/api/tokens');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 1, items: [{ username: 'validator' }] });
    const self = await server.as('validator')('GET', '/api/tokens?username=validator');
    expect(self.json().total).toBe(1);
  });

  it('rejects a look at another user with 403', async () => {
    const response = await server.as('validator')('GET', '/api/tokens?username=administrator');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe('validator may list only their own API tokens, not those of "administrator"; ask an administrator');
  });

  it('rejects an unknown user with 404', async () => {
    const response = await server.as('administrator')('GET', '/api/tokens?username=ghost');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('No user named "ghost" exists; check the username or list the users');
  });

  it('rejects unknown query parameters with 400', async () => {
    const response = await server.as('administrator')('GET', '/api/tokens?role=validator');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'querystring:/role', message: 'is not a known field; remove it' }]);
  });

  it('rejects anonymous requests with 401', async () => {
    const response = await server.anonymous('GET', '/api/tokens');
    expect(response.statusCode).toBe(401);
  });

  it('denies a caller without a role', async () => {
    await expect(listApiTokens(testContext(database), callerWith([], 'nobody'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
