import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { findCatalogueItemRow } from '../catalogue/catalogue.repository.js';
import { AnswerListQuery, UpdateAnswer, type Answer, type AssessmentRecord } from './assessment.schemas.js';
import { findAnswerRow, loadEvidenceIds, queryAnswers, replaceEvidenceIds, toAnswer, toAnswerRow } from './assessments.repository.js';
import { ensureInProgress, loadAssessment, type ChangeOptions } from './assessments.service.js';
import { maturityName } from './maturity.js';

/**
 * Use cases of the questionnaire: listing, reading and answering the items of an assessment.
 * Answers change only while the assessment is in progress; a completed one is frozen (409).
 */

export async function listAnswers(ctx: ServiceContext, caller: Caller, assessmentId: string, query: AnswerListQuery): Promise<PageOf<Answer>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(AnswerListQuery, query);
  const db = ctx.database.db;
  const assessment = await loadAssessment(db, assessmentId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryAnswers(db, assessment, parsed, limit, offset);
  const evidence = await loadEvidenceIds(db, assessmentId, rows.map((row) => row.item_ref));
  return { items: rows.map((row) => toAnswer(row, evidence.get(row.item_ref) ?? [])), total, limit, offset };
}

export async function getAnswer(ctx: ServiceContext, caller: Caller, assessmentId: string, ref: string): Promise<Answer> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const assessment = await loadAssessment(db, assessmentId);
  return loadAnswer(db, assessment, ref);
}

/**
 * Changes the answer to one item. Marking an item not applicable needs a reason and clears its
 * level and finding; a level or finding for an item still marked not applicable is rejected.
 * Findings belong to mock audits only. A new evidence list replaces the stored one.
 */
export async function updateAnswer(
  ctx: ServiceContext,
  caller: Caller,
  assessmentId: string,
  ref: string,
  patch: UpdateAnswer,
  options: ChangeOptions = {},
): Promise<Answer> {
  authorize(caller, 'assessments.write');
  parseWith(UpdateAnswer, patch);
  return writeTransaction(ctx.database, (trx) => recordAnswer(trx, caller, ctx.clock.now(), assessmentId, ref, patch, options));
}

/** Changes the answer to one item inside the caller's write transaction, with its audit event. The rules are those of updateAnswer. */
export async function recordAnswer(
  trx: Db,
  caller: Caller,
  now: Date,
  assessmentId: string,
  ref: string,
  patch: UpdateAnswer,
  options: ChangeOptions = {},
): Promise<Answer> {
  authorize(caller, 'assessments.write');
  const parsed = parseWith(UpdateAnswer, patch);
  const assessment = await loadAssessment(trx, assessmentId);
  const before = await loadAnswer(trx, assessment, ref);
  ensureInProgress(assessment);
  if (options.expectedVersion !== undefined && before.version !== options.expectedVersion) {
    throw versionMismatch('assessment answer', `${assessmentId}/${ref}`, options.expectedVersion, before.version);
  }

  const after = applyAnswerPatch(assessment, before, parsed, caller, toTimestamp(now));
  if (parsed.evidenceIds !== undefined) await ensureEvidenceExists(trx, parsed.evidenceIds);

  await trx
    .updateTable('assessment_answers')
    .set(toAnswerRow(after))
    .where('assessment_id', '=', assessmentId)
    .where('item_ref', '=', ref)
    .where('version', '=', before.version)
    .execute();
  if (parsed.evidenceIds !== undefined) await replaceEvidenceIds(trx, assessmentId, ref, after.evidenceIds);
  // The record id is the assessment's: ids are at most 64 characters, which an assessment id
  // joined with a ref of the organization's own controls could exceed. The ref is in the record.
  await appendAuditEvent(trx, caller, now, {
    action: 'assessment_answer.updated',
    recordId: assessmentId,
    before,
    after,
    reason: options.reason ?? null,
  });
  return after;
}

/** Reads one answer. The NOT_FOUND it throws tells a ref unknown to the catalogue from one outside the assessment's scope. */
async function loadAnswer(db: Db, assessment: AssessmentRecord, ref: string): Promise<Answer> {
  const row = await findAnswerRow(db, assessment.id, ref);
  if (row) return toAnswer(row, (await loadEvidenceIds(db, assessment.id, [ref])).get(ref) ?? []);

  const item = await findCatalogueItemRow(db, ref);
  if (!item) {
    throw new AppError('NOT_FOUND', `No catalogue item "${ref}" exists; use a ref such as iso42001:A.6.2.4 (GET /api/assessments/${assessment.id}/answers lists the items)`);
  }
  const scope =
    assessment.mode === 'mock_audit'
      ? 'only the controls its sample drew'
      : assessment.includeOrganizationControls
        ? "the clause leaves and controls of ISO/IEC 42001 and the organization's own controls"
        : 'the clause leaves and controls of ISO/IEC 42001';
  throw new AppError(
    'NOT_FOUND',
    `"${ref}" is not an item of the assessment "${assessment.title}", which covers ${scope}; list its items at GET /api/assessments/${assessment.id}/answers`,
  );
}

function applyAnswerPatch(assessment: AssessmentRecord, before: Answer, patch: UpdateAnswer, caller: Caller, timestamp: string): Answer {
  const problems: ErrorDetail[] = [];
  const notApplicable = patch.notApplicable ?? before.notApplicable;
  let maturity = patch.maturity !== undefined ? patch.maturity : before.maturity;
  let finding = patch.finding !== undefined ? patch.finding : before.finding;
  let findingText = patch.findingText !== undefined ? patch.findingText.trim() : before.findingText;
  let notApplicableReason: string | null = null;

  // The stored text described the old finding, so a changed finding never keeps it.
  const findingChanged = patch.finding !== undefined && before.finding !== null && patch.finding !== before.finding;
  if (findingChanged && patch.findingText === undefined) {
    if (finding === 'conformity' || finding === null) findingText = '';
    else problems.push({ path: '/findingText', message: `must be sent with a finding that changes from ${before.finding ?? 'none'} to ${finding}, because the stored text describes the old finding` });
  }

  if (assessment.mode === 'gap') {
    if (patch.finding !== undefined && patch.finding !== null) problems.push({ path: '/finding', message: 'applies only to mock audits; this is a gap assessment' });
    if (patch.findingText !== undefined && patch.findingText.trim() !== '') {
      problems.push({ path: '/findingText', message: 'applies only to mock audits; this is a gap assessment' });
    }
  }

  if (notApplicable) {
    const stillMarked = patch.notApplicable === undefined;
    if (patch.maturity !== undefined && patch.maturity !== null) {
      problems.push({
        path: '/maturity',
        message: stillMarked
          ? 'cannot be given while the item is marked not applicable; send notApplicable: false with the level'
          : 'cannot be given together with notApplicable: true',
      });
    }
    if (patch.finding !== undefined && patch.finding !== null && assessment.mode === 'mock_audit') {
      problems.push({
        path: '/finding',
        message: stillMarked
          ? 'cannot be given while the item is marked not applicable; send notApplicable: false with the finding'
          : 'cannot be given together with notApplicable: true',
      });
    }
    notApplicableReason = (patch.notApplicableReason !== undefined ? patch.notApplicableReason : before.notApplicableReason)?.trim() ?? null;
    if (!notApplicableReason) {
      problems.push({ path: '/notApplicableReason', message: 'is required when the item is marked not applicable: say why it does not apply' });
    }
    maturity = null;
    finding = null;
    findingText = '';
  } else if (patch.notApplicableReason !== undefined && patch.notApplicableReason !== null && patch.notApplicableReason.trim() !== '') {
    problems.push({ path: '/notApplicableReason', message: 'applies only when notApplicable is true; remove it or mark the item not applicable' });
  }

  if (finding === null) {
    if (patch.finding === undefined && patch.findingText !== undefined && findingText !== '' && assessment.mode === 'mock_audit') {
      problems.push({ path: '/findingText', message: 'needs a finding; send finding with it' });
    }
    findingText = '';
  } else if (finding !== 'conformity' && findingText === '') {
    problems.push({ path: '/findingText', message: `is required for a finding of ${finding}: state what was found and against which requirement` });
  }

  if (problems.length > 0) throw validationFailed(problems);
  const weightOverride = patch.weight !== undefined ? patch.weight : before.weightOverride;
  return {
    ...before,
    maturity,
    maturityName: maturity === null ? null : (maturityName(maturity) ?? null),
    notApplicable,
    notApplicableReason,
    comment: patch.comment !== undefined ? patch.comment.trim() : before.comment,
    evidenceIds: patch.evidenceIds !== undefined ? [...patch.evidenceIds].sort() : before.evidenceIds,
    weightOverride,
    weight: weightOverride ?? before.catalogueWeight,
    effort: patch.effort !== undefined ? patch.effort : before.effort,
    finding,
    findingText,
    answeredBy: caller.userId,
    answeredAt: timestamp,
    version: before.version + 1,
    updatedAt: timestamp,
  };
}

async function ensureEvidenceExists(db: Db, evidenceIds: readonly string[]): Promise<void> {
  if (evidenceIds.length === 0) return;
  const found = await db.selectFrom('evidence').select('id').where('id', 'in', [...evidenceIds]).execute();
  const known = new Set(found.map((row) => row.id));
  const problems = evidenceIds.flatMap((id, index) =>
    known.has(id) ? [] : [{ path: `/evidenceIds/${index}`, message: `no evidence with id "${id}" exists; upload the evidence first or check the id` }],
  );
  if (problems.length > 0) throw validationFailed(problems);
}
