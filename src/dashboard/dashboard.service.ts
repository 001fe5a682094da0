import { lifecycleStages } from '../ai-systems/ai-system.js';
import { getScores } from '../assessments/results.service.js';
import type { ScoreRow } from '../assessments/assessment.schemas.js';
import { listClassificationReviews } from '../classification/reevaluation.service.js';
import { euAiActTiers } from '../classification/eu-ai-act.js';
import { listDocumentsDueForReview } from '../documents/documented-information.service.js';
import { utcDate } from '../evidence/evidence.js';
import { listReviewDue } from '../evidence/evidence.service.js';
import { listMonitoringTasks } from '../measurement/monitoring-tasks.service.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { listEscalations } from '../risks/escalations.service.js';
import { filterRisks } from '../risks/risks.repository.js';
import { findDraftRow, findLatestApprovedRow } from '../statement-of-applicability/soa.repository.js';
import { readEntries } from '../statement-of-applicability/soa.service.js';
import {
  countAiSystemsByStage,
  countAiSystemsByTier,
  countDocumentsOverdueForReview,
  countExpiredEvidence,
  findFailedRuns,
  findLatestCompletedGapAssessmentId,
  findOverdueTreatments,
} from './dashboard.repository.js';
import type { DashboardSummary } from './dashboard.schemas.js';
import { countRisksByCell } from './risk-heatmap.service.js';

/**
 * The dashboard in one request: the register by stage and tier, the risk heatmap, Statement of
 * Applicability progress, maturity by clause, what is overdue, and the latest failed measurements.
 * Each figure is counted the way the list endpoint it links to counts it.
 */

/** Items each short list on the dashboard shows. */
const listLength = 5;
/** Days ahead that count as due for evidence and document reviews, the review-due lists' default. */
const dueWithinDays = 30;

export async function getDashboard(ctx: ServiceContext, caller: Caller): Promise<DashboardSummary> {
  authorize(caller, 'register.read');
  // The measurement figures need their own permission. Every role that reads the register has it today.
  authorize(caller, 'measurements.read');
  const db = ctx.database.db;
  const today = utcDate(ctx.clock.now());

  const [aiSystems, risks, soa, maturity, overdue, measurements] = await Promise.all([
    summarizeAiSystems(db),
    summarizeRisks(db, today),
    summarizeSoa(db),
    summarizeMaturity(ctx, caller),
    summarizeOverdue(ctx, caller, today),
    summarizeMeasurements(ctx, caller),
  ]);
  return { asOf: today, aiSystems, risks, soa, maturity, overdue, measurements };
}

async function summarizeAiSystems(db: Db): Promise<DashboardSummary['aiSystems']> {
  const [byStage, { byTier, stale }] = await Promise.all([countAiSystemsByStage(db), countAiSystemsByTier(db)]);
  return {
    total: [...byStage.values()].reduce((sum, count) => sum + count, 0),
    byLifecycleStage: lifecycleStages.map((stage) => ({ stage, count: byStage.get(stage) ?? 0 })),
    byTier: [...euAiActTiers, null].map((tier) => ({ tier, count: byTier.get(tier) ?? 0 })),
    staleClassifications: stale,
  };
}

async function summarizeRisks(db: Db, today: string): Promise<DashboardSummary['risks']> {
  const countWhere = async (query: Parameters<typeof filterRisks>[1]) => {
    const row = await filterRisks(db, query, today)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  const [heatmap, beyondAppetite, escalated] = await Promise.all([countRisksByCell(db, {}, today), countWhere({ beyondAppetite: true }), countWhere({ escalated: true })]);
  return { heatmap, beyondAppetite, escalated };
}

/** Counts decisions and implementation per Annex A group in the version GET /api/soa/current returns. The organization's own controls have no group and are left out. */
async function summarizeSoa(db: Db): Promise<DashboardSummary['soa']> {
  const version = (await findLatestApprovedRow(db)) ?? (await findDraftRow(db));
  if (!version) return null;
  const entries = await readEntries(db, version.id);

  const groups = new Map<string, NonNullable<DashboardSummary['soa']>['groups'][number]>();
  for (const entry of entries) {
    if (entry.groupRef === null) continue;
    let group = groups.get(entry.groupRef);
    if (!group) {
      group = {
        ref: entry.groupRef,
        itemId: entry.groupRef.slice(entry.groupRef.indexOf(':') + 1),
        title: entry.groupTitle ?? entry.groupRef,
        controls: 0,
        applicable: 0,
        excluded: 0,
        undecided: 0,
        notStarted: 0,
        planned: 0,
        partiallyImplemented: 0,
        implemented: 0,
      };
      groups.set(entry.groupRef, group);
    }
    group.controls += 1;
    group[entry.decision] += 1;
    if (entry.implementationStatus === 'not_started') group.notStarted += 1;
    if (entry.implementationStatus === 'planned') group.planned += 1;
    if (entry.implementationStatus === 'partially_implemented') group.partiallyImplemented += 1;
    if (entry.implementationStatus === 'implemented') group.implemented += 1;
  }
  return { versionId: version.id, number: version.number, status: version.status, title: version.title, groups: [...groups.values()] };
}

async function summarizeMaturity(ctx: ServiceContext, caller: Caller): Promise<DashboardSummary['maturity']> {
  const assessmentId = await findLatestCompletedGapAssessmentId(ctx.database.db);
  if (!assessmentId) return null;
  const scores = await getScores(ctx, caller, assessmentId);
  const toRow = (row: ScoreRow) => ({ ref: row.ref ?? '', itemId: row.itemId ?? '', title: row.title, weightedMean: row.weightedMean, level: row.level, percentOfTarget: row.percentOfTarget });
  return {
    assessmentId,
    title: scores.title,
    // Only a completed assessment is chosen, so completedAt is set.
    completedAt: scores.completedAt!,
    targetLevel: scores.targetLevel,
    clauses: scores.clauses.map(toRow),
    annexAGroups: scores.annexAGroups.map(toRow),
  };
}

async function summarizeOverdue(ctx: ServiceContext, caller: Caller, today: string): Promise<DashboardSummary['overdue']> {
  const db = ctx.database.db;
  const [openReviews, overdueReviews, treatments, escalations, evidence, expiredEvidence, documents, overdueDocuments] = await Promise.all([
    listClassificationReviews(ctx, caller, { status: 'open', limit: listLength }),
    listClassificationReviews(ctx, caller, { overdue: true, limit: 1 }),
    findOverdueTreatments(db, today, listLength),
    listEscalations(ctx, caller, { overdue: true, limit: listLength }),
    listReviewDue(ctx, caller, { withinDays: dueWithinDays, limit: listLength }),
    countExpiredEvidence(db, today),
    listDocumentsDueForReview(ctx, caller, { withinDays: dueWithinDays, limit: listLength }),
    countDocumentsOverdueForReview(db, today),
  ]);
  return {
    classificationReviews: {
      open: openReviews.total,
      overdue: overdueReviews.total,
      items: openReviews.items.map(({ id, aiSystemId, aiSystemName, dueDate, overdue }) => ({ id, aiSystemId, aiSystemName, dueDate, overdue })),
    },
    treatments,
    escalations: {
      overdue: escalations.total,
      items: escalations.items.map(({ id, riskId, riskTitle, dueDate, escalateToRole }) => ({ id, riskId, riskTitle, dueDate, escalateToRole })),
    },
    evidence: {
      withinDays: dueWithinDays,
      due: evidence.total,
      expired: expiredEvidence,
      items: evidence.items.map(({ id, title, validUntil, daysRemaining, expired }) => ({ id, title, validUntil, daysRemaining, expired })),
    },
    documents: {
      withinDays: dueWithinDays,
      due: documents.total,
      overdue: overdueDocuments,
      items: documents.items.map(({ document, daysUntilReview, overdue }) => ({
        id: document.id,
        title: document.title,
        // The review-due list holds only documents with a next review date.
        nextReviewDate: document.nextReviewDate!,
        daysUntilReview,
        overdue,
      })),
    },
  };
}

async function summarizeMeasurements(ctx: ServiceContext, caller: Caller): Promise<DashboardSummary['measurements']> {
  const [failed, openTasks, overdueTasks] = await Promise.all([
    findFailedRuns(ctx.database.db, listLength),
    listMonitoringTasks(ctx, caller, { status: 'open', limit: listLength }),
    listMonitoringTasks(ctx, caller, { overdue: true, limit: 1 }),
  ]);
  return {
    failedRuns: failed.total,
    latestFailed: failed.items.map((run) => ({ ...run, kind: run.kind as DashboardSummary['measurements']['latestFailed'][number]['kind'], failed: Number(run.failed), outcomes: Number(run.outcomes) })),
    monitoringTasks: {
      open: openTasks.total,
      overdue: overdueTasks.total,
      items: openTasks.items.map(({ id, aiSystemId, aiSystemName, kind, metric, dueDate, overdue }) => ({ id, aiSystemId, aiSystemName, kind, metric, dueDate, overdue })),
    },
  };
}
