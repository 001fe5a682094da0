/** Formats a byte count with binary prefixes, as file managers do: 2048 → "2.0 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Today's date as YYYY-MM-DD in UTC, the calendar the API uses for validity dates. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from today (UTC) to a YYYY-MM-DD date: 0 on that day, negative once it has passed. */
export function daysUntil(date: string, now: Date = new Date()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${todayUtc(now)}T00:00:00Z`)) / 86_400_000);
}

export { formatDateTime as formatInstant } from '../components/format';

/** Describes a file larger than the upload limit with both sizes, or returns undefined when it fits or the limit is not known yet. */
export function oversizeMessage(file: { name: string; size: number }, maxFileBytes: number | undefined): string | undefined {
  if (maxFileBytes === undefined || file.size <= maxFileBytes) return undefined;
  return `"${file.name}" is ${formatBytes(file.size)} (${file.size} bytes), larger than the upload limit of ${formatBytes(maxFileBytes)} (${maxFileBytes} bytes); split or compress the file, or ask an administrator to raise the limit`;
}
