/**
 * A seeded pseudo-random number generator and exact samplers built on it, so that every
 * resampling result (bootstrap intervals, for example) is reproducible from its seed. Nothing
 * here reads Math.random or the clock.
 */

/** A source of uniformly distributed pseudo-random numbers. */
export interface RandomSource {
  /** Returns a uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number;
  /** Returns a uniformly distributed number in [0, 1) with 53 random bits. */
  nextDouble(): number;
}

const uint64Mask = (1n << 64n) - 1n;

/**
 * xoshiro128** by Blackman and Vigna (2018): 128 bits of state, period 2^128 - 1, 32-bit
 * output. The state is filled from the seed with two SplitMix64 outputs, so that nearby seeds
 * such as 1 and 2 give unrelated streams.
 */
export class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is an integer in [0, 2^53); the same seed always yields the same sequence. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`The random seed must be an integer from 0 to 2^53 - 1, but it is ${seed}`);
    }
    let state = BigInt(seed);
    const words: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      state = (state + 0x9e3779b97f4a7c15n) & uint64Mask;
      let z = state;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & uint64Mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & uint64Mask;
      z = z ^ (z >> 31n);
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    this.s0 = words[0] ?? 0;
    this.s1 = words[1] ?? 0;
    this.s2 = words[2] ?? 0;
    this.s3 = words[3] ?? 0;
    // The all-zero state, which would output zeros forever, cannot occur: the SplitMix64 output
    // function is a bijection of its state, so at most one of the two outputs is 0.
  }

  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** Returns a number drawn uniformly from the open interval (0, 1), for logarithms. */
function nextOpenUnit(random: RandomSource): number {
  let u = random.nextDouble();
  while (u === 0) u = random.nextDouble();
  return u;
}

/** Draws from the standard normal distribution with Marsaglia's polar method (exact). */
export function sampleStandardNormal(random: RandomSource): number {
  for (;;) {
    const u = 2 * random.nextDouble() - 1;
    const v = 2 * random.nextDouble() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Draws from the gamma distribution with the given shape and scale 1, with the rejection method
 * of Marsaglia and Tsang (2000). A shape below 1 uses Gamma(shape + 1) · U^(1 / shape).
 */
export function sampleGamma(random: RandomSource, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`The gamma shape must be a positive finite number, but it is ${shape}`);
  }
  if (shape < 1) return sampleGamma(random, shape + 1) * Math.pow(nextOpenUnit(random), 1 / shape);

  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleStandardNormal(random);
    const base = 1 + c * x;
    if (base <= 0) continue;
    const v = base * base * base;
    const u = nextOpenUnit(random);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Draws from the beta distribution Beta(a, b) as Ga / (Ga + Gb) of two gamma draws. */
export function sampleBeta(random: RandomSource, a: number, b: number): number {
  const x = sampleGamma(random, a);
  const y = sampleGamma(random, b);
  return x / (x + y);
}

/** Below this many trials a binomial draw counts Bernoulli trials one by one. */
const bernoulliTrialsLimit = 16;

/**
 * Draws from the binomial distribution with `trials` trials and success `probability`, exactly
 * (no normal or Poisson approximation), in O(log trials) beta draws.
 *
 * The method is the order-statistic splitting in Knuth, TAOCP vol. 2, 3.4.1: the a-th smallest of
 * n uniforms is Beta(a, n + 1 - a). When it lies at or above p, the successes are the uniforms
 * below p among the a - 1 smaller ones, which are uniform on [0, X), so the count is
 * Binomial(a - 1, p / X). Otherwise a uniforms lie below p for sure, and the other n - a are
 * uniform on (X, 1), so the count is a + Binomial(n - a, (p - X) / (1 - X)). Once fewer than
 * 16 trials remain, they are drawn one by one.
 */
export function sampleBinomial(random: RandomSource, trials: number, probability: number): number {
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new RangeError(`The number of binomial trials must be a non-negative integer, but it is ${trials}`);
  }
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`The binomial success probability must lie in [0, 1], but it is ${probability}`);
  }
  if (trials === 0 || probability === 0) return 0;
  if (probability === 1) return trials;
  if (probability > 0.5) return trials - sampleBinomial(random, trials, 1 - probability);

  let successes = 0;
  let remaining = trials;
  let p = probability;
  while (remaining >= bernoulliTrialsLimit) {
    const a = Math.floor(remaining / 2) + 1;
    const x = sampleBeta(random, a, remaining + 1 - a);
    if (x >= p) {
      remaining = a - 1;
      p = p / x;
    } else {
      successes += a;
      remaining -= a;
      p = (p - x) / (1 - x);
    }
  }
  for (let i = 0; i < remaining; i += 1) {
    if (random.nextDouble() < p) successes += 1;
  }
  return successes;
}

/**
 * Draws from the multinomial distribution: `trials` items spread over categories with the given
 * probabilities, which must be non-negative and are divided by their sum. Each category count is
 * an exact conditional binomial draw given the counts before it.
 */
export function sampleMultinomial(random: RandomSource, trials: number, probabilities: readonly number[]): number[] {
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new RangeError(`The number of multinomial trials must be a non-negative integer, but it is ${trials}`);
  }
  let total = 0;
  for (const probability of probabilities) {
    if (!(probability >= 0) || !Number.isFinite(probability)) {
      throw new RangeError(`Multinomial probabilities must be non-negative finite numbers, but one is ${probability}`);
    }
    total += probability;
  }
  if (trials > 0 && total === 0) {
    throw new RangeError('Multinomial probabilities must not all be 0 when there are trials to place');
  }

  const counts = new Array<number>(probabilities.length).fill(0);
  // The last category with a positive probability takes every remaining trial, so rounding in
  // the running mass can never leave trials unplaced.
  const lastWithMass = probabilities.findLastIndex((probability) => probability > 0);
  let remainingTrials = trials;
  let remainingMass = total;
  for (let i = 0; i <= lastWithMass && remainingTrials > 0; i += 1) {
    const probability = probabilities[i] ?? 0;
    const conditional = i === lastWithMass ? 1 : Math.min(1, probability / remainingMass);
    const count = sampleBinomial(random, remainingTrials, conditional);
    counts[i] = count;
    remainingTrials -= count;
    remainingMass -= probability;
  }
  return counts;
}
