/**
 * The four-fifths rule on selection rates, with the caveat that must travel with it.
 */
import { defined, ratioOfCounts, undefinedBecause, type Measured } from './measured.js';
import type { ConfusionCounts } from './aggregates.js';

export const fourFifthsThreshold = 0.8;

export const fourFifthsCaveat =
  'The four-fifths rule is a screening heuristic from US employment guidance (Uniform Guidelines on Employee Selection ' +
  'Procedures, 29 CFR 1607.4(D)): a selection rate below 80 % of the highest group rate is read as a sign of adverse impact. ' +
  'It is not a legal test of discrimination, and for small groups it is meaningless, because their rates vary widely by chance.';

/** The part of a group that the rule needs. */
export interface FourFifthsInput {
  readonly label: string;
  readonly size: number;
  readonly counts: ConfusionCounts;
  readonly belowMinimumSize: boolean;
}

export interface FourFifthsGroup {
  readonly label: string;
  /** Share of the group that receives the favourable prediction. */
  readonly favourableRate: Measured;
  /** favourableRate / the highest favourableRate. */
  readonly ratio: Measured;
  /** null when the ratio is undefined. */
  readonly belowThreshold: boolean | null;
  readonly belowMinimumSize: boolean;
}

export interface FourFifthsResult {
  readonly threshold: number;
  /** `selectionRate` when the positive prediction is favourable, `negativePredictionRate` otherwise. */
  readonly favourableRate: 'selectionRate' | 'negativePredictionRate';
  readonly highestGroup: string | null;
  readonly groups: readonly FourFifthsGroup[];
  /** Groups whose ratio is below the threshold. */
  readonly flaggedGroups: readonly string[];
  readonly caveat: string;
}

/**
 * Applies the four-fifths rule: each group's rate of favourable predictions divided by the
 * highest such rate, flagged below 0.8. The favourable prediction is the positive one (selection
 * rate) unless `favourableOutcome` is `negative`, for a risk score where being predicted
 * positive harms the person. The highest rate is taken among groups that reach the minimum size
 * when there are any, so that a tiny group with a high rate by chance does not set the bar. Small
 * groups still get a ratio, with a warning.
 */
export function fourFifthsRule(groups: readonly FourFifthsInput[], favourableOutcome: 'positive' | 'negative'): FourFifthsResult {
  const positiveIsFavourable = favourableOutcome === 'positive';
  const rates = groups.map((group) => {
    const favourable = positiveIsFavourable
      ? group.counts.truePositives + group.counts.falsePositives
      : group.counts.trueNegatives + group.counts.falseNegatives;
    return ratioOfCounts(favourable, group.size, 'the group has no rows');
  });

  const candidates = groups.map((group, index) => ({ group, rate: rates[index] as Measured })).filter((entry) => entry.rate.defined);
  const largeEnough = candidates.filter((entry) => !entry.group.belowMinimumSize);
  const pool = largeEnough.length > 0 ? largeEnough : candidates;
  let highestGroup: string | null = null;
  let highestRate = 0;
  for (const entry of pool) {
    if (entry.rate.defined && (highestGroup === null || entry.rate.value > highestRate)) {
      highestGroup = entry.group.label;
      highestRate = entry.rate.value;
    }
  }

  const results = groups.map((group, index): FourFifthsGroup => {
    const favourableRate = rates[index] as Measured;
    const warnings = group.belowMinimumSize ? ['the group is below the minimum size, so the rule is meaningless for it'] : [];
    let ratio: Measured;
    if (!favourableRate.defined) ratio = undefinedBecause(favourableRate.reason, warnings);
    else if (highestGroup === null || highestRate === 0) ratio = undefinedBecause('no group receives the favourable outcome, so the highest rate is 0', warnings);
    else ratio = defined(favourableRate.value / highestRate, warnings);
    return {
      label: group.label,
      favourableRate,
      ratio,
      belowThreshold: ratio.defined ? ratio.value < fourFifthsThreshold : null,
      belowMinimumSize: group.belowMinimumSize,
    };
  });

  return {
    threshold: fourFifthsThreshold,
    favourableRate: positiveIsFavourable ? 'selectionRate' : 'negativePredictionRate',
    highestGroup,
    groups: results,
    flaggedGroups: results.filter((result) => result.belowThreshold === true).map((result) => result.label),
    caveat: fourFifthsCaveat,
  };
}
