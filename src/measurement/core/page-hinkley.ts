import type { SpcBreach } from './spc.js';

/**
 * Page-Hinkley change detection for streams: it needs no baseline, compares each value with
 * the running mean of everything seen since the last alarm, and accumulates the deviations:
 *
 *   mean[t] = running mean of x[1..t]
 *   U[t] = max(0, alpha * U[t - 1] + x[t] - mean[t] - delta)   (increase)
 *   D[t] = max(0, alpha * D[t - 1] + mean[t] - x[t] - delta)   (decrease)
 *
 * An alarm fires when U or D reaches the threshold lambda (>=), once at least `minInstances`
 * values were seen. After an alarm the detector starts afresh with the next value. delta is
 * the magnitude of change that is tolerated, and alpha (<= 1) a forgetting factor.
 *
 * Defaults are those of river's PageHinkley (river/drift/page_hinkley.py at commit 38c86517):
 * delta 0.005, lambda 50, alpha 1 - 0.0001, 30 instances. delta and lambda are in the units of
 * the series, so these defaults suit values of order 1 to 10 with shifts that persist for tens
 * of points. For a rate between 0 and 1, pass a lambda of order 1 or below. river detects
 * increases only and allows an alarm from its 29th value; this detector watches both
 * directions and allows an alarm from the `minInstances`-th value.
 */

export interface PageHinkleyOptions {
  /** Tolerated change per value, in the units of the series. Default 0.005. */
  readonly delta?: number;
  /** Alarm threshold lambda, in the units of the series. Default 50. */
  readonly threshold?: number;
  /** Forgetting factor, 0 < alpha <= 1. Default 0.9999. */
  readonly alpha?: number;
  /** Values to see before an alarm can fire. Default 30. */
  readonly minInstances?: number;
  /** Direction of change that raises an alarm. Default both. */
  readonly direction?: 'both' | 'increase' | 'decrease';
}

export const defaultPageHinkleyOptions: Required<PageHinkleyOptions> = { delta: 0.005, threshold: 50, alpha: 1 - 0.0001, minInstances: 30, direction: 'both' };

/** Everything the detector carries from one value to the next, so that it can be stored between runs. */
export interface PageHinkleyState {
  readonly count: number;
  readonly mean: number;
  readonly increase: number;
  readonly decrease: number;
  readonly driftDetected: boolean;
}

export interface PageHinkleyUpdate {
  readonly drift: 'increase' | 'decrease' | null;
  readonly mean: number;
  readonly increase: number;
  readonly decrease: number;
  readonly count: number;
}

const initialState: PageHinkleyState = { count: 0, mean: 0, increase: 0, decrease: 0, driftDetected: false };

/** A Page-Hinkley detector fed one value at a time. */
export class PageHinkleyDetector {
  readonly options: Required<PageHinkleyOptions>;
  #state: PageHinkleyState;

  constructor(options: PageHinkleyOptions = {}, state: PageHinkleyState = initialState) {
    this.options = { ...defaultPageHinkleyOptions, ...withoutUndefined(options) };
    validateOptions(this.options);
    this.#state = { ...state };
  }

  get state(): PageHinkleyState {
    return this.#state;
  }

  /** Adds one value and returns the statistics after it, with the direction of an alarm if one fired. */
  update(value: number): PageHinkleyUpdate {
    if (!Number.isFinite(value)) throw new RangeError(`Page-Hinkley values must be finite numbers, received ${value}`);
    const previous = this.#state.driftDetected ? initialState : this.#state;
    const { delta, threshold, alpha, minInstances, direction } = this.options;

    const count = previous.count + 1;
    const mean = previous.mean + (value - previous.mean) / count;
    const increase = Math.max(0, alpha * previous.increase + value - mean - delta);
    const decrease = Math.max(0, alpha * previous.decrease + mean - value - delta);

    let drift: PageHinkleyUpdate['drift'] = null;
    if (count >= minInstances) {
      const increaseFires = direction !== 'decrease' && increase >= threshold;
      const decreaseFires = direction !== 'increase' && decrease >= threshold;
      if (increaseFires && (!decreaseFires || increase >= decrease)) drift = 'increase';
      else if (decreaseFires) drift = 'decrease';
    }

    this.#state = { count, mean, increase, decrease, driftDetected: drift !== null };
    return { drift, mean, increase, decrease, count };
  }

  reset(): void {
    this.#state = initialState;
  }
}

export interface PageHinkleyChart {
  readonly defined: true;
  readonly points: readonly { readonly index: number; readonly value: number; readonly mean: number; readonly increase: number; readonly decrease: number; readonly timestamp?: string }[];
  readonly breaches: readonly SpcBreach[];
  readonly warnings: readonly string[];
}

/**
 * Runs a fresh `PageHinkleyDetector` over the series and returns every point with its
 * statistics and the alarms as breaches (rules `page-hinkley-increase`,
 * `page-hinkley-decrease`). Always defined: a series shorter than `minInstances` has no
 * breaches and a warning.
 */
export function pageHinkley(series: readonly number[], options: PageHinkleyOptions & { readonly timestamps?: readonly string[] } = {}): PageHinkleyChart {
  const { timestamps, ...detectorOptions } = options;
  if (timestamps !== undefined && timestamps.length !== series.length) {
    throw new RangeError(`timestamps must have one entry per point, received ${timestamps.length} timestamps for ${series.length} points`);
  }
  const detector = new PageHinkleyDetector(detectorOptions);
  const points = [];
  const breaches: SpcBreach[] = [];

  for (let i = 0; i < series.length; i++) {
    const value = series[i]!;
    const update = detector.update(value);
    const timestamp = timestamps === undefined ? {} : { timestamp: timestamps[i]! };
    points.push({ index: i, value, mean: update.mean, increase: update.increase, decrease: update.decrease, ...timestamp });
    if (update.drift !== null) {
      breaches.push({ index: i, rule: `page-hinkley-${update.drift}`, value, side: update.drift === 'increase' ? 'above' : 'below', ...timestamp });
    }
  }

  const warnings =
    series.length < detector.options.minInstances ? [`the series has ${series.length} points and no alarm can fire before ${detector.options.minInstances}`] : [];
  return { defined: true, points, breaches, warnings };
}

function validateOptions(options: Required<PageHinkleyOptions>): void {
  const problems: string[] = [];
  if (!Number.isFinite(options.delta) || options.delta < 0) problems.push(`delta must be a finite number >= 0, received ${options.delta}`);
  if (!Number.isFinite(options.threshold) || options.threshold <= 0) problems.push(`threshold must be a finite number above 0, received ${options.threshold}`);
  if (!Number.isFinite(options.alpha) || options.alpha <= 0 || options.alpha > 1) problems.push(`alpha must be above 0 and at most 1, received ${options.alpha}`);
  if (!Number.isInteger(options.minInstances) || options.minInstances < 1) problems.push(`minInstances must be an integer >= 1, received ${options.minInstances}`);
  if (!['both', 'increase', 'decrease'].includes(options.direction)) problems.push(`direction must be both, increase or decrease, received ${options.direction}`);
  if (problems.length > 0) throw new RangeError(`Invalid Page-Hinkley options: ${problems.join('; ')}`);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
