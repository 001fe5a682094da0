import type { Db } from '../platform/database/connection.js';
import type { RoleAssignmentTable } from '../platform/database/schema.js';
import { parseSort } from '../platform/listing.js';
import type { RoleAssignment, RoleAssignmentListQuery, RoleAssignmentSortKey } from './role-assignment.schemas.js';

/** Reads and writes role_assignments rows and turns them into the API's shape. */

const sortColumns: Record<RoleAssignmentSortKey, keyof RoleAssignmentTable> = {
  role: 'role',
  createdAt: 'created_at',
};

export function toRoleAssignment(row: RoleAssignmentTable): RoleAssignment {
  return {
    id: row.id,
    personId: row.person_id,
    role: row.role as RoleAssignment['role'],
    aiSystemId: row.ai_system_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRoleAssignmentRow(assignment: RoleAssignment): RoleAssignmentTable {
  return {
    id: assignment.id,
    person_id: assignment.personId,
    role: assignment.role,
    ai_system_id: assignment.aiSystemId,
    version: assignment.version,
    created_at: assignment.createdAt,
    updated_at: assignment.updatedAt,
  };
}

export async function findRoleAssignmentRow(db: Db, id: string): Promise<RoleAssignmentTable | undefined> {
  return db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the assignment of the same role to the same person for the same scope, if one exists. */
export async function findSameRoleAssignment(db: Db, assignment: RoleAssignment): Promise<RoleAssignmentTable | undefined> {
  let query = db.selectFrom('role_assignments').selectAll().where('person_id', '=', assignment.personId).where('role', '=', assignment.role);
  query = assignment.aiSystemId === null ? query.where('ai_system_id', 'is', null) : query.where('ai_system_id', '=', assignment.aiSystemId);
  return query.executeTakeFirst();
}

/** Returns one page of assignments matching the filters, and how many match in all. */
export async function queryRoleAssignments(
  db: Db,
  query: RoleAssignmentListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: RoleAssignmentTable[]; total: number }> {
  let filtered = db.selectFrom('role_assignments');
  if (query.personId) filtered = filtered.where('person_id', '=', query.personId);
  if (query.role) filtered = filtered.where('role', '=', query.role);
  if (query.aiSystemId) filtered = filtered.where('ai_system_id', '=', query.aiSystemId);
  if (query.organizationWide !== undefined) filtered = filtered.where('ai_system_id', query.organizationWide ? 'is' : 'is not', null);

  const { key, order } = parseSort(query.sort ?? 'role');
  const [rows, count] = await Promise.all([
    filtered
      .selectAll()
      .orderBy(sortColumns[key], order)
      // The id breaks ties so that pages never overlap or skip a record.
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
