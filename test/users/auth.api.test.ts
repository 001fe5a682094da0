import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/platform/logger.js';
import { ensureAdministrator } from '../../src/users/first-start.js';
import { maxFailuresPerAccountAndAddress } from '../../src/users/sessions.service.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { startTestServer, type TestServer } from '../support/server.js';

const adminPassword = 'correct horse battery staple';

describe.each(databaseKinds)('sign-in, sessions and tokens on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const ctx = { ...testContext(database), logger: pino(loggerOptions('debug'), sink) };
    const withPassword = { ...ctx, config: { ...ctx.config, adminPassword } };
    expect(await ensureAdministrator(withPassword)).toEqual({ username: 'admin', generatedPassword: null });
    expect(await ensureAdministrator(withPassword)).toBeNull();
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server.app.close();
    await database.cleanup();
  });

  async function signIn(password: string) {
    return server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'admin', password } });
  }

  it('opens a session with a strict httpOnly cookie', async () => {
    const response = await signIn(adminPassword);
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ username: 'admin', roles: ['administrator'] });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^custos_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const session = cookie.split(';')[0]!;
    const me = await server.anonymous('GET', '/api/auth/me', { headers: { cookie: session } });
    expect(me.statusCode).toBe(200);
    expect(me.json().actingRoles).toEqual(['administrator']);
    expect(me.json().permissions).toEqual(expect.arrayContaining(['soa.write', 'soa.approve', 'risks.write', 'users.manage']));

    const signOut = await server.anonymous('POST', '/api/auth/sign-out', { headers: { cookie: session } });
    expect(signOut.statusCode).toBe(204);
    const after = await server.anonymous('GET', '/api/auth/me', { headers: { cookie: session } });
    expect(after.statusCode).toBe(401);
  });

  it('gives one answer to every failed sign-in and audits the cause', async () => {
    const wrong = await signIn('not the password at all');
    const unknown = await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'ghost', password: 'whatever it is' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);

    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?action=user.sign_in_failed')).json();
    const causes = events.items.map((event: { after: { cause: string } }) => event.after.cause).sort();
    expect(causes).toEqual(['unknown user', 'wrong password']);
    const signedIn = (await server.as('internal_auditor')('GET', '/api/audit-events?action=user.signed_in')).json();
    expect(signedIn.total).toBe(1);
  });

  it('lists only read permissions, and managing its own tokens, for an internal auditor', async () => {
    const me = await server.as('internal_auditor')('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    const permissions: string[] = me.json().permissions;
    expect(permissions).toContain('audit.read');
    expect(permissions).toContain('measurements.read');
    expect(permissions.filter((permission) => !/\.read(_\w+)?$/.test(permission))).toEqual(['api_tokens.manage_own']);
  });

  it('issues tokens to a signed-in user for themselves only', async () => {
    const created = await server.as('administrator')('POST', '/api/users', {
      body: { username: 'vera', password: 'vera validates models', roles: ['validator', 'internal_auditor'] },
    });
    expect(created.statusCode).toBe(201);
    const signedIn = await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'vera', password: 'vera validates models' } });
    const session = String(signedIn.headers['set-cookie']).split(';')[0]!;

    const own = await server.anonymous('POST', '/api/tokens', { body: { username: 'vera', role: 'internal_auditor', name: 'notebook' }, headers: { cookie: session } });
    expect(own.statusCode).toBe(201);
    expect(own.json().token).toMatch(/^custos_/);

    const other = await server.anonymous('POST', '/api/tokens', { body: { username: 'admin', role: 'administrator' }, headers: { cookie: session } });
    expect(other.statusCode).toBe(403);

    const minted = await server.anonymous('POST', '/api/tokens', {
      body: { username: 'vera', role: 'validator' },
      headers: { authorization: `Bearer ${own.json().token}` },
    });
    expect(minted.statusCode).toBe(403);
    expect(minted.json().error.message).toContain('An API token cannot issue API tokens');

    const revoked = await server.anonymous('DELETE', `/api/tokens/${own.json().apiToken.id}`, { headers: { cookie: session } });
    expect(revoked.statusCode).toBe(200);
    const useRevoked = await server.anonymous('GET', '/api/ai-systems', { headers: { authorization: `Bearer ${own.json().token}` } });
    expect(useRevoked.statusCode).toBe(401);
  });

  it('blocks sign-in after repeated failures', async () => {
    await server.as('administrator')('POST', '/api/users', { body: { username: 'tess', password: 'tess tests throttling', roles: ['validator'] } });
    for (let attempt = 0; attempt < maxFailuresPerAccountAndAddress; attempt += 1) {
      const wrong = await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'tess', password: `guess number ${attempt}` } });
      expect(wrong.statusCode).toBe(401);
    }
    const blocked = await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'tess', password: 'tess tests throttling' } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('TOO_MANY_REQUESTS');

    const failures = (await server.as('internal_auditor')('GET', '/api/audit-events?action=user.sign_in_failed&limit=500')).json();
    const forTess = failures.items.filter((event: { after: { username: string } }) => event.after.username === 'tess');
    expect(forTess).toHaveLength(maxFailuresPerAccountAndAddress);
    expect(forTess[0].after.clientAddress).toBe('127.0.0.1');

    const otherAccount = await signIn(adminPassword);
    expect(otherAccount.statusCode).toBe(200);
  });

  it('lets only administrators manage users', async () => {
    const denied = await server.as('oversight_board_member')('POST', '/api/users', { body: { username: 'eve', password: 'long enough password', roles: ['administrator'] } });
    expect(denied.statusCode).toBe(403);
    const created = await server.as('administrator')('POST', '/api/users', { body: { username: 'dora', password: 'long enough password', roles: ['data_protection_officer'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('passwordHash');
    const duplicate = await server.as('administrator')('POST', '/api/users', { body: { username: 'dora', password: 'long enough password', roles: ['validator'] } });
    expect(duplicate.statusCode).toBe(409);
    const short = await server.as('administrator')('POST', '/api/users', { body: { username: 'Bad Name', password: 'short', roles: [] } });
    expect(short.json().error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['/password', '/roles', '/username']);
  });

  it('serves the OpenAPI document and the docs page without credentials', async () => {
    const openapi = await server.anonymous('GET', '/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(openapi.json().openapi).toBe('3.1.0');
    expect(Object.keys(openapi.json().paths)).toContain('/api/ai-systems/{id}');
    const docs = await server.anonymous('GET', '/api/docs');
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('logs the request id on every request line and never a secret', async () => {
    await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'admin', password: adminPassword }, headers: { 'x-request-id': 'trace-123' } });
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const traced = lines.filter((line) => line.requestId === 'trace-123');
    expect(traced.length).toBeGreaterThanOrEqual(2);
    const everything = logLines.join('\n');
    expect(everything).not.toContain(adminPassword);
    expect(everything).not.toMatch(/custos_[A-Za-z0-9_-]{43}/);
  });
});
