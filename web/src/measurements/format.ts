import type { ApiNumber, Measured, Threshold } from './measurement-api';

/** Number formats of the measurement views: rates as percentages, statistics with four significant digits. */

export function percent(value: number, digits = 2): string {
  return `${(value * 100).toFixed(digits)} %`;
}

export function statistic(value: ApiNumber | number): string {
  if (typeof value === 'string') return value === 'Infinity' ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-4) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** The number of a Measured value, or null when it is undefined or not finite. */
export function numberOf(measured: Measured | null | undefined): number | null {
  if (!measured || !measured.defined) return null;
  const value = Number(measured.value);
  return Number.isFinite(value) ? value : null;
}

export function describeThreshold(threshold: Threshold): string {
  if (threshold.operator === 'between') return `between ${statistic(threshold.min)} and ${statistic(threshold.max)}`;
  const words = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least' } as const;
  return `${words[threshold.operator]} ${statistic(threshold.value)}`;
}

export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

export { formatDateTime as dateTime } from '../components/format';

/** `falsePositiveRate` → `false positive rate`; `false_positive_rate` → `false positive rate`. */
export function words(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
