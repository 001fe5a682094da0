import { iso42001FrameworkId } from '../catalogue/catalogue.js';
import type { Db } from '../platform/database/connection.js';
import type { RiskTreatmentTable } from '../platform/database/schema.js';
import { loadMatrices } from './matrices.repository.js';
import type { TreatmentOption, TreatmentStatus } from './risk.js';
import type { Treatment } from './risk.schemas.js';

/** Reads and writes risk_treatments and their control links, and turns rows into the API's shape. */

export function toTreatment(row: RiskTreatmentTable, controlRefs: readonly string[]): Treatment {
  return {
    id: row.id,
    riskId: row.risk_id,
    option: row.option as TreatmentOption,
    description: row.description,
    controlRefs: [...controlRefs],
    ownerPersonId: row.owner_person_id,
    dueDate: row.due_date,
    successMetric: row.success_metric,
    status: row.status as TreatmentStatus,
    completedAt: row.completed_at,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toTreatmentRow(treatment: Treatment): RiskTreatmentTable {
  return {
    id: treatment.id,
    risk_id: treatment.riskId,
    option: treatment.option,
    description: treatment.description,
    owner_person_id: treatment.ownerPersonId,
    due_date: treatment.dueDate,
    success_metric: treatment.successMetric,
    status: treatment.status,
    completed_at: treatment.completedAt,
    created_by: treatment.createdBy,
    version: treatment.version,
    created_at: treatment.createdAt,
    updated_at: treatment.updatedAt,
  };
}

/** Control refs linked to each treatment: Annex A first, then the organization's own, each in catalogue order. */
async function findControlRefs(db: Db, treatmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const byTreatment = new Map<string, string[]>();
  if (treatmentIds.length === 0) return byTreatment;
  const rows = await db
    .selectFrom('risk_treatment_controls as t')
    .innerJoin('catalogue_items as c', 'c.ref', 't.catalogue_ref')
    .select(['t.treatment_id', 't.catalogue_ref', 'c.framework_id', 'c.position'])
    .where('t.treatment_id', 'in', [...new Set(treatmentIds)])
    .execute();
  const frameworkRank = (frameworkId: string) => (frameworkId === iso42001FrameworkId ? 0 : 1);
  rows.sort((a, b) => frameworkRank(a.framework_id) - frameworkRank(b.framework_id) || a.framework_id.localeCompare(b.framework_id) || a.position - b.position);
  for (const row of rows) {
    const refs = byTreatment.get(row.treatment_id) ?? [];
    refs.push(row.catalogue_ref);
    byTreatment.set(row.treatment_id, refs);
  }
  return byTreatment;
}

export async function findTreatments(db: Db, riskIds: readonly string[]): Promise<Treatment[]> {
  if (riskIds.length === 0) return [];
  const rows = await db.selectFrom('risk_treatments').selectAll().where('risk_id', 'in', [...new Set(riskIds)]).orderBy('created_at').orderBy('id').execute();
  const refs = await findControlRefs(db, rows.map((row) => row.id));
  return rows.map((row) => toTreatment(row, refs.get(row.id) ?? []));
}

export async function findTreatment(db: Db, riskId: string, treatmentId: string): Promise<Treatment | undefined> {
  const row = await db.selectFrom('risk_treatments').selectAll().where('id', '=', treatmentId).where('risk_id', '=', riskId).executeTakeFirst();
  if (!row) return undefined;
  const refs = await findControlRefs(db, [row.id]);
  return toTreatment(row, refs.get(row.id) ?? []);
}

export async function replaceControlRefs(trx: Db, treatmentId: string, refs: readonly string[]): Promise<void> {
  await trx.deleteFrom('risk_treatment_controls').where('treatment_id', '=', treatmentId).execute();
  if (refs.length === 0) return;
  await trx
    .insertInto('risk_treatment_controls')
    .values(refs.map((ref) => ({ treatment_id: treatmentId, catalogue_ref: ref })))
    .execute();
}

/** A risk as the Statement of Applicability lists it beside a control. */
export interface LinkedRisk {
  id: string;
  title: string;
  /** Label of the residual band, such as High; null until the residual risk is rated. */
  residualLevel: string | null;
}

/**
 * Finds the risks whose treatments link to each control, for the Statement of Applicability.
 * Cancelled treatments do not count. Each control lists a risk once, ordered by title.
 */
export async function findRisksByControl(db: Db, controlRefs: readonly string[]): Promise<Map<string, LinkedRisk[]>> {
  const byControl = new Map<string, LinkedRisk[]>();
  if (controlRefs.length === 0) return byControl;
  const rows = await db
    .selectFrom('risk_treatment_controls as tc')
    .innerJoin('risk_treatments as t', 't.id', 'tc.treatment_id')
    .innerJoin('risks as r', 'r.id', 't.risk_id')
    .select(['tc.catalogue_ref', 'r.id', 'r.title', 'r.residual_band', 'r.residual_matrix_id'])
    .where('tc.catalogue_ref', 'in', [...new Set(controlRefs)])
    .where('t.status', '<>', 'cancelled')
    .orderBy('r.title')
    .orderBy('r.id')
    .execute();
  if (rows.length === 0) return byControl;
  const matrices = await loadMatrices(db);
  for (const row of rows) {
    const risks = byControl.get(row.catalogue_ref) ?? [];
    if (risks.some((risk) => risk.id === row.id)) continue;
    const band = row.residual_matrix_id ? matrices.get(row.residual_matrix_id)?.bands.find((candidate) => candidate.key === row.residual_band) : undefined;
    risks.push({ id: row.id, title: row.title, residualLevel: row.residual_band === null ? null : (band?.label ?? row.residual_band) });
    byControl.set(row.catalogue_ref, risks);
  }
  return byControl;
}
