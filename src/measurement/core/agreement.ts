import { defined, undefinedBecause, type Measured } from './measured.js';

/**
 * Agreement between annotators who labelled the same items: Cohen's kappa for two annotators
 * here, and Krippendorff's alpha for any number of annotators with missing ratings in
 * krippendorff.ts, exported from here too. Both are 1 for perfect agreement, 0 for agreement at
 * the level of chance and negative below it.
 */

export {
  krippendorffAlpha,
  krippendorffAlphaOfCombinations,
  krippendorffLevels,
  type KrippendorffLevel,
  type KrippendorffOptions,
  type Rating,
  type RatingCombination,
  type UnitRatings,
} from './krippendorff.js';

/**
 * Counts of items by the label of the first annotator (row) and of the second (column). A
 * `MulticlassConfusion` of the two annotators' labels has this shape.
 */
export interface AnnotatorConfusion {
  readonly labels: readonly string[];
  /** matrix[first][second], indexed like `labels`. */
  readonly matrix: readonly (readonly number[])[];
}

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Computes Cohen's kappa (p_o - p_e) / (1 - p_e), with p_o the share of items on which the two
 * annotators agree and p_e the agreement expected by chance from each annotator's own label
 * shares. Range -1 to 1. With `weights` linear or quadratic, it computes the weighted kappa
 * 1 - sum(w * observed) / sum(w * expected) for ordinal labels in the order of `labels`, with
 * disagreement weights |i - j| / (K - 1) or ((i - j) / (K - 1))^2; this is scikit-learn's
 * `cohen_kappa_score` with the same `weights`. Undefined when no item was labelled, or when
 * the expected disagreement is 0 because both annotators gave every item the one same label
 * (scikit-learn returns NaN there).
 */
export function cohenKappa(confusion: AnnotatorConfusion, options: { readonly weights?: KappaWeights } = {}): Measured {
  const size = confusion.labels.length;
  validateConfusion(confusion);
  const weights = options.weights ?? 'none';
  if (weights !== 'none' && weights !== 'linear' && weights !== 'quadratic') throw new RangeError(`Kappa weights must be none, linear or quadratic, received ${String(weights)}`);

  const rowTotals = confusion.matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  const columnTotals = confusion.labels.map((_, column) => confusion.matrix.reduce((sum, row) => sum + row[column]!, 0));
  const total = rowTotals.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefinedBecause('no item has labels from both annotators');

  const disagreementWeight = (i: number, j: number): number => {
    if (i === j) return 0;
    if (weights === 'none') return 1;
    const distance = Math.abs(i - j) / (size - 1);
    return weights === 'linear' ? distance : distance * distance;
  };

  let observed = 0;
  let expected = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const weight = disagreementWeight(i, j);
      if (weight === 0) continue;
      observed += weight * confusion.matrix[i]![j]!;
      expected += (weight * rowTotals[i]! * columnTotals[j]!) / total;
    }
  }
  if (expected === 0) {
    return undefinedBecause('both annotators gave every item the same single label, so the expected disagreement is 0 and kappa is 0 / 0');
  }
  return defined(1 - observed / expected);
}

function validateConfusion(confusion: AnnotatorConfusion): void {
  const size = confusion.labels.length;
  if (size === 0) throw new RangeError('The annotator confusion matrix needs at least one label');
  if (confusion.matrix.length !== size || confusion.matrix.some((row) => row.length !== size)) {
    throw new RangeError(`The annotator confusion matrix must be ${size} x ${size}, one row and one column per label, received rows of lengths [${confusion.matrix.map((row) => row.length).join(', ')}]`);
  }
  confusion.matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      if (!Number.isFinite(count) || count < 0) throw new RangeError(`Confusion counts must be finite numbers >= 0, received ${count} at [${i}][${j}]`);
    }),
  );
}
