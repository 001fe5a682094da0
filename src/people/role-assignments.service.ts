import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import type { ChangeOptions } from './change-options.js';
import { ensureAiSystemsExist, ensurePeopleExist } from './references.js';
import { CreateRoleAssignment, RoleAssignmentListQuery, type RoleAssignment } from './role-assignment.schemas.js';
import {
  findRoleAssignmentRow,
  findSameRoleAssignment,
  queryRoleAssignments,
  toRoleAssignment,
  toRoleAssignmentRow,
} from './role-assignments.repository.js';

/** Use cases of role assignments. An assignment is created or deleted, never changed. */

export async function listRoleAssignments(ctx: ServiceContext, caller: Caller, query: RoleAssignmentListQuery): Promise<PageOf<RoleAssignment>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RoleAssignmentListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryRoleAssignments(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toRoleAssignment), total, limit, offset };
}

export async function getRoleAssignment(ctx: ServiceContext, caller: Caller, id: string): Promise<RoleAssignment> {
  authorize(caller, 'register.read');
  const row = await findRoleAssignmentRow(ctx.database.db, id);
  if (!row) throw notFound('role assignment', id);
  return toRoleAssignment(row);
}

/** Gives a person a role, for the whole organization or for one AI system. A person has each role at most once per scope. */
export async function createRoleAssignment(ctx: ServiceContext, caller: Caller, input: CreateRoleAssignment, reason?: string | null): Promise<RoleAssignment> {
  authorize(caller, 'people.write');
  const parsed = parseWith(CreateRoleAssignment, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const assignment: RoleAssignment = {
      id: newId(),
      personId: parsed.personId,
      role: parsed.role,
      aiSystemId: parsed.aiSystemId ?? null,
      version: 1,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
    };
    await ensurePeopleExist(trx, [{ id: assignment.personId, path: '/personId' }]);
    if (assignment.aiSystemId !== null) await ensureAiSystemsExist(trx, [{ id: assignment.aiSystemId, path: '/aiSystemId' }]);
    if (await findSameRoleAssignment(trx, assignment)) throw await alreadyAssigned(trx, assignment);

    try {
      await trx.insertInto('role_assignments').values(toRoleAssignmentRow(assignment)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw await alreadyAssigned(trx, assignment);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'role_assignment.created', recordId: assignment.id, after: assignment, reason: reason ?? null });
    return assignment;
  });
}

export async function deleteRoleAssignment(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'people.write');
  await writeTransaction(ctx.database, async (trx) => {
    const row = await findRoleAssignmentRow(trx, id);
    if (!row) throw notFound('role assignment', id);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
      throw versionMismatch('role assignment', id, options.expectedVersion, row.version);
    }
    await trx.deleteFrom('role_assignments').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), {
      action: 'role_assignment.deleted',
      recordId: id,
      before: toRoleAssignment(row),
      reason: options.reason ?? null,
    });
  });
}

async function alreadyAssigned(db: Db, assignment: RoleAssignment): Promise<AppError> {
  const person = await db.selectFrom('people').select('name').where('id', '=', assignment.personId).executeTakeFirst();
  let scope = 'for the whole organization';
  if (assignment.aiSystemId !== null) {
    const system = await db.selectFrom('ai_systems').select('name').where('id', '=', assignment.aiSystemId).executeTakeFirst();
    scope = `for the AI system "${system?.name ?? assignment.aiSystemId}"`;
  }
  return new AppError(
    'CONFLICT',
    `"${person?.name ?? assignment.personId}" already has the role ${assignment.role} ${scope}; a person has each role at most once per scope`,
    [{ path: '/role', message: 'is already assigned to this person for this scope' }],
  );
}
