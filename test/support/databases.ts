import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Database, type DatabaseKind } from '../../src/platform/database/connection.js';
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

/**
 * Drops test schemas whose process no longer runs, left behind by a run that was killed before
 * its cleanup. Schema names carry the process id, and a live process's schemas are kept.
 */
async function dropSchemasOfDeadRuns(database: Database): Promise<void> {
  if (leftoversDropped) return;
  leftoversDropped = true;
  const schemas = await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like 'custos_test_%'`.execute(database.db);
  for (const { name } of schemas.rows) {
    const pid = Number(/^custos_test_(\d+)_/.exec(name)?.[1]);
    if (Number.isInteger(pid) && !isRunning(pid)) {
      // Another test process may be dropping the same schema at this moment; either one suffices.
      await sql`drop schema if exists ${sql.id(name)} cascade`.execute(database.db).catch(() => undefined);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens a fresh, migrated database of the given kind: a new SQLite file, or a new PostgreSQL schema. */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-'));
    const database = openSqlite(path.join(dataDir, 'custos.db'));
    await migrateToLatest(database.db);
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
  await dropSchemasOfDeadRuns(database);
  await migrateToLatest(database.db);
  return {
    ...database,
    settings: { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-')), databaseUrl: testPostgresUrl, databaseSchema: schema },
    cleanup: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}
