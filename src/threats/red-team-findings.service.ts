import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { ensureEvidenceExists, ensureRisksFor } from './risk-references.js';
import { findStatusProblems } from './red-team.js';
import { loadExerciseForChange } from './red-team-exercises.service.js';
import { CreateRedTeamFinding, RedTeamFindingListQuery, UpdateRedTeamFinding, type RedTeamExercise, type RedTeamFinding } from './red-team.schemas.js';
import { findExercise, findFinding, queryFindings, replaceFindingLinks, toFindingRow } from './red-team.repository.js';
import { requireThreatItems } from './threat-library.repository.js';

/**
 * Use cases of the findings of red-team exercises and independent reviews. A finding has a
 * severity and a status that moves open → accepted or remediated → closed, and links to the
 * threats it concerns, the risks it tested or raised and the evidence behind it.
 */

export async function listFindings(ctx: ServiceContext, caller: Caller, query: RedTeamFindingListQuery): Promise<PageOf<RedTeamFinding>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RedTeamFindingListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryFindings(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

/** Lists the findings of one exercise. An unknown exercise is NOT_FOUND rather than an empty page. */
export async function listExerciseFindings(ctx: ServiceContext, caller: Caller, exerciseId: string, query: RedTeamFindingListQuery): Promise<PageOf<RedTeamFinding>> {
  authorize(caller, 'register.read');
  if (!(await findExercise(ctx.database.db, exerciseId))) throw notFound('red-team exercise', exerciseId);
  return listFindings(ctx, caller, { ...query, exerciseId });
}

export async function getFinding(ctx: ServiceContext, caller: Caller, id: string): Promise<RedTeamFinding> {
  authorize(caller, 'register.read');
  const finding = await findFinding(ctx.database.db, id);
  if (!finding) throw notFound('red-team finding', id);
  return finding;
}

export async function createFinding(
  ctx: ServiceContext,
  caller: Caller,
  exerciseId: string,
  input: CreateRedTeamFinding,
  reason?: string | null,
): Promise<RedTeamFinding> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(CreateRedTeamFinding, input);
  return writeTransaction(ctx.database, async (trx) => {
    const { exercise, nextFindingNumber } = await loadExerciseForChange(trx, exerciseId, undefined);
    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const finding: RedTeamFinding = {
      id: newId(),
      exerciseId,
      aiSystemId: exercise.aiSystemId,
      number: nextFindingNumber,
      title: parsed.title.trim(),
      description: parsed.description ?? '',
      severity: parsed.severity,
      status: parsed.status ?? 'open',
      resolution: parsed.resolution?.trim() ?? '',
      threatRefs: parsed.threatRefs ?? [],
      testedRiskIds: parsed.testedRiskIds ?? [],
      raisedRiskIds: parsed.raisedRiskIds ?? [],
      evidenceIds: parsed.evidenceIds ?? [],
      createdBy: caller.userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const statusProblems = findStatusProblems('open', finding.status, finding.resolution);
    if (statusProblems.length > 0) throw validationFailed(statusProblems);
    await checkLinks(trx, exercise, finding, { threatRefs: true, risks: true, evidenceIds: true });

    await trx.insertInto('red_team_findings').values(toFindingRow(finding)).execute();
    await replaceFindingLinks(trx, finding.id, finding);
    // Numbers are never reused, so "finding 3" keeps meaning the same finding after deletions.
    await trx.updateTable('red_team_exercises').set({ next_finding_number: nextFindingNumber + 1 }).where('id', '=', exerciseId).execute();

    const stored = (await findFinding(trx, finding.id))!;
    await appendAuditEvent(trx, caller, now, { action: 'red_team_finding.created', recordId: stored.id, after: stored, reason: reason ?? null });
    return stored;
  });
}

export async function updateFinding(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateRedTeamFinding, options: ChangeOptions = {}): Promise<RedTeamFinding> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(UpdateRedTeamFinding, patch);
  return writeTransaction(ctx.database, (trx) => changeFinding(trx, caller, ctx.clock.now(), id, parsed, options));
}

/** Applies a checked change to a finding inside the caller's transaction, with its audit event. */
export async function changeFinding(trx: Db, caller: Caller, now: Date, id: string, patch: UpdateRedTeamFinding, options: ChangeOptions = {}): Promise<RedTeamFinding> {
  const before = await loadFindingForChange(trx, id, options.expectedVersion);
  const exercise = (await findExercise(trx, before.exerciseId))!;
  const after: RedTeamFinding = {
    ...before,
    ...patch,
    title: patch.title?.trim() ?? before.title,
    resolution: patch.resolution?.trim() ?? before.resolution,
    version: before.version + 1,
    updatedAt: toTimestamp(now),
  };
  const statusProblems = findStatusProblems(before.status, after.status, after.resolution);
  if (statusProblems.length > 0) throw validationFailed(statusProblems);
  const risksChanged = patch.testedRiskIds !== undefined || patch.raisedRiskIds !== undefined;
  await checkLinks(trx, exercise, after, { threatRefs: patch.threatRefs !== undefined, risks: risksChanged, evidenceIds: patch.evidenceIds !== undefined });

  await trx.updateTable('red_team_findings').set(toFindingRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
  // Both risk lists are written together, so a risk can move from one list to the other in one change.
  await replaceFindingLinks(trx, id, {
    threatRefs: patch.threatRefs,
    testedRiskIds: risksChanged ? after.testedRiskIds : undefined,
    raisedRiskIds: risksChanged ? after.raisedRiskIds : undefined,
    evidenceIds: patch.evidenceIds,
  });
  const stored = (await findFinding(trx, id))!;
  await appendAuditEvent(trx, caller, now, { action: 'red_team_finding.updated', recordId: id, before, after: stored, reason: options.reason ?? null });
  return stored;
}

export async function deleteFinding(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'threats.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadFindingForChange(trx, id, options.expectedVersion);
    await replaceFindingLinks(trx, id, { threatRefs: [], testedRiskIds: [], raisedRiskIds: [], evidenceIds: [] });
    await trx.deleteFrom('red_team_findings').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'red_team_finding.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

async function loadFindingForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<RedTeamFinding> {
  const finding = await findFinding(trx, id);
  if (!finding) throw notFound('red-team finding', id);
  if (expectedVersion !== undefined && finding.version !== expectedVersion) {
    throw versionMismatch('red-team finding', id, expectedVersion, finding.version);
  }
  return finding;
}

/** Checks the links a finding is written with. Only the kinds of link named in `changed` are checked. */
async function checkLinks(
  trx: Db,
  exercise: RedTeamExercise,
  finding: RedTeamFinding,
  changed: { threatRefs: boolean; risks: boolean; evidenceIds: boolean },
): Promise<void> {
  if (changed.threatRefs) {
    await requireThreatItems(
      trx,
      finding.threatRefs.map((ref, index) => ({ ref, path: `/threatRefs/${index}` })),
    );
  }
  if (changed.risks) {
    const tested = new Set(finding.testedRiskIds);
    const overlap: ErrorDetail[] = finding.raisedRiskIds.flatMap((riskId, index) =>
      tested.has(riskId) ? [{ path: `/raisedRiskIds/${index}`, message: `"${riskId}" is also in testedRiskIds; a finding either tests a risk or raises it` }] : [],
    );
    if (overlap.length > 0) throw validationFailed(overlap);
    await ensureRisksFor(
      trx,
      [
        ...finding.testedRiskIds.map((riskId, index) => ({ id: riskId, path: `/testedRiskIds/${index}` })),
        ...finding.raisedRiskIds.map((riskId, index) => ({ id: riskId, path: `/raisedRiskIds/${index}` })),
      ],
      exercise.aiSystemId,
    );
  }
  if (changed.evidenceIds) {
    await ensureEvidenceExists(
      trx,
      finding.evidenceIds.map((evidenceId, index) => ({ id: evidenceId, path: `/evidenceIds/${index}` })),
    );
  }
}
