import type { Effort } from './assessment.js';
import { maxMaturityLevel } from './maturity.js';

/**
 * Pure rules of assessment results: the weighted roll-up of maturity levels per section and the
 * order of the remediation plan. Nothing here reads the database.
 */

/** One answer as the roll-up sees it. */
export interface ScoredAnswer {
  ref: string;
  /** Top-level clause or Annex A group; null for the organization's own controls. */
  sectionRef: string | null;
  maturity: number | null;
  notApplicable: boolean;
  /** Effective weight: the override, else the catalogue weight at creation. */
  weight: number;
}

/** Totals of one heatmap row. `levelCounts[n]` is the number of items answered with level n. */
export interface ScoreTotals {
  itemCount: number;
  answeredCount: number;
  notApplicableCount: number;
  unansweredCount: number;
  /** Sum of the weights of the answered items. */
  weightTotal: number;
  /** Weighted mean maturity of the answered items, rounded to 2 decimals; null when none is answered. */
  weightedMean: number | null;
  /** Weighted mean as a percentage of the target level, rounded to 1 decimal; above 100 when the items exceed the target. */
  percentOfTarget: number | null;
  /** Highest whole level the weighted mean reaches (its floor); null when none is answered. */
  level: number | null;
  levelCounts: number[];
}

/** Adds up the answers of one row. Not-applicable and unanswered items count, but carry no weight. */
export function totalScores(answers: readonly ScoredAnswer[], targetLevel: number): ScoreTotals {
  const levelCounts = new Array<number>(maxMaturityLevel + 1).fill(0);
  let answeredCount = 0;
  let notApplicableCount = 0;
  let weightTotal = 0;
  let weightedSum = 0;

  for (const answer of answers) {
    if (answer.notApplicable) {
      notApplicableCount += 1;
    } else if (answer.maturity !== null) {
      answeredCount += 1;
      levelCounts[answer.maturity]! += 1;
      weightTotal += answer.weight;
      weightedSum += answer.weight * answer.maturity;
    }
  }

  // Weights and levels are small integers, so each figure is rounded once from an exact ratio.
  const answered = weightTotal > 0;
  return {
    itemCount: answers.length,
    answeredCount,
    notApplicableCount,
    unansweredCount: answers.length - answeredCount - notApplicableCount,
    weightTotal,
    weightedMean: answered ? Math.round((weightedSum * 100) / weightTotal) / 100 : null,
    percentOfTarget: answered ? Math.round((weightedSum * 1000) / (weightTotal * targetLevel)) / 10 : null,
    level: answered ? Math.floor(weightedSum / weightTotal) : null,
    levelCounts,
  };
}

/** Groups answers by their section ref, keeping the order in which sections first appear. */
export function groupBySection<T extends { sectionRef: string | null }>(answers: readonly T[]): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const answer of answers) {
    const group = groups.get(answer.sectionRef);
    if (group) group.push(answer);
    else groups.set(answer.sectionRef, [answer]);
  }
  return groups;
}

/**
 * Finds the top-level ancestor of a catalogue item by following parent refs; an item without a
 * parent is its own top level. A cycle in the parents stops the walk at the repeated item.
 */
export function findTopLevelRef(ref: string, parentOf: ReadonlyMap<string, string | null>): string {
  const seen = new Set<string>();
  let current = ref;
  for (;;) {
    const parent = parentOf.get(current) ?? null;
    if (parent === null || seen.has(parent)) return current;
    seen.add(current);
    current = parent;
  }
}

/** One answered item below the target, with the figures that place it in the remediation plan. */
export interface PlanCandidate {
  ref: string;
  maturity: number;
  weight: number;
  effort: Effort | null;
  /** Catalogue order, which breaks remaining ties so that the plan is stable. */
  position: number;
}

export interface PlanEntry<T extends PlanCandidate> {
  candidate: T;
  /** Target level minus the level reached. */
  gap: number;
  /** Gap times weight: the larger, the sooner the item should be remediated. */
  priority: number;
}

const effortRank: Record<Effort, number> = { small: 0, medium: 1, large: 2 };
/** An item without an effort estimate sorts after every estimated item of the same priority. */
const unknownEffortRank = 3;

/**
 * Orders the answered items below the target by priority (gap times weight), highest first, then
 * by effort (small first, unestimated last), then in catalogue order.
 */
export function planRemediation<T extends PlanCandidate>(candidates: readonly T[], targetLevel: number): PlanEntry<T>[] {
  return candidates
    .filter((candidate) => candidate.maturity < targetLevel)
    .map((candidate) => {
      const gap = targetLevel - candidate.maturity;
      return { candidate, gap, priority: gap * candidate.weight };
    })
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        rankEffort(a.candidate.effort) - rankEffort(b.candidate.effort) ||
        a.candidate.position - b.candidate.position,
    );
}

function rankEffort(effort: Effort | null): number {
  return effort === null ? unknownEffortRank : effortRank[effort];
}
