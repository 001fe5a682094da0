import os from 'node:os';
import pino from 'pino';
import type { Caller } from '../platform/auth/caller.js';
import { systemClock } from '../platform/clock.js';
import { loadConfig, type Config, type ConfigFlags } from '../platform/config.js';
import type { ServiceContext } from '../platform/context.js';
import { openDatabase } from '../platform/database/connection.js';
import { migrateToLatest } from '../platform/database/migrate.js';
import { loggerOptions, type Logger } from '../platform/logger.js';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  verbose?: boolean;
}

/**
 * Opens the configured database, brings its schema up to date and returns the services' context.
 * CLI commands log warnings and errors to stderr only, so their output stays clean for pipes.
 */
export async function openContext(options: GlobalOptions, flags: ConfigFlags = {}, logger?: Logger): Promise<ServiceContext & { close(): Promise<void> }> {
  const config: Config = loadConfig(process.env, { dataDir: options.dataDir, databaseUrl: options.databaseUrl, ...flags });
  const log = logger ?? pino({ ...loggerOptions(options.verbose ? 'debug' : 'warn') }, pino.destination(2));
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, clock: systemClock, logger: log, config, close: () => database.close() };
}

/** Whoever runs the CLI has the database in hand, so the CLI acts as an administrator and says who ran it. */
export function cliCaller(): Caller {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // Some containers have no passwd entry for the current uid.
  }
  return { userId: `cli:${osUser}`.slice(0, 64), username: `cli:${osUser}`, roles: ['administrator'], via: 'cli', requestId: null };
}
