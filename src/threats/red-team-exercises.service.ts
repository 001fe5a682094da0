import type { ChangeOptions } from '../people/change-options.js';
import { ensureAiSystemsExist } from '../people/references.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { CreateRedTeamExercise, RedTeamExerciseListQuery, UpdateRedTeamExercise, type RedTeamExercise } from './red-team.schemas.js';
import { findExercise, findExerciseRow, queryExercises, toExerciseRow } from './red-team.repository.js';

/**
 * Use cases of red-team exercises and independent reviews. Each checks access first and audits
 * every change in its transaction. Findings are recorded per exercise (red-team-findings.service.ts).
 */

export async function listExercises(ctx: ServiceContext, caller: Caller, query: RedTeamExerciseListQuery): Promise<PageOf<RedTeamExercise>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RedTeamExerciseListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryExercises(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getExercise(ctx: ServiceContext, caller: Caller, id: string): Promise<RedTeamExercise> {
  authorize(caller, 'register.read');
  const exercise = await findExercise(ctx.database.db, id);
  if (!exercise) throw notFound('red-team exercise', id);
  return exercise;
}

export async function createExercise(ctx: ServiceContext, caller: Caller, input: CreateRedTeamExercise, reason?: string | null): Promise<RedTeamExercise> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(CreateRedTeamExercise, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const exercise: RedTeamExercise = {
      id: newId(),
      kind: parsed.kind,
      title: parsed.title.trim(),
      scope: parsed.scope.trim(),
      aiSystemId: parsed.aiSystemId ?? null,
      startedOn: parsed.startedOn,
      endedOn: parsed.endedOn ?? null,
      performerType: parsed.performerType,
      performerName: parsed.performerName.trim(),
      summary: parsed.summary ?? '',
      findingCounts: { open: 0, accepted: 0, remediated: 0, closed: 0 },
      createdBy: caller.userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    checkDates(exercise);
    if (exercise.aiSystemId !== null) await ensureAiSystemsExist(trx, [{ id: exercise.aiSystemId, path: '/aiSystemId' }]);
    await trx.insertInto('red_team_exercises').values(toExerciseRow(exercise, 1)).execute();
    await appendAuditEvent(trx, caller, now, { action: 'red_team_exercise.created', recordId: exercise.id, after: exercise, reason: reason ?? null });
    return exercise;
  });
}

export async function updateExercise(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateRedTeamExercise, options: ChangeOptions = {}): Promise<RedTeamExercise> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(UpdateRedTeamExercise, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const { exercise: before, nextFindingNumber } = await loadExerciseForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: RedTeamExercise = {
      ...before,
      ...parsed,
      title: parsed.title?.trim() ?? before.title,
      scope: parsed.scope?.trim() ?? before.scope,
      performerName: parsed.performerName?.trim() ?? before.performerName,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    checkDates(after);
    if (parsed.aiSystemId !== undefined && parsed.aiSystemId !== null) await ensureAiSystemsExist(trx, [{ id: parsed.aiSystemId, path: '/aiSystemId' }]);
    await ensureFindingRisksFitSystem(trx, after);
    await trx.updateTable('red_team_exercises').set(toExerciseRow(after, nextFindingNumber)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'red_team_exercise.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Removes an exercise that has no findings. Findings are the record of what the challenge showed, so they must be removed on purpose first. */
export async function deleteExercise(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'threats.write');
  await writeTransaction(ctx.database, async (trx) => {
    const { exercise: before } = await loadExerciseForChange(trx, id, options.expectedVersion);
    const counts = before.findingCounts;
    const findings = counts.open + counts.accepted + counts.remediated + counts.closed;
    if (findings > 0) {
      throw new AppError(
        'CONFLICT',
        `The exercise "${before.title}" has ${findings} finding${findings === 1 ? '' : 's'}; delete them first (GET /api/red-team-exercises/${id}/findings lists them), or keep the exercise as the record of the challenge`,
      );
    }
    await trx.deleteFrom('red_team_exercises').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'red_team_exercise.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/** Reads an exercise for a change, checking the version the caller read. Throws NOT_FOUND or PRECONDITION_FAILED. */
export async function loadExerciseForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<{ exercise: RedTeamExercise; nextFindingNumber: number }> {
  const row = await findExerciseRow(trx, id);
  const exercise = row ? await findExercise(trx, id) : undefined;
  if (!row || !exercise) throw notFound('red-team exercise', id);
  if (expectedVersion !== undefined && exercise.version !== expectedVersion) {
    throw versionMismatch('red-team exercise', id, expectedVersion, exercise.version);
  }
  return { exercise, nextFindingNumber: row.next_finding_number };
}

function checkDates(exercise: Pick<RedTeamExercise, 'startedOn' | 'endedOn'>): void {
  if (exercise.endedOn !== null && exercise.endedOn < exercise.startedOn) {
    throw validationFailed([{ path: '/endedOn', message: `must not be before startedOn ${exercise.startedOn} (received "${exercise.endedOn}")` }]);
  }
}

/**
 * Keeps the findings' risk links consistent when an exercise moves to another AI system: every
 * linked risk must concern the new system or the whole organization.
 */
async function ensureFindingRisksFitSystem(trx: Db, exercise: RedTeamExercise): Promise<void> {
  if (exercise.aiSystemId === null) return;
  const mismatched = await trx
    .selectFrom('red_team_finding_risks as l')
    .innerJoin('red_team_findings as f', 'f.id', 'l.finding_id')
    .innerJoin('risks as r', 'r.id', 'l.risk_id')
    .select(['f.number', 'r.id', 'r.title', 'r.ai_system_id'])
    .where('f.exercise_id', '=', exercise.id)
    .where('r.ai_system_id', 'is not', null)
    .where('r.ai_system_id', '<>', exercise.aiSystemId)
    .orderBy('f.number')
    .execute();
  if (mismatched.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Findings of the exercise "${exercise.title}" link risks of another AI system; unlink them before moving the exercise to AI system ${exercise.aiSystemId}`,
      mismatched.map((row) => ({ path: '/aiSystemId', message: `finding ${row.number} links the risk "${row.title}" (${row.id}) of AI system ${row.ai_system_id}` })),
    );
  }
}
