import type { BinnedCounts, CategoryCounts, ExcludedCounts, PooledValueCounts } from '../core/aggregates.js';
import {
  alignBinnedCounts,
  alignCategoryCounts,
  binPooledValues,
  categoryCountsFromPooled,
  referenceEqualWidthEdges,
  referenceQuantileEdges,
  type AlignedCounts,
} from '../core/drift/binning.js';
import type { BinningMethod } from '../core/drift/default-test.js';
import { numericExpression } from '../data/column-types.js';
import {
  binnedCounts,
  columnsQuantiles,
  compareCategories,
  nextValuesAbove,
  SqlParameters,
  type CategoryComparison,
  type DataEngine,
  unseenCategoryShares,
  type DataSet,
  type DistributionDistance,
} from '../data/index.js';
import { toCount, toNumberOrNull } from '../data/values.js';

/**
 * The aggregates of one column of a drift measurement, and the bins and categories the tests
 * read from them. A numerical column has either every pooled value (exact input for KS,
 * Anderson-Darling and Wasserstein) or, above the pooled limit, KS D and the Wasserstein distance
 * from SQL; its bins then come from SQL quantiles and bin counts. Bins and categories are
 * computed on first request and kept for the column's other measures.
 */

/** The two data sets a measurement reads, both with the compared columns under their reference names. */
export interface DriftSource {
  readonly engine: DataEngine;
  readonly reference: DataSet;
  readonly current: DataSet;
}

/** Aligned counts over the same bins or categories, or the reason there are none. */
export type AlignedOutcome = { readonly defined: true; readonly aligned: AlignedCounts; readonly edges: readonly number[] | null } | { readonly defined: false; readonly reason: string };

export interface SampleSizes {
  readonly reference: number;
  readonly current: number;
}

/** The numbers a large numerical column needs besides KS D and the Wasserstein distance. */
interface LargeSampleSummary {
  readonly distinctCount: number;
  /** Population standard deviation of the reference's finite values; null without any. */
  readonly referenceStandardDeviation: number | null;
}

export type NumericAggregate =
  | { readonly kind: 'pooled'; readonly pooled: PooledValueCounts }
  | { readonly kind: 'large'; readonly distance: DistributionDistance; readonly summary: LargeSampleSummary };

/** The counts a large numerical column is tested on without fetching its values. */
export interface NumericCounts {
  readonly sizes: SampleSizes;
  readonly excluded: { readonly reference: ExcludedCounts; readonly current: ExcludedCounts };
  /** Distinct finite values over both samples; a HyperLogLog estimate when `distinctIsExact` is false. */
  readonly distinctCount: number;
  readonly distinctIsExact: boolean;
}

/**
 * The source of a column's bins or category counts that were not collected with the other
 * columns: the files (`recountFromFiles`), or an error when the reference is a stored profile.
 */
export interface ColumnRecount {
  /** Counts of both samples on bins from the reference. */
  bins(method: BinningMethod, binCount: number): Promise<AlignedOutcome>;
  /** Category counts of both samples, the `topK` most frequent on their own. */
  categories(topK: number): Promise<CategoryComparison>;
}

/** Recounts a column in the two data sets of a measurement. */
export function recountFromFiles(source: DriftSource, column: string): ColumnRecount {
  return {
    bins: (method, binCount) => largeSampleBins(source, column, method, binCount),
    categories: (topK) => categoryComparison(source, column, topK),
  };
}

/** How a numerical column was collected: with its values (or KS D and Wasserstein from SQL), or only counted. */
export type NumericCollection =
  | { readonly kind: 'values'; readonly aggregate: NumericAggregate }
  | {
      readonly kind: 'counts';
      readonly counts: NumericCounts;
      /** Bins computed with those of the other columns, by `method:binCount`. */
      readonly bins: ReadonlyMap<string, AlignedOutcome>;
      /** Fetches the values (or SQL KS D and Wasserstein) when a test needs them. */
      readonly fetchValues: () => Promise<NumericAggregate>;
      /** Counts per distinct value of both samples, when a scan collected them. */
      readonly valueCounts?: { readonly reference: CategoryCounts; readonly current: CategoryCounts };
      /** The reason the other measures on values are skipped, when the values cannot be fetched at all. */
      readonly valuesSkipReason?: string;
    };

export class NumericColumnData {
  readonly type = 'numerical' as const;
  readonly sizes: SampleSizes;
  private readonly bins = new Map<string, Promise<AlignedOutcome>>();
  private categories: Promise<AlignedOutcome> | null = null;
  private valuesPromise: Promise<NumericAggregate> | null;
  private readonly counts: NumericCounts | null;

  constructor(
    private readonly recount: ColumnRecount,
    readonly column: string,
    private readonly collection: NumericCollection,
  ) {
    if (collection.kind === 'counts') {
      this.counts = collection.counts;
      this.sizes = collection.counts.sizes;
      this.valuesPromise = null;
      for (const [key, outcome] of collection.bins) this.bins.set(key, Promise.resolve(outcome));
      if (collection.valueCounts !== undefined) this.categories = Promise.resolve(alignedCategories(collection.valueCounts.reference, collection.valueCounts.current, []));
    } else {
      const aggregate = collection.aggregate;
      this.counts = null;
      this.valuesPromise = Promise.resolve(aggregate);
      this.sizes =
        aggregate.kind === 'large'
          ? { reference: aggregate.distance.referenceSize, current: aggregate.distance.currentSize }
          : { reference: sumOf(aggregate.pooled.referenceCounts), current: sumOf(aggregate.pooled.currentCounts) };
    }
  }

  /** True for a large column that was only counted: its tests on values ran only when asked for. */
  get countedOnly(): boolean {
    return this.collection.kind === 'counts';
  }

  /** The reason measures on values are skipped when not requested, if not their cost. */
  get valuesSkipReason(): string | undefined {
    return this.collection.kind === 'counts' ? this.collection.valuesSkipReason : undefined;
  }

  /** Whether the values (or the SQL statistics on them) are at hand without another scan. */
  get hasValues(): boolean {
    return this.valuesPromise !== null;
  }

  /** The pooled values or SQL statistics; a counted column fetches them on the first call. */
  values(): Promise<NumericAggregate> {
    if (this.valuesPromise === null && this.collection.kind === 'counts') this.valuesPromise = this.collection.fetchValues();
    return this.valuesPromise as Promise<NumericAggregate>;
  }

  get excluded(): { readonly reference: ExcludedCounts; readonly current: ExcludedCounts } {
    if (this.collection.kind === 'counts') return this.collection.counts.excluded;
    const aggregate = this.collection.aggregate;
    const counts = aggregate.kind === 'large' ? aggregate.distance : aggregate.pooled;
    return { reference: counts.reference, current: counts.current };
  }

  /** Distinct finite values over both samples; an estimate for a counted column with more than 1,000. */
  get distinctCount(): number {
    if (this.counts !== null) return this.counts.distinctCount;
    const aggregate = (this.collection as Extract<NumericCollection, { kind: 'values' }>).aggregate;
    return aggregate.kind === 'large' ? aggregate.summary.distinctCount : aggregate.pooled.values.length;
  }

  /** Whether `distinctCount` is a HyperLogLog estimate, as it is for a counted column with more than 1,000 distinct values. */
  get distinctIsEstimate(): boolean {
    return this.counts !== null && !this.counts.distinctIsExact;
  }

  /** Counts of both samples on bins from the reference, with a bin below and one above the reference range. */
  binned(method: BinningMethod, binCount: number): Promise<AlignedOutcome> {
    const key = binKey(method, binCount);
    let outcome = this.bins.get(key);
    if (outcome === undefined) {
      outcome =
        this.collection.kind === 'values' && this.collection.aggregate.kind === 'pooled'
          ? Promise.resolve(pooledBins(this.collection.aggregate.pooled, method, binCount))
          : this.recount.bins(method, binCount);
      this.bins.set(key, outcome);
    }
    return outcome;
  }

  /** Counts per distinct value, for a column with so few values that it is tested as categories. */
  valueCategories(): Promise<AlignedOutcome> {
    if (this.categories === null) {
      if (this.collection.kind === 'values' && this.collection.aggregate.kind === 'pooled') {
        const { reference, current } = categoryCountsFromPooled(this.collection.aggregate.pooled);
        this.categories = Promise.resolve(alignedCategories(reference, current, []));
      } else {
        this.categories = this.recount.categories(Number.MAX_SAFE_INTEGER).then((comparison) => alignedCategories(comparison.reference, comparison.current, []));
      }
    }
    return this.categories;
  }
}

/** The key of a column's bins by method and count. */
export function binKey(method: BinningMethod, binCount: number): string {
  return `${method}:${binCount}`;
}

export class CategoricalColumnData {
  readonly type = 'categorical' as const;
  private readonly comparisons = new Map<number, Promise<CategoryComparison>>();

  readonly sizes: SampleSizes;

  constructor(
    private readonly recount: ColumnRecount,
    readonly column: string,
    /** The comparison with the measurement's category limit, counted when the column was collected. */
    readonly comparison: CategoryComparison,
    readonly topK: number,
  ) {
    this.comparisons.set(topK, Promise.resolve(comparison));
    this.sizes = { reference: sumOfMap(comparison.reference), current: sumOfMap(comparison.current) };
  }

  get excluded(): { readonly reference: ExcludedCounts; readonly current: ExcludedCounts } {
    return { reference: onlyMissing(this.comparison.reference.missing), current: onlyMissing(this.comparison.current.missing) };
  }

  get distinctCount(): number {
    return this.comparison.distinctCount;
  }

  /** Returns the counts with the `topK` most frequent categories on their own and the rest pooled as "other", querying again for a new `topK`. */
  categoriesWithTopK(topK: number): Promise<CategoryComparison> {
    let comparison = this.comparisons.get(topK);
    if (comparison === undefined) {
      comparison = this.recount.categories(topK);
      this.comparisons.set(topK, comparison);
    }
    return comparison;
  }

  async aligned(topK: number): Promise<AlignedOutcome> {
    const comparison = await this.categoriesWithTopK(topK);
    const warnings: string[] = [];
    const spacing = spacingMismatch(comparison);
    if (spacing !== null) {
      warnings.push(
        `Most current values match a reference category only after removing surrounding spaces (${JSON.stringify(spacing.current)} against ${JSON.stringify(spacing.reference)}), so the test compares spellings rather than distributions; read the ${spacing.current.length > spacing.reference.length ? 'current' : 'reference'} file with the delimiter it uses, or recode its values`,
      );
    }
    if (comparison.otherKey !== null) {
      warnings.push(`${comparison.otherCategories} categories beyond the ${topK} most frequent share the bin "${comparison.otherKey}"`);
      const shares = unseenCategoryShares(comparison);
      if (shares !== null && shares.observed - shares.expected >= unseenShareMargin) {
        const percent = (share: number) => `${(100 * share).toFixed(1)} %`;
        warnings.push(
          `${percent(shares.observed)} of the current values are in categories the reference lacks, against about ${percent(shares.expected)} expected without a shift (the reference's share of categories seen once). The bin "${comparison.otherKey}" hides much of such a shift from the test, so check whether the column's categories were replaced`,
        );
      }
    }
    return alignedCategories(comparison.reference, comparison.current, warnings, comparison.otherCategories);
  }
}

export type ColumnData = NumericColumnData | CategoricalColumnData;

/**
 * Returns an example when more than half of the current values lie in categories that the
 * reference has only with surrounding spaces removed (" Private" against "Private"). That happens
 * when a file separated by ", " is read with the delimiter ",". Returns null otherwise.
 */
function spacingMismatch(comparison: CategoryComparison): { current: string; reference: string } | null {
  const referenceByTrimmed = new Map<string, string>();
  for (const [category, count] of comparison.reference.counts) {
    if (count > 0 && category !== comparison.otherKey) referenceByTrimmed.set(category.trim(), category);
  }
  let currentTotal = 0;
  let mismatched = 0;
  let example: { current: string; reference: string } | null = null;
  for (const [category, count] of comparison.current.counts) {
    currentTotal += count;
    if (category === comparison.otherKey || count === 0 || (comparison.reference.counts.get(category) ?? 0) > 0) continue;
    const match = referenceByTrimmed.get(category.trim());
    if (match === undefined || match === category) continue;
    mismatched += count;
    example ??= { current: category, reference: match };
  }
  return mismatched > currentTotal / 2 ? example : null;
}

/**
 * The excess of the share of current values in categories new to the reference over its
 * Good-Turing expectation at which a column with folded categories gets a warning. 5 percentage
 * points is well above the sampling noise of either share on thousands of values.
 */
export const unseenShareMargin = 0.05;

/** Counts the categories of a column in both samples, the `topK` most frequent (in both together) on their own. */
export function categoryComparison(source: DriftSource, column: string, topK: number): Promise<CategoryComparison> {
  return compareCategories(source.engine, source.reference, source.current, column, { topK });
}

/**
 * Counts distinct finite values over both samples and the reference's population standard
 * deviation, in one query: what a column above the pooled limit needs to choose its test and
 * to normalize the Wasserstein distance.
 */
export async function largeSampleSummary(source: DriftSource, column: string): Promise<LargeSampleSummary> {
  const parameters = new SqlParameters();
  const referenceValue = numericExpression(source.reference.column(column));
  const currentValue = numericExpression(source.current.column(column));
  const sql = `
    SELECT count(DISTINCT value) AS distinct_count, stddev_pop(value) FILTER (WHERE side = 0) AS reference_deviation
    FROM (
      SELECT 0 AS side, ${referenceValue} AS value FROM ${source.reference.fromClause(parameters)}
      UNION ALL
      SELECT 1 AS side, ${currentValue} AS value FROM ${source.current.fromClause(parameters)}
    )
    WHERE isfinite(value)`;
  const [row] = await source.engine.rows(`summarizing ${column}`, sql, parameters, [source.reference.errorContext, source.current.errorContext]);
  return { distinctCount: toCount(row?.['distinct_count']), referenceStandardDeviation: toNumberOrNull(row?.['reference_deviation']) };
}

function pooledBins(pooled: PooledValueCounts, method: BinningMethod, binCount: number): AlignedOutcome {
  const edges = method === 'equal-width' ? referenceEqualWidthEdges(pooled, binCount) : referenceQuantileEdges(pooled, binCount);
  if (!edges.defined) return edges;
  const { reference, current } = binPooledValues(pooled, edges.edges);
  return { defined: true, aligned: alignBinnedCounts(reference, current), edges: edges.edges };
}

/** The bins one column is to be counted on. */
export interface BinRequest {
  readonly column: string;
  readonly method: BinningMethod;
  readonly binCount: number;
  /** Whether the inner reference quantiles may be estimates (`reservoir_quantile`) instead of exact (`quantile_cont`). */
  readonly approximate: boolean;
  /** The values of each sample left out of the bins, when already counted. */
  readonly excluded?: { readonly reference: ExcludedCounts; readonly current: ExcludedCounts };
  /** The reference's values left out of the bins, when only they are counted yet. */
  readonly referenceExcluded?: ExcludedCounts;
}

/**
 * Computes the bins of `pooledBins` in SQL for several columns at once, one request per column:
 * reference quantiles (or minimum and maximum) of all columns in one scan of the reference, the
 * rules of `referenceQuantileEdges` for repeated quantiles (one more scan when a quantile
 * repeats), and the bin counts of all columns in one scan per sample. Where a request allows it,
 * the inner quantiles are estimates (`reservoir_quantile`); the counts within the edges stay exact.
 */
export async function binsOfColumns(source: DriftSource, requests: readonly BinRequest[]): Promise<Map<string, AlignedOutcome>> {
  const { edges: edgesOf, outcomes } = await binEdgesOfColumns(source, requests);
  const excludedOf = new Map(requests.map((request) => [request.column, request.excluded]));
  const specs = [...edgesOf].map(([column, edges]) => ({ column, edges }));
  const reference = await binnedCounts(source.engine, source.reference, specs.map((spec) => ({ ...spec, excluded: excludedOf.get(spec.column)?.reference })));
  const current = await binnedCounts(source.engine, source.current, specs.map((spec) => ({ ...spec, excluded: excludedOf.get(spec.column)?.current })));
  for (const { column, edges } of specs) {
    outcomes.set(column, { defined: true, aligned: alignBinnedCounts(reference.get(column) as BinnedCounts, current.get(column) as BinnedCounts), edges });
  }
  return outcomes;
}

/**
 * Computes the bin edges of `binsOfColumns` from the reference alone: the edges of each column
 * that has finite reference values, and an undefined outcome for each column that has none.
 */
export async function binEdgesOfColumns(source: DriftSource, requests: readonly BinRequest[]): Promise<{ edges: Map<string, number[]>; outcomes: Map<string, AlignedOutcome> }> {
  const outcomes = new Map<string, AlignedOutcome>();
  const edgesOf = new Map<string, number[]>();
  const groups = new Map<string, BinRequest[]>();
  for (const request of requests) {
    const key = `${binKey(request.method, request.binCount)}:${request.approximate}`;
    groups.set(key, [...(groups.get(key) ?? []), request]);
  }

  const quantilesOf = new Map<string, number[]>();
  for (const group of groups.values()) {
    const { method, binCount, approximate } = group[0] as BinRequest;
    const probabilities = method === 'equal-width' ? [0, 1] : Array.from({ length: binCount + 1 }, (_, index) => index / binCount);
    const quantiles = await columnsQuantiles(
      source.engine,
      source.reference,
      group.map((request) => request.column),
      probabilities,
      { approximate, allFinite: new Set(group.filter((request) => isAllFinite(request.referenceExcluded ?? request.excluded?.reference)).map((request) => request.column)) },
    );
    for (const request of group) {
      const found = quantiles.get(request.column) ?? null;
      if (found === null) outcomes.set(request.column, { defined: false, reason: 'the reference sample has no finite values to bin' });
      else quantilesOf.set(request.column, found);
    }
  }

  const repeated = new Map<string, number[]>();
  for (const request of requests) {
    const quantiles = quantilesOf.get(request.column);
    if (quantiles === undefined || request.method === 'equal-width') continue;
    repeated.set(request.column, [...new Set(quantiles.filter((value, index) => quantiles[index + 1] === value))]);
  }
  const successors = await nextValuesAbove(source.engine, source.reference, repeated);
  for (const request of requests) {
    const quantiles = quantilesOf.get(request.column);
    if (quantiles === undefined) continue;
    edgesOf.set(
      request.column,
      request.method === 'equal-width' ? equalWidthEdges(quantiles[0] as number, quantiles[1] as number, request.binCount) : quantileEdges(quantiles, successors.get(request.column) ?? new Map()),
    );
  }
  return { edges: edgesOf, outcomes };
}

function isAllFinite(excluded: ExcludedCounts | undefined): boolean {
  if (excluded === undefined) return false;
  return excluded.positiveInfinity + excluded.negativeInfinity + excluded.notANumber === 0;
}

/** Computes one column's bins in SQL, with exact quantiles, for bins that were not counted with the others. */
async function largeSampleBins(source: DriftSource, column: string, method: BinningMethod, binCount: number): Promise<AlignedOutcome> {
  const outcomes = await binsOfColumns(source, [{ column, method, binCount, approximate: false }]);
  return outcomes.get(column) as AlignedOutcome;
}

function equalWidthEdges(minimum: number, maximum: number, binCount: number): number[] {
  if (minimum === maximum) return [minimum, maximum];
  const width = (maximum - minimum) / binCount;
  const edges = [minimum];
  for (let index = 1; index < binCount; index++) edges.push(minimum + index * width);
  edges.push(maximum);
  return edges;
}

/**
 * Deduplicates repeated quantiles as `referenceQuantileEdges` does: a value that several
 * quantiles share gets a bin of its own, up to the next larger reference value (`successors`),
 * unless it is the maximum. Estimated quantiles repeat where the reference holds one value
 * across a whole bin, as exact ones do, so the rule carries over to them.
 */
function quantileEdges(quantiles: readonly number[], successors: ReadonlyMap<number, number>): number[] {
  const edges: number[] = [];
  quantiles.forEach((value, index) => {
    if (index > 0 && quantiles[index - 1] === value) return;
    edges.push(value);
    const successor = quantiles[index + 1] === value ? successors.get(value) : undefined;
    const nextEdge = quantiles.find((candidate) => candidate > value);
    if (successor !== undefined && nextEdge !== undefined && successor < nextEdge) edges.push(successor);
  });
  if (edges.length === 1) edges.push(edges[0] as number);
  return edges;
}

/**
 * Aligns category counts that the data layer already limited to its top categories, so the core
 * keeps every one of them instead of pooling a second "other".
 */
function alignedCategories(reference: CategoryCounts, current: CategoryCounts, warnings: readonly string[], otherCategories = 0): AlignedOutcome {
  const aligned = alignCategoryCounts(reference, current, { maxCategories: Number.MAX_SAFE_INTEGER });
  return { defined: true, aligned: { ...aligned, otherCategories, warnings: [...aligned.warnings, ...warnings] }, edges: null };
}

function onlyMissing(missing: number): ExcludedCounts {
  return { missing, positiveInfinity: 0, negativeInfinity: 0, notANumber: 0 };
}

function sumOf(counts: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < counts.length; index++) sum += counts[index] as number;
  return sum;
}

function sumOfMap(counts: CategoryCounts): number {
  let sum = 0;
  for (const count of counts.counts.values()) sum += count;
  return sum;
}
