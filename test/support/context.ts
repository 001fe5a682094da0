import pino from 'pino';
import type { Clock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ServiceContext } from '../../src/platform/context.js';
import type { Caller } from '../../src/platform/auth/caller.js';
import type { Role } from '../../src/platform/auth/roles.js';
import type { TestDatabase } from './databases.js';

/** A clock that starts at a fixed instant and moves one second each time it is read. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): Clock {
  let current = Date.parse(start);
  return {
    now: () => {
      const date = new Date(current);
      current += 1000;
      return date;
    },
  };
}

export function testContext(database: TestDatabase, clock: Clock = steppingClock()): ServiceContext {
  return {
    database,
    clock,
    logger: pino({ level: 'silent' }),
    config: loadConfig({}, { dataDir: database.settings.dataDir }),
  };
}

export function callerWith(roles: Role[], username = roles[0] ?? 'nobody'): Caller {
  return { userId: `user-${username}`, username, roles, via: 'token', requestId: 'req-test' };
}
