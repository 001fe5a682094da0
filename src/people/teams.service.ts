import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import type { ChangeOptions } from './change-options.js';
import { ensurePeopleExist } from './references.js';
import { CreateTeam, TeamListQuery, UpdateTeam, type Team } from './team.schemas.js';
import { findTeam, findTeamIdByName, queryTeams, saveTeam } from './teams.repository.js';

/** Use cases of teams, committees and boards. A team's audit images include its members. */

export async function listTeams(ctx: ServiceContext, caller: Caller, query: TeamListQuery): Promise<PageOf<Team>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(TeamListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryTeams(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getTeam(ctx: ServiceContext, caller: Caller, id: string): Promise<Team> {
  authorize(caller, 'register.read');
  const team = await findTeam(ctx.database.db, id);
  if (!team) throw notFound('team', id);
  return team;
}

export async function createTeam(ctx: ServiceContext, caller: Caller, input: CreateTeam, reason?: string | null): Promise<Team> {
  authorize(caller, 'people.write');
  const parsed = parseWith(CreateTeam, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const team: Team = {
      id: newId(),
      name: parsed.name.trim(),
      kind: parsed.kind,
      purpose: parsed.purpose ?? '',
      chairId: parsed.chairId ?? null,
      memberIds: [...(parsed.memberIds ?? [])].sort(),
      version: 1,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
    };
    await ensureTeamValid(trx, team, parsed.memberIds);
    await withNameConflict(() => saveTeam(trx, team, undefined), team);
    await appendAuditEvent(trx, caller, now, { action: 'team.created', recordId: team.id, after: team, reason: reason ?? null });
    return team;
  });
}

export async function updateTeam(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateTeam, options: ChangeOptions = {}): Promise<Team> {
  authorize(caller, 'people.write');
  const parsed = parseWith(UpdateTeam, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadTeamForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: Team = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      memberIds: parsed.memberIds ? [...parsed.memberIds].sort() : before.memberIds,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await ensureTeamValid(trx, after, parsed.memberIds);
    await withNameConflict(() => saveTeam(trx, after, before.version), after);
    await appendAuditEvent(trx, caller, now, { action: 'team.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Removes a team with its memberships. A team that still has RACI assignments is kept, so that no responsibility disappears unseen. */
export async function deleteTeam(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'people.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadTeamForChange(trx, id, options.expectedVersion);
    const assignments = await trx.selectFrom('raci_assignments').select((eb) => eb.fn.countAll<number>().as('count')).where('team_id', '=', id).executeTakeFirstOrThrow();
    if (Number(assignments.count) > 0) {
      throw new AppError(
        'CONFLICT',
        `The ${before.kind} "${before.name}" still has ${Number(assignments.count)} RACI assignment(s); delete or reassign them (GET /api/ai-systems/:id/raci) before deleting it`,
      );
    }
    await trx.deleteFrom('teams').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'team.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

export async function loadTeamForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Team> {
  const team = await findTeam(trx, id);
  if (!team) throw notFound('team', id);
  if (expectedVersion !== undefined && team.version !== expectedVersion) {
    throw versionMismatch('team', id, expectedVersion, team.version);
  }
  return team;
}

/**
 * Checks that the members exist, that the chair is one of them, and that the name is free.
 * `requestedMemberIds` is the list in the order the request gave it, so that a problem's path
 * points at the right element.
 */
async function ensureTeamValid(trx: Db, team: Team, requestedMemberIds: readonly string[] | undefined): Promise<void> {
  if (team.chairId !== null && !team.memberIds.includes(team.chairId)) {
    throw validationFailed([{ path: '/chairId', message: `the chair "${team.chairId}" must be one of the members; add the person to memberIds first` }]);
  }
  if (requestedMemberIds) {
    await ensurePeopleExist(trx, requestedMemberIds.map((personId, index) => ({ id: personId, path: `/memberIds/${index}` })));
  }

  const holder = await findTeamIdByName(trx, team.name);
  if (holder !== undefined && holder !== team.id) throw nameTaken(team.name);
}

/** Runs a write, reporting a unique violation on the name as the same 409 that ensureTeamValid gives. */
async function withNameConflict(write: () => Promise<unknown>, team: Team): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(team.name);
    throw error;
  }
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', `A team, committee or board named "${name}" already exists; choose another name or update the existing one`, [
    { path: '/name', message: 'must be unique' },
  ]);
}
