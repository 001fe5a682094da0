import type { CategoryCounts, PooledValueCounts } from '../core/aggregates.js';
import { alignBinnedCounts } from '../core/drift/binning.js';
import { kolmogorovSmirnov } from '../core/drift/kolmogorov-smirnov.js';
import { wassersteinDistance } from '../core/drift/wasserstein.js';
import type { Measured } from '../core/measured.js';
import { compareCategoryCounts, fetchSortedFinite, mergeCountedSample, type DataColumn, type DataEngine, type DataSet, type DriftScan, type NumericScanResult } from '../data/index.js';
import { AppError } from '../../platform/errors.js';
import { collectAgainstReference, type CollectedFacts, type ReferenceFallback } from './drift-collect.js';
import type { ColumnRecount, NumericAggregate } from './drift-column-data.js';
import { driftColumnType, loadColumns, unloadColumns, type ColumnList, type LoadedDataSet } from './drift-columns.js';
import { assembleDrift, emptyColumnReasons, fileWarnings, measureCollectedColumns, planDrift, presentCounts, type DriftMeasurement, type DriftOptions, type PresentCounts } from './drift-measurement.js';
import { profileAggregates, profileColumnNamed, profileDataColumns, type NumericProfileColumn, type ReferenceProfile } from './drift-profile.js';
import { countRows } from './row-count.js';

/**
 * Drift of a current file from a stored reference profile (`profileReference`). Only the
 * current file is read, once where it lies, against the profile's bin edges, counts, categories
 * and distinct-value states. The result equals that of `measureDrift` against the profiled file
 * for every test on bins and categories.
 *
 * A test on values (KS, Anderson-Darling, Wasserstein) needs every reference value. It runs on a
 * column whose values the profile counts (see `profileValueLimit`), and on any other column it
 * raises VALIDATION_FAILED naming the column and the test. That includes the default KS test of
 * a column whose current sample has at most 1,000 values. Other bins than the profile's are
 * rejected the same way, because the profile fixes the bins. Above `pooledLimit` values, KS and
 * Wasserstein are computed from the distinct values with their counts, and Anderson-Darling is
 * undefined, as in a direct report.
 */
export async function measureDriftFromProfile(engine: DataEngine, profile: ReferenceProfile, profileFile: string, current: DataSet, options: DriftOptions = {}): Promise<DriftMeasurement> {
  const reference = profileColumnList(profile, profileFile);
  const plan = planDrift(reference, current, options);
  const loaded: LoadedDataSet[] = [];
  try {
    const renames = plan.supported.some((pair) => pair.currentColumn !== pair.column);
    // A mapped column is compared under its reference name, so the current file is then loaded with those names.
    const currentSet = renames ? await loadRenamed(engine, current, plan.supported, loaded) : current;
    const numerical = plan.comparable.filter((pair) => driftColumnType(pair.reference) === 'numerical').map((pair) => pair.column);
    const categorical = plan.comparable.filter((pair) => driftColumnType(pair.reference) === 'categorical').map((pair) => pair.column);
    const facts: CollectedFacts = { currentRows: null };
    const collection = collectAgainstReference(engine, currentSet, profileAggregates(profile, numerical, categorical), { numerical, categorical }, plan.settings, facts, profileFallback(engine, currentSet, profile, profileFile, plan.settings.pooledLimit));
    const results = await measureCollectedColumns(collection, plan);
    const emptyReasons = emptyColumnReasons(profilePresentCounts(profile), await presentCounts(engine, currentSet, plan.untestable), plan.untestable);

    const measurement = assembleDrift(plan, results, emptyReasons, {
      reference: { file: profile.reference.file, format: profile.reference.format, rows: profile.reference.rows },
      current: { file: current.path, format: current.format, rows: facts.currentRows ?? (await countRows(engine, currentSet)) },
      warnings: fileWarnings(reference, current, plan.matched.onlyInReference, plan.matched.onlyInCurrent),
    });
    return {
      ...measurement,
      referenceProfile: { file: profileFile, referenceSha256: profile.reference.sha256, createdAt: profile.createdAt, custosVersion: profile.custosVersion },
    };
  } finally {
    for (const dataSet of loaded) await unloadColumns(engine, dataSet);
  }
}

/** Lists the profiled file's columns under its path, with messages about a missing column that name the profile too. */
function profileColumnList(profile: ReferenceProfile, profileFile: string): ColumnList {
  const columns = profileDataColumns(profile);
  const columnNames = () => columns.map((column) => column.name);
  const missingColumns = (names: readonly string[]) => {
    const list = names.map((name) => `"${name}"`).join(', ');
    const message = `The ${names.length === 1 ? 'column' : 'columns'} ${list} ${names.length === 1 ? 'is' : 'are'} not in the reference profile "${profileFile}" of ${profile.reference.file}; the profiled file has ${columns.length} columns: ${columnNames().join(', ')}`;
    return new AppError('VALIDATION_FAILED', message, [{ path: profileFile, message }]);
  };
  const column = (name: string): DataColumn => {
    const found = columns.find((candidate) => candidate.name === name);
    if (found === undefined) throw missingColumns([name]);
    return found;
  };
  return {
    path: profile.reference.file,
    warnings: profile.reference.warnings,
    columns,
    columnNames,
    column,
    requireColumns: (names) => {
      const missing = names.filter((name) => !columns.some((candidate) => candidate.name === name));
      if (missing.length > 0) throw missingColumns(missing);
      return names.map(column);
    },
  };
}

async function loadRenamed(engine: DataEngine, current: DataSet, pairs: readonly { column: string; currentColumn: string }[], loaded: LoadedDataSet[]): Promise<DataSet> {
  const table = await loadColumns(engine, current, pairs.map((pair) => ({ source: pair.currentColumn, name: pair.column })));
  loaded.push(table);
  return table.dataSet;
}

/** Present values per column of the profiled file: rows minus missing values, none for an untested type. */
function profilePresentCounts(profile: ReferenceProfile): PresentCounts {
  const present = new Map<string, number>();
  for (const column of profile.columns) {
    if (column.driftType === 'numerical') present.set(column.name, profile.reference.rows - column.excluded.missing);
    if (column.driftType === 'categorical') present.set(column.name, profile.reference.rows - column.missing);
  }
  return { rows: profile.reference.rows, present };
}

/**
 * Builds what a report from a profile turns to when a test needs more than the stored aggregates.
 * Values are pooled from the profile's value counts and the current file, and category counts
 * with another top-k come from the stored and scanned counts. Anything else raises VALIDATION_FAILED.
 */
function profileFallback(engine: DataEngine, current: DataSet, profile: ReferenceProfile, profileFile: string, pooledLimit: number): ReferenceFallback {
  return {
    recounts: false,
    storesValues: (column) => (profileColumnNamed(profile, column) as NumericProfileColumn).valueCounts !== null,
    noValuesReason: `skipped: this measure needs every reference value, and the reference profile "${profileFile}" stores bin counts for this column`,
    valuesOf: async (column: string, currentScan: DriftScan, purpose: string): Promise<NumericAggregate> => {
      const stored = profileColumnNamed(profile, column) as NumericProfileColumn;
      if (stored.valueCounts === null) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Column "${column}" needs every reference value for ${purpose}, but the reference profile "${profileFile}" stores only bin counts for it, because the reference has ${stored.finite} finite values and about ${stored.distinctEstimate} distinct ones. Choose a test on bins for the column (such as --test ${column}=jensen-shannon on the command line, or the metric jensen_shannon in a policy), or measure against the reference file ${profile.reference.file}`,
          [{ path: `/columns/${column}`, message: `needs every reference value for ${purpose}` }],
        );
      }
      const currentValues = await fetchSortedFinite(engine, current, column);
      const currentResult = currentScan.numerical.get(column) as NumericScanResult;
      const pooled: PooledValueCounts = { ...mergeCountedSample(stored.valueCounts, currentValues), reference: stored.excluded, current: currentResult.summary.excluded };
      if (stored.finite + currentValues.length <= pooledLimit) return { kind: 'pooled', pooled };
      // Above the pooled limit a direct report gets KS D and Wasserstein from SQL and leaves out
      // Anderson-Darling, whose cost grows with the number of values. The same statistics come
      // here from the distinct values with their counts.
      return {
        kind: 'large',
        distance: {
          statistic: valueOf(kolmogorovSmirnov(pooled).statistic),
          wasserstein: valueOf(wassersteinDistance(pooled)),
          referenceSize: stored.finite,
          currentSize: currentValues.length,
          reference: stored.excluded,
          current: currentResult.summary.excluded,
        },
        summary: { distinctCount: pooled.values.length, referenceStandardDeviation: countedStandardDeviation(stored.valueCounts) },
      };
    },
    recountOf: (column: string, currentScan: DriftScan): ColumnRecount => ({
      bins: async (method, binCount) => {
        const stored = profileColumnNamed(profile, column);
        const currentBins = currentScan.numerical.get(column)?.bins ?? null;
        if (stored.driftType === 'numerical' && stored.bins !== null && stored.bins.method === method && stored.bins.binCount === binCount) {
          if ('undefinedReason' in stored.bins) return { defined: false, reason: stored.bins.undefinedReason };
          if (currentBins !== null) {
            const { edges, counts, below, above } = stored.bins;
            return { defined: true, aligned: alignBinnedCounts({ edges, counts, below, above, excluded: stored.excluded }, currentBins), edges };
          }
        }
        const storedBins = stored.driftType === 'numerical' && stored.bins !== null ? `only ${stored.bins.binCount} ${stored.bins.method} bins` : 'no bins';
        throw new AppError(
          'VALIDATION_FAILED',
          `Column "${column}" needs ${binCount} ${method} bins, but the reference profile "${profileFile}" stores ${storedBins} for it. Use the test's default bins with a profile, or measure against the reference file ${profile.reference.file}`,
          [{ path: `/columns/${column}`, message: `needs ${binCount} ${method} bins` }],
        );
      },
      categories: async (topK) => {
        const stored = profileColumnNamed(profile, column);
        const currentCounts = currentScan.categorical.get(column);
        if (stored.driftType === 'categorical' && currentCounts !== undefined) {
          const referenceCounts: CategoryCounts = { counts: new Map(stored.categories), missing: stored.missing };
          return compareCategoryCounts(column, referenceCounts, currentCounts, topK);
        }
        const currentValues = currentScan.numerical.get(column)?.valueCounts ?? null;
        if (stored.driftType === 'numerical' && stored.valueCounts !== null && currentValues !== null) {
          // Keyed by each value's decimal form, as the pooled values of a small column give them.
          const referenceCounts: CategoryCounts = { counts: new Map(stored.valueCounts.map(([value, count]) => [String(value), count])), missing: stored.excluded.missing };
          const currentResult = currentScan.numerical.get(column) as NumericScanResult;
          const current: CategoryCounts = { counts: new Map([...currentValues].map(([value, count]) => [String(value), count])), missing: currentResult.summary.excluded.missing };
          return compareCategoryCounts(column, referenceCounts, current, topK);
        }
        throw new AppError(
          'VALIDATION_FAILED',
          `Column "${column}" is to be tested per distinct value, but the reference profile "${profileFile}" or the current file has too many distinct values in it to count each. Choose a test on bins for the column, or measure against the reference file ${profile.reference.file}`,
          [{ path: `/columns/${column}`, message: 'needs counts per distinct value' }],
        );
      },
    }),
  };
}

function valueOf(measured: Measured): number | null {
  return measured.defined ? measured.value : null;
}

/** Computes the population standard deviation of values given with their counts, or null without any. */
function countedStandardDeviation(valueCounts: readonly (readonly [number, number])[]): number | null {
  let size = 0;
  let mean = 0;
  let sumOfSquares = 0;
  // Welford's update, weighted by each value's count, so that large counts lose no precision.
  for (const [value, count] of valueCounts) {
    size += count;
    const delta = value - mean;
    mean += (delta * count) / size;
    sumOfSquares += count * delta * (value - mean);
  }
  return size === 0 ? null : Math.sqrt(sumOfSquares / size);
}
