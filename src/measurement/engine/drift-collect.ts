import type { BinnedCounts, CategoryCounts } from '../core/aggregates.js';
import { alignBinnedCounts, defaultBinCount } from '../core/drift/binning.js';
import { distanceSizeLimit, driftTestForColumn, type DriftTestChoice, type DriftTestOverride } from '../core/drift/default-test.js';
import {
  binnedCounts,
  categoryCountsOf,
  combinedDistinctCounts,
  compareCategoryColumns,
  compareCategoryCounts,
  compareNumericColumns,
  dropDriftScan,
  ensureSameScale,
  numericDriftSummaries,
  numericValueCounts,
  scanForDrift,
  type CategoryComparison,
  type DriftScan,
  type NumericDriftSummary,
  type NumericScanResult,
} from '../data/index.js';
import { exactDistinctLimit } from '../data/numeric-drift.js';
import {
  binEdgesOfColumns,
  binKey,
  binsOfColumns,
  CategoricalColumnData,
  largeSampleSummary,
  NumericColumnData,
  type AlignedOutcome,
  type BinRequest,
  type ColumnData,
  type DriftSource,
  type NumericAggregate,
  type NumericCounts,
  type SampleSizes,
} from './drift-column-data.js';
import { driftColumnType, type ColumnPair } from './drift-columns.js';

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
    yield new NumericColumnData(source, pair.column, { kind: 'counts', counts, bins: known, fetchValues: () => collectValues(source, pair.column, settings.pooledLimit) });
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
    yield new CategoricalColumnData(source, pair.column, comparisons.get(pair.column) as CategoryComparison, settings.maxCategories);
  }
}

/**
 * Reference sizes up to which the bin edges of a large column are exact quantiles
 * (`quantile_cont`). Above it they are estimates from a sample of 100,000 values
 * (`reservoir_quantile`), which cost far less on 1,000,000 values. An estimate moves an edge
 * slightly, never the count within the edges.
 */
export const exactQuantileLimit = 100_000;

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
  return new NumericColumnData(source, column, { kind: 'values', aggregate: await collectValues(source, column, pooledLimit) });
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
 * bin edges. Then the current file is parsed once for everything that the large numerical
 * columns and all categorical columns need. The distinct count over both samples comes from the HyperLogLog
 * states of the two scans; a column with at most `exactDistinctLimit` distinct reference values
 * gets an exact count from the values of both samples instead, unless the current sample has more
 * than `valueCountLimit` distinct values. Bin edges are computed for the binning that the column's
 * test would use if the current sample were as large as the reference; a column whose test turns
 * out to need other bins, or its values, reads the current file again, as a small column does.
 */
export async function* collectStreamedColumns(source: DriftSource, pairs: readonly ColumnPair[], settings: CollectSettings, facts: CollectedFacts): AsyncGenerator<ColumnData> {
  const numerical = pairs.filter((pair) => driftColumnType(pair.reference) === 'numerical').map((pair) => pair.column);
  const categorical = pairs.filter((pair) => driftColumnType(pair.reference) === 'categorical').map((pair) => pair.column);
  for (const name of numerical) ensureSameScale(source.reference, source.current, name);

  const scans: DriftScan[] = [];
  try {
    const referenceScan = await scanForDrift(source.engine, source.reference, { numerical: numerical.map((column) => ({ column })), categorical: [] });
    scans.push(referenceScan);
    const referenceCategories = await categoryCountsOf(source.engine, source.reference, categorical);
    const few = numerical.filter((column) => (referenceScan.numerical.get(column) as NumericScanResult).distinctEstimate <= exactDistinctLimit);
    const referenceValueCounts = await numericValueCounts(source.engine, source.reference, few);

    const requests = referenceBinRequests(referenceScan, numerical, settings);
    const { edges, outcomes } = await binEdgesOfColumns(source, requests);
    const referenceBins = await binnedCounts(
      source.engine,
      source.reference,
      [...edges].map(([column, columnEdges]) => ({ column, edges: columnEdges, excluded: (referenceScan.numerical.get(column) as NumericScanResult).summary.excluded })),
    );

    const currentScan = await scanForDrift(source.engine, source.current, {
      numerical: numerical.map((column) => ({ column, edges: edges.get(column), valueCounts: referenceValueCounts.has(column) })),
      categorical,
    });
    scans.push(currentScan);
    facts.currentRows = currentScan.rowCount;
    const estimates = await combinedDistinctCounts(source.engine, referenceScan, currentScan, numerical);

    const fetched: string[] = [];
    for (const column of numerical) {
      const reference = referenceScan.numerical.get(column) as NumericScanResult;
      const current = currentScan.numerical.get(column) as NumericScanResult;
      const referenceValues = referenceValueCounts.get(column);
      const exactDistinct = referenceValues !== undefined && current.valueCounts !== null ? new Set([...referenceValues.keys(), ...current.valueCounts.keys()]).size : null;
      const counts: NumericCounts = {
        sizes: { reference: reference.summary.finite, current: current.summary.finite },
        excluded: { reference: reference.summary.excluded, current: current.summary.excluded },
        distinctCount: exactDistinct ?? (estimates.get(column) as number),
        distinctIsExact: exactDistinct !== null,
      };
      const choice = driftTestForColumn({ columnType: 'numerical', referenceSize: counts.sizes.reference, currentSize: counts.sizes.current, distinctCount: counts.distinctCount }, settings.overrides[column] ?? {});
      if (!isLargeSample(counts.sizes) || choice.input === 'values') {
        fetched.push(column);
        continue;
      }

      const known = new Map<string, AlignedOutcome>();
      const request = requests.find((candidate) => candidate.column === column);
      if (request !== undefined && choice.binning !== null && binKey(request.method, request.binCount) === binKey(choice.binning.method, choice.binning.binCount)) {
        const columnEdges = edges.get(column);
        const outcome: AlignedOutcome =
          columnEdges === undefined || current.bins === null
            ? (outcomes.get(column) as AlignedOutcome)
            : { defined: true, aligned: alignBinnedCounts(referenceBins.get(column) as BinnedCounts, current.bins), edges: columnEdges };
        known.set(binKey(request.method, request.binCount), outcome);
      }
      const valueCounts =
        referenceValues !== undefined && current.valueCounts !== null
          ? { reference: valueCategories(referenceValues, counts.excluded.reference.missing), current: valueCategories(current.valueCounts, counts.excluded.current.missing) }
          : undefined;
      yield new NumericColumnData(source, column, { kind: 'counts', counts, bins: known, fetchValues: () => collectValues(source, column, settings.pooledLimit), valueCounts });
    }

    for (const column of fetched) yield await collectNumeric(source, column, settings.pooledLimit);

    for (const column of categorical) {
      const reference = referenceCategories.get(column) as CategoryCounts;
      const current = currentScan.categorical.get(column) as CategoryCounts;
      yield new CategoricalColumnData(source, column, compareCategoryCounts(column, reference, current, settings.maxCategories), settings.maxCategories);
    }
  } finally {
    for (const scan of scans) await dropDriftScan(source.engine, scan);
  }
}

/**
 * Requests reference bins for every numerical column that may turn out large, with the binning
 * its test would use if the current sample had as many values and as many distinct ones as the
 * reference. A column tested as categories or on values gets no bins here.
 */
function referenceBinRequests(referenceScan: DriftScan, columns: readonly string[], settings: CollectSettings): BinRequest[] {
  const requests: BinRequest[] = [];
  for (const column of columns) {
    const { summary, distinctEstimate } = referenceScan.numerical.get(column) as NumericScanResult;
    if (summary.finite <= distanceSizeLimit(defaultBinCount)) continue;
    const choice: DriftTestChoice = driftTestForColumn({ columnType: 'numerical', referenceSize: summary.finite, currentSize: summary.finite, distinctCount: distinctEstimate }, settings.overrides[column] ?? {});
    if (choice.input !== 'bins' || choice.binning === null) continue;
    requests.push({ column, ...choice.binning, approximate: summary.finite > exactQuantileLimit, referenceExcluded: summary.excluded });
  }
  return requests;
}

/** Category counts keyed by each value's decimal form, as a small numerical column's pooled values give them. */
function valueCategories(counts: ReadonlyMap<number, number>, missing: number): CategoryCounts {
  const sorted = [...counts].sort(([left], [right]) => left - right);
  return { counts: new Map(sorted.map(([value, count]) => [String(value), count])), missing };
}
