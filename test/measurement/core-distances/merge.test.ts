import { describe, expect, it } from 'vitest';
import type {
  BinnedCounts,
  CategoryCounts,
  ConfusionCounts,
  ExcludedCounts,
  GroupedConfusion,
  MulticlassConfusion,
  PooledValueCounts,
  RegressionSums,
  ScoreLabelCounts,
} from '../../../src/measurement/core/aggregates.js';
import {
  mergeBinnedCounts,
  mergeCategoryCounts,
  mergeConfusionCounts,
  mergeGroupedConfusion,
  mergeMulticlassConfusion,
  mergePooledValueCounts,
  mergeRegressionSums,
  mergeScoreLabelCounts,
} from '../../../src/measurement/core/merge.js';

interface Row {
  readonly actual: 0 | 1;
  readonly predicted: 0 | 1;
  readonly score: number;
  readonly sex: string | null;
  readonly band: string;
  readonly sample: 'reference' | 'current';
  readonly value: number | null;
  readonly category: string | null;
  readonly actualClass: string;
  readonly predictedClass: string;
  readonly truth: number;
  readonly estimate: number;
}

/** Rows from a fixed linear congruential generator, so every run gets the same data. */
function makeRows(count: number): Row[] {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(options: readonly T[]): T => options[Math.floor(next() * options.length)]!;
  // About 5 % missing, 2 % +Infinity and 1 % NaN; the rest quarters from 0 to 10.
  const nextValue = (): number | null => {
    const draw = next();
    if (draw < 0.05) return null;
    if (draw < 0.07) return Number.POSITIVE_INFINITY;
    if (draw < 0.08) return Number.NaN;
    return Math.round(next() * 40) / 4;
  };
  return Array.from({ length: count }, () => {
    const value = nextValue();
    return {
      actual: next() < 0.4 ? 1 : 0,
      predicted: next() < 0.45 ? 1 : 0,
      score: Math.round(next() * 20) / 20,
      sex: pick(['f', 'm', null]),
      band: pick(['young', 'middle', 'old']),
      sample: next() < 0.5 ? 'reference' : 'current',
      value,
      category: pick(['red', 'green', 'blue', 'violet', null]),
      actualClass: pick(['cat', 'dog', 'bird']),
      predictedClass: pick(['cat', 'dog', 'bird', 'fish']),
      truth: pick([0, 1.5, 2, 10]),
      estimate: Math.round(next() * 100) / 10,
    };
  });
}

const rows = makeRows(2000);
const halves = [rows.slice(0, 700), rows.slice(700)] as const;

function confusionOf(part: readonly Row[]): ConfusionCounts {
  const count = (actual: number, predicted: number) => part.filter((row) => row.actual === actual && row.predicted === predicted).length;
  return { truePositives: count(1, 1), falsePositives: count(0, 1), trueNegatives: count(0, 0), falseNegatives: count(1, 0) };
}

function groupedOf(part: readonly Row[]): GroupedConfusion {
  const keys = [...new Set(part.map((row) => JSON.stringify([row.sex, row.band])))];
  return {
    attributes: ['sex', 'band'],
    groups: keys.map((key) => ({ key: JSON.parse(key) as (string | null)[], counts: confusionOf(part.filter((row) => JSON.stringify([row.sex, row.band]) === key)) })),
  };
}

function excludedOf(part: readonly Row[]): ExcludedCounts {
  return {
    missing: part.filter((row) => row.value === null).length,
    positiveInfinity: part.filter((row) => row.value === Number.POSITIVE_INFINITY).length,
    negativeInfinity: part.filter((row) => row.value === Number.NEGATIVE_INFINITY).length,
    notANumber: part.filter((row) => row.value !== null && Number.isNaN(row.value)).length,
  };
}

function finiteValues(part: readonly Row[]): number[] {
  return part.flatMap((row) => (row.value !== null && Number.isFinite(row.value) ? [row.value] : []));
}

function pooledOf(part: readonly Row[]): PooledValueCounts {
  const reference = part.filter((row) => row.sample === 'reference');
  const current = part.filter((row) => row.sample === 'current');
  const values = [...new Set(finiteValues(part))].sort((a, b) => a - b);
  const countIn = (sample: readonly Row[]) => Float64Array.from(values.map((value) => finiteValues(sample).filter((x) => x === value).length));
  return { values: Float64Array.from(values), referenceCounts: countIn(reference), currentCounts: countIn(current), reference: excludedOf(reference), current: excludedOf(current) };
}

function binnedOf(part: readonly Row[], edges: readonly number[]): BinnedCounts {
  const values = finiteValues(part);
  const counts = edges.slice(0, -1).map((edge, i) => values.filter((x) => x >= edge && (i === edges.length - 2 ? x <= edges[i + 1]! : x < edges[i + 1]!)).length);
  return { edges, counts, below: values.filter((x) => x < edges[0]!).length, above: values.filter((x) => x > edges[edges.length - 1]!).length, excluded: excludedOf(part) };
}

function categoriesOf(part: readonly Row[]): CategoryCounts {
  const counts = new Map<string, number>();
  for (const row of part) if (row.category !== null) counts.set(row.category, (counts.get(row.category) ?? 0) + 1);
  return { counts, missing: part.filter((row) => row.category === null).length };
}

function scoreLabelsOf(part: readonly Row[]): ScoreLabelCounts {
  const scores = [...new Set(part.map((row) => row.score))].sort((a, b) => a - b);
  const count = (actual: number) => Float64Array.from(scores.map((score) => part.filter((row) => row.score === score && row.actual === actual).length));
  return { scores: Float64Array.from(scores), positives: count(1), negatives: count(0) };
}

function regressionSumsOf(part: readonly Row[]): RegressionSums {
  const sum = (term: (row: Row) => number) => part.reduce((total, row) => total + term(row), 0);
  return {
    count: part.length,
    sumAbsoluteError: sum((row) => Math.abs(row.truth - row.estimate)),
    sumSquaredError: sum((row) => (row.truth - row.estimate) ** 2),
    sumAbsolutePercentage: sum((row) => (row.truth === 0 ? 0 : Math.abs((row.truth - row.estimate) / row.truth))),
    zeroTruthCount: part.filter((row) => row.truth === 0).length,
    sumTruth: sum((row) => row.truth),
    sumSquaredTruth: sum((row) => row.truth ** 2),
  };
}

function multiclassOf(part: readonly Row[]): MulticlassConfusion {
  const labels = [...new Set(part.flatMap((row) => [row.actualClass, row.predictedClass]))];
  return {
    labels,
    matrix: labels.map((actual) => labels.map((predicted) => part.filter((row) => row.actualClass === actual && row.predictedClass === predicted).length)),
  };
}

/** Cell counts by (actual, predicted) label pair, independent of label order; zero cells left out. */
function cellsOf(confusion: MulticlassConfusion): Record<string, number> {
  const cells: Record<string, number> = {};
  confusion.labels.forEach((actual, i) => confusion.labels.forEach((predicted, j) => {
    if (confusion.matrix[i]![j]! > 0) cells[`${actual} -> ${predicted}`] = confusion.matrix[i]![j]!;
  }));
  return cells;
}

describe('merging two halves equals the whole', () => {
  it('for confusion counts', () => {
    expect(mergeConfusionCounts(confusionOf(halves[0]), confusionOf(halves[1]))).toEqual(confusionOf(rows));
  });

  it('for grouped confusion, by key', () => {
    const merged = mergeGroupedConfusion(groupedOf(halves[0]), groupedOf(halves[1]));
    const byKey = (grouped: GroupedConfusion) => new Map(grouped.groups.map((group) => [JSON.stringify(group.key), group.counts]));
    expect(merged.attributes).toEqual(['sex', 'band']);
    expect(byKey(merged)).toEqual(byKey(groupedOf(rows)));
    expect(merged.groups.some((group) => group.key[0] === null)).toBe(true);
  });

  it('for pooled value counts', () => {
    expect(mergePooledValueCounts(pooledOf(halves[0]), pooledOf(halves[1]))).toEqual(pooledOf(rows));
  });

  it('for binned counts on equal edges', () => {
    const edges = [1, 3, 5.5, 8];
    expect(mergeBinnedCounts(binnedOf(halves[0], edges), binnedOf(halves[1], edges))).toEqual(binnedOf(rows, edges));
  });

  it('for category counts', () => {
    const merged = mergeCategoryCounts(categoriesOf(halves[0]), categoriesOf(halves[1]));
    expect(Object.fromEntries(merged.counts)).toEqual(Object.fromEntries(categoriesOf(rows).counts));
    expect(merged.missing).toBe(categoriesOf(rows).missing);
  });

  it('for score-label counts', () => {
    expect(mergeScoreLabelCounts(scoreLabelsOf(halves[0]), scoreLabelsOf(halves[1]))).toEqual(scoreLabelsOf(rows));
  });

  it('for regression sums, up to rounding', () => {
    const merged = mergeRegressionSums(regressionSumsOf(halves[0]), regressionSumsOf(halves[1]));
    const whole = regressionSumsOf(rows);
    for (const key of Object.keys(whole) as (keyof RegressionSums)[]) expect(merged[key]).toBeCloseTo(whole[key], 8);
  });

  it('for multiclass confusion over the union of labels', () => {
    const first = multiclassOf(rows.slice(0, 5));
    const second = multiclassOf(rows.slice(5));
    const merged = mergeMulticlassConfusion(first, second);
    expect(new Set(merged.labels)).toEqual(new Set(multiclassOf(rows).labels));
    expect(merged.labels.slice(0, first.labels.length)).toEqual(first.labels);
    expect(cellsOf(merged)).toEqual(cellsOf(multiclassOf(rows)));
  });
});

describe('merge rules', () => {
  it('merging leaves the inputs unchanged', () => {
    const a = categoriesOf(halves[0]);
    const before = Object.fromEntries(a.counts);
    mergeCategoryCounts(a, categoriesOf(halves[1]));
    expect(Object.fromEntries(a.counts)).toEqual(before);
  });

  it('merging with an empty part changes nothing', () => {
    const empty: PooledValueCounts = {
      values: new Float64Array(0),
      referenceCounts: new Float64Array(0),
      currentCounts: new Float64Array(0),
      reference: excludedOf([]),
      current: excludedOf([]),
    };
    expect(mergePooledValueCounts(empty, pooledOf(rows))).toEqual(pooledOf(rows));
  });

  it('binned counts on different edges are rejected', () => {
    expect(() => mergeBinnedCounts(binnedOf(halves[0], [0, 5, 10]), binnedOf(halves[1], [0, 4, 10]))).toThrow(
      'Binned counts must have the same edges to be merged, received 3 edges [0, 5, 10] and 3 edges [0, 4, 10]; bin every part on one set of edges, for example the reference quantiles',
    );
  });

  it('grouped counts over different attributes are rejected', () => {
    const other: GroupedConfusion = { attributes: ['band', 'sex'], groups: [] };
    expect(() => mergeGroupedConfusion(groupedOf(halves[0]), other)).toThrow(
      'Grouped confusion counts must group by the same attributes to be merged, received [sex, band] and [band, sex]; compute both with the same sensitive attributes in the same order',
    );
  });

  it('unsorted pooled values are rejected', () => {
    const unsorted = { ...pooledOf(halves[0]), values: Float64Array.from([2, 1]), referenceCounts: Float64Array.from([1, 1]), currentCounts: Float64Array.from([0, 0]) };
    expect(() => mergePooledValueCounts(unsorted, pooledOf(halves[1]))).toThrow('The first pooled values must be distinct and in ascending order, received 2 then 1 at index 1');
  });

  it('count columns of the wrong length are rejected', () => {
    const broken: ScoreLabelCounts = { scores: Float64Array.from([0.1, 0.2]), positives: Float64Array.from([1]), negatives: Float64Array.from([0, 1]) };
    expect(() => mergeScoreLabelCounts(broken, scoreLabelsOf(halves[1]))).toThrow('The first scores have 2 entries but count column 0 has 1; each count column needs one entry per value');
  });
});
