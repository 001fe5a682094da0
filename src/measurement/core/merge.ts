import type {
  BinnedCounts,
  CategoryCounts,
  ConfusionCounts,
  ExcludedCounts,
  GroupConfusion,
  GroupedConfusion,
  MulticlassConfusion,
  PooledValueCounts,
  RegressionSums,
  ScoreLabelCounts,
} from './aggregates.js';

/**
 * Merge functions for the aggregates of aggregates.ts. Each takes the aggregates of two
 * disjoint parts of the data (time windows, servers, file chunks) and returns the aggregate of
 * both parts together, so that merging the halves of a dataset gives what aggregating the
 * whole would. The inputs are not changed. Aggregates that cannot be merged (binned counts on
 * different edges, grouped counts over different attributes) raise a RangeError with the cause.
 */

export function mergeConfusionCounts(a: ConfusionCounts, b: ConfusionCounts): ConfusionCounts {
  return {
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    trueNegatives: a.trueNegatives + b.trueNegatives,
    falseNegatives: a.falseNegatives + b.falseNegatives,
  };
}

export function mergeExcludedCounts(a: ExcludedCounts, b: ExcludedCounts): ExcludedCounts {
  return {
    missing: a.missing + b.missing,
    positiveInfinity: a.positiveInfinity + b.positiveInfinity,
    negativeInfinity: a.negativeInfinity + b.negativeInfinity,
    notANumber: a.notANumber + b.notANumber,
  };
}

/**
 * Merges grouped confusion counts by group key, adding the counts of groups present in both.
 * Groups keep the order of `a`, followed by the groups found only in `b`. Both must group by
 * the same attributes in the same order.
 */
export function mergeGroupedConfusion(a: GroupedConfusion, b: GroupedConfusion): GroupedConfusion {
  const sameAttributes = a.attributes.length === b.attributes.length && a.attributes.every((attribute, index) => attribute === b.attributes[index]);
  if (!sameAttributes) {
    throw new RangeError(
      `Grouped confusion counts must group by the same attributes to be merged, received [${a.attributes.join(', ')}] and [${b.attributes.join(', ')}]; compute both with the same sensitive attributes in the same order`,
    );
  }

  const merged = new Map<string, GroupConfusion>();
  for (const group of [...a.groups, ...b.groups]) {
    const id = JSON.stringify(group.key);
    const existing = merged.get(id);
    merged.set(id, existing === undefined ? { key: [...group.key], counts: { ...group.counts } } : { key: existing.key, counts: mergeConfusionCounts(existing.counts, group.counts) });
  }
  return { attributes: [...a.attributes], groups: [...merged.values()] };
}

/** Merges two pooled value counts: the sorted distinct values of both, with the counts of equal values added. */
export function mergePooledValueCounts(a: PooledValueCounts, b: PooledValueCounts): PooledValueCounts {
  const merged = mergeSortedColumns('pooled values', a.values, [a.referenceCounts, a.currentCounts], b.values, [b.referenceCounts, b.currentCounts]);
  return {
    values: merged.keys,
    referenceCounts: merged.columns[0]!,
    currentCounts: merged.columns[1]!,
    reference: mergeExcludedCounts(a.reference, b.reference),
    current: mergeExcludedCounts(a.current, b.current),
  };
}

/** Merges two binned counts computed on the same edges; throws a RangeError when the edges differ. */
export function mergeBinnedCounts(a: BinnedCounts, b: BinnedCounts): BinnedCounts {
  const sameEdges = a.edges.length === b.edges.length && a.edges.every((edge, index) => edge === b.edges[index]);
  if (!sameEdges) {
    throw new RangeError(
      `Binned counts must have the same edges to be merged, received ${a.edges.length} edges [${a.edges.join(', ')}] and ${b.edges.length} edges [${b.edges.join(', ')}]; bin every part on one set of edges, for example the reference quantiles`,
    );
  }
  return {
    edges: [...a.edges],
    counts: a.counts.map((count, index) => count + b.counts[index]!),
    below: a.below + b.below,
    above: a.above + b.above,
    excluded: mergeExcludedCounts(a.excluded, b.excluded),
  };
}

/** Merges two category counts, adding the counts of categories present in both. */
export function mergeCategoryCounts(a: CategoryCounts, b: CategoryCounts): CategoryCounts {
  const counts = new Map(a.counts);
  for (const [category, count] of b.counts) counts.set(category, (counts.get(category) ?? 0) + count);
  return { counts, missing: a.missing + b.missing };
}

/** Merges two score-label counts: the sorted distinct scores of both, with the positives and negatives of equal scores added. */
export function mergeScoreLabelCounts(a: ScoreLabelCounts, b: ScoreLabelCounts): ScoreLabelCounts {
  const merged = mergeSortedColumns('scores', a.scores, [a.positives, a.negatives], b.scores, [b.positives, b.negatives]);
  return { scores: merged.keys, positives: merged.columns[0]!, negatives: merged.columns[1]! };
}

export function mergeRegressionSums(a: RegressionSums, b: RegressionSums): RegressionSums {
  return {
    count: a.count + b.count,
    sumAbsoluteError: a.sumAbsoluteError + b.sumAbsoluteError,
    sumSquaredError: a.sumSquaredError + b.sumSquaredError,
    sumAbsolutePercentage: a.sumAbsolutePercentage + b.sumAbsolutePercentage,
    zeroTruthCount: a.zeroTruthCount + b.zeroTruthCount,
    sumTruth: a.sumTruth + b.sumTruth,
    sumSquaredTruth: a.sumSquaredTruth + b.sumSquaredTruth,
  };
}

/**
 * Merges two multiclass confusion matrices over the union of their labels: the labels of `a`
 * in their order, then the labels found only in `b`. A label missing from one part has zero
 * counts there.
 */
export function mergeMulticlassConfusion(a: MulticlassConfusion, b: MulticlassConfusion): MulticlassConfusion {
  validateSquare('first', a);
  validateSquare('second', b);
  const labels = [...a.labels, ...b.labels.filter((label) => !a.labels.includes(label))];
  const position = new Map(labels.map((label, index) => [label, index]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));

  for (const part of [a, b]) {
    part.labels.forEach((actual, i) => {
      const row = matrix[position.get(actual)!]!;
      part.labels.forEach((predicted, j) => {
        const column = position.get(predicted)!;
        row[column] = row[column]! + part.matrix[i]![j]!;
      });
    });
  }
  return { labels, matrix };
}

/**
 * Merges two ascending key columns, each with parallel count columns, into one ascending
 * column of distinct keys; counts of equal keys are added. Throws a RangeError when an input
 * is not strictly ascending, since a merge of unsorted input would silently misalign.
 */
function mergeSortedColumns(
  name: string,
  aKeys: Float64Array,
  aColumns: readonly Float64Array[],
  bKeys: Float64Array,
  bColumns: readonly Float64Array[],
): { keys: Float64Array; columns: Float64Array[] } {
  validateAscending(`first ${name}`, aKeys);
  validateAscending(`second ${name}`, bKeys);
  for (const [part, keys, partColumns] of [['first', aKeys, aColumns], ['second', bKeys, bColumns]] as const) {
    const index = partColumns.findIndex((column) => column.length !== keys.length);
    if (index >= 0) throw new RangeError(`The ${part} ${name} have ${keys.length} entries but count column ${index} has ${partColumns[index]!.length}; each count column needs one entry per value`);
  }
  const keys: number[] = [];
  const columns = aColumns.map(() => [] as number[]);
  let i = 0;
  let j = 0;

  while (i < aKeys.length || j < bKeys.length) {
    const aKey = i < aKeys.length ? aKeys[i]! : Infinity;
    const bKey = j < bKeys.length ? bKeys[j]! : Infinity;
    const takeA = i < aKeys.length && (j >= bKeys.length || aKey <= bKey);
    const takeB = j < bKeys.length && (i >= aKeys.length || bKey <= aKey);
    keys.push(takeA ? aKey : bKey);
    columns.forEach((column, c) => column.push((takeA ? aColumns[c]![i]! : 0) + (takeB ? bColumns[c]![j]! : 0)));
    if (takeA) i++;
    if (takeB) j++;
  }
  return { keys: Float64Array.from(keys), columns: columns.map((column) => Float64Array.from(column)) };
}

function validateAscending(name: string, keys: Float64Array): void {
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i]! > keys[i - 1]!)) {
      throw new RangeError(`The ${name} must be distinct and in ascending order, received ${keys[i - 1]} then ${keys[i]} at index ${i}`);
    }
  }
}

function validateSquare(name: string, confusion: MulticlassConfusion): void {
  const size = confusion.labels.length;
  if (new Set(confusion.labels).size !== size) throw new RangeError(`The ${name} confusion matrix has duplicate labels: [${confusion.labels.join(', ')}]`);
  if (confusion.matrix.length !== size || confusion.matrix.some((row) => row.length !== size)) {
    throw new RangeError(`The ${name} confusion matrix must be ${size} x ${size}, one row and one column per label`);
  }
}
