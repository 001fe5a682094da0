import type { BinnedCounts, CategoryCounts } from '../core/aggregates.js';
import { alignBinnedCounts, defaultBinCount } from '../core/drift/binning.js';
import { distanceSizeLimit, driftTestForColumn, type DriftTestChoice, type DriftTestOverride } from '../core/drift/default-test.js';
import {
  combinedDistinctCount,
  compareCategoryColumns,
  compareCategoryCounts,
  compareNumericColumns,
  ensureSameScale,
  numericDriftSummaries,
  scanForDrift,
  type CategoryComparison,
  type DataEngine,
  type DataSet,
  type DriftScan,
  type NumericDriftSummary,
  type NumericScanResult,
} from '../data/index.js';
import {
  binKey,
  binsOfColumns,
  CategoricalColumnData,
  largeSampleSummary,
  NumericColumnData,
  recountFromFiles,
  type AlignedOutcome,
  type ColumnData,
  type ColumnRecount,
  type DriftSource,
  type NumericAggregate,
  type NumericCounts,
  type SampleSizes,
} from './drift-column-data.js';
import { driftColumnType, type ColumnPair } from './drift-columns.js';
import { exactQuantileLimit, scanReference, type ReferenceAggregates } from './drift-reference.js';

/** The settings of a drift measurement that decide what is read for each column. */
export interface CollectSettings {
  readonly maxCategories: number;
  readonly pooledLimit: number;
  readonly overrides: Readonly<Record<string, DriftTestOverride>>;
}

/**
 * Yields the aggregates of each column. All numerical columns are counted first, in one scan
 * over both samples. A large column (see `isLargeSample`) whose test needs no values is then
 * binned in SQL together with the other large columns, without fetching a value. Every other
 * numerical column is fetched as before; the next one is fetched while the caller computes the
 * tests of the current one, so that DuckDB's scan overlaps the JavaScript work, and at most two
 * columns' pooled values are in memory at a time. Categorical columns are counted in one query
 * over both samples.
 */
export async function* collectColumns(source: DriftSource, pairs: readonly ColumnPair[], settings: CollectSettings): AsyncGenerator<ColumnData> {
  const numerical = pairs.filter((pair) => driftColumnType(pair.reference) === 'numerical');
  const summaries = await numericDriftSummaries(source.engine, source.reference, source.current, numerical.map((pair) => pair.column));
  const large: { pair: ColumnPair; counts: NumericCounts; choice: DriftTestChoice }[] = [];
  const fetched: ColumnPair[] = [];
  for (const pair of numerical) {
    const summary = summaries.get(pair.column) as NumericDriftSummary;
    const counts: NumericCounts = {
      sizes: { reference: summary.reference.finite, current: summary.current.finite },
      excluded: { reference: summary.reference.excluded, current: summary.current.excluded },
      distinctCount: summary.distinctCount,
      distinctIsExact: summary.distinctIsExact,
    };
    const choice = driftTestForColumn({ columnType: 'numerical', referenceSize: counts.sizes.reference, currentSize: counts.sizes.current, distinctCount: counts.distinctCount }, settings.overrides[pair.column] ?? {});
    if (isLargeSample(counts.sizes) && choice.input !== 'values') large.push({ pair, counts, choice });
    else fetched.push(pair);
  }

  const requests = large
    .filter((entry) => entry.choice.binning !== null)
    .map((entry) => ({ column: entry.pair.column, ...(entry.choice.binning as NonNullable<DriftTestChoice['binning']>), approximate: entry.counts.sizes.reference > exactQuantileLimit, excluded: entry.counts.excluded }));
  const bins = await binsOfColumns(source, requests);
  for (const { pair, counts } of large) {
    const request = requests.find((candidate) => candidate.column === pair.column);
    const known = request === undefined ? new Map<string, AlignedOutcome>() : new Map([[binKey(request.method, request.binCount), bins.get(pair.column) as AlignedOutcome]]);
    yield new NumericColumnData(recountFromFiles(source, pair.column), pair.column, { kind: 'counts', counts, bins: known, fetchValues: () => collectValues(source, pair.column, settings.pooledLimit) });
  }

  let next: Promise<NumericColumnData> | null = fetched.length > 0 ? collectNumeric(source, (fetched[0] as ColumnPair).column, settings.pooledLimit) : null;
  for (let index = 0; index < fetched.length; index++) {
    const data = await (next as Promise<NumericColumnData>);
    next = index + 1 < fetched.length ? collectNumeric(source, (fetched[index + 1] as ColumnPair).column, settings.pooledLimit) : null;
    // A failure of the prefetch is raised where it is awaited, not as an unhandled rejection.
    next?.catch(() => undefined);
    yield data;
  }

  const categorical = pairs.filter((candidate) => driftColumnType(candidate.reference) === 'categorical');
  const comparisons = await compareCategoryColumns(source.engine, source.reference, source.current, categorical.map((pair) => pair.column), { topK: settings.maxCategories });
  for (const pair of categorical) {
    yield new CategoricalColumnData(recountFromFiles(source, pair.column), pair.column, comparisons.get(pair.column) as CategoryComparison, settings.maxCategories);
  }
}

/**
 * A numerical column is large when its smaller sample is above the size at which the default
 * test turns from KS to Jensen-Shannon on reference-quantile bins (`distanceSizeLimit` of the
 * default 10 bins, 1,000 values). Such a column is tested on counts and bins from SQL, unless
 * its test (an override) needs the values.
 */
function isLargeSample(sizes: SampleSizes): boolean {
  return Math.min(sizes.reference, sizes.current) > distanceSizeLimit(defaultBinCount);
}

async function collectNumeric(source: DriftSource, column: string, pooledLimit: number): Promise<NumericColumnData> {
  return new NumericColumnData(recountFromFiles(source, column), column, { kind: 'values', aggregate: await collectValues(source, column, pooledLimit) });
}

async function collectValues(source: DriftSource, column: string, pooledLimit: number): Promise<NumericAggregate> {
  const [comparison] = await compareNumericColumns(source.engine, source.reference, source.current, [column], { pooledLimit });
  if (comparison === undefined) throw new Error(`The data layer returned no comparison for column "${column}"`);
  if (comparison.kind === 'pooled') return { kind: 'pooled', pooled: comparison.pooled };
  return { kind: 'large', distance: comparison.distance, summary: await largeSampleSummary(source, column) };
}


/** Facts a collection learns on the way that the measurement reports, so that it need not scan again for them. */
export interface CollectedFacts {
  /** Rows of the current file, when a scan counted them. */
  currentRows: number | null;
}

/**
 * Yields the aggregates of each column when the current file is read where it lies instead of
 * being loaded into a table. The reference table is scanned for its counts, category counts and
 * bin edges (`scanReference`), and the current file is then parsed once (`collectAgainstReference`).
 */
export async function* collectStreamedColumns(source: DriftSource, pairs: readonly ColumnPair[], settings: CollectSettings, facts: CollectedFacts): AsyncGenerator<ColumnData> {
  const numerical = pairs.filter((pair) => driftColumnType(pair.reference) === 'numerical').map((pair) => pair.column);
  const categorical = pairs.filter((pair) => driftColumnType(pair.reference) === 'categorical').map((pair) => pair.column);
  for (const name of numerical) ensureSameScale(source.reference, source.current, name);

  const reference = await scanReference(source, numerical, categorical, settings.overrides);
  yield* collectAgainstReference(source.engine, source.current, reference, { numerical, categorical }, settings, facts, {
    valuesOf: (column) => collectValues(source, column, settings.pooledLimit),
    recountOf: (column) => recountFromFiles(source, column),
    recounts: true,
    storesValues: () => true,
    noValuesReason: '',
  });
}

/** The sources a collection against reference aggregates turns to for what the aggregates do not contain. */
export interface ReferenceFallback {
  /**
   * Returns the pooled values of both samples (or KS D and Wasserstein from SQL) for a column
   * whose test needs them. `purpose` names that test for an error message.
   */
  valuesOf(column: string, currentScan: DriftScan, purpose: string): Promise<NumericAggregate>;
  /** Returns how a column gets other bins or category counts. */
  recountOf(column: string, currentScan: DriftScan): ColumnRecount;
  /** Whether `recountOf` counts other bins and categories in the files, or can only reuse the aggregates. */
  readonly recounts: boolean;
  /** Whether `valuesOf` can return a column's values. */
  storesValues(column: string): boolean;
  /** The reason a measure on values is skipped for a column whose values are not at hand. */
  readonly noValuesReason: string;
}

/**
 * Yields the aggregates of each column from reference aggregates and one parse of the current
 * data set, which counts, bins (on the reference edges) and categorizes every column. The
 * distinct count over both samples comes from the HyperLogLog states of the two. A column with at
 * most `exactDistinctLimit` distinct reference values gets an exact count from the values of both
 * samples instead, unless the current sample has more than `valueCountLimit` distinct values.
 * A numerical column whose test turns out to need other bins than the reference's, or its values,
 * gets them from `fallback`, as does a small column.
 */
export async function* collectAgainstReference(
  engine: DataEngine,
  current: DataSet,
  reference: ReferenceAggregates,
  columns: { readonly numerical: readonly string[]; readonly categorical: readonly string[] },
  settings: CollectSettings,
  facts: CollectedFacts,
  fallback: ReferenceFallback,
): AsyncGenerator<ColumnData> {
  const { numerical, categorical } = columns;
  const currentScan = await scanForDrift(engine, current, {
    numerical: numerical.map((column) => ({ column, edges: reference.edges.get(column), valueCounts: reference.valueCounts.has(column) })),
    categorical,
  });
  facts.currentRows = currentScan.rowCount;

  const fetched: { column: string; purpose: string }[] = [];
  for (const column of numerical) {
    const referenceResult = reference.numerical.get(column) as NumericScanResult;
    const currentResult = currentScan.numerical.get(column) as NumericScanResult;
    const referenceValues = reference.valueCounts.get(column);
    const exactDistinct = referenceValues !== undefined && currentResult.valueCounts !== null ? new Set([...referenceValues.keys(), ...currentResult.valueCounts.keys()]).size : null;
    const counts: NumericCounts = {
      sizes: { reference: referenceResult.summary.finite, current: currentResult.summary.finite },
      excluded: { reference: referenceResult.summary.excluded, current: currentResult.summary.excluded },
      distinctCount: exactDistinct ?? combinedDistinctCount(referenceResult, currentResult),
      distinctIsExact: exactDistinct !== null,
    };
    const choice = driftTestForColumn({ columnType: 'numerical', referenceSize: counts.sizes.reference, currentSize: counts.sizes.current, distinctCount: counts.distinctCount }, settings.overrides[column] ?? {});
    const known = new Map<string, AlignedOutcome>();
    const request = reference.binRequests.find((candidate) => candidate.column === column);
    if (request !== undefined && choice.binning !== null && binKey(request.method, request.binCount) === binKey(choice.binning.method, choice.binning.binCount)) {
      const columnEdges = reference.edges.get(column);
      const outcome: AlignedOutcome =
        columnEdges === undefined || currentResult.bins === null
          ? (reference.binOutcomes.get(column) as AlignedOutcome)
          : { defined: true, aligned: alignBinnedCounts(reference.bins.get(column) as BinnedCounts, currentResult.bins), edges: columnEdges };
      known.set(binKey(request.method, request.binCount), outcome);
    }
    const valueCounts =
      referenceValues !== undefined && currentResult.valueCounts !== null
        ? { reference: valueCategories(referenceValues, counts.excluded.reference.missing), current: valueCategories(currentResult.valueCounts, counts.excluded.current.missing) }
        : undefined;

    const valuesAtHand = fallback.storesValues(column);
    // Without a recount, the test must find its bins or categories in the aggregates, or else use the values.
    const aggregatesServe = fallback.recounts || (choice.input === 'bins' && known.size > 0) || (choice.input === 'categories' && valueCounts !== undefined);
    if (choice.input === 'values' || (valuesAtHand && (!isLargeSample(counts.sizes) || !aggregatesServe))) {
      fetched.push({ column, purpose: `its ${choice.test} test (${choice.reason})` });
      continue;
    }

    const recount = fallback.recountOf(column, currentScan);
    const valuesSkipReason = valuesAtHand ? undefined : fallback.noValuesReason;
    yield new NumericColumnData(recount, column, { kind: 'counts', counts, bins: known, fetchValues: () => fallback.valuesOf(column, currentScan, 'a test on values (KS, Anderson-Darling or Wasserstein)'), valueCounts, valuesSkipReason });
  }

  for (const { column, purpose } of fetched) {
    yield new NumericColumnData(fallback.recountOf(column, currentScan), column, { kind: 'values', aggregate: await fallback.valuesOf(column, currentScan, purpose) });
  }

  for (const column of categorical) {
    const referenceCounts = reference.categories.get(column) as CategoryCounts;
    const currentCounts = currentScan.categorical.get(column) as CategoryCounts;
    yield new CategoricalColumnData(fallback.recountOf(column, currentScan), column, compareCategoryCounts(column, referenceCounts, currentCounts, settings.maxCategories), settings.maxCategories);
  }
}

/** Category counts keyed by each value's decimal form, as a small numerical column's pooled values give them. */
function valueCategories(counts: ReadonlyMap<number, number>, missing: number): CategoryCounts {
  const sorted = [...counts].sort(([left], [right]) => left - right);
  return { counts: new Map(sorted.map(([value, count]) => [String(value), count])), missing };
}
