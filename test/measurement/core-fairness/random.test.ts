import { describe, expect, it } from 'vitest';
import { sampleBinomial, sampleGamma, sampleMultinomial, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { reference } from './fixtures.js';

interface BinomialCase {
  trials: number;
  probability: number;
  firstOutcome: number;
  probabilities: number[];
}

/** Pearson's chi-square statistic of observed outcome counts against exact probabilities, pooling cells until each expects at least 5. */
function chiSquare(observed: Map<number, number>, testCase: BinomialCase, draws: number): { statistic: number; degreesOfFreedom: number } {
  const cells: { expected: number; observed: number }[] = [];
  let pending = { expected: 0, observed: 0 };
  let coveredMass = 0;
  testCase.probabilities.forEach((probability, index) => {
    coveredMass += probability;
    pending.expected += probability * draws;
    pending.observed += observed.get(testCase.firstOutcome + index) ?? 0;
    if (pending.expected >= 5) {
      cells.push(pending);
      pending = { expected: 0, observed: 0 };
    }
  });
  // Outcomes beyond six standard deviations join the last cell.
  let outside = 0;
  for (const [outcome, count] of observed) {
    if (outcome < testCase.firstOutcome || outcome >= testCase.firstOutcome + testCase.probabilities.length) outside += count;
  }
  const last = cells[cells.length - 1] as { expected: number; observed: number };
  last.expected += pending.expected + (1 - coveredMass) * draws;
  last.observed += pending.observed + outside;
  const statistic = cells.reduce((sum, cell) => sum + (cell.observed - cell.expected) ** 2 / cell.expected, 0);
  return { statistic, degreesOfFreedom: cells.length - 1 };
}

describe('xoshiro128**', () => {
  it('matches the reference stream for each seed', () => {
    for (const stream of reference.xoshiro128StarStar as { seed: number; outputs: number[] }[]) {
      const random = new Xoshiro128StarStar(stream.seed);
      const outputs = stream.outputs.map(() => random.nextUint32());
      expect(outputs).toEqual(stream.outputs);
    }
  });

  it('gives doubles in [0, 1) with a plausible mean', () => {
    const random = new Xoshiro128StarStar(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const value = random.nextDouble();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      sum += value;
    }
    // The standard error of the mean of 100,000 uniforms is 0.0009.
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => new Xoshiro128StarStar(-1)).toThrow(/integer from 0 to 2\^53 - 1/);
    expect(() => new Xoshiro128StarStar(1.5)).toThrow(/1.5/);
  });
});

describe('binomial sampler', () => {
  it('fits the exact binomial distribution', () => {
    const critical = reference.binomial.chiSquareCritical1e6 as Record<string, number>;
    for (const testCase of reference.binomial.cases as BinomialCase[]) {
      const random = new Xoshiro128StarStar(testCase.trials);
      const draws = 20_000;
      const observed = new Map<number, number>();
      for (let i = 0; i < draws; i += 1) {
        const outcome = sampleBinomial(random, testCase.trials, testCase.probability);
        observed.set(outcome, (observed.get(outcome) ?? 0) + 1);
      }
      const { statistic, degreesOfFreedom } = chiSquare(observed, testCase, draws);
      expect(degreesOfFreedom).toBeGreaterThan(0);
      expect(statistic, `n = ${testCase.trials}, p = ${testCase.probability}`).toBeLessThan(critical[String(degreesOfFreedom)] as number);
    }
  });

  it('returns the certain outcomes at p = 0 and p = 1', () => {
    const random = new Xoshiro128StarStar(1);
    expect(sampleBinomial(random, 1000, 0)).toBe(0);
    expect(sampleBinomial(random, 1000, 1)).toBe(1000);
    expect(sampleBinomial(random, 0, 0.4)).toBe(0);
  });

  it('stays within 0..n for huge n', () => {
    const random = new Xoshiro128StarStar(3);
    for (let i = 0; i < 200; i += 1) {
      const outcome = sampleBinomial(random, 10_000_000, 0.37);
      expect(Number.isInteger(outcome)).toBe(true);
      // Mean 3,700,000, standard deviation 1527; 8 standard deviations is far outside chance.
      expect(Math.abs(outcome - 3_700_000)).toBeLessThan(8 * 1527);
    }
  });

  it('rejects invalid trials and probabilities', () => {
    const random = new Xoshiro128StarStar(1);
    expect(() => sampleBinomial(random, 2.5, 0.5)).toThrow(/non-negative integer/);
    expect(() => sampleBinomial(random, 10, 1.5)).toThrow(/\[0, 1\]/);
    expect(() => sampleBinomial(random, 10, Number.NaN)).toThrow(/NaN/);
  });
});

describe('multinomial sampler', () => {
  it('places every trial and matches the expected shares', () => {
    const random = new Xoshiro128StarStar(11);
    const probabilities = [0.1, 0.0, 0.6, 0.3];
    const totals = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i += 1) {
      const draw = sampleMultinomial(random, 500, probabilities);
      expect(draw.reduce((sum, count) => sum + count, 0)).toBe(500);
      expect(draw[1]).toBe(0);
      draw.forEach((count, index) => (totals[index] = (totals[index] ?? 0) + count));
    }
    // 1,000,000 trials in all: the standard error of each share is below 0.0005.
    probabilities.forEach((probability, index) => expect(Math.abs((totals[index] as number) / 1_000_000 - probability)).toBeLessThan(0.003));
  });

  it('normalises probabilities that are counts', () => {
    const random = new Xoshiro128StarStar(5);
    const draw = sampleMultinomial(random, 10, [0, 0, 7, 0]);
    expect(draw).toEqual([0, 0, 10, 0]);
  });

  it('rejects all-zero probabilities with trials to place', () => {
    const random = new Xoshiro128StarStar(5);
    expect(() => sampleMultinomial(random, 3, [0, 0])).toThrow(/must not all be 0/);
    expect(sampleMultinomial(random, 0, [0, 0])).toEqual([0, 0]);
  });
});

describe('gamma sampler', () => {
  it('has the mean and variance of its shape', () => {
    for (const shape of [0.5, 1, 3.5, 200]) {
      const random = new Xoshiro128StarStar(Math.round(shape * 10));
      let sum = 0;
      let sumSquares = 0;
      const draws = 50_000;
      for (let i = 0; i < draws; i += 1) {
        const value = sampleGamma(random, shape);
        sum += value;
        sumSquares += value * value;
      }
      const mean = sum / draws;
      const variance = sumSquares / draws - mean * mean;
      // Gamma(k, 1) has mean k and variance k; the standard error of the mean is sqrt(k / draws).
      expect(Math.abs(mean - shape)).toBeLessThan(6 * Math.sqrt(shape / draws));
      expect(Math.abs(variance / shape - 1)).toBeLessThan(0.06);
    }
  });
});
