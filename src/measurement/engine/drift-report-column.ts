import { defaultBinCount, type AlignedCounts } from '../core/drift/binning.js';
import { categoricalDistinctLimit, decideDrift, driftTestForColumn, type DriftTestKind, type DriftTestName, type DriftTestOverride } from '../core/drift/default-test.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import type { AlignedOutcome, ColumnData } from './drift-column-data.js';
import { runDriftTest, runValueTest, testOnAligned, type DriftTestSettings } from './drift-tests.js';

/**
 * The drift result of one column: the chosen test and its decision, the other applicable
 * measures, and both distributions over the same bins for a chart that overlays them.
 */

/** Counts and shares of both samples over the same bins or categories. */
export interface DriftDistributions {
  readonly kind: 'bins' | 'categories';
  /** A readable name per bin, such as `< 0.5`, `[0.5, 1.2)` or a category. */
  readonly labels: readonly string[];
  /** Bin edges for numerical bins, with one bin below the first and one above the last edge; null for categories. */
  readonly edges: readonly number[] | null;
  readonly reference: SampleDistribution;
  readonly current: SampleDistribution;
  /** Categories pooled into the "other" bin; 0 when there is none. */
  readonly otherCategories: number;
}

export interface SampleDistribution {
  readonly counts: readonly number[];
  /** counts / total; all 0 when the sample is empty. */
  readonly shares: readonly number[];
  readonly total: number;
}

/** A measure reported beside the chosen test, for information; it decides nothing. */
export interface OtherDriftMeasure {
  readonly test: DriftTestName;
  readonly statistic: Measured;
  readonly pValue: Measured | null;
  readonly method: string;
}

export interface ColumnDriftReport {
  readonly test: DriftTestName;
  readonly testKind: DriftTestKind;
  readonly choice: 'default' | 'override';
  readonly reason: string;
  readonly method: string;
  readonly statistic: Measured;
  readonly pValue: Measured | null;
  readonly score: Measured;
  readonly threshold: number;
  readonly rule: 'p-value < threshold' | 'distance >= threshold';
  readonly drifted: boolean | null;
  readonly distributions: DriftDistributions | null;
  readonly otherMeasures: readonly OtherDriftMeasure[];
  readonly warnings: readonly string[];
}

const numericalExtras: readonly DriftTestName[] = ['kolmogorov-smirnov', 'wasserstein-normalized', 'population-stability-index', 'jensen-shannon'];
const categoricalExtras: readonly DriftTestName[] = ['chi-square', 'population-stability-index', 'jensen-shannon', 'total-variation'];

/**
 * Tests one column. When the chosen test is undefined only because both samples hold one and
 * the same value (chi-square needs two categories), the column is reported as not drifted: the
 * two distributions are equal. Throws a RangeError for an override that does not fit the column.
 */
export async function measureColumnDrift(data: ColumnData, override: DriftTestOverride, settings: DriftTestSettings, extraMeasures: boolean): Promise<ColumnDriftReport> {
  const sizes = data.sizes;
  const choice = driftTestForColumn({ columnType: data.type, referenceSize: sizes.reference, currentSize: sizes.current, distinctCount: data.distinctCount }, override);
  const outcome = await runDriftTest(data, choice, settings);
  const display = await displayBins(data, choice.input, choice.binning, settings);

  const decision = decideDrift(choice, outcome);
  const measuredScore = choice.kind === 'p-value' ? outcome.pValue : outcome.statistic;
  const warnings = [...new Set([...outcome.warnings, ...decision.warnings])];
  let drifted: boolean | null = decision.defined ? decision.drifted : null;
  let score: Measured = measuredScore ?? undefinedBecause(`${choice.test} returned no p-value`);
  if (!decision.defined) {
    score = undefinedBecause(decision.reason, score.warnings);
    if (holdsOneSharedValue(data)) {
      drifted = false;
      warnings.push(`both samples hold one and the same value, so their distributions are equal and the column is reported as not drifted although ${choice.test} is undefined`);
    }
  }

  return {
    test: choice.test,
    testKind: choice.kind,
    choice: choice.source,
    reason: data.type === 'numerical' && data.distinctIsEstimate ? choice.reason.replace(`${data.distinctCount} distinct values`, `about ${data.distinctCount} distinct values (estimated)`) : choice.reason,
    method: outcome.method,
    statistic: outcome.statistic,
    pValue: outcome.pValue,
    score,
    threshold: choice.threshold,
    rule: choice.kind === 'p-value' ? 'p-value < threshold' : 'distance >= threshold',
    drifted,
    distributions: display.defined ? distributionsOf(display, data.type === 'categorical' || display.edges === null) : null,
    otherMeasures: extraMeasures ? await otherMeasures(data, choice.test, display, settings) : [],
    warnings,
  };
}

/**
 * Returns the bins the column is shown on: those of the chosen test when it used bins or
 * categories, otherwise 10 reference-quantile bins, or one bin per value for a numerical column
 * with at most 5 distinct values.
 */
function displayBins(data: ColumnData, input: 'values' | 'bins' | 'categories', binning: { method: 'reference-quantiles' | 'equal-width'; binCount: number } | null, settings: DriftTestSettings): Promise<AlignedOutcome> {
  if (data.type === 'categorical') return data.aligned(settings.maxCategories);
  if (input === 'bins' && binning !== null) return data.binned(binning.method, binning.binCount);
  if (input === 'categories' || data.distinctCount <= categoricalDistinctLimit) return data.valueCategories();
  return data.binned('reference-quantiles', defaultBinCount);
}

async function otherMeasures(data: ColumnData, chosen: DriftTestName, display: AlignedOutcome, settings: DriftTestSettings): Promise<OtherDriftMeasure[]> {
  const extras = (data.type === 'numerical' ? numericalExtras : categoricalExtras).filter((test) => test !== chosen);
  const measures: OtherDriftMeasure[] = [];
  for (const test of extras) {
    if (data.type === 'numerical' && (test === 'kolmogorov-smirnov' || test === 'wasserstein-normalized') && data.countedOnly && !data.hasValues) {
      measures.push({ test, statistic: undefinedBecause(data.valuesSkipReason ?? skippedOnLargeSample(test, data.sizes)), pValue: null, method: 'skipped' });
    } else if (data.type === 'numerical' && (test === 'kolmogorov-smirnov' || test === 'wasserstein-normalized')) {
      const { statistic, pValue, method } = await runValueTest(data, test, settings);
      measures.push({ test, statistic, pValue, method });
    } else if (display.defined) {
      const { statistic, pValue, method } = testOnAligned(test, display.aligned, display.edges === null ? 'categories' : 'bins');
      measures.push({ test, statistic, pValue, method });
    } else {
      measures.push({ test, statistic: undefinedBecause(display.reason), pValue: null, method: 'none' });
    }
  }
  return measures;
}

/**
 * Why an extra measure on values was not computed for a large column. KS and the Wasserstein
 * distance need every value sorted (in JavaScript or in SQL), which on 1,000,000 rows per
 * sample costs several times the scan that the bins take; the chosen test on bins decides
 * without them.
 */
function skippedOnLargeSample(test: DriftTestName, sizes: { readonly reference: number; readonly current: number }): string {
  return `skipped for cost: ${test} needs every value sorted, and the samples have ${sizes.reference} and ${sizes.current} finite values; ask for it with a column override or a policy check to compute it`;
}

function holdsOneSharedValue(data: ColumnData): boolean {
  const { reference, current } = data.sizes;
  return data.distinctCount === 1 && reference > 0 && current > 0;
}

function distributionsOf(outcome: Extract<AlignedOutcome, { defined: true }>, isCategories: boolean): DriftDistributions {
  const aligned: AlignedCounts = outcome.aligned;
  return {
    kind: isCategories ? 'categories' : 'bins',
    labels: [...aligned.labels],
    edges: outcome.edges === null ? null : [...outcome.edges],
    reference: sampleDistribution(aligned.reference),
    current: sampleDistribution(aligned.current),
    otherCategories: aligned.otherCategories,
  };
}

function sampleDistribution(counts: readonly number[]): SampleDistribution {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { counts: [...counts], shares: counts.map((count) => (total === 0 ? 0 : count / total)), total };
}
