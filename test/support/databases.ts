import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Database, type DatabaseKind } from '../../src/platform/database/connection.js';
import { syncCatalogue } from '../../src/catalogue/catalogue-sync.js';
import { migrateToLatest } from '../../src/platform/database/migrate.js';

/** Every storage test runs once per database kind. */
export const databaseKinds: readonly DatabaseKind[] = ['sqlite', 'postgresql'];

export const testPostgresUrl = process.env.CUSTOS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** The settings that open the same database from another process (CLI or server). */
  readonly settings: { dataDir: string; databaseUrl: string | undefined; databaseSchema: string };
  /** Closes the connection and removes the file or schema. */
  cleanup(): Promise<void>;
}

let leftoversDropped = false;
/** A test schema migrated this long ago belongs to a run that ended without its cleanup. */
const abandonedAfterMs = 2 * 3_600_000;

/**
 * Drops test schemas left behind by runs that were killed before their cleanup. A schema counts
 * as abandoned when its migrations ran more than two hours ago; no test run lasts that long.
 * Process ids cannot tell, because concurrent runs may live in other process namespaces.
 */
async function dropAbandonedSchemas(database: Database): Promise<void> {
  if (leftoversDropped) return;
  leftoversDropped = true;
  const schemas = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like 'custos_test_%'`.execute(database.db);
  const cutoff = new Date(Date.now() - abandonedAfterMs).toISOString();
  for (const { name } of schemas.rows) {
    try {
      const migrated = await sql<{ at: string | null }>`select min(timestamp) as at from ${sql.id(name, 'kysely_migration')}`.execute(database.db);
      const at = migrated.rows[0]?.at;
      if (at && at < cutoff) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(database.db);
    } catch {
      // A schema still being created has no migration table yet, and another run may be
      // dropping the same schema at this moment. Either way the schema is left alone.
    }
  }
}

/** Opens a fresh, migrated database of the given kind: a new SQLite file, or a new PostgreSQL schema. */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-'));
    const database = openSqlite(path.join(dataDir, 'custos.db'));
    await migrateToLatest(database.db);
    await syncCatalogue(database, new Date());
    return {
      ...database,
      settings: { dataDir, databaseUrl: undefined, databaseSchema: 'public' },
      cleanup: async () => {
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  const schema = `custos_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = await openPostgres(testPostgresUrl, schema);
  await dropAbandonedSchemas(database);
  await migrateToLatest(database.db);
  await syncCatalogue(database, new Date());
  return {
    ...database,
    settings: { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-')), databaseUrl: testPostgresUrl, databaseSchema: schema },
    cleanup: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}
