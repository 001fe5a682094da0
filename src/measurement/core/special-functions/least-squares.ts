/**
 * Linear least squares by Householder QR, for the small fits of the measurement core (the
 * Anderson-Darling p-value interpolation). QR does not square the condition number of the
 * matrix, as the normal equations do.
 */

/**
 * Applies the Householder reflection that zeroes column k below the diagonal to every column
 * from k on, the right-hand side in the last column included.
 */
function reflectColumn(matrix: number[][], k: number): void {
  let norm = 0;
  for (let i = k; i < matrix.length; i += 1) norm = Math.hypot(norm, matrix[i]![k]!);
  const alpha = matrix[k]![k]! > 0 ? -norm : norm;
  const reflector = matrix.map((row, i) => (i < k ? 0 : row[k]!));
  reflector[k]! -= alpha;
  const reflectorNormSquared = reflector.reduce((sum, value) => sum + value * value, 0);
  if (reflectorNormSquared === 0) return;

  for (let j = k; j < matrix[0]!.length; j += 1) {
    let dot = 0;
    for (let i = k; i < matrix.length; i += 1) dot += reflector[i]! * matrix[i]![j]!;
    const scale = (2 * dot) / reflectorNormSquared;
    for (let i = k; i < matrix.length; i += 1) matrix[i]![j]! -= scale * reflector[i]!;
  }
}

/**
 * Returns β minimizing ‖X β − y‖₂, for a matrix X given as rows, with at least as many rows as
 * columns and full column rank.
 */
export function solveLeastSquares(rows: readonly (readonly number[])[], targets: readonly number[]): number[] {
  const columns = rows[0]!.length;
  // y is appended as a last column, so that every reflection applied to X also applies to y.
  const matrix = rows.map((row, i) => [...row, targets[i]!]);
  for (let k = 0; k < columns; k += 1) reflectColumn(matrix, k);

  // Back-substitution on the upper-triangular system R β = Qᵀ y.
  const solution = new Array<number>(columns).fill(0);
  for (let k = columns - 1; k >= 0; k -= 1) {
    let sum = matrix[k]![columns]!;
    for (let j = k + 1; j < columns; j += 1) sum -= matrix[k]![j]! * solution[j]!;
    solution[k] = sum / matrix[k]![k]!;
  }
  return solution;
}
