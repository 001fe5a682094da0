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
  columnQuantiles,
  compareCategories,
  SqlParameters,
  type CategoryComparison,
  type DataEngine,
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

export class NumericColumnData {
  readonly type = 'numerical' as const;
  readonly sizes: SampleSizes;
  private readonly bins = new Map<string, Promise<AlignedOutcome>>();
  private categories: Promise<AlignedOutcome> | null = null;

  constructor(
    readonly source: DriftSource,
    readonly column: string,
    readonly aggregate: NumericAggregate,
  ) {
    this.sizes =
      aggregate.kind === 'large'
        ? { reference: aggregate.distance.referenceSize, current: aggregate.distance.currentSize }
        : { reference: sumOf(aggregate.pooled.referenceCounts), current: sumOf(aggregate.pooled.currentCounts) };
  }

  get excluded(): { readonly reference: ExcludedCounts; readonly current: ExcludedCounts } {
    const counts = this.aggregate.kind === 'large' ? this.aggregate.distance : this.aggregate.pooled;
    return { reference: counts.reference, current: counts.current };
  }

  /** Distinct finite values over both samples. */
  get distinctCount(): number {
    return this.aggregate.kind === 'large' ? this.aggregate.summary.distinctCount : this.aggregate.pooled.values.length;
  }

  /** Counts of both samples on bins from the reference, with a bin below and one above the reference range. */
  binned(method: BinningMethod, binCount: number): Promise<AlignedOutcome> {
    const key = `${method}:${binCount}`;
    let outcome = this.bins.get(key);
    if (outcome === undefined) {
      outcome = this.aggregate.kind === 'pooled' ? Promise.resolve(pooledBins(this.aggregate.pooled, method, binCount)) : largeSampleBins(this.source, this.column, method, binCount);
      this.bins.set(key, outcome);
    }
    return outcome;
  }

  /** Counts per distinct value, for a column with so few values that it is tested as categories. */
  valueCategories(): Promise<AlignedOutcome> {
    if (this.categories === null) {
      if (this.aggregate.kind === 'pooled') {
        const { reference, current } = categoryCountsFromPooled(this.aggregate.pooled);
        this.categories = Promise.resolve(alignedCategories(reference, current, []));
      } else {
        this.categories = categoryComparison(this.source, this.column, Number.MAX_SAFE_INTEGER).then((comparison) => alignedCategories(comparison.reference, comparison.current, []));
      }
    }
    return this.categories;
  }
}

export class CategoricalColumnData {
  readonly type = 'categorical' as const;
  private readonly comparisons = new Map<number, Promise<CategoryComparison>>();

  readonly sizes: SampleSizes;

  constructor(
    readonly source: DriftSource,
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
      comparison = categoryComparison(this.source, this.column, topK);
      this.comparisons.set(topK, comparison);
    }
    return comparison;
  }

  async aligned(topK: number): Promise<AlignedOutcome> {
    const comparison = await this.categoriesWithTopK(topK);
    const warnings =
      comparison.otherKey === null ? [] : [`${comparison.otherCategories} categories beyond the ${topK} most frequent share the bin "${comparison.otherKey}"`];
    return alignedCategories(comparison.reference, comparison.current, warnings, comparison.otherCategories);
  }
}

export type ColumnData = NumericColumnData | CategoricalColumnData;

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

/**
 * Computes the bins of `pooledBins` in SQL: reference quantiles (or minimum and maximum) from
 * DuckDB, the rules of `referenceQuantileEdges` for repeated quantiles, and the bin counts of
 * each sample in one scan.
 */
async function largeSampleBins(source: DriftSource, column: string, method: BinningMethod, binCount: number): Promise<AlignedOutcome> {
  const probabilities = method === 'equal-width' ? [0, 1] : Array.from({ length: binCount + 1 }, (_, index) => index / binCount);
  const quantiles = await columnQuantiles(source.engine, source.reference, column, probabilities);
  if (quantiles === null) return { defined: false, reason: 'the reference sample has no finite values to bin' };

  const edges = method === 'equal-width' ? equalWidthEdges(quantiles[0] as number, quantiles[1] as number, binCount) : await quantileEdges(source, column, quantiles);
  const [reference, current] =
    edges.length === 2 && edges[0] === edges[1]
      ? [await singleValueBins(source, source.reference, column, edges[0] as number), await singleValueBins(source, source.current, column, edges[0] as number)]
      : [(await binnedCounts(source.engine, source.reference, [{ column, edges }])).get(column) as BinnedCounts, (await binnedCounts(source.engine, source.current, [{ column, edges }])).get(column) as BinnedCounts];
  return { defined: true, aligned: alignBinnedCounts(reference, current), edges };
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
 * quantiles share gets a bin of its own, up to the next larger reference value, unless it is the
 * maximum.
 */
async function quantileEdges(source: DriftSource, column: string, quantiles: readonly number[]): Promise<number[]> {
  const repeated = [...new Set(quantiles.filter((value, index) => quantiles[index + 1] === value))];
  const successors = await nextReferenceValues(source, column, repeated);
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

/** Returns, for each value, the smallest finite reference value above it, in one scan. */
async function nextReferenceValues(source: DriftSource, column: string, values: readonly number[]): Promise<Map<number, number>> {
  const successors = new Map<number, number>();
  if (values.length === 0) return successors;
  const parameters = new SqlParameters();
  const aggregates = values.map((value, index) => `min(value) FILTER (WHERE value > ${parameters.bindDouble(value)}) AS next_${index}`);
  const sql = `SELECT ${aggregates.join(', ')} FROM (SELECT ${numericExpression(source.reference.column(column))} AS value FROM ${source.reference.fromClause(parameters)}) WHERE isfinite(value)`;
  const [row] = await source.engine.rows(`bin edges of ${column}`, sql, parameters, [source.reference.errorContext]);
  values.forEach((value, index) => {
    const next = toNumberOrNull(row?.[`next_${index}`]);
    if (next !== null) successors.set(value, next);
  });
  return successors;
}

/** Bin counts on the edges [v, v] of a constant reference, which the data layer's binning (strictly increasing edges) does not take. */
async function singleValueBins(source: DriftSource, dataSet: DataSet, column: string, value: number): Promise<BinnedCounts> {
  const parameters = new SqlParameters();
  const bound = parameters.bindDouble(value);
  const sql = `
    SELECT count(*) FILTER (WHERE value < ${bound}) AS below, count(*) FILTER (WHERE value = ${bound}) AS equal, count(*) FILTER (WHERE value > ${bound}) AS above,
           count(*) FILTER (WHERE raw IS NULL) AS missing, count(*) FILTER (WHERE raw = CAST('inf' AS DOUBLE)) AS positive_infinity,
           count(*) FILTER (WHERE raw = CAST('-inf' AS DOUBLE)) AS negative_infinity, count(*) FILTER (WHERE isnan(raw)) AS not_a_number
    FROM (SELECT raw, CASE WHEN isfinite(raw) THEN raw END AS value FROM (SELECT ${numericExpression(dataSet.column(column))} AS raw FROM ${dataSet.fromClause(parameters)}))`;
  const [row] = await source.engine.rows(`binning ${column} of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  return {
    edges: [value, value],
    counts: [toCount(row?.['equal'])],
    below: toCount(row?.['below']),
    above: toCount(row?.['above']),
    excluded: {
      missing: toCount(row?.['missing']),
      positiveInfinity: toCount(row?.['positive_infinity']),
      negativeInfinity: toCount(row?.['negative_infinity']),
      notANumber: toCount(row?.['not_a_number']),
    },
  };
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
