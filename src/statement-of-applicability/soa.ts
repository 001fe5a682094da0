import type { ErrorDetail } from '../platform/errors.js';

/**
 * Rules of the Statement of Applicability (ISO/IEC 42001 clause 6.1.3): each control is decided
 * applicable or excluded with a justification either way, an applicable control carries its
 * implementation status and the grounds that make it necessary, and a version is approved by
 * someone who had no hand in writing it.
 */

/** A discarded draft keeps its number and its place in the list, without entries. */
export const soaStatuses = ['draft', 'approved', 'discarded'] as const;
export type SoaStatus = (typeof soaStatuses)[number];

export const soaDecisions = ['undecided', 'applicable', 'excluded'] as const;
export type SoaDecision = (typeof soaDecisions)[number];

export const implementationStatuses = ['not_started', 'planned', 'partially_implemented', 'implemented'] as const;
export type ImplementationStatus = (typeof implementationStatuses)[number];

/** Grounds for including a control: the risk treatment or the requirement that needs it. */
export const inclusionBases = [
  'risk_treatment',
  'legal_requirement',
  'contractual_requirement',
  'interested_party_requirement',
  'organizational_policy',
] as const;
export type InclusionBasis = (typeof inclusionBases)[number];

/** The decision fields of one entry, as stored. */
export interface EntryDecision {
  decision: SoaDecision;
  justification: string;
  basis: InclusionBasis[];
  requirementRefs: string[];
  implementationStatus: ImplementationStatus | null;
  ownerPersonId: string | null;
  notes: string;
}

/**
 * Returns every way an entry breaks the decision rules, with the path of the field to fix.
 * The service checks the entry as it would be after a change, so a patch that sets only the
 * decision is judged together with the justification already stored.
 */
export function decisionProblems(entry: EntryDecision): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (entry.decision === 'undecided') {
    if (entry.implementationStatus !== null) {
      problems.push({ path: '/implementationStatus', message: 'must be null while the control is undecided; decide it applicable first' });
    }
    return problems;
  }

  if (!hasWords(entry.justification)) {
    problems.push({
      path: '/justification',
      message:
        entry.decision === 'excluded'
          ? 'is required to exclude a control: give the reason the control is not needed'
          : 'is required to include a control: say which risk treatment or requirement needs it',
    });
  }
  if (entry.decision === 'applicable') {
    if (entry.basis.length === 0) {
      problems.push({ path: '/basis', message: `must name at least one ground for including the control, from: ${inclusionBases.join(', ')}` });
    }
    if (entry.implementationStatus === null) {
      problems.push({ path: '/implementationStatus', message: `is required for an applicable control, one of: ${implementationStatuses.join(', ')}` });
    }
  } else {
    if (entry.basis.length > 0) {
      problems.push({ path: '/basis', message: 'lists grounds for inclusion, which an excluded control does not have; send an empty list' });
    }
    if (entry.implementationStatus !== null) {
      problems.push({ path: '/implementationStatus', message: 'must be null for an excluded control' });
    }
  }
  return problems;
}

/** True when the text has at least one letter or digit, so blank and invisible-only text fail. */
function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Returns a problem when a change flips a decided control to the other decision without a new
 * justification: the stored one argued for the old decision and must not stand for the new one.
 */
export function justificationChangeProblems(before: SoaDecision, after: SoaDecision, justificationSent: boolean): ErrorDetail[] {
  if (before === after || after === 'undecided' || before === 'undecided' || justificationSent) return [];
  return [
    {
      path: '/justification',
      message: `must be sent with a decision that changes from ${before} to ${after}, because the stored justification argues for ${before}`,
    },
  ];
}

/** The people who wrote a version: its creator and everyone who changed one of its entries. */
export function authorsOf(createdBy: string, entryEditors: Iterable<readonly string[]>): Set<string> {
  const authors = new Set([createdBy]);
  for (const editors of entryEditors) for (const editor of editors) authors.add(editor);
  return authors;
}

export const comparedFields = ['decision', 'justification', 'basis', 'requirementRefs', 'implementationStatus', 'ownerPersonId', 'notes'] as const;
export type ComparedField = (typeof comparedFields)[number];

export interface FieldChange {
  field: ComparedField;
  before: unknown;
  after: unknown;
}

export interface EntryDifference {
  controlRef: string;
  change: 'added' | 'removed' | 'changed';
  fields: FieldChange[];
}

/** Compares two versions entry by entry; entries that are equal in every compared field are left out. */
export function diffEntries(
  before: ReadonlyMap<string, EntryDecision>,
  after: ReadonlyMap<string, EntryDecision>,
  order: readonly string[],
): EntryDifference[] {
  const differences: EntryDifference[] = [];
  for (const ref of order) {
    const old = before.get(ref);
    const current = after.get(ref);
    if (!old && !current) continue;
    if (!old) {
      differences.push({ controlRef: ref, change: 'added', fields: comparedFields.map((field) => ({ field, before: null, after: current![field] })) });
    } else if (!current) {
      differences.push({ controlRef: ref, change: 'removed', fields: comparedFields.map((field) => ({ field, before: old[field], after: null })) });
    } else {
      const fields = comparedFields
        .filter((field) => JSON.stringify(old[field]) !== JSON.stringify(current[field]))
        .map((field) => ({ field, before: old[field], after: current[field] }));
      if (fields.length > 0) differences.push({ controlRef: ref, change: 'changed', fields });
    }
  }
  return differences;
}
