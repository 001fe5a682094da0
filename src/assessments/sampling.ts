/**
 * Seeded random sampling for mock audits. The generator is mulberry32, which keeps 32 bits of
 * state and takes a few integer operations per number. It is not cryptographic, and an audit
 * sample needs no secrecy. The same seed over the same population, in the same order, always
 * draws the same sample, so an auditor can redraw and check it.
 */

/** Returns a generator of numbers in [0, 1) that depends only on the 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Draws `size` distinct members of `population` with a partial Fisher-Yates shuffle driven by
 * the seed, and returns them in their population order. Throws a RangeError unless `size` is an
 * integer from 0 to the population size.
 */
export function drawSample<T>(population: readonly T[], size: number, seed: number): T[] {
  if (!Number.isInteger(size) || size < 0 || size > population.length) {
    throw new RangeError(`sample size ${size} is outside 0..${population.length}`);
  }
  const random = mulberry32(seed);
  const indexes = population.map((_, index) => index);
  for (let slot = 0; slot < size; slot += 1) {
    const pick = slot + Math.floor(random() * (indexes.length - slot));
    [indexes[slot], indexes[pick]] = [indexes[pick]!, indexes[slot]!];
  }
  return indexes
    .slice(0, size)
    .sort((a, b) => a - b)
    .map((index) => population[index]!);
}
