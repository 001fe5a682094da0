/**
 * Tests of homogeneity for a categorical column: does the current sample come from the same
 * category distribution as the reference? Both tests work on the 2 × k contingency table whose
 * rows are the two samples and whose columns are the union of the categories seen in either,
 * sorted by name. A category seen on one side only is a column with a 0 cell. A category with
 * count 0 on both sides (possible after merging aggregates) is dropped. Missing values are not a
 * category, so they are left out with a warning.
 *
 * With row totals R_i, column totals C_j, grand total T and expected counts E_ij = R_i C_j / T:
 * - Pearson's chi-square X² = Σ (O_ij − E_ij)² / E_ij,
 * - the G-test (likelihood ratio) G = 2 Σ O_ij ln(O_ij / E_ij), with 0 ln 0 = 0,
 * each referred to the chi-square distribution with k − 1 degrees of freedom. No continuity
 * correction is applied, so the results equal scipy.stats.chi2_contingency(table,
 * correction=False) and chi2_contingency(table, correction=False, lambda_="log-likelihood") of
 * SciPy 1.10.1. Both statistics are ≥ 0 and 0 exactly when the two samples have the same
 * category shares.
 *
 * Undefined when a sample has no values or only one category occurs in the union (SciPy
 * returns statistic 0 and p-value 1 there). The chi-square approximation is poor when expected
 * counts are small; the result then carries a warning (the usual rule of thumb: all E_ij ≥ 5).
 *
 * This is a homogeneity test, not Evidently's `chisquare`, which runs a goodness-of-fit test of
 * the current counts against rescaled reference counts and returns p = 0 for any category absent
 * from the reference; Evidently's `g_test` does not rescale the expected counts at all.
 */

import type { CategoryCounts } from '../aggregates.js';
import { defined, undefinedBecause, type TestResult } from '../measured.js';
import { chiSquareSurvival } from '../special-functions/gamma.js';
import { CompensatedSum } from '../special-functions/summation.js';

export interface ContingencyTestResult extends TestResult {
  /** k − 1 for k categories, or null when the test is undefined. */
  readonly degreesOfFreedom: number | null;
  /** The categories of the table, in column order. */
  readonly categories: readonly string[];
}

/** Expected counts below this make the chi-square approximation doubtful (Cochran's rule of thumb). */
const SMALL_EXPECTED_COUNT = 5;

interface ContingencyTable {
  readonly categories: string[];
  readonly reference: number[];
  readonly current: number[];
  readonly referenceTotal: number;
  readonly currentTotal: number;
}

function checkedCounts(counts: CategoryCounts, side: string): void {
  for (const [category, count] of counts.counts) {
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`the ${side} count of category "${category}" is ${count}; counts must be finite and ≥ 0`);
    }
  }
  if (!Number.isFinite(counts.missing) || counts.missing < 0) {
    throw new RangeError(`the ${side} missing count is ${counts.missing}; counts must be finite and ≥ 0`);
  }
}

/**
 * Orders strings by UTF-16 code units. Python's sorted orders by code point, which gives the same
 * order unless a name contains characters outside the Basic Multilingual Plane.
 */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function buildTable(reference: CategoryCounts, current: CategoryCounts): ContingencyTable {
  const names = new Set([...reference.counts.keys(), ...current.counts.keys()]);
  const categories = [...names]
    .filter((name) => (reference.counts.get(name) ?? 0) + (current.counts.get(name) ?? 0) > 0)
    .sort(compareCodeUnits);
  const referenceRow = categories.map((name) => reference.counts.get(name) ?? 0);
  const currentRow = categories.map((name) => current.counts.get(name) ?? 0);
  return {
    categories,
    reference: referenceRow,
    current: currentRow,
    referenceTotal: referenceRow.reduce((sum, count) => sum + count, 0),
    currentTotal: currentRow.reduce((sum, count) => sum + count, 0),
  };
}

function missingValueWarnings(reference: CategoryCounts, current: CategoryCounts): string[] {
  const warnings: string[] = [];
  if (reference.missing > 0) warnings.push(`reference sample: ${reference.missing} missing values left out; missing is not a category`);
  if (current.missing > 0) warnings.push(`current sample: ${current.missing} missing values left out; missing is not a category`);
  return warnings;
}

/** Returns why the table cannot be tested, or null when it can. */
function undefinedTableReason(table: ContingencyTable): string | null {
  if (table.referenceTotal === 0 && table.currentTotal === 0) return 'both samples have no values';
  if (table.referenceTotal === 0) return 'the reference sample has no values';
  if (table.currentTotal === 0) return 'the current sample has no values';
  if (table.categories.length < 2) {
    return `only one category ("${table.categories[0]}") occurs in the two samples, so there is no distribution to compare`;
  }
  return null;
}

type CellStatistic = (observed: number, expected: number) => number;

const pearsonCell: CellStatistic = (observed, expected) => (observed - expected) ** 2 / expected;
const likelihoodRatioCell: CellStatistic = (observed, expected) => (observed === 0 ? 0 : 2 * observed * Math.log(observed / expected));

function runContingencyTest(reference: CategoryCounts, current: CategoryCounts, cellStatistic: CellStatistic, method: string): ContingencyTestResult {
  checkedCounts(reference, 'reference');
  checkedCounts(current, 'current');
  const warnings = missingValueWarnings(reference, current);
  const table = buildTable(reference, current);

  const reason = undefinedTableReason(table);
  if (reason !== null) {
    return {
      statistic: undefinedBecause(reason),
      pValue: undefinedBecause(reason),
      method: 'none',
      warnings,
      degreesOfFreedom: null,
      categories: table.categories,
    };
  }

  const total = table.referenceTotal + table.currentTotal;
  const sum = new CompensatedSum();
  let smallExpected = 0;
  for (const [row, rowTotal] of [
    [table.reference, table.referenceTotal],
    [table.current, table.currentTotal],
  ] as const) {
    for (let j = 0; j < table.categories.length; j += 1) {
      const expected = (rowTotal * (table.reference[j]! + table.current[j]!)) / total;
      if (expected < SMALL_EXPECTED_COUNT) smallExpected += 1;
      sum.add(cellStatistic(row[j]!, expected));
    }
  }
  if (smallExpected > 0) {
    const cells = 2 * table.categories.length;
    warnings.push(
      `${smallExpected} of ${cells} expected counts are below ${SMALL_EXPECTED_COUNT}, so the chi-square approximation of the p-value may be poor`,
    );
  }

  // Rounding can leave a tiny negative G when the two samples have identical shares.
  const statistic = Math.max(0, sum.value);
  const degreesOfFreedom = table.categories.length - 1;
  return {
    statistic: defined(statistic),
    pValue: defined(chiSquareSurvival(statistic, degreesOfFreedom)),
    method,
    warnings,
    degreesOfFreedom,
    categories: table.categories,
  };
}

/**
 * Runs Pearson's chi-square test of homogeneity on the 2 × k table of the two samples, without
 * continuity correction; see the module comment. Throws a RangeError for a negative or
 * non-finite count.
 */
export function chiSquareHomogeneity(reference: CategoryCounts, current: CategoryCounts): ContingencyTestResult {
  return runContingencyTest(reference, current, pearsonCell, 'asymptotic');
}

/**
 * Runs the G-test (log-likelihood ratio) of homogeneity on the 2 × k table of the two samples,
 * without continuity correction; see the module comment. Throws a RangeError for a negative or
 * non-finite count.
 */
export function gTest(reference: CategoryCounts, current: CategoryCounts): ContingencyTestResult {
  return runContingencyTest(reference, current, likelihoodRatioCell, 'asymptotic');
}
