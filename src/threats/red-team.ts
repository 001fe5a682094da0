import type { ErrorDetail } from '../platform/errors.js';

/**
 * Rules of red-team exercises and independent reviews, the challenge of AI systems by people
 * outside their development, and of the findings they produce.
 */

export const exerciseKinds = ['red_team', 'independent_review'] as const;
export type ExerciseKind = (typeof exerciseKinds)[number];

/** Performer of the exercise: a team of the organization, or a named third party. */
export const performerTypes = ['internal', 'third_party'] as const;
export type PerformerType = (typeof performerTypes)[number];

/** Severities in rising order. */
export const findingSeverities = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

export const findingStatuses = ['open', 'accepted', 'remediated', 'closed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

/**
 * The statuses a finding may move to from each status. A finding is closed only after it was
 * accepted or remediated, and any finding can be reopened, for example when a retest fails.
 */
const nextStatuses: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['accepted', 'remediated'],
  accepted: ['open', 'remediated', 'closed'],
  remediated: ['open', 'closed'],
  closed: ['open'],
};

/** Statuses that need a resolution: why the finding was accepted, or what remediated it. */
export const statusesWithResolution: readonly FindingStatus[] = ['accepted', 'remediated'];

export function allowedNextStatuses(from: FindingStatus): readonly FindingStatus[] {
  return nextStatuses[from];
}

/**
 * Checks a finding's status and resolution after a change. Keeping the status is always allowed;
 * a new status must follow from the old one.
 */
export function findStatusProblems(from: FindingStatus, to: FindingStatus, resolution: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (from !== to && !nextStatuses[from].includes(to)) {
    problems.push({ path: '/status', message: `cannot move from ${from} to ${to}; from ${from} a finding may move to ${nextStatuses[from].join(', ')}` });
  }
  if (statusesWithResolution.includes(to) && resolution.trim() === '') {
    problems.push({
      path: '/resolution',
      message: to === 'accepted' ? 'must say why the finding is accepted before its status is accepted' : 'must say how the finding was remediated before its status is remediated',
    });
  }
  return problems;
}
