import { useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';

/** Types and reads of the assessments API (/api/assessments), as the gap assessment screen uses them. */

export type AssessmentStatus = 'in_progress' | 'completed';
export type Effort = 'small' | 'medium' | 'large';

export interface Assessment {
  id: string;
  title: string;
  description: string;
  mode: 'gap' | 'mock_audit';
  includeOrganizationControls: boolean;
  targetLevel: number;
  status: AssessmentStatus;
  leadAssessorPersonId: string | null;
  startedAt: string;
  completedAt: string | null;
  createdBy: string;
  version: number;
  progress: { itemCount: number; answeredCount: number; notApplicableCount: number; unansweredCount: number };
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
  answeredBy: string | null;
  answeredAt: string | null;
  version: number;
}

export type AnswerPatch = Partial<Pick<Answer, 'maturity' | 'comment' | 'effort' | 'notApplicable' | 'notApplicableReason'>>;

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

export const assessmentKeys = {
  all: ['assessments'] as const,
  list: ['assessments', 'list'] as const,
  scale: ['assessments', 'maturity-scale'] as const,
  trend: ['assessments', 'trend'] as const,
  scores: (id: string) => ['assessments', 'scores', id] as const,
  answers: (id: string) => ['assessments', 'answers', id] as const,
};

/** Gap assessments, newest first; an organization runs a few a year, so one page of 500 contains them all. */
export function useGapAssessments() {
  return useQuery({
    queryKey: assessmentKeys.list,
    queryFn: () => api<Page<Assessment>>(apiPath('/assessments', { mode: 'gap', limit: 500 })),
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

export function formatDate(timestamp: string | null): string {
  if (!timestamp) return '';
  return new Date(timestamp).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
