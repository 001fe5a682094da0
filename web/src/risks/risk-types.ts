/** Shapes of the risk register's API responses, as the web app reads them (the full schemas are at /api/docs). */

export interface Band {
  key: string;
  label: string;
  order: number;
}

export interface RiskRating {
  likelihood: number;
  impact: number;
  score: number;
  band: Band;
  matrixNumber: number;
  onActiveMatrix: boolean;
}

export interface Risk {
  id: string;
  title: string;
  description: string;
  scope: 'ai_system' | 'organization';
  aiSystemId: string | null;
  riskSourceRef: string;
  threat: string | null;
  objectiveRef: string;
  category: string;
  ermCategory: string | null;
  ownerPersonId: string;
  inherent: RiskRating | null;
  residual: RiskRating | null;
  status: string;
  beyondAppetite: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Treatment {
  id: string;
  riskId: string;
  option: string;
  description: string;
  controlRefs: string[];
  ownerPersonId: string;
  dueDate: string;
  successMetric: string;
  status: string;
  completedAt: string | null;
  version: number;
}

export interface Acceptance {
  id: string;
  band: string;
  likelihood: number;
  impact: number;
  acceptedByUsername: string;
  authorityRole: string;
  rationale: string;
  reviewDate: string | null;
  acceptedAt: string;
}

export interface Escalation {
  id: string;
  riskId: string;
  score: number;
  maxScore: number;
  band: string;
  escalateToRole: string;
  /** User id of the user whose change put the risk beyond appetite. */
  openedBy: string;
  openedAt: string;
  dueDate: string;
  status: 'open' | 'resolved';
  overdue: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: string | null;
  resolutionNote: string | null;
  version: number;
}

/** Up to which band each role may accept residual risk (GET /api/risks/acceptance-authorities). */
export interface AcceptanceAuthorities {
  authorities: { role: string; maxBand: string; maxBandLabel: string; maxBandOrder: number }[];
}

/** Outcomes a person records when resolving an escalation. Accepting the risk goes through an acceptance instead. */
export const manualEscalationOutcomes = [
  { value: 'treatment_planned', label: 'Treatment planned' },
  { value: 'appetite_revised', label: 'Appetite revised' },
  { value: 'other', label: 'Other decision' },
] as const;

export interface ScaleLevel {
  level: number;
  label: string;
  definition?: string;
}

export interface RiskMatrix {
  number: number;
  likelihoodLevels: ScaleLevel[];
  impactLevels: ScaleLevel[];
  bands: Band[];
  cells: { likelihood: number; impact: number; band: string }[];
}

export interface RiskCategory {
  id: string;
  label: string;
}

export interface HeatmapCell {
  likelihood: number;
  impact: number;
  band: string;
  count: number;
}

export interface RiskHeatmap {
  rating: 'current' | 'inherent' | 'residual';
  matrixNumber: number;
  likelihoodLevels: ScaleLevel[];
  impactLevels: ScaleLevel[];
  bands: Band[];
  cells: HeatmapCell[];
  total: number;
  unrated: number;
  offMatrix: number;
}

export interface FacetValue {
  id: string;
  name: string;
  count: number;
}

export interface RiskFacets {
  aiSystems: FacetValue[];
  owners: FacetValue[];
  categories: FacetValue[];
}

/** Statuses, treatment options and states as the API names them. */
export const riskStatuses = ['identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed'] as const;
export const settableRiskStatuses = ['identified', 'assessed', 'treatment_planned', 'treated', 'closed'] as const;
export const treatmentOptions = ['avoid', 'modify', 'share', 'retain'] as const;
export const treatmentStatuses = ['planned', 'in_progress', 'completed', 'cancelled'] as const;
export const treatmentStates = [
  { value: 'none', label: 'No treatment' },
  { value: 'open', label: 'Treatment open' },
  { value: 'overdue', label: 'Treatment overdue' },
  { value: 'completed', label: 'Treatments completed' },
] as const;

/** The rating appetite is judged on: the residual one once assessed, else the inherent one. */
export function currentRating(risk: Risk): RiskRating | null {
  return risk.residual ?? risk.inherent;
}
