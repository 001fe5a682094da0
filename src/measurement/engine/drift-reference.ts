import type { BinnedCounts, CategoryCounts } from '../core/aggregates.js';
import { defaultBinCount } from '../core/drift/binning.js';
import { distanceSizeLimit, driftTestForColumn, type DriftTestChoice, type DriftTestOverride } from '../core/drift/default-test.js';
import { binnedCounts, categoryCountsOf, numericValueCounts, scanForDrift, type NumericScanResult } from '../data/index.js';
import { exactDistinctLimit } from '../data/numeric-drift.js';
import { binEdgesOfColumns, type AlignedOutcome, type BinRequest, type DriftSource } from './drift-column-data.js';

/**
 * The aggregates of a reference sample that a drift report compares the current sample with:
 * counts, distinct-value states, category counts and the counts on each large numerical column's
 * bins. They come from a scan of the reference (`scanReference`) or from a stored profile.
 */
export interface ReferenceAggregates {
  readonly rowCount: number;
  /** Counts and distinct-value state per numerical column; `bins` and `valueCounts` of each are null. */
  readonly numerical: ReadonlyMap<string, NumericScanResult>;
  /** Every category with its count, per categorical column. */
  readonly categories: ReadonlyMap<string, CategoryCounts>;
  /** Counts per finite value of the numerical columns with at most `exactDistinctLimit` distinct values. */
  readonly valueCounts: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** The bins of each numerical column that may be tested on bins (see `referenceBinRequests`). */
  readonly binRequests: readonly BinRequest[];
  readonly edges: ReadonlyMap<string, readonly number[]>;
  /** The reason a requested column has no bins, such as a reference without finite values. */
  readonly binOutcomes: ReadonlyMap<string, AlignedOutcome>;
  readonly bins: ReadonlyMap<string, BinnedCounts>;
}

/**
 * Reference sizes up to which the bin edges of a large column are exact quantiles
 * (`quantile_cont`). Above it they are estimates from a sample of 100,000 values
 * (`reservoir_quantile`), which cost far less on 1,000,000 values. An estimate moves an edge
 * slightly, never the count within the edges.
 */
export const exactQuantileLimit = 100_000;

/**
 * Scans the reference of `source` for its aggregates. One scan counts the numerical columns and
 * their distinct-value states, one counts the categories, and one the values of columns with few
 * distinct values. The quantiles and bin counts of the large numerical columns follow.
 */
export async function scanReference(
  source: DriftSource,
  numerical: readonly string[],
  categorical: readonly string[],
  overrides: Readonly<Record<string, DriftTestOverride>>,
): Promise<ReferenceAggregates> {
  const scan = await scanForDrift(source.engine, source.reference, { numerical: numerical.map((column) => ({ column })), categorical: [] });
  const categories = await categoryCountsOf(source.engine, source.reference, categorical);
  const few = numerical.filter((column) => (scan.numerical.get(column) as NumericScanResult).distinctEstimate <= exactDistinctLimit);
  const valueCounts = await numericValueCounts(source.engine, source.reference, few);

  const binRequests = referenceBinRequests(scan.numerical, numerical, overrides);
  const { edges, outcomes } = await binEdgesOfColumns(source, binRequests);
  const bins = await binnedCounts(
    source.engine,
    source.reference,
    [...edges].map(([column, columnEdges]) => ({ column, edges: columnEdges, excluded: (scan.numerical.get(column) as NumericScanResult).summary.excluded })),
  );
  return { rowCount: scan.rowCount, numerical: scan.numerical, categories, valueCounts, binRequests, edges, binOutcomes: outcomes, bins };
}

/**
 * Requests reference bins for every numerical column that may turn out large, with the binning
 * its test would use if the current sample had as many values and as many distinct ones as the
 * reference. A column tested as categories or on values gets no bins here.
 */
export function referenceBinRequests(
  results: ReadonlyMap<string, NumericScanResult>,
  columns: readonly string[],
  overrides: Readonly<Record<string, DriftTestOverride>>,
): BinRequest[] {
  const requests: BinRequest[] = [];
  for (const column of columns) {
    const { summary, distinctEstimate } = results.get(column) as NumericScanResult;
    if (summary.finite <= distanceSizeLimit(defaultBinCount)) continue;
    const choice: DriftTestChoice = driftTestForColumn({ columnType: 'numerical', referenceSize: summary.finite, currentSize: summary.finite, distinctCount: distinctEstimate }, overrides[column] ?? {});
    if (choice.input !== 'bins' || choice.binning === null) continue;
    requests.push({ column, ...choice.binning, approximate: summary.finite > exactQuantileLimit, referenceExcluded: summary.excluded });
  }
  return requests;
}
