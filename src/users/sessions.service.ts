import { Type, type Static } from '@sinclair/typebox';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { verifyAgainstDummy, verifyPassword } from '../platform/auth/passwords.js';
import { hashSecret, newSecret } from '../platform/auth/secrets.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import { findUserByUsername, rolesOf, toUser, type User } from './users.service.js';

export const SignInRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { $id: 'SignInRequest', additionalProperties: false },
);
export type SignInRequest = Static<typeof SignInRequest>;

export interface SignedIn {
  sessionId: string;
  expiresAt: string;
  user: User;
}

/** Failed sign-ins counted for throttling are those of the last 15 minutes. */
export const signInFailureWindowMinutes = 15;
/** Failures allowed for one account from one address within the window. */
export const maxFailuresPerAccountAndAddress = 10;
/** Failures allowed from one address within the window, over all accounts. */
export const maxFailuresPerAddress = 50;

/**
 * Checks a username and password and opens a session. Every failure, whatever its cause, gives
 * the client the same response, and the audit trail records the cause and the client address.
 * Too many recent failures from the client's address, for one account or in all, block further
 * attempts with 429 before the password is checked; blocked attempts are logged, not audited,
 * so that guessing cannot grow the audit trail without bound. The counts come from the audit
 * trail, so they hold across server processes.
 */
export async function signIn(ctx: ServiceContext, request: SignInRequest, requestId: string | null, clientAddress = 'unknown'): Promise<SignedIn> {
  const parsed = parseWith(SignInRequest, request);
  const found = await findUserByUsername(ctx.database.db, parsed.username.toLowerCase());
  const accountKey = found?.row.id ?? parsed.username.slice(0, 64);

  const throttled = await isThrottled(ctx, accountKey, clientAddress);
  if (throttled) {
    ctx.logger.warn({ requestId, clientAddress, username: parsed.username.slice(0, 64), limit: throttled }, 'sign-in blocked after repeated failures');
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many failed sign-ins from this address; wait ${signInFailureWindowMinutes} minutes and try again, or ask an administrator to check the account`,
    );
  }

  let failure: string | null = null;
  if (!found) {
    await verifyAgainstDummy(parsed.password);
    failure = 'unknown user';
  } else if (!(await verifyPassword(found.row.password_hash, parsed.password))) {
    failure = 'wrong password';
  } else if (found.row.active !== 1) {
    failure = 'inactive account';
  }

  const caller: Caller = {
    userId: found?.row.id ?? 'anonymous',
    username: found?.row.username ?? 'anonymous',
    roles: found?.roles ?? [],
    via: 'session',
    requestId,
  };
  const now = ctx.clock.now();

  if (failure !== null || !found) {
    await writeTransaction(ctx.database, (trx) =>
      appendAuditEvent(trx, caller, now, {
        action: 'user.sign_in_failed',
        recordId: accountKey,
        after: { username: parsed.username.slice(0, 64), cause: failure, clientAddress },
      }),
    );
    throw new AppError('UNAUTHENTICATED', 'The username or password is wrong, or the account is inactive; check them and try again');
  }

  const sessionId = newSecret('');
  const expiresAt = toTimestamp(new Date(now.getTime() + ctx.config.sessionTtlHours * 3_600_000));
  await writeTransaction(ctx.database, async (trx) => {
    await trx.insertInto('sessions').values({ id_hash: hashSecret(sessionId), user_id: found.row.id, created_at: toTimestamp(now), expires_at: expiresAt }).execute();
    await appendAuditEvent(trx, caller, now, { action: 'user.signed_in', recordId: found.row.id, after: { username: found.row.username, expiresAt } });
  });
  return { sessionId, expiresAt, user: toUser(found.row, found.roles) };
}

/** Returns which limit the recent failures reach, or null when another attempt is allowed. */
async function isThrottled(ctx: ServiceContext, accountKey: string, clientAddress: string): Promise<string | null> {
  const since = toTimestamp(new Date(ctx.clock.now().getTime() - signInFailureWindowMinutes * 60_000));
  const failures = await ctx.database.db
    .selectFrom('audit_events')
    .select(['record_id', 'after_json'])
    .where('action', '=', 'user.sign_in_failed')
    .where('occurred_at', '>=', since)
    .execute();

  let fromAddress = 0;
  let forAccount = 0;
  for (const failure of failures) {
    const after = failure.after_json === null ? {} : (JSON.parse(failure.after_json) as { clientAddress?: string });
    if (after.clientAddress !== clientAddress) continue;
    fromAddress += 1;
    if (failure.record_id === accountKey) forAccount += 1;
  }
  if (forAccount >= maxFailuresPerAccountAndAddress) return 'per account and address';
  if (fromAddress >= maxFailuresPerAddress) return 'per address';
  return null;
}

export async function signOut(ctx: ServiceContext, caller: Caller, sessionId: string): Promise<void> {
  await writeTransaction(ctx.database, async (trx) => {
    const removed = await trx.deleteFrom('sessions').where('id_hash', '=', hashSecret(sessionId)).executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) {
      await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'user.signed_out', recordId: caller.userId });
    }
  });
}

/** Resolves a session cookie to its caller, or undefined when the session is unknown or expired. */
export async function authenticateSession(db: Db, sessionId: string, now: Date, requestId: string | null): Promise<Caller | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.active', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', hashSecret(sessionId))
    .executeTakeFirst();
  if (!row || row.active !== 1 || row.expires_at <= toTimestamp(now)) return undefined;
  return { userId: row.id, username: row.username, roles: await rolesOf(db, row.id), via: 'session', requestId };
}
