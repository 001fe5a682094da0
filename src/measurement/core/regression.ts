/**
 * Regression performance from the mergeable sums in `RegressionSums`.
 */
import type { RegressionSums } from './aggregates.js';
import { defined, undefinedBecause, type Measured } from './measured.js';

export interface RegressionMetrics {
  /** Mean absolute error, (1/n) Σ |y − ŷ|, in the unit of the target. */
  readonly meanAbsoluteError: Measured;
  /** Root mean squared error, sqrt((1/n) Σ (y − ŷ)²), in the unit of the target. */
  readonly rootMeanSquaredError: Measured;
  /** Mean absolute percentage error as a fraction, (1/n) Σ |y − ŷ| / |y|: 0.25 means 25 %. */
  readonly meanAbsolutePercentageError: Measured;
  /** Coefficient of determination, 1 − Σ (y − ŷ)² / Σ (y − ȳ)². */
  readonly rSquared: Measured;
  readonly count: number;
}

/**
 * Relative size below which Σ (y − ȳ)² counts as 0: the truth is then constant up to the
 * rounding of Σy² − (Σy)²/n.
 */
const constantTruthTolerance = 1e-12;

/**
 * Computes MAE, RMSE, MAPE and R² from `RegressionSums`, whose `sumAbsolutePercentage` must hold
 * Σ |y − ŷ| / |y| over the rows with y ≠ 0 as a fraction (not multiplied by 100).
 *
 * MAE and RMSE lie in [0, ∞). MAPE lies in [0, ∞) and is a fraction, as in scikit-learn's
 * `mean_absolute_percentage_error`. It is undefined when any truth is 0, because the error of that
 * row relative to 0 is infinite; scikit-learn instead divides by max(|y|, ε) with ε the float64
 * machine epsilon, which turns such a row into a value near 4.5e15 · |ŷ|. R² lies in (−∞, 1];
 * it is undefined when the truth is constant, because Σ (y − ȳ)² is then 0, whereas scikit-learn's
 * `r2_score` (force_finite=True, its default since 1.1) returns 1.0 for perfect predictions and 0.0
 * otherwise. All four are undefined with no rows.
 *
 * Σ (y − ȳ)² is computed as Σy² − (Σy)²/n, which loses digits when the mean is large compared
 * with the spread. A warning gives the estimated number of lost digits when it exceeds 6.
 * NOTE: a centred sum of squares in `RegressionSums` (mergeable with Chan's formula) would avoid
 * the loss; with the current sums, a truth whose spread is below about 1e-6 of its mean counts as
 * constant.
 */
export function regressionMetrics(sums: RegressionSums): RegressionMetrics {
  checkRegressionSums(sums);
  const n = sums.count;
  if (n === 0) {
    const empty = undefinedBecause('no rows');
    return { meanAbsoluteError: empty, rootMeanSquaredError: empty, meanAbsolutePercentageError: empty, rSquared: empty, count: 0 };
  }

  const meanAbsolutePercentageError =
    sums.zeroTruthCount > 0
      ? undefinedBecause(`the true value is 0 in ${sums.zeroTruthCount} of ${n} rows, where the percentage error is infinite`)
      : defined(sums.sumAbsolutePercentage / n);

  return {
    meanAbsoluteError: defined(sums.sumAbsoluteError / n),
    rootMeanSquaredError: defined(Math.sqrt(sums.sumSquaredError / n)),
    meanAbsolutePercentageError,
    rSquared: coefficientOfDetermination(sums),
    count: n,
  };
}

function coefficientOfDetermination(sums: RegressionSums): Measured {
  const n = sums.count;
  const totalSumOfSquares = sums.sumSquaredTruth - (sums.sumTruth * sums.sumTruth) / n;
  if (totalSumOfSquares <= constantTruthTolerance * sums.sumSquaredTruth || totalSumOfSquares <= 0) {
    return undefinedBecause('the true values are constant, so the total sum of squares is 0');
  }

  const lostDigits = Math.log10(sums.sumSquaredTruth / totalSumOfSquares);
  const warnings = lostDigits > 6 ? [`about ${Math.round(lostDigits)} of 16 digits of the total sum of squares were lost, because the mean is large compared with the spread`] : [];
  return defined(1 - sums.sumSquaredError / totalSumOfSquares, warnings);
}

function checkRegressionSums(sums: RegressionSums): void {
  const nonNegative: (keyof RegressionSums)[] = ['count', 'sumAbsoluteError', 'sumSquaredError', 'sumAbsolutePercentage', 'zeroTruthCount', 'sumSquaredTruth'];
  for (const field of nonNegative) {
    const value = sums[field];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Regression sums must be finite and non-negative, but ${field} is ${value}`);
  }
  if (!Number.isFinite(sums.sumTruth)) throw new RangeError(`Regression sums must be finite, but sumTruth is ${sums.sumTruth}`);
  if (sums.zeroTruthCount > sums.count) throw new RangeError(`zeroTruthCount (${sums.zeroTruthCount}) cannot exceed count (${sums.count})`);
}
