/**
 * How far the organization's controls meet an external framework's obligations, judged from the
 * crosswalks and the Statement of Applicability. Pure rules; the service loads the data.
 */

export const coverageStates = ['covered', 'partial', 'open', 'clauses_only', 'not_mapped'] as const;
export type CoverageState = (typeof coverageStates)[number];

export interface MappedControl {
  ref: string;
  decision: 'undecided' | 'applicable' | 'excluded' | null;
  implementationStatus: 'not_started' | 'planned' | 'partially_implemented' | 'implemented' | null;
}

/**
 * Classifies one obligation by the controls mapped to it:
 * - covered: every mapped control is applicable and implemented;
 * - partial: at least one is implemented or partially implemented, but not all are implemented;
 * - open: controls are mapped but none is even partially implemented (or they are excluded or undecided);
 * - clauses_only: only management-system clauses are mapped, which the Statement of Applicability does not track;
 * - not_mapped: no crosswalk links the obligation to the standard.
 */
export function coverageStateOf(controls: readonly MappedControl[], mappedClauses: number): CoverageState {
  if (controls.length === 0) return mappedClauses > 0 ? 'clauses_only' : 'not_mapped';
  const implemented = controls.filter((control) => control.decision === 'applicable' && control.implementationStatus === 'implemented').length;
  if (implemented === controls.length) return 'covered';
  const started = controls.filter((control) => control.decision === 'applicable' && (control.implementationStatus === 'implemented' || control.implementationStatus === 'partially_implemented')).length;
  return started > 0 ? 'partial' : 'open';
}

/** Mapped controls that leave a gap: excluded, undecided, missing from the Statement of Applicability, or not implemented. */
export function gapsOf(controls: readonly MappedControl[]): MappedControl[] {
  return controls.filter((control) => control.decision !== 'applicable' || control.implementationStatus !== 'implemented');
}
