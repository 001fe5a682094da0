import { describe, expect, it } from 'vitest';

import { estimateDistinct, isDistinctState, mergeDistinctStates } from '../../../src/measurement/core/drift/distinct-estimate.js';
import { Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { SqlParameters } from '../../../src/measurement/data/index.js';
import { useDataEngine } from '../engine-data/support.js';

const engine = useDataEngine();

/** Exports DuckDB's HyperLogLog state of two ranges of doubles, and its estimate for each and for both together. */
async function duckdbStates(first: [number, number], second: [number, number]) {
  const state = (range: [number, number]) => `(SELECT approx_count_distinct(x::DOUBLE) EXPORT_STATE AS s FROM range(${range[0]}, ${range[1]}) t(x))`;
  const sql = `SELECT hex(CAST(a.s AS BLOB)) AS a, hex(CAST(b.s AS BLOB)) AS b, finalize(a.s) AS a_estimate, finalize(combine(a.s, b.s)) AS both_estimate FROM ${state(first)} AS a, ${state(second)} AS b`;
  const [row] = await engine().rows('exporting states', sql, new SqlParameters(), []);
  return { a: String(row?.['a']), b: String(row?.['b']), aEstimate: Number(row?.['a_estimate']), bothEstimate: Number(row?.['both_estimate']) };
}

describe('distinct-value states', () => {
  it('estimate as DuckDB finalizes', async () => {
    const random = new Xoshiro128StarStar(7);
    for (let trial = 0; trial < 60; trial++) {
      const start = Math.floor(random.nextDouble() * 1_000_000);
      const size = Math.floor(random.nextDouble() ** 3 * 2_000_000);
      const otherStart = Math.floor(random.nextDouble() * 2_000_000);
      const otherSize = Math.floor(random.nextDouble() ** 3 * 2_000_000);
      const states = await duckdbStates([start, start + size], [otherStart, otherStart + otherSize]);
      expect(isDistinctState(states.a)).toBe(true);
      expect(estimateDistinct(states.a)).toBe(states.aEstimate);
      expect(estimateDistinct(mergeDistinctStates([states.a, states.b]))).toBe(states.bothEstimate);
    }
  });

  it('estimate 0 for an empty sample', async () => {
    const states = await duckdbStates([0, 0], [0, 0]);
    expect(estimateDistinct(states.a)).toBe(0);
    expect(estimateDistinct(mergeDistinctStates([]))).toBe(0);
  });

  it('reject a state of the wrong form', () => {
    expect(() => mergeDistinctStates(['00FF'])).toThrow(/128 hexadecimal digits/);
    expect(() => estimateDistinct('Z'.repeat(128))).toThrow(/128 hexadecimal digits/);
  });
});
