/**
 * The value of one measure, or the reason it has none. Every function of the measurement core
 * returns this shape, so that an undefined rate (no actual positives in a group, say) travels to
 * the report as undefined with its reason instead of turning into 0 or NaN on the way.
 */
export type Measured =
  | { readonly defined: true; readonly value: number; readonly warnings: readonly string[] }
  | { readonly defined: false; readonly reason: string; readonly warnings: readonly string[] };

export function defined(value: number, warnings: readonly string[] = []): Measured {
  return { defined: true, value, warnings };
}

export function undefinedBecause(reason: string, warnings: readonly string[] = []): Measured {
  return { defined: false, reason, warnings };
}

/** Divides two counts, or returns undefined with `reason` when the denominator is 0. */
export function ratioOfCounts(numerator: number, denominator: number, reason: string): Measured {
  return denominator === 0 ? undefinedBecause(reason) : defined(numerator / denominator);
}

/** The result of a statistical test: the statistic and, where the test has one, its p-value. */
export interface TestResult {
  readonly statistic: Measured;
  readonly pValue: Measured | null;
  /** How the p-value was computed, for example `exact` or `asymptotic`. */
  readonly method: string;
  readonly warnings: readonly string[];
}
