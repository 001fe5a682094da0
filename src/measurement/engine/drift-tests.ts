import type { CategoryCounts, ExcludedCounts } from '../core/aggregates.js';
import { andersonDarlingKSample } from '../core/drift/anderson-darling.js';
import type { AlignedCounts } from '../core/drift/binning.js';
import { chiSquareHomogeneity, gTest } from '../core/drift/chi-square.js';
import type { DriftTestChoice, DriftTestName } from '../core/drift/default-test.js';
import { hellingerDistance, jensenShannonDistance, kullbackLeibler, populationStabilityIndex, totalVariationDistance } from '../core/drift/distances.js';
import { kolmogorovSmirnov, kolmogorovSmirnovFromStatistic, type KolmogorovSmirnovMethod } from '../core/drift/kolmogorov-smirnov.js';
import { wassersteinDistance, wassersteinNormalized } from '../core/drift/wasserstein.js';
import { defined, undefinedBecause, type Measured, type TestResult } from '../core/measured.js';
import type { AlignedOutcome, ColumnData, NumericAggregate, NumericColumnData } from './drift-column-data.js';

/**
 * Runs one drift test on the aggregates of one column. The test, its input (pooled values, bins
 * or categories) and its binning come from a `DriftTestChoice`. So the default test, a
 * per-column override and a policy metric all run through here.
 */

export interface DriftTestSettings {
  /** Categories of a categorical column kept on their own before the rest are pooled as "other". */
  readonly maxCategories: number;
  /** Method of the KS p-value; default `auto`. */
  readonly ksMethod?: KolmogorovSmirnovMethod;
  /** The pooled limit of the measurement, named in the reason when a test needs every value of a larger column. */
  readonly pooledLimit: number;
}

/** A test result with the bins or categories it was computed on, null for tests on pooled values. */
export interface DriftTestOutcome extends TestResult {
  readonly bins: AlignedCounts | null;
}

type DistanceTest = Exclude<DriftTestName, 'kolmogorov-smirnov' | 'anderson-darling' | 'wasserstein-normalized' | 'chi-square' | 'g-test'>;

const distanceFunctions: Readonly<Record<DistanceTest, (reference: readonly number[], current: readonly number[]) => Measured>> = {
  'population-stability-index': populationStabilityIndex,
  'kullback-leibler': kullbackLeibler,
  'jensen-shannon': jensenShannonDistance,
  hellinger: hellingerDistance,
  'total-variation': totalVariationDistance,
};

export async function runDriftTest(data: ColumnData, choice: DriftTestChoice, settings: DriftTestSettings): Promise<DriftTestOutcome> {
  if (choice.input === 'values') {
    if (data.type !== 'numerical') return undefinedOutcome(`${choice.test} needs ordered numerical values, but the column is categorical`);
    return runValueTest(data, choice.test, settings);
  }

  let outcome: AlignedOutcome;
  let method: string;
  if (choice.input === 'bins') {
    if (data.type !== 'numerical' || choice.binning === null) return undefinedOutcome(`${choice.test} on bins needs a numerical column`);
    outcome = await data.binned(choice.binning.method, choice.binning.binCount);
    method = `${choice.binning.binCount} ${choice.binning.method} bins`;
  } else {
    outcome = data.type === 'numerical' ? await data.valueCategories() : await data.aligned(settings.maxCategories);
    method = 'categories';
  }
  if (!outcome.defined) return undefinedOutcome(outcome.reason);
  return withExcludedWarnings(data, { ...testOnAligned(choice.test, outcome.aligned, method), bins: outcome.aligned }, choice.input === 'bins');
}

/** Returns the Wasserstein distance in the column's unit, a policy metric that is no drift test of its own. */
export async function wassersteinInUnits(data: NumericColumnData): Promise<{ value: Measured; method: 'exact' | 'sql' }> {
  const aggregate = await data.values();
  if (aggregate.kind === 'pooled') return { value: wassersteinDistance(aggregate.pooled), method: 'exact' };
  const distance = aggregate.distance.wasserstein;
  return { value: distance === null || aggregate.distance.statistic === null ? undefinedBecause(emptyReason(data)) : defined(distance), method: 'sql' };
}

/** Runs KS, Anderson-Darling or the normalized Wasserstein distance on a numerical column's values. */
export async function runValueTest(data: NumericColumnData, test: DriftTestName, settings: DriftTestSettings): Promise<DriftTestOutcome> {
  const aggregate = await data.values();
  const outcome = valueTest(data, aggregate, test, settings);
  return aggregate.kind === 'large' ? withExcludedWarnings(data, outcome, false) : outcome;
}

function valueTest(data: NumericColumnData, aggregate: NumericAggregate, test: DriftTestName, settings: DriftTestSettings): DriftTestOutcome {
  const method = settings.ksMethod ?? 'auto';
  if (aggregate.kind === 'pooled') {
    switch (test) {
      case 'kolmogorov-smirnov':
        return { ...kolmogorovSmirnov(aggregate.pooled, { method }), bins: null };
      case 'anderson-darling': {
        const { statistic, pValue, method: pValueMethod, warnings } = andersonDarlingKSample(aggregate.pooled);
        return { statistic, pValue, method: pValueMethod, warnings, bins: null };
      }
      case 'wasserstein-normalized':
        return distanceOutcome(wassersteinNormalized(aggregate.pooled), 'exact');
      default:
        return undefinedOutcome(`${test} does not run on pooled values`);
    }
  }

  const { distance, summary } = aggregate;
  switch (test) {
    case 'kolmogorov-smirnov':
      if (distance.statistic === null) return undefinedOutcome(emptyReason(data));
      return { ...kolmogorovSmirnovFromStatistic(Math.min(1, distance.statistic), distance.referenceSize, distance.currentSize, method), bins: null };
    case 'anderson-darling': {
      const total = distance.referenceSize + distance.currentSize;
      return undefinedOutcome(`Anderson-Darling needs every value in memory, but the column has ${total} finite values, more than the pooled limit of ${settings.pooledLimit}; raise pooledLimit to run it`);
    }
    case 'wasserstein-normalized': {
      if (distance.statistic === null || distance.wasserstein === null) return undefinedOutcome(emptyReason(data));
      const spread = summary.referenceStandardDeviation;
      if (spread === null || spread === 0) {
        return undefinedOutcome('the reference sample is constant (standard deviation 0), so the distance cannot be expressed in reference standard deviations');
      }
      return distanceOutcome(defined(distance.wasserstein / spread), 'sql');
    }
    default:
      return undefinedOutcome(`${test} does not run on pooled values`);
  }
}

/** Runs chi-square, the G-test or a distance on counts over the same bins or categories. */
export function testOnAligned(test: DriftTestName, aligned: AlignedCounts, method: string): TestResult {
  if (test === 'chi-square' || test === 'g-test') {
    const reference: CategoryCounts = { counts: new Map(aligned.labels.map((label, index) => [label, aligned.reference[index] as number])), missing: 0 };
    const current: CategoryCounts = { counts: new Map(aligned.labels.map((label, index) => [label, aligned.current[index] as number])), missing: 0 };
    const result = test === 'chi-square' ? chiSquareHomogeneity(reference, current) : gTest(reference, current);
    return { statistic: result.statistic, pValue: result.pValue, method: result.method, warnings: [...aligned.warnings, ...result.warnings] };
  }
  if (!Object.hasOwn(distanceFunctions, test)) {
    const reason = `${test} needs ordered numerical values and does not run on ${method}`;
    return { statistic: undefinedBecause(reason), pValue: null, method: 'none', warnings: [] };
  }
  const distance = distanceFunctions[test as DistanceTest](aligned.reference, aligned.current);
  return { statistic: distance, pValue: null, method, warnings: [...aligned.warnings, ...distance.warnings] };
}

function distanceOutcome(distance: Measured, method: string): DriftTestOutcome {
  return { statistic: distance, pValue: null, method, warnings: distance.warnings, bins: null };
}

function undefinedOutcome(reason: string): DriftTestOutcome {
  return { statistic: undefinedBecause(reason), pValue: undefinedBecause(reason), method: 'none', warnings: [], bins: null };
}

function emptyReason(data: NumericColumnData): string {
  const { reference, current } = data.sizes;
  const sides = [reference === 0 ? 'the reference sample' : null, current === 0 ? 'the current sample' : null].filter((side) => side !== null);
  return `${sides.join(' and ')} ${sides.length > 1 ? 'have' : 'has'} no finite values, so the distributions cannot be compared`;
}

/**
 * Adds a warning per sample that had values left out. The core's tests on pooled values write
 * these warnings themselves; tests on bins, categories and SQL statistics do not. Binned tests
 * count infinite values in the bins beyond the reference range, so only missing values and NaN
 * are left out of them.
 */
function withExcludedWarnings(data: ColumnData, outcome: DriftTestOutcome, infiniteInBins: boolean): DriftTestOutcome {
  const warnings = [...outcome.warnings];
  for (const side of ['reference', 'current'] as const) {
    const excluded = data.excluded[side];
    const left = infiniteInBins ? { ...excluded, positiveInfinity: 0, negativeInfinity: 0 } : excluded;
    const warning = excludedWarning(side, left);
    if (warning !== null) warnings.push(warning);
  }
  return { ...outcome, warnings };
}

/** Describes the values of one sample that a test left out, or returns null when there are none. */
export function excludedWarning(side: 'reference' | 'current', excluded: ExcludedCounts): string | null {
  const parts: string[] = [];
  if (excluded.missing > 0) parts.push(`${excluded.missing} missing`);
  if (excluded.positiveInfinity > 0) parts.push(`${excluded.positiveInfinity} +Infinity`);
  if (excluded.negativeInfinity > 0) parts.push(`${excluded.negativeInfinity} -Infinity`);
  if (excluded.notANumber > 0) parts.push(`${excluded.notANumber} NaN`);
  if (parts.length === 0) return null;
  return `${side} sample: ${parts.join(', ')} ${parts.length === 1 && parts[0]!.startsWith('1 ') ? 'value' : 'values'} left out of the test`;
}
