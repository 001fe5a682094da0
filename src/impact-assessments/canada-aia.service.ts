import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ImpactAssessmentTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import type { Answers } from './canada-aia/conditions.js';
import { aiaScoring, checkAnswers, scoreAnswers } from './canada-aia/scoring.js';
import { loadCanadaAiaTemplate } from './canada-aia/survey-template.js';
import { PutAiaAnswers, type AiaAnswers, type AiaScore, type AiaTemplate } from './impact-assessment.schemas.js';
import { findAssessmentRow, parseAiaAnswers } from './impact-assessments.repository.js';
import { loadDraftForChange, touchedBy, type ChangeOptions } from './impact-assessments.service.js';

/**
 * Use cases of the Government of Canada's Algorithmic Impact Assessment questionnaire as a scored
 * template of an impact assessment: reading the form, storing an assessment's answers and
 * computing their score and impact level.
 */

const templateSource = 'Government of Canada, Treasury Board of Canada Secretariat: canada-ca/aia-eia-js, src/survey-enfr.json (Algorithmic Impact Assessment v1.0.1)';

const percent = (fraction: number) => Math.round(fraction * 100);

export function getCanadaAiaTemplate(caller: Caller): AiaTemplate {
  authorize(caller, 'register.read');
  const template = loadCanadaAiaTemplate();
  const questions = [...template.questions.values()];
  return {
    id: 'canada-aia',
    title: 'Algorithmic Impact Assessment (Government of Canada)',
    source: templateSource,
    licence: 'MIT (Crown copyright, Government of Canada); see examples/templates/canada-aia/README.md',
    templateSha256: template.sha256,
    maxImpactScore: template.maxImpactScore,
    scoring: {
      levelUpperBoundsPercent: aiaScoring.levelUpperBounds.map(percent),
      mitigationThresholdPercent: percent(aiaScoring.mitigationThreshold),
      mitigationReductionPercent: percent(aiaScoring.mitigationReduction),
    },
    counts: {
      pages: template.pages.length,
      questions: questions.length,
      choiceQuestions: questions.filter((question) => question.choices.length > 0).length,
      impactQuestions: questions.filter((question) => question.scoreKind === 'impact').length,
      mitigationQuestions: questions.filter((question) => question.scoreKind === 'mitigation').length,
      choices: questions.reduce((sum, question) => sum + question.choices.length, 0),
    },
    pages: template.pages.map((page) => ({
      name: page.name,
      title: page.title,
      visibleIf: page.visibleIf,
      questions: page.questions.map((question) => ({
        name: question.name,
        type: question.type,
        title: question.title,
        scoreKind: question.scoreKind,
        visibleIf: question.visibleIf,
        maxPoints: question.maxPoints,
        choices: question.choices.map((choice) => ({ value: choice.value, text: choice.text, points: choice.points })),
      })),
    })),
  };
}

export async function getAiaAnswers(ctx: ServiceContext, caller: Caller, assessmentId: string): Promise<AiaAnswers> {
  authorize(caller, 'register.read');
  const row = await findAssessmentRow(ctx.database.db, assessmentId);
  if (!row) throw notFound('impact assessment', assessmentId);
  return answersOf(row);
}

function answersOf(row: ImpactAssessmentTable): AiaAnswers {
  return {
    assessmentId: row.id,
    assessmentVersion: row.version,
    templateSha256: row.aia_template_sha256,
    answeredAt: row.aia_answered_at,
    answers: { ...parseAiaAnswers(row) } as AiaAnswers['answers'],
  };
}

/**
 * Replaces the answers of a draft. Every answer is checked against the form first: an unknown
 * question, a value that is not one of the question's choices, or an answer to a question the
 * other answers hide rejects the whole set, and nothing is stored.
 */
export async function putAiaAnswers(ctx: ServiceContext, caller: Caller, assessmentId: string, input: PutAiaAnswers, options: ChangeOptions = {}): Promise<AiaAnswers> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(PutAiaAnswers, input);
  // Checked here as well as in storeAiaAnswers, so that a bad set is rejected before the write lock is taken.
  const problems = checkAnswers(loadCanadaAiaTemplate(), parsed.answers);
  if (problems.length > 0) throw validationFailed(problems);
  return writeTransaction(ctx.database, (trx) => storeAiaAnswers(trx, caller, ctx.clock.now(), assessmentId, parsed, options));
}

/** Checks and stores the answers of a draft inside the caller's write transaction, with its audit event. */
export async function storeAiaAnswers(trx: Db, caller: Caller, now: Date, assessmentId: string, input: PutAiaAnswers, options: ChangeOptions = {}): Promise<AiaAnswers> {
  authorize(caller, 'impact_assessments.write');
  const parsed = parseWith(PutAiaAnswers, input);
  const template = loadCanadaAiaTemplate();
  const problems = checkAnswers(template, parsed.answers);
  if (problems.length > 0) throw validationFailed(problems);
  const answers = parsed.answers as Answers;
  const row = await loadDraftForChange(trx, assessmentId, options.expectedVersion, 'answered');
  const before = answersOf(row);
  // Answers are stored in the order of the form, so the stored text does not depend on the request's order.
  const ordered = Object.fromEntries([...template.questions.keys()].filter((name) => name in answers).map((name) => [name, answers[name]!]));
  const after: ImpactAssessmentTable = {
    ...touchedBy(row, caller, now),
    aia_answers: JSON.stringify(ordered),
    aia_template_sha256: template.sha256,
    aia_answered_at: toTimestamp(now),
  };
  await trx.updateTable('impact_assessments').set(after).where('id', '=', assessmentId).where('version', '=', row.version).execute();
  const stored = answersOf(after);
  await appendAuditEvent(trx, caller, now, { action: 'impact_assessment.aia_answered', recordId: assessmentId, before, after: stored, reason: options.reason ?? null });
  return stored;
}

export async function getAiaScore(ctx: ServiceContext, caller: Caller, assessmentId: string): Promise<AiaScore> {
  authorize(caller, 'register.read');
  const row = await findAssessmentRow(ctx.database.db, assessmentId);
  if (!row) throw notFound('impact assessment', assessmentId);
  if (row.aia_answers === null || row.aia_template_sha256 === null || row.aia_answered_at === null) {
    throw new AppError('NOT_FOUND', `Impact assessment "${row.title}" has no Canada AIA answers yet; store them with PUT /api/impact-assessments/${assessmentId}/canada-aia/answers`);
  }
  const template = loadCanadaAiaTemplate();
  if (row.aia_template_sha256 !== template.sha256) {
    // NOTE: answers to an earlier form are not rescored, because its questions and points may differ.
    throw new AppError(
      'CONFLICT',
      `The Canada AIA answers of "${row.title}" were given to another version of the form (SHA-256 ${row.aia_template_sha256}) than the one installed (${template.sha256}); answer the installed form again to score it`,
    );
  }
  const score = scoreAnswers(template, parseAiaAnswers(row));
  return { assessmentId, templateSha256: row.aia_template_sha256, answeredAt: row.aia_answered_at, ...score, contributions: score.contributions.map((entry) => ({ ...entry, answer: typeof entry.answer === 'string' ? entry.answer : [...entry.answer] })) };
}
