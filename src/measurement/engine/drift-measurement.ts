import type { ExcludedCounts } from '../core/aggregates.js';
import { defaultMaxCategories } from '../core/drift/binning.js';
import { datasetDrift, defaultDatasetDriftShare, driftTests, findDriftOverrideProblems, type DatasetDrift, type DriftTestKind, type DriftTestName, type DriftTestOverride } from '../core/drift/default-test.js';
import type { KolmogorovSmirnovMethod } from '../core/drift/kolmogorov-smirnov.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import { defaultPooledLimit, driftUnit, quoteIdentifier, SqlParameters, type DataEngine, type DataSet } from '../data/index.js';
import { toCount } from '../data/values.js';
import { validationFailed, type ErrorDetail } from '../../platform/errors.js';
import { collectColumns, collectStreamedColumns, type CollectedFacts } from './drift-collect.js';
import type { ColumnData, DriftSource, SampleSizes } from './drift-column-data.js';
import { driftColumnType, incomparableReason, loadColumns, matchColumns, unloadColumns, type ColumnList, type ColumnPair, type DriftColumnType, type LoadedDataSet, type MatchedColumns } from './drift-columns.js';
import { incomparableMetricValue, measureDriftMetric, metricAppliesTo, type DriftMetricRequest, type DriftMetricValue } from './drift-metrics.js';
import { measureColumnDrift, type DriftDistributions, type OtherDriftMeasure } from './drift-report-column.js';
import { countRows } from './row-count.js';

/**
 * Drift between a reference and a current data file, column by column. Each column gets the
 * default test of `core/drift/default-test.ts` (or a per-column override), the other applicable
 * measures and both distributions as bins for display. Dataset drift is the share of drifted
 * columns.
 *
 * Cost: the reference file is read once (a CSV or JSON Lines file into a temporary table, a
 * Parquet file where it lies). A current CSV or JSON Lines file that is not loaded yet is parsed
 * once where it lies, in one scan that counts, bins and categorizes every column (see
 * `readsCurrentInPlace` for when it is loaded into a table instead). A large numerical column
 * (more than 1,000 values in its smaller sample) whose test runs on bins is never fetched. Its
 * reference quantiles and bin counts come from SQL, together with those of the other large
 * columns, and its other measures are those computed from bins. KS and the Wasserstein distance
 * are then listed as skipped for cost, unless an override or a policy metric requests them.
 * Every other numerical column is fetched once per sample, sorted in JavaScript and merged into
 * pooled value counts, or, with more finite values than `pooledLimit` (both samples together),
 * gets KS D and the Wasserstein distance from SQL. Anderson-Darling needs every value and is
 * undefined above the limit. Categorical columns are counted in one query over both samples, or
 * in the scan of each sample when the current file is read in place.
 *
 * Edge cases:
 * - an empty sample, or a column without any value in one file: the column is not tested, with
 *   the reason, and counts in neither number of dataset drift;
 * - a column that holds one and the same value in both samples: not drifted, although
 *   chi-square (which needs two categories) is undefined;
 * - a category present on one side only: a count of 0 on the other side; PSI and KL smooth it;
 * - thousands of categories: the `maxCategories` most frequent (in both samples together) keep
 *   their bins and the rest share one "other" bin, with a warning;
 * - infinite values: left out of KS, Anderson-Darling and Wasserstein, counted in the bins
 *   below and above the reference range by binned tests, and reported in `excluded`;
 * - dates and timestamps: tested as days, or seconds, since 1970-01-01 (see `unit`);
 * - a column that is numerical in one file and text in the other: not tested, with the reason.
 */

export interface DriftOptions {
  /** Reference column names to compare; default every column both files have (after the mapping). */
  readonly columns?: readonly string[];
  /** The current file's name for reference columns it names differently, for example `{ 'income-per-year': 'Y' }`. */
  readonly columnMapping?: Readonly<Record<string, string>>;
  /** Test, threshold and binning for individual columns, by reference name. */
  readonly overrides?: Readonly<Record<string, DriftTestOverride>>;
  /** Share of tested columns at which the dataset counts as drifted (inclusive); default 0.5. */
  readonly datasetDriftShare?: number;
  /** Categories per categorical column that keep their own bin; the rest share an "other" bin. Default 100. */
  readonly maxCategories?: number;
  /** Finite values of one numerical column (both samples together) above which KS and Wasserstein come from SQL instead of pooled values. Default 2,000,000. */
  readonly pooledLimit?: number;
  /** Method of the KS p-value; default `auto` (exact up to 10,000 values per sample, as in SciPy 1.10). */
  readonly ksMethod?: KolmogorovSmirnovMethod;
  /** Whether to add the other applicable measures to each column; default true. */
  readonly extraMeasures?: boolean;
  /** Policy metrics to compute for every compared column whose type they accept. */
  readonly metrics?: readonly DriftMetricRequest[];
}

export interface ColumnDriftResult {
  /** The reference name of the column. */
  readonly column: string;
  /** The current file's name of the column; equals `column` unless mapped. */
  readonly currentColumn: string;
  /** Test family of the column; null when it could not be tested. */
  readonly type: DriftColumnType | null;
  readonly dataTypes: { readonly reference: string; readonly current: string };
  /** The unit a date or timestamp column is tested in, such as days since 1970-01-01; null otherwise. */
  readonly unit: string | null;
  readonly test: DriftTestName | null;
  readonly testKind: DriftTestKind | null;
  /** Whether the test is the default for the column or set by an override; null when none ran. */
  readonly choice: 'default' | 'override' | null;
  /** Reason for the choice of test, or for testing nothing. */
  readonly reason: string;
  /** Computation of the result: `exact` or `asymptotic` for KS, the bins for a distance. */
  readonly method: string | null;
  readonly statistic: Measured;
  readonly pValue: Measured | null;
  /** The number the threshold applies to: the p-value of a p-value test, the distance otherwise. */
  readonly score: Measured;
  readonly threshold: number | null;
  readonly rule: 'p-value < threshold' | 'distance >= threshold' | null;
  /** Null when the result is undefined; such columns count in neither number of dataset drift. */
  readonly drifted: boolean | null;
  /** Finite (numerical) or present (categorical) values each sample contributed. */
  readonly sizes: SampleSizes | null;
  /** Distinct values over both samples; a HyperLogLog estimate for a large numerical column with more than 1,000. */
  readonly distinctCount: number | null;
  readonly excluded: { readonly reference: ExcludedCounts; readonly current: ExcludedCounts } | null;
  readonly distributions: DriftDistributions | null;
  /** The other applicable measures; those skipped for cost on a large column have method `skipped` and an undefined statistic with the reason. */
  readonly otherMeasures: readonly OtherDriftMeasure[];
  readonly warnings: readonly string[];
}

export interface DriftFileSummary {
  readonly file: string;
  readonly format: string;
  readonly rows: number;
}

export interface DriftMeasurement {
  readonly reference: DriftFileSummary;
  readonly current: DriftFileSummary;
  /** Every compared column, in the order of the reference file. */
  readonly columns: readonly ColumnDriftResult[];
  readonly onlyInReference: readonly string[];
  readonly onlyInCurrent: readonly string[];
  readonly datasetDrift: DatasetDrift;
  readonly settings: {
    readonly datasetDriftShare: number;
    readonly maxCategories: number;
    /** A number, or `unlimited` when every column was pooled whatever its size. */
    readonly pooledLimit: number | 'unlimited';
    readonly columnMapping: Readonly<Record<string, string>>;
  };
  /** Values of the requested policy metrics, by request key, one per column the metric applies to. */
  readonly metrics: Readonly<Record<string, readonly DriftMetricValue[]>>;
  readonly warnings: readonly string[];
  /** The stored profile the reference aggregates were read from, instead of the reference file itself. */
  readonly referenceProfile?: {
    readonly file: string;
    /** SHA-256 of the reference file when it was profiled. */
    readonly referenceSha256: string;
    readonly createdAt: string;
    readonly custosVersion: string;
  };
}

export interface DriftSettings {
  readonly datasetDriftShare: number;
  readonly maxCategories: number;
  readonly pooledLimit: number;
  readonly ksMethod: KolmogorovSmirnovMethod;
  readonly extraMeasures: boolean;
  readonly overrides: Readonly<Record<string, DriftTestOverride>>;
  readonly metrics: readonly DriftMetricRequest[];
}

/**
 * Measures drift from `reference` to `current`; see the file header for what is read and when.
 * Raises VALIDATION_FAILED for invalid options, named columns a file lacks and overrides that
 * do not fit their column. Columns present in one file only are listed, not compared.
 */
export async function measureDrift(engine: DataEngine, reference: DataSet, current: DataSet, options: DriftOptions = {}): Promise<DriftMeasurement> {
  const plan = planDrift(reference, current, options);
  const loaded: LoadedDataSet[] = [];
  try {
    const streamed = readsCurrentInPlace(current, plan.supported, plan.settings);
    const source = await loadSource(engine, reference, current, plan.supported, loaded, streamed);
    const facts: CollectedFacts = { currentRows: null };
    const collection = streamed ? collectStreamedColumns(source, plan.comparable, plan.settings, facts) : collectColumns(source, plan.comparable, plan.settings);
    const results = await measureCollectedColumns(collection, plan);
    const emptyReasons = emptyColumnReasons(await presentCounts(engine, source.reference, plan.untestable), await presentCounts(engine, source.current, plan.untestable), plan.untestable);
    return assembleDrift(plan, results, emptyReasons, {
      reference: { file: reference.path, format: reference.format, rows: await countRows(engine, source.reference) },
      current: { file: current.path, format: current.format, rows: facts.currentRows ?? (await countRows(engine, source.current)) },
      warnings: fileWarnings(reference, current, plan.matched.onlyInReference, plan.matched.onlyInCurrent),
    });
  } finally {
    for (const dataSet of loaded) await unloadColumns(engine, dataSet);
  }
}

/** The columns and settings of a drift measurement, decided from the column lists and options before any scan. */
export interface DriftPlan {
  readonly settings: DriftSettings;
  readonly mapping: Readonly<Record<string, string>>;
  readonly matched: MatchedColumns;
  /** Pairs whose types a drift test reads on both sides. */
  readonly supported: readonly ColumnPair[];
  /** Supported pairs of the same test family, which are collected and tested. */
  readonly comparable: readonly ColumnPair[];
  /** Supported pairs that cannot be compared, whose reason may be an empty column. */
  readonly untestable: readonly ColumnPair[];
}

/**
 * Checks the options and matches the columns of the two files. Raises VALIDATION_FAILED for
 * invalid options, named columns a file lacks and overrides that do not fit their column.
 */
export function planDrift(reference: ColumnList, current: DataSet, options: DriftOptions): DriftPlan {
  const settings = resolveSettings(options);
  const mapping = options.columnMapping ?? {};
  const matched = matchColumns(reference, current, options.columns, mapping);
  checkOverrides(reference, matched.pairs, settings.overrides);
  const supported = matched.pairs.filter((pair) => driftColumnType(pair.reference) !== null && driftColumnType(pair.current) !== null);
  const comparable = supported.filter((pair) => incomparableReason(pair) === null);
  return { settings, mapping, matched, supported, comparable, untestable: supported.filter((pair) => !comparable.includes(pair)) };
}

type MeasuredColumn = { result: ColumnDriftResult; metrics: Map<string, DriftMetricValue> };

/** Runs the tests of each collected column, by reference name. */
export async function measureCollectedColumns(collection: AsyncGenerator<ColumnData>, plan: DriftPlan): Promise<Map<string, MeasuredColumn>> {
  const results = new Map<string, MeasuredColumn>();
  for await (const data of collection) {
    const pair = plan.comparable.find((candidate) => candidate.column === data.column) as ColumnPair;
    results.set(pair.column, await measureColumn(data, pair, plan.settings));
  }
  return results;
}

/** Builds the measurement from the tested columns, listing every other compared column as untested with its reason. */
export function assembleDrift(
  plan: DriftPlan,
  results: ReadonlyMap<string, MeasuredColumn>,
  emptyReasons: ReadonlyMap<string, string>,
  files: { readonly reference: DriftFileSummary; readonly current: DriftFileSummary; readonly warnings: readonly string[] },
): DriftMeasurement {
  const { settings, matched } = plan;
  const columns: ColumnDriftResult[] = [];
  const metrics: Record<string, DriftMetricValue[]> = Object.fromEntries(settings.metrics.map((request) => [request.key, []]));
  for (const pair of matched.pairs) {
    const measured = results.get(pair.column);
    if (measured !== undefined) {
      columns.push(measured.result);
      for (const [key, value] of measured.metrics) metrics[key]?.push(value);
      continue;
    }
    const reason = emptyReasons.get(pair.column) ?? (incomparableReason(pair) as string);
    columns.push(untestedColumn(pair, reason));
    const type = driftColumnType(pair.reference);
    for (const request of settings.metrics) {
      if (type !== null && metricAppliesTo(request, pair.column, type)) metrics[request.key]?.push(incomparableMetricValue(pair.column, reason));
    }
  }

  const tested = columns.filter((column) => column.drifted !== null);
  const drifted = tested.filter((column) => column.drifted === true).length;
  return {
    reference: files.reference,
    current: files.current,
    columns,
    onlyInReference: matched.onlyInReference,
    onlyInCurrent: matched.onlyInCurrent,
    datasetDrift: datasetDrift(drifted, tested.length, settings.datasetDriftShare),
    settings: {
      datasetDriftShare: settings.datasetDriftShare,
      maxCategories: settings.maxCategories,
      pooledLimit: Number.isFinite(settings.pooledLimit) ? settings.pooledLimit : 'unlimited',
      columnMapping: { ...plan.mapping },
    },
    metrics,
    warnings: [...files.warnings],
  };
}

function resolveSettings(options: DriftOptions): DriftSettings {
  const problems: ErrorDetail[] = [];
  const datasetDriftShare = options.datasetDriftShare ?? defaultDatasetDriftShare;
  const maxCategories = options.maxCategories ?? defaultMaxCategories;
  const pooledLimit = options.pooledLimit ?? defaultPooledLimit;
  const ksMethod = options.ksMethod ?? 'auto';
  if (!(datasetDriftShare > 0 && datasetDriftShare <= 1)) problems.push({ path: '/datasetDriftShare', message: `must be above 0 and at most 1, not ${datasetDriftShare}; the default is ${defaultDatasetDriftShare}` });
  if (!Number.isInteger(maxCategories) || maxCategories < 1) problems.push({ path: '/maxCategories', message: `must be a whole number of categories, 1 or more, not ${maxCategories}` });
  if (Number.isNaN(pooledLimit)) problems.push({ path: '/pooledLimit', message: 'must be a number of values, not NaN' });
  if (!['auto', 'exact', 'asymptotic'].includes(ksMethod)) problems.push({ path: '/ksMethod', message: `must be auto, exact or asymptotic, not ${String(ksMethod)}` });
  const keys = new Set<string>();
  for (const [index, request] of (options.metrics ?? []).entries()) {
    if (keys.has(request.key)) problems.push({ path: `/metrics/${index}/key`, message: `repeats the key "${request.key}"; give each metric request its own key` });
    keys.add(request.key);
  }
  if (problems.length > 0) throw validationFailed(problems, `The drift options are invalid: ${problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')}`);
  return { datasetDriftShare, maxCategories, pooledLimit, ksMethod, extraMeasures: options.extraMeasures ?? true, overrides: options.overrides ?? {}, metrics: options.metrics ?? [] };
}

function checkOverrides(reference: ColumnList, pairs: readonly ColumnPair[], overrides: Readonly<Record<string, DriftTestOverride>>): void {
  const problems: ErrorDetail[] = [];
  for (const [column, override] of Object.entries(overrides)) {
    const pair = pairs.find((candidate) => candidate.column === column);
    const type = pair === undefined ? null : driftColumnType(pair.reference);
    if (pair === undefined) {
      problems.push({ path: `/overrides/${column}`, message: `names a column that is not compared; the compared columns of "${reference.path}" are ${pairs.map((candidate) => candidate.column).join(', ')}` });
    } else if (type !== null) {
      for (const message of findDriftOverrideProblems(type, override)) problems.push({ path: `/overrides/${column}`, message });
    }
  }
  if (problems.length > 0) throw validationFailed(problems, `The drift test overrides are invalid: ${problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')}`);
}

/**
 * Returns whether the current file is parsed once where it lies instead of being loaded into a
 * table (see `collectStreamedColumns`), because loading a CSV file costs more than one parse of
 * it. The current file is loaded when it is not a CSV or JSON Lines file (Parquet is read where it
 * lies anyway), when it is loaded already, or when a column is mapped to another name. It is also
 * loaded when a policy metric or an override requests a test on every value, because such a test
 * reads its column again.
 */
function readsCurrentInPlace(current: DataSet, pairs: readonly ColumnPair[], settings: DriftSettings): boolean {
  if ((current.format !== 'csv' && current.format !== 'jsonl') || current.isMaterialized) return false;
  if (pairs.some((pair) => pair.currentColumn !== pair.column)) return false;
  if (settings.metrics.length > 0) return false;
  return Object.values(settings.overrides).every((override) => override.test === undefined || driftTests[override.test].acceptsCategories);
}

async function loadSource(engine: DataEngine, reference: DataSet, current: DataSet, pairs: readonly ColumnPair[], loaded: LoadedDataSet[], currentInPlace: boolean): Promise<DriftSource> {
  if (pairs.length === 0) return { engine, reference, current };
  const loadedReference = await loadColumns(engine, reference, pairs.map((pair) => ({ source: pair.column, name: pair.column })));
  loaded.push(loadedReference);
  if (currentInPlace) return { engine, reference: loadedReference.dataSet, current };
  const loadedCurrent = await loadColumns(engine, current, pairs.map((pair) => ({ source: pair.currentColumn, name: pair.column })));
  loaded.push(loadedCurrent);
  return { engine, reference: loadedReference.dataSet, current: loadedCurrent.dataSet };
}

async function measureColumn(data: ColumnData, pair: ColumnPair, settings: DriftSettings): Promise<{ result: ColumnDriftResult; metrics: Map<string, DriftMetricValue> }> {
  const testSettings = { maxCategories: settings.maxCategories, pooledLimit: settings.pooledLimit, ksMethod: settings.ksMethod };
  // The overrides were checked against their columns before any scan, so a RangeError here is a defect, not bad input.
  const report = await measureColumnDrift(data, settings.overrides[pair.column] ?? {}, testSettings, settings.extraMeasures);
  const result: ColumnDriftResult = {
    ...report,
    column: pair.column,
    currentColumn: pair.currentColumn,
    type: data.type,
    dataTypes: { reference: pair.reference.duckdbType, current: pair.current.duckdbType },
    unit: driftUnit(pair.reference.columnType),
    sizes: data.sizes,
    distinctCount: data.distinctCount,
    excluded: data.excluded,
  };

  const metrics = new Map<string, DriftMetricValue>();
  for (const request of settings.metrics) {
    if (metricAppliesTo(request, pair.column, data.type)) metrics.set(request.key, await measureDriftMetric(data, request, testSettings));
  }
  return { result, metrics };
}

/**
 * Returns, for columns whose types differ between the files, why they are untested when one file
 * has no value in them. DuckDB reads a column without any value (an empty file, a column left
 * blank) as text, and that is an empty sample, not a type mismatch.
 */
export function emptyColumnReasons(referenceCounts: PresentCounts, currentCounts: PresentCounts, pairs: readonly ColumnPair[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const pair of pairs) {
    const empty = [
      referenceCounts.present.get(pair.column) === 0 ? `the reference sample has no value in it (${referenceCounts.rows} rows)` : null,
      currentCounts.present.get(pair.column) === 0 ? `the current sample has no value in it (${currentCounts.rows} rows)` : null,
    ].filter((part) => part !== null);
    if (empty.length > 0) reasons.set(pair.column, `${empty.join(' and ')}, so there is nothing to compare`);
  }
  return reasons;
}

/** Rows of a sample and the present (non-null) values of each column, by reference name. */
export interface PresentCounts {
  readonly rows: number;
  readonly present: ReadonlyMap<string, number>;
}

/** Counts the present values of the pairs' columns in one scan; no scan for no pairs. */
export async function presentCounts(engine: DataEngine, dataSet: DataSet, pairs: readonly ColumnPair[]): Promise<PresentCounts> {
  if (pairs.length === 0) return { rows: 0, present: new Map() };
  const parameters = new SqlParameters();
  const counts = pairs.map((pair, index) => `count(${quoteIdentifier(pair.column)}) AS present_${index}`);
  const [row] = await engine.rows(`counting values of ${dataSet.path}`, `SELECT count(*) AS row_count, ${counts.join(', ')} FROM ${dataSet.fromClause(parameters)}`, parameters, [dataSet.errorContext]);
  return { rows: toCount(row?.['row_count']), present: new Map(pairs.map((pair, index) => [pair.column, toCount(row?.[`present_${index}`])])) };
}

function untestedColumn(pair: ColumnPair, reason: string): ColumnDriftResult {
  const notTested = undefinedBecause(reason);
  return {
    column: pair.column,
    currentColumn: pair.currentColumn,
    type: null,
    dataTypes: { reference: pair.reference.duckdbType, current: pair.current.duckdbType },
    unit: null,
    test: null,
    testKind: null,
    choice: null,
    reason,
    method: null,
    statistic: notTested,
    pValue: null,
    score: notTested,
    threshold: null,
    rule: null,
    drifted: null,
    sizes: null,
    distinctCount: null,
    excluded: null,
    distributions: null,
    otherMeasures: [],
    warnings: [],
  };
}

export function fileWarnings(reference: ColumnList, current: ColumnList, onlyInReference: readonly string[], onlyInCurrent: readonly string[]): string[] {
  const warnings = [...reference.warnings, ...current.warnings];
  if (onlyInReference.length > 0) {
    warnings.push(`${onlyInReference.length === 1 ? 'Column' : 'Columns'} ${onlyInReference.map((name) => `"${name}"`).join(', ')} of "${reference.path}" ${onlyInReference.length === 1 ? 'has' : 'have'} no counterpart in "${current.path}" and ${onlyInReference.length === 1 ? 'was' : 'were'} not compared; map differently named columns with --map reference=current on the command line, or with a mapping in the drift check's columns in a policy`);
  }
  if (onlyInCurrent.length > 0) {
    warnings.push(`${onlyInCurrent.length === 1 ? 'Column' : 'Columns'} ${onlyInCurrent.map((name) => `"${name}"`).join(', ')} of "${current.path}" ${onlyInCurrent.length === 1 ? 'has' : 'have'} no counterpart in "${reference.path}" and ${onlyInCurrent.length === 1 ? 'was' : 'were'} not compared`);
  }
  return warnings;
}
