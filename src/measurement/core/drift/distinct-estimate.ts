/**
 * Distinct-value estimates from DuckDB's HyperLogLog states, merged without DuckDB. A stored
 * reference profile keeps the state of `approx_count_distinct` as hex. DuckDB's `combine` takes
 * only a value of the aggregate-state type, and no cast turns a BLOB back into one, so the state
 * of two samples is merged here.
 *
 * The layout and estimator are those of DuckDB 1.1 and later, and the tests check them against
 * `finalize(combine(…))` of the installed @duckdb/node-api. A state has 64 one-byte registers
 * (precision 6), two states merge by taking the larger register, and the estimate is Otmar Ertl's
 * improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284, 2017), rounded to the nearest whole number.
 */

const registerCount = 64;
/** Bits of the hash left after the register index: 64 − 6. */
const maxRank = 58;

/** Hex digits of one exported state. */
export const distinctStateLength = registerCount * 2;

/** Returns whether `state` has the form of an exported state: 128 hexadecimal digits. */
export function isDistinctState(state: string): boolean {
  return state.length === distinctStateLength && /^[0-9A-Fa-f]+$/.test(state);
}

/** Merges exported states register by register, as DuckDB's `combine` does; returns the merged state as upper-case hex. */
export function mergeDistinctStates(states: readonly string[]): string {
  const merged = new Uint8Array(registerCount);
  for (const state of states) {
    if (!isDistinctState(state)) throw new RangeError(`A distinct-value state must be ${distinctStateLength} hexadecimal digits, not "${state.slice(0, 20)}…" (${state.length} characters)`);
    for (let index = 0; index < registerCount; index++) {
      const register = Number.parseInt(state.slice(index * 2, index * 2 + 2), 16);
      if (register > (merged[index] as number)) merged[index] = register;
    }
  }
  return Array.from(merged, (register) => register.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Estimates the distinct values counted in an exported state, as DuckDB's `finalize` does. */
export function estimateDistinct(state: string): number {
  if (!isDistinctState(state)) throw new RangeError(`A distinct-value state must be ${distinctStateLength} hexadecimal digits`);
  const histogram = new Array<number>(maxRank + 2).fill(0);
  for (let index = 0; index < registerCount; index++) {
    const register = Number.parseInt(state.slice(index * 2, index * 2 + 2), 16);
    histogram[Math.min(register, maxRank + 1)]! += 1;
  }

  let z = registerCount * tau(1 - (histogram[maxRank + 1] as number) / registerCount);
  for (let rank = maxRank; rank >= 1; rank--) z = 0.5 * (z + (histogram[rank] as number));
  z += registerCount * sigma((histogram[0] as number) / registerCount);
  const alphaInfinity = 1 / (2 * Math.log(2));
  return Math.round((alphaInfinity * registerCount * registerCount) / z);
}

/** Ertl's σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1), summed until it stops changing; infinite at x = 1 (every register empty). */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let power = x;
  let weight = 1;
  let sum = x;
  let previous: number;
  do {
    power *= power;
    previous = sum;
    sum += power * weight;
    weight += weight;
  } while (sum !== previous);
  return sum;
}

/** Ertl's τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k) / 3, summed until it stops changing; 0 at x = 0 and x = 1. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let root = x;
  let weight = 1;
  let sum = 1 - x;
  let previous: number;
  do {
    root = Math.sqrt(root);
    previous = sum;
    weight *= 0.5;
    sum -= (1 - root) ** 2 * weight;
  } while (sum !== previous);
  return sum / 3;
}
