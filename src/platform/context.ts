import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './database/connection.js';
import type { Logger } from './logger.js';

/** The dependencies every use case receives: the database, the clock, the logger and the frozen configuration. */
export interface ServiceContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: Config;
}
