import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvents } from '../../src/platform/audit/audit-trail.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Line =
  | { type: 'progress'; checked: number; total: number }
  | { type: 'result'; verification: { ok: boolean; eventsChecked: number; headSeq: number; failure: { seq: number; kind: string } | null } }
  | { type: 'error'; error: { code: string; message: string } };

const addedEvents = 2_500;

function parseLines(body: string): Line[] {
  expect(body.endsWith('\n'), 'the stream ends with a newline').toBe(true);
  return body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

describe.each(databaseKinds)('audit chain verification progress on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let headSeq: number;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    const caller = callerWith(['administrator'], 'alice');
    await writeTransaction(database, (trx) =>
      appendAuditEvents(
        trx,
        caller,
        new Date('2026-01-01T00:00:00Z'),
        Array.from({ length: addedEvents }, (_, index) => ({ action: 'ai_system.updated' as const, recordId: randomUUID(), after: { name: `system ${index}` } })),
      ),
    );
    // The auditor's token is issued before the stream is read, so the head includes its user's event.
    await server.as('internal_auditor')('GET', '/api/audit-events?limit=1');
    const head = await database.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirstOrThrow();
    headSeq = Number(head.head);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('streams progress lines, then the result', async () => {
    const response = await server.as('internal_auditor')('POST', '/api/audit-events/verify', { body: {}, headers: { accept: 'application/x-ndjson' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');

    const lines = parseLines(response.body);
    const progress = lines.filter((line) => line.type === 'progress');
    expect(progress[0]).toEqual({ type: 'progress', checked: 0, total: headSeq });
    expect(progress.map((line) => line.checked)).toEqual([0, 1000, 2000]);
    for (const line of progress) expect(line.total).toBe(headSeq);

    const last = lines.at(-1)!;
    expect(last.type).toBe('result');
    if (last.type !== 'result') return;
    expect(last.verification.ok).toBe(true);
    expect(last.verification.eventsChecked).toBe(headSeq);
    expect(last.verification.headSeq).toBe(headSeq);
  });

  it('keeps the JSON body without the stream type', async () => {
    const response = await server.as('internal_auditor')('POST', '/api/audit-events/verify', { body: {} });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ ok: true, eventsChecked: headSeq, headSeq, failure: null });
  });

  it('rejects an invalid anchor with a JSON error, not a stream', async () => {
    const response = await server.as('internal_auditor')('POST', '/api/audit-events/verify', {
      body: { anchor: { seq: 1, hash: 'not hex' } },
      headers: { accept: 'application/x-ndjson' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('rejects an anonymous caller before streaming', async () => {
    const response = await server.anonymous('POST', '/api/audit-events/verify', { body: {}, headers: { accept: 'application/x-ndjson' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('ends the stream with the break it found', async () => {
    const target = 1_500;
    // The append-only trigger is switched off for the edit, as an attacker with database access would.
    if (kind === 'postgresql') {
      await sql`alter table audit_events disable trigger user`.execute(database.db);
      await sql`update audit_events set reason = 'rewritten' where seq = ${target}`.execute(database.db);
      await sql`alter table audit_events enable trigger user`.execute(database.db);
    } else {
      await sql`update audit_events set reason = 'rewritten' where seq = ${target}`.execute(database.db);
    }

    const response = await server.as('internal_auditor')('POST', '/api/audit-events/verify', { body: {}, headers: { accept: 'application/x-ndjson' } });
    expect(response.statusCode, response.body).toBe(200);
    const lines = parseLines(response.body);
    expect(lines.filter((line) => line.type === 'progress').map((line) => (line.type === 'progress' ? line.checked : -1))).toEqual([0, 1000]);
    const last = lines.at(-1)!;
    expect(last.type).toBe('result');
    if (last.type !== 'result') return;
    expect(last.verification.ok).toBe(false);
    expect(last.verification.failure).toMatchObject({ seq: target, kind: 'edited' });
    expect(last.verification.eventsChecked).toBe(target - 1);
  });
});
