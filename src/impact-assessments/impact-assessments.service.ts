import { findAiSystemRow } from '../ai-systems/ai-systems.repository.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import type { ImpactAssessmentTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { friaCompleteness, iso42005Completeness, writersOf } from './impact-assessment.js';
import {
  ApproveImpactAssessment,
  CreateImpactAssessment,
  CreateRevision,
  ImpactAssessmentListQuery,
  UpdateImpactAssessment,
  type Completeness,
  type ImpactAssessment,
  type ImpactAssessmentSummary,
} from './impact-assessment.schemas.js';
import {
  findAssessmentRow,
  findDraftRowOfSystem,
  findImpactAssessment,
  findImpactRows,
  findRiskIds,
  findRisks,
  lookUpClassification,
  nextAssessmentNumber,
  patchAssessmentRow,
  queryAssessments,
  replaceRiskLinks,
  textColumns,
} from './impact-assessments.repository.js';

/**
 * Use cases of AI system impact assessments. Each AI system has a numbered series of versions.
 * A draft is edited, together with its impacts, risk links and Canada AIA answers. Approving it,
 * by someone who neither authored nor edited it and only once its content is complete, freezes
 * it for good, so the next round of changes starts a revision copied from it. Each use case
 * checks access first and audits every change in its transaction.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listImpactAssessments(ctx: ServiceContext, caller: Caller, query: ImpactAssessmentListQuery): Promise<PageOf<ImpactAssessmentSummary>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ImpactAssessmentListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryAssessments(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getImpactAssessment(ctx: ServiceContext, caller: Caller, id: string): Promise<ImpactAssessment> {
  authorize(caller, 'register.read');
  const assessment = await findImpactAssessment(ctx.database.db, id);
  if (!assessment) throw notFound('impact assessment', id);
  return assessment;
}

export async function createImpactAssessment(ctx: ServiceContext, caller: Caller, input: CreateImpactAssessment, reason?: string | null): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(CreateImpactAssessment, input);
  return writeTransaction(ctx.database, (trx) => insertImpactAssessment(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Starts the draft of an impact assessment inside the caller's write transaction, with its audit event. */
export async function insertImpactAssessment(trx: Db, caller: Caller, now: Date, input: CreateImpactAssessment, reason: string | null = null): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(CreateImpactAssessment, input);
  const system = await findAiSystemRow(trx, parsed.aiSystemId);
  if (!system) {
    throw validationFailed([{ path: '/aiSystemId', message: `no AI system with id "${parsed.aiSystemId}" exists; check the id or register the AI system first` }]);
  }
  await ensureNoOpenDraft(trx, system.id, system.name);

  const timestamp = toTimestamp(now);
  const { aiSystemId: _aiSystemId, riskIds, ...patch } = parsed;
  const emptyTexts = Object.fromEntries(Object.values(textColumns).map((column) => [column, ''])) as Record<(typeof textColumns)[keyof typeof textColumns], string>;
  const base: ImpactAssessmentTable = {
    id: newId(),
    ai_system_id: system.id,
    number: await nextAssessmentNumber(trx, system.id),
    status: 'draft',
    title: `Impact assessment of ${system.name}`,
    fria: 0,
    classification_id: null,
    based_on_id: null,
    interested_parties: '[]',
    affected_categories: '[]',
    ...emptyTexts,
    aia_answers: null,
    aia_template_sha256: null,
    aia_answered_at: null,
    author_id: caller.userId,
    editor_ids: '[]',
    approved_by: null,
    approved_at: null,
    approval_comment: null,
    version: 1,
    created_at: timestamp,
    updated_at: timestamp,
  };
  const row = patchAssessmentRow(base, patch);
  await checkLinks(trx, row, riskIds);
  await insertAssessmentRow(trx, row, system.name);
  await replaceRiskLinks(trx, row.id, riskIds ?? []);
  const created = (await findImpactAssessment(trx, row.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'impact_assessment.created', recordId: row.id, after: created, reason });
  return created;
}

/** Changes the content, title, FRIA flag, classification or risk links of a draft. */
export async function updateImpactAssessment(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  patch: UpdateImpactAssessment,
  options: ChangeOptions = {},
): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(UpdateImpactAssessment, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const row = await loadDraftForChange(trx, id, options.expectedVersion, 'changed');
    const before = (await findImpactAssessment(trx, id))!;
    const now = ctx.clock.now();
    const after = touchedBy(patchAssessmentRow(row, parsed), caller, now);
    await checkLinks(trx, after, parsed.riskIds, parsed.classificationId !== undefined);
    await trx.updateTable('impact_assessments').set(after).where('id', '=', id).where('version', '=', row.version).execute();
    if (parsed.riskIds !== undefined) await replaceRiskLinks(trx, id, parsed.riskIds);
    const stored = (await findImpactAssessment(trx, id))!;
    await appendAuditEvent(trx, caller, now, { action: 'impact_assessment.updated', recordId: id, before, after: stored, reason: options.reason ?? null });
    return stored;
  });
}

/** Discards a draft with its impacts and risk links; approved versions are kept for good. */
export async function deleteImpactAssessment(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'impact_assessments.write');
  await writeTransaction(ctx.database, async (trx) => {
    await loadDraftForChange(trx, id, options.expectedVersion, 'discarded');
    const before = (await findImpactAssessment(trx, id))!;
    await trx.deleteFrom('impact_assessment_impacts').where('assessment_id', '=', id).execute();
    await trx.deleteFrom('impact_assessment_risks').where('assessment_id', '=', id).execute();
    await trx.deleteFrom('impact_assessments').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'impact_assessment.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/**
 * Starts the next version of an AI system's assessment as a draft copied from an approved
 * version: its content, impacts, risk links and Canada AIA answers. The caller is its author.
 */
export async function createRevision(ctx: ServiceContext, caller: Caller, id: string, input: CreateRevision, reason?: string | null): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(CreateRevision, input);
  return writeTransaction(ctx.database, async (trx) => {
    const source = await findAssessmentRow(trx, id);
    if (!source) throw notFound('impact assessment', id);
    if (source.status !== 'approved') {
      throw new AppError('CONFLICT', `Version ${source.number} ("${source.title}") is still a draft; edit it, or approve it before starting a revision`);
    }
    const system = (await findAiSystemRow(trx, source.ai_system_id))!;
    await ensureNoOpenDraft(trx, system.id, system.name);

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const row: ImpactAssessmentTable = {
      ...source,
      id: newId(),
      number: await nextAssessmentNumber(trx, system.id),
      status: 'draft',
      title: parsed.title?.trim() ?? source.title,
      based_on_id: source.id,
      author_id: caller.userId,
      editor_ids: '[]',
      approved_by: null,
      approved_at: null,
      approval_comment: null,
      version: 1,
      created_at: timestamp,
      updated_at: timestamp,
    };
    await insertAssessmentRow(trx, row, system.name);
    const impacts = await findImpactRows(trx, source.id);
    if (impacts.length > 0) {
      await trx
        .insertInto('impact_assessment_impacts')
        .values(impacts.map((impact) => ({ ...impact, id: newId(), assessment_id: row.id, version: 1, created_at: timestamp, updated_at: timestamp })))
        .execute();
    }
    await replaceRiskLinks(trx, row.id, (await findRiskIds(trx, [source.id])).get(source.id) ?? []);
    const created = (await findImpactAssessment(trx, row.id))!;
    await appendAuditEvent(trx, caller, now, { action: 'impact_assessment.created', recordId: row.id, after: created, reason: reason ?? null });
    return created;
  });
}

/** Reports which sections of ISO/IEC 42005 clause 6 and, for a FRIA, which points of Art 27(1) are still missing. */
export async function getCompleteness(ctx: ServiceContext, caller: Caller, id: string): Promise<Completeness> {
  authorize(caller, 'register.read');
  const assessment = await findImpactAssessment(ctx.database.db, id);
  if (!assessment) throw notFound('impact assessment', id);
  return completenessOf(assessment);
}

function completenessOf(assessment: ImpactAssessment): Completeness {
  const iso42005 = iso42005Completeness(assessment, assessment.impacts);
  const fundamentalRights = assessment.fria ? friaCompleteness(assessment, assessment.impacts) : null;
  return {
    assessmentId: assessment.id,
    status: assessment.status,
    fria: assessment.fria,
    readyForApproval: [...iso42005, ...(fundamentalRights ?? [])].every((item) => item.complete),
    iso42005,
    fundamentalRights,
  };
}

export async function approveImpactAssessment(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  input: ApproveImpactAssessment,
  options: Pick<ChangeOptions, 'expectedVersion'> = {},
): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.approve');
  const parsed = parseWith(ApproveImpactAssessment, input);
  return writeTransaction(ctx.database, (trx) => approveImpactAssessmentIn(trx, caller, ctx.clock.now(), id, parsed, options));
}

/**
 * Approves a draft inside the caller's write transaction, freezing it. The approver must be
 * someone who neither authored nor edited it, and the content must be complete.
 */
export async function approveImpactAssessmentIn(
  trx: Db,
  caller: Caller,
  now: Date,
  id: string,
  input: ApproveImpactAssessment,
  options: Pick<ChangeOptions, 'expectedVersion'> = {},
): Promise<ImpactAssessment> {
  authorize(caller, 'impact_assessments.approve');
  const parsed = parseWith(ApproveImpactAssessment, input);
  const row = await loadDraftForChange(trx, id, options.expectedVersion, 'approved again');
  const before = (await findImpactAssessment(trx, id))!;
  if (writersOf(before).has(caller.userId)) {
    const role = before.authorId === caller.userId ? 'authored' : 'edited';
    throw new AppError(
      'FORBIDDEN',
      `${caller.username} ${role} version ${before.number} of "${before.title}" and so may not approve it: an impact assessment must be approved by someone who neither authored nor edited it; ask another approver`,
    );
  }
  // An assessment must not be approved on the strength of a classification whose inputs have changed.
  if (before.classificationId !== null) {
    const classification = await trx.selectFrom('classifications').select(['number', 'stale']).where('id', '=', before.classificationId).executeTakeFirst();
    if (classification?.stale === 1) {
      throw new AppError(
        'CONFLICT',
        `Version ${before.number} of "${before.title}" relies on classification ${classification.number}, which is stale because an input it used has changed; approve a new classification and link it first`,
        [{ path: '/classificationId', message: 'names a stale classification' }],
      );
    }
  }
  const completeness = completenessOf(before);
  if (!completeness.readyForApproval) {
    const details: ErrorDetail[] = [...completeness.iso42005, ...(completeness.fundamentalRights ?? [])]
      .filter((item) => !item.complete)
      .map((item) => ({ path: item.ref, message: `${item.title}: ${item.missing.join('; ')}` }));
    const sources = before.fria ? 'ISO/IEC 42005 clause 6 and EU AI Act Art 27(1)' : 'ISO/IEC 42005 clause 6';
    throw new AppError(
      'CONFLICT',
      `Version ${before.number} of "${before.title}" lacks content that ${sources} lists, so it cannot be approved yet; fill in the items listed in details (GET /api/impact-assessments/${id}/completeness)`,
      details,
    );
  }

  const comment = parsed.comment?.trim() ?? '';
  const after: ImpactAssessmentTable = {
    ...row,
    status: 'approved',
    approved_by: caller.userId,
    approved_at: toTimestamp(now),
    approval_comment: comment === '' ? null : comment,
    version: row.version + 1,
    updated_at: toTimestamp(now),
  };
  await trx.updateTable('impact_assessments').set(after).where('id', '=', id).where('version', '=', row.version).execute();
  const approved = (await findImpactAssessment(trx, id))!;
  await appendAuditEvent(trx, caller, now, { action: 'impact_assessment.approved', recordId: id, before, after: approved, reason: after.approval_comment });
  return approved;
}

/**
 * Loads the row of a draft that is about to change. An approved version is frozen (409), and
 * `expectedVersion` is compared with the assessment's own version (412).
 */
export async function loadDraftForChange(trx: Db, id: string, expectedVersion: number | undefined, change: string): Promise<ImpactAssessmentTable> {
  const row = await findAssessmentRow(trx, id);
  if (!row) throw notFound('impact assessment', id);
  if (row.status === 'approved') {
    throw new AppError(
      'CONFLICT',
      `Version ${row.number} of "${row.title}" was approved on ${row.approved_at?.slice(0, 10) ?? 'an earlier date'} and is frozen, so it cannot be ${change}; start a revision with POST /api/impact-assessments/${id}/revisions`,
    );
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('impact assessment', id, expectedVersion, row.version);
  }
  return row;
}

/**
 * Returns the row after `caller` changed the draft or something in it: the version moves on, so
 * an approver's If-Match notices the change, and the caller joins the editors unless they
 * authored the draft, so that they cannot approve it.
 */
export function touchedBy(row: ImpactAssessmentTable, caller: Caller, now: Date): ImpactAssessmentTable {
  const editorIds = JSON.parse(row.editor_ids) as string[];
  const isWriter = row.author_id === caller.userId || editorIds.includes(caller.userId);
  return {
    ...row,
    editor_ids: isWriter ? row.editor_ids : JSON.stringify([...editorIds, caller.userId]),
    version: row.version + 1,
    updated_at: toTimestamp(now),
  };
}

async function ensureNoOpenDraft(trx: Db, aiSystemId: string, systemName: string): Promise<void> {
  const open = await findDraftRowOfSystem(trx, aiSystemId);
  if (open) throw draftOpen(systemName, open.number, open.id);
}

function draftOpen(systemName: string, number: number | null, id: string | null): AppError {
  const draft = number === null ? 'an open draft' : `an open draft, version ${number} (id ${id})`;
  return new AppError('CONFLICT', `The AI system "${systemName}" already has ${draft} of its impact assessment; edit that draft or discard it before starting another`);
}

async function insertAssessmentRow(trx: Db, row: ImpactAssessmentTable, systemName: string): Promise<void> {
  try {
    await trx.insertInto('impact_assessments').values(row).execute();
  } catch (error) {
    // The one-draft index backs ensureNoOpenDraft; the write lock makes this clash impossible today.
    if (isUniqueViolation(error)) throw draftOpen(systemName, null, null);
    throw error;
  }
}

/**
 * Checks the references of an assessment as it would be stored: the classification, which must
 * be of the same AI system, and the linked risks, which must belong to the same AI system or to
 * the whole organization.
 */
async function checkLinks(trx: Db, row: ImpactAssessmentTable, riskIds: readonly string[] | undefined, classificationChanged = true): Promise<void> {
  const problems: ErrorDetail[] = [];
  if (classificationChanged && row.classification_id !== null) {
    const found = await lookUpClassification(trx, row.classification_id);
    // NOTE: on a database without the classification records, the id is stored unchecked.
    if (found.state === 'missing') {
      problems.push({ path: '/classificationId', message: `no classification with id "${row.classification_id}" exists; check the id or classify the AI system first` });
    } else if (found.state === 'found' && found.aiSystemId !== row.ai_system_id) {
      problems.push({
        path: '/classificationId',
        message: `the classification "${row.classification_id}" is of another AI system (id ${found.aiSystemId}); link a classification of the system assessed`,
      });
    }
  }
  if (riskIds !== undefined && riskIds.length > 0) {
    const risks = new Map((await findRisks(trx, riskIds)).map((risk) => [risk.id, risk]));
    riskIds.forEach((riskId, index) => {
      const risk = risks.get(riskId);
      if (!risk) {
        problems.push({ path: `/riskIds/${index}`, message: `no risk with id "${riskId}" exists; check the id or add the risk to the register first` });
      } else if (risk.ai_system_id !== null && risk.ai_system_id !== row.ai_system_id) {
        problems.push({
          path: `/riskIds/${index}`,
          message: `the risk "${risk.title}" (id ${riskId}) belongs to another AI system (id ${risk.ai_system_id}); link risks of this AI system or of the whole organization`,
        });
      }
    });
  }
  if (problems.length > 0) throw validationFailed(problems);
}
