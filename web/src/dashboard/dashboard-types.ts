import type { RiskHeatmap } from '../risks/risk-types';

/** The answer of GET /api/dashboard, as the dashboard reads it. */
export interface DashboardSummary {
  asOf: string;
  aiSystems: {
    total: number;
    byLifecycleStage: { stage: string; count: number }[];
    byTier: { tier: string | null; count: number }[];
    staleClassifications: number;
  };
  risks: { heatmap: RiskHeatmap; beyondAppetite: number; escalated: number };
  soa: {
    versionId: string;
    number: number;
    status: string;
    title: string;
    groups: SoaGroupProgress[];
  } | null;
  maturity: {
    assessmentId: string;
    title: string;
    completedAt: string;
    targetLevel: number;
    clauses: MaturityRow[];
    annexAGroups: MaturityRow[];
  } | null;
  overdue: {
    classificationReviews: { open: number; overdue: number; items: { id: string; aiSystemId: string; aiSystemName: string; dueDate: string; overdue: boolean }[] };
    treatments: { overdue: number; risks: number; items: { id: string; riskId: string; riskTitle: string; description: string; dueDate: string; status: string }[] };
    escalations: { overdue: number; items: { id: string; riskId: string; riskTitle: string; dueDate: string; escalateToRole: string }[] };
    evidence: { withinDays: number; due: number; expired: number; items: { id: string; title: string; validUntil: string; daysRemaining: number; expired: boolean }[] };
    documents: { withinDays: number; due: number; overdue: number; items: { id: string; title: string; nextReviewDate: string; daysUntilReview: number; overdue: boolean }[] };
  };
  measurements: {
    failedRuns: number;
    latestFailed: { id: string; aiSystemId: string; aiSystemName: string; kind: string; policyName: string | null; finishedAt: string; failed: number; outcomes: number }[];
    monitoringTasks: { open: number; overdue: number; items: { id: string; aiSystemId: string; aiSystemName: string; kind: string; metric: string; dueDate: string; overdue: boolean }[] };
  };
}

export interface SoaGroupProgress {
  ref: string;
  itemId: string;
  title: string;
  controls: number;
  applicable: number;
  excluded: number;
  undecided: number;
  notStarted: number;
  planned: number;
  partiallyImplemented: number;
  implemented: number;
}

export interface MaturityRow {
  ref: string;
  itemId: string;
  title: string;
  weightedMean: number | null;
  level: number | null;
  percentOfTarget: number | null;
}
