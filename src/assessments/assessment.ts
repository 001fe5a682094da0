/**
 * Vocabulary of assessments, shared by the schemas and the services. The migration keeps its own
 * copy of each list, because a migration that has shipped must keep creating the same schema.
 */

/**
 * gap: every clause leaf and Annex A control (and optionally the organization's own controls) is
 * answered with a maturity level. mock_audit: a seeded random sample of controls gets findings,
 * as an internal auditor would record them.
 */
export const assessmentModes = ['gap', 'mock_audit'] as const;
export type AssessmentMode = (typeof assessmentModes)[number];

export const assessmentStatuses = ['in_progress', 'completed'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/** Rough size of the work needed to close a gap; the remediation plan puts small efforts first among equal priorities. */
export const efforts = ['small', 'medium', 'large'] as const;
export type Effort = (typeof efforts)[number];

/** Kinds of audit finding a mock audit records on a sampled control, from best to worst, then the suggestion. */
export const findingKinds = ['conformity', 'observation', 'minor_nonconformity', 'major_nonconformity', 'opportunity_for_improvement'] as const;
export type FindingKind = (typeof findingKinds)[number];

export const remediationStatuses = ['open', 'in_progress', 'done'] as const;
export type RemediationStatus = (typeof remediationStatuses)[number];

/** Largest sample seed: seeds are unsigned 32-bit integers, the state size of the generator. */
export const maxSampleSeed = 4_294_967_295;

/** Catalogue item kinds that an assessment answers: the clause leaves and the controls. */
export const assessedKinds = ['clause', 'control'] as const;
