import type { BinnedCounts, CategoryCounts } from './aggregates.js';
import { alignBinnedCounts, alignCategoryCounts, type AlignedCounts } from './drift/binning.js';
import { hellingerDistance, jensenShannonDistance, totalVariationDistance } from './drift/distances.js';
import { defined, ratioOfCounts, undefinedBecause, type Measured } from './measured.js';

/**
 * Data-quality judgements from counts that the data layer computes per column and per dataset,
 * and the representativeness of a sample against a reference distribution. Thresholds are
 * inputs: every threshold the caller gives becomes one check with a pass or fail. A check
 * whose value is undefined (an empty or all-missing column) neither passes nor fails, and
 * carries the reason.
 */

/**
 * Counts over one column of one dataset, as the data layer's `columnQualityCounts` returns them
 * (any extra fields are ignored).
 */
export interface ColumnQualityCounts {
  readonly rowCount: number;
  /** Missing values (SQL NULL). */
  readonly missing: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
  /** Non-missing values that are not of the declared type (a text in a numeric column, an invalid date). */
  readonly typeViolations: number;
  /** Values of the declared type below the declared minimum or above the declared maximum. */
  readonly belowMinimum: number;
  readonly aboveMaximum: number;
  /** Non-missing values outside the declared allowed values; 0 when none are declared. */
  readonly notAllowed: number;
  /** The most frequent non-missing value and its count; null when every value is missing. */
  readonly mostFrequent: { readonly value: string; readonly count: number } | null;
}

/** Duplicate counts over the rows of one dataset, as the data layer's `duplicateRowCounts` returns them. */
export interface DuplicateRowCounts {
  readonly rowCount: number;
  /** Rows equal in every column to an earlier row: row count minus distinct rows. */
  readonly duplicateRows: number;
}

/** Duplicate counts over the key columns of one dataset, as the data layer's `duplicateKeyCounts` returns them. */
export interface DuplicateKeyCounts {
  readonly rowCount: number;
  /** Rows with a missing value in a key column; they take no part in the duplicate count. */
  readonly missingKey: number;
  /** Rows whose complete key equals that of an earlier row. */
  readonly duplicateRows: number;
}

/** A yes-or-no judgement, or the reason there is none. */
export type Judgement =
  | { readonly defined: true; readonly value: boolean; readonly warnings: readonly string[] }
  | { readonly defined: false; readonly reason: string; readonly warnings: readonly string[] };

export type QualityCheckName =
  | 'completeness'
  | 'type-conformance'
  | 'range-violation-share'
  | 'domain-violation-share'
  | 'constant'
  | 'almost-constant'
  | 'duplicate-row-share'
  | 'duplicate-key-share'
  | 'missing-key-share'
  | 'representativeness-distance'
  | 'representativeness-ratio';

/** One threshold applied to one value. `passed` is null when the value is undefined, and `reason` then gives the cause. */
export interface QualityCheck {
  readonly check: QualityCheckName;
  readonly value: Measured;
  readonly comparison: '>=' | '<=' | '<';
  readonly threshold: number;
  readonly passed: boolean | null;
  readonly reason?: string;
}

/** Share of the most frequent value at which a column counts as almost constant, unless the caller gives another. */
export const defaultAlmostConstantShare = 0.95;

export interface ColumnQualityThresholds {
  /** Fails when completeness is below it. */
  readonly minimumCompleteness?: number;
  /** Fails when the type conformance share is below it. */
  readonly minimumTypeConformance?: number;
  /** Fails when the share of range violations is above it. */
  readonly maximumRangeViolationShare?: number;
  /** Fails when the share of domain violations is above it. */
  readonly maximumDomainViolationShare?: number;
  /** Most frequent share at which a column is almost constant (inclusive). Default 0.95, as in Evidently. */
  readonly almostConstantShare?: number;
  /** When false, a constant column fails a check. Default true (reported, not judged). */
  readonly allowConstant?: boolean;
  /** When false, an almost-constant column fails a check. Default true. */
  readonly allowAlmostConstant?: boolean;
}

export interface ColumnQuality {
  /** Non-missing values / rows. */
  readonly completeness: Measured;
  readonly missing: number;
  readonly distinct: number;
  /** Distinct values / non-missing values; 1 when every value is unique. */
  readonly distinctShare: Measured;
  /** Non-missing values of the declared type / non-missing values. */
  readonly typeConformance: Measured;
  /** Values below the minimum or above the maximum / non-missing values. */
  readonly rangeViolationShare: Measured;
  /** Values outside the allowed values / non-missing values. */
  readonly domainViolationShare: Measured;
  /** Occurrences of the most frequent value / non-missing values. */
  readonly mostFrequentShare: Measured;
  /** At most one distinct value among the non-missing values. */
  readonly constant: Judgement;
  /** Most frequent share >= the almost-constant share. A constant column is almost constant too. */
  readonly almostConstant: Judgement;
  readonly checks: readonly QualityCheck[];
}

/**
 * Judges one column from its counts. A column whose every value is missing is neither
 * constant nor not constant here: both judgements are undefined with the reason, and its
 * completeness of 0 reports the problem. Evidently's dataset summary counts such a column as
 * constant, because it takes pandas `nunique` <= 1 and `nunique` of an all-NaN column is 0.
 * Violation shares are of all non-missing values, so the range and domain shares of one column
 * can be compared. Throws a RangeError when the counts contradict each other, listing every
 * contradiction.
 */
export function assessColumnQuality(counts: ColumnQualityCounts, thresholds: ColumnQualityThresholds = {}): ColumnQuality {
  validateColumnCounts(counts);
  const almostConstantShare = thresholds.almostConstantShare ?? defaultAlmostConstantShare;
  validateShare('almostConstantShare', almostConstantShare);

  const nonMissing = counts.rowCount - counts.missing;
  const noValues = counts.rowCount === 0 ? 'the column has no rows' : `all ${counts.rowCount} values are missing`;
  const completeness = ratioOfCounts(nonMissing, counts.rowCount, 'the column has no rows');
  const distinctShare = ratioOfCounts(counts.distinct, nonMissing, noValues);
  const typeConformance = ratioOfCounts(nonMissing - counts.typeViolations, nonMissing, noValues);
  const rangeViolationShare = ratioOfCounts(counts.belowMinimum + counts.aboveMaximum, nonMissing, noValues);
  const domainViolationShare = ratioOfCounts(counts.notAllowed, nonMissing, noValues);
  const mostFrequentShare = ratioOfCounts(counts.mostFrequent?.count ?? 0, nonMissing, noValues);

  const constant: Judgement = nonMissing === 0 ? { defined: false, reason: noValues, warnings: [] } : { defined: true, value: counts.distinct <= 1, warnings: [] };
  const almostConstant: Judgement = mostFrequentShare.defined
    ? { defined: true, value: mostFrequentShare.value >= almostConstantShare, warnings: [] }
    : { defined: false, reason: mostFrequentShare.reason, warnings: [] };

  const checks: QualityCheck[] = [];
  const { minimumCompleteness, minimumTypeConformance, maximumRangeViolationShare, maximumDomainViolationShare } = thresholds;
  if (minimumCompleteness !== undefined) checks.push(check('completeness', completeness, '>=', validateShare('minimumCompleteness', minimumCompleteness)));
  if (minimumTypeConformance !== undefined) {
    checks.push(check('type-conformance', typeConformance, '>=', validateShare('minimumTypeConformance', minimumTypeConformance)));
  }
  if (maximumRangeViolationShare !== undefined) {
    checks.push(check('range-violation-share', rangeViolationShare, '<=', validateShare('maximumRangeViolationShare', maximumRangeViolationShare)));
  }
  if (maximumDomainViolationShare !== undefined) {
    checks.push(check('domain-violation-share', domainViolationShare, '<=', validateShare('maximumDomainViolationShare', maximumDomainViolationShare)));
  }
  if (thresholds.allowConstant === false) {
    const distinct = nonMissing === 0 ? undefinedBecause(noValues) : defined(counts.distinct);
    checks.push(check('constant', distinct, '>=', 2));
  }
  if (thresholds.allowAlmostConstant === false) checks.push(check('almost-constant', mostFrequentShare, '<', almostConstantShare));

  return {
    completeness,
    missing: counts.missing,
    distinct: counts.distinct,
    distinctShare,
    typeConformance,
    rangeViolationShare,
    domainViolationShare,
    mostFrequentShare,
    constant,
    almostConstant,
    checks,
  };
}

export interface DatasetQualityThresholds {
  readonly maximumDuplicateRowShare?: number;
  readonly maximumDuplicateKeyShare?: number;
  readonly maximumMissingKeyShare?: number;
}

export interface DatasetQuality {
  readonly duplicateRowShare: Measured;
  /** Undefined when no key counts were given. */
  readonly duplicateKeyShare: Measured;
  readonly missingKeyShare: Measured;
  readonly checks: readonly QualityCheck[];
}

/**
 * Judges duplicates over a dataset. Shares are of all rows, so a row that appears three times
 * adds 2 duplicates (the convention of pandas `duplicated(keep='first')`, which Evidently's
 * duplicated-rows count uses too). Key shares need `keys`, the counts over the key columns.
 */
export function assessDatasetQuality(rows: DuplicateRowCounts, keys?: DuplicateKeyCounts, thresholds: DatasetQualityThresholds = {}): DatasetQuality {
  validateDatasetCounts(rows, keys);
  const noRows = 'the dataset has no rows';
  const noKey = 'no key columns were given';
  const duplicateRowShare = ratioOfCounts(rows.duplicateRows, rows.rowCount, noRows);
  const duplicateKeyShare = keys === undefined ? undefinedBecause(noKey) : ratioOfCounts(keys.duplicateRows, keys.rowCount, noRows);
  const missingKeyShare = keys === undefined ? undefinedBecause(noKey) : ratioOfCounts(keys.missingKey, keys.rowCount, noRows);

  const checks: QualityCheck[] = [];
  const { maximumDuplicateRowShare, maximumDuplicateKeyShare, maximumMissingKeyShare } = thresholds;
  if (maximumDuplicateRowShare !== undefined) {
    checks.push(check('duplicate-row-share', duplicateRowShare, '<=', validateShare('maximumDuplicateRowShare', maximumDuplicateRowShare)));
  }
  if (maximumDuplicateKeyShare !== undefined) {
    checks.push(check('duplicate-key-share', duplicateKeyShare, '<=', validateShare('maximumDuplicateKeyShare', maximumDuplicateKeyShare)));
  }
  if (maximumMissingKeyShare !== undefined) {
    checks.push(check('missing-key-share', missingKeyShare, '<=', validateShare('maximumMissingKeyShare', maximumMissingKeyShare)));
  }
  return { duplicateRowShare, duplicateKeyShare, missingKeyShare, checks };
}

export type RepresentativenessMeasure = 'total-variation' | 'jensen-shannon' | 'hellinger';

const representativenessDistances = { 'total-variation': totalVariationDistance, 'jensen-shannon': jensenShannonDistance, hellinger: hellingerDistance };

export interface RepresentativenessOptions {
  /** Distance between sample and reference; default total variation, the share of the sample that would have to move. */
  readonly measure?: RepresentativenessMeasure;
  /** Fails when the distance is above it; no check without it. */
  readonly maximumDistance?: number;
  /** Fails when the smallest ratio of sample share to reference share is below it; no check without it. */
  readonly minimumRatio?: number;
}

export interface RepresentativenessBin {
  readonly label: string;
  readonly sampleShare: number;
  readonly referenceShare: number;
  /** Sample share minus reference share. */
  readonly difference: number;
  /** Sample share / reference share; null when the reference share is 0. */
  readonly ratio: number | null;
}

export interface Representativeness {
  readonly measure: RepresentativenessMeasure;
  readonly distance: Measured;
  /**
   * Smallest sample share / reference share over the bins the reference gives a share: 1 when
   * every group is represented at least in proportion, 0 when a group is absent from the sample.
   */
  readonly minimumRatio: Measured;
  /** Bin with the smallest ratio; null when the ratio is undefined. */
  readonly minimumRatioLabel: string | null;
  readonly bins: readonly RepresentativenessBin[];
  readonly checks: readonly QualityCheck[];
}

/**
 * Measures how well a sample's categories match a reference distribution, for example the
 * population a system serves. `reference` gives a count or weight per category; it is
 * normalised, so shares, percentages and counts all work. Every category of either side keeps
 * its own bin (no "other" bin). Missing values of the sample are left out.
 */
export function categoryRepresentativeness(sample: CategoryCounts, reference: ReadonlyMap<string, number>, options: RepresentativenessOptions = {}): Representativeness {
  const aligned = alignCategoryCounts({ counts: reference, missing: 0 }, sample, { maxCategories: Number.MAX_SAFE_INTEGER });
  return representativenessOf(aligned, options);
}

/**
 * Measures how well a sample of a numerical column matches a reference distribution binned on
 * the same edges, with the bins below and above the edges of `alignBinnedCounts`.
 */
export function binnedRepresentativeness(sample: BinnedCounts, reference: BinnedCounts, options: RepresentativenessOptions = {}): Representativeness {
  return representativenessOf(alignBinnedCounts(reference, sample), options);
}

function representativenessOf(aligned: AlignedCounts, options: RepresentativenessOptions): Representativeness {
  const measure = options.measure ?? 'total-variation';
  if (!Object.hasOwn(representativenessDistances, measure)) {
    throw new RangeError(`Representativeness measure must be total-variation, jensen-shannon or hellinger, received ${String(measure)}`);
  }
  const distance = representativenessDistances[measure](aligned.reference, aligned.current);

  const referenceTotal = aligned.reference.reduce((sum, count) => sum + count, 0);
  const sampleTotal = aligned.current.reduce((sum, count) => sum + count, 0);
  const bins = aligned.labels.map((label, index): RepresentativenessBin => {
    const sampleShare = sampleTotal === 0 ? 0 : aligned.current[index]! / sampleTotal;
    const referenceShare = referenceTotal === 0 ? 0 : aligned.reference[index]! / referenceTotal;
    return { label, sampleShare, referenceShare, difference: sampleShare - referenceShare, ratio: referenceShare === 0 ? null : sampleShare / referenceShare };
  });

  let lowest: RepresentativenessBin | null = null;
  for (const bin of bins) if (bin.ratio !== null && (lowest === null || bin.ratio < lowest.ratio!)) lowest = bin;
  let minimumRatio: Measured;
  if (!distance.defined) minimumRatio = undefinedBecause(distance.reason);
  else if (lowest === null) minimumRatio = undefinedBecause('the reference gives no bin a share');
  else minimumRatio = defined(lowest.ratio!);

  const checks: QualityCheck[] = [];
  if (options.maximumDistance !== undefined) checks.push(check('representativeness-distance', distance, '<=', validateShare('maximumDistance', options.maximumDistance)));
  if (options.minimumRatio !== undefined) {
    if (!Number.isFinite(options.minimumRatio) || options.minimumRatio < 0) throw new RangeError(`minimumRatio must be a finite number >= 0, received ${options.minimumRatio}`);
    checks.push(check('representativeness-ratio', minimumRatio, '>=', options.minimumRatio));
  }
  return { measure, distance, minimumRatio, minimumRatioLabel: minimumRatio.defined ? lowest!.label : null, bins, checks };
}

function check(name: QualityCheckName, value: Measured, comparison: QualityCheck['comparison'], threshold: number): QualityCheck {
  if (!value.defined) return { check: name, value, comparison, threshold, passed: null, reason: value.reason };
  let passed: boolean;
  if (comparison === '>=') passed = value.value >= threshold;
  else if (comparison === '<=') passed = value.value <= threshold;
  else passed = value.value < threshold;
  return { check: name, value, comparison, threshold, passed };
}

function validateShare(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`${name} must be a share between 0 and 1, received ${value}`);
  return value;
}

function validateColumnCounts(counts: ColumnQualityCounts): void {
  const { rowCount, missing, distinct, typeViolations, belowMinimum, aboveMaximum, notAllowed, mostFrequent } = counts;
  const problems = findCountProblems({ rowCount, missing, distinct, typeViolations, belowMinimum, aboveMaximum, notAllowed, mostFrequentCount: mostFrequent?.count ?? 0 });
  if (missing > rowCount) problems.push(`missing ${missing} exceeds rowCount ${rowCount}`);
  // The comparisons below with the non-missing values would only repeat these problems.
  if (problems.length > 0) throw new RangeError(`Invalid column quality counts: ${problems.join('; ')}`);

  const nonMissing = rowCount - missing;
  const typed = nonMissing - typeViolations;
  for (const [name, value, limit, what] of [
    ['distinct', distinct, nonMissing, 'non-missing values'],
    ['typeViolations', typeViolations, nonMissing, 'non-missing values'],
    ['belowMinimum + aboveMaximum', belowMinimum + aboveMaximum, typed, 'values of the declared type'],
    ['notAllowed', notAllowed, nonMissing, 'non-missing values'],
    ['mostFrequent.count', mostFrequent?.count ?? 0, nonMissing, 'non-missing values'],
  ] as const) {
    if (value > limit) problems.push(`${name} ${value} exceeds the ${limit} ${what}`);
  }
  if (nonMissing > 0 && distinct === 0) problems.push(`distinct is 0 although ${nonMissing} values are not missing`);
  if (nonMissing > 0 && (mostFrequent === null || mostFrequent.count === 0)) problems.push(`mostFrequent is missing although ${nonMissing} values are not missing`);
  if (problems.length > 0) throw new RangeError(`Invalid column quality counts: ${problems.join('; ')}`);
}

function validateDatasetCounts(rows: DuplicateRowCounts, keys: DuplicateKeyCounts | undefined): void {
  const problems = findCountProblems({ rowCount: rows.rowCount, duplicateRows: rows.duplicateRows });
  if (rows.duplicateRows > rows.rowCount) problems.push(`duplicateRows ${rows.duplicateRows} exceeds rowCount ${rows.rowCount}`);
  if (keys !== undefined) {
    problems.push(...findCountProblems({ keyRowCount: keys.rowCount, missingKey: keys.missingKey, duplicateKeyRows: keys.duplicateRows }));
    if (keys.missingKey + keys.duplicateRows > keys.rowCount) {
      problems.push(`missingKey ${keys.missingKey} and duplicate key rows ${keys.duplicateRows} exceed the key row count ${keys.rowCount}`);
    }
  }
  if (problems.length > 0) throw new RangeError(`Invalid dataset quality counts: ${problems.join('; ')}`);
}

function findCountProblems(counts: object): string[] {
  return Object.entries(counts)
    .filter(([, value]) => value !== undefined && (!Number.isInteger(value) || value < 0))
    .map(([name, value]) => `${name} must be an integer >= 0, received ${String(value)}`);
}
