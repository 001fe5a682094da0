import type { Measured, TestResult } from '../measured.js';
import { defaultBinCount, defaultMaxCategories } from './binning.js';

/**
 * The choice of drift test and threshold per column, the rule that turns a test outcome into
 * a drift decision, and dataset drift as the share of drifted columns.
 *
 * Default test. With large samples a p-value test flags shifts too small to matter: at 1,000
 * values per side the two-sample KS test already rejects at D = 0.061, and at 100,000 at
 * D = 0.006. So small samples get a p-value test and large samples a distance with a fixed
 * threshold, which measures the size of the shift whatever the sample size:
 *
 * | column | smaller sample <= size limit | smaller sample > size limit |
 * |---|---|---|
 * | numerical, more than 5 distinct values | Kolmogorov-Smirnov, p < 0.05 | Jensen-Shannon (base 2) >= 0.1 on 10 reference-quantile bins |
 * | numerical with at most 5 distinct values, or categorical | chi-square homogeneity, p < 0.05 | Jensen-Shannon (base 2) >= 0.1 on the categories |
 *
 * The size limit is max(1000, 100 * (k - 1)) for k bins (k = 10 for numerical columns, the
 * number of categories, at most 100 plus "other", otherwise). The reason is the sampling noise
 * of the distance. For two samples of sizes n and m from the same distribution, the
 * Jensen-Shannon distance is about sqrt((k - 1) * (1/n + 1/m) / (8 ln 2)). That is a
 * delta-method approximation, checked by simulation in the reference-value script of the
 * tests. At the limit it is at most 0.06, safely under the threshold 0.1. Without the k term a column with
 * 100 categories and 1,001 values per side would show a distance of about 0.19 from noise alone.
 * On 10 reference deciles of normal data, a distance of 0.1 is a location shift of about
 * 0.25 standard deviations, where the KS statistic is also about 0.1.
 *
 * Chi-square on a 2x2 table without continuity correction gives the same p-value as the
 * two-sided pooled two-proportion z-test, so binary columns need no separate z-test.
 *
 * Evidently (`_get_default_stattest` in evidently/legacy/calculations/stattests/registry.py at
 * commit b419ef0f) chooses by reference size alone (<= 1000 rows) and by the distinct count of
 * both samples. Small data gets a z-test (<= 2 values), chi-square goodness of fit (3 to 5
 * numerical values, or more than 2 categories) or KS. Large data gets Jensen-Shannon in natural
 * log, or Wasserstein normalised by the reference standard deviation for numerical columns with
 * more than 5 values. Deciding by the smaller sample keeps a small current window against a
 * large reference on a p-value test.
 *
 * Decision rule, one for all tests: a p-value test flags drift when p < threshold, a distance
 * when distance >= threshold. Evidently mixes p <= threshold (its KS test) with p < threshold
 * (chi-square and others), and distance > threshold (energy distance) with >= (Jensen-Shannon
 * and others).
 */

export type ColumnType = 'numerical' | 'categorical';

export type DriftTestName =
  | 'kolmogorov-smirnov'
  | 'anderson-darling'
  | 'chi-square'
  | 'g-test'
  | 'wasserstein-normalized'
  | 'population-stability-index'
  | 'kullback-leibler'
  | 'jensen-shannon'
  | 'hellinger'
  | 'total-variation';

export type DriftTestKind = 'p-value' | 'distance';

/** Numerical columns with at most this many distinct values are tested as categorical. */
export const categoricalDistinctLimit = 5;

/** Default p-value threshold for the p-value tests. */
export const defaultSignificanceLevel = 0.05;

/** Default share of drifted columns at which the dataset counts as drifted (inclusive). */
export const defaultDatasetDriftShare = 0.5;

interface DriftTestDefinition {
  readonly kind: DriftTestKind;
  readonly defaultThreshold: number;
  /** Whether the test can run on categories; KS, Anderson-Darling and Wasserstein need ordered values. */
  readonly acceptsCategories: boolean;
  /** Largest meaningful threshold: 1 for p-values and bounded distances, Infinity otherwise. */
  readonly maximumThreshold: number;
}

export const driftTests: Readonly<Record<DriftTestName, DriftTestDefinition>> = {
  'kolmogorov-smirnov': { kind: 'p-value', defaultThreshold: defaultSignificanceLevel, acceptsCategories: false, maximumThreshold: 1 },
  'anderson-darling': { kind: 'p-value', defaultThreshold: defaultSignificanceLevel, acceptsCategories: false, maximumThreshold: 1 },
  'chi-square': { kind: 'p-value', defaultThreshold: defaultSignificanceLevel, acceptsCategories: true, maximumThreshold: 1 },
  'g-test': { kind: 'p-value', defaultThreshold: defaultSignificanceLevel, acceptsCategories: true, maximumThreshold: 1 },
  'wasserstein-normalized': { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: false, maximumThreshold: Infinity },
  'population-stability-index': { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: true, maximumThreshold: Infinity },
  'kullback-leibler': { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: true, maximumThreshold: Infinity },
  'jensen-shannon': { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: true, maximumThreshold: 1 },
  hellinger: { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: true, maximumThreshold: 1 },
  'total-variation': { kind: 'distance', defaultThreshold: 0.1, acceptsCategories: true, maximumThreshold: 1 },
};

export type BinningMethod = 'reference-quantiles' | 'equal-width';

export interface DriftTestChoice {
  readonly test: DriftTestName;
  readonly kind: DriftTestKind;
  readonly threshold: number;
  /**
   * Input of the test: `values` are the pooled distinct values (KS, Anderson-Darling,
   * Wasserstein), `bins` the counts on the bins of `binning`, and `categories` one bin per
   * category, or per distinct value for a numerical column with few values.
   */
  readonly input: 'values' | 'bins' | 'categories';
  readonly binning: { readonly method: BinningMethod; readonly binCount: number } | null;
  readonly source: 'default' | 'override';
  readonly reason: string;
}

export interface DriftColumn {
  readonly columnType: ColumnType;
  /** Non-missing values in the reference sample. */
  readonly referenceSize: number;
  /** Non-missing values in the current sample; when absent, the reference size alone decides. */
  readonly currentSize?: number;
  /** Distinct non-missing values of both samples together. */
  readonly distinctCount: number;
}

export interface DriftTestOverride {
  readonly test?: DriftTestName;
  readonly threshold?: number;
  readonly binning?: BinningMethod;
  readonly binCount?: number;
}

/**
 * Chooses the default test for a column, as in the table of the file header. `currentSize`
 * is optional: without it the reference size alone decides, as in Evidently.
 */
export function defaultDriftTest(columnType: ColumnType, referenceSize: number, distinctCount: number, currentSize?: number): DriftTestChoice {
  validateColumn({ columnType, referenceSize, distinctCount, currentSize });
  const smallerSize = currentSize === undefined ? referenceSize : Math.min(referenceSize, currentSize);
  const sizeNote = currentSize === undefined ? `reference size ${referenceSize}` : `smaller sample size ${smallerSize}`;
  const asCategories = isTestedAsCategories(columnType, distinctCount);

  if (!asCategories) {
    const limit = distanceSizeLimit(defaultBinCount);
    if (smallerSize <= limit) {
      return choice('kolmogorov-smirnov', 'values', null, 'default', `numerical column with ${distinctCount} distinct values and ${sizeNote} <= ${limit}`);
    }
    return choice(
      'jensen-shannon',
      'bins',
      { method: 'reference-quantiles', binCount: defaultBinCount },
      'default',
      `numerical column with ${distinctCount} distinct values and ${sizeNote} > ${limit}`,
    );
  }

  const binCount = Math.min(distinctCount, defaultMaxCategories) + (distinctCount > defaultMaxCategories ? 1 : 0);
  const limit = distanceSizeLimit(binCount);
  const kindNote = columnType === 'categorical' ? `categorical column with ${distinctCount} categories` : `numerical column with only ${distinctCount} distinct values, tested as categories`;
  if (smallerSize <= limit) return choice('chi-square', 'categories', null, 'default', `${kindNote} and ${sizeNote} <= ${limit}`);
  return choice('jensen-shannon', 'categories', null, 'default', `${kindNote} and ${sizeNote} > ${limit}`);
}

/**
 * Chooses the test for a column: the default test, with the test, threshold and binning of
 * `override` where it gives them. An overridden test without a threshold gets that test's
 * default threshold. Throws a RangeError that lists every problem of an invalid override.
 */
export function driftTestForColumn(column: DriftColumn, override: DriftTestOverride = {}): DriftTestChoice {
  const problems = findDriftOverrideProblems(column.columnType, override);
  if (problems.length > 0) throw new RangeError(`Invalid drift test override: ${problems.join('; ')}`);
  const fallback = defaultDriftTest(column.columnType, column.referenceSize, column.distinctCount, column.currentSize);
  if (override.test === undefined && override.threshold === undefined && override.binning === undefined && override.binCount === undefined) return fallback;

  const test = override.test ?? fallback.test;
  const asCategories = isTestedAsCategories(column.columnType, column.distinctCount);
  let input: DriftTestChoice['input'] = 'bins';
  if (!driftTests[test].acceptsCategories) input = 'values';
  else if (asCategories) input = 'categories';
  const binning =
    input === 'bins'
      ? { method: override.binning ?? fallback.binning?.method ?? 'reference-quantiles', binCount: override.binCount ?? fallback.binning?.binCount ?? defaultBinCount }
      : null;
  const threshold = override.threshold ?? driftTests[test].defaultThreshold;
  return { test, kind: driftTests[test].kind, threshold, input, binning, source: 'override', reason: `set for this column (default would be ${fallback.test}: ${fallback.reason})` };
}

/** Lists what is wrong with a drift test override for a column of `columnType`; empty when it is valid. */
export function findDriftOverrideProblems(columnType: ColumnType, override: DriftTestOverride): string[] {
  const problems: string[] = [];
  const names = Object.keys(driftTests).join(', ');
  if (override.test !== undefined && !Object.hasOwn(driftTests, override.test)) {
    problems.push(`test "${override.test}" is not a known drift test; use one of ${names}`);
    return problems;
  }
  if (override.test !== undefined && columnType === 'categorical' && !driftTests[override.test].acceptsCategories) {
    problems.push(`test "${override.test}" needs ordered numerical values and cannot run on a categorical column`);
  }
  if (override.threshold !== undefined && override.test === undefined) {
    problems.push('a threshold needs a test, because the default test switches between a p-value test and a distance with the sample size; add the test it is meant for');
  } else if (override.threshold !== undefined && override.test !== undefined) {
    const definition = driftTests[override.test];
    if (!Number.isFinite(override.threshold) || override.threshold <= 0 || override.threshold > definition.maximumThreshold) {
      const range = definition.maximumThreshold === Infinity ? 'a finite number above 0' : 'a number above 0 and at most 1';
      problems.push(`threshold for ${override.test} must be ${range}, received ${override.threshold}`);
    } else if (definition.kind === 'p-value' && override.threshold === 1) {
      problems.push('a p-value threshold of 1 flags nearly every column; use a value below 1, such as 0.05');
    }
  }
  if (override.binning !== undefined && override.binning !== 'reference-quantiles' && override.binning !== 'equal-width') {
    problems.push(`binning "${override.binning}" is not known; use reference-quantiles or equal-width`);
  }
  if (override.binCount !== undefined && (!Number.isInteger(override.binCount) || override.binCount < 1)) {
    problems.push(`binCount must be an integer >= 1, received ${override.binCount}`);
  }
  return problems;
}

export type DriftDecision =
  | { readonly defined: true; readonly drifted: boolean; readonly score: number; readonly threshold: number; readonly rule: string; readonly warnings: readonly string[] }
  | { readonly defined: false; readonly reason: string; readonly warnings: readonly string[] };

/**
 * Applies the decision rule of the file header to a test outcome. A p-value test reads the
 * p-value of a `TestResult`, or takes a `Measured` as the p-value. A distance reads a
 * `Measured` distance, or the statistic of a `TestResult`. Undefined when the outcome is.
 */
export function decideDrift(choice: DriftTestChoice, outcome: Measured | TestResult): DriftDecision {
  const isTestResult = 'statistic' in outcome;
  let measured: Measured | null = isTestResult ? outcome.statistic : outcome;
  if (isTestResult && choice.kind === 'p-value') measured = outcome.pValue;
  const warnings = isTestResult ? outcome.warnings : [];

  if (measured === null) return { defined: false, reason: `${choice.test} returned no p-value`, warnings };
  if (!measured.defined) return { defined: false, reason: measured.reason, warnings: [...warnings, ...measured.warnings] };

  const score = measured.value;
  const allWarnings = isTestResult ? [...warnings, ...measured.warnings] : measured.warnings;
  if (choice.kind === 'p-value') {
    return { defined: true, drifted: score < choice.threshold, score, threshold: choice.threshold, rule: 'p-value < threshold', warnings: allWarnings };
  }
  return { defined: true, drifted: score >= choice.threshold, score, threshold: choice.threshold, rule: 'distance >= threshold', warnings: allWarnings };
}

export type DatasetDrift =
  | { readonly defined: true; readonly drifted: boolean; readonly share: number; readonly driftedColumns: number; readonly testedColumns: number; readonly threshold: number }
  | { readonly defined: false; readonly reason: string };

/**
 * Decides dataset drift: the share of drifted columns among the tested columns, and drift when
 * that share is >= `threshold` (inclusive, default 0.5, both as in Evidently). Columns whose
 * test was undefined count in neither number. Undefined when no column was tested (Evidently
 * divides by zero there).
 */
export function datasetDrift(drifted: number, tested: number, threshold: number = defaultDatasetDriftShare): DatasetDrift {
  if (!Number.isInteger(drifted) || !Number.isInteger(tested) || drifted < 0 || drifted > tested) {
    throw new RangeError(`Column counts must be integers with 0 <= drifted <= tested, received drifted ${drifted} and tested ${tested}`);
  }
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new RangeError(`The dataset drift share must be above 0 and at most 1, received ${threshold}; the default is ${defaultDatasetDriftShare}`);
  }
  if (tested === 0) return { defined: false, reason: 'no column had a defined drift test result' };

  const share = drifted / tested;
  return { defined: true, drifted: share >= threshold, share, driftedColumns: drifted, testedColumns: tested, threshold };
}

/** Returns the sample size above which a column with `binCount` bins gets a distance instead of a p-value test. */
export function distanceSizeLimit(binCount: number): number {
  return Math.max(1000, 100 * (binCount - 1));
}

function isTestedAsCategories(columnType: ColumnType, distinctCount: number): boolean {
  return columnType === 'categorical' || distinctCount <= categoricalDistinctLimit;
}

function choice(test: DriftTestName, input: DriftTestChoice['input'], binning: DriftTestChoice['binning'], source: DriftTestChoice['source'], reason: string): DriftTestChoice {
  return { test, kind: driftTests[test].kind, threshold: driftTests[test].defaultThreshold, input, binning, source, reason };
}

function validateColumn(column: DriftColumn): void {
  const problems: string[] = [];
  if (column.columnType !== 'numerical' && column.columnType !== 'categorical') problems.push(`column type must be numerical or categorical, received ${String(column.columnType)}`);
  for (const [name, value] of [['referenceSize', column.referenceSize], ['currentSize', column.currentSize], ['distinctCount', column.distinctCount]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) problems.push(`${name} must be an integer >= 0, received ${value}`);
  }
  if (problems.length > 0) throw new RangeError(`Invalid drift column: ${problems.join('; ')}`);
}
