import autocannon from 'autocannon';
import pino from 'pino';
import { systemCaller } from '../src/platform/auth/caller.js';
import { verifyAuditChain } from '../src/platform/audit/verify.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import type { DatabaseKind } from '../src/platform/database/connection.js';
import { createApiToken } from '../src/users/tokens.service.js';
import { openTestDatabase, type TestDatabase } from '../test/support/databases.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { formatMs, tableRow } from './statistics.js';

/*
 * Concurrent clients on loopback, each creating a system and then updating it with If-Match,
 * over and over, for a fixed time. Afterwards every acknowledged write must be in the database
 * and the audit chain must verify. On PostgreSQL two server processes share one schema and the
 * clients are split between them.
 */

export interface ConcurrentLoadOptions {
  kind: DatabaseKind;
  serverCount: number;
  connections: number;
  durationSeconds: number;
}

/** Writes the clients saw succeed: created ids, and each updated id with the version and purpose it was given. */
interface Acknowledged {
  creates: Set<string>;
  updates: Map<string, { version: number; purpose: string }>;
}

/** Per-connection state that autocannon carries from the create to the update. */
interface ClientContext {
  id?: string;
  version?: number;
  purpose?: string;
}

export async function benchmarkConcurrentLoad(options: ConcurrentLoadOptions, log: (line: string) => void): Promise<void> {
  const database = await openTestDatabase(options.kind);
  const servers: ServerProcess[] = [];
  try {
    const env: Record<string, string> =
      options.kind === 'postgresql'
        ? { CUSTOS_DATABASE_URL: database.settings.databaseUrl!, CUSTOS_DATABASE_SCHEMA: database.settings.databaseSchema }
        : { CUSTOS_DATA_DIR: database.settings.dataDir };
    // Request logging at info, as in production. The helper keeps only the tail of the output.
    Object.assign(env, { CUSTOS_ADMIN_PASSWORD: 'benchmark-admin-password', CUSTOS_LOG_LEVEL: 'info' });
    for (let index = 0; index < options.serverCount; index += 1) {
      servers.push(await startServerProcess({ env }));
    }
    const ctx: ServiceContext = { database, clock: systemClock, logger: pino({ level: 'silent' }), config: loadConfig({}, { dataDir: database.settings.dataDir }) };
    const { token } = await createApiToken(ctx, systemCaller, { username: 'admin', role: 'administrator', name: 'load benchmark' });

    const acknowledged: Acknowledged = { creates: new Set(), updates: new Map() };
    const perServer = Math.floor(options.connections / servers.length);
    const results = await Promise.all(
      servers.map((server, index) =>
        autocannon({
          url: server.url,
          connections: index === 0 ? options.connections - perServer * (servers.length - 1) : perServer,
          duration: options.durationSeconds,
          requests: writeSequence(token, `s${index}`, acknowledged),
        }),
      ),
    );
    // Let the servers finish the requests that were in flight when the clients stopped.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    reportThroughput(results, log);
    await reportConsistency(database, acknowledged, log);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await database.cleanup();
  }
}

/** Builds the request pair each connection repeats: POST a new system, then PATCH it with If-Match. */
function writeSequence(token: string, prefix: string, acknowledged: Acknowledged): autocannon.Request[] {
  let created = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return [
    {
      method: 'POST',
      path: '/api/ai-systems',
      setupRequest: (request) => {
        created += 1;
        const body = { name: `Load test system ${prefix}-${created}`, purpose: 'Registered under load', businessUnit: `Load unit ${created % 20}` };
        return { ...request, headers, body: JSON.stringify(body) };
      },
      onResponse: (status, body, context) => {
        if (status !== 201) return;
        const system = JSON.parse(body) as { id: string; version: number };
        acknowledged.creates.add(system.id);
        Object.assign(context as ClientContext, { id: system.id, version: system.version });
      },
    },
    {
      method: 'PATCH',
      setupRequest: (request, context) => {
        const client = context as ClientContext;
        // Returning nothing makes autocannon start over with a create, which is right after a failed one.
        if (client.id === undefined) return undefined as unknown as autocannon.Request;
        client.purpose = `Updated under load from version ${client.version}`;
        return {
          ...request,
          path: `/api/ai-systems/${client.id}`,
          headers: { ...headers, 'if-match': `"${client.version}"` },
          body: JSON.stringify({ purpose: client.purpose }),
        };
      },
      onResponse: (status, body, context) => {
        const client = context as ClientContext;
        if (status !== 200 || client.id === undefined) return;
        acknowledged.updates.set(client.id, { version: (JSON.parse(body) as { version: number }).version, purpose: client.purpose! });
      },
    },
  ];
}

function reportThroughput(results: autocannon.Result[], log: (line: string) => void): void {
  log(tableRow('', ['req/s', 'p50', 'p90', 'p99', 'max']));
  for (const [index, result] of results.entries()) {
    const latency = result.latency;
    log(tableRow(`server ${index + 1} (${result.connections} connections)`, [
      result.requests.average.toFixed(0),
      formatMs(latency.p50),
      formatMs(latency.p90),
      formatMs(latency.p99),
      formatMs(latency.max),
    ]));
  }
  const total = results.reduce((sum, result) => sum + result.requests.total, 0);
  const seconds = Math.max(...results.map((result) => result.duration));
  const statuses = new Map<string, number>();
  for (const result of results) {
    for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
      statuses.set(status, (statuses.get(status) ?? 0) + (stats.count ?? 0));
    }
  }
  const errors = results.reduce((sum, result) => sum + result.errors, 0);
  const timeouts = results.reduce((sum, result) => sum + result.timeouts, 0);
  log(`Completed ${total} requests in ${seconds.toFixed(1)} s: ${(total / seconds).toFixed(0)} requests/s in all`);
  log(`Responses by status: ${[...statuses].map(([status, count]) => `${status}: ${count}`).join(', ')}; connection errors ${errors}, timeouts ${timeouts}`);
}

/** Compares the acknowledged writes with the database, then verifies the audit chain. */
async function reportConsistency(database: TestDatabase, acknowledged: Acknowledged, log: (line: string) => void): Promise<void> {
  const rows = await database.db.selectFrom('ai_systems').select(['id', 'version', 'purpose']).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missingCreates = [...acknowledged.creates].filter((id) => !byId.has(id));
  const lostUpdates = [...acknowledged.updates].filter(([id, update]) => {
    const row = byId.get(id);
    return !row || row.version < update.version || (row.version === update.version && row.purpose !== update.purpose);
  });

  const events = await database.db
    .selectFrom('audit_events')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('action', 'in', ['ai_system.created', 'ai_system.updated'])
    .groupBy('action')
    .execute();
  const eventCount = (action: string) => Number(events.find((event) => event.action === action)?.count ?? 0);
  const versionsWritten = rows.reduce((sum, row) => sum + row.version - 1, 0);

  log(`Acknowledged creates ${acknowledged.creates.size}, rows in the register ${rows.length}, missing ${missingCreates.length}`);
  log(`Acknowledged updates ${acknowledged.updates.size}, updates applied ${versionsWritten}, lost ${lostUpdates.length}`);
  log(`Audit events: ${eventCount('ai_system.created')} ai_system.created, ${eventCount('ai_system.updated')} ai_system.updated`);
  const unacknowledged = rows.length - acknowledged.creates.size + versionsWritten - acknowledged.updates.size;
  log(`Writes committed without an acknowledgement (in flight when the clients stopped): ${unacknowledged}`);

  const started = performance.now();
  const verification = await verifyAuditChain(database.db);
  const seconds = (performance.now() - started) / 1000;
  log(`Audit chain: ${verification.ok ? 'intact' : `BROKEN at ${verification.failure!.seq} (${verification.failure!.kind})`}, ${verification.eventsChecked} events verified in ${seconds.toFixed(2)} s`);

  const consistent =
    missingCreates.length === 0 &&
    lostUpdates.length === 0 &&
    eventCount('ai_system.created') === rows.length &&
    eventCount('ai_system.updated') === versionsWritten &&
    verification.ok;
  log(`Every acknowledged write present and the chain intact: ${consistent ? 'yes' : 'NO'}`);
}
