/**
 * Any measure per group, so that a fairness view can show performance, calibration or
 * regression error by group and compare the groups.
 */
import { measureDisparity, type Disparity } from './disparities.js';
import type { Measured } from './measured.js';

/**
 * Applies `measure` to the aggregate of every group and returns the results under the same keys,
 * in the same order. Works for any aggregate and result, for example
 * `measureByGroup(countsByGroup, binaryClassificationMetrics)` or
 * `measureByGroup(scoresByGroup, (scores) => expectedCalibrationError(scores, { bins: 15 }))`.
 */
export function measureByGroup<Key, Aggregate, Result>(aggregates: ReadonlyMap<Key, Aggregate>, measure: (aggregate: Aggregate, key: Key) => Result): Map<Key, Result> {
  const results = new Map<Key, Result>();
  for (const [key, aggregate] of aggregates) results.set(key, measure(aggregate, key));
  return results;
}

export interface MeasureByGroupOptions<Key> {
  /** Display name of a group (default: String(key)). Names must be unique. */
  readonly label?: (key: Key) => string;
  /** Row count of a group, to flag groups below `minimumGroupSize`. */
  readonly size?: (key: Key) => number;
  readonly minimumGroupSize?: number;
  /** The group every other group is compared with; null or absent for none. */
  readonly reference?: Key | null;
}

export interface MeasureComparison<Key> {
  readonly values: Map<Key, Measured>;
  readonly overall: Measured;
  readonly disparity: Disparity;
}

/**
 * Applies a measure that returns one `Measured` to every group and to the overall aggregate, and
 * compares the groups with `measureDisparity`. The comparison has max − min and min / max between
 * groups, the largest distance to the overall value, and each group against `reference`. Groups
 * without a value are skipped and named, as in the fairness report. Ratios are undefined when any
 * value is negative (R², for example).
 */
export function compareMeasureByGroup<Key, Aggregate>(
  aggregates: ReadonlyMap<Key, Aggregate>,
  overallAggregate: Aggregate,
  measure: (aggregate: Aggregate) => Measured,
  options: MeasureByGroupOptions<Key> = {},
): MeasureComparison<Key> {
  const label = options.label ?? ((key: Key) => String(key));
  const minimumGroupSize = options.minimumGroupSize ?? 0;
  const values = measureByGroup(aggregates, (aggregate) => measure(aggregate));

  const labels = new Set<string>();
  const measurements = [...values].map(([key, value]) => {
    const name = label(key);
    if (labels.has(name)) throw new RangeError(`Two groups have the label "${name}"; give a label function that names each group uniquely`);
    labels.add(name);
    const size = options.size?.(key);
    return { label: name, value, belowMinimumSize: size !== undefined && size < minimumGroupSize };
  });

  const reference = options.reference;
  const referenceLabel = reference === undefined || reference === null ? null : label(reference);
  const overall = measure(overallAggregate);
  return { values, overall, disparity: measureDisparity(measurements, overall, referenceLabel) };
}
