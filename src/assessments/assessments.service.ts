import { randomInt } from 'node:crypto';
import { iso42001FrameworkId, organizationFrameworkId } from '../catalogue/catalogue.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { AssessmentAnswerTable, CatalogueItemTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { ensurePeopleExist } from '../people/references.js';
import { assessedKinds, maxSampleSeed } from './assessment.js';
import { AssessmentListQuery, CreateAssessment, UpdateAssessment, type Assessment, type AssessmentRecord, type MaturityScale } from './assessment.schemas.js';
import {
  countRemediationActions,
  findAssessmentRow,
  listAllAnswers,
  loadProgress,
  queryAssessments,
  toAssessmentRecord,
  toAssessmentRow,
  type AnswerRow,
} from './assessments.repository.js';
import { defaultTargetLevel, maturityScale } from './maturity.js';
import { drawSample } from './sampling.js';
import { findTopLevelRef } from './scoring.js';

/**
 * Use cases of assessments as a whole: starting a gap assessment or a mock audit with its
 * questionnaire, changing its header, completing it and discarding it. Answers, results and
 * remediation actions have their own services beside this one. Each use case checks access
 * first and audits every change in its transaction.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export function getMaturityScale(caller: Caller): MaturityScale {
  authorize(caller, 'register.read');
  return { levels: maturityScale.map((definition) => ({ ...definition })), defaultTargetLevel };
}

export async function listAssessments(ctx: ServiceContext, caller: Caller, query: AssessmentListQuery): Promise<PageOf<Assessment>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(AssessmentListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryAssessments(ctx.database.db, parsed, limit, offset);
  return { items: await withProgress(ctx.database.db, rows.map(toAssessmentRecord)), total, limit, offset };
}

export async function getAssessment(ctx: ServiceContext, caller: Caller, id: string): Promise<Assessment> {
  authorize(caller, 'register.read');
  const record = await loadAssessment(ctx.database.db, id);
  const [assessment] = await withProgress(ctx.database.db, [record]);
  return assessment!;
}

/**
 * Starts an assessment and creates one unanswered answer per item in scope. A gap assessment
 * covers every clause leaf and Annex A control of ISO/IEC 42001, plus the organization's own
 * controls when asked. A mock audit draws `sampleSize` controls (Annex A, plus the
 * organization's own when asked) with the seeded generator and covers only those.
 */
export async function createAssessment(ctx: ServiceContext, caller: Caller, input: CreateAssessment, reason?: string | null): Promise<Assessment> {
  authorize(caller, 'assessments.write');
  parseWith(CreateAssessment, input);
  const created = await writeTransaction(ctx.database, (trx) => insertAssessment(trx, caller, ctx.clock.now(), input, reason ?? null));
  const [assessment] = await withProgress(ctx.database.db, [created]);
  return assessment!;
}

/** Inserts an assessment and its answer rows inside the caller's write transaction, with its audit event. */
export async function insertAssessment(trx: Db, caller: Caller, now: Date, input: CreateAssessment, reason: string | null = null): Promise<AssessmentRecord> {
  authorize(caller, 'assessments.write');
  const parsed = parseWith(CreateAssessment, input);
  checkModeFields(parsed);
  const timestamp = toTimestamp(now);
  const leadAssessorPersonId = parsed.leadAssessorPersonId ?? null;
  if (leadAssessorPersonId !== null) await ensurePeopleExist(trx, [{ id: leadAssessorPersonId, path: '/leadAssessorPersonId' }]);

  const mode = parsed.mode ?? 'gap';
  const includeOrganizationControls = parsed.includeOrganizationControls ?? false;
  const candidates = await loadScopeItems(trx, includeOrganizationControls);
  let items = candidates;
  let sampleSize: number | null = null;
  let seed: number | null = null;
  if (mode === 'mock_audit') {
    const controls = candidates.filter((item) => item.kind === 'control');
    sampleSize = parsed.sampleSize!;
    if (sampleSize > controls.length) {
      throw validationFailed([
        {
          path: '/sampleSize',
          message: `${sampleSize} is more than the ${controls.length} controls in scope; choose at most ${controls.length}${includeOrganizationControls ? '' : ', or set includeOrganizationControls to add your own controls'}`,
        },
      ]);
    }
    // randomInt's upper bound is exclusive, so this covers the whole 32-bit seed range.
    seed = parsed.seed ?? randomInt(0, maxSampleSeed + 1);
    items = drawSample(controls, sampleSize, seed);
  }

  const record: AssessmentRecord = {
    id: newId(),
    title: parsed.title.trim(),
    description: parsed.description?.trim() ?? '',
    mode,
    includeOrganizationControls,
    targetLevel: parsed.targetLevel ?? defaultTargetLevel,
    status: 'in_progress',
    leadAssessorPersonId,
    sampleSize,
    seed,
    startedAt: timestamp,
    completedAt: null,
    createdBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await trx.insertInto('assessments').values(toAssessmentRow(record)).execute();
  await insertAnswerRows(trx, record.id, items, await loadParentRefs(trx), timestamp);
  await appendAuditEvent(trx, caller, now, {
    action: 'assessment.created',
    recordId: record.id,
    after: { ...record, itemRefs: items.map((item) => item.ref) },
    reason,
  });
  return record;
}

export async function updateAssessment(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateAssessment, options: ChangeOptions = {}): Promise<Assessment> {
  authorize(caller, 'assessments.write');
  const parsed = parseWith(UpdateAssessment, patch);
  const updated = await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    ensureInProgress(before);
    const now = ctx.clock.now();
    const after: AssessmentRecord = {
      ...before,
      title: parsed.title?.trim() ?? before.title,
      description: parsed.description?.trim() ?? before.description,
      targetLevel: parsed.targetLevel ?? before.targetLevel,
      leadAssessorPersonId: parsed.leadAssessorPersonId === undefined ? before.leadAssessorPersonId : parsed.leadAssessorPersonId,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (after.leadAssessorPersonId !== null && after.leadAssessorPersonId !== before.leadAssessorPersonId) {
      await ensurePeopleExist(trx, [{ id: after.leadAssessorPersonId, path: '/leadAssessorPersonId' }]);
    }
    await trx.updateTable('assessments').set(toAssessmentRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'assessment.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
  const [assessment] = await withProgress(ctx.database.db, [updated]);
  return assessment!;
}

/**
 * Completes an assessment and freezes its answers. Every item must be answered first: with a
 * maturity level in a gap assessment, with a finding in a mock audit, or marked not applicable.
 */
export async function completeAssessment(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<Assessment> {
  authorize(caller, 'assessments.write');
  const completed = await writeTransaction(ctx.database, (trx) => recordCompletion(trx, caller, ctx.clock.now(), id, options));
  const [assessment] = await withProgress(ctx.database.db, [completed]);
  return assessment!;
}

/** Completes an assessment inside the caller's write transaction, with its audit event. The rules are those of completeAssessment. */
export async function recordCompletion(trx: Db, caller: Caller, now: Date, id: string, options: ChangeOptions = {}): Promise<AssessmentRecord> {
  authorize(caller, 'assessments.write');
  const before = await loadForChange(trx, id, options.expectedVersion);
  ensureInProgress(before);
  const missing = (await listAllAnswers(trx, [id])).filter((answer) => !isAnswered(answer, before));
  if (missing.length > 0) throw unansweredItems(before, missing);

  const timestamp = toTimestamp(now);
  const after: AssessmentRecord = { ...before, status: 'completed', completedAt: timestamp, version: before.version + 1, updatedAt: timestamp };
  await trx.updateTable('assessments').set(toAssessmentRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
  await appendAuditEvent(trx, caller, now, { action: 'assessment.completed', recordId: id, before, after, reason: options.reason ?? null });
  return after;
}

/** Discards an assessment that is still in progress and has no remediation actions, with its answers. */
export async function deleteAssessment(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'assessments.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    if (before.status === 'completed') {
      throw new AppError('CONFLICT', `The assessment "${before.title}" was completed at ${before.completedAt} and is kept as a record; it cannot be deleted`);
    }
    const actions = await countRemediationActions(trx, id);
    if (actions > 0) {
      throw new AppError(
        'CONFLICT',
        `The assessment "${before.title}" has ${actions} remediation action${actions === 1 ? '' : 's'}; it cannot be deleted while they track work, so complete it instead`,
      );
    }
    // Answers and their evidence links go with the assessment (ON DELETE CASCADE).
    await trx.deleteFrom('assessments').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'assessment.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/** Reads an assessment or throws NOT_FOUND naming the id. */
export async function loadAssessment(db: Db, id: string): Promise<AssessmentRecord> {
  const row = await findAssessmentRow(db, id);
  if (!row) throw notFound('assessment', id);
  return toAssessmentRecord(row);
}

/** Throws CONFLICT when the assessment is completed, because its answers are then frozen. */
export function ensureInProgress(assessment: AssessmentRecord): void {
  if (assessment.status !== 'completed') return;
  throw new AppError(
    'CONFLICT',
    `The assessment "${assessment.title}" was completed at ${assessment.completedAt} and is frozen; start a new assessment to record changes`,
  );
}

/** Returns whether an answer counts as given: it has a level (gap) or a finding (mock audit), or a not-applicable mark. */
export function isAnswered(answer: AssessmentAnswerTable, assessment: AssessmentRecord): boolean {
  if (answer.not_applicable === 1) return true;
  return assessment.mode === 'mock_audit' ? answer.finding !== null : answer.maturity !== null;
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<AssessmentRecord> {
  const record = await loadAssessment(trx, id);
  if (expectedVersion !== undefined && record.version !== expectedVersion) throw versionMismatch('assessment', id, expectedVersion, record.version);
  return record;
}

async function withProgress(db: Db, records: readonly AssessmentRecord[]): Promise<Assessment[]> {
  const progress = await loadProgress(db, records);
  return records.map((record) => ({ ...record, progress: progress.get(record.id)! }));
}

function checkModeFields(input: CreateAssessment): void {
  const problems: ErrorDetail[] = [];
  if ((input.mode ?? 'gap') === 'gap') {
    if (input.sampleSize !== undefined) problems.push({ path: '/sampleSize', message: 'applies only to mode mock_audit; remove it or set mode to mock_audit' });
    if (input.seed !== undefined) problems.push({ path: '/seed', message: 'applies only to mode mock_audit; remove it or set mode to mock_audit' });
  } else if (input.sampleSize === undefined) {
    problems.push({ path: '/sampleSize', message: 'is required for a mock_audit: give the number of controls to sample' });
  }
  if (problems.length > 0) throw validationFailed(problems);
}

/** Loads the assessable clause leaves and controls in scope, ISO/IEC 42001 first, each framework in catalogue order. */
async function loadScopeItems(db: Db, includeOrganizationControls: boolean): Promise<CatalogueItemTable[]> {
  const frameworks = includeOrganizationControls ? [iso42001FrameworkId, organizationFrameworkId] : [iso42001FrameworkId];
  const rows = await db
    .selectFrom('catalogue_items')
    .selectAll()
    .where('framework_id', 'in', frameworks)
    .where('assessable', '=', 1)
    .where('kind', 'in', [...assessedKinds])
    .orderBy('position')
    .orderBy('ref')
    .execute();
  return frameworks.flatMap((frameworkId) => rows.filter((row) => row.framework_id === frameworkId));
}

async function loadParentRefs(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('catalogue_items').select(['ref', 'parent_ref']).where('framework_id', '=', iso42001FrameworkId).execute();
  return new Map(rows.map((row) => [row.ref, row.parent_ref]));
}

const answerInsertBatchSize = 200;

async function insertAnswerRows(
  trx: Db,
  assessmentId: string,
  items: readonly CatalogueItemTable[],
  parentOf: ReadonlyMap<string, string | null>,
  timestamp: string,
): Promise<void> {
  const rows: AssessmentAnswerTable[] = items.map((item, position) => ({
    assessment_id: assessmentId,
    item_ref: item.ref,
    position,
    section_ref: item.framework_id === iso42001FrameworkId ? findTopLevelRef(item.ref, parentOf) : null,
    catalogue_weight: item.weight,
    weight_override: null,
    maturity: null,
    not_applicable: 0,
    not_applicable_reason: null,
    comment: '',
    effort: null,
    finding: null,
    finding_text: '',
    answered_by: null,
    answered_at: null,
    version: 1,
    updated_at: timestamp,
  }));
  for (let start = 0; start < rows.length; start += answerInsertBatchSize) {
    await trx.insertInto('assessment_answers').values(rows.slice(start, start + answerInsertBatchSize)).execute();
  }
}

const listedInMessage = 10;

function unansweredItems(assessment: AssessmentRecord, missing: readonly AnswerRow[]): AppError {
  const expected = assessment.mode === 'mock_audit' ? 'a finding' : 'a maturity level';
  const refs = missing.map((answer) => answer.item_ref);
  const shown = refs.slice(0, listedInMessage).join(', ');
  const more = refs.length > listedInMessage ? ` and ${refs.length - listedInMessage} more` : '';
  return validationFailed(
    missing.map((answer) => ({ path: `/answers/${answer.item_ref}`, message: `has neither ${expected} nor a not-applicable mark` })),
    `The assessment "${assessment.title}" cannot be completed while ${refs.length} item${refs.length === 1 ? ' is' : 's are'} unanswered (${shown}${more}); give each ${expected} or mark it not applicable`,
  );
}
