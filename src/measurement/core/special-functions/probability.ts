/** Small numeric helpers shared by the distribution functions. */

/** Clips a computed probability to [0, 1], as SciPy does before returning one. */
export function clipProbability(p: number): number {
  if (p < 0) return 0;
  if (p > 1) return 1;
  return p;
}

/** Rounds to the nearest integer, with ties to the even neighbour (numpy.round, IEEE 754 default). */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const difference = x - floor;
  if (difference < 0.5) return floor;
  if (difference > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Multiplies x by 2^exponent in steps, so that no intermediate power of two overflows or underflows. */
export function scaleByPowerOfTwo(x: number, exponent: number): number {
  let result = x;
  let remaining = exponent;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}
