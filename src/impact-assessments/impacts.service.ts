import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ImpactAssessmentTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseWith } from '../platform/validation.js';
import { CreateImpact, UpdateImpact, type Impact } from './impact-assessment.schemas.js';
import { findAssessmentRow, findImpactRow, nextImpactPosition, toImpact, toImpactRow } from './impact-assessments.repository.js';
import { loadDraftForChange, touchedBy, type ChangeOptions } from './impact-assessments.service.js';

/**
 * Use cases of the impacts of an assessment (ISO/IEC 42005 clause 6.8): each benefit or harm for
 * an individual, a group or society, with its severity, likelihood, reversibility, measures and
 * residual rating. Impacts change only while their assessment is a draft, and the user who
 * changes one joins the draft's editors.
 */

export async function getImpact(ctx: ServiceContext, caller: Caller, assessmentId: string, impactId: string): Promise<Impact> {
  authorize(caller, 'register.read');
  if (!(await findAssessmentRow(ctx.database.db, assessmentId))) throw notFound('impact assessment', assessmentId);
  const row = await findImpactRow(ctx.database.db, assessmentId, impactId);
  if (!row) throw impactNotFound(assessmentId, impactId);
  return toImpact(row);
}

export async function createImpact(ctx: ServiceContext, caller: Caller, assessmentId: string, input: CreateImpact, reason?: string | null): Promise<Impact> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(CreateImpact, input);
  return writeTransaction(ctx.database, (trx) => insertImpact(trx, caller, ctx.clock.now(), assessmentId, parsed, reason ?? null));
}

/** Adds an impact to a draft inside the caller's write transaction, with its audit event. */
export async function insertImpact(trx: Db, caller: Caller, now: Date, assessmentId: string, input: CreateImpact, reason: string | null = null): Promise<Impact> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(CreateImpact, input);
  const assessment = await loadDraftForChange(trx, assessmentId, undefined, 'given new impacts');
  const timestamp = toTimestamp(now);
  const impact: Impact = {
    id: newId(),
    assessmentId,
    position: await nextImpactPosition(trx, assessmentId),
    affectedParty: parsed.affectedParty.trim(),
    affectedScope: parsed.affectedScope,
    description: parsed.description,
    nature: parsed.nature,
    occurrence: parsed.occurrence,
    origin: parsed.origin,
    severity: parsed.severity,
    likelihood: parsed.likelihood,
    reversibility: parsed.reversibility ?? null,
    measures: parsed.measures ?? '',
    residualSeverity: parsed.residualSeverity ?? null,
    residualLikelihood: parsed.residualLikelihood ?? null,
    createdBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  checkImpact(impact);
  await trx.insertInto('impact_assessment_impacts').values(toImpactRow(impact)).execute();
  await touchDraft(trx, assessment, caller, now);
  await appendAuditEvent(trx, caller, now, { action: 'impact_assessment_impact.created', recordId: impact.id, after: impact, reason });
  return impact;
}

export async function updateImpact(
  ctx: ServiceContext,
  caller: Caller,
  assessmentId: string,
  impactId: string,
  patch: UpdateImpact,
  options: ChangeOptions = {},
): Promise<Impact> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(UpdateImpact, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const assessment = await loadDraftForChange(trx, assessmentId, undefined, 'changed');
    const before = await loadImpactForChange(trx, assessmentId, impactId, options.expectedVersion);
    const now = ctx.clock.now();
    const after: Impact = {
      ...before,
      ...parsed,
      affectedParty: parsed.affectedParty?.trim() ?? before.affectedParty,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    checkImpact(after);
    await trx.updateTable('impact_assessment_impacts').set(toImpactRow(after)).where('id', '=', impactId).where('version', '=', before.version).execute();
    await touchDraft(trx, assessment, caller, now);
    await appendAuditEvent(trx, caller, now, { action: 'impact_assessment_impact.updated', recordId: impactId, before, after, reason: options.reason ?? null });
    return after;
  });
}

export async function deleteImpact(ctx: ServiceContext, caller: Caller, assessmentId: string, impactId: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'impact_assessments.write');
  await writeTransaction(ctx.database, async (trx) => {
    const assessment = await loadDraftForChange(trx, assessmentId, undefined, 'changed');
    const before = await loadImpactForChange(trx, assessmentId, impactId, options.expectedVersion);
    const now = ctx.clock.now();
    await trx.deleteFrom('impact_assessment_impacts').where('id', '=', impactId).execute();
    await touchDraft(trx, assessment, caller, now);
    await appendAuditEvent(trx, caller, now, { action: 'impact_assessment_impact.deleted', recordId: impactId, before, reason: options.reason ?? null });
  });
}

async function loadImpactForChange(trx: Db, assessmentId: string, impactId: string, expectedVersion: number | undefined): Promise<Impact> {
  const row = await findImpactRow(trx, assessmentId, impactId);
  if (!row) throw impactNotFound(assessmentId, impactId);
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionMismatch('impact', impactId, expectedVersion, row.version);
  return toImpact(row);
}

async function touchDraft(trx: Db, assessment: ImpactAssessmentTable, caller: Caller, now: Date): Promise<void> {
  const after = touchedBy(assessment, caller, now);
  await trx.updateTable('impact_assessments').set(after).where('id', '=', assessment.id).where('version', '=', assessment.version).execute();
}

/** Checks the rules that span fields: a harm states how far it can be undone, and a residual rating comes whole. */
function checkImpact(impact: Impact): void {
  const problems: ErrorDetail[] = [];
  if (impact.nature === 'harm' && impact.reversibility === null) {
    problems.push({ path: '/reversibility', message: 'must be reversible, hard_to_reverse or irreversible for a harm' });
  }
  if ((impact.residualSeverity === null) !== (impact.residualLikelihood === null)) {
    problems.push({ path: impact.residualSeverity === null ? '/residualSeverity' : '/residualLikelihood', message: 'must be given together with the other residual rating, or both null' });
  }
  if (problems.length > 0) throw validationFailed(problems);
}

function impactNotFound(assessmentId: string, impactId: string): AppError {
  return new AppError('NOT_FOUND', `No impact with id "${impactId}" exists in impact assessment "${assessmentId}"; read the assessment to find its impacts`);
}
