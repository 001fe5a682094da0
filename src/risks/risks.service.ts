import { utcDate } from '../evidence/evidence.js';
import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { evaluateAppetite, reconcileEscalation } from './appetite-evaluation.js';
import { findActiveMatrix, type StoredMatrix } from './matrices.repository.js';
import { findRatingInputProblems, findReferenceProblems, rateOnMatrix, throwIfAny } from './risk-checks.js';
import { findStatusProblem, type RiskStatus } from './risk.js';
import { CreateRisk, RiskListQuery, UpdateRisk, type RatingInput, type Risk, type RiskRating } from './risk.schemas.js';
import { findRiskRow, loadRiskLookups, queryRiskRows, toRisk, toRiskRow } from './risks.repository.js';

/**
 * Use cases of the risk register's risks: list, read, add and change them, with their inherent
 * and residual ratings on the active matrix. Every change judges the risk against its
 * category's appetite and opens or resolves its escalation in the same transaction.
 */

export async function listRisks(ctx: ServiceContext, caller: Caller, query: RiskListQuery): Promise<PageOf<Risk>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RiskListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;
  const { rows, total } = await queryRiskRows(db, parsed, utcDate(ctx.clock.now()), limit, offset);
  const lookups = await loadRiskLookups(db);
  return { items: rows.map((row) => toRisk(row, lookups)), total, limit, offset };
}

export async function getRisk(ctx: ServiceContext, caller: Caller, id: string): Promise<Risk> {
  authorize(caller, 'register.read');
  const risk = await findRisk(ctx.database.db, id);
  if (!risk) throw notFound('risk', id);
  return risk;
}

export async function findRisk(db: Db, id: string): Promise<Risk | undefined> {
  const row = await findRiskRow(db, id);
  if (!row) return undefined;
  return toRisk(row, await loadRiskLookups(db));
}

export async function createRisk(ctx: ServiceContext, caller: Caller, input: CreateRisk, reason?: string | null): Promise<Risk> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(CreateRisk, input);
  return writeTransaction(ctx.database, (trx) => insertRisk(trx, caller, ctx.clock.now(), parsed, { reason: reason ?? null }));
}

/**
 * Checks a new risk and returns the problems, each at its path under `prefix`. The import calls
 * it for every row before writing any.
 */
export async function findNewRiskProblems(db: Db, input: CreateRisk, matrix: StoredMatrix, prefix = ''): Promise<ErrorDetail[]> {
  const problems = await findReferenceProblems(
    db,
    { ownerPersonId: input.ownerPersonId, aiSystemId: input.aiSystemId ?? null, riskSourceRef: input.riskSourceRef, objectiveRef: input.objectiveRef, category: input.category },
    prefix,
  );
  problems.push(...findRatingInputProblems(matrix, input.inherent, input.residual, prefix));
  if (input.residual && !input.inherent) problems.push({ path: `${prefix}/residual`, message: 'a residual rating needs an inherent rating; rate the risk before treatment too' });
  if (input.status) {
    const problem = findStatusProblem(input.status, Boolean(input.inherent), Boolean(input.residual));
    if (problem) problems.push({ path: `${prefix}/status`, message: problem });
  }
  return problems;
}

/**
 * Inserts a risk inside the caller's write transaction, with its audit event and, when it is
 * beyond appetite, its escalation. `id` keeps a given id, as the import does for ids from a file.
 */
export async function insertRisk(trx: Db, caller: Caller, now: Date, input: CreateRisk, options: { id?: string; reason: string | null }): Promise<Risk> {
  authorize(caller, 'risks.write');
  const matrix = await findActiveMatrix(trx);
  throwIfAny(await findNewRiskProblems(trx, input, matrix));

  const timestamp = toTimestamp(now);
  const inherent = input.inherent ? rateOnMatrix(matrix, input.inherent) : null;
  const residual = input.residual ? rateOnMatrix(matrix, input.residual) : null;
  const draft: Risk = {
    id: options.id ?? newId(),
    title: input.title.trim(),
    description: input.description ?? '',
    scope: input.aiSystemId ? 'ai_system' : 'organization',
    aiSystemId: input.aiSystemId ?? null,
    riskSourceRef: input.riskSourceRef,
    threat: blankToNull(input.threat),
    objectiveRef: input.objectiveRef,
    category: input.category,
    ermCategory: null,
    ownerPersonId: input.ownerPersonId,
    inherent,
    residual,
    status: input.status ?? (inherent ? 'assessed' : 'identified'),
    beyondAppetite: false,
    createdBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  draft.beyondAppetite = await evaluateAppetite(trx, draft);
  await trx.insertInto('risks').values(toRiskRow(draft)).execute();

  const stored = (await findRisk(trx, draft.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'risk.created', recordId: stored.id, after: stored, reason: options.reason });
  await reconcileEscalation(trx, caller, now, null, stored, options.reason);
  return stored;
}

export async function updateRisk(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateRisk, options: ChangeOptions = {}): Promise<Risk> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(UpdateRisk, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadRiskForChange(trx, id, options.expectedVersion);
    return applyRiskChange(trx, caller, ctx.clock.now(), before, parsed, options.reason ?? null);
  });
}

/**
 * Checks a change to a stored risk and returns the problems, each at its path under `prefix`.
 * Only the fields present in the patch are checked against other records.
 */
export async function findRiskChangeProblems(db: Db, before: Risk, patch: UpdateRisk, matrix: StoredMatrix, prefix = ''): Promise<ErrorDetail[]> {
  const problems = await findReferenceProblems(
    db,
    { ownerPersonId: patch.ownerPersonId, aiSystemId: patch.aiSystemId, riskSourceRef: patch.riskSourceRef, objectiveRef: patch.objectiveRef, category: patch.category },
    prefix,
  );
  problems.push(...findRatingInputProblems(matrix, patch.inherent, patch.residual, prefix));
  const hasInherent = patch.inherent === undefined ? before.inherent !== null : patch.inherent !== null;
  const hasResidual = patch.residual === undefined ? before.residual !== null : patch.residual !== null;
  if (hasResidual && !hasInherent) problems.push({ path: `${prefix}/inherent`, message: 'the inherent rating cannot be removed while the risk has a residual rating; remove both or keep the inherent one' });
  if (patch.status) {
    const problem = findStatusProblem(patch.status, hasInherent, hasResidual);
    if (problem) problems.push({ path: `${prefix}/status`, message: problem });
  }
  return problems;
}

/** Applies a checked patch to a stored risk inside the caller's transaction, with its audit events. */
export async function applyRiskChange(trx: Db, caller: Caller, now: Date, before: Risk, patch: UpdateRisk, reason: string | null): Promise<Risk> {
  const matrix = await findActiveMatrix(trx);
  throwIfAny(await findRiskChangeProblems(trx, before, patch, matrix));

  const inherent = nextRating(before.inherent, patch.inherent, matrix);
  const residual = nextRating(before.residual, patch.residual, matrix);
  const after: Risk = {
    ...before,
    title: patch.title?.trim() ?? before.title,
    description: patch.description ?? before.description,
    aiSystemId: patch.aiSystemId === undefined ? before.aiSystemId : patch.aiSystemId,
    riskSourceRef: patch.riskSourceRef ?? before.riskSourceRef,
    threat: patch.threat === undefined ? before.threat : blankToNull(patch.threat),
    objectiveRef: patch.objectiveRef ?? before.objectiveRef,
    category: patch.category ?? before.category,
    ownerPersonId: patch.ownerPersonId ?? before.ownerPersonId,
    inherent,
    residual,
    version: before.version + 1,
    updatedAt: toTimestamp(now),
  };
  after.scope = after.aiSystemId ? 'ai_system' : 'organization';
  after.status = patch.status ?? (await derivedStatus(trx, before, after));
  after.beyondAppetite = await evaluateAppetite(trx, after);
  // Closing is no way around an acceptance: a risk beyond appetite must be treated down or accepted.
  if (after.status === 'closed' && before.status !== 'closed' && after.beyondAppetite) {
    throw new AppError(
      'CONFLICT',
      `Risk "${after.title}" is beyond the appetite of its category ${after.category}, so it cannot be closed; lower its residual rating through treatment, or have it accepted by a role with authority for its band`,
      [{ path: '/status', message: 'cannot be closed while the risk is beyond appetite' }],
    );
  }

  await trx.updateTable('risks').set(toRiskRow(after)).where('id', '=', before.id).where('version', '=', before.version).execute();
  const stored = (await findRisk(trx, before.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'risk.updated', recordId: stored.id, before, after: stored, reason });
  await reconcileEscalation(trx, caller, now, before, stored, reason);
  return stored;
}

/** Keeps a rating, removes it (null) or rates new levels on the active matrix. */
function nextRating(current: RiskRating | null, requested: RatingInput | null | undefined, matrix: StoredMatrix): RiskRating | null {
  if (requested === undefined) return current;
  if (requested === null) return null;
  return rateOnMatrix(matrix, requested);
}

/**
 * Moves the status along when a change to the ratings makes the old one wrong and the caller set
 * none: a first inherent rating makes an identified risk assessed, removing it makes the risk
 * identified again, and a new residual rating withdraws an acceptance of the old one.
 */
async function derivedStatus(trx: Db, before: Risk, after: Risk): Promise<RiskStatus> {
  const status = before.status;
  if (status === 'closed') return status;
  if (!after.inherent) return 'identified';
  if (status === 'identified') return 'assessed';
  const residualChanged = !sameRating(before.residual, after.residual);
  if ((status === 'accepted' && residualChanged) || (status === 'treated' && !after.residual)) {
    const treatment = await trx.selectFrom('risk_treatments').select('id').where('risk_id', '=', after.id).where('status', '<>', 'cancelled').executeTakeFirst();
    return treatment ? 'treatment_planned' : 'assessed';
  }
  return status;
}

function sameRating(a: RiskRating | null, b: RiskRating | null): boolean {
  if (a === null || b === null) return a === b;
  return a.likelihood === b.likelihood && a.impact === b.impact && a.matrixId === b.matrixId;
}

export async function loadRiskForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Risk> {
  const risk = await findRisk(trx, id);
  if (!risk) throw notFound('risk', id);
  if (expectedVersion !== undefined && risk.version !== expectedVersion) throw versionMismatch('risk', id, expectedVersion, risk.version);
  return risk;
}

function blankToNull(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const trimmed = text.trim();
  return trimmed.length === 0 ? null : trimmed;
}
