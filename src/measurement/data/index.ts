/**
 * The data layer of the measurement engine: opens CSV, Parquet and JSON Lines files through
 * DuckDB and computes the aggregates of `../core/aggregates.ts` with SQL, scanning files where
 * they lie.
 */
export { DataEngine, type DataEngineOptions, type ProgressListener, type ScanProgress } from './engine.js';
export { fileFormats, inferFileFormat, resolveFileSpec, type CsvOptions, type DataFileSpec, type FileFormat, type ResolvedFileSpec } from './file-spec.js';
export { DataSet } from './dataset.js';
export type { ErrorContext } from './duckdb-errors.js';
export { quoteIdentifier, SqlParameters } from './sql-text.js';
export { materializeDataSet, openDataSet, releaseDataSet } from './open-dataset.js';
export { describeDataSet, type ColumnDescription, type DataSetDescription } from './describe.js';
export { classifyDuckDbType, driftUnit, isNumberLike, type ColumnType, type DataColumn } from './column-types.js';
export type { ColumnValue } from './value-matching.js';
export type { MissingGroupPolicy } from './group-keys.js';
export type { BinaryLabelSpec, BinaryLabelValues } from './label-check.js';
export { groupedConfusionCounts, type BinaryPredictionSpec, type GroupedConfusionOptions, type GroupedConfusionResult } from './confusion-counts.js';
export { scoreLabelCounts, type GroupScoreLabelCounts, type ScoreLabelOptions, type ScoreLabelResult } from './score-counts.js';
export { multiclassConfusionCounts, orderClasses, type GroupMulticlassConfusion, type MulticlassOptions, type MulticlassResult } from './multiclass-counts.js';
export { regressionSums, type GroupRegressionSums, type RegressionOptions, type RegressionResult } from './regression-sums.js';
export {
  compareNumericColumns,
  ensureSameScale,
  defaultPooledLimit,
  distributionDistance,
  fetchSortedFinite,
  mergeCountedSample,
  mergeSortedSamples,
  numericColumnSummaries,
  numericDriftSummaries,
  type NumericDriftSummary,
  pooledValueCounts,
  type DistributionDistance,
  type NumericColumnSummary,
  type NumericComparison,
  type NumericComparisonOptions,
} from './numeric-drift.js';
export { categoryCountsOf, combinedDistinctCount, numericValueCounts, scanForDrift, valueCountLimit, type DriftScan, type DriftScanRequest, type NumericScanResult } from './drift-scan.js';
export { binnedCounts, columnQuantiles, columnsQuantiles, nextValuesAbove, type BinSpec } from './binned-counts.js';
export { compareCategories, compareCategoryColumns, compareCategoryCounts, defaultTopK, unseenCategoryShares, type CategoryComparison, type CategoryCountOptions } from './category-counts.js';
export { columnQualityCounts, declaredTypes, type ColumnQualityCounts, type DeclaredColumn, type DeclaredType } from './quality-counts.js';
export { duplicateKeyCounts, duplicateRowCounts, type DuplicateKeyCounts, type DuplicateRowCounts } from './duplicate-counts.js';
export { annotatorLabelCounts, annotatorPairMatrix, type AnnotatorLabelCounts } from './annotator-counts.js';
