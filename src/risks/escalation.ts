import { addDays, utcDate } from '../evidence/evidence.js';

/**
 * Escalation of a risk beyond appetite. The category's escalation path names the role that
 * decides and the deadline in days. The escalation is due that many days after the day it was
 * opened (UTC), and an open escalation is overdue from the day after its due date.
 */

export const escalationStatuses = ['open', 'resolved'] as const;
export type EscalationStatus = (typeof escalationStatuses)[number];

/** Outcomes a person records when resolving an escalation. */
export const manualOutcomes = ['treatment_planned', 'appetite_revised', 'other'] as const;
/** Outcomes custos records itself when the risk changes. */
export const automaticOutcomes = ['risk_accepted', 'back_within_appetite', 'risk_closed'] as const;
export const escalationOutcomes = [...manualOutcomes, ...automaticOutcomes] as const;
export type EscalationOutcome = (typeof escalationOutcomes)[number];

export function dueDateOf(openedAt: Date, deadlineDays: number): string {
  return addDays(utcDate(openedAt), deadlineDays);
}

export function isOverdue(status: EscalationStatus, dueDate: string, now: Date): boolean {
  return status === 'open' && dueDate < utcDate(now);
}

/** The step the register takes with a risk's escalation after a change to the risk. */
export type EscalationStep = { kind: 'none' } | { kind: 'open' } | { kind: 'resolve'; outcome: 'back_within_appetite' | 'risk_closed' };

/**
 * Decides the escalation step after a change. An escalation opens when a risk becomes beyond
 * appetite, or when a risk already beyond appetite gets a higher score and none is open. An
 * accepted or closed risk opens none. An open escalation resolves itself when the risk closes or
 * falls back within appetite.
 */
export function nextEscalationStep(input: {
  wasBeyond: boolean;
  isBeyond: boolean;
  previousScore: number | null;
  score: number | null;
  status: string;
  hasOpenEscalation: boolean;
}): EscalationStep {
  if (input.hasOpenEscalation) {
    if (input.status === 'closed') return { kind: 'resolve', outcome: 'risk_closed' };
    if (!input.isBeyond) return { kind: 'resolve', outcome: 'back_within_appetite' };
    return { kind: 'none' };
  }
  if (!input.isBeyond || input.status === 'accepted' || input.status === 'closed') return { kind: 'none' };
  if (!input.wasBeyond) return { kind: 'open' };
  if (input.previousScore !== null && input.score !== null && input.score > input.previousScore) return { kind: 'open' };
  return { kind: 'none' };
}
