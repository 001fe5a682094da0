import { iso42001FrameworkId } from '../catalogue/catalogue.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import type { Effort } from './assessment.js';
import {
  RemediationPlanQuery,
  TrendQuery,
  type AssessmentRecord,
  type AssessmentScores,
  type RemediationPlanEntry,
  type ScoreRow,
} from './assessment.schemas.js';
import { findActionsByItem, listAllAnswers, queryCompletedGapAssessments, toAssessmentRecord, type AnswerRow } from './assessments.repository.js';
import { loadAssessment } from './assessments.service.js';
import { findTopLevelRef, groupBySection, planRemediation, totalScores, type PlanCandidate, type ScoredAnswer } from './scoring.js';

/**
 * Results of assessments: the weighted roll-up per clause and Annex A group (a heatmap-ready
 * table), the prioritized remediation plan, and the trend over completed gap assessments.
 */

export async function getScores(ctx: ServiceContext, caller: Caller, assessmentId: string): Promise<AssessmentScores> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const assessment = await loadAssessment(db, assessmentId);
  const [answers, sections] = await Promise.all([listAllAnswers(db, [assessmentId]), loadSections(db)]);
  return buildScores(assessment, answers, sections);
}

/** Lists the completed gap assessments in completion order, each with its roll-up, so that a chart can plot them over time. */
export async function getTrend(ctx: ServiceContext, caller: Caller, query: TrendQuery): Promise<PageOf<AssessmentScores>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(TrendQuery, query);
  const db = ctx.database.db;
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryCompletedGapAssessments(db, limit, offset);
  const [answers, sections] = await Promise.all([listAllAnswers(db, rows.map((row) => row.id)), loadSections(db)]);

  const byAssessment = new Map<string, AnswerRow[]>();
  for (const answer of answers) {
    const list = byAssessment.get(answer.assessment_id);
    if (list) list.push(answer);
    else byAssessment.set(answer.assessment_id, [answer]);
  }
  const items = rows.map((row) => buildScores(toAssessmentRecord(row), byAssessment.get(row.id) ?? [], sections));
  return { items, total, limit, offset };
}

/**
 * Lists the answered items below the target level, highest priority (gap times weight) first,
 * then small efforts before large ones, each with the remediation actions already raised.
 * Unanswered and not-applicable items have no gap to remediate and are left out.
 */
export async function getRemediationPlan(ctx: ServiceContext, caller: Caller, assessmentId: string, query: RemediationPlanQuery): Promise<PageOf<RemediationPlanEntry>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RemediationPlanQuery, query);
  const db = ctx.database.db;
  const assessment = await loadAssessment(db, assessmentId);
  const { limit, offset } = pageBounds(parsed);

  const candidates = (await listAllAnswers(db, [assessmentId])).flatMap((row) => {
    const candidate = toPlanCandidate(row);
    return candidate ? [candidate] : [];
  });
  const plan = planRemediation(candidates, assessment.targetLevel);
  const page = plan.slice(offset, offset + limit);
  const actions = await findActionsByItem(db, assessmentId, page.map((entry) => entry.candidate.ref));

  const items = page.map(({ candidate, gap, priority }): RemediationPlanEntry => ({
    ref: candidate.ref,
    itemId: candidate.row.item_id,
    title: candidate.row.title,
    sectionRef: candidate.row.section_ref,
    maturity: candidate.maturity,
    targetLevel: assessment.targetLevel,
    gap,
    weight: candidate.weight,
    priority,
    effort: candidate.effort,
    comment: candidate.row.comment,
    actions: (actions.get(candidate.ref) ?? []).map((action) => ({
      id: action.id,
      title: action.title,
      status: action.status as RemediationPlanEntry['actions'][number]['status'],
      ownerPersonId: action.owner_person_id,
      dueDate: action.due_date,
    })),
  }));
  return { items, total: plan.length, limit, offset };
}

type PlanRow = PlanCandidate & { row: AnswerRow };

/** Turns an answer with a maturity level into a plan candidate; returns undefined for unanswered or not-applicable items. */
export function toPlanCandidate(row: AnswerRow): PlanRow | undefined {
  if (row.not_applicable === 1 || row.maturity === null) return undefined;
  return {
    ref: row.item_ref,
    maturity: row.maturity,
    weight: row.weight_override ?? row.catalogue_weight,
    effort: row.effort as Effort | null,
    position: row.position,
    row,
  };
}

/** A top-level clause or Annex A group of ISO/IEC 42001 that contains at least one assessable item. */
interface Section {
  ref: string;
  itemId: string;
  title: string;
  kind: string;
}

async function loadSections(db: Db): Promise<Section[]> {
  const items = await db
    .selectFrom('catalogue_items')
    .select(['ref', 'item_id', 'parent_ref', 'kind', 'title', 'assessable', 'position'])
    .where('framework_id', '=', iso42001FrameworkId)
    .orderBy('position')
    .execute();
  const parentOf = new Map(items.map((item) => [item.ref, item.parent_ref]));
  const withAssessableItems = new Set(items.filter((item) => item.assessable === 1).map((item) => findTopLevelRef(item.ref, parentOf)));
  return items
    .filter((item) => withAssessableItems.has(item.ref))
    .map((item) => ({ ref: item.ref, itemId: item.item_id, title: item.title, kind: item.kind }));
}

function buildScores(assessment: AssessmentRecord, answers: readonly AnswerRow[], sections: readonly Section[]): AssessmentScores {
  const scored: ScoredAnswer[] = answers.map((row) => ({
    ref: row.item_ref,
    sectionRef: row.section_ref,
    maturity: row.maturity,
    notApplicable: row.not_applicable === 1,
    weight: row.weight_override ?? row.catalogue_weight,
  }));
  const bySection = groupBySection(scored);
  const target = assessment.targetLevel;
  // NOTE: answers whose section is no longer a top-level item of the catalogue (the catalogue
  // files moved it) count only in the overall row.
  const rowOf = (section: Section): ScoreRow => ({ ref: section.ref, itemId: section.itemId, title: section.title, ...totalScores(bySection.get(section.ref) ?? [], target) });
  const organizationAnswers = bySection.get(null) ?? [];

  return {
    assessmentId: assessment.id,
    title: assessment.title,
    mode: assessment.mode,
    status: assessment.status,
    targetLevel: target,
    completedAt: assessment.completedAt,
    overall: { ref: null, itemId: null, title: 'All items in scope', ...totalScores(scored, target) },
    clauses: sections.filter((section) => section.kind === 'clause').map(rowOf),
    annexAGroups: sections.filter((section) => section.kind === 'group').map(rowOf),
    organizationControls: assessment.includeOrganizationControls
      ? { ref: null, itemId: null, title: "The organization's own controls", ...totalScores(organizationAnswers, target) }
      : null,
  };
}
