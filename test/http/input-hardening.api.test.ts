import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { startTestServer, type TestServer } from '../support/server.js';

const system = { name: 'Hardening target', purpose: 'Receives hostile input', businessUnit: 'Security' };

describe.each(databaseKinds)('hostile input on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let targetId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    targetId = (await server.as('administrator')('POST', '/api/ai-systems', { body: system })).json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  async function countSystems(): Promise<number> {
    const row = await database.db.selectFrom('ai_systems').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it('rejects NUL characters everywhere with 400', async () => {
    const before = await countSystems();
    const admin = server.as('administrator');
    const cases = [
      await admin('POST', '/api/ai-systems', { body: { ...system, name: 'nul\u0000byte' } }),
      await admin('GET', '/api/ai-systems?q=%00'),
      await admin('GET', '/api/ai-systems?businessUnit=a%00b'),
      await admin('GET', '/api/ai-systems/a%00b'),
      await server.anonymous('POST', '/api/auth/sign-in', { body: { username: 'ad\u0000min', password: 'whatever it is' } }),
    ];
    for (const response of cases) {
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details[0].message).toBe('must not contain the NUL character (U+0000)');
    }
    expect(cases[0]!.json().error.details[0].path).toBe('/name');
    expect(cases[1]!.json().error.details[0].path).toBe('querystring:/q');
    expect(await countSystems()).toBe(before);
  });

  it('rejects unpaired surrogates', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { payload: '{"name":"x \\ud83d","purpose":"p","businessUnit":"b"}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: '/name', message: 'contains an unpaired UTF-16 surrogate; send valid Unicode text' }]);
    const paired = await server.as('administrator')('POST', '/api/ai-systems', { body: { ...system, name: 'Emoji 🎯 ok' } });
    expect(paired.statusCode).toBe(201);
  });

  it('names the prototype key it rejects', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', {
      payload: '{"name":"x","purpose":"p","businessUnit":"b","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('"__proto__"');
  });

  it('bounds the pagination offset', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/ai-systems?offset=99999999999999999999');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring:/offset');
    const events = await server.as('internal_auditor')('GET', '/api/audit-events?offset=9223372036854775808');
    expect(events.statusCode).toBe(400);
  });

  it('answers malformed URLs from the catalogue', async () => {
    const badEncoding = await server.as('internal_auditor')('GET', '/api/ai-systems/%ZZ');
    expect(badEncoding.statusCode).toBe(400);
    expect(badEncoding.json().error.code).toBe('VALIDATION_FAILED');
    const longId = await server.as('internal_auditor')('GET', `/api/ai-systems/${'x'.repeat(150)}`);
    expect(longId.statusCode).toBe(400);
    expect(longId.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps percent-encoded paths behind authentication', async () => {
    const response = await server.anonymous('POST', '/%61pi/ai-systems', { body: { name: 1 } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects text/plain bodies with 415', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { payload: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('compares If-Match strongly', async () => {
    const admin = server.as('administrator');
    const weak = await admin('PATCH', `/api/ai-systems/${targetId}`, { body: { purpose: 'weak' }, headers: { 'if-match': 'W/"1"' } });
    expect(weak.statusCode).toBe(412);
    expect(weak.json().error.message).toContain('only weak ETags');
    const several = await admin('PATCH', `/api/ai-systems/${targetId}`, { body: { purpose: 'several' }, headers: { 'if-match': '"1", "2"' } });
    expect(several.statusCode).toBe(400);
    const garbage = await admin('PATCH', `/api/ai-systems/${targetId}`, { body: { purpose: 'garbage' }, headers: { 'if-match': 'v1' } });
    expect(garbage.statusCode).toBe(400);
    const strong = await admin('PATCH', `/api/ai-systems/${targetId}`, { body: { purpose: 'strong' }, headers: { 'if-match': 'W/"7", "1"' } });
    expect(strong.statusCode).toBe(200);
  });

  it('explains fields a PATCH cannot change', async () => {
    const response = await server.as('administrator')('PATCH', `/api/ai-systems/${targetId}`, { body: { lifecycleStage: 'production', version: 9 } });
    expect(response.statusCode).toBe(400);
    const messages = Object.fromEntries(response.json().error.details.map((detail: { path: string; message: string }) => [detail.path, detail.message]));
    expect(messages['/lifecycleStage']).toContain('lifecycle-transitions');
    expect(messages['/version']).toContain('If-Match');
    const empty = await server.as('administrator')('PATCH', `/api/ai-systems/${targetId}`, { body: {} });
    expect(empty.json().error.details[0].message).toBe('must contain at least 1 field to change');
  });

  it('states the body limit in bytes', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { body: { ...system, purpose: 'x'.repeat(1_100_000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('1048576 bytes');
  });

  it('rejects dates and URLs the response could not carry', async () => {
    const admin = server.as('administrator');
    const cases = [
      { publishedAt: '2024-02-30' },
      { publishedAt: '2024-02-31T10:00:00Z' },
      { sourceUrl: 'http://example.com/a b' },
      { sourceUrl: 'http://example.com/<x>' },
    ];
    for (const [index, fields] of cases.entries()) {
      const response = await admin('POST', '/api/ai-systems', { body: { ...system, name: `Format case ${index}`, ...fields } });
      expect(response.statusCode).toBe(400);
    }
    const list = await admin('GET', '/api/ai-systems?limit=500');
    expect(list.statusCode).toBe(200);
    const leap = await admin('POST', '/api/ai-systems', { body: { ...system, name: 'Leap day', publishedAt: '2024-02-29' } });
    expect(leap.statusCode).toBe(201);
  });

  it('leaves the chain intact after rejected writes', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
