/** Summary statistics of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Returns the p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest sample such
 * that at least p % of the samples are less than or equal to it. An empty list gives NaN.
 */
export function percentile(sortedSamples: readonly number[], p: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedSamples.length);
  return sortedSamples[Math.min(sortedSamples.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

export function formatMs(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/** Formats one fixed-width table row: a label and columns. */
export function tableRow(label: string, columns: readonly string[]): string {
  return `${label.padEnd(34)}${columns.map((column) => column.padStart(12)).join('')}`;
}

export function summaryColumns(summary: LatencySummary): string[] {
  return [String(summary.count), formatMs(summary.p50), formatMs(summary.p95), formatMs(summary.p99), formatMs(summary.max)];
}

export const summaryHeader = tableRow('', ['requests', 'p50', 'p95', 'p99', 'max']);
