import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/audit/chain.js';
import { cusumChart, ewmaChart, pageHinkley, shewhartChart, type SpcBreach } from './core/spc.js';
import type { KpiSeries, SpcBreachOfRun } from './measurement.schemas.js';
import { apiNumber } from './measurements.repository.js';
import type { MonitoringSettings, SpcChart } from './policy/policy.js';
import type { CheckResult } from './reports/run-outcome.js';
import type { MeasurementValueTable } from '../platform/database/schema.js';

/**
 * KPI series: the stored values of one metric of one AI system, split by parameters, column and
 * group, in time order, with the control charts drawn over each. Pure: rows in, series out.
 */

export interface SeriesKey {
  /** Canonical JSON of the metric's parameters. */
  readonly parameters: string;
  readonly column: string | null;
  readonly group: string | null;
}

export interface SeriesWithCharts extends KpiSeries {
  readonly key: SeriesKey;
}

/** Returns the hex SHA-256 of the canonical JSON [parameters, column, group] that identifies a KPI series of a metric. */
export function seriesKeyOf(target: { readonly parameters: Readonly<Record<string, unknown>>; readonly column: string | null; readonly group: string | null }): string {
  return createHash('sha256').update(canonicalJson([target.parameters, target.column, target.group])).digest('hex');
}

/**
 * Splits rows into series and keeps one point per run in each. Two checks of a policy may
 * measure the same metric with the same parameters on the same column and group. Their values
 * are then equal, so the first (lowest position) stands for the run.
 */
export function groupIntoSeries(rows: readonly MeasurementValueTable[]): { key: SeriesKey; rows: MeasurementValueTable[] }[] {
  const series = new Map<string, { key: SeriesKey; rows: MeasurementValueTable[]; runs: Set<string> }>();
  for (const row of rows) {
    const id = row.series_key;
    let entry = series.get(id);
    if (!entry) {
      entry = { key: { parameters: row.parameters, column: row.column_name, group: row.group_name }, rows: [], runs: new Set() };
      series.set(id, entry);
    }
    if (entry.runs.has(row.run_id)) continue;
    entry.runs.add(row.run_id);
    entry.rows.push(row);
  }
  return [...series.values()]
    .map(({ key, rows: seriesRows }) => ({ key, rows: seriesRows.sort((a, b) => a.measured_at.localeCompare(b.measured_at) || a.run_id.localeCompare(b.run_id)) }))
    .sort((a, b) => compareKeys(a.key, b.key));
}

function compareKeys(a: SeriesKey, b: SeriesKey): number {
  return a.parameters.localeCompare(b.parameters) || (a.column ?? '').localeCompare(b.column ?? '') || (a.group ?? '').localeCompare(b.group ?? '');
}

/**
 * Draws the chosen control charts over the finite values of a series. Undefined and infinite
 * values are left out, since a control chart needs numbers; the breaches name the run of the
 * point that breached.
 */
export function chartSeries(key: SeriesKey, rows: readonly MeasurementValueTable[], settings: Pick<MonitoringSettings, 'charts' | 'baselineLength'>): SeriesWithCharts {
  const finite = rows.filter((row) => row.value !== null && Number.isFinite(Number(row.value)));
  const values = finite.map((row) => Number(row.value));
  const timestamps = finite.map((row) => row.measured_at);
  const charts: Partial<Record<SpcChart, unknown>> = {};
  const breaches: SpcBreachOfRun[] = [];

  for (const chart of settings.charts) {
    const drawn = drawChart(chart, values, timestamps, settings.baselineLength);
    charts[chart] = drawn;
    if (!drawn.defined) continue;
    for (const breach of drawn.breaches) breaches.push(toBreachOfRun(chart, breach, finite));
  }

  return {
    key,
    parameters: JSON.parse(key.parameters) as Record<string, unknown>,
    column: key.column,
    group: key.group,
    points: rows.map((row) => ({
      runId: row.run_id,
      measuredAt: row.measured_at,
      checkId: row.check_id,
      value: apiNumber(row.value),
      undefinedReason: row.undefined_reason,
      result: row.result as CheckResult,
    })),
    charts: charts as KpiSeries['charts'],
    breaches,
  };
}

function drawChart(chart: SpcChart, values: number[], timestamps: string[], baselineLength: number) {
  switch (chart) {
    case 'shewhart':
      return shewhartChart(values, { baselineLength, timestamps });
    case 'cusum':
      return cusumChart(values, { baselineLength, timestamps });
    case 'ewma':
      return ewmaChart(values, { baselineLength, timestamps });
    case 'page_hinkley':
      return pageHinkley(values, { timestamps });
  }
}

function toBreachOfRun(chart: SpcChart, breach: SpcBreach, finite: readonly MeasurementValueTable[]): SpcBreachOfRun {
  const row = finite[breach.index]!;
  return { chart, rule: breach.rule, runId: row.run_id, measuredAt: row.measured_at, value: breach.value, side: breach.side };
}
