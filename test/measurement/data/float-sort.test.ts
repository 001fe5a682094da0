import { describe, expect, it } from 'vitest';

import { sortFiniteAscending } from '../../../src/measurement/data/float-sort.js';

/** Returns a deterministic pseudo-random sequence (a linear congruential generator), so failures repeat. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('sortFiniteAscending', () => {
  it.each([
    ['uniform on [-100, 100)', (next: () => number) => next() * 200 - 100],
    ['few distinct integers', (next: () => number) => Math.floor(next() * 50)],
    ['magnitudes from 1e-300 to 1e300 of both signs', (next: () => number) => Math.exp(next() * 1380 - 690) * (next() < 0.5 ? -1 : 1)],
    ['subnormals and zeros', (next: () => number) => (next() < 0.3 ? 0 : (next() - 0.5) * 1e-310)],
  ])('matches the built-in sort: %s', (_, draw) => {
    const next = pseudoRandom(7);
    const values = Float64Array.from({ length: 50_000 }, () => draw(next));
    const expected = values.slice().sort();
    expect(sortFiniteAscending(values)).toEqual(expected);
  });

  it('orders -0 before +0 and keeps extremes', () => {
    const values = new Float64Array(10_000).fill(1);
    values[17] = 0;
    values[4_000] = -0;
    values[9_999] = -Number.MAX_VALUE;
    values[5] = Number.MAX_VALUE;
    values[6] = Number.MIN_VALUE;
    const sorted = sortFiniteAscending(values);
    expect(sorted[0]).toBe(-Number.MAX_VALUE);
    expect(Object.is(sorted[1], -0)).toBe(true);
    expect(Object.is(sorted[2], 0)).toBe(true);
    expect(sorted[3]).toBe(Number.MIN_VALUE);
    expect(sorted[9_999]).toBe(Number.MAX_VALUE);
  });

  it('sorts short arrays with the built-in sort', () => {
    expect([...sortFiniteAscending(new Float64Array([3, -1, 2]))]).toEqual([-1, 2, 3]);
  });
});
