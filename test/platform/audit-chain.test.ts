import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditEvents } from '../../src/platform/audit/audit-trail.js';
import { canonicalEnvelope, canonicalJson, genesisHash, hashEvent } from '../../src/platform/audit/chain.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { callerWith } from '../support/context.js';

describe('canonical envelope', () => {
  it('matches the general RFC 8785 serializer', () => {
    const awkward = ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'unicode é ✓ 𝄞', '\u0000\u001f control', '\u2028'];
    for (const text of awkward) {
      const event = {
        seq: 12345,
        occurred_at: '2026-01-01T00:00:00.000Z',
        actor_id: text,
        action: 'ai_system.updated',
        record_type: 'ai_system',
        record_id: text,
        before_json: text,
        after_json: null,
        reason: text,
        request_id: null,
        previous_hash: genesisHash,
      };
      const general = canonicalJson({
        seq: event.seq,
        occurred_at: event.occurred_at,
        actor_id: event.actor_id,
        action: event.action,
        record_type: event.record_type,
        record_id: event.record_id,
        before_length: Buffer.byteLength(text, 'utf8'),
        after_length: null,
        reason: event.reason,
        request_id: event.request_id,
        previous_hash: event.previous_hash,
      });
      const lengths = { before_length: Buffer.byteLength(text, 'utf8'), after_length: null };
      expect(canonicalEnvelope({ ...event, ...lengths })).toBe(general);
      const expectedHash = createHash('sha256').update(general + text, 'utf8').digest('hex');
      expect(hashEvent(event)).toBe(expectedHash);
    }
  });
});

describe.each(databaseKinds)('audit chain on %s', (kind) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.cleanup();
  });

  async function appendEvents(count: number): Promise<void> {
    const caller = callerWith(['administrator'], 'alice');
    await writeTransaction(database, (trx) =>
      appendAuditEvents(
        trx,
        caller,
        new Date('2026-01-01T00:00:00Z'),
        Array.from({ length: count }, (_, index) => ({
          action: 'ai_system.updated' as const,
          recordId: randomUUID(),
          before: { name: `before ${index}`, tags: ['a', 'b'] },
          after: { name: `after ${index}`, tags: ['b', 'a'] },
          reason: index % 2 === 0 ? 'routine update' : null,
        })),
      ),
    );
  }

  /** Runs raw SQL against the events table with the append-only trigger out of the way. */
  async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
    if (kind === 'postgresql') {
      await sql`alter table audit_events disable trigger user`.execute(database.db);
      await statement.execute(database.db);
      await sql`alter table audit_events enable trigger user`.execute(database.db);
    } else {
      await statement.execute(database.db);
    }
  }

  it('verifies an empty chain', async () => {
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(true);
    expect(result.eventsChecked).toBe(0);
  });

  it('links each event to the previous hash', async () => {
    await appendEvents(3);
    await appendEvents(2);
    const rows = await database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.previous_hash).toBe(genesisHash);
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index]!.previous_hash).toBe(rows[index - 1]!.hash);
    }
    for (const row of rows) {
      expect(hashEvent({ ...row, seq: Number(row.seq) })).toBe(row.hash);
    }
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: true, eventsChecked: 5, headSeq: 5, headHash: rows[4]!.hash, failure: null });
  });

  it('stores before and after as canonical JSON', async () => {
    await appendEvents(1);
    const row = await database.db.selectFrom('audit_events').selectAll().executeTakeFirstOrThrow();
    expect(row.before_json).toBe('{"name":"before 0","tags":["a","b"]}');
  });

  it('detects an edited event', async () => {
    await appendEvents(10);
    await tamper(sql`update audit_events set reason = 'nothing to see' where seq = 4`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ seq: 4, kind: 'edited' });
    expect(result.eventsChecked).toBe(3);
  });

  it('detects an event edited and re-hashed', async () => {
    await appendEvents(10);
    const row = await database.db.selectFrom('audit_events').selectAll().where('seq', '=', 6).executeTakeFirstOrThrow();
    const forged = { ...row, seq: Number(row.seq), reason: 'rewritten' };
    await tamper(sql`update audit_events set reason = ${forged.reason}, hash = ${hashEvent(forged)} where seq = 6`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 6, kind: 'edited' });
  });

  it('detects a deleted event', async () => {
    await appendEvents(10);
    await tamper(sql`delete from audit_events where seq = 7`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 7, kind: 'deleted' });
  });

  it('detects a deletion hidden by renumbering', async () => {
    await appendEvents(10);
    await tamper(sql`delete from audit_events where seq = 5`);
    for (let seq = 6; seq <= 10; seq += 1) {
      await tamper(sql`update audit_events set seq = ${seq - 1} where seq = ${seq}`);
    }
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 5, kind: 'deleted' });
  });

  it('detects an inserted event', async () => {
    await appendEvents(10);
    // Shift events 5..10 up by one, from the top down so the primary key never collides.
    for (let seq = 10; seq >= 5; seq -= 1) {
      await tamper(sql`update audit_events set seq = ${seq + 1} where seq = ${seq}`);
    }
    const predecessor = await database.db.selectFrom('audit_events').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
    const forged = {
      seq: 5,
      occurred_at: '2026-01-01T00:00:00.000Z',
      actor_id: 'user-mallory',
      action: 'ai_system.updated',
      record_type: 'ai_system',
      record_id: 'forged',
      before_json: null,
      after_json: '{"name":"forged"}',
      reason: null,
      request_id: null,
      previous_hash: predecessor.hash,
    };
    await tamper(sql`insert into audit_events (seq, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash)
      values (${forged.seq}, ${forged.occurred_at}, ${forged.actor_id}, ${forged.action}, ${forged.record_type}, ${forged.record_id}, ${forged.before_json}, ${forged.after_json}, ${forged.reason}, ${forged.request_id}, ${forged.previous_hash}, ${hashEvent(forged)})`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 5, kind: 'inserted' });
  });

  it('detects reordered events', async () => {
    await appendEvents(10);
    await tamper(sql`update audit_events set seq = 100 where seq = 3`);
    await tamper(sql`update audit_events set seq = 3 where seq = 4`);
    await tamper(sql`update audit_events set seq = 4 where seq = 100`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 3, kind: 'reordered' });
  });

  it('checks events across batch boundaries', async () => {
    await appendEvents(5003);
    await tamper(sql`update audit_events set actor_id = 'user-mallory' where seq = 5002`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 5002, kind: 'edited' });
  });

  it('detects two distant events swapped', async () => {
    await appendEvents(300);
    await tamper(sql`update audit_events set seq = 1000 where seq = 10`);
    await tamper(sql`update audit_events set seq = 10 where seq = 280`);
    await tamper(sql`update audit_events set seq = 280 where seq = 1000`);
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 10, kind: 'reordered' });
    expect(result.failure?.message).toContain('written as event 280');
    expect(result.eventsChecked).toBe(9);
  });

  it('detects a newest event renumbered beyond safe integers', async () => {
    await appendEvents(5);
    await tamper(sql`update audit_events set seq = 9007199254740993 where seq = 5`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ seq: 5, kind: 'edited' });
    expect(result.headSeq).toBe(4);
  });

  if (kind === 'sqlite') {
    it('verifies a large trail on worker threads', async () => {
      await appendEvents(25_000);
      const options = { sqliteFile: database.location };
      const intact = await verifyAuditChain(database.db, undefined, options);
      expect(intact).toMatchObject({ ok: true, eventsChecked: 25_000, headSeq: 25_000 });
      const sequential = await verifyAuditChain(database.db);
      expect(intact.headHash).toBe(sequential.headHash);

      await tamper(sql`update audit_events set reason = 'quietly changed' where seq = 18000`);
      const broken = await verifyAuditChain(database.db, undefined, options);
      expect(broken.failure).toMatchObject({ seq: 18000, kind: 'edited' });
    });

    it('finds an event numbered below one', async () => {
      await appendEvents(20_000);
      await sql`pragma ignore_check_constraints = 1`.execute(database.db);
      await sql`insert into audit_events select 0, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash || 'x' from audit_events where seq = 1`.execute(database.db);
      await sql`pragma ignore_check_constraints = 0`.execute(database.db);
      const result = await verifyAuditChain(database.db, undefined, { sqliteFile: database.location });
      expect(result.failure).toMatchObject({ seq: 0, kind: 'inserted' });
    });

    it('stores sequence numbers as the row id', async () => {
      await appendEvents(2);
      await expect(sql`update audit_events set seq = 'x' where seq = 2`.execute(database.db)).rejects.toThrow(/datatype mismatch/);
    });
  }

  it('detects a trail emptied under existing records', async () => {
    await writeTransaction(database, (trx) =>
      trx.insertInto('users').values({ id: 'u1', username: 'ghost', display_name: 'Ghost', password_hash: 'x', person_id: null, active: 1, version: 1, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }).execute(),
    );
    const result = await verifyAuditChain(database.db);
    expect(result.failure).toMatchObject({ seq: 1, kind: 'deleted' });
    expect(result.failure?.message).toContain('1 user account(s)');
  });

  it('checks an anchor kept outside the database', async () => {
    await appendEvents(6);
    const intact = await verifyAuditChain(database.db);
    const anchor = { seq: intact.headSeq, hash: intact.headHash };
    expect((await verifyAuditChain(database.db, anchor)).ok).toBe(true);

    await tamper(sql`delete from audit_events where seq >= 5`);
    const truncated = await verifyAuditChain(database.db, anchor);
    expect(truncated.ok).toBe(false);
    expect(truncated.failure).toMatchObject({ seq: 6, kind: 'deleted' });
    expect(truncated.eventsChecked).toBe(4);

    const wrongHash = await verifyAuditChain(database.db, { seq: 2, hash: 'f'.repeat(64) });
    expect(wrongHash.failure).toMatchObject({ seq: 2, kind: 'edited' });
  });

  if (kind === 'postgresql') {
    it('rejects update, delete and truncate in the database', async () => {
      await appendEvents(2);
      await expect(sql`update audit_events set reason = 'x' where seq = 1`.execute(database.db)).rejects.toThrow(/append-only: UPDATE/);
      await expect(sql`delete from audit_events where seq = 2`.execute(database.db)).rejects.toThrow(/append-only: DELETE/);
      await expect(sql`truncate audit_events`.execute(database.db)).rejects.toThrow(/append-only: TRUNCATE/);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });
  }
});
