import { Type, type Static } from '@sinclair/typebox';
import type { Caller } from '../platform/auth/caller.js';
import { authorize, can } from '../platform/auth/policy.js';
import type { Role } from '../platform/auth/roles.js';
import type { ServiceContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { pageBounds, PageQuery, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { ApiToken } from './tokens.service.js';

/** An API token as lists show it: its metadata and the user's name, never the token or its hash. */
export const ListedApiToken = Type.Object(
  { ...ApiToken.properties, username: Type.String({ description: 'Name of the user the token acts as' }) },
  { $id: 'ListedApiToken', additionalProperties: false },
);
export type ListedApiToken = Static<typeof ListedApiToken>;

export const ApiTokenListQuery = Type.Object(
  {
    ...PageQuery,
    username: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Only the tokens of this user; callers who are not administrators may name only themselves' }),
    ),
  },
  { additionalProperties: false },
);
export type ApiTokenListQuery = Static<typeof ApiTokenListQuery>;

/**
 * Lists API tokens, newest first, revoked and expired ones included: every token for an
 * administrator, otherwise only the caller's own. Throws FORBIDDEN when someone who is not an
 * administrator names another user, and NOT_FOUND when the named user does not exist.
 */
export async function listApiTokens(ctx: ServiceContext, caller: Caller, query: ApiTokenListQuery = {}): Promise<PageOf<ListedApiToken>> {
  authorize(caller, 'api_tokens.manage_own');
  const parsed = parseWith(ApiTokenListQuery, query);
  const seesEveryone = can(caller, 'users.read');
  if (!seesEveryone && parsed.username !== undefined && parsed.username !== caller.username) {
    throw new AppError('FORBIDDEN', `${caller.username} may list only their own API tokens, not those of "${parsed.username}"; ask an administrator`);
  }
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;

  let ownerId: string | undefined = seesEveryone ? undefined : caller.userId;
  if (parsed.username !== undefined) {
    const owner = await db.selectFrom('users').select('id').where('username', '=', parsed.username).executeTakeFirst();
    if (!owner) throw new AppError('NOT_FOUND', `No user named "${parsed.username}" exists; check the username or list the users`);
    ownerId = owner.id;
  }

  let filtered = db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id');
  if (ownerId !== undefined) filtered = filtered.where('api_tokens.user_id', '=', ownerId);
  const [rows, count] = await Promise.all([
    filtered
      .select([
        'api_tokens.id',
        'api_tokens.user_id',
        'users.username',
        'api_tokens.role',
        'api_tokens.name',
        'api_tokens.created_at',
        'api_tokens.expires_at',
        'api_tokens.revoked_at',
      ])
      .orderBy('api_tokens.created_at', 'desc')
      // The id breaks ties so that pages never overlap or skip a token.
      .orderBy('api_tokens.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);

  const items = rows.map(
    (row): ListedApiToken => ({
      id: row.id,
      userId: row.user_id,
      username: row.username,
      role: row.role as Role,
      name: row.name,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    }),
  );
  return { items, total: Number(count.total), limit, offset };
}
