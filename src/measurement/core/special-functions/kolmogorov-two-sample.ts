/**
 * The exact null distribution of the two-sided two-sample Kolmogorov-Smirnov statistic D_{m,n}
 * for samples of m and n distinct values. Every ordering of the pooled values is a lattice path
 * from (0, 0) to (m, n): a step right for a value of the first sample, a step up for one of the
 * second. Under the null hypothesis all C(m + n, m) paths are equally likely. With g = gcd(m, n) and
 * L = lcm(m, n) = m n / g, the statistic D = h / L is reached or exceeded exactly when the path
 * touches a point (x, y) with |(n / g) x − (m / g) y| ≥ h (Hodges, "The significance probability
 * of the Smirnov two-sample test", Arkiv för Matematik 3, 1958).
 */

/**
 * Computes P(D_{n,n} ≥ h / n) for two samples of n values each from the reflection formula
 *   P = 2 Σ_{j ≥ 1} (−1)^(j + 1) C(2n, n − j h) / C(2n, n),
 * nested as P = 2 A1 (1 − A2 (1 − A3 (1 − …))) with A_j = C(2n, n − j h) / C(2n, n − (j − 1) h),
 * each A_j a product of h ratios. The rounding follows SciPy 1.10 operation for operation. SciPy
 * treats a result above 1 (it occurs for some n when h is 1 to 3) as a failed computation and
 * falls back to the asymptotic p-value, and the caller must make the same decision.
 */
function equalSizesSurvival(n: number, h: number): number {
  let nested = 0;
  for (let j = Math.floor(n / h); j >= 0; j -= 1) {
    let ratio = 1;
    for (let i = 0; i < h; i += 1) ratio = ((n - j * h - i) * ratio) / (n + j * h + i + 1);
    nested = ratio * (1 - nested);
  }
  return 2 * nested;
}

/**
 * Computes P(D_{m,n} ≥ h / lcm(m, n)) for m ≠ n by the recursion of Viehmann ("Numerically more
 * stable computation of the p-values for the two-sample Kolmogorov-Smirnov test", arXiv
 * 2102.08037, 2021), which carries the probability of having left the band instead of the number
 * of paths inside it. A(x, y), the share of paths from (0, 0) to (x, y) that have touched the
 * boundary, is 1 outside the band and A(x, y) = [x A(x − 1, y) + y A(x, y − 1)] / (x + y) inside,
 * because x / (x + y) and y / (x + y) of the paths into (x, y) arrive from the left and from below.
 * Every value is an average of values in [0, 1], so nothing overflows and small p-values keep their
 * relative accuracy. Cost O(m · band width), memory O(n).
 */
function latticeSurvival(first: number, second: number, gcd: number, h: number): number {
  const m = Math.max(first, second);
  const n = Math.min(first, second);
  const mReduced = m / gcd;
  const nReduced = n / gcd;
  // In column x the band contains the y with |nReduced x − mReduced y| < h.
  const bandStart = (x: number) => Math.max(0, Math.floor((nReduced * x - h) / mReduced) + 1);
  const bandEnd = (x: number) => Math.min(n, Math.ceil((nReduced * x + h) / mReduced) - 1);

  const column = new Float64Array(n + 1).fill(1);
  let previousStart = bandStart(0);
  let previousEnd = bandEnd(0);
  for (let y = previousStart; y <= previousEnd; y += 1) column[y] = 0;

  for (let x = 1; x <= m; x += 1) {
    const start = bandStart(x);
    const end = bandEnd(x);
    // Reset the cells of the previous band that fall outside this one: paths there have left the band.
    for (let y = previousStart; y < Math.min(start, previousEnd + 1); y += 1) column[y] = 1;
    for (let y = Math.max(previousStart, end + 1); y <= previousEnd; y += 1) column[y] = 1;

    let below = start === 0 ? 0 : 1;
    for (let y = start; y <= end; y += 1) {
      below = (column[y]! * x + below * y) / (x + y);
      column[y] = below;
    }
    previousStart = start;
    previousEnd = end;
  }
  return column[n]!;
}

/** Returns gcd(a, b) for non-negative integers by Euclid's algorithm. */
export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * Computes the exact two-sided p-value P(D_{m,n} ≥ h / lcm(m, n)) of the two-sample
 * Kolmogorov-Smirnov test for sample sizes m, n ≥ 1 and an integer h ≥ 0, as SciPy 1.10's
 * ks_2samp(method='exact') does. For m = n the result can exceed 1 by rounding when h is small;
 * callers treat a value outside [0, 1] as a failed computation.
 */
export function twoSampleKolmogorovSmirnovSurvival(m: number, n: number, h: number): number {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`sample size m must be an integer ≥ 1, received ${m}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample size n must be an integer ≥ 1, received ${n}`);
  if (!Number.isInteger(h) || h < 0) throw new RangeError(`h must be an integer ≥ 0, received ${h}`);
  if (h === 0) return 1;
  if (m === n) return equalSizesSurvival(n, h);
  return latticeSurvival(m, n, greatestCommonDivisor(m, n), h);
}
