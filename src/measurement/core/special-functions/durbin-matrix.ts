/**
 * Durbin's matrix formula for the two-sided one-sample Kolmogorov-Smirnov distribution, in the
 * form of Marsaglia, Tsang and Wang ("Evaluating Kolmogorov's distribution", Journal of
 * Statistical Software 8(18), 2003). Write n d = k − h with k = ⌈n d⌉ and 0 ≤ h < 1, and let H be
 * the m × m matrix, m = 2k − 1, with
 *   H[i][j] = 1 / (i − j + 1)!        for i − j + 1 ≥ 0, otherwise 0 (rows and columns from 0),
 *   H[i][0] = (1 − h^(i + 1)) / (i + 1)!,   H[m − 1][j] = (1 − h^(m − j)) / (m − j)!,
 *   H[m − 1][0] = (1 − 2 h^m + max(0, 2h − 1)^m) / m!.
 * Then P(D_n < d) = n! / n^n · (H^n)[k − 1][k − 1]. The cost is O(m³ log n), so the method suits
 * small n d.
 */

import { scaleByPowerOfTwo } from './probability.js';

const RESCALE_THRESHOLD = 2 ** 256;
const RESCALE_EXPONENT = 256;

/** A square matrix in row-major order, with a power-of-two exponent kept apart from the entries. */
interface ScaledMatrix {
  readonly entries: Float64Array;
  readonly exponent: number;
}

function multiply(left: ScaledMatrix, right: ScaledMatrix, size: number): ScaledMatrix {
  const entries = new Float64Array(size * size);
  for (let i = 0; i < size; i += 1) {
    for (let l = 0; l < size; l += 1) {
      const factor = left.entries[i * size + l]!;
      if (factor === 0) continue;
      for (let j = 0; j < size; j += 1) entries[i * size + j]! += factor * right.entries[l * size + j]!;
    }
  }
  return rescale({ entries, exponent: left.exponent + right.exponent });
}

/** Divides the entries by 2^256 while the largest exceeds 2^256, so that repeated squaring cannot overflow. */
function rescale(matrix: ScaledMatrix): ScaledMatrix {
  let largest = 0;
  for (const value of matrix.entries) largest = Math.max(largest, Math.abs(value));
  if (largest <= RESCALE_THRESHOLD) return matrix;
  const entries = matrix.entries.map((value) => value / RESCALE_THRESHOLD);
  return { entries, exponent: matrix.exponent + RESCALE_EXPONENT };
}

function durbinMatrix(h: number, size: number): Float64Array {
  const inverseFactorials = new Float64Array(size + 1);
  inverseFactorials[0] = 1;
  for (let i = 1; i <= size; i += 1) inverseFactorials[i] = inverseFactorials[i - 1]! / i;

  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i += 1) {
    for (let j = 0; j < size; j += 1) {
      if (i - j + 1 >= 0) matrix[i * size + j] = inverseFactorials[i - j + 1]!;
    }
  }
  for (let i = 0; i < size; i += 1) {
    matrix[i * size] = (1 - h ** (i + 1)) * inverseFactorials[i + 1]!;
    matrix[(size - 1) * size + i] = (1 - h ** (size - i)) * inverseFactorials[size - i]!;
  }
  const corner = 1 - 2 * h ** size + Math.max(0, 2 * h - 1) ** size;
  matrix[(size - 1) * size] = corner * inverseFactorials[size]!;
  return matrix;
}

function matrixPower(base: Float64Array, size: number, power: number): ScaledMatrix {
  const identity = new Float64Array(size * size);
  for (let i = 0; i < size; i += 1) identity[i * size + i] = 1;

  let result: ScaledMatrix = { entries: identity, exponent: 0 };
  let square: ScaledMatrix = { entries: base, exponent: 0 };
  let remaining = power;
  while (remaining > 0) {
    if (remaining % 2 === 1) result = multiply(result, square, size);
    remaining = Math.floor(remaining / 2);
    if (remaining > 0) square = multiply(square, square, size);
  }
  return result;
}

/**
 * Computes P(D_n < d) for the two-sided one-sample Kolmogorov-Smirnov statistic D_n with Durbin's
 * matrix formula. Exact up to rounding; n must be an integer ≥ 1.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;

  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;
  const power = matrixPower(durbinMatrix(h, size), size, n);

  // Multiply by n! / n^n one factor i / n at a time, moving the scale into the exponent.
  let probability = power.entries[(k - 1) * size + (k - 1)]!;
  let exponent = power.exponent;
  for (let i = 1; i <= n; i += 1) {
    probability = (probability * i) / n;
    if (probability !== 0 && Math.abs(probability) < 1 / RESCALE_THRESHOLD) {
      probability *= RESCALE_THRESHOLD;
      exponent -= RESCALE_EXPONENT;
    }
  }
  return Math.min(1, Math.max(0, scaleByPowerOfTwo(probability, exponent)));
}
