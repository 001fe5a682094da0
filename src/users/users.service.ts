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
import { AppError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { literalUnion, parseWith } from '../platform/validation.js';

export const minimumPasswordLength = 12;

export const RoleSchema = literalUnion(roles, { description: `Role: one of ${roles.join(', ')}` });

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'Lower-case letters, digits, dot, underscore and hyphen; 1 to 64 characters',
});

export const Password = Type.String({ minLength: minimumPasswordLength, maxLength: 1024, description: `At least ${minimumPasswordLength} characters` });

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
  const parsed = parseWith(CreateUser, input);
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

export async function listUsers(ctx: ServiceContext, caller: Caller): Promise<User[]> {
  authorize(caller, 'users.manage');
  const db = ctx.database.db;
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  const roleRows = await db.selectFrom('user_roles').selectAll().execute();
  return rows.map((row) => toUser(row, roleRows.filter((r) => r.user_id === row.id).map((r) => r.role)));
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
