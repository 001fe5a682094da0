import { Type, type Static } from '@sinclair/typebox';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { authorize } from '../platform/auth/policy.js';
import { roles, type Role } from '../platform/auth/roles.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import type { UserTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { containsText } from '../platform/listing.js';
import { pageBounds, PageQuery, type PageOf } from '../platform/pagination.js';
import { findProblems, literalUnion, parseWith } from '../platform/validation.js';

export const minimumPasswordLength = 12;
export const maximumPasswordLength = 1024;

/** The username rule in words, for messages; the pattern below states the same rule. */
export const usernameRule = 'must be 1 to 64 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit';

export const RoleSchema = literalUnion(roles, { description: `Role: one of ${roles.join(', ')}` });

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'Lower-case letters, digits, dot, underscore and hyphen; 1 to 64 characters',
});

export const Password = Type.String({
  minLength: minimumPasswordLength,
  maxLength: maximumPasswordLength,
  description: `${minimumPasswordLength} to ${maximumPasswordLength} characters`,
});

export const User = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(RoleSchema),
    personId: Type.Union([Type.String(), Type.Null()]),
    active: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'User', additionalProperties: false },
);
export type User = Static<typeof User>;

export const CreateUser = Type.Object(
  {
    username: Username,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    password: Password,
    roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
    personId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { $id: 'CreateUser', additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUser>;

export const UserListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in username and display name, ignoring case' })),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean({ description: 'Only active (true) or only deactivated (false) accounts' })),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

/** At most this many ids per name lookup, the same bound as the people name lookup (it keeps the request line short). */
export const maxUserNameLookupIds = 200;

export const UserNamesQuery = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: maxUserNameLookupIds,
      description: `User ids to look up, repeating the parameter (ids=a&ids=b), 1 to ${maxUserNameLookupIds}`,
    }),
  },
  { additionalProperties: false },
);
export type UserNamesQuery = Static<typeof UserNamesQuery>;

/** A user's display name without username, roles or account state. Every role that reads the register may look it up. */
export const UserName = Type.Object({ id: Type.String(), displayName: Type.String() }, { $id: 'UserName', additionalProperties: false });
export type UserName = Static<typeof UserName>;

export function toUser(row: UserTable, userRoles: readonly string[]): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: [...userRoles].sort() as Role[],
    personId: row.person_id,
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createUser(ctx: ServiceContext, caller: Caller, input: CreateUser): Promise<User> {
  authorize(caller, 'users.manage');
  const parsed = parseCreateUser(input);
  const passwordHash = await hashPassword(parsed.password);
  return writeTransaction(ctx.database, (trx) => insertUser(trx, caller, ctx.clock.now(), parsed, passwordHash));
}

/** Inserts a user with an already computed password hash, inside the caller's write transaction. */
export async function insertUser(trx: Db, caller: Caller, now: Date, input: Omit<CreateUser, 'password'>, passwordHash: string): Promise<User> {
  const existing = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (existing) throw usernameTaken(input.username);
  if (input.personId) {
    const person = await trx.selectFrom('people').select('id').where('id', '=', input.personId).executeTakeFirst();
    if (!person) throw new AppError('VALIDATION_FAILED', `No person with id "${input.personId}" exists; create the person first or leave personId out`, [{ path: '/personId', message: 'unknown person' }]);
  }

  const timestamp = toTimestamp(now);
  const row: UserTable = {
    id: newId(),
    username: input.username,
    display_name: input.displayName ?? input.username,
    password_hash: passwordHash,
    person_id: input.personId ?? null,
    active: 1,
    version: 1,
    created_at: timestamp,
    updated_at: timestamp,
  };
  try {
    await trx.insertInto('users').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken(input.username);
    throw error;
  }
  await trx.insertInto('user_roles').values(input.roles.map((role) => ({ user_id: row.id, role }))).execute();
  const user = toUser(row, input.roles);
  // The audit image never includes the password hash.
  await appendAuditEvent(trx, caller, now, { action: 'user.created', recordId: user.id, after: user });
  return user;
}

/** Checks a new user like parseWith, but states a broken username rule in words rather than as the pattern. */
function parseCreateUser(input: CreateUser): CreateUser {
  const username: unknown = (input as { username?: unknown } | null)?.username;
  const problems = findProblems(CreateUser, input).map((problem) => {
    if (problem.path !== '/username' || typeof username !== 'string') return problem;
    return { path: problem.path, message: `${usernameRule} (received ${quoted(username)})` };
  });
  if (problems.length > 0) throw validationFailed(problems);
  return input;
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 61)}...` : text);
}

/** Lists user accounts a page at a time, by username, with the total that match the filters. */
export async function listUsers(ctx: ServiceContext, caller: Caller, query: UserListQuery = {}): Promise<PageOf<User>> {
  authorize(caller, 'users.read');
  const parsed = parseWith(UserListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;

  let filtered = db.selectFrom('users');
  if (parsed.q) filtered = filtered.where(containsText(['username', 'display_name'], parsed.q));
  if (parsed.active !== undefined) filtered = filtered.where('active', '=', parsed.active ? 1 : 0);
  if (parsed.role) {
    const role = parsed.role;
    filtered = filtered.where((eb) =>
      eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', role)),
    );
  }

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('username').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((row) => row.id);
  const roleRows = ids.length === 0 ? [] : await db.selectFrom('user_roles').selectAll().where('user_id', 'in', ids).execute();
  const items = rows.map((row) => toUser(row, roleRows.filter((roleRow) => roleRow.user_id === row.id).map((roleRow) => roleRow.role)));
  return { items, total: Number(count.total), limit, offset };
}

/** Looks up display names by user id, ordered by name; ids that name no account are left out. */
export async function listUserNames(ctx: ServiceContext, caller: Caller, query: UserNamesQuery): Promise<UserName[]> {
  authorize(caller, 'register.read');
  const parsed = parseWith(UserNamesQuery, query);
  const rows = await ctx.database.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(parsed.ids)])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, displayName: row.display_name }));
}

export async function findUserByUsername(db: Db, username: string): Promise<{ row: UserTable; roles: Role[] } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!row) return undefined;
  return { row, roles: await rolesOf(db, row.id) };
}

export async function getUserById(db: Db, id: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user', id);
  return toUser(row, await rolesOf(db, id));
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return rows.map((row) => row.role as Role).sort();
}

export async function countUsers(db: Db): Promise<number> {
  const result = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(result.count);
}

function usernameTaken(username: string): AppError {
  return new AppError('CONFLICT', `A user named "${username}" already exists; choose another username`, [{ path: '/username', message: 'must be unique' }]);
}
