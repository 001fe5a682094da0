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
