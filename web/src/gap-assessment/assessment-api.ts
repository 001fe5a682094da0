import { useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';

/** Types and reads of the assessments API (/api/assessments), as the gap assessment screen uses them. */

export type AssessmentStatus = 'in_progress' | 'completed';
export type AssessmentMode = 'gap' | 'mock_audit';
export type Effort = 'small' | 'medium' | 'large';
export type FindingKind = 'conformity' | 'observation' | 'minor_nonconformity' | 'major_nonconformity' | 'opportunity_for_improvement';
export type RemediationStatus = 'open' | 'in_progress' | 'done';

export interface Assessment {
  id: string;
  title: string;
  description: string;
  mode: AssessmentMode;
  includeOrganizationControls: boolean;
  targetLevel: number;
  status: AssessmentStatus;
  leadAssessorPersonId: string | null;
  /** Number of controls a mock audit sampled; null for a gap assessment. */
  sampleSize: number | null;
  /** Seed of the mock audit sample; null for a gap assessment. */
  seed: number | null;
  startedAt: string;
  completedAt: string | null;
  createdBy: string;
  version: number;
  progress: {
    itemCount: number;
    answeredCount: number;
    notApplicableCount: number;
    unansweredCount: number;
    /** Sampled controls per finding kind; empty for a gap assessment. */
    findingCounts: Partial<Record<FindingKind, number>>;
  };
}

export interface Answer {
  assessmentId: string;
  ref: string;
  frameworkId: string;
  itemId: string;
  kind: string;
  title: string;
  sectionRef: string | null;
  position: number;
  maturity: number | null;
  maturityName: string | null;
  notApplicable: boolean;
  notApplicableReason: string | null;
  comment: string;
  evidenceIds: string[];
  weight: number;
  effort: Effort | null;
  /** Mock audit finding, or null. */
  finding: FindingKind | null;
  findingText: string;
  answeredBy: string | null;
  answeredAt: string | null;
  version: number;
}

export type AnswerPatch = Partial<Pick<Answer, 'maturity' | 'comment' | 'effort' | 'notApplicable' | 'notApplicableReason' | 'finding' | 'findingText'>>;

export interface RemediationActionSummary {
  id: string;
  title: string;
  status: RemediationStatus;
  ownerPersonId: string;
  dueDate: string;
}

/** An item below the target level, as GET /api/assessments/:id/remediation-plan lists it, highest priority first. */
export interface RemediationPlanEntry {
  ref: string;
  itemId: string;
  title: string;
  sectionRef: string | null;
  maturity: number;
  targetLevel: number;
  gap: number;
  weight: number;
  /** Gap times weight. */
  priority: number;
  effort: Effort | null;
  comment: string;
  actions: RemediationActionSummary[];
}

export interface RemediationAction {
  id: string;
  assessmentId: string;
  itemRef: string;
  title: string;
  description: string;
  ownerPersonId: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  status: RemediationStatus;
  gap: number;
  weight: number;
  priority: number;
  createdBy: string;
  doneAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScoreRow {
  ref: string | null;
  itemId: string | null;
  title: string;
  itemCount: number;
  answeredCount: number;
  notApplicableCount: number;
  unansweredCount: number;
  weightTotal: number;
  weightedMean: number | null;
  percentOfTarget: number | null;
  level: number | null;
  /** Items at each level; index n counts level n. */
  levelCounts: number[];
}

export interface AssessmentScores {
  assessmentId: string;
  title: string;
  status: AssessmentStatus;
  targetLevel: number;
  completedAt: string | null;
  overall: ScoreRow;
  clauses: ScoreRow[];
  annexAGroups: ScoreRow[];
  organizationControls: ScoreRow | null;
}

export interface MaturityScale {
  levels: Array<{ level: number; name: string; criteria: string }>;
  defaultTargetLevel: number;
}

export const effortLabels: Record<Effort, string> = { small: 'Small', medium: 'Medium', large: 'Large' };

export const remediationStatusLabels: Record<RemediationStatus, string> = { open: 'Open', in_progress: 'In progress', done: 'Done' };

/** Finding kinds from best to worst, then the suggestion, as the API orders them. */
export const findingLabels: Record<FindingKind, string> = {
  conformity: 'Conformity',
  observation: 'Observation',
  minor_nonconformity: 'Minor nonconformity',
  major_nonconformity: 'Major nonconformity',
  opportunity_for_improvement: 'Opportunity for improvement',
};

export const assessmentKeys = {
  all: ['assessments'] as const,
  list: ['assessments', 'list'] as const,
  mockAudits: ['assessments', 'list', 'mock_audit'] as const,
  scale: ['assessments', 'maturity-scale'] as const,
  trend: ['assessments', 'trend'] as const,
  scores: (id: string) => ['assessments', 'scores', id] as const,
  answers: (id: string) => ['assessments', 'answers', id] as const,
  plan: (id: string) => ['assessments', 'remediation-plan', id] as const,
  actions: (id: string) => ['assessments', 'remediation-actions', id] as const,
};

/** Gap assessments, newest first; an organization runs a few a year, so one page of 500 contains them all. */
export function useGapAssessments() {
  return useQuery({
    queryKey: assessmentKeys.list,
    queryFn: () => api<Page<Assessment>>(apiPath('/assessments', { mode: 'gap', limit: 500 })),
  });
}

/** Mock audits, newest first; like gap assessments they are few, so one page of 500 contains them all. */
export function useMockAudits() {
  return useQuery({
    queryKey: assessmentKeys.mockAudits,
    queryFn: () => api<Page<Assessment>>(apiPath('/assessments', { mode: 'mock_audit', limit: 500 })),
  });
}

export function useMaturityScale() {
  return useQuery({ queryKey: assessmentKeys.scale, queryFn: () => api<MaturityScale>('/assessments/maturity-scale'), staleTime: Infinity });
}

export function useScores(assessmentId: string) {
  return useQuery({ queryKey: assessmentKeys.scores(assessmentId), queryFn: () => api<AssessmentScores>(`/assessments/${encodeURIComponent(assessmentId)}/scores`) });
}

/** Completed assessments in completion order with their scores; the last 500 cover years of reviews. */
export function useTrend() {
  return useQuery({ queryKey: assessmentKeys.trend, queryFn: () => api<Page<AssessmentScores>>(apiPath('/assessments/trend', { limit: 500 })) });
}

/** Every item of an assessment in questionnaire order: about 70 for ISO/IEC 42001, more with the organization's own controls. */
export function useAnswers(assessmentId: string) {
  return useQuery({
    queryKey: assessmentKeys.answers(assessmentId),
    queryFn: () => api<Page<Answer>>(apiPath(`/assessments/${encodeURIComponent(assessmentId)}/answers`, { limit: 500 })),
  });
}

/** Reads the items below the target level by priority. NOTE: reads the first 500, the API's largest page, while ISO/IEC 42001 alone has about 70 items. */
export function useRemediationPlan(assessmentId: string) {
  return useQuery({
    queryKey: assessmentKeys.plan(assessmentId),
    queryFn: () => api<Page<RemediationPlanEntry>>(apiPath(`/assessments/${encodeURIComponent(assessmentId)}/remediation-plan`, { limit: 500 })),
  });
}

/** Reads the remediation actions of an assessment, soonest due first. */
export function useRemediationActions(assessmentId: string) {
  return useQuery({
    queryKey: assessmentKeys.actions(assessmentId),
    queryFn: () => api<Page<RemediationAction>>(apiPath(`/assessments/${encodeURIComponent(assessmentId)}/remediation-actions`, { limit: 500, sort: 'dueDate' })),
  });
}

export function actionPath(assessmentId: string, actionId?: string): string {
  const base = `/assessments/${encodeURIComponent(assessmentId)}/remediation-actions`;
  return actionId === undefined ? base : `${base}/${encodeURIComponent(actionId)}`;
}

export function answerPath(assessmentId: string, ref: string): string {
  return `/assessments/${encodeURIComponent(assessmentId)}/answers/${encodeURIComponent(ref)}`;
}

/** The rows of a heatmap or trend in document order: clauses 4 to 10, the Annex A groups, then the organization's own controls. */
export function sectionRows(scores: AssessmentScores): ScoreRow[] {
  return [...scores.clauses, ...scores.annexAGroups, ...(scores.organizationControls ? [scores.organizationControls] : [])];
}

/** `6 Planning`, `A.6 AI system life cycle`, or the row title when it has no identifier. */
export function sectionLabel(row: Pick<ScoreRow, 'itemId' | 'title'>): string {
  return row.itemId ? `${row.itemId} ${row.title}` : row.title;
}

export function formatMean(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

export { formatDate } from '../components/format';
