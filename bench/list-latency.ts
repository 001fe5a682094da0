import path from 'node:path';
import pino from 'pino';
import type { AiSystemListQuery } from '../src/ai-systems/ai-system.schemas.js';
import { queryAiSystems, toAiSystem } from '../src/ai-systems/ai-systems.repository.js';
import { buildServer } from '../src/http/server.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { openSqlite } from '../src/platform/database/connection.js';
import { createLogger } from '../src/platform/logger.js';
import type { SeededDatabase } from './seed.js';
import { summarize, summaryColumns, summaryHeader, tableRow, type LatencySummary } from './statistics.js';
import { businessUnits, searchTerm, seededRandom } from './synthetic-register.js';

/*
 * Latency of GET /api/ai-systems on the seeded SQLite database. The server time is Fastify's own
 * reply.elapsedTime, from the start of the request to the end of the response, read in an
 * onResponse hook. The client time is the loopback round trip of one request at a time. The same
 * queries issued straight through the repository (Kysely) are the reference that makes the figure
 * comparable across machines.
 */

export interface ListLatencyOptions {
  requests: number;
  warmupRequests: number;
}

interface QueryShape {
  label: string;
  /** Matching records are at least this many, so that every offset drawn falls on a full page. */
  minimumMatches: number;
  query: (random: () => number) => AiSystemListQuery;
}

const pageSize = 50;
/** The target from the requirements: a page of 50 within 20 ms at the 95th percentile, server time. */
const targetP95Ms = 20;

const stages = ['concept', 'design', 'development', 'validation', 'pilot', 'production', 'retired'] as const;

const shapes: QueryShape[] = [
  { label: 'first page, by name', minimumMatches: pageSize, query: () => ({}) },
  { label: 'any page, by name', minimumMatches: 10_000, query: () => ({}) },
  { label: 'any page, by -updatedAt', minimumMatches: 10_000, query: () => ({ sort: '-updatedAt' }) },
  { label: 'any page, by createdAt', minimumMatches: 10_000, query: () => ({ sort: 'createdAt' }) },
  { label: 'any page, by businessUnit', minimumMatches: 10_000, query: () => ({ sort: 'businessUnit' }) },
  { label: 'lifecycleStage filter', minimumMatches: 1_300, query: (random) => ({ lifecycleStage: stages[Math.floor(random() * stages.length)]! }) },
  {
    label: 'businessUnit filter, by -updatedAt',
    minimumMatches: 200,
    query: (random) => ({ businessUnit: businessUnits[Math.floor(random() * businessUnits.length)]!, sort: '-updatedAt' }),
  },
  { label: 'organizationRole + inScope filter', minimumMatches: 1_800, query: () => ({ organizationRole: 'deployer', inScope: true }) },
  { label: `text search q=${searchTerm}`, minimumMatches: 700, query: () => ({ q: searchTerm }) },
];

interface PlannedRequest {
  shape: QueryShape;
  query: AiSystemListQuery;
  offset: number;
  url: string;
}

/** Draws the requests: shapes in turn, each with a random page offset among its matches. */
function planRequests(count: number, seed: number): PlannedRequest[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const shape = shapes[index % shapes.length]!;
    const query = shape.query(random);
    const pages = Math.floor(shape.minimumMatches / pageSize);
    const offset = shape.minimumMatches === pageSize ? 0 : Math.floor(random() * pages) * pageSize;
    const parameters = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
    for (const [key, value] of Object.entries(query)) parameters.set(key, String(value));
    return { shape, query, offset, url: `/api/ai-systems?${parameters.toString()}` };
  });
}

export async function benchmarkListLatency(seeded: SeededDatabase, options: ListLatencyOptions, log: (line: string) => void): Promise<void> {
  const database = openSqlite(path.join(seeded.dataDir, 'custos.db'));
  // Request logging at info, as a production server writes it, into /dev/null.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: false }));
  const ctx: ServiceContext = { database, clock: systemClock, logger, config: loadConfig({}, { dataDir: seeded.dataDir }) };
  const server = await buildServer(ctx);

  const serverTimes = new Map<string, number>();
  server.addHook('onResponse', async (request, reply) => {
    serverTimes.set(request.id, reply.elapsedTime);
  });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });

  try {
    const send = async (url: string, requestId: string): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${seeded.token}`, 'x-request-id': requestId } });
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${url} returned ${response.status}`);
      return elapsed;
    };

    for (const [index, request] of planRequests(options.warmupRequests, 7).entries()) {
      await send(request.url, `warmup-${index}`);
      await directQuery(ctx, request);
    }

    // Each request is followed by its reference query, so that both see the same machine load.
    const planned = planRequests(options.requests, 42);
    const clientTimes: number[] = [];
    const directTimes: number[] = [];
    for (const [index, request] of planned.entries()) {
      clientTimes.push(await send(request.url, `list-${index}`));
      const started = performance.now();
      await directQuery(ctx, request);
      directTimes.push(performance.now() - started);
    }
    const healthTimes: number[] = [];
    for (let index = 0; index < Math.min(500, options.requests); index += 1) {
      await send('/api/health', `health-${index}`);
      healthTimes.push(serverTimes.get(`health-${index}`)!);
    }

    const serverTimesByIndex = planned.map((_, index) => serverTimes.get(`list-${index}`)!);
    report(planned, serverTimesByIndex, clientTimes, directTimes, healthTimes, log);
  } finally {
    await server.close();
    await database.close();
  }
}

/** Runs the reference: the repository's query and row mapping, without HTTP, authentication or serialization. */
async function directQuery(ctx: ServiceContext, request: PlannedRequest): Promise<void> {
  const { rows } = await queryAiSystems(ctx.database.db, request.query, pageSize, request.offset);
  rows.map(toAiSystem);
}

function report(
  planned: PlannedRequest[],
  serverTimes: number[],
  clientTimes: number[],
  directTimes: number[],
  healthTimes: number[],
  log: (line: string) => void,
): void {
  log('');
  log('Server time of GET /api/ai-systems?limit=50 by query shape (Fastify reply.elapsedTime)');
  log(summaryHeader);
  for (const shape of shapes) {
    const times = serverTimes.filter((_, index) => planned[index]!.shape === shape);
    log(tableRow(shape.label, summaryColumns(summarize(times))));
  }

  const server = summarize(serverTimes);
  const client = summarize(clientTimes);
  const direct = summarize(directTimes);
  const health = summarize(healthTimes);
  log('');
  log('All shapes together');
  log(summaryHeader);
  log(tableRow('server time', summaryColumns(server)));
  log(tableRow('client round trip (loopback)', summaryColumns(client)));
  log(tableRow('reference: same queries via Kysely', summaryColumns(direct)));
  log(tableRow('reference: GET /api/health server', summaryColumns(health)));
  log('');
  log(`Ratio server p95 / Kysely reference p95: ${ratio(server, direct)}`);
  log(`Ratio client p95 / server p95: ${ratio(client, server)}`);
  log(`Target server p95 < ${targetP95Ms} ms: ${server.p95 < targetP95Ms ? 'met' : 'MISSED'} (${server.p95.toFixed(2)} ms)`);
}

function ratio(numerator: LatencySummary, denominator: LatencySummary): string {
  return (numerator.p95 / denominator.p95).toFixed(2);
}
