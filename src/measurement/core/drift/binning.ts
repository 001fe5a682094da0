import type { BinnedCounts, CategoryCounts, ExcludedCounts, PooledValueCounts } from '../aggregates.js';

/**
 * Bin edges for numerical columns and aligned count vectors for the distances of distances.ts.
 *
 * Numerical columns are binned on quantiles of the reference by default (`defaultBinCount`
 * = 10, deciles), so every bin holds about a tenth of the reference whatever the shape of the
 * distribution; equal-width bins over the reference range are the alternative. The edges come
 * from the reference only, so current values below the reference minimum or above its
 * maximum go into one extra bin on each side. Evidently instead bins on Sturges equal-width
 * edges over reference and current together (numerical columns with more than 20 distinct
 * reference values only), and NannyML on Doane edges of the reference plus one outside bin.
 *
 * Categorical columns get one bin per category of the union of both samples. When the union
 * has more than `defaultMaxCategories` (100) categories, the 100 with the largest combined
 * share keep their own bins and the rest share one "other" bin. Sparse categories then neither
 * flood a report nor inflate a distance with sampling noise.
 */

export const defaultBinCount = 10;
export const defaultMaxCategories = 100;

export type EdgesResult =
  | { readonly defined: true; readonly edges: readonly number[] }
  | { readonly defined: false; readonly reason: string };

/** Count vectors over the same bins, ready for the functions of distances.ts. */
export interface AlignedCounts {
  /** A readable name per bin, for example `[1.5, 2)`, `> 10` or a category. */
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
  /** Number of categories merged into the "other" bin, the last bin; 0 when there is none. */
  readonly otherCategories: number;
  readonly warnings: readonly string[];
}

/**
 * Computes bin edges at the quantiles i / binCount (i = 0 .. binCount) of the reference sample,
 * with linear interpolation between order statistics (numpy's default `linear` method and
 * DuckDB's `quantile_cont`). The first edge is the reference minimum and the last its maximum.
 *
 * When several quantiles coincide, a value holds at least about 1 / binCount of the reference.
 * The edges are then deduplicated, and the next larger distinct reference value is added as an
 * edge so that the repeated value gets a bin of its own, [value, next value). The exception is
 * a repeated maximum, which shares the last bin, as that bin is closed on the right. A constant
 * reference gives the edges [v, v]: one closed bin that holds v. Undefined when the reference
 * has no finite values.
 */
export function referenceQuantileEdges(pooled: PooledValueCounts, binCount: number = defaultBinCount): EdgesResult {
  validateBinCount(binCount);
  const reference = referenceValues(pooled);
  if (reference.total === 0) return { defined: false, reason: 'the reference sample has no finite values to take quantiles of' };

  const quantiles: number[] = [];
  for (let i = 0; i <= binCount; i++) quantiles.push(quantileOfCounts(reference, i / binCount));

  const edges: number[] = [];
  for (let i = 0; i < quantiles.length; i++) {
    const value = quantiles[i]!;
    if (i > 0 && quantiles[i - 1] === value) continue;
    edges.push(value);
    const isRepeated = quantiles[i + 1] === value;
    const successor = isRepeated ? nextValueAbove(reference, value) : undefined;
    const nextEdge = quantiles.find((candidate) => candidate > value);
    if (successor !== undefined && nextEdge !== undefined && successor < nextEdge) edges.push(successor);
  }
  if (edges.length === 1) edges.push(edges[0]!);
  return { defined: true, edges };
}

/**
 * Computes binCount equal-width bin edges from the reference minimum to the reference maximum.
 * A constant reference gives the edges [v, v]. Undefined when the reference has no finite values.
 */
export function referenceEqualWidthEdges(pooled: PooledValueCounts, binCount: number = defaultBinCount): EdgesResult {
  validateBinCount(binCount);
  const reference = referenceValues(pooled);
  if (reference.total === 0) return { defined: false, reason: 'the reference sample has no finite values to bin' };

  const minimum = reference.values[0]!;
  const maximum = reference.values[reference.values.length - 1]!;
  if (minimum === maximum) return { defined: true, edges: [minimum, maximum] };

  const width = (maximum - minimum) / binCount;
  const edges = [minimum];
  for (let i = 1; i < binCount; i++) edges.push(minimum + i * width);
  edges.push(maximum);
  return { defined: true, edges };
}

/**
 * Counts the pooled values of both samples into the bins of `edges`, following the convention
 * of `BinnedCounts`: bin i contains [edges[i], edges[i + 1]), the last bin is closed, and finite
 * values outside the edges go to `below` and `above`. For data that is already in memory; the
 * data layer computes the same counts in SQL for large files.
 */
export function binPooledValues(pooled: PooledValueCounts, edges: readonly number[]): { reference: BinnedCounts; current: BinnedCounts } {
  validateEdges(edges);
  const referenceCounts = new Array<number>(edges.length - 1).fill(0);
  const currentCounts = new Array<number>(edges.length - 1).fill(0);
  let referenceBelow = 0;
  let referenceAbove = 0;
  let currentBelow = 0;
  let currentAbove = 0;

  for (let i = 0; i < pooled.values.length; i++) {
    const value = pooled.values[i]!;
    const referenceCount = pooled.referenceCounts[i]!;
    const currentCount = pooled.currentCounts[i]!;
    const bin = binIndex(edges, value);
    if (bin === 'below') {
      referenceBelow += referenceCount;
      currentBelow += currentCount;
    } else if (bin === 'above') {
      referenceAbove += referenceCount;
      currentAbove += currentCount;
    } else {
      referenceCounts[bin] = referenceCounts[bin]! + referenceCount;
      currentCounts[bin] = currentCounts[bin]! + currentCount;
    }
  }

  return {
    reference: { edges: [...edges], counts: referenceCounts, below: referenceBelow, above: referenceAbove, excluded: pooled.reference },
    current: { edges: [...edges], counts: currentCounts, below: currentBelow, above: currentAbove, excluded: pooled.current },
  };
}

/**
 * Returns the counts of `binned` with one bin below the edges first and one bin above them
 * last. Infinite values count as outside the range: -Infinity in the bin below and +Infinity
 * in the bin above. Missing values and NaN are left out (data quality reports them).
 */
export function binsWithOutsideRange(binned: BinnedCounts): number[] {
  return [binned.below + binned.excluded.negativeInfinity, ...binned.counts, binned.above + binned.excluded.positiveInfinity];
}

/**
 * Aligns the binned counts of both samples into count vectors, with the bins below and above
 * the edges of `binsWithOutsideRange`. Throws a RangeError when the two were binned on
 * different edges, because their bins would then describe different ranges.
 */
export function alignBinnedCounts(reference: BinnedCounts, current: BinnedCounts): AlignedCounts {
  if (!haveSameEdges(reference.edges, current.edges)) {
    throw new RangeError(
      `Binned counts must share their edges to be compared, received ${reference.edges.length} reference edges [${reference.edges.join(', ')}] and ${current.edges.length} current edges [${current.edges.join(', ')}]; bin both samples on the reference edges`,
    );
  }
  const edges = reference.edges;
  const labels = [`< ${edges[0]}`];
  for (let i = 0; i < edges.length - 1; i++) {
    const isLast = i === edges.length - 2;
    labels.push(`[${edges[i]}, ${edges[i + 1]}${isLast ? ']' : ')'}`);
  }
  labels.push(`> ${edges[edges.length - 1]}`);

  const warnings: string[] = [];
  const infinite = (excluded: ExcludedCounts) => excluded.positiveInfinity + excluded.negativeInfinity;
  if (infinite(reference.excluded) + infinite(current.excluded) > 0) {
    warnings.push(
      `${infinite(reference.excluded)} reference and ${infinite(current.excluded)} current values are infinite; they count in the bins below and above the edges`,
    );
  }
  return { labels, reference: binsWithOutsideRange(reference), current: binsWithOutsideRange(current), otherCategories: 0, warnings };
}

export interface CategoryAlignmentOptions {
  /** Categories that keep a bin of their own; the rest share the "other" bin. Default 100. */
  readonly maxCategories?: number;
  /** Whether missing values form a category of their own (`(missing)`) instead of being left out. Default false. */
  readonly missingAsCategory?: boolean;
}

/**
 * Reduces two category counts to the categories that keep their own bin and one "other"
 * category that contains the rest, as described in the file header. Tests over
 * `CategoryCounts` (chi-square, G-test) then see the same bins as the distances. Categories
 * are ranked by reference share plus current share, ties by name. `otherKey` is the key of
 * the "other" category, `(other)` unless a real category already has that name, and null when
 * every category kept its bin. Missing values are a category of their own only with
 * `missingAsCategory`, and are otherwise left out of the counts.
 */
export function topCategoriesWithOther(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: CategoryAlignmentOptions = {},
): { reference: CategoryCounts; current: CategoryCounts; categories: string[]; otherKey: string | null; otherCategories: number } {
  const maxCategories = options.maxCategories ?? defaultMaxCategories;
  if (!Number.isInteger(maxCategories) || maxCategories < 1) {
    throw new RangeError(`maxCategories must be an integer >= 1, received ${maxCategories}`);
  }
  const missingKey = options.missingAsCategory === true ? unusedKey('(missing)', new Set([...reference.counts.keys(), ...current.counts.keys()])) : null;
  const referenceMap = withMissing(reference, missingKey);
  const currentMap = withMissing(current, missingKey);
  const referenceTotal = totalOf(referenceMap);
  const currentTotal = totalOf(currentMap);
  const share = (counts: ReadonlyMap<string, number>, total: number, category: string) => (total === 0 ? 0 : (counts.get(category) ?? 0) / total);

  const union = [...new Set([...referenceMap.keys(), ...currentMap.keys()])];
  const combined = new Map(union.map((category) => [category, share(referenceMap, referenceTotal, category) + share(currentMap, currentTotal, category)]));
  union.sort((a, b) => combined.get(b)! - combined.get(a)! || compareCodeUnits(a, b));

  if (union.length <= maxCategories) {
    return { reference: { counts: referenceMap, missing: 0 }, current: { counts: currentMap, missing: 0 }, categories: union, otherKey: null, otherCategories: 0 };
  }

  const kept = union.slice(0, maxCategories);
  const otherKey = unusedKey('(other)', new Set(union));
  const lump = (counts: ReadonlyMap<string, number>): Map<string, number> => {
    const lumped = new Map<string, number>();
    for (const category of kept) if (counts.has(category)) lumped.set(category, counts.get(category)!);
    let other = 0;
    for (const [category, count] of counts) if (!lumped.has(category)) other += count;
    lumped.set(otherKey, other);
    return lumped;
  };
  return {
    reference: { counts: lump(referenceMap), missing: 0 },
    current: { counts: lump(currentMap), missing: 0 },
    categories: [...kept, otherKey],
    otherKey,
    otherCategories: union.length - maxCategories,
  };
}

/**
 * Aligns two category counts into count vectors with one bin per category of the union, 0
 * where a category occurs on one side only. For columns with more than `maxCategories`
 * categories, the bins are the kept categories plus one "other" bin, last.
 */
export function alignCategoryCounts(reference: CategoryCounts, current: CategoryCounts, options: CategoryAlignmentOptions = {}): AlignedCounts {
  const reduced = topCategoriesWithOther(reference, current, options);
  const warnings =
    reduced.otherCategories > 0
      ? [`${reduced.otherCategories} categories beyond the ${reduced.categories.length - 1} largest share one bin, ${reduced.otherKey}`]
      : [];
  return {
    labels: reduced.categories,
    reference: reduced.categories.map((category) => reduced.reference.counts.get(category) ?? 0),
    current: reduced.categories.map((category) => reduced.current.counts.get(category) ?? 0),
    otherCategories: reduced.otherCategories,
    warnings,
  };
}

/**
 * Turns pooled numeric values into category counts keyed by the number's decimal form, for a
 * numerical column with so few distinct values that it is tested as categorical.
 */
export function categoryCountsFromPooled(pooled: PooledValueCounts): { reference: CategoryCounts; current: CategoryCounts } {
  const reference = new Map<string, number>();
  const current = new Map<string, number>();
  for (let i = 0; i < pooled.values.length; i++) {
    const key = String(pooled.values[i]);
    if (pooled.referenceCounts[i]! > 0) reference.set(key, pooled.referenceCounts[i]!);
    if (pooled.currentCounts[i]! > 0) current.set(key, pooled.currentCounts[i]!);
  }
  return { reference: { counts: reference, missing: pooled.reference.missing }, current: { counts: current, missing: pooled.current.missing } };
}

interface WeightedValues {
  /** Distinct values with a reference count above 0, ascending. */
  readonly values: number[];
  /** Cumulative reference counts: `cumulative[i]` values are <= `values[i]`. */
  readonly cumulative: number[];
  readonly total: number;
}

function referenceValues(pooled: PooledValueCounts): WeightedValues {
  const values: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < pooled.values.length; i++) {
    const count = pooled.referenceCounts[i]!;
    if (count <= 0) continue;
    total += count;
    values.push(pooled.values[i]!);
    cumulative.push(total);
  }
  return { values, cumulative, total };
}

/**
 * Computes the quantile at `probability` with linear interpolation between order statistics
 * 0 .. total - 1. Like numpy, it interpolates from the upper neighbour when the fraction is 0.5 or more, so the
 * result never leaves [lower, upper] through rounding.
 */
function quantileOfCounts(sample: WeightedValues, probability: number): number {
  const position = (sample.total - 1) * probability;
  const lowerRank = Math.floor(position);
  const fraction = position - lowerRank;
  const lower = valueAtRank(sample, lowerRank);
  if (fraction === 0) return lower;
  const upper = valueAtRank(sample, lowerRank + 1);
  const difference = upper - lower;
  return fraction < 0.5 ? lower + fraction * difference : upper - difference * (1 - fraction);
}

/** Finds the order statistic of 0-based rank `rank` by binary search over the cumulative counts. */
function valueAtRank(sample: WeightedValues, rank: number): number {
  let low = 0;
  let high = sample.values.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sample.cumulative[middle]! > rank) high = middle;
    else low = middle + 1;
  }
  return sample.values[low]!;
}

function nextValueAbove(sample: WeightedValues, value: number): number | undefined {
  return sample.values.find((candidate) => candidate > value);
}

function binIndex(edges: readonly number[], value: number): number | 'below' | 'above' {
  const last = edges.length - 1;
  if (value < edges[0]!) return 'below';
  if (value > edges[last]!) return 'above';
  if (value === edges[last]) return last - 1;

  let low = 0;
  let high = last - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (edges[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

function haveSameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((edge, index) => edge === b[index]);
}

function validateBinCount(binCount: number): void {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`binCount must be an integer >= 1, received ${binCount}`);
}

function validateEdges(edges: readonly number[]): void {
  const isSingleClosedBin = edges.length === 2 && edges[0] === edges[1];
  const isIncreasing = edges.every((edge, index) => Number.isFinite(edge) && (index === 0 || edge > edges[index - 1]!));
  if (edges.length < 2 || !(isIncreasing || (isSingleClosedBin && Number.isFinite(edges[0]!)))) {
    throw new RangeError(`Bin edges must be at least 2 finite numbers in increasing order (or [v, v] for one closed bin), received [${edges.join(', ')}]`);
  }
}

function withMissing(counts: CategoryCounts, missingKey: string | null): Map<string, number> {
  const result = new Map(counts.counts);
  if (missingKey !== null && counts.missing > 0) result.set(missingKey, counts.missing);
  return result;
}

function totalOf(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/** Returns `base`, or `base` followed by `*` as often as needed to differ from every name in `taken`. */
function unusedKey(base: string, taken: ReadonlySet<string>): string {
  let key = base;
  while (taken.has(key)) key += '*';
  return key;
}

/** Orders strings by UTF-16 code units, the same in every locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
