/**
 * The aggregates that the data layer computes with SQL and the measurement core turns into
 * statistics. Each one is mergeable: two aggregates of the same kind, computed over disjoint
 * parts of the data (time windows, servers, file chunks), merge into the aggregate of the whole.
 */

/** Binary confusion counts: actual positive or negative against predicted positive or negative. */
export interface ConfusionCounts {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
}

/**
 * Confusion counts of one group. `key` contains the group's value of each sensitive attribute in
 * the order of `GroupedConfusion.attributes`; null is a missing value.
 */
export interface GroupConfusion {
  readonly key: readonly (string | null)[];
  readonly counts: ConfusionCounts;
}

export interface GroupedConfusion {
  readonly attributes: readonly string[];
  readonly groups: readonly GroupConfusion[];
}

/**
 * Distinct finite values of a numeric column over two samples, sorted ascending, with how often
 * each occurs in the reference and in the current sample. Exact input for KS, Anderson-Darling
 * and Wasserstein. Missing and non-finite values are counted apart, never placed in `values`.
 */
export interface PooledValueCounts {
  readonly values: Float64Array;
  readonly referenceCounts: Float64Array;
  readonly currentCounts: Float64Array;
  readonly reference: ExcludedCounts;
  readonly current: ExcludedCounts;
}

export interface ExcludedCounts {
  readonly missing: number;
  readonly positiveInfinity: number;
  readonly negativeInfinity: number;
  readonly notANumber: number;
}

/**
 * Counts per bin for fixed edges. Bin i contains the values in [edges[i], edges[i + 1]), the last bin
 * is closed on the right. `below` and `above` count finite values outside the edges.
 */
export interface BinnedCounts {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly below: number;
  readonly above: number;
  readonly excluded: ExcludedCounts;
}

/** Counts per category; null missing values are counted in `missing`, not as a category. */
export interface CategoryCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly missing: number;
}

/**
 * Distinct predicted scores (probability of the positive class) sorted ascending, with the
 * number of actual positives and negatives at each score. Exact input for ROC AUC, PR AUC, log
 * loss, Brier score and calibration.
 */
export interface ScoreLabelCounts {
  readonly scores: Float64Array;
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

/** Sums over rows for regression metrics; `sumAbsolutePercentage` skips rows whose truth is 0. */
export interface RegressionSums {
  readonly count: number;
  readonly sumAbsoluteError: number;
  readonly sumSquaredError: number;
  readonly sumAbsolutePercentage: number;
  readonly zeroTruthCount: number;
  readonly sumTruth: number;
  readonly sumSquaredTruth: number;
}

/** Counts of (actual class, predicted class) pairs for multiclass classification. */
export interface MulticlassConfusion {
  readonly labels: readonly string[];
  /** matrix[actual][predicted], indexed like `labels`. */
  readonly matrix: readonly (readonly number[])[];
}
