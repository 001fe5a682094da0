import { assessDatasetQuality, type ColumnQualityThresholds, type DatasetQuality, type DatasetQualityThresholds } from '../core/quality.js';
import { duplicateKeyCounts, duplicateRowCounts, materializeDataSet, releaseDataSet, type DataEngine, type DataSet, type DeclaredColumn, type DuplicateKeyCounts, type DuplicateRowCounts } from '../data/index.js';
import { withCoreErrors } from './core-errors.js';
import { countRows } from './row-count.js';
import { measureAgreement, type AgreementOptions, type AgreementResult } from './quality-agreement.js';
import { measureColumnQuality, type ColumnQualityResult } from './quality-columns.js';
import {
  measureProtectedAttributes,
  measureRepresentativeness,
  type ProtectedAttributeOptions,
  type ProtectedAttributeResult,
  type RepresentativenessRequest,
  type RepresentativenessResult,
} from './quality-representation.js';

/**
 * Data quality of one data file: per-column quality against a declared schema, duplicate rows
 * and keys, agreement between annotators, representativeness of columns against reference
 * shares, and protected attributes in training data. A CSV or JSON Lines file is loaded into a
 * temporary table once, so that the several scans read memory. A Parquet file is read where it
 * lies.
 */

export interface QualityOptions {
  /** Columns to measure; default every column of the file. */
  readonly columns?: readonly string[];
  /** Declared type, range and allowed values per column; undeclared columns get no conformance or violation figures. */
  readonly schema?: readonly DeclaredColumn[];
  /** Thresholds applied to every measured column and to the duplicate shares; each becomes one entry in `checks`. */
  readonly thresholds?: ColumnQualityThresholds & DatasetQualityThresholds;
  /** Whether to count rows equal to an earlier row in every column; default true. */
  readonly duplicateRows?: boolean;
  /** Key columns whose combined values should be unique. */
  readonly keyColumns?: readonly string[];
  readonly annotators?: AgreementOptions;
  readonly representativeness?: readonly RepresentativenessRequest[];
  readonly protectedAttributes?: ProtectedAttributeOptions;
}

export interface QualityMeasurement {
  readonly file: string;
  readonly format: string;
  readonly rowCount: number;
  readonly columns: readonly ColumnQualityResult[];
  readonly duplicates: {
    /** Null when duplicate rows were not counted. */
    readonly rows: DuplicateRowCounts | null;
    /** Null without key columns. */
    readonly keys: DuplicateKeyCounts | null;
    readonly assessment: DatasetQuality;
  };
  readonly agreement: AgreementResult | null;
  readonly representativeness: readonly RepresentativenessResult[];
  readonly protectedAttributes: readonly ProtectedAttributeResult[];
  readonly warnings: readonly string[];
}

/**
 * Measures the quality of a data file; see the file header. Raises VALIDATION_FAILED for a
 * named column the file lacks, a schema that does not fit a column, and thresholds, reference
 * shares or agreement settings the core rejects.
 */
export async function measureQuality(engine: DataEngine, dataSet: DataSet, options: QualityOptions = {}): Promise<QualityMeasurement> {
  const columns = options.columns === undefined ? dataSet.columnNames() : [...options.columns];
  dataSet.requireColumns(columns);
  const loaded = dataSet.isMaterialized || dataSet.format === 'parquet' ? dataSet : await materializeDataSet(engine, dataSet);
  try {
    const thresholds = options.thresholds ?? {};
    const columnResults = await measureColumnQuality(engine, loaded, columns, options.schema ?? [], thresholds);
    const rows = options.duplicateRows === false ? null : await duplicateRowCounts(engine, loaded);
    const keys = options.keyColumns === undefined ? null : await duplicateKeyCounts(engine, loaded, options.keyColumns);
    const rowCount = rows?.rowCount ?? keys?.rowCount ?? columnResults[0]?.rowCount ?? (await countRows(engine, loaded));
    // Without counted duplicate rows there is nothing to hold the duplicate-row threshold against.
    const datasetThresholds = rows === null ? { ...thresholds, maximumDuplicateRowShare: undefined } : thresholds;
    const assessment = withCoreErrors('/thresholds', () => assessDatasetQuality(rows ?? { rowCount, duplicateRows: 0 }, keys ?? undefined, datasetThresholds));

    const representativeness: RepresentativenessResult[] = [];
    for (const request of options.representativeness ?? []) representativeness.push(await measureRepresentativeness(engine, loaded, request));
    const protectedAttributes = options.protectedAttributes === undefined ? [] : await measureProtectedAttributes(engine, loaded, options.protectedAttributes);

    return {
      file: dataSet.path,
      format: dataSet.format,
      rowCount,
      columns: columnResults,
      duplicates: { rows, keys, assessment: rows === null ? { ...assessment, duplicateRowShare: notCounted() } : assessment },
      agreement: options.annotators === undefined ? null : await measureAgreement(engine, loaded, options.annotators),
      representativeness,
      protectedAttributes,
      warnings: [...dataSet.warnings, ...protectedAttributes.flatMap((result) => result.warnings)],
    };
  } finally {
    if (loaded !== dataSet) await releaseDataSet(engine, loaded);
  }
}

function notCounted(): DatasetQuality['duplicateRowShare'] {
  return { defined: false, reason: 'duplicate rows were not counted', warnings: [] };
}
