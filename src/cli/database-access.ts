import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { syncCatalogue } from '../catalogue/catalogue-sync.js';
import type { Config } from '../platform/config.js';
import { openDatabase, sqliteFileIn, type Database, type Db } from '../platform/database/connection.js';
import { migrateToLatest } from '../platform/database/migrate.js';
import { AppError } from '../platform/errors.js';
import { describeFileFailure, describeNetworkFailure, isSystemError } from './system-errors.js';
import type { GlobalOptions } from './runtime.js';

/**
 * How a command treats a database that is not there yet. `create` makes and migrates it (serve,
 * migrate, user create, import). `existing` requires one that serve or migrate has set up, so
 * that a mistyped --data-dir fails instead of passing on a new, empty database.
 */
export type DatabaseMode = 'create' | 'existing';

/** Tables that only a migrated custos database has: Kysely's migration log and the audit trail. */
const custosTables = ['kysely_migration', 'audit_events'];

/**
 * Opens the configured database, checks that it responds, and brings its schema up to date,
 * returning the names of the migrations it applied. Throws an input error (exit code 2) that names the setting to fix when the database cannot be
 * reached or, in `existing` mode, is not a custos database.
 */
export async function connectDatabase(config: Config, options: GlobalOptions, mode: DatabaseMode): Promise<{ database: Database; appliedMigrations: string[] }> {
  if (mode === 'existing' && !config.databaseUrl && !fs.existsSync(sqliteFileIn(config.dataDir))) {
    throw noDatabase(sqliteFileIn(config.dataDir), config);
  }

  let database: Database | undefined;
  try {
    database = await openDatabase(config, { create: mode === 'create' });
    await sql`select 1`.execute(database.db);
    if (mode === 'existing' && !(await hasCustosTables(database))) throw noDatabase(database.location, config);
    const appliedMigrations = await migrateToLatest(database.db);
    await syncCatalogue(database, new Date());
    return { database, appliedMigrations };
  } catch (error) {
    await database?.close();
    throw describeConnectionFailure(error, config, options) ?? error;
  }
}

async function hasCustosTables(database: Database): Promise<boolean> {
  const db: Db = database.db;
  const found =
    database.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name in (${sql.join(custosTables)})`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_name in (${sql.join(custosTables)})`.execute(db);
  return found.rows.length === custosTables.length;
}

function noDatabase(location: string, config: Config): AppError {
  const settings = config.databaseUrl
    ? 'or pass --database-url / set CUSTOS_DATABASE_URL and CUSTOS_DATABASE_SCHEMA'
    : 'or pass --data-dir / set CUSTOS_DATA_DIR';
  return new AppError('NOT_FOUND', `No custos database at ${location}; run \`custos serve\` or \`custos migrate\` first, ${settings}`);
}

/** Error codes of PostgreSQL (SQLSTATE) and SQLite that mean the settings point at the wrong database. */
const databaseFailures: Record<string, string> = {
  '3D000': 'the database does not exist',
  '28P01': 'password authentication failed',
  '28000': 'the server does not accept this user',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CANTOPEN: 'the file cannot be opened',
};

/**
 * Describes a failure to reach the database as an input error naming where it looked and the
 * setting to correct, or returns `undefined` for failures that are not about the settings.
 */
function describeConnectionFailure(error: unknown, config: Config, options: GlobalOptions): AppError | undefined {
  if (error instanceof AppError) return error;
  const code = codeOf(error);
  const reason = (code !== undefined ? databaseFailures[code] : undefined) ?? describeNetworkFailure(code) ?? describeFileFailure(code);
  if (reason === undefined) return undefined;

  if (config.databaseUrl) {
    const setting = options.databaseUrl !== undefined ? '--database-url' : 'CUSTOS_DATABASE_URL';
    return new AppError('INVALID_CONFIGURATION', `Cannot connect to PostgreSQL at ${describeUrl(config.databaseUrl)}: ${reason}; check that PostgreSQL runs there and correct ${setting}`, [], {
      cause: error,
    });
  }
  const setting = options.dataDir !== undefined ? '--data-dir' : 'CUSTOS_DATA_DIR';
  const where = isSystemError(error) && error.path !== undefined ? path.resolve(error.path) : sqliteFileIn(config.dataDir);
  return new AppError('INVALID_CONFIGURATION', `Cannot open the SQLite database at ${where}: ${reason}; set ${setting} to a directory that custos may write to`, [], {
    cause: error,
  });
}

/**
 * Returns the error's code. Node 20 tries every address of a host name and reports an
 * AggregateError whose own code may be missing, so the first inner error's code is used then.
 */
function codeOf(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  if (error instanceof AggregateError) return codeOf(error.errors[0]);
  return undefined;
}

/** Host, port and database of a PostgreSQL URL, without the user name or password it may contain. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured URL';
  }
}
