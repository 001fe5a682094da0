import type { Threshold } from './policy.js';

/** Returns whether a value meets a threshold; `between` includes both bounds. NaN meets none. */
export function meetsThreshold(threshold: Threshold, value: number): boolean {
  switch (threshold.operator) {
    case '<':
      return value < threshold.value;
    case '<=':
      return value <= threshold.value;
    case '>':
      return value > threshold.value;
    case '>=':
      return value >= threshold.value;
    case 'between':
      return value >= threshold.min && value <= threshold.max;
  }
}

/** Writes a threshold the way reports show it: "<= 0.1", "between 0.8 and 1.25". */
export function describeThreshold(threshold: Threshold): string {
  if (threshold.operator === 'between') return `between ${threshold.min} and ${threshold.max}`;
  return `${threshold.operator} ${threshold.value}`;
}

/** Returns the bounds a threshold names, for checking them against the range of a metric. */
export function thresholdBounds(threshold: Threshold): number[] {
  return threshold.operator === 'between' ? [threshold.min, threshold.max] : [threshold.value];
}
