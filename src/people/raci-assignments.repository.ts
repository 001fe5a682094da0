import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { RaciAssignmentTable } from '../platform/database/schema.js';
import { parseSort } from '../platform/listing.js';
import type { RaciAssignment, RaciListQuery, RaciSortKey } from './raci-assignment.schemas.js';
import { normalizeActivity } from './raci.js';

/** Reads and writes raci_assignments rows and turns them into the API's shape. */

const sortColumns: Record<RaciSortKey, keyof RaciAssignmentTable> = {
  activity: 'activity',
  responsibility: 'responsibility',
  createdAt: 'created_at',
};

export function toRaciAssignment(row: RaciAssignmentTable): RaciAssignment {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    activity: row.activity,
    responsibility: row.responsibility as RaciAssignment['responsibility'],
    personId: row.person_id,
    teamId: row.team_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRaciAssignmentRow(assignment: RaciAssignment): RaciAssignmentTable {
  return {
    id: assignment.id,
    ai_system_id: assignment.aiSystemId,
    activity: assignment.activity,
    responsibility: assignment.responsibility,
    person_id: assignment.personId,
    team_id: assignment.teamId,
    version: assignment.version,
    created_at: assignment.createdAt,
    updated_at: assignment.updatedAt,
  };
}

/**
 * Builds a condition that matches the activity, ignoring case. Both sides go through the database's own
 * lower(), as the unique indexes do, because SQLite folds only ASCII letters and JavaScript folds all.
 */
function sameActivity(activity: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(activity) = lower(${normalizeActivity(activity)})`;
}

export async function findRaciAssignmentRow(db: Db, id: string): Promise<RaciAssignmentTable | undefined> {
  return db.selectFrom('raci_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Returns every assignment of the system for the activity, ignoring the activity's case. */
export async function listActivityAssignments(db: Db, aiSystemId: string, activity: string): Promise<RaciAssignment[]> {
  const rows = await db
    .selectFrom('raci_assignments')
    .selectAll()
    .where('ai_system_id', '=', aiSystemId)
    .where(sameActivity(activity))
    .execute();
  return rows.map(toRaciAssignment);
}

/** Returns one page of the system's assignments matching the filters, and how many match in all. */
export async function queryRaciAssignments(
  db: Db,
  aiSystemId: string,
  query: RaciListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: RaciAssignmentTable[]; total: number }> {
  let filtered = db.selectFrom('raci_assignments').where('ai_system_id', '=', aiSystemId);
  if (query.activity) filtered = filtered.where(sameActivity(query.activity));
  if (query.responsibility) filtered = filtered.where('responsibility', '=', query.responsibility);
  if (query.personId) filtered = filtered.where('person_id', '=', query.personId);
  if (query.teamId) filtered = filtered.where('team_id', '=', query.teamId);

  const { key, order } = parseSort(query.sort ?? 'activity');
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
