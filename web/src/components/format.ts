/**
 * The one date style of the web app: "4 Dec 2026" for a day and "4 Dec 2026, 14:05" for a moment,
 * in the browser's time zone. The month names are fixed here rather than taken from the browser's
 * locale data, because browsers differ ("Sep" or "Sept") and every screen must read the same.
 */

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A calendar date without a time, as the API sends due, review and validity dates. */
const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const localParts = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Splits an API value into its parts in the browser's time zone. A bare YYYY-MM-DD stays the
 * day it names: parsing it as an instant would show the day before west of Greenwich.
 */
function partsOf(value: string): DateParts | null {
  const calendar = calendarDatePattern.exec(value);
  if (calendar) return { year: Number(calendar[1]), month: Number(calendar[2]), day: Number(calendar[3]), hour: 0, minute: 0 };

  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return null;
  const parts: Record<string, number> = {};
  for (const part of localParts.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** True for a value that names a day only (YYYY-MM-DD), which has no time of day to show. */
export function isCalendarDate(value: string): boolean {
  return calendarDatePattern.test(value);
}

/** Formats an ISO timestamp or YYYY-MM-DD date as "4 Dec 2026"; an empty value gives "", an unreadable one is returned as it is. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const parts = partsOf(value);
  if (!parts) return value;
  return `${parts.day} ${monthNames[parts.month - 1]} ${parts.year}`;
}

/** Formats an ISO timestamp as "4 Dec 2026, 14:05"; a YYYY-MM-DD date has no time, so it gets the date alone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const parts = partsOf(value);
  if (!parts) return value;
  if (isCalendarDate(value)) return formatDate(value);
  const time = `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`;
  return `${parts.day} ${monthNames[parts.month - 1]} ${parts.year}, ${time}`;
}
