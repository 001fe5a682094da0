import type { ErrorDetail } from '../platform/errors.js';

/**
 * Risk appetite. Each category may state its appetite as a maximum score on the active matrix's
 * scale: a score is likelihood × impact, so on a 5 × 5 matrix the scale runs from 1 to 25. A risk
 * whose current score (residual, else inherent) is above its category's maximum is beyond
 * appetite. The score was chosen over band order because it keeps the finer steps of the scale.
 */

export interface Appetite {
  maxScore: number;
}

/** Tells whether a score lies above the appetite. Without an appetite, nothing is beyond it. */
export function isBeyondAppetite(score: number | null, appetite: Appetite | null): boolean {
  if (score === null || appetite === null) return false;
  return score > appetite.maxScore;
}

/** Checks a maximum score against the scale 1 … scaleMax, naming the value and the scale. */
export function findThresholdProblems(maxScore: number, scaleMax: number, path: string): ErrorDetail[] {
  if (Number.isInteger(maxScore) && maxScore >= 1 && maxScore <= scaleMax) return [];
  return [
    {
      path,
      message: `${maxScore} is outside the scale of the active matrix; the appetite is a maximum score (likelihood × impact) from 1 to ${scaleMax}`,
    },
  ];
}
