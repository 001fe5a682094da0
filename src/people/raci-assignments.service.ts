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
import { CreateRaciAssignment, RaciListQuery, type RaciAssignment } from './raci-assignment.schemas.js';
import {
  findRaciAssignmentRow,
  listActivityAssignments,
  queryRaciAssignments,
  toRaciAssignment,
  toRaciAssignmentRow,
} from './raci-assignments.repository.js';
import { normalizeActivity } from './raci.js';
import { ensurePeopleExist, ensureTeamsExist } from './references.js';

/** Use cases of RACI assignments per AI system. An assignment is created or deleted, never changed. */

export async function listRaciAssignments(ctx: ServiceContext, caller: Caller, aiSystemId: string, query: RaciListQuery): Promise<PageOf<RaciAssignment>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RaciListQuery, query);
  const db = ctx.database.db;
  await ensureAiSystemFound(db, aiSystemId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryRaciAssignments(db, aiSystemId, parsed, limit, offset);
  return { items: rows.map(toRaciAssignment), total, limit, offset };
}

export async function getRaciAssignment(ctx: ServiceContext, caller: Caller, id: string): Promise<RaciAssignment> {
  authorize(caller, 'register.read');
  const row = await findRaciAssignmentRow(ctx.database.db, id);
  if (!row) throw notFound('RACI assignment', id);
  return toRaciAssignment(row);
}

/**
 * Assigns a person or a team a responsibility for an activity about an AI system. An activity
 * has at most one accountable party, and a party has each responsibility for it at most once.
 */
export async function createRaciAssignment(
  ctx: ServiceContext,
  caller: Caller,
  aiSystemId: string,
  input: CreateRaciAssignment,
  reason?: string | null,
): Promise<RaciAssignment> {
  authorize(caller, 'people.write');
  const parsed = parseWith(CreateRaciAssignment, input);
  const party = exactlyOneParty(parsed);
  return writeTransaction(ctx.database, async (trx) => {
    const systemName = await ensureAiSystemFound(trx, aiSystemId);
    if (party.personId !== null) await ensurePeopleExist(trx, [{ id: party.personId, path: '/personId' }]);
    if (party.teamId !== null) await ensureTeamsExist(trx, [{ id: party.teamId, path: '/teamId' }]);

    const now = ctx.clock.now();
    const assignment: RaciAssignment = {
      id: newId(),
      aiSystemId,
      activity: normalizeActivity(parsed.activity),
      responsibility: parsed.responsibility,
      ...party,
      version: 1,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
    };
    const existing = await listActivityAssignments(trx, aiSystemId, assignment.activity);
    const clash = await findClash(trx, assignment, existing, systemName);
    if (clash) throw clash;
    // An activity keeps the spelling it was first given, so its assignments list together.
    if (existing[0]) assignment.activity = existing[0].activity;

    try {
      await trx.insertInto('raci_assignments').values(toRaciAssignmentRow(assignment)).execute();
    } catch (error) {
      // The write lock makes the checks above complete; the indexes are the last line of defence.
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', `The RACI assignment for "${assignment.activity}" clashes with an existing one; list them and try again`);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'raci_assignment.created', recordId: assignment.id, after: assignment, reason: reason ?? null });
    return assignment;
  });
}

export async function deleteRaciAssignment(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'people.write');
  await writeTransaction(ctx.database, async (trx) => {
    const row = await findRaciAssignmentRow(trx, id);
    if (!row) throw notFound('RACI assignment', id);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
      throw versionMismatch('RACI assignment', id, options.expectedVersion, row.version);
    }
    await trx.deleteFrom('raci_assignments').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), {
      action: 'raci_assignment.deleted',
      recordId: id,
      before: toRaciAssignment(row),
      reason: options.reason ?? null,
    });
  });
}

function exactlyOneParty(input: CreateRaciAssignment): { personId: string | null; teamId: string | null } {
  const personId = input.personId ?? null;
  const teamId = input.teamId ?? null;
  if ((personId === null) === (teamId === null)) {
    const message = personId === null ? 'personId and teamId are both missing; give exactly one of them' : 'personId and teamId are both given; give exactly one of them';
    throw validationFailed([
      { path: '/personId', message },
      { path: '/teamId', message },
    ]);
  }
  return { personId, teamId };
}

/** Returns the AI system's name, or throws NOT_FOUND. */
async function ensureAiSystemFound(db: Db, aiSystemId: string): Promise<string> {
  const system = await db.selectFrom('ai_systems').select('name').where('id', '=', aiSystemId).executeTakeFirst();
  if (!system) throw notFound('AI system', aiSystemId);
  return system.name;
}

/** Returns the 409 for a second accountable party or a repeated assignment, or undefined when there is no clash. */
async function findClash(db: Db, assignment: RaciAssignment, existing: readonly RaciAssignment[], systemName: string): Promise<AppError | undefined> {
  const accountable = existing.find((other) => other.responsibility === 'accountable');
  if (assignment.responsibility === 'accountable' && accountable) {
    return new AppError(
      'CONFLICT',
      `The activity "${accountable.activity}" of AI system "${systemName}" already has an accountable party, ${await partyLabel(db, accountable)}. RACI allows one accountable party per activity, so delete that assignment (DELETE /api/raci-assignments/${accountable.id}) or make this party responsible`,
      [{ path: '/responsibility', message: 'the activity already has an accountable party' }],
    );
  }
  const repeated = existing.find(
    (other) => other.responsibility === assignment.responsibility && other.personId === assignment.personId && other.teamId === assignment.teamId,
  );
  if (repeated) {
    return new AppError(
      'CONFLICT',
      `This assignment exists already: ${await partyLabel(db, repeated)} is ${repeated.responsibility} for the activity "${repeated.activity}" of AI system "${systemName}"`,
      [{ path: '/responsibility', message: 'the party already has this responsibility for the activity' }],
    );
  }
  return undefined;
}

async function partyLabel(db: Db, assignment: RaciAssignment): Promise<string> {
  if (assignment.personId !== null) {
    const person = await db.selectFrom('people').select('name').where('id', '=', assignment.personId).executeTakeFirst();
    return `the person "${person?.name ?? assignment.personId}"`;
  }
  const team = await db.selectFrom('teams').select(['name', 'kind']).where('id', '=', assignment.teamId!).executeTakeFirst();
  return `the ${team?.kind ?? 'team'} "${team?.name ?? assignment.teamId}"`;
}
