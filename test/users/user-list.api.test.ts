import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/platform/auth/caller.js';
import type { AppError } from '../../src/platform/errors.js';
import { createUser, listUsers } from '../../src/users/users.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('GET /api/users on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    server = await startTestServer(ctx);
    await createUser(ctx, systemCaller, { username: 'dora', displayName: 'Dora Privacy', password: 'a long enough password', roles: ['data_protection_officer', 'validator'] });
    await createUser(ctx, systemCaller, { username: 'vera', password: 'a long enough password', roles: ['validator'] });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('returns a page of users by username', async () => {
    const response = await server.as('administrator')('GET', '/api/users');
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.items.map((user: { username: string }) => user.username)).toEqual(['administrator', 'dora', 'vera']);
    expect(page.items[1]).toMatchObject({ displayName: 'Dora Privacy', roles: ['data_protection_officer', 'validator'], active: true });
    expect(response.body).not.toContain('argon2');
  });

  it('pages with limit and offset', async () => {
    const response = await server.as('administrator')('GET', '/api/users?limit=1&offset=1');
    expect(response.json()).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ username: 'dora' }] });
  });

  it('filters by role, text and state', async () => {
    const validators = await server.as('administrator')('GET', '/api/users?role=validator');
    expect(validators.json().items.map((user: { username: string }) => user.username)).toEqual(['dora', 'vera']);
    const searched = await server.as('administrator')('GET', '/api/users?q=privacy');
    expect(searched.json()).toMatchObject({ total: 1, items: [{ username: 'dora' }] });
    const inactive = await server.as('administrator')('GET', '/api/users?active=false');
    expect(inactive.json()).toMatchObject({ total: 0, items: [] });
  });

  it('rejects unknown query parameters with 400', async () => {
    const response = await server.as('administrator')('GET', '/api/users?sort=name');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'querystring:/sort', message: 'is not a known field; remove it' }]);
  });

  it('rejects a role outside the enumeration with 400', async () => {
    const response = await server.as('administrator')('GET', '/api/users?role=superuser');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring:/role');
  });

  it('lets administrators and auditors read, no one else', async () => {
    const auditor = await server.as('internal_auditor')('GET', '/api/users');
    expect(auditor.statusCode).toBe(200);
    const owner = await server.as('ai_system_owner')('GET', '/api/users');
    expect(owner.statusCode).toBe(403);
    await expect(listUsers(testContext(database), callerWith(['validator']))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe.each(databaseKinds)('createUser messages on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('never quotes the password and states the username rule', async () => {
    const error = await createUser(testContext(database), systemCaller, { username: 'Bad Name', password: 'tiny secret', roles: ['validator'] }).then(
      () => expect.fail('createUser accepted an invalid user'),
      (caught: unknown) => caught as AppError,
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).not.toContain('tiny secret');
    expect(error.details.find((detail) => detail.path === '/username')).toEqual({
      path: '/username',
      message: 'must be 1 to 64 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit (received "Bad Name")',
    });
    expect(error.details.map((detail) => detail.path).sort()).toEqual(['/password', '/username']);
  });
});
