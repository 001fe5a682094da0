import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/platform/database/connection.js';
import { runCli } from '../support/cli.js';
import { databaseKinds, testPostgresUrl, type TestDatabase } from '../support/databases.js';

/** Commands that need a database set up by `custos serve` or `custos migrate`, and must not create one. */
const commands: string[][] = [
  ['audit', 'verify'],
  ['audit', 'export'],
  ['export'],
  ['token', 'create', '--user', 'admin', '--role', 'administrator'],
  ['token', 'list'],
  ['token', 'revoke', 'some-token-id'],
];

/** Where a command looks for its database: a SQLite data directory or a PostgreSQL schema that may not exist. */
interface Place {
  target: TestDatabase;
  /** The location the message names. */
  location: string;
  settingsHint: string;
  /** Whether anything now exists at the place: the directory or file, or the schema or its tables. */
  exists(): Promise<boolean>;
}

const schemaPrefix = `custos_test_${process.pid}_`;

describe.each(databaseKinds)('read-only commands without a database on %s', (kind) => {
  let admin: Database | undefined;
  let directory: string;
  const emptySchemas: string[] = [];

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-missing-'));
    if (kind === 'postgresql') admin = await openPostgres(testPostgresUrl, 'public', { create: false });
  });
  afterAll(async () => {
    for (const schema of emptySchemas) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin!.db);
    await admin?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  function sqliteTables(file: string): number {
    const connection = new BetterSqlite3(file, { readonly: true });
    try {
      return (connection.prepare(`select count(*) as n from sqlite_master where type = 'table'`).get() as { n: number }).n;
    } finally {
      connection.close();
    }
  }

  async function schemaTables(schema: string): Promise<number> {
    const found = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = ${schema}`.execute(admin!.db);
    return Number(found.rows[0]!.n);
  }

  async function schemaExists(schema: string): Promise<boolean> {
    const found = await sql<{ n: number }>`select count(*) as n from pg_namespace where nspname = ${schema}`.execute(admin!.db);
    return Number(found.rows[0]!.n) > 0;
  }

  /** Picks a place with nothing in it: a data directory or a schema that does not exist. */
  function missingPlace(): Place {
    if (kind === 'sqlite') {
      const dataDir = path.join(directory, `absent-${randomBytes(4).toString('hex')}`, 'x');
      return {
        target: { settings: { dataDir, databaseUrl: undefined, databaseSchema: 'public' } } as TestDatabase,
        location: path.join(dataDir, 'custos.db'),
        settingsHint: 'or pass --data-dir / set CUSTOS_DATA_DIR',
        exists: async () => fs.existsSync(path.dirname(dataDir)),
      };
    }
    const schema = `${schemaPrefix}${randomBytes(4).toString('hex')}`;
    emptySchemas.push(schema);
    return postgresPlace(schema, async () => schemaExists(schema));
  }

  /** Creates a place that has no custos tables: an empty SQLite file, or an empty schema. */
  async function emptyPlace(): Promise<Place> {
    if (kind === 'sqlite') {
      const dataDir = fs.mkdtempSync(path.join(directory, 'empty-'));
      const file = path.join(dataDir, 'custos.db');
      fs.writeFileSync(file, '');
      return {
        target: { settings: { dataDir, databaseUrl: undefined, databaseSchema: 'public' } } as TestDatabase,
        location: file,
        settingsHint: 'or pass --data-dir / set CUSTOS_DATA_DIR',
        exists: async () => sqliteTables(file) > 0,
      };
    }
    const schema = `${schemaPrefix}${randomBytes(4).toString('hex')}`;
    emptySchemas.push(schema);
    await sql`create schema ${sql.id(schema)}`.execute(admin!.db);
    return postgresPlace(schema, async () => (await schemaTables(schema)) > 0);
  }

  function postgresPlace(schema: string, exists: () => Promise<boolean>): Place {
    const url = new URL(testPostgresUrl);
    return {
      target: { settings: { dataDir: directory, databaseUrl: testPostgresUrl, databaseSchema: schema } } as TestDatabase,
      location: `${url.hostname}:${url.port || '5432'}${url.pathname} (schema ${schema})`,
      settingsHint: 'or pass --database-url / set CUSTOS_DATABASE_URL and CUSTOS_DATABASE_SCHEMA',
      exists,
    };
  }

  it.each(commands.map((args) => [args.join(' '), args]))('%s fails on a missing database and creates nothing', async (_name, args) => {
    const place = missingPlace();
    const result = await runCli(place.target, args as string[]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: No custos database at ${place.location}; run \`custos serve\` or \`custos migrate\` first, ${place.settingsHint}\n`);
    expect(result.stdout).toBe('');
    expect(await place.exists()).toBe(false);
  });

  it('audit verify leaves a database without custos tables untouched', async () => {
    const place = await emptyPlace();
    const result = await runCli(place.target, ['audit', 'verify']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: No custos database at ${place.location}; run \`custos serve\` or \`custos migrate\` first, ${place.settingsHint}\n`);
    expect(await place.exists()).toBe(false);
  });

  it('audit verify passes once migrate has set the database up', async () => {
    const place = await emptyPlace();
    const migrated = await runCli(place.target, ['migrate']);
    expect(migrated.exitCode).toBe(0);
    const result = await runCli(place.target, ['audit', 'verify']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Audit trail intact: 0 events verified/);
  });
});
