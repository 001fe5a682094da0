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
import { parseWith } from '../platform/validation.js';
import { ensurePeopleExist } from '../people/references.js';
import { findControlProblems, problemsOf, throwIfAny } from './risk-checks.js';
import { CreateTreatment, UpdateTreatment, type Risk, type Treatment } from './risk.schemas.js';
import { findRisk, loadRiskForChange } from './risks.service.js';
import { toRiskRow } from './risks.repository.js';
import { findTreatment, findTreatments, replaceControlRefs, toTreatmentRow } from './treatments.repository.js';

/**
 * Use cases of risk treatments (clauses 6.1.3 and 8.3): the option chosen, the controls that
 * carry it out, an owner, a due date and a success metric. Linked controls show the risk in the
 * Statement of Applicability. Planning the first treatment of an assessed risk moves the risk to
 * treatment_planned.
 */

export async function listTreatments(ctx: ServiceContext, caller: Caller, riskId: string): Promise<Treatment[]> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  if (!(await findRisk(db, riskId))) throw notFound('risk', riskId);
  return findTreatments(db, [riskId]);
}

export async function getTreatment(ctx: ServiceContext, caller: Caller, riskId: string, treatmentId: string): Promise<Treatment> {
  authorize(caller, 'register.read');
  const treatment = await findTreatment(ctx.database.db, riskId, treatmentId);
  if (!treatment) throw notFound('treatment', treatmentId);
  return treatment;
}

async function findTreatmentProblems(db: Db, fields: { ownerPersonId?: string; controlRefs?: readonly string[] }): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  if (fields.ownerPersonId !== undefined) {
    const id = fields.ownerPersonId;
    problems.push(...(await problemsOf(() => ensurePeopleExist(db, [{ id, path: '/ownerPersonId' }]))));
  }
  if (fields.controlRefs !== undefined) problems.push(...(await findControlProblems(db, fields.controlRefs)));
  return problems;
}

export async function createTreatment(ctx: ServiceContext, caller: Caller, riskId: string, input: CreateTreatment, reason?: string | null): Promise<Treatment> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(CreateTreatment, input);
  return writeTransaction(ctx.database, (trx) => insertTreatment(trx, caller, ctx.clock.now(), riskId, parsed, reason ?? null));
}

/** Inserts a treatment inside the caller's write transaction, with its audit event. */
export async function insertTreatment(trx: Db, caller: Caller, now: Date, riskId: string, input: CreateTreatment, reason: string | null): Promise<Treatment> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(CreateTreatment, input);
  const risk = await loadRiskForChange(trx, riskId, undefined);
  if (risk.status === 'closed') throw new AppError('CONFLICT', `Risk "${risk.title}" is closed; reopen it by setting another status before planning a treatment`);
  const controlRefs = parsed.controlRefs ?? [];
  throwIfAny(await findTreatmentProblems(trx, { ownerPersonId: parsed.ownerPersonId, controlRefs }));

  const timestamp = toTimestamp(now);
  const status = parsed.status ?? 'planned';
  const treatment: Treatment = {
    id: newId(),
    riskId,
    option: parsed.option,
    description: parsed.description.trim(),
    controlRefs,
    ownerPersonId: parsed.ownerPersonId,
    dueDate: parsed.dueDate,
    successMetric: parsed.successMetric.trim(),
    status,
    completedAt: status === 'completed' ? timestamp : null,
    createdBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await trx.insertInto('risk_treatments').values(toTreatmentRow(treatment)).execute();
  await replaceControlRefs(trx, treatment.id, controlRefs);
  const stored = (await findTreatment(trx, riskId, treatment.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'risk_treatment.created', recordId: stored.id, after: stored, reason });
  if (risk.status === 'assessed') await moveRiskStatus(trx, caller, now, risk, 'treatment_planned', reason);
  return stored;
}

export async function updateTreatment(
  ctx: ServiceContext,
  caller: Caller,
  riskId: string,
  treatmentId: string,
  patch: UpdateTreatment,
  options: ChangeOptions = {},
): Promise<Treatment> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(UpdateTreatment, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadTreatmentForChange(trx, riskId, treatmentId, options.expectedVersion);
    throwIfAny(await findTreatmentProblems(trx, { ownerPersonId: parsed.ownerPersonId, controlRefs: parsed.controlRefs }));

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const status = parsed.status ?? before.status;
    const after: Treatment = {
      ...before,
      option: parsed.option ?? before.option,
      description: parsed.description?.trim() ?? before.description,
      controlRefs: parsed.controlRefs ?? before.controlRefs,
      ownerPersonId: parsed.ownerPersonId ?? before.ownerPersonId,
      dueDate: parsed.dueDate ?? before.dueDate,
      successMetric: parsed.successMetric?.trim() ?? before.successMetric,
      status,
      completedAt: status === 'completed' ? (before.completedAt ?? timestamp) : null,
      version: before.version + 1,
      updatedAt: timestamp,
    };
    await trx.updateTable('risk_treatments').set(toTreatmentRow(after)).where('id', '=', treatmentId).where('version', '=', before.version).execute();
    if (parsed.controlRefs) await replaceControlRefs(trx, treatmentId, parsed.controlRefs);
    const stored = (await findTreatment(trx, riskId, treatmentId))!;
    await appendAuditEvent(trx, caller, now, { action: 'risk_treatment.updated', recordId: treatmentId, before, after: stored, reason: options.reason ?? null });
    return stored;
  });
}

export async function deleteTreatment(ctx: ServiceContext, caller: Caller, riskId: string, treatmentId: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'risks.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadTreatmentForChange(trx, riskId, treatmentId, options.expectedVersion);
    await trx.deleteFrom('risk_treatment_controls').where('treatment_id', '=', treatmentId).execute();
    await trx.deleteFrom('risk_treatments').where('id', '=', treatmentId).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'risk_treatment.deleted', recordId: treatmentId, before, reason: options.reason ?? null });
  });
}

async function moveRiskStatus(trx: Db, caller: Caller, now: Date, before: Risk, status: Risk['status'], reason: string | null): Promise<void> {
  const after: Risk = { ...before, status, version: before.version + 1, updatedAt: toTimestamp(now) };
  await trx.updateTable('risks').set(toRiskRow(after)).where('id', '=', before.id).where('version', '=', before.version).execute();
  await appendAuditEvent(trx, caller, now, { action: 'risk.updated', recordId: before.id, before, after, reason });
}

async function loadTreatmentForChange(trx: Db, riskId: string, treatmentId: string, expectedVersion: number | undefined): Promise<Treatment> {
  const treatment = await findTreatment(trx, riskId, treatmentId);
  if (!treatment) throw notFound('treatment', treatmentId);
  if (expectedVersion !== undefined && treatment.version !== expectedVersion) throw versionMismatch('treatment', treatmentId, expectedVersion, treatment.version);
  return treatment;
}
