/** Below this length the built-in sort is as fast as the radix sort and needs no scratch arrays. */
const builtInSortBelow = 4096;
const digitBits = 16;
const digitValues = 1 << digitBits;

/**
 * Sorts finite doubles ascending in place with a least-significant-digit radix sort over their
 * IEEE 754 bits (four passes of 16 bits), which is about three times faster than
 * `Float64Array.prototype.sort` for a million values. Each double maps to a 64-bit key that
 * orders like the number: a negative value has all bits flipped, a positive one only its sign
 * bit. -0 sorts just before +0. NaN must not occur; the callers filter it out in SQL.
 */
export function sortFiniteAscending(values: Float64Array): Float64Array {
  const length = values.length;
  if (length < builtInSortBelow) return values.sort();

  // Reading the doubles as pairs of 32-bit words: [low, high] on little-endian hosts.
  const words = new Uint32Array(values.buffer, values.byteOffset, length * 2);
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const lowWord = littleEndian ? 0 : 1;
  const highWord = 1 - lowWord;

  let highKeys = new Uint32Array(length);
  let lowKeys = new Uint32Array(length);
  for (let index = 0; index < length; index++) {
    const high = words[index * 2 + highWord] as number;
    const low = words[index * 2 + lowWord] as number;
    const negative = high >>> 31 === 1;
    highKeys[index] = negative ? ~high >>> 0 : (high | 0x80000000) >>> 0;
    lowKeys[index] = negative ? ~low >>> 0 : low;
  }

  let spareHigh = new Uint32Array(length);
  let spareLow = new Uint32Array(length);
  const counts = new Uint32Array(digitValues);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lowKeys : highKeys;
    const shift = (pass % 2) * digitBits;
    counts.fill(0);
    for (let index = 0; index < length; index++) {
      const digit = ((source[index] as number) >>> shift) & 0xffff;
      counts[digit] = (counts[digit] as number) + 1;
    }
    // A pass where every key has the same digit would move nothing.
    if (counts[((source[0] as number) >>> shift) & 0xffff] === length) continue;

    let total = 0;
    for (let digit = 0; digit < digitValues; digit++) {
      const count = counts[digit] as number;
      counts[digit] = total;
      total += count;
    }
    for (let index = 0; index < length; index++) {
      const digit = ((source[index] as number) >>> shift) & 0xffff;
      const target = counts[digit] as number;
      counts[digit] = target + 1;
      spareHigh[target] = highKeys[index] as number;
      spareLow[target] = lowKeys[index] as number;
    }
    [highKeys, spareHigh] = [spareHigh, highKeys];
    [lowKeys, spareLow] = [spareLow, lowKeys];
  }

  for (let index = 0; index < length; index++) {
    const high = highKeys[index] as number;
    const low = lowKeys[index] as number;
    const wasNegative = high >>> 31 === 0;
    words[index * 2 + highWord] = wasNegative ? ~high >>> 0 : (high & 0x7fffffff) >>> 0;
    words[index * 2 + lowWord] = wasNegative ? ~low >>> 0 : low;
  }
  return values;
}
