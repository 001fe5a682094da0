/**
 * Statistical process control over a series of measurements (a metric per day or per run):
 * a Shewhart individuals chart with the four Western Electric rules, a two-sided tabular
 * CUSUM and an EWMA chart. All three take the centre line (mean) and sigma from a baseline,
 * the first `baselineLength` points (default 20), or from a known process mean and sigma, and
 * return every point that breaches, with the rule that fired. Page-Hinkley, which needs no
 * baseline, is in page-hinkley.ts and exported from here too.
 *
 * Sigma of the baseline is the average moving range |x[i] - x[i - 1]| divided by d2 = 1.128,
 * the bias constant for ranges of 2 points. Unlike the sample standard deviation, this
 * estimate is not inflated by a trend or a step inside the baseline.
 */

export { PageHinkleyDetector, pageHinkley, defaultPageHinkleyOptions, type PageHinkleyChart, type PageHinkleyOptions, type PageHinkleyState, type PageHinkleyUpdate } from './page-hinkley.js';

/** Bias constant d2 for moving ranges of 2 consecutive points. */
export const movingRangeD2 = 1.128;

/** Baseline points taken when the caller gives no baseline length. */
export const defaultBaselineLength = 20;

export interface SpcOptions {
  /** Points at the start of the series that set the centre line and sigma. Default 20, at least 2. */
  readonly baselineLength?: number;
  /** Known process mean and sigma, used instead of the baseline estimate. */
  readonly process?: { readonly mean: number; readonly sigma: number };
  /** One timestamp per point, copied into points and breaches. */
  readonly timestamps?: readonly string[];
}

export interface SpcBreach {
  readonly index: number;
  readonly rule: string;
  /** The observation at `index`. */
  readonly value: number;
  readonly side: 'above' | 'below';
  readonly timestamp?: string;
}

export interface SpcBaseline {
  readonly mean: number;
  readonly sigma: number;
  /** Points the estimate came from; 0 when the caller gave the process mean and sigma. */
  readonly length: number;
  readonly source: 'baseline' | 'given';
}

/** A chart that cannot be drawn, with the reason. */
export type SpcUndefined = { readonly defined: false; readonly reason: string; readonly warnings: readonly string[] };

export type WesternElectricRule = 'beyond-3-sigma' | 'two-of-three-beyond-2-sigma' | 'four-of-five-beyond-1-sigma' | 'eight-on-one-side';

export const westernElectricRules: readonly WesternElectricRule[] = ['beyond-3-sigma', 'two-of-three-beyond-2-sigma', 'four-of-five-beyond-1-sigma', 'eight-on-one-side'];

export interface ShewhartOptions extends SpcOptions {
  /** The rules to apply; default all four. */
  readonly rules?: readonly WesternElectricRule[];
}

export type ShewhartChart =
  | {
      readonly defined: true;
      readonly centre: number;
      readonly sigma: number;
      readonly limits: { readonly lower: number; readonly upper: number };
      readonly baseline: SpcBaseline;
      readonly points: readonly { readonly index: number; readonly value: number; readonly timestamp?: string }[];
      readonly breaches: readonly SpcBreach[];
      readonly warnings: readonly string[];
    }
  | SpcUndefined;

/**
 * Draws a Shewhart individuals chart: centre line at the baseline mean, control limits at
 * mean +- 3 sigma, and the Western Electric rules over every point, the baseline included:
 * 1. one point beyond 3 sigma;
 * 2. two of three consecutive points beyond 2 sigma on the same side;
 * 3. four of five consecutive points beyond 1 sigma on the same side;
 * 4. eight consecutive points on the same side of the centre line (a point on the line ends the run).
 * "Beyond" is strict. A rule fires at the point that completes its pattern, and only when that
 * point itself is part of it, so a pattern is not reported again at a later point that merely
 * keeps it in its window. Undefined when the baseline is too short or has sigma 0.
 */
export function shewhartChart(series: readonly number[], options: ShewhartOptions = {}): ShewhartChart {
  const baseline = estimateBaseline(series, options);
  if (!baseline.defined) return baseline;
  const { mean, sigma } = baseline.value;
  const rules = new Set(options.rules ?? westernElectricRules);

  // Zone of each point in sigma units with its sign: +2.4 is 2.4 sigma above the centre line.
  const scores = series.map((value) => (value - mean) / sigma);
  const breaches: SpcBreach[] = [];
  const breach = (index: number, rule: WesternElectricRule, side: 'above' | 'below') => breaches.push(makeBreach(series, options.timestamps, index, rule, side));

  for (let i = 0; i < series.length; i++) {
    const score = scores[i]!;
    const side = score > 0 ? 'above' : 'below';
    const sign = score > 0 ? 1 : -1;
    const isBeyond = (index: number, sigmas: number) => sign * scores[index]! > sigmas;

    if (rules.has('beyond-3-sigma') && Math.abs(score) > 3) breach(i, 'beyond-3-sigma', side);
    if (rules.has('two-of-three-beyond-2-sigma') && i >= 2 && isBeyond(i, 2) && countInWindow(i, 3, (index) => isBeyond(index, 2)) >= 2) {
      breach(i, 'two-of-three-beyond-2-sigma', side);
    }
    if (rules.has('four-of-five-beyond-1-sigma') && i >= 4 && isBeyond(i, 1) && countInWindow(i, 5, (index) => isBeyond(index, 1)) >= 4) {
      breach(i, 'four-of-five-beyond-1-sigma', side);
    }
    if (rules.has('eight-on-one-side') && i >= 7 && score !== 0 && countInWindow(i, 8, (index) => isBeyond(index, 0)) === 8) {
      breach(i, 'eight-on-one-side', side);
    }
  }

  return {
    defined: true,
    centre: mean,
    sigma,
    limits: { lower: mean - 3 * sigma, upper: mean + 3 * sigma },
    baseline: baseline.value,
    points: pointsOf(series, options.timestamps),
    breaches,
    warnings: baseline.warnings,
  };
}

export interface CusumOptions extends SpcOptions {
  /** Allowance (slack) k in sigma units. Default 0.5, which makes the chart fastest at a 1 sigma shift. */
  readonly k?: number;
  /** Decision interval h in sigma units. Default 5. */
  readonly h?: number;
  /** Whether the sum that breached restarts at 0 after the breach. Default true. */
  readonly resetAfterBreach?: boolean;
}

export type CusumChart =
  | {
      readonly defined: true;
      readonly centre: number;
      readonly sigma: number;
      /** Allowance K = k * sigma and decision interval H = h * sigma, in the units of the series. */
      readonly allowance: number;
      readonly decisionInterval: number;
      readonly baseline: SpcBaseline;
      readonly points: readonly { readonly index: number; readonly value: number; readonly upper: number; readonly lower: number; readonly timestamp?: string }[];
      readonly breaches: readonly SpcBreach[];
      readonly warnings: readonly string[];
    }
  | SpcUndefined;

/**
 * Runs a two-sided tabular CUSUM from the start of the series:
 * C+[i] = max(0, x[i] - (mean + K) + C+[i - 1]) and C-[i] = max(0, (mean - K) - x[i] + C-[i - 1]),
 * both starting at 0, with K = k * sigma (default k = 0.5) and H = h * sigma (default h = 5).
 * A point breaches when C+ > H (rule `cusum-upper`) or C- > H (rule `cusum-lower`). After a
 * breach the sum that fired restarts at 0, as after an investigated signal, unless
 * `resetAfterBreach` is false. The points keep the value before the restart. The defaults
 * match river's CUSUM detector (slack 0.5 and threshold 5 in sigma units, river/drift/cusum.py
 * at commit 291ccdd5), which takes sigma from the sample variance of its first 30 points.
 * Undefined when the baseline is too short or has sigma 0.
 */
export function cusumChart(series: readonly number[], options: CusumOptions = {}): CusumChart {
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`CUSUM allowance k must be a finite number >= 0 (in sigma units), received ${k}`);
  if (!Number.isFinite(h) || h <= 0) throw new RangeError(`CUSUM decision interval h must be a finite number above 0 (in sigma units), received ${h}`);
  const baseline = estimateBaseline(series, options);
  if (!baseline.defined) return baseline;

  const { mean, sigma } = baseline.value;
  const allowance = k * sigma;
  const decisionInterval = h * sigma;
  const points = [];
  const breaches: SpcBreach[] = [];
  let upper = 0;
  let lower = 0;

  for (let i = 0; i < series.length; i++) {
    const value = series[i]!;
    upper = Math.max(0, value - (mean + allowance) + upper);
    lower = Math.max(0, mean - allowance - value + lower);
    points.push({ index: i, value, upper, lower, ...timestampAt(options.timestamps, i) });

    if (upper > decisionInterval) {
      breaches.push(makeBreach(series, options.timestamps, i, 'cusum-upper', 'above'));
      if (options.resetAfterBreach !== false) upper = 0;
    }
    if (lower > decisionInterval) {
      breaches.push(makeBreach(series, options.timestamps, i, 'cusum-lower', 'below'));
      if (options.resetAfterBreach !== false) lower = 0;
    }
  }

  return { defined: true, centre: mean, sigma, allowance, decisionInterval, baseline: baseline.value, points, breaches, warnings: baseline.warnings };
}

export interface EwmaOptions extends SpcOptions {
  /** Weight lambda of the newest point, 0 < lambda <= 1. Default 0.2. */
  readonly lambda?: number;
  /** Width L of the control limits in sigma units of the EWMA statistic. Default 3. */
  readonly width?: number;
}

export type EwmaChart =
  | {
      readonly defined: true;
      readonly centre: number;
      readonly sigma: number;
      readonly lambda: number;
      readonly width: number;
      /** The limits that the exact limits approach as the series grows. */
      readonly limits: { readonly lower: number; readonly upper: number };
      readonly baseline: SpcBaseline;
      readonly points: readonly { readonly index: number; readonly value: number; readonly ewma: number; readonly lower: number; readonly upper: number; readonly timestamp?: string }[];
      readonly breaches: readonly SpcBreach[];
      readonly warnings: readonly string[];
    }
  | SpcUndefined;

/**
 * Runs an EWMA chart from the start of the series: z[0] = mean and
 * z[t] = lambda * x[t] + (1 - lambda) * z[t - 1] for t = 1, 2, ..., with the exact limits
 * mean +- L * sigma * sqrt(lambda / (2 - lambda) * (1 - (1 - lambda)^(2t))), which are narrower
 * for the first points than the asymptotic mean +- L * sigma * sqrt(lambda / (2 - lambda)).
 * A point breaches when z is strictly outside its limits (rules `ewma-upper`, `ewma-lower`).
 * Defaults lambda = 0.2 and L = 3: a small lambda remembers more of the past and so finds
 * small persistent shifts, and L = 3 keeps the three-sigma convention of the Shewhart chart.
 * river's EWMA detector (river/drift/ewma.py at commit 2420eb58) defaults to lambda 0.1 and
 * L 4, and takes its centre from the running mean and its sigma from an exponentially weighted
 * variance instead of a baseline. Undefined when the baseline is too
 * short or has sigma 0.
 */
export function ewmaChart(series: readonly number[], options: EwmaOptions = {}): EwmaChart {
  const lambda = options.lambda ?? 0.2;
  const width = options.width ?? 3;
  if (!Number.isFinite(lambda) || lambda <= 0 || lambda > 1) throw new RangeError(`EWMA lambda must be above 0 and at most 1, received ${lambda}`);
  if (!Number.isFinite(width) || width <= 0) throw new RangeError(`EWMA limit width L must be a finite number above 0 (in sigma units), received ${width}`);
  const baseline = estimateBaseline(series, options);
  if (!baseline.defined) return baseline;

  const { mean, sigma } = baseline.value;
  const asymptoticHalfWidth = width * sigma * Math.sqrt(lambda / (2 - lambda));
  const points = [];
  const breaches: SpcBreach[] = [];
  let ewma = mean;

  for (let i = 0; i < series.length; i++) {
    const value = series[i]!;
    const t = i + 1;
    ewma = lambda * value + (1 - lambda) * ewma;
    const halfWidth = asymptoticHalfWidth * Math.sqrt(1 - Math.pow(1 - lambda, 2 * t));
    const lower = mean - halfWidth;
    const upper = mean + halfWidth;
    points.push({ index: i, value, ewma, lower, upper, ...timestampAt(options.timestamps, i) });
    if (ewma > upper) breaches.push(makeBreach(series, options.timestamps, i, 'ewma-upper', 'above'));
    if (ewma < lower) breaches.push(makeBreach(series, options.timestamps, i, 'ewma-lower', 'below'));
  }

  return {
    defined: true,
    centre: mean,
    sigma,
    lambda,
    width,
    limits: { lower: mean - asymptoticHalfWidth, upper: mean + asymptoticHalfWidth },
    baseline: baseline.value,
    points,
    breaches,
    warnings: baseline.warnings,
  };
}

/**
 * Estimates the centre line and sigma: the given process mean and sigma, or the mean of the
 * first `baselineLength` points and their average moving range / 1.128. Undefined when the
 * series is shorter than the baseline or the baseline varies not at all (sigma 0, so every
 * later change would breach). Throws a RangeError on a non-finite point, a baseline length
 * below 2 or timestamps of the wrong length.
 */
export function estimateBaseline(series: readonly number[], options: SpcOptions = {}): { readonly defined: true; readonly value: SpcBaseline; readonly warnings: readonly string[] } | SpcUndefined {
  validateSeries(series, options);
  if (options.process !== undefined) {
    const { mean, sigma } = options.process;
    if (!Number.isFinite(mean) || !Number.isFinite(sigma) || sigma <= 0) {
      throw new RangeError(`The process mean must be finite and its sigma above 0, received mean ${mean} and sigma ${sigma}`);
    }
    return { defined: true, value: { mean, sigma, length: 0, source: 'given' }, warnings: [] };
  }

  const length = options.baselineLength ?? defaultBaselineLength;
  if (!Number.isInteger(length) || length < 2) {
    throw new RangeError(`baselineLength must be an integer >= 2, because sigma comes from moving ranges of consecutive points; received ${length}`);
  }
  if (series.length < length) {
    return {
      defined: false,
      reason: `the baseline needs ${length} points and the series has ${series.length}; pass a shorter baselineLength (at least 2) or the known process mean and sigma`,
      warnings: [],
    };
  }

  let sum = 0;
  let movingRangeSum = 0;
  for (let i = 0; i < length; i++) {
    sum += series[i]!;
    if (i > 0) movingRangeSum += Math.abs(series[i]! - series[i - 1]!);
  }
  const mean = sum / length;
  const sigma = movingRangeSum / (length - 1) / movingRangeD2;
  if (sigma === 0) {
    return { defined: false, reason: `the ${length} baseline points are all equal, so sigma is 0 and any change would breach; pass the known process sigma`, warnings: [] };
  }
  const warnings = length < defaultBaselineLength ? [`sigma comes from ${length} baseline points; below ${defaultBaselineLength} points the limits are imprecise`] : [];
  return { defined: true, value: { mean, sigma, length, source: 'baseline' }, warnings };
}

function validateSeries(series: readonly number[], options: SpcOptions): void {
  const index = series.findIndex((value) => !Number.isFinite(value));
  if (index >= 0) throw new RangeError(`Series values must be finite numbers, received ${series[index]} at index ${index}; leave undefined measurements out of the series`);
  if (options.timestamps !== undefined && options.timestamps.length !== series.length) {
    throw new RangeError(`timestamps must have one entry per point, received ${options.timestamps.length} timestamps for ${series.length} points`);
  }
}

function countInWindow(last: number, size: number, predicate: (index: number) => boolean): number {
  let count = 0;
  for (let index = last - size + 1; index <= last; index++) if (predicate(index)) count++;
  return count;
}

function makeBreach(series: readonly number[], timestamps: readonly string[] | undefined, index: number, rule: string, side: 'above' | 'below'): SpcBreach {
  return { index, rule, value: series[index]!, side, ...timestampAt(timestamps, index) };
}

function pointsOf(series: readonly number[], timestamps: readonly string[] | undefined) {
  return series.map((value, index) => ({ index, value, ...timestampAt(timestamps, index) }));
}

function timestampAt(timestamps: readonly string[] | undefined, index: number): { timestamp?: string } {
  return timestamps === undefined ? {} : { timestamp: timestamps[index]! };
}
