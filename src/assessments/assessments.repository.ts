import { sql } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { AssessmentAnswerTable, AssessmentTable, RemediationActionTable } from '../platform/database/schema.js';
import { parseSort } from '../platform/listing.js';
import type { AssessmentMode, AssessmentStatus, Effort, FindingKind, RemediationStatus } from './assessment.js';
import type {
  Answer,
  AnswerListQuery,
  Assessment,
  AssessmentListQuery,
  AssessmentRecord,
  AssessmentSortKey,
  RemediationAction,
  RemediationActionListQuery,
  RemediationActionSortKey,
} from './assessment.schemas.js';
import { maturityName } from './maturity.js';

/** Reads and writes assessment, answer and remediation action rows and turns them into the API's shape. */

const assessmentSortColumns: Record<AssessmentSortKey, keyof AssessmentTable> = { startedAt: 'started_at', completedAt: 'completed_at', title: 'title' };
const actionSortColumns: Record<RemediationActionSortKey, keyof RemediationActionTable> = { priority: 'priority', dueDate: 'due_date', createdAt: 'created_at' };

export function toAssessmentRecord(row: AssessmentTable): AssessmentRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    mode: row.mode as AssessmentMode,
    includeOrganizationControls: row.include_organization_controls === 1,
    targetLevel: row.target_level,
    status: row.status as AssessmentStatus,
    leadAssessorPersonId: row.lead_assessor_person_id,
    sampleSize: row.sample_size === null ? null : Number(row.sample_size),
    seed: row.sample_seed === null ? null : Number(row.sample_seed),
    startedAt: row.started_at,
    completedAt: row.completed_at,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAssessmentRow(record: AssessmentRecord): AssessmentTable {
  return {
    id: record.id,
    title: record.title,
    description: record.description,
    mode: record.mode,
    include_organization_controls: record.includeOrganizationControls ? 1 : 0,
    target_level: record.targetLevel,
    status: record.status,
    lead_assessor_person_id: record.leadAssessorPersonId,
    sample_size: record.sampleSize,
    sample_seed: record.seed,
    started_at: record.startedAt,
    completed_at: record.completedAt,
    created_by: record.createdBy,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

export async function findAssessmentRow(db: Db, id: string): Promise<AssessmentTable | undefined> {
  return db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function queryAssessments(db: Db, query: AssessmentListQuery, limit: number, offset: number): Promise<{ rows: AssessmentTable[]; total: number }> {
  let filtered = db.selectFrom('assessments');
  if (query.mode) filtered = filtered.where('mode', '=', query.mode);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  const { key, order } = parseSort<AssessmentSortKey>(query.sort ?? '-startedAt');

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy(assessmentSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Completed gap assessments in the order they were completed, for the trend. */
export async function queryCompletedGapAssessments(db: Db, limit: number, offset: number): Promise<{ rows: AssessmentTable[]; total: number }> {
  const filtered = db.selectFrom('assessments').where('mode', '=', 'gap').where('status', '=', 'completed');
  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('completed_at').orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

type Progress = Assessment['progress'];

/**
 * Counts the answers of each assessment. An item counts as answered when it has a maturity level
 * (gap) or a finding (mock audit); items marked not applicable count separately.
 */
export async function loadProgress(db: Db, assessments: readonly AssessmentRecord[]): Promise<Map<string, Progress>> {
  const progress = new Map<string, Progress>(
    assessments.map((assessment) => [assessment.id, { itemCount: 0, answeredCount: 0, notApplicableCount: 0, unansweredCount: 0, findingCounts: {} }]),
  );
  if (assessments.length === 0) return progress;

  const rated = sql<number>`case when maturity is null then 0 else 1 end`;
  const groups = await db
    .selectFrom('assessment_answers')
    .select(['assessment_id', 'not_applicable', 'finding', rated.as('rated'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('assessment_id', 'in', [...progress.keys()])
    .groupBy(['assessment_id', 'not_applicable', 'finding', rated])
    .execute();

  const modes = new Map(assessments.map((assessment) => [assessment.id, assessment.mode]));
  for (const group of groups) {
    const counts = progress.get(group.assessment_id)!;
    const count = Number(group.count);
    counts.itemCount += count;
    const answered = modes.get(group.assessment_id) === 'mock_audit' ? group.finding !== null : Number(group.rated) === 1;
    if (group.not_applicable === 1) counts.notApplicableCount += count;
    else if (answered) counts.answeredCount += count;
    else counts.unansweredCount += count;
    if (group.finding !== null) counts.findingCounts[group.finding] = (counts.findingCounts[group.finding] ?? 0) + count;
  }
  return progress;
}

/** An answer row with the catalogue facts the API shows beside it. */
export type AnswerRow = AssessmentAnswerTable & { framework_id: string; item_id: string; kind: string; title: string };

export function toAnswer(row: AnswerRow, evidenceIds: readonly string[]): Answer {
  return {
    assessmentId: row.assessment_id,
    ref: row.item_ref,
    frameworkId: row.framework_id,
    itemId: row.item_id,
    kind: row.kind,
    title: row.title,
    sectionRef: row.section_ref,
    position: row.position,
    maturity: row.maturity,
    maturityName: row.maturity === null ? null : (maturityName(row.maturity) ?? null),
    notApplicable: row.not_applicable === 1,
    notApplicableReason: row.not_applicable_reason,
    comment: row.comment,
    evidenceIds: [...evidenceIds],
    catalogueWeight: row.catalogue_weight,
    weightOverride: row.weight_override,
    weight: row.weight_override ?? row.catalogue_weight,
    effort: row.effort as Effort | null,
    finding: row.finding as FindingKind | null,
    findingText: row.finding_text,
    answeredBy: row.answered_by,
    answeredAt: row.answered_at,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Converts an answer back to its stored columns. */
export function toAnswerRow(answer: Answer): AssessmentAnswerTable {
  return {
    assessment_id: answer.assessmentId,
    item_ref: answer.ref,
    position: answer.position,
    section_ref: answer.sectionRef,
    catalogue_weight: answer.catalogueWeight,
    weight_override: answer.weightOverride,
    maturity: answer.maturity,
    not_applicable: answer.notApplicable ? 1 : 0,
    not_applicable_reason: answer.notApplicableReason,
    comment: answer.comment,
    effort: answer.effort,
    finding: answer.finding,
    finding_text: answer.findingText,
    answered_by: answer.answeredBy,
    answered_at: answer.answeredAt,
    version: answer.version,
    updated_at: answer.updatedAt,
  };
}

function answersWithItems(db: Db, assessmentId: string) {
  return db
    .selectFrom('assessment_answers as a')
    .innerJoin('catalogue_items as i', 'i.ref', 'a.item_ref')
    .where('a.assessment_id', '=', assessmentId);
}

export async function findAnswerRow(db: Db, assessmentId: string, ref: string): Promise<AnswerRow | undefined> {
  return answersWithItems(db, assessmentId).selectAll('a').select(['i.framework_id', 'i.item_id', 'i.kind', 'i.title']).where('a.item_ref', '=', ref).executeTakeFirst();
}

export async function queryAnswers(
  db: Db,
  assessment: AssessmentRecord,
  query: AnswerListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: AnswerRow[]; total: number }> {
  let filtered = answersWithItems(db, assessment.id);
  if (query.section !== undefined) filtered = filtered.where('a.section_ref', '=', query.section);
  if (query.framework !== undefined) filtered = filtered.where('i.framework_id', '=', query.framework);
  if (query.state === 'not_applicable') filtered = filtered.where('a.not_applicable', '=', 1);
  if (query.state === 'answered' || query.state === 'unanswered') {
    const answeredColumn = assessment.mode === 'mock_audit' ? 'a.finding' : 'a.maturity';
    filtered = filtered.where('a.not_applicable', '=', 0).where(answeredColumn, query.state === 'answered' ? 'is not' : 'is', null);
  }

  const [rows, count] = await Promise.all([
    filtered.selectAll('a').select(['i.framework_id', 'i.item_id', 'i.kind', 'i.title']).orderBy('a.position').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Lists every answer of the given assessments in questionnaire order, for the roll-up and the remediation plan. */
export async function listAllAnswers(db: Db, assessmentIds: readonly string[]): Promise<AnswerRow[]> {
  if (assessmentIds.length === 0) return [];
  return db
    .selectFrom('assessment_answers as a')
    .innerJoin('catalogue_items as i', 'i.ref', 'a.item_ref')
    .selectAll('a')
    .select(['i.framework_id', 'i.item_id', 'i.kind', 'i.title'])
    .where('a.assessment_id', 'in', [...assessmentIds])
    .orderBy('a.assessment_id')
    .orderBy('a.position')
    .execute();
}

/** Evidence ids of the given answers of one assessment, each list sorted by code unit as JavaScript sorts, the same on both databases. */
export async function loadEvidenceIds(db: Db, assessmentId: string, refs: readonly string[]): Promise<Map<string, string[]>> {
  const byRef = new Map<string, string[]>(refs.map((ref) => [ref, []]));
  if (refs.length === 0) return byRef;
  const rows = await db
    .selectFrom('assessment_answer_evidence')
    .select(['item_ref', 'evidence_id'])
    .where('assessment_id', '=', assessmentId)
    .where('item_ref', 'in', [...refs])
    .execute();
  for (const row of rows) byRef.get(row.item_ref)?.push(row.evidence_id);
  for (const ids of byRef.values()) ids.sort();
  return byRef;
}

export async function replaceEvidenceIds(db: Db, assessmentId: string, ref: string, evidenceIds: readonly string[]): Promise<void> {
  await db.deleteFrom('assessment_answer_evidence').where('assessment_id', '=', assessmentId).where('item_ref', '=', ref).execute();
  if (evidenceIds.length === 0) return;
  await db
    .insertInto('assessment_answer_evidence')
    .values(evidenceIds.map((evidenceId) => ({ assessment_id: assessmentId, item_ref: ref, evidence_id: evidenceId })))
    .execute();
}

export function toRemediationAction(row: RemediationActionTable): RemediationAction {
  return {
    id: row.id,
    assessmentId: row.assessment_id,
    itemRef: row.item_ref,
    title: row.title,
    description: row.description,
    ownerPersonId: row.owner_person_id,
    dueDate: row.due_date,
    status: row.status as RemediationStatus,
    gap: row.gap,
    weight: row.weight,
    priority: row.priority,
    createdBy: row.created_by,
    doneAt: row.done_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRemediationActionRow(action: RemediationAction): RemediationActionTable {
  return {
    id: action.id,
    assessment_id: action.assessmentId,
    item_ref: action.itemRef,
    title: action.title,
    description: action.description,
    owner_person_id: action.ownerPersonId,
    due_date: action.dueDate,
    status: action.status,
    gap: action.gap,
    weight: action.weight,
    priority: action.priority,
    created_by: action.createdBy,
    done_at: action.doneAt,
    version: action.version,
    created_at: action.createdAt,
    updated_at: action.updatedAt,
  };
}

export async function findRemediationActionRow(db: Db, assessmentId: string, id: string): Promise<RemediationActionTable | undefined> {
  return db.selectFrom('remediation_actions').selectAll().where('id', '=', id).where('assessment_id', '=', assessmentId).executeTakeFirst();
}

export async function queryRemediationActions(
  db: Db,
  assessmentId: string,
  query: RemediationActionListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: RemediationActionTable[]; total: number }> {
  let filtered = db.selectFrom('remediation_actions').where('assessment_id', '=', assessmentId);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  if (query.ownerPersonId) filtered = filtered.where('owner_person_id', '=', query.ownerPersonId);
  if (query.itemRef) filtered = filtered.where('item_ref', '=', query.itemRef);
  const { key, order } = parseSort<RemediationActionSortKey>(query.sort ?? '-priority');

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy(actionSortColumns[key], order).orderBy('due_date').orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Finds the remediation actions raised for the given items of an assessment, grouped by item ref. */
export async function findActionsByItem(db: Db, assessmentId: string, refs: readonly string[]): Promise<Map<string, RemediationActionTable[]>> {
  const byRef = new Map<string, RemediationActionTable[]>();
  if (refs.length === 0) return byRef;
  const rows = await db
    .selectFrom('remediation_actions')
    .selectAll()
    .where('assessment_id', '=', assessmentId)
    .where('item_ref', 'in', [...refs])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byRef.get(row.item_ref);
    if (list) list.push(row);
    else byRef.set(row.item_ref, [row]);
  }
  return byRef;
}

export async function countRemediationActions(db: Db, assessmentId: string): Promise<number> {
  const row = await db
    .selectFrom('remediation_actions')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('assessment_id', '=', assessmentId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
