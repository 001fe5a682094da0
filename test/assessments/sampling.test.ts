import { describe, expect, it } from 'vitest';
import { drawSample, mulberry32 } from '../../src/assessments/sampling.js';

describe('seeded sampling', () => {
  it('repeats the generator sequence for a seed', () => {
    const first = mulberry32(42);
    const second = mulberry32(42);
    const a = Array.from({ length: 20 }, () => first());
    const b = Array.from({ length: 20 }, () => second());
    expect(a).toEqual(b);
    for (const value of a) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(new Set(a).size).toBe(20);
  });

  it('gives another sequence for another seed', () => {
    const first = mulberry32(1);
    const second = mulberry32(2);
    expect(Array.from({ length: 5 }, () => first())).not.toEqual(Array.from({ length: 5 }, () => second()));
  });

  it('draws distinct members in population order', () => {
    const population = Array.from({ length: 38 }, (_, index) => `control-${String(index).padStart(2, '0')}`);
    const sample = drawSample(population, 10, 7);
    expect(sample).toHaveLength(10);
    expect(new Set(sample).size).toBe(10);
    expect(sample).toEqual([...sample].sort());
    for (const member of sample) expect(population).toContain(member);
    expect(drawSample(population, 10, 7)).toEqual(sample);
    expect(drawSample(population, 10, 8)).not.toEqual(sample);
  });

  it('draws the whole population or nothing at the bounds', () => {
    const population = ['a', 'b', 'c'];
    expect(drawSample(population, 3, 99)).toEqual(population);
    expect(drawSample(population, 0, 99)).toEqual([]);
    expect(() => drawSample(population, 4, 99)).toThrow(RangeError);
    expect(() => drawSample(population, 1.5, 99)).toThrow(RangeError);
  });

  it('spreads draws over the whole population', () => {
    const population = Array.from({ length: 10 }, (_, index) => index);
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 2_000; seed += 1) {
      for (const member of drawSample(population, 1, seed)) counts[member]! += 1;
    }
    // Each member expects 200 draws; a fair generator stays well inside 120..280.
    for (const count of counts) {
      expect(count).toBeGreaterThan(120);
      expect(count).toBeLessThan(280);
    }
  });
});
