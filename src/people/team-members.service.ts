import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import type { ChangeOptions } from './change-options.js';
import { findPersonRow } from './people.repository.js';
import { ensurePeopleExist } from './references.js';
import { AddTeamMember, type Team } from './team.schemas.js';
import { saveTeam } from './teams.repository.js';
import { loadTeamForChange } from './teams.service.js';

/** Adding and removing single members. Each is a team.updated event, with the team before and after. */

export async function addTeamMember(ctx: ServiceContext, caller: Caller, teamId: string, input: AddTeamMember, options: ChangeOptions = {}): Promise<Team> {
  authorize(caller, 'people.write');
  const parsed = parseWith(AddTeamMember, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadTeamForChange(trx, teamId, options.expectedVersion);
    await ensurePeopleExist(trx, [{ id: parsed.personId, path: '/personId' }]);
    if (before.memberIds.includes(parsed.personId)) {
      throw new AppError('CONFLICT', `${await personLabel(trx, parsed.personId)} is already a member of the ${before.kind} "${before.name}"`, [
        { path: '/personId', message: 'is already a member' },
      ]);
    }
    return saveMembers(trx, caller, ctx.clock.now(), before, [...before.memberIds, parsed.personId], options);
  });
}

/** Removes a member. The chair cannot be removed until someone else chairs the team, or nobody does. */
export async function removeTeamMember(ctx: ServiceContext, caller: Caller, teamId: string, personId: string, options: ChangeOptions = {}): Promise<Team> {
  authorize(caller, 'people.write');
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadTeamForChange(trx, teamId, options.expectedVersion);
    if (!before.memberIds.includes(personId)) {
      throw new AppError('NOT_FOUND', `${await personLabel(trx, personId)} is not a member of the ${before.kind} "${before.name}"; list its members with GET /api/teams/${teamId}`);
    }
    if (before.chairId === personId) {
      throw new AppError(
        'CONFLICT',
        `${await personLabel(trx, personId)} chairs the ${before.kind} "${before.name}"; set another chair or a null chairId with PATCH /api/teams/${teamId} first`,
      );
    }
    return saveMembers(trx, caller, ctx.clock.now(), before, before.memberIds.filter((id) => id !== personId), options);
  });
}

async function saveMembers(trx: Db, caller: Caller, now: Date, before: Team, memberIds: string[], options: ChangeOptions): Promise<Team> {
  const after: Team = { ...before, memberIds: memberIds.sort(), version: before.version + 1, updatedAt: toTimestamp(now) };
  await saveTeam(trx, after, before.version);
  await appendAuditEvent(trx, caller, now, { action: 'team.updated', recordId: after.id, before, after, reason: options.reason ?? null });
  return after;
}

async function personLabel(db: Db, personId: string): Promise<string> {
  const row = await findPersonRow(db, personId);
  return row ? `"${row.name}" (${personId})` : `The person "${personId}"`;
}
