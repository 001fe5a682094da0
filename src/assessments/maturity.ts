/**
 * The maturity scale that every assessment answer uses: six levels, 0 to 5, each with the
 * criteria an assessor checks before giving that level. The scale follows the common
 * capability-maturity pattern; the names and criteria are custos's own wording.
 */

export const minMaturityLevel = 0;
export const maxMaturityLevel = 5;

export type MaturityLevel = 0 | 1 | 2 | 3 | 4 | 5;

export interface MaturityLevelDefinition {
  level: MaturityLevel;
  name: string;
  /** Conditions the assessor must see met for an item to reach this level, beside those of every lower level. */
  criteria: string;
}

export const maturityScale: readonly MaturityLevelDefinition[] = [
  {
    level: 0,
    name: 'Not performed',
    criteria:
      'Nothing is in place that an auditor could examine. The practice is missing, or people say it happens but no output or record shows it.',
  },
  {
    level: 1,
    name: 'Initial',
    criteria:
      'The practice happens ad hoc and depends on the people involved. Results differ from one occasion to the next, and records exist only by chance.',
  },
  {
    level: 2,
    name: 'Managed',
    criteria:
      'The practice is planned and repeated in the same way where it is used. Someone is responsible for it and records are kept, but teams may still do it differently.',
  },
  {
    level: 3,
    name: 'Defined',
    criteria:
      'The practice is documented, approved and applied consistently across the scope of the AI management system. The people doing it are trained, and records show it operating.',
  },
  {
    level: 4,
    name: 'Measured',
    criteria:
      'The practice has measures or indicators with targets. Results are monitored, deviations are detected and corrected, and management reviews the figures.',
  },
  {
    level: 5,
    name: 'Optimizing',
    criteria:
      'The practice is improved continually from its measures, incidents, audit findings and changes in AI technology and regulation. Improvements are planned, made and checked for effect.',
  },
];

/** Default target level of an assessment: the practice is defined and documented. */
export const defaultTargetLevel = 3;

export function maturityName(level: number): string | undefined {
  return maturityScale.find((definition) => definition.level === level)?.name;
}
