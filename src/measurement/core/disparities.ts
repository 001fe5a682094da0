/**
 * Disparities of one measure across groups: between groups, to the overall value and to a
 * reference group, each as a difference and a ratio. Fairness reports use them for every rate,
 * and by-group.ts uses them for any measure computed per group.
 *
 * Groups whose value is undefined are skipped and named in `skippedGroups` and in the warnings,
 * so that a disparity never silently covers fewer groups than the report shows.
 */
import { defined, undefinedBecause, type Measured } from './measured.js';

/** The value of one measure in one group. */
export interface GroupMeasurement {
  /** Display name of the group, unique within one call. */
  readonly label: string;
  readonly value: Measured;
  /** Whether the group has fewer rows than the minimum group size; such groups take part but are named in the warnings. */
  readonly belowMinimumSize: boolean;
}

export interface BetweenGroupsDisparity {
  /** max - min over the groups with a defined value (Fairlearn's `difference(method='between_groups')`). */
  readonly difference: Measured;
  /** min / max over the same groups (Fairlearn's `ratio(method='between_groups')`). */
  readonly ratio: Measured;
  readonly minimumGroup: string | null;
  readonly maximumGroup: string | null;
}

export interface ToOverallDisparity {
  /** max |group - overall| (Fairlearn's `difference(method='to_overall')`). */
  readonly difference: Measured;
  /** min over groups of group / overall, each ratio above 1 replaced by its reciprocal (Fairlearn's `ratio(method='to_overall')`). */
  readonly ratio: Measured;
}

export interface ReferenceComparison {
  readonly label: string;
  /** group - reference (signed). */
  readonly difference: Measured;
  /** group / reference, the convention of Aequitas; undefined, not 10.0 or infinity, when the reference value is 0. */
  readonly ratio: Measured;
}

export interface ToReferenceDisparity {
  readonly reference: string;
  readonly groups: readonly ReferenceComparison[];
}

export interface Disparity {
  readonly betweenGroups: BetweenGroupsDisparity;
  readonly toOverall: ToOverallDisparity;
  /** Present when a reference group was given. */
  readonly toReference: ToReferenceDisparity | null;
  /** Groups left out because their value is undefined. */
  readonly skippedGroups: readonly string[];
  /** Groups below the minimum size that took part. */
  readonly smallGroups: readonly string[];
}

/**
 * Computes the disparities of one measure across `groups`, to `overall`, and to the group
 * labelled `referenceLabel` when it is given (it must be one of the groups).
 *
 * Degenerate cases: fewer than two groups with a defined value make the between-groups values
 * undefined. A ratio is undefined when its denominator is 0 (all groups at 0, overall 0, reference
 * 0). It is also undefined when any value taking part is negative, because ratios of signed
 * values do not measure disparity. Differences stay defined in those cases.
 */
export function measureDisparity(groups: readonly GroupMeasurement[], overall: Measured, referenceLabel: string | null = null): Disparity {
  const included = groups.filter((group) => group.value.defined);
  const skippedGroups = groups.filter((group) => !group.value.defined).map((group) => group.label);
  const smallGroups = included.filter((group) => group.belowMinimumSize).map((group) => group.label);
  const warnings = disparityWarnings(skippedGroups, smallGroups);
  const values = included.map((group) => ({ label: group.label, value: (group.value as { value: number }).value }));

  return {
    betweenGroups: betweenGroups(values, warnings),
    toOverall: toOverall(values, overall, warnings),
    toReference: referenceLabel === null ? null : toReference(groups, referenceLabel),
    skippedGroups,
    smallGroups,
  };
}

function disparityWarnings(skippedGroups: readonly string[], smallGroups: readonly string[]): string[] {
  const warnings: string[] = [];
  if (skippedGroups.length > 0) warnings.push(`groups without a value were skipped: ${skippedGroups.join(', ')}`);
  if (smallGroups.length > 0) warnings.push(`groups below the minimum size took part: ${smallGroups.join(', ')}`);
  return warnings;
}

interface LabelledValue {
  readonly label: string;
  readonly value: number;
}

function betweenGroups(values: readonly LabelledValue[], warnings: readonly string[]): BetweenGroupsDisparity {
  if (values.length < 2) {
    const found = values.length === 0 ? 'no group has one' : 'only one group has one';
    const reason = `between-group disparity needs at least two groups with a defined value, but ${found}`;
    return { difference: undefinedBecause(reason, warnings), ratio: undefinedBecause(reason, warnings), minimumGroup: null, maximumGroup: null };
  }

  let minimum = values[0] as LabelledValue;
  let maximum = minimum;
  for (const entry of values) {
    if (entry.value < minimum.value) minimum = entry;
    if (entry.value > maximum.value) maximum = entry;
  }

  const difference = defined(maximum.value - minimum.value, warnings);
  let ratio: Measured;
  if (minimum.value < 0) {
    ratio = undefinedBecause(`ratios need non-negative values, but group ${minimum.label} has ${minimum.value}`, warnings);
  } else if (maximum.value === 0) {
    ratio = undefinedBecause('every group has the value 0, so min / max is 0 / 0', warnings);
  } else {
    ratio = defined(minimum.value / maximum.value, warnings);
  }
  return { difference, ratio, minimumGroup: minimum.label, maximumGroup: maximum.label };
}

function toOverall(values: readonly LabelledValue[], overall: Measured, warnings: readonly string[]): ToOverallDisparity {
  if (!overall.defined) {
    const reason = `the overall value is undefined: ${overall.reason}`;
    return { difference: undefinedBecause(reason, warnings), ratio: undefinedBecause(reason, warnings) };
  }
  if (values.length === 0) {
    const reason = 'no group has a defined value';
    return { difference: undefinedBecause(reason, warnings), ratio: undefinedBecause(reason, warnings) };
  }

  let largestDifference = 0;
  for (const entry of values) largestDifference = Math.max(largestDifference, Math.abs(entry.value - overall.value));
  const difference = defined(largestDifference, warnings);

  const negative = values.find((entry) => entry.value < 0);
  if (negative !== undefined || overall.value < 0) {
    const reason = negative ? `ratios need non-negative values, but group ${negative.label} has ${negative.value}` : `ratios need non-negative values, but the overall value is ${overall.value}`;
    return { difference, ratio: undefinedBecause(reason, warnings) };
  }
  if (overall.value === 0) return { difference, ratio: undefinedBecause('the overall value is 0, so ratios to it are undefined', warnings) };

  let smallestRatio = Infinity;
  for (const entry of values) {
    const ratio = entry.value / overall.value;
    smallestRatio = Math.min(smallestRatio, ratio > 1 ? 1 / ratio : ratio);
  }
  return { difference, ratio: defined(smallestRatio, warnings) };
}

function toReference(groups: readonly GroupMeasurement[], referenceLabel: string): ToReferenceDisparity {
  const reference = groups.find((group) => group.label === referenceLabel);
  if (reference === undefined) {
    throw new RangeError(`The reference group "${referenceLabel}" is not among the groups: ${groups.map((group) => group.label).join(', ')}`);
  }

  const comparisons = groups.map((group): ReferenceComparison => {
    if (!reference.value.defined) {
      const reason = `the reference group ${referenceLabel} has no value: ${reference.value.reason}`;
      return { label: group.label, difference: undefinedBecause(reason), ratio: undefinedBecause(reason) };
    }
    if (!group.value.defined) {
      const reason = `the group has no value: ${group.value.reason}`;
      return { label: group.label, difference: undefinedBecause(reason), ratio: undefinedBecause(reason) };
    }
    const warnings = group.belowMinimumSize ? ['the group is below the minimum size'] : [];
    const difference = defined(group.value.value - reference.value.value, warnings);
    let ratio: Measured;
    if (group.value.value < 0 || reference.value.value < 0) {
      ratio = undefinedBecause('ratios need non-negative values', warnings);
    } else if (reference.value.value === 0) {
      ratio = undefinedBecause(`the reference group ${referenceLabel} has the value 0, so ratios to it are undefined`, warnings);
    } else {
      ratio = defined(group.value.value / reference.value.value, warnings);
    }
    return { label: group.label, difference, ratio };
  });
  return { reference: referenceLabel, groups: comparisons };
}
