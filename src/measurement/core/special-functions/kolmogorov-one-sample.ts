/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution: the law of D_n = sup_x |F_n(x) − F(x)|
 * for n values from a continuous F. The survival function picks among exact formulas, exact
 * algorithms and an asymptotic expansion by n and n d², following the plan of Simard and
 * L'Ecuyer ("Computing the two-sided Kolmogorov-Smirnov distribution", Journal of Statistical
 * Software 39(11), 2011) with the cut-offs of scipy.stats.kstwo in SciPy 1.10. The two-sample
 * test evaluates it at n = round(m n / (m + n)) for its asymptotic p-value.
 */

import { durbinMatrixCdf } from './durbin-matrix.js';
import { pelzGoodCdf } from './pelz-good.js';
import { pomeranzCdf } from './pomeranz.js';
import { clipProbability } from './probability.js';
import { smirnovSurvival } from './smirnov.js';

/** Up to this n, SciPy computes the distribution exactly for every d. */
const SMALL_N_LIMIT = 140;
/** Up to this n d² (n ≤ 140), Durbin's matrix is cheaper than Pomeranz's recursion. */
const SMALL_N_DURBIN_LIMIT = 0.754693;
/** Up to this n d² (n ≤ 140), Pomeranz's recursion; beyond, the one-sided tails do not overlap in double precision. */
const SMALL_N_POMERANZ_LIMIT = 4;
/** From this n d² on (n > 140), P(D_n ≥ d) = 2 P(D⁺_n ≥ d) to double precision. */
const LARGE_N_ONE_SIDED_LIMIT = 2.2;
/** From this n d² on (n > 140), P(D_n ≥ d) < 2 e^(−740) and is returned as 0. */
const LARGE_N_ZERO_LIMIT = 370;
/** Durbin's matrix is used for n > 140 only when n ≤ 100,000 and n d^(3/2) ≤ 1.4, where its matrix stays small. */
const LARGE_N_DURBIN_MAX_N = 100_000;
const LARGE_N_DURBIN_LIMIT = 1.4;

/** n! / n^n · (2 n d − 1)^n, the exact P(D_n ≤ d) for 1/(2n) ≤ d ≤ 1/n (Ruben and Gambino). */
function rubenGambinoLowerTail(n: number, t: number): number {
  let product = 1;
  for (let i = 1; i <= n; i += 1) product *= (i / n) * (2 * t - 1);
  return product;
}

/**
 * Computes P(D_n ≥ d), the survival function of the two-sided one-sample Kolmogorov-Smirnov
 * statistic, for an integer n ≥ 1 and d in [0, 1], with the method SciPy 1.10's kstwo.sf picks:
 * - d ≤ 1/(2n): 1; d ≥ 1: 0.
 * - d ≤ 1/n: 1 − n!/n^n (2nd − 1)^n;  n d ≥ n − 1: 2 (1 − d)^n (Ruben and Gambino, exact).
 * - d ≥ 1/2: 2 × smirnovSurvival(n, d), exact because both one-sided tails cannot occur at once.
 * - n ≤ 140: Durbin's matrix for n d² ≤ 0.754693, Pomeranz for n d² ≤ 4, else 2 × smirnov.
 * - n > 140: 0 for n d² ≥ 370, 2 × smirnov for n d² ≥ 2.2, else 1 minus Durbin's matrix
 *   (n ≤ 100,000 and n d^1.5 ≤ 1.4) or the Pelz-Good approximation.
 * Two branches are approximations, with the same error as SciPy: Pelz-Good, and smirnovSurvival
 * for n > 1,000,000. Everything else is exact up to rounding, and the results equal SciPy 1.10 to
 * a relative 1e-11 in the cases of the reference table.
 */
export function kolmogorovSmirnovSurvival(n: number, d: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`kolmogorovSmirnovSurvival needs an integer sample size n ≥ 1, received ${n}`);
  }
  if (Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;

  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    return clipProbability(1 - rubenGambinoLowerTail(n, t));
  }
  if (t >= n - 1) return clipProbability(2 * (1 - d) ** n);
  if (d >= 0.5) return clipProbability(2 * smirnovSurvival(n, d));

  const nd2 = t * d;
  if (n <= SMALL_N_LIMIT) {
    if (nd2 <= SMALL_N_DURBIN_LIMIT) return clipProbability(1 - durbinMatrixCdf(n, d));
    if (nd2 <= SMALL_N_POMERANZ_LIMIT) return clipProbability(1 - pomeranzCdf(n, d));
    return clipProbability(2 * smirnovSurvival(n, d));
  }

  if (nd2 >= LARGE_N_ZERO_LIMIT) return 0;
  if (nd2 >= LARGE_N_ONE_SIDED_LIMIT) return clipProbability(2 * smirnovSurvival(n, d));
  const useDurbin = n <= LARGE_N_DURBIN_MAX_N && n * d ** 1.5 <= LARGE_N_DURBIN_LIMIT;
  const cdf = useDurbin ? durbinMatrixCdf(n, d) : pelzGoodCdf(n, d);
  return clipProbability(1 - cdf);
}
