import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { createApiToken } from '../../src/users/tokens.service.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/*
 * Two real `custos serve` processes write to one database at the same time. On PostgreSQL they
 * share a schema and serialize audit appends with an advisory lock. On SQLite they share one file
 * and serialize with BEGIN IMMEDIATE. Either way the chain must stay one unbroken line.
 */

const adminPassword = 'concurrent-writers-password';
const workersPerServer = 10;
/** Each round is one create and one update, so every server gets workersPerServer × rounds × 2 requests (200). */
const roundsPerWorker = 10;
const contendedRecords = 20;

interface Acknowledgement {
  action: 'ai_system.created' | 'ai_system.updated';
  requestId: string;
  id: string;
  version: number;
  purpose: string;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  etag: string | null;
}

describe.each(databaseKinds)('concurrent writer processes on %s', (kind) => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const env: Record<string, string> =
      kind === 'postgresql'
        ? { CUSTOS_DATABASE_URL: database.settings.databaseUrl!, CUSTOS_DATABASE_SCHEMA: database.settings.databaseSchema }
        : { CUSTOS_DATA_DIR: database.settings.dataDir };
    env.CUSTOS_ADMIN_PASSWORD = adminPassword;

    // Both start at once, so both race to create the first administrator as well.
    const started = await Promise.allSettled([startServerProcess({ env }), startServerProcess({ env })]);
    for (const result of started) {
      if (result.status === 'fulfilled') servers.push(result.value);
    }
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;

    const issued = await createApiToken(testContext(database), systemCaller, { username: 'admin', role: 'administrator' });
    token = issued.token;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.cleanup();
  });

  async function send(server: ServerProcess, method: 'POST' | 'PATCH', path: string, requestId: string, body: unknown, ifMatch?: string): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': requestId };
    if (ifMatch) headers['if-match'] = ifMatch;
    const response = await fetch(`${server.url}${path}`, { method, headers, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, etag: response.headers.get('etag') };
  }

  /** Runs one worker, which creates a system and then updates it with If-Match, round after round. */
  async function runWorker(serverIndex: number, worker: number, acknowledgements: Acknowledgement[], statuses: Map<number, number>): Promise<void> {
    const server = servers[serverIndex]!;
    for (let round = 0; round < roundsPerWorker; round += 1) {
      const label = `s${serverIndex}-w${worker}-r${round}`;
      const createId = `${label}-create`;
      const created = await send(server, 'POST', '/api/ai-systems', createId, {
        name: `Concurrent system ${label}`,
        purpose: `Written by server ${serverIndex}`,
        businessUnit: `Unit ${worker % 3}`,
      });
      statuses.set(created.status, (statuses.get(created.status) ?? 0) + 1);
      if (created.status !== 201) continue;
      const id = created.body.id as string;
      acknowledgements.push({ action: 'ai_system.created', requestId: createId, id, version: 1, purpose: created.body.purpose as string });

      const updateId = `${label}-update`;
      const purpose = `Updated through server ${serverIndex} in round ${round}`;
      const updated = await send(server, 'PATCH', `/api/ai-systems/${id}`, updateId, { purpose }, created.etag!);
      statuses.set(updated.status, (statuses.get(updated.status) ?? 0) + 1);
      if (updated.status === 200) acknowledgements.push({ action: 'ai_system.updated', requestId: updateId, id, version: updated.body.version as number, purpose });
    }
  }

  it('keeps every acknowledged write in one chain', async () => {
    const acknowledgements: Acknowledgement[] = [];
    const statuses = new Map<number, number>();
    const workers = servers.flatMap((_, serverIndex) =>
      Array.from({ length: workersPerServer }, (__, worker) => runWorker(serverIndex, worker, acknowledgements, statuses)),
    );
    await Promise.all(workers);

    const rounds = servers.length * workersPerServer * roundsPerWorker;
    expect(Object.fromEntries(statuses)).toEqual({ 200: rounds, 201: rounds });
    expect(acknowledgements).toHaveLength(2 * rounds);

    const latest = new Map<string, Acknowledgement>();
    for (const acknowledgement of acknowledgements) {
      if ((latest.get(acknowledgement.id)?.version ?? 0) < acknowledgement.version) latest.set(acknowledgement.id, acknowledgement);
    }
    const rows = await database.db.selectFrom('ai_systems').select(['id', 'version', 'purpose']).where('id', 'in', [...latest.keys()]).execute();
    expect(rows).toHaveLength(latest.size);
    for (const row of rows) {
      const acknowledged = latest.get(row.id)!;
      expect(row.version).toBe(acknowledged.version);
      expect(row.purpose).toBe(acknowledged.purpose);
    }

    const events = await database.db.selectFrom('audit_events').select(['seq', 'action', 'record_id', 'request_id']).orderBy('seq').execute();
    const sequenceNumbers = events.map((event) => Number(event.seq));
    expect(sequenceNumbers).toEqual(Array.from({ length: events.length }, (_, index) => index + 1));

    const workloadEvents = events.filter((event) => event.request_id?.startsWith('s'));
    expect(workloadEvents).toHaveLength(acknowledgements.length);
    const eventByRequest = new Map(workloadEvents.map((event) => [event.request_id, event]));
    for (const acknowledgement of acknowledgements) {
      expect(eventByRequest.get(acknowledgement.requestId)).toMatchObject({ action: acknowledgement.action, record_id: acknowledgement.id });
    }

    // The two processes really did write in turns, not one after the other.
    const writers = workloadEvents.map((event) => event.request_id!.slice(0, 2));
    const switches = writers.filter((writer, index) => index > 0 && writer !== writers[index - 1]).length;
    expect(switches).toBeGreaterThan(10);

    const verification = await verifyAuditChain(database.db);
    expect(verification).toMatchObject({ ok: true, eventsChecked: events.length, headSeq: events.length, failure: null });
  });

  it('lets one of two simultaneous updates win', async () => {
    const [first, second] = [servers[0]!, servers[1]!];
    const ids: string[] = [];
    for (let index = 0; index < contendedRecords; index += 1) {
      const created = await send(first, 'POST', '/api/ai-systems', `contended-create-${index}`, {
        name: `Contended system ${index}`,
        purpose: 'Updated by two servers at once',
        businessUnit: 'Contention',
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }

    const outcomes = await Promise.all(
      ids.map((id, index) =>
        Promise.all([
          send(first, 'PATCH', `/api/ai-systems/${id}`, `contended-a-${index}`, { purpose: 'Version from server 0' }, '"1"'),
          send(second, 'PATCH', `/api/ai-systems/${id}`, `contended-b-${index}`, { purpose: 'Version from server 1' }, '"1"'),
        ]),
      ),
    );

    for (const [index, pair] of outcomes.entries()) {
      expect(pair.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const winner = pair.find((answer) => answer.status === 200)!;
      const loser = pair.find((answer) => answer.status === 412)!;
      expect((loser.body.error as { code: string }).code).toBe('PRECONDITION_FAILED');

      const row = await database.db.selectFrom('ai_systems').select(['version', 'purpose']).where('id', '=', ids[index]!).executeTakeFirstOrThrow();
      expect(row).toEqual({ version: 2, purpose: winner.body.purpose });
    }

    const updateEvents = await database.db
      .selectFrom('audit_events')
      .select(['record_id'])
      .where('action', '=', 'ai_system.updated')
      .where('record_id', 'in', ids)
      .execute();
    expect(updateEvents.map((event) => event.record_id).sort()).toEqual([...ids].sort());
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
