/**
 * Rules of AI objectives (ISO/IEC 42001 clause 6.2): each objective has a measurable target, a
 * KPI whose recorded values show whether the target is met, an owner and a due date.
 */

/** Comparisons of a KPI value with the target. */
export const objectiveDirections = ['at_least', 'at_most', 'equal'] as const;
export type ObjectiveDirection = (typeof objectiveDirections)[number];

/** The owner's assessment of the objective; targetMet beside it is worked out from the KPI. */
export const objectiveStatuses = ['planned', 'on_track', 'at_risk', 'achieved', 'missed'] as const;
export type ObjectiveStatus = (typeof objectiveStatuses)[number];

/** Bound on targets and KPI values, well inside the range where doubles hold whole numbers exactly. */
export const maxMagnitude = 1e15;

/**
 * Tells whether a KPI value meets the target, or returns null when nothing was measured yet.
 * `equal` compares exactly, so it suits counts and other whole values.
 */
export function isTargetMet(direction: ObjectiveDirection, target: number, value: number | null): boolean | null {
  if (value === null) return null;
  switch (direction) {
    case 'at_least':
      return value >= target;
    case 'at_most':
      return value <= target;
    case 'equal':
      return value === target;
  }
}
