import os from 'node:os';
import pino from 'pino';
import type { Caller } from '../platform/auth/caller.js';
import { systemClock } from '../platform/clock.js';
import { loadConfig, type Config, type ConfigFlags } from '../platform/config.js';
import type { ServiceContext } from '../platform/context.js';
import { loggerOptions, type Logger } from '../platform/logger.js';
import { connectDatabase, type DatabaseMode } from './database-access.js';

export type CliContext = ServiceContext & { close(): Promise<void> };

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  verbose?: boolean;
}

/**
 * Opens the configured database, creating and migrating it when needed, and returns the
 * services' context. CLI commands log warnings and errors to stderr only, so their output stays
 * clean for pipes.
 */
export async function openContext(options: GlobalOptions, flags: ConfigFlags = {}, logger?: Logger): Promise<CliContext> {
  return openIn('create', options, flags, logger);
}

/**
 * Opens a database that `custos serve` or `custos migrate` has already set up, creating nothing
 * when there is none. Commands that read, or only add to, existing records use this one.
 */
export async function openExistingContext(options: GlobalOptions): Promise<CliContext> {
  return openIn('existing', options, {});
}

async function openIn(mode: DatabaseMode, options: GlobalOptions, flags: ConfigFlags, logger?: Logger): Promise<CliContext> {
  const config: Config = loadConfig(process.env, { dataDir: options.dataDir, databaseUrl: options.databaseUrl, ...flags });
  const log = logger ?? pino({ ...loggerOptions(options.verbose ? 'debug' : 'warn') }, pino.destination(2));
  const { database } = await connectDatabase(config, options, mode);
  return { database, clock: systemClock, logger: log, config, close: () => database.close() };
}

/** Returns the CLI's caller: an administrator, since the CLI has direct access to the database, named after the OS user. */
export function cliCaller(): Caller {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // Some containers have no passwd entry for the current uid.
  }
  return { userId: `cli:${osUser}`.slice(0, 64), username: `cli:${osUser}`, roles: ['administrator'], via: 'cli', requestId: null };
}
