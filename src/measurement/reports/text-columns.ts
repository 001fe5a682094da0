import type { Measured } from '../core/measured.js';
import { formatNumber, withoutControlCharacters } from './report-text.js';

/**
 * Building blocks of the terminal tables of ad-hoc measurements: aligned columns, percentages,
 * and footnotes that give the reason of each undefined value.
 */

export interface TextColumn {
  readonly header: string;
  /** Numbers are aligned right, names left (default `right`). */
  readonly align?: 'left' | 'right';
}

/**
 * Lays out rows under their headers with two spaces between columns. Widths count code points,
 * and control characters from the data are shown as \uXXXX. Trailing spaces are removed.
 * NOTE: wide characters (CJK, emoji) take two terminal columns and shift the columns after them.
 */
export function layOutColumns(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string[] {
  const cleanRows = [columns.map((column) => column.header), ...rows].map((row) => row.map((cell) => withoutControlCharacters(cell)));
  const widths = columns.map((_, index) => Math.max(...cleanRows.map((row) => lengthOf(row[index] ?? ''))));
  return cleanRows.map((row) =>
    columns
      .map((column, index) => {
        const cell = row[index] ?? '';
        const padding = ' '.repeat((widths[index] ?? 0) - lengthOf(cell));
        return (column.align ?? 'right') === 'left' ? cell + padding : padding + cell;
      })
      .join('  ')
      .trimEnd(),
  );
}

function lengthOf(text: string): number {
  return [...text].length;
}

/**
 * Numbers the distinct reasons of undefined values, so that a table cell shows "undefined [1]"
 * and the reason appears once below the table.
 */
export class Footnotes {
  private readonly reasons: string[] = [];

  /** Returns the marker of a reason, adding the reason when it is new. */
  marker(reason: string): string {
    let index = this.reasons.indexOf(reason);
    if (index === -1) {
      this.reasons.push(reason);
      index = this.reasons.length - 1;
    }
    return `[${index + 1}]`;
  }

  /** Writes a measured value with `format`, or "undefined" with the marker of its reason. */
  cell(value: Measured, format: (number: number) => string): string {
    return value.defined ? format(value.value) : `undefined ${this.marker(value.reason)}`;
  }

  lines(): string[] {
    return this.reasons.map((reason, index) => withoutControlCharacters(`[${index + 1}] ${reason}`));
  }
}

/** Writes a share as a percentage with two decimals: 0.448468 as "44.85 %". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(2)} %`;
}

/** Writes a share as a percentage with two decimals and no unit, for tables whose title states it. */
export function formatPercentNumber(share: number): string {
  return (share * 100).toFixed(2);
}

/** Writes a difference of two shares in percentage points: 0.2139 as "21.39 pp". */
export function formatPercentagePoints(difference: number): string {
  return `${(difference * 100).toFixed(2)} pp`;
}

/** Writes a ratio or score with four decimals, or with four significant digits when it is large. */
export function formatRatio(value: number): string {
  return Math.abs(value) >= 1000 ? formatNumber(value) : value.toFixed(4);
}
