import { describe, expect, it } from 'vitest';
import { isTargetMet } from '../../src/objectives/objective.js';

describe('objective target', () => {
  it('is unknown before the first measurement', () => {
    expect(isTargetMet('at_least', 95, null)).toBeNull();
  });

  it.each([
    ['at_least', 95, 94.9, false],
    ['at_least', 95, 95, true],
    ['at_least', 95, 99, true],
    ['at_most', 5, 6, false],
    ['at_most', 5, 5, true],
    ['at_most', 5, 0, true],
    ['equal', 0, 1, false],
    ['equal', 0, 0, true],
    ['equal', 0, -1, false],
  ] as const)('%s %d with value %d is met: %s', (direction, target, value, met) => {
    expect(isTargetMet(direction, target, value)).toBe(met);
  });
});
