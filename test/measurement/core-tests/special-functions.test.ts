import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  durbinMatrixCdf,
  kolmogorovSmirnovSurvival,
  logGamma,
  lowerRegularizedGamma,
  pomeranzCdf,
  roundHalfToEven,
  smirnovSurvival,
  twoSampleKolmogorovSmirnovSurvival,
  upperRegularizedGamma,
} from '../../../src/measurement/core/special-functions.js';
import { solveLeastSquares } from '../../../src/measurement/core/special-functions/least-squares.js';

function relativeDifference(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Enumerates every ordering of m values of one sample and n of the other, and returns the share with D ≥ h / lcm. */
function enumeratedTwoSampleSurvival(m: number, n: number, h: number): number {
  const lcm = (m * n) / gcd(m, n);
  let reaching = 0;
  let total = 0;
  const visit = (x: number, y: number, reached: boolean): void => {
    const now = reached || Math.abs((x * lcm) / m - (y * lcm) / n) >= h;
    if (x === m && y === n) {
      total += 1;
      if (now) reaching += 1;
      return;
    }
    if (x < m) visit(x + 1, y, now);
    if (y < n) visit(x, y + 1, now);
  };
  visit(0, 0, false);
  return reaching / total;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

describe('logGamma', () => {
  it('equals ln((n - 1)!) at integers', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 40; n += 1) {
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThan(1e-13 * Math.max(1, logFactorial));
      logFactorial += Math.log(n);
    }
  });

  it('equals ln √π at 1/2 and follows the recurrence', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    for (const x of [0.001, 0.3, 2.7, 14.5, 123.25, 1e6]) {
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(logGamma(x + 1))));
    }
  });

  it('rejects arguments outside its domain', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-2.5)).toThrow(RangeError);
    expect(logGamma(Number.NaN)).toBeNaN();
  });
});

describe('incomplete gamma and chi-square survival', () => {
  it('matches the closed forms for 2 and 4 degrees of freedom', () => {
    for (const x of [0.01, 1, 7.5, 40, 300, 1400]) {
      expect(relativeDifference(chiSquareSurvival(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-13);
      expect(relativeDifference(chiSquareSurvival(x, 4), Math.exp(-x / 2) * (1 + x / 2))).toBeLessThan(1e-13);
    }
  });

  it('makes the lower and upper functions add up to 1', () => {
    for (const a of [0.5, 1, 3.5, 20, 500]) {
      for (const x of [0.1, a / 2, a, a + 1, 2 * a + 5]) {
        expect(Math.abs(lowerRegularizedGamma(a, x) + upperRegularizedGamma(a, x) - 1)).toBeLessThan(1e-14);
      }
    }
  });

  it('returns 1 at and below 0 and rejects invalid degrees of freedom', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(-1, 3)).toBe(1);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
    expect(() => chiSquareSurvival(1, Number.NaN)).toThrow(RangeError);
    expect(() => upperRegularizedGamma(1, -1)).toThrow(RangeError);
  });
});

describe('Kolmogorov-Smirnov distributions', () => {
  it('gives 1 below 1/(2n) and 0 from 1 on', () => {
    for (const n of [1, 7, 500, 200_000]) {
      expect(kolmogorovSmirnovSurvival(n, 0)).toBe(1);
      expect(kolmogorovSmirnovSurvival(n, 0.49 / n)).toBe(1);
      expect(kolmogorovSmirnovSurvival(n, 1)).toBe(0);
    }
    expect(() => kolmogorovSmirnovSurvival(2.5, 0.3)).toThrow(RangeError);
  });

  it('matches the closed form for one value', () => {
    // D_1 = max(U, 1 - U), so P(D_1 ≥ d) = 2 (1 - d) for d ≥ 1/2.
    for (const d of [0.5, 0.6, 0.93]) expect(kolmogorovSmirnovSurvival(1, d)).toBeCloseTo(2 * (1 - d), 15);
  });

  it('approaches the Kolmogorov limit for large n', () => {
    // P(√n D_n ≥ 1.36) tends to 0.0494 (Kolmogorov's distribution), with an error of order 1/√n.
    const n = 250_000;
    expect(kolmogorovSmirnovSurvival(n, 1.36 / Math.sqrt(n))).toBeCloseTo(0.0494, 3);
  });

  it('agrees between the two exact algorithms at large n', () => {
    // SciPy 1.10 only runs Pomeranz for n ≤ 140; its version underflows at n = 3000 (0.405 instead of 0.507).
    for (const [n, d] of [
      [60, 0.11],
      [1000, 0.02],
      [3000, 0.01513577437855808],
    ] as const) {
      expect(relativeDifference(pomeranzCdf(n, d), durbinMatrixCdf(n, d))).toBeLessThan(1e-11);
    }
  });

  it('computes the one-sided distribution in closed-form cases', () => {
    expect(smirnovSurvival(1, 0.3)).toBeCloseTo(0.7, 15);
    // For d ≥ 1 - 1/n only the first term of the Birnbaum-Tingey sum is left: P = (1 - d)^n.
    expect(relativeDifference(smirnovSurvival(10, 0.95), 0.05 ** 10)).toBeLessThan(1e-12);
    // For d ≤ 1/n the complement is d (1 + d)^(n - 1).
    expect(relativeDifference(smirnovSurvival(10, 0.05), 1 - 0.05 * 1.05 ** 9)).toBeLessThan(1e-14);
  });

  it('computes exact two-sample probabilities as enumeration does', () => {
    for (const [m, n] of [
      [4, 6],
      [5, 5],
      [3, 7],
      [6, 4],
    ] as const) {
      const lcm = (m * n) / gcd(m, n);
      for (let h = 1; h <= lcm; h += 1) {
        const exact = twoSampleKolmogorovSmirnovSurvival(m, n, h);
        expect(Math.abs(exact - enumeratedTwoSampleSurvival(m, n, h))).toBeLessThan(1e-14);
      }
    }
    expect(twoSampleKolmogorovSmirnovSurvival(8, 12, 0)).toBe(1);
  });

  it('rounds half to even like numpy.round', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 0, -2, 2, 3]);
  });
});

describe('solveLeastSquares', () => {
  it('recovers an exact quadratic', () => {
    const xs = [0.325, 1.226, 1.961, 2.718, 3.752, 4.592, 6.546];
    const coefficients = solveLeastSquares(
      xs.map((x) => [x * x, x, 1]),
      xs.map((x) => 0.5 * x * x - 2 * x + 3),
    );
    expect(coefficients[0]).toBeCloseTo(0.5, 13);
    expect(coefficients[1]).toBeCloseTo(-2, 13);
    expect(coefficients[2]).toBeCloseTo(3, 13);
  });

  it('fits a line through four points', () => {
    // Points (0, 1), (1, 2), (2, 2), (3, 4): slope 0.9 and intercept 0.9 by hand.
    const coefficients = solveLeastSquares(
      [0, 1, 2, 3].map((x) => [x, 1]),
      [1, 2, 2, 4],
    );
    expect(coefficients[0]).toBeCloseTo(0.9, 14);
    expect(coefficients[1]).toBeCloseTo(0.9, 14);
  });
});
