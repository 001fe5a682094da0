import type { BinnedCounts, CategoryCounts, ExcludedCounts } from '../core/aggregates.js';
import type { BinningMethod } from '../core/drift/default-test.js';
import { classifyDuckDbType, numericValueCounts, type DataColumn, type DataEngine, type DataSet, type FileFormat, type NumericScanResult } from '../data/index.js';
import { exactDistinctLimit } from '../data/numeric-drift.js';
import { fingerprintFile } from '../../datasets/fingerprint.js';
import type { AlignedOutcome } from './drift-column-data.js';
import { driftColumnType, loadColumns, unloadColumns } from './drift-columns.js';
import { scanReference, type ReferenceAggregates } from './drift-reference.js';

/**
 * A stored profile of a drift reference: the aggregates that a drift report reads from the
 * reference (`ReferenceAggregates`), kept as JSON, so that a later report scans only the current
 * file. The aggregates are counts. So a profile supports every test on bins and categories, but
 * KS, Anderson-Darling and Wasserstein only on a column whose every reference value it counts:
 * one with at most `exactDistinctLimit` distinct or `profileValueLimit` finite values.
 */

/** The `kind` of a profile file, so that another JSON file is recognized as not being one. */
export const referenceProfileKind = 'custos-drift-reference-profile';
export const referenceProfileVersion = 1;

/**
 * Finite reference values up to which a profile counts every value of a numerical column, so
 * that tests on values can run against it: 10,000 is also the sample size up to which the KS
 * p-value is exact. A larger column with more distinct values keeps only its bins.
 */
export const profileValueLimit = 10_000;

export type ProfileBins =
  | { readonly method: BinningMethod; readonly binCount: number; readonly edges: readonly number[]; readonly counts: readonly number[]; readonly below: number; readonly above: number }
  | { readonly method: BinningMethod; readonly binCount: number; readonly undefinedReason: string };

export interface NumericProfileColumn {
  readonly name: string;
  readonly duckdbType: string;
  readonly driftType: 'numerical';
  readonly finite: number;
  readonly excluded: ExcludedCounts;
  /** DuckDB's HyperLogLog estimate of the distinct finite values. */
  readonly distinctEstimate: number;
  /** The HyperLogLog state as 128 hex digits (infinite and NaN values included), merged with the current sample's state. */
  readonly distinctState: string;
  /** Each distinct finite value with its count, ascending, when the column is small enough (see `profileValueLimit`); null otherwise. */
  readonly valueCounts: readonly (readonly [number, number])[] | null;
  /** The default bins of a large column with their counts; null for a column that a default report tests without bins. */
  readonly bins: ProfileBins | null;
}

export interface CategoricalProfileColumn {
  readonly name: string;
  readonly duckdbType: string;
  readonly driftType: 'categorical';
  /** Every category (its text form) with its count, most frequent first. */
  readonly categories: readonly (readonly [string, number])[];
  readonly missing: number;
}

/** A column of a type no drift test reads, kept so that a report can state why it is not tested. */
export interface UntestedProfileColumn {
  readonly name: string;
  readonly duckdbType: string;
  readonly driftType: null;
}

export type ProfileColumn = NumericProfileColumn | CategoricalProfileColumn | UntestedProfileColumn;

export interface ReferenceProfile {
  readonly kind: typeof referenceProfileKind;
  readonly version: typeof referenceProfileVersion;
  readonly custosVersion: string;
  readonly createdAt: string;
  readonly reference: {
    /** The reference file's path as given when profiling. */
    readonly file: string;
    readonly format: FileFormat;
    /** Lower-case hex SHA-256 of the file's bytes. */
    readonly sha256: string;
    readonly sizeBytes: number;
    readonly rows: number;
    /** Facts about how the file was read, such as repeated column names, which every report repeats. */
    readonly warnings: readonly string[];
  };
  /** Every column of the reference file, in file order. */
  readonly columns: readonly ProfileColumn[];
  /** SHA-256 of the profile's JSON without this field, set when it is written (`serializeReferenceProfile`). */
  readonly contentSha256?: string;
}

/**
 * Profiles a reference file with the default binning of each column. The file is loaded into a
 * table first, as a drift report loads its reference, so that the bins equal those of a direct
 * report over the same columns.
 */
export async function profileReference(engine: DataEngine, reference: DataSet, custosVersion: string, createdAt: Date = new Date()): Promise<ReferenceProfile> {
  const numerical = reference.columns.filter((column) => driftColumnType(column) === 'numerical').map((column) => column.name);
  const categorical = reference.columns.filter((column) => driftColumnType(column) === 'categorical').map((column) => column.name);
  const fingerprint = await fingerprintFile(reference.path);

  const tested = [...numerical, ...categorical];
  const loaded = tested.length === 0 ? null : await loadColumns(engine, reference, reference.columns.filter((column) => tested.includes(column.name)).map((column) => ({ source: column.name, name: column.name })));
  try {
    const dataSet = loaded?.dataSet ?? reference;
    const aggregates = await scanReference({ engine, reference: dataSet, current: dataSet }, numerical, categorical, {});
    const small = numerical.filter((column) => !aggregates.valueCounts.has(column) && (aggregates.numerical.get(column) as NumericScanResult).summary.finite <= profileValueLimit);
    const smallValueCounts = await numericValueCounts(engine, dataSet, small);
    const valueCountsOf = (column: string) => aggregates.valueCounts.get(column) ?? smallValueCounts.get(column);

    return {
      kind: referenceProfileKind,
      version: referenceProfileVersion,
      custosVersion,
      createdAt: createdAt.toISOString(),
      reference: { file: reference.path, format: reference.format, sha256: fingerprint.sha256, sizeBytes: fingerprint.sizeBytes, rows: aggregates.rowCount, warnings: reference.warnings },
      columns: reference.columns.map((column) => profileColumn(column, aggregates, valueCountsOf(column.name))),
    };
  } finally {
    if (loaded !== null) await unloadColumns(engine, loaded);
  }
}

function profileColumn(column: DataColumn, aggregates: ReferenceAggregates, valueCounts: ReadonlyMap<number, number> | undefined): ProfileColumn {
  const type = driftColumnType(column);
  if (type === 'categorical') {
    const counts = aggregates.categories.get(column.name) as CategoryCounts;
    const categories = [...counts.counts].sort(byCountThenName);
    return { name: column.name, duckdbType: column.duckdbType, driftType: 'categorical', categories, missing: counts.missing };
  }
  if (type === null) return { name: column.name, duckdbType: column.duckdbType, driftType: null };

  const result = aggregates.numerical.get(column.name) as NumericScanResult;
  return {
    name: column.name,
    duckdbType: column.duckdbType,
    driftType: 'numerical',
    finite: result.summary.finite,
    excluded: result.summary.excluded,
    distinctEstimate: result.distinctEstimate,
    distinctState: result.distinctState,
    valueCounts: valueCounts === undefined ? null : [...valueCounts].sort(([left], [right]) => left - right),
    bins: profileBins(column.name, aggregates),
  };
}

/** Orders categories most frequent first, and equal counts by name, so that a profile of the same file is the same text. */
function byCountThenName([leftName, left]: readonly [string, number], [rightName, right]: readonly [string, number]): number {
  if (left !== right) return right - left;
  if (leftName === rightName) return 0;
  return leftName < rightName ? -1 : 1;
}

function profileBins(column: string, aggregates: ReferenceAggregates): ProfileBins | null {
  const request = aggregates.binRequests.find((candidate) => candidate.column === column);
  if (request === undefined) return null;
  const counts = aggregates.bins.get(column);
  if (counts !== undefined) return { method: request.method, binCount: request.binCount, edges: counts.edges, counts: counts.counts, below: counts.below, above: counts.above };
  const outcome = aggregates.binOutcomes.get(column);
  const undefinedReason = outcome !== undefined && !outcome.defined ? outcome.reason : 'the reference sample has no finite values to bin';
  return { method: request.method, binCount: request.binCount, undefinedReason };
}

/** Returns the data-layer columns of a profile, as `DataSet.columns` gives them for the reference file. */
export function profileDataColumns(profile: ReferenceProfile): DataColumn[] {
  return profile.columns.map((column) => ({ name: column.name, duckdbType: column.duckdbType, columnType: classifyDuckDbType(column.duckdbType) }));
}

/**
 * Rebuilds the reference aggregates of a profile, for `collectAgainstReference`. Value counts
 * are kept as `ReferenceAggregates.valueCounts` only for the columns a scan would count them
 * for (at most `exactDistinctLimit` distinct values), so that a report from a profile counts
 * distinct values as a direct report does.
 */
export function profileAggregates(profile: ReferenceProfile, numerical: readonly string[], categorical: readonly string[]): ReferenceAggregates {
  const rowCount = profile.reference.rows;
  const numericalResults = new Map<string, NumericScanResult>();
  const categories = new Map<string, CategoryCounts>();
  const valueCounts = new Map<string, Map<number, number>>();
  const binRequests: ReferenceAggregates['binRequests'][number][] = [];
  const edges = new Map<string, readonly number[]>();
  const binOutcomes = new Map<string, AlignedOutcome>();
  const bins = new Map<string, BinnedCounts>();

  for (const name of numerical) {
    const column = profileColumnNamed(profile, name) as NumericProfileColumn;
    numericalResults.set(name, {
      summary: { rowCount, finite: column.finite, excluded: column.excluded },
      distinctEstimate: column.distinctEstimate,
      distinctState: column.distinctState,
      bins: null,
      valueCounts: null,
    });
    if (column.valueCounts !== null && column.distinctEstimate <= exactDistinctLimit) valueCounts.set(name, new Map(column.valueCounts));
    if (column.bins === null) continue;
    binRequests.push({ column: name, method: column.bins.method, binCount: column.bins.binCount, approximate: false, referenceExcluded: column.excluded });
    if ('undefinedReason' in column.bins) {
      binOutcomes.set(name, { defined: false, reason: column.bins.undefinedReason });
    } else {
      edges.set(name, column.bins.edges);
      bins.set(name, { edges: column.bins.edges, counts: column.bins.counts, below: column.bins.below, above: column.bins.above, excluded: column.excluded });
    }
  }
  for (const name of categorical) {
    const column = profileColumnNamed(profile, name) as CategoricalProfileColumn;
    categories.set(name, { counts: new Map(column.categories), missing: column.missing });
  }
  return { rowCount, numerical: numericalResults, categories, valueCounts, binRequests, edges, binOutcomes, bins };
}

export function profileColumnNamed(profile: ReferenceProfile, name: string): ProfileColumn {
  const column = profile.columns.find((candidate) => candidate.name === name);
  if (column === undefined) throw new Error(`The profile has no column "${name}"`);
  return column;
}
