import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Config } from '../config.js';
import type { Tables } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

export type Db = Kysely<Tables>;

export interface Database {
  readonly db: Db;
  readonly kind: DatabaseKind;
  /** Location of the data, for logs: the SQLite file path or the PostgreSQL host and database. */
  readonly location: string;
  close(): Promise<void>;
}

const int8Oid = 20;
const numericOid = 1700;

export interface OpenOptions {
  /**
   * False to open only what already exists: the SQLite file must be there, and neither its
   * directory nor a PostgreSQL schema is created. Default true.
   */
  create?: boolean;
}

/** Opens the database the configuration names: PostgreSQL when a URL is set, else SQLite in the data directory. */
export async function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseSchema'>, options: OpenOptions = {}): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgres(config.databaseUrl, config.databaseSchema, options);
  }
  return openSqlite(sqliteFileIn(config.dataDir), options);
}

/** Returns the path of the SQLite database file in a data directory. */
export function sqliteFileIn(dataDir: string): string {
  return path.join(dataDir, 'custos.db');
}

export function openSqlite(file: string, { create = true }: OpenOptions = {}): Database {
  if (create) fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file, { fileMustExist: !create });
  // Audit events of a few kilobytes fill a 4 KiB page each; 16 KiB pages read faster. SQLite
  // applies the page size only to a new, empty file, so existing databases keep theirs.
  connection.pragma('page_size = 16384');
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  // Another process (a CLI command beside the server) may hold the write lock for a moment.
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    db,
    kind: 'sqlite',
    location: file,
    close: () => db.destroy(),
  };
}

export async function openPostgres(url: string, schema: string, { create = true }: OpenOptions = {}): Promise<Database> {
  // Loaded on first use, so that SQLite runs never load the PostgreSQL driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: `-c search_path=${schema}`,
    types: {
      // COUNT(*) and bigint columns arrive as strings by default; every such value custos stores fits a double.
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === int8Oid || oid === numericOid) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  if (create && schema !== 'public') {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  }
  const parsed = new URL(url);
  return {
    db,
    kind: 'postgresql',
    location: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname} (schema ${schema})`,
    close: () => db.destroy(),
  };
}
