import { sql } from 'kysely';
import {
  joinedClassificationColumns,
  toJoinedClassification,
  toLinkedClassification,
  type JoinedClassificationColumns,
} from '../classification/classification.repository.js';
import type { LinkedClassification } from '../classification/classification.schemas.js';
import type { Db } from '../platform/database/connection.js';
import type { ImpactAssessmentImpactTable, ImpactAssessmentTable } from '../platform/database/schema.js';
import { parseSort } from '../platform/listing.js';
import type { Answers } from './canada-aia/conditions.js';
import type {
  AffectedScope,
  ImpactAssessmentStatus,
  ImpactLikelihood,
  ImpactNature,
  ImpactOccurrence,
  ImpactOrigin,
  ImpactReversibility,
  ImpactSeverity,
} from './impact-assessment.js';
import type {
  Impact,
  ImpactAssessment,
  ImpactAssessmentListQuery,
  ImpactAssessmentSortKey,
  ImpactAssessmentSummary,
  UpdateImpactAssessment,
} from './impact-assessment.schemas.js';

/** Reads and writes impact assessments, their impacts and risk links, and turns rows into the API's shape. */

/** The text fields of an assessment and the columns that store them. */
export const textColumns = {
  scope: 'scope',
  systemDescription: 'system_description',
  systemCapabilities: 'system_capabilities',
  purpose: 'purpose',
  intendedUses: 'intended_uses',
  unintendedUses: 'unintended_uses',
  dataDescription: 'data_description',
  dataQuality: 'data_quality',
  algorithmAndModel: 'algorithm_and_model',
  deploymentEnvironment: 'deployment_environment',
  measures: 'measures',
  deployerProcesses: 'deployer_processes',
  periodOfUse: 'period_of_use',
  frequencyOfUse: 'frequency_of_use',
  humanOversightMeasures: 'human_oversight_measures',
  riskMaterialisationMeasures: 'risk_materialisation_measures',
  internalGovernance: 'internal_governance',
  complaintMechanisms: 'complaint_mechanisms',
} as const satisfies Record<string, keyof ImpactAssessmentTable>;

export type TextField = keyof typeof textColumns;

const sortColumns: Record<ImpactAssessmentSortKey, keyof ImpactAssessmentTable> = {
  number: 'number',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function parseAiaAnswers(row: ImpactAssessmentTable): Answers {
  return row.aia_answers === null ? {} : (JSON.parse(row.aia_answers) as Answers);
}

function metadataOf(row: ImpactAssessmentTable, riskIds: readonly string[], classification: LinkedClassification | null) {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    number: Number(row.number),
    status: row.status as ImpactAssessmentStatus,
    title: row.title,
    fria: row.fria === 1,
    classificationId: row.classification_id,
    classification,
    basedOnId: row.based_on_id,
    riskIds: [...riskIds],
    authorId: row.author_id,
    editorIds: JSON.parse(row.editor_ids) as string[],
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    approvalComment: row.approval_comment,
    canadaAia:
      row.aia_answers === null || row.aia_template_sha256 === null || row.aia_answered_at === null
        ? null
        : { answeredQuestions: Object.keys(parseAiaAnswers(row)).length, answeredAt: row.aia_answered_at, templateSha256: row.aia_template_sha256 },
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toImpactAssessment(
  row: ImpactAssessmentTable,
  impacts: readonly ImpactAssessmentImpactTable[],
  riskIds: readonly string[],
  classification: LinkedClassification | null,
): ImpactAssessment {
  const texts = Object.fromEntries(Object.entries(textColumns).map(([field, column]) => [field, row[column]])) as Record<TextField, string>;
  return {
    ...metadataOf(row, riskIds, classification),
    ...texts,
    interestedParties: JSON.parse(row.interested_parties) as ImpactAssessment['interestedParties'],
    affectedCategories: JSON.parse(row.affected_categories) as string[],
    impacts: impacts.map(toImpact),
  };
}

function toSummary(row: ImpactAssessmentTable & JoinedClassificationColumns, riskIds: readonly string[], impactCount: number): ImpactAssessmentSummary {
  return { ...metadataOf(row, riskIds, toJoinedClassification(row)), impactCount };
}

/** Applies a validated patch to a row; fields the patch leaves out keep their stored value. */
export function patchAssessmentRow(row: ImpactAssessmentTable, patch: UpdateImpactAssessment): ImpactAssessmentTable {
  const after: ImpactAssessmentTable = { ...row };
  for (const [field, column] of Object.entries(textColumns) as [TextField, (typeof textColumns)[TextField]][]) {
    const value = patch[field];
    if (value !== undefined) after[column] = value;
  }
  if (patch.title !== undefined) after.title = patch.title.trim();
  if (patch.fria !== undefined) after.fria = patch.fria ? 1 : 0;
  if (patch.classificationId !== undefined) after.classification_id = patch.classificationId;
  if (patch.interestedParties !== undefined) {
    after.interested_parties = JSON.stringify(patch.interestedParties.map((party) => ({ name: party.name.trim(), interest: party.interest })));
  }
  if (patch.affectedCategories !== undefined) after.affected_categories = JSON.stringify(patch.affectedCategories.map((category) => category.trim()));
  return after;
}

export function toImpact(row: ImpactAssessmentImpactTable): Impact {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    position: Number(row.position),
    affectedParty: row.affected_party,
    affectedScope: row.affected_scope as AffectedScope,
    description: row.description,
    nature: row.nature as ImpactNature,
    occurrence: row.occurrence as ImpactOccurrence,
    origin: row.origin as ImpactOrigin,
    severity: row.severity as ImpactSeverity,
    likelihood: row.likelihood as ImpactLikelihood,
    reversibility: row.reversibility as ImpactReversibility | null,
    measures: row.measures,
    residualSeverity: row.residual_severity as ImpactSeverity | null,
    residualLikelihood: row.residual_likelihood as ImpactLikelihood | null,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toImpactRow(impact: Impact): ImpactAssessmentImpactTable {
  return {
    id: impact.id,
    assessment_id: impact.assessmentId,
    position: impact.position,
    affected_party: impact.affectedParty,
    affected_scope: impact.affectedScope,
    description: impact.description,
    nature: impact.nature,
    occurrence: impact.occurrence,
    origin: impact.origin,
    severity: impact.severity,
    likelihood: impact.likelihood,
    reversibility: impact.reversibility,
    measures: impact.measures,
    residual_severity: impact.residualSeverity,
    residual_likelihood: impact.residualLikelihood,
    created_by: impact.createdBy,
    version: impact.version,
    created_at: impact.createdAt,
    updated_at: impact.updatedAt,
  };
}

export async function findAssessmentRow(db: Db, id: string): Promise<ImpactAssessmentTable | undefined> {
  return db.selectFrom('impact_assessments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findImpactRows(db: Db, assessmentId: string): Promise<ImpactAssessmentImpactTable[]> {
  return db.selectFrom('impact_assessment_impacts').selectAll().where('assessment_id', '=', assessmentId).orderBy('position').orderBy('id').execute();
}

export async function findImpactRow(db: Db, assessmentId: string, impactId: string): Promise<ImpactAssessmentImpactTable | undefined> {
  return db.selectFrom('impact_assessment_impacts').selectAll().where('id', '=', impactId).where('assessment_id', '=', assessmentId).executeTakeFirst();
}

/** Risk ids linked to each assessment, sorted by id. */
export async function findRiskIds(db: Db, assessmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const links = new Map<string, string[]>();
  if (assessmentIds.length === 0) return links;
  const rows = await db
    .selectFrom('impact_assessment_risks')
    .select(['assessment_id', 'risk_id'])
    .where('assessment_id', 'in', [...new Set(assessmentIds)])
    .orderBy('risk_id')
    .execute();
  for (const row of rows) links.set(row.assessment_id, [...(links.get(row.assessment_id) ?? []), row.risk_id]);
  return links;
}

export async function findImpactAssessment(db: Db, id: string): Promise<ImpactAssessment | undefined> {
  const row = await findAssessmentRow(db, id);
  if (!row) return undefined;
  const [impacts, risks, classification] = await Promise.all([findImpactRows(db, id), findRiskIds(db, [id]), findLinkedClassification(db, row.classification_id)]);
  return toImpactAssessment(row, impacts, risks.get(id) ?? [], classification);
}

async function findLinkedClassification(db: Db, id: string | null): Promise<LinkedClassification | null> {
  if (id === null) return null;
  const row = await db
    .selectFrom('classifications')
    .select(['id', 'number', 'status', 'tier', 'impact_level', 'stale', 'stale_since', 'stale_inputs'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toLinkedClassification(row) : null;
}

export async function replaceRiskLinks(trx: Db, assessmentId: string, riskIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('impact_assessment_risks').where('assessment_id', '=', assessmentId).execute();
  if (riskIds.length > 0) {
    await trx
      .insertInto('impact_assessment_risks')
      .values(riskIds.map((riskId) => ({ assessment_id: assessmentId, risk_id: riskId })))
      .execute();
  }
}

export async function findDraftRowOfSystem(db: Db, aiSystemId: string): Promise<ImpactAssessmentTable | undefined> {
  return db.selectFrom('impact_assessments').selectAll().where('ai_system_id', '=', aiSystemId).where('status', '=', 'draft').executeTakeFirst();
}

export async function nextAssessmentNumber(db: Db, aiSystemId: string): Promise<number> {
  const row = await db
    .selectFrom('impact_assessments')
    .select((eb) => eb.fn.max('number').as('last'))
    .where('ai_system_id', '=', aiSystemId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
}

export async function nextImpactPosition(db: Db, assessmentId: string): Promise<number> {
  const row = await db
    .selectFrom('impact_assessment_impacts')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('assessment_id', '=', assessmentId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
}

export async function findRisks(db: Db, ids: readonly string[]): Promise<{ id: string; title: string; ai_system_id: string | null }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('risks').select(['id', 'title', 'ai_system_id']).where('id', 'in', [...new Set(ids)]).execute();
}

/**
 * Looks up a classification by id. The table `classifications` belongs to the classification
 * area, so it is read with plain SQL; `no_table` means the records do not exist and the id
 * cannot be checked.
 */
export async function lookUpClassification(db: Db, id: string): Promise<{ state: 'no_table' } | { state: 'missing' } | { state: 'found'; aiSystemId: string }> {
  // Kysely names its adapter after the dialect (PostgresAdapter, SqliteAdapter).
  const isPostgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  const present = isPostgres
    ? (await sql<{ name: string | null }>`select to_regclass('classifications')::text as name`.execute(db)).rows[0]?.name
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'classifications'`.execute(db)).rows[0]?.name;
  if (!present) return { state: 'no_table' };
  const found = await sql<{ ai_system_id: string }>`select ai_system_id from classifications where id = ${id}`.execute(db);
  const row = found.rows[0];
  return row ? { state: 'found', aiSystemId: row.ai_system_id } : { state: 'missing' };
}

export async function queryAssessments(
  db: Db,
  query: ImpactAssessmentListQuery,
  limit: number,
  offset: number,
): Promise<{ items: ImpactAssessmentSummary[]; total: number }> {
  let filtered = db.selectFrom('impact_assessments as a');
  if (query.aiSystemId) filtered = filtered.where('a.ai_system_id', '=', query.aiSystemId);
  if (query.status) filtered = filtered.where('a.status', '=', query.status);
  if (query.fria !== undefined) filtered = filtered.where('a.fria', '=', query.fria ? 1 : 0);
  if (query.riskId) {
    const riskId = query.riskId;
    filtered = filtered.where('a.id', 'in', (eb) => eb.selectFrom('impact_assessment_risks').select('assessment_id').where('risk_id', '=', riskId));
  }
  const { key, order } = parseSort<ImpactAssessmentSortKey>(query.sort ?? 'createdAt');

  const [rows, count] = await Promise.all([
    filtered
      .leftJoin('classifications as c', 'c.id', 'a.classification_id')
      .selectAll('a')
      .select(joinedClassificationColumns)
      .orderBy(`a.${sortColumns[key]}`, order)
      // The id breaks ties so that pages never overlap or skip a record.
      .orderBy('a.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((row) => row.id);
  const [risks, counts] = await Promise.all([
    findRiskIds(db, ids),
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('impact_assessment_impacts')
          .select(['assessment_id', (eb) => eb.fn.countAll<number>().as('impacts')])
          .where('assessment_id', 'in', ids)
          .groupBy('assessment_id')
          .execute(),
  ]);
  const impactCounts = new Map(counts.map((row) => [row.assessment_id, Number(row.impacts)]));
  return {
    items: rows.map((row) => toSummary(row, risks.get(row.id) ?? [], impactCounts.get(row.id) ?? 0)),
    total: Number(count.total),
  };
}
