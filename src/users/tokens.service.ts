import { Type, type Static } from '@sinclair/typebox';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize, can } from '../platform/auth/policy.js';
import type { Role } from '../platform/auth/roles.js';
import { hashSecret, newSecret } from '../platform/auth/secrets.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ApiTokenTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseWith } from '../platform/validation.js';
import { RoleSchema, rolesOf } from './users.service.js';

export const tokenPrefix = 'custos_';

export const CreateApiToken = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    role: RoleSchema,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'What the token is for, for example "CI pipeline"' })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { $id: 'CreateApiToken', additionalProperties: false },
);
export type CreateApiToken = Static<typeof CreateApiToken>;

export const ApiToken = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    role: RoleSchema,
    name: Type.String(),
    createdAt: Type.String(),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'ApiToken', additionalProperties: false },
);
export type ApiToken = Static<typeof ApiToken>;

export const IssuedApiToken = Type.Object(
  { token: Type.String({ description: 'The bearer token; shown this once and never again' }), apiToken: ApiToken },
  { $id: 'IssuedApiToken', additionalProperties: false },
);
export type IssuedApiToken = Static<typeof IssuedApiToken>;

function toApiToken(row: ApiTokenTable): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role as Role,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Issues a bearer token bound to a user and one of the user's roles. Administrators may issue
 * tokens for anyone; other users only for themselves.
 */
export async function createApiToken(ctx: ServiceContext, caller: Caller, input: CreateApiToken): Promise<IssuedApiToken> {
  authorize(caller, 'api_tokens.manage_own');
  const parsed = parseWith(CreateApiToken, input);
  return writeTransaction(ctx.database, async (trx) => {
    const user = await trx.selectFrom('users').selectAll().where('username', '=', parsed.username).executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', `No user named "${parsed.username}" exists; create it with \`custos user create\` first`);
    if (user.id !== caller.userId && !can(caller, 'users.manage')) {
      throw new AppError('FORBIDDEN', `${caller.username} may issue tokens only for themselves, not for "${parsed.username}"; ask an administrator`);
    }
    // A token must not mint a token with another role or a later expiry than its own, so only a
    // password sign-in (or an administrator) can issue tokens.
    if (caller.via === 'token' && !can(caller, 'users.manage')) {
      throw new AppError('FORBIDDEN', `An API token cannot issue API tokens; sign in with your password to create one, or ask an administrator`);
    }
    if (user.active !== 1) throw new AppError('CONFLICT', `The user "${parsed.username}" is inactive; activate it before issuing a token`);
    const userRoles = await rolesOf(trx, user.id);
    if (!userRoles.includes(parsed.role)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The user "${parsed.username}" does not hold the role ${parsed.role}; choose one of ${userRoles.join(', ')}`,
        [{ path: '/role', message: `must be one of ${userRoles.join(', ')}` }],
      );
    }

    const now = ctx.clock.now();
    const token = newSecret(tokenPrefix);
    const row: ApiTokenTable = {
      id: newId(),
      user_id: user.id,
      role: parsed.role,
      name: parsed.name ?? `${parsed.role} token`,
      token_hash: hashSecret(token),
      created_at: toTimestamp(now),
      expires_at: parsed.expiresInDays ? toTimestamp(new Date(now.getTime() + parsed.expiresInDays * 86_400_000)) : null,
      revoked_at: null,
    };
    await trx.insertInto('api_tokens').values(row).execute();
    const apiToken = toApiToken(row);
    await appendAuditEvent(trx, caller, now, { action: 'api_token.created', recordId: row.id, after: apiToken });
    return { token, apiToken };
  });
}

export async function revokeApiToken(ctx: ServiceContext, caller: Caller, tokenId: string): Promise<ApiToken> {
  authorize(caller, 'api_tokens.manage_own');
  return writeTransaction(ctx.database, async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
    if (!row) throw notFound('API token', tokenId);
    if (row.user_id !== caller.userId && !can(caller, 'users.manage')) {
      throw new AppError('FORBIDDEN', `${caller.username} may revoke only their own tokens; ask an administrator`);
    }
    if (row.revoked_at) return toApiToken(row);
    const now = ctx.clock.now();
    const after = { ...row, revoked_at: toTimestamp(now) };
    await trx.updateTable('api_tokens').set({ revoked_at: after.revoked_at }).where('id', '=', tokenId).execute();
    await appendAuditEvent(trx, caller, now, { action: 'api_token.revoked', recordId: tokenId, before: toApiToken(row), after: toApiToken(after) });
    return toApiToken(after);
  });
}

/** Resolves a bearer token to its caller, or returns undefined when it is unknown, revoked, expired or its user inactive. */
export async function authenticateToken(db: Db, token: string, now: Date, requestId: string | null): Promise<Caller | undefined> {
  if (!token.startsWith(tokenPrefix)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.role', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'users.id as user_id', 'users.username', 'users.active'])
    .where('api_tokens.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.active !== 1) return undefined;
  if (row.expires_at !== null && row.expires_at <= toTimestamp(now)) return undefined;
  return { userId: row.user_id, username: row.username, roles: [row.role as Role], via: 'token', requestId };
}
