import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../web/src/components/format.js';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('web app date format', () => {
  it('formats a calendar date as that day', () => {
    // A bare date names a day in every time zone; it must not move to the day before.
    expect(formatDate('2026-12-04')).toBe('4 Dec 2026');
    expect(formatDate('2026-09-30')).toBe('30 Sep 2026');
    expect(formatDateTime('2026-01-01')).toBe('1 Jan 2026');
  });

  it('formats an instant in the local time zone', () => {
    const instant = '2026-12-04T14:05:09.123Z';
    const local = new Date(instant);
    const day = `${local.getDate()} ${months[local.getMonth()]} ${local.getFullYear()}`;
    const time = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    expect(formatDate(instant)).toBe(day);
    expect(formatDateTime(instant)).toBe(`${day}, ${time}`);
  });

  it('writes midnight as 00, not 24', () => {
    const midnight = new Date(2026, 2, 15, 0, 7).toISOString();
    expect(formatDateTime(midnight)).toBe('15 Mar 2026, 00:07');
  });

  it('passes empty and unreadable values through', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
    expect(formatDateTime('')).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
