import { defaultBinCount } from '../core/drift/binning.js';
import { driftTestForColumn, type DriftTestName, type DriftTestOverride } from '../core/drift/default-test.js';
import type { KolmogorovSmirnovMethod } from '../core/drift/kolmogorov-smirnov.js';
import { undefinedBecause, type Measured } from '../core/measured.js';
import { metricDefinitions } from '../policy/metric-names.js';
import type { ParameterValue } from '../policy/policy.js';
import type { ColumnData } from './drift-column-data.js';
import type { DriftColumnType } from './drift-columns.js';
import { runDriftTest, wassersteinInUnits, type DriftTestSettings } from './drift-tests.js';
import { withCoreErrors } from './core-errors.js';

/**
 * The per-column drift metrics of the policy vocabulary (`metric-names.ts`), computed from the
 * same column aggregates as the drift report, so that the checks of a policy need no scan of
 * their own.
 */

export const columnDriftMetrics = ['ks', 'wasserstein', 'wasserstein_normalized', 'psi', 'kl', 'jensen_shannon', 'hellinger', 'anderson_darling', 'chi_square', 'g_test', 'total_variation'] as const;
export type ColumnDriftMetric = (typeof columnDriftMetrics)[number];

const testOfMetric: Readonly<Record<Exclude<ColumnDriftMetric, 'wasserstein'>, DriftTestName>> = {
  ks: 'kolmogorov-smirnov',
  wasserstein_normalized: 'wasserstein-normalized',
  psi: 'population-stability-index',
  kl: 'kullback-leibler',
  jensen_shannon: 'jensen-shannon',
  hellinger: 'hellinger',
  anderson_darling: 'anderson-darling',
  chi_square: 'chi-square',
  g_test: 'g-test',
  total_variation: 'total-variation',
};

/** One metric with its parameters, computed for every compared column whose type it accepts. */
export interface DriftMetricRequest {
  /** The key under which the values appear in the measurement's `metrics`. */
  readonly key: string;
  readonly metric: ColumnDriftMetric;
  /** Parameters as `metric-names.ts` defines them; absent ones take their defaults there. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Reference columns to compute it for; absent or null for every compared column of a type it accepts. */
  readonly columns?: readonly string[] | null;
}

/** Returns whether a metric request covers a column, by type and by the columns it names. */
export function metricAppliesTo(request: DriftMetricRequest, column: string, type: 'numerical' | 'categorical'): boolean {
  return metricAcceptsType(request.metric, type) && (request.columns == null || request.columns.includes(column));
}

export interface DriftMetricValue {
  readonly column: string;
  /** The number a threshold applies to: the p-value or the statistic, as the `value` parameter selects, or the distance. */
  readonly value: Measured;
  readonly statistic: Measured;
  readonly pValue: Measured | null;
  /** Computation of the value: `exact` or `asymptotic` for KS, the bins for a distance. */
  readonly method: string;
  /** The counts the value was computed on, for metrics over bins or categories. */
  readonly bins: { readonly labels: readonly string[]; readonly reference: readonly number[]; readonly current: readonly number[] } | null;
  readonly warnings: readonly string[];
}

export function isColumnDriftMetric(name: string): name is ColumnDriftMetric {
  return (columnDriftMetrics as readonly string[]).includes(name);
}

/** Returns whether a metric applies to a column that is tested as `type`. */
export function metricAcceptsType(metric: ColumnDriftMetric, type: DriftColumnType): boolean {
  return (metricDefinitions[metric].columnTypes as readonly string[]).includes(type);
}

/** Returns the undefined value of a metric for a column that could not be compared, with the reason. */
export function incomparableMetricValue(column: string, reason: string): DriftMetricValue {
  const value = undefinedBecause(reason);
  return { column, value, statistic: value, pValue: null, method: 'none', bins: null, warnings: [] };
}

/**
 * Computes one metric on one column. Bin parameters (`bins`, `binning`) apply to numerical
 * columns with more than 5 distinct values. A numerical column with fewer is binned by value, as
 * the default test treats it. `maxCategories` applies to categorical columns.
 */
export async function measureDriftMetric(data: ColumnData, request: DriftMetricRequest, settings: DriftTestSettings): Promise<DriftMetricValue> {
  const parameters = request.parameters;
  if (request.metric === 'wasserstein') {
    if (data.type !== 'numerical') return incomparableMetricValue(data.column, 'the Wasserstein distance needs a numerical column');
    const { value, method } = await wassersteinInUnits(data);
    return { column: data.column, value, statistic: value, pValue: null, method, bins: null, warnings: value.warnings };
  }

  const test = testOfMetric[request.metric];
  const override: DriftTestOverride =
    data.type === 'numerical' ? { test, binning: parameters['binning'] === 'equal_width' ? 'equal-width' : 'reference-quantiles', binCount: integerParameter(parameters['bins'], defaultBinCount) } : { test };
  const { sizes } = data;
  const choice = withCoreErrors(`/checks/${request.key}`, () =>
    driftTestForColumn({ columnType: data.type, referenceSize: sizes.reference, currentSize: sizes.current, distinctCount: data.distinctCount }, override),
  );
  const outcome = await runDriftTest(data, choice, {
    ...settings,
    maxCategories: integerParameter(parameters['maxCategories'], settings.maxCategories),
    ksMethod: (parameters['method'] as KolmogorovSmirnovMethod | undefined) ?? settings.ksMethod ?? 'auto',
  });

  const wantsStatistic = parameters['value'] === 'statistic' || outcome.pValue === null;
  const value = wantsStatistic ? outcome.statistic : (outcome.pValue as Measured);
  const bins = outcome.bins === null ? null : { labels: [...outcome.bins.labels], reference: [...outcome.bins.reference], current: [...outcome.bins.current] };
  return { column: data.column, value, statistic: outcome.statistic, pValue: outcome.pValue, method: outcome.method, bins, warnings: outcome.warnings };
}

function integerParameter(value: ParameterValue | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}
