/**
 * Confidence intervals for rates, and the standard normal quantile they need. The bootstrap
 * intervals for disparities are in bootstrap.ts.
 */

/** A two-sided confidence interval, or the reason there is none. */
export type ConfidenceInterval =
  | {
      readonly defined: true;
      readonly lower: number;
      readonly upper: number;
      /** Nominal coverage, for example 0.95. */
      readonly confidence: number;
      /** `wilson` or `bootstrap-percentile`. */
      readonly method: string;
    }
  | { readonly defined: false; readonly reason: string; readonly confidence: number; readonly method: string };

export const defaultConfidence = 0.95;

/** Throws a RangeError unless `confidence` lies strictly between 0 and 1. */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`The confidence level must lie strictly between 0 and 1, for example 0.95, but it is ${confidence}`);
  }
}

/**
 * Computes the Wilson score interval (Wilson, 1927) for a binomial proportion
 * `successes / trials` at the given two-sided confidence level (default 0.95):
 *
 *   centre = (p + z²/2n) / (1 + z²/n),   half-width = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)
 *
 * where p = successes / trials and z is the standard normal quantile at 1 - (1 - confidence)/2.
 * Unlike the Wald interval p ± z·sqrt(p(1 - p)/n), it never has zero width at p = 0 or p = 1 and
 * keeps near-nominal coverage for small groups, which is why every rate in a fairness report gets
 * it. The bounds lie in [0, 1]; the lower bound is exactly 0 when successes = 0 and the upper
 * bound exactly 1 when successes = trials. With 0 trials the interval is undefined.
 */
export function wilsonInterval(successes: number, trials: number, confidence: number = defaultConfidence): ConfidenceInterval {
  checkConfidence(confidence);
  if (!Number.isFinite(trials) || trials < 0 || !Number.isFinite(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `A Wilson interval needs 0 <= successes <= trials with finite counts, but successes is ${successes} and trials is ${trials}`,
    );
  }
  const method = 'wilson';
  if (trials === 0) return { defined: false, reason: 'no trials: the rate has an empty denominator', confidence, method };

  const z = standardNormalQuantile(1 - (1 - confidence) / 2);
  const zSquared = z * z;
  const proportion = successes / trials;
  const denominator = 1 + zSquared / trials;
  const centre = (proportion + zSquared / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials));

  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === trials ? 1 : Math.min(1, centre + halfWidth);
  return { defined: true, lower, upper, confidence, method };
}

/**
 * Returns the quantile of the standard normal distribution at `probability` (in (0, 1)), the
 * inverse of its cumulative distribution function. It agrees with SciPy 1.10's `norm.ppf` to
 * within 5e-15 relative on the probabilities the tests check.
 *
 * A rational approximation (Abramowitz and Stegun 26.2.23, error below 4.5e-4) gives the start,
 * and Halley steps on the upper tail Q(z) = erfc(z/√2)/2 refine it; working on the tail keeps full
 * relative precision for probabilities near 0 or 1.
 */
export function standardNormalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) {
    throw new RangeError(`The normal quantile needs a probability strictly between 0 and 1, but it is ${probability}`);
  }
  if (probability === 0.5) return 0;
  if (probability < 0.5) return -upperTailQuantile(probability);
  return upperTailQuantile(1 - probability);
}

/** Returns z >= 0 with Q(z) = tail, for tail in (0, 0.5]. */
function upperTailQuantile(tail: number): number {
  const t = Math.sqrt(-2 * Math.log(tail));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  // 0.5 - tail is exact for tail >= 0.25 and within one rounding otherwise.
  const centralMass = 0.5 - tail;

  for (let iteration = 0; iteration < 8; iteration += 1) {
    const x = z / Math.SQRT2;
    // Q(z) - tail, written so that small z keeps its relative precision: near the centre Q(z) is
    // 0.5 - erf(x)/2, and subtracting two numbers close to 0.5 would lose the digits of z.
    const residual = x < 2 ? centralMass - 0.5 * errorFunctionSeries(x) : 0.5 * complementaryErrorFunctionFraction(x) - tail;
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const step = residual / density;
    const next = z + step / (1 - (step * z) / 2);
    const change = Math.abs(next - z);
    z = next;
    if (change <= 1e-16 * Math.max(1e-300, Math.abs(z))) break;
  }
  return z;
}

/** Returns erf(x) for 0 <= x < 2 from the series 2/√π · e^(-x²) · Σ 2^n x^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive. */
function errorFunctionSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n += 1) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/**
 * Returns erfc(x) for x >= 2 from the continued fraction
 * erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated with Lentz's method. It
 * keeps full relative precision in the far tail and needs fewer than 60 terms from x = 2 on.
 */
function complementaryErrorFunctionFraction(x: number): number {
  const tiny = 1e-300;
  let fraction = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 1000; k += 1) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
}
