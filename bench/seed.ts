import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import pino from 'pino';
import type { AiSystem } from '../src/ai-systems/ai-system.schemas.js';
import { insertAiSystems } from '../src/ai-systems/ai-systems.service.js';
import { toAiSystem, toRow } from '../src/ai-systems/ai-systems.repository.js';
import { canonicalJson, hashEvent } from '../src/platform/audit/chain.js';
import { systemCaller, type Caller } from '../src/platform/auth/caller.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { systemClock, toTimestamp } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { openSqlite } from '../src/platform/database/connection.js';
import { syncCatalogue } from '../src/catalogue/catalogue-sync.js';
import { migrateToLatest } from '../src/platform/database/migrate.js';
import type { AiSystemTable } from '../src/platform/database/schema.js';
import { writeTransaction } from '../src/platform/database/transaction.js';
import { createApiToken } from '../src/users/tokens.service.js';
import { insertUser } from '../src/users/users.service.js';
import { seededRandom, syntheticSystem } from './synthetic-register.js';

/*
 * Seeds an SQLite database for the read and verify benchmarks. A user with an API token and the
 * systems go through the services, with their audit events. Then update events are written
 * straight into audit_events with the real chain functions, in large transactions.
 */

export interface SeedSize {
  systems: number;
  events: number;
}

export interface SeededDatabase extends SeedSize {
  /** The custos data directory that contains custos.db. */
  dataDir: string;
  /** An administrator's API token for the benchmark's HTTP requests. */
  token: string;
}

const markerFile = 'seed.json';
const systemsPerTransaction = 1_000;
const eventsPerTransaction = 50_000;
/** Events are spaced 50 ms apart, starting here, so that times increase with sequence numbers. */
const firstEventTime = Date.parse('2025-01-01T00:00:00.000Z');

/**
 * Returns the database seeded earlier in dataDir when its size and schema match the current
 * code, or seeds a new one.
 */
export async function ensureSeeded(dataDir: string, size: SeedSize, log: (line: string) => void): Promise<SeededDatabase> {
  const marker = path.join(dataDir, markerFile);
  const schema = await currentSchemaFingerprint();
  if (fs.existsSync(marker)) {
    const seeded = JSON.parse(fs.readFileSync(marker, 'utf8')) as SeededDatabase & { schema?: string };
    if (seeded.systems === size.systems && seeded.events === size.events && seeded.schema === schema) {
      log(`Reusing the database seeded in ${dataDir} (${size.systems} systems, ${size.events} events)`);
      return seeded;
    }
    log(`The database in ${dataDir} was seeded with another size or schema; seeding it again`);
  }

  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const { token, caller } = await seedRegister(dataDir, size.systems, log);
  await appendUpdateEvents(path.join(dataDir, 'custos.db'), caller, size.events, log);
  log(`Seeded ${size.systems} systems and ${size.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const seeded: SeededDatabase = { ...size, dataDir, token };
  fs.writeFileSync(marker, JSON.stringify({ ...seeded, schema }, null, 2));
  return seeded;
}

/** Hashes the DDL that the migrations create on an empty database, so that a schema change forces a new seed. */
async function currentSchemaFingerprint(): Promise<string> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-bench-schema-'));
  const database = openSqlite(path.join(directory, 'custos.db'));
  try {
    await migrateToLatest(database.db);
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where sql is not null order by name`.execute(database.db);
    return createHash('sha256').update(rows.map((row) => row.sql).join(';\n')).digest('hex');
  } finally {
    await database.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Creates the benchmark user, its token and the systems through the services. */
async function seedRegister(dataDir: string, systems: number, log: (line: string) => void): Promise<{ token: string; caller: Caller }> {
  const database = openSqlite(path.join(dataDir, 'custos.db'));
  try {
    await migrateToLatest(database.db);
    await syncCatalogue(database, systemClock.now());
    const ctx: ServiceContext = { database, clock: systemClock, logger: pino({ level: 'silent' }), config: loadConfig({}, { dataDir }) };

    const passwordHash = await hashPassword(randomUUID());
    const user = await writeTransaction(database, (trx) =>
      insertUser(trx, systemCaller, systemClock.now(), { username: 'bench', roles: ['administrator'] }, passwordHash),
    );
    const { token } = await createApiToken(ctx, systemCaller, { username: 'bench', role: 'administrator', name: 'benchmark' });
    const caller: Caller = { userId: user.id, username: user.username, roles: ['administrator'], via: 'cli', requestId: null };

    const random = seededRandom(42_001);
    for (let start = 0; start < systems; start += systemsPerTransaction) {
      const inputs = Array.from({ length: Math.min(systemsPerTransaction, systems - start) }, (_, offset) => syntheticSystem(start + offset, random));
      await writeTransaction(database, (trx) => insertAiSystems(trx, caller, new Date(firstEventTime), inputs, 'benchmark seed'));
    }
    log(`Registered ${systems} systems through the service`);
    return { token, caller };
  } finally {
    await database.close();
  }
}

/**
 * Appends ai_system.updated events round-robin over the systems until the trail contains `total`
 * events, then stores each system's last version, so the register and its trail agree.
 */
async function appendUpdateEvents(file: string, caller: Caller, total: number, log: (line: string) => void): Promise<void> {
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  try {
    const head = connection.prepare('select seq, hash from audit_events order by seq desc limit 1').get() as { seq: number; hash: string };
    if (head.seq > total) {
      throw new Error(`--events ${total} is fewer than the ${head.seq} events that registering the systems wrote; choose at least ${head.seq}`);
    }
    const systems = (connection.prepare('select * from ai_systems order by created_at, id').all() as AiSystemTable[]).map(toAiSystem);
    const canonical = systems.map((system) => canonicalJson(system));
    const insert = connection.prepare(
      `insert into audit_events (seq, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash)
       values (@seq, @occurred_at, @actor_id, @action, @record_type, @record_id, @before_json, @after_json, @reason, @request_id, @previous_hash, @hash)`,
    );

    let seq = head.seq;
    let previousHash = head.hash;
    const appendBatch = connection.transaction((count: number) => {
      for (let written = 0; written < count; written += 1) {
        seq += 1;
        const index = seq % systems.length;
        const before = systems[index]!;
        const occurredAt = toTimestamp(new Date(firstEventTime + seq * 50));
        const after: AiSystem = { ...before, scopeJustification: `Scope confirmed at review ${before.version}.`, version: before.version + 1, updatedAt: occurredAt };
        const afterJson = canonicalJson(after);
        const fields = {
          seq,
          occurred_at: occurredAt,
          actor_id: caller.userId,
          action: 'ai_system.updated',
          record_type: 'ai_system',
          record_id: before.id,
          before_json: canonical[index]!,
          after_json: afterJson,
          reason: null,
          request_id: randomUUID(),
          previous_hash: previousHash,
        };
        previousHash = hashEvent(fields);
        insert.run({ ...fields, hash: previousHash });
        systems[index] = after;
        canonical[index] = afterJson;
      }
    });

    while (seq < total) {
      appendBatch(Math.min(eventsPerTransaction, total - seq));
      log(`Appended events up to ${seq} of ${total}`);
    }

    const update = connection.prepare('update ai_systems set scope_justification = @scope_justification, version = @version, updated_at = @updated_at where id = @id');
    connection.transaction(() => {
      for (const system of systems) {
        const row = toRow(system);
        update.run({ id: row.id, scope_justification: row.scope_justification, version: row.version, updated_at: row.updated_at });
      }
    })();
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
}
