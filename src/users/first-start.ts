import { randomBytes } from 'node:crypto';
import { systemCaller } from '../platform/auth/caller.js';
import { hashPassword } from '../platform/auth/passwords.js';
import type { ServiceContext } from '../platform/context.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { countUsers, insertUser } from './users.service.js';

export const administratorUsername = 'admin';

export interface AdministratorCreated {
  username: string;
  /** Set when custos generated the password; print it once and never store it. */
  generatedPassword: string | null;
}

/**
 * Creates the first administrator when no user exists. The password comes from the
 * configuration or is generated. Returns null when users already exist, including when another
 * server process created the administrator first.
 */
export async function ensureAdministrator(ctx: ServiceContext): Promise<AdministratorCreated | null> {
  if ((await countUsers(ctx.database.db)) > 0) return null;
  const generatedPassword = ctx.config.adminPassword ? null : randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(ctx.config.adminPassword ?? generatedPassword!);
  try {
    const created = await writeTransaction(ctx.database, async (trx) => {
      if ((await countUsers(trx)) > 0) return false;
      await insertUser(trx, systemCaller, ctx.clock.now(), { username: administratorUsername, displayName: 'Administrator', roles: ['administrator'] }, passwordHash);
      return true;
    });
    return created ? { username: administratorUsername, generatedPassword } : null;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
