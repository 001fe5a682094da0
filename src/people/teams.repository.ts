import type { Db } from '../platform/database/connection.js';
import type { TeamTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { Team, TeamListQuery, TeamSortKey } from './team.schemas.js';

/** Reads and writes teams and team_members rows and turns them into the API's shape. */

const sortColumns: Record<TeamSortKey, keyof TeamTable> = {
  name: 'name',
  kind: 'kind',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toTeam(row: TeamTable, memberIds: readonly string[]): Team {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Team['kind'],
    purpose: row.purpose,
    chairId: row.chair_id,
    memberIds: [...memberIds].sort(),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toTeamRow(team: Team): TeamTable {
  return {
    id: team.id,
    name: team.name,
    kind: team.kind,
    purpose: team.purpose,
    chair_id: team.chairId,
    version: team.version,
    created_at: team.createdAt,
    updated_at: team.updatedAt,
  };
}

export async function findTeam(db: Db, id: string): Promise<Team | undefined> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const members = await membersOf(db, [id]);
  return toTeam(row, members.get(id) ?? []);
}

export async function findTeamIdByName(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

/** Returns the member ids of each of the given teams. */
export async function membersOf(db: Db, teamIds: readonly string[]): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  if (teamIds.length === 0) return members;
  const rows = await db.selectFrom('team_members').select(['team_id', 'person_id']).where('team_id', 'in', [...teamIds]).execute();
  for (const row of rows) {
    members.set(row.team_id, [...(members.get(row.team_id) ?? []), row.person_id]);
  }
  return members;
}

/** Returns every team the person is a member of. */
export async function teamsWithMember(db: Db, personId: string): Promise<Team[]> {
  const rows = await db
    .selectFrom('teams')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('team_members').select('team_id').where('person_id', '=', personId))
    .orderBy('name')
    .execute();
  const members = await membersOf(db, rows.map((row) => row.id));
  return rows.map((row) => toTeam(row, members.get(row.id) ?? []));
}

/** Writes the team row and replaces its membership with `team.memberIds`. */
export async function saveTeam(db: Db, team: Team, previousVersion: number | undefined): Promise<void> {
  if (previousVersion === undefined) {
    await db.insertInto('teams').values(toTeamRow(team)).execute();
  } else {
    await db.updateTable('teams').set(toTeamRow(team)).where('id', '=', team.id).where('version', '=', previousVersion).execute();
    await db.deleteFrom('team_members').where('team_id', '=', team.id).execute();
  }
  if (team.memberIds.length > 0) {
    await db.insertInto('team_members').values(team.memberIds.map((personId) => ({ team_id: team.id, person_id: personId }))).execute();
  }
}

/** Returns one page of teams matching the filters with their members, and how many match in all. */
export async function queryTeams(db: Db, query: TeamListQuery, limit: number, offset: number): Promise<{ items: Team[]; total: number }> {
  let filtered = db.selectFrom('teams');
  if (query.q) filtered = filtered.where(containsText(['name', 'purpose'], query.q));
  if (query.kind) filtered = filtered.where('kind', '=', query.kind);
  if (query.memberId) {
    const memberId = query.memberId;
    filtered = filtered.where('id', 'in', (eb) => eb.selectFrom('team_members').select('team_id').where('person_id', '=', memberId));
  }

  const { key, order } = parseSort(query.sort ?? 'name');
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
  const members = await membersOf(db, rows.map((row) => row.id));
  return { items: rows.map((row) => toTeam(row, members.get(row.id) ?? [])), total: Number(count.total) };
}
