/**
 * Pomeranz's recursion for the two-sided one-sample Kolmogorov-Smirnov distribution (Pomeranz,
 * "Exact cumulative distribution of the Kolmogorov-Smirnov statistic for small samples",
 * Communications of the ACM 17(12), 1974; described by Simard and L'Ecuyer, Journal of
 * Statistical Software 39(11), 2011).
 *
 * Scale the n uniform points to [0, n] and let N(s) count the points ≤ s. With t = n d, the
 * event D_n < d is the event s − t < N(s) < s + t at every checkpoint s where one of the two
 * bounds can change: s = 0, n and the points k + g, k + 1 − g (k = 0..n − 1), where
 * g = min(f, 1 − f) and f is the fractional part of t. Between checkpoints the count grows by a
 * Poisson-type increment, so the probability follows from 2n + 1 convolutions of count vectors
 * with weights length^r / r!, times n! / n^n at the end. Without the 1 / n^r of the multinomial
 * weights, neighbouring entries of a count vector differ by a factor near 1. SciPy 1.10 keeps that
 * factor (about 1 / n), so its entries at the top of the band underflow once n reaches a few
 * thousand. SciPy only runs the method for n ≤ 140, where this does not happen.
 */

import { scaleByPowerOfTwo } from './probability.js';

const RESCALE_FACTOR = 2 ** 256;
const RESCALE_EXPONENT = 256;

/** The fractional part of a checkpoint: 0, g or 1 − g. */
type CheckpointFraction = 'zero' | 'g' | 'oneMinusG';

interface Checkpoint {
  readonly whole: number;
  readonly fraction: CheckpointFraction;
}

interface CountRange {
  readonly lowest: number;
  readonly highest: number;
}

/** Weights length^r / r! for r = 0..maxIncrement. */
function incrementWeights(length: number, maxIncrement: number): Float64Array {
  const weights = new Float64Array(maxIncrement + 1);
  weights[0] = 1;
  for (let r = 1; r <= maxIncrement; r += 1) weights[r] = (weights[r - 1]! * length) / r;
  return weights;
}

/** Multiplies the vector by a power of two when its largest entry leaves [2^-256, 2^256], and returns the exponent taken out. */
function rescale(vector: Float64Array, largest: number): number {
  let exponent = 0;
  if (largest > RESCALE_FACTOR) exponent = RESCALE_EXPONENT;
  else if (largest > 0 && largest < 1 / RESCALE_FACTOR) exponent = -RESCALE_EXPONENT;
  if (exponent !== 0) {
    const factor = 2 ** -exponent;
    for (let j = 0; j < vector.length; j += 1) vector[j]! *= factor;
  }
  return exponent;
}

/**
 * Returns the counts j allowed at a checkpoint s, that is s − t < j < s + t and 0 ≤ j ≤ n. The
 * fractional parts of s ± t are 0, 1, ±f, 2f or 1 − 2f. The integer ones are set symbolically,
 * so rounding never moves a bound that falls exactly on an integer.
 */
function allowedCounts(checkpoint: Checkpoint, tWhole: number, f: number, gEqualsF: boolean, n: number): CountRange {
  let fractionPlus: number;
  let fractionMinus: number;
  if (checkpoint.fraction === 'zero') {
    fractionPlus = f;
    fractionMinus = -f;
  } else if ((checkpoint.fraction === 'g') === gEqualsF) {
    fractionPlus = 2 * f;
    fractionMinus = 0;
  } else {
    fractionPlus = 1;
    fractionMinus = 1 - 2 * f;
  }
  const lowest = checkpoint.whole - tWhole + Math.floor(fractionMinus) + 1;
  const highest = checkpoint.whole + tWhole + Math.ceil(fractionPlus) - 1;
  return { lowest: Math.max(0, lowest), highest: Math.min(n, highest) };
}

function checkpoints(n: number): Checkpoint[] {
  const points: Checkpoint[] = [{ whole: 0, fraction: 'zero' }];
  for (let k = 0; k < n; k += 1) {
    points.push({ whole: k, fraction: 'g' }, { whole: k, fraction: 'oneMinusG' });
  }
  points.push({ whole: n, fraction: 'zero' });
  return points;
}

/**
 * Computes P(D_n < d) for the two-sided one-sample Kolmogorov-Smirnov statistic with Pomeranz's
 * recursion. Exact up to rounding; the cost is O(n t²) with t = n d, so it suits small n.
 */
export function pomeranzCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const t = n * d;
  if (t <= 0.5) return 0;

  const tWhole = Math.floor(t);
  const f = t - tWhole;
  const g = Math.min(f, 1 - f);
  const gEqualsF = f <= 0.5;
  const maxIncrement = 2 * tWhole + 2;
  const edgeWeights = incrementWeights(g, maxIncrement);
  const innerWeights = incrementWeights(1 - 2 * g, maxIncrement);
  const outerWeights = incrementWeights(2 * g, maxIncrement);

  const points = checkpoints(n);
  let range: CountRange = { lowest: 0, highest: 0 };
  let probabilities = new Float64Array([1]);
  let exponent = 0;

  for (let i = 1; i < points.length; i += 1) {
    let weights = i % 2 === 1 ? outerWeights : innerWeights;
    if (i === 1 || i === points.length - 1) weights = edgeWeights;
    const next = allowedCounts(points[i]!, tWhole, f, gEqualsF, n);
    if (next.highest < next.lowest) return 0;

    const nextProbabilities = new Float64Array(next.highest - next.lowest + 1);
    let largest = 0;
    for (let j = next.lowest; j <= next.highest; j += 1) {
      let sum = 0;
      const lastPrevious = Math.min(j, range.highest);
      for (let c = range.lowest; c <= lastPrevious; c += 1) {
        sum += probabilities[c - range.lowest]! * weights[j - c]!;
      }
      nextProbabilities[j - next.lowest] = sum;
      largest = Math.max(largest, sum);
    }
    exponent += rescale(nextProbabilities, largest);
    range = next;
    probabilities = nextProbabilities;
  }

  // The last checkpoint is s = n, where every point has been counted. Multiply by n! / n^n.
  let probability = probabilities[n - range.lowest] ?? 0;
  for (let m = 1; m <= n && probability !== 0; m += 1) {
    probability = (probability * m) / n;
    if (probability < 1 / RESCALE_FACTOR) {
      probability *= RESCALE_FACTOR;
      exponent -= RESCALE_EXPONENT;
    }
  }
  return Math.min(1, Math.max(0, scaleByPowerOfTwo(probability, exponent)));
}
