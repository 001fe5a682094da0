/**
 * Rules of the risk register (ISO/IEC 42001 clauses 6.1.2 and 8.2): the lifecycle of a risk, the
 * treatment options and their statuses, and which rating appetite is judged on.
 */

export const riskStatuses = ['identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed'] as const;
export type RiskStatus = (typeof riskStatuses)[number];

/** Statuses a caller may set directly. A risk becomes `accepted` only through an acceptance. */
export const settableRiskStatuses = ['identified', 'assessed', 'treatment_planned', 'treated', 'closed'] as const;

export const treatmentOptions = ['avoid', 'modify', 'share', 'retain'] as const;
export type TreatmentOption = (typeof treatmentOptions)[number];

export const treatmentStatuses = ['planned', 'in_progress', 'completed', 'cancelled'] as const;
export type TreatmentStatus = (typeof treatmentStatuses)[number];

/** The built-in categories. The organization adds its own beside them. */
export const builtinCategories = ['ethical', 'legal', 'operational'] as const;

/** Catalogue kinds that a risk's source, affected objective and treatment controls must have. */
export const riskSourceKind = 'risk-source';
export const objectiveKind = 'organizational-objective';
export const controlKind = 'control';

export interface RatedLevels {
  likelihood: number;
  impact: number;
}

/**
 * Returns the rating that appetite is judged on: the residual rating once there is one, else the
 * inherent rating, else null (an unrated risk is never beyond appetite).
 */
export function currentRating<T extends RatedLevels>(inherent: T | null, residual: T | null): T | null {
  return residual ?? inherent;
}

/**
 * Checks a requested status against the ratings. Returns a problem message, or null when the
 * status is allowed. Any status past `identified` needs an inherent rating, and `treated` also
 * needs the residual rating that the treatment left.
 */
export function findStatusProblem(status: RiskStatus, hasInherent: boolean, hasResidual: boolean): string | null {
  if (status === 'accepted') return 'a risk becomes accepted only through an acceptance by someone with authority for its band; use POST /api/risks/{id}/acceptances';
  if (status !== 'identified' && status !== 'closed' && !hasInherent) return `status ${status} needs an inherent rating; rate the risk first (inherent likelihood and impact)`;
  if (status === 'treated' && !hasResidual) return 'status treated needs a residual rating; rate the risk left after treatment first';
  return null;
}
