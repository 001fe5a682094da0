import type { Measured } from '../core/measured.js';
import type { CheckOutcome } from './run-outcome.js';

/** Formatting shared by the report writers: numbers, measured values, targets and unsafe characters. */

/**
 * Writes a number with four significant digits for reading (0.448468 as 0.4485); whole numbers
 * in full. The JSON report keeps every digit.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

export function formatMeasured(value: Measured): string {
  return value.defined ? formatNumber(value.value) : 'undefined';
}

/** Describes the column and group of an outcome for one table cell: "age", "race=Caucasian", or "all rows". */
export function formatTarget(outcome: CheckOutcome): string {
  const parts = [outcome.column, outcome.group].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' / ') : 'all rows';
}

/**
 * Characters that XML 1.0 cannot carry at all, even as references: C0 controls other than tab,
 * line feed and carriage return, unpaired surrogates, and U+FFFE and U+FFFF.
 */
const notXmlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;

/** Control characters a terminal could act on (C0, DEL, C1), including tab and line breaks. */
const controlCharacter = /[\u0000-\u001F\u007F-\u009F]|\p{Cs}/gu;

function escapeCodeUnit(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces the characters XML cannot carry by a visible \uXXXX, so that no text is silently lost. */
export function withoutNonXmlCharacters(text: string): string {
  return text.replace(notXmlCharacter, escapeCodeUnit);
}

/** Replaces control characters by a visible \uXXXX, so that data cannot move the cursor or recolour a terminal. */
export function withoutControlCharacters(text: string): string {
  return text.replace(controlCharacter, escapeCodeUnit);
}

/** Escapes text for XML character data. Carriage returns are written as references, which parsers keep. */
export function escapeXmlText(text: string): string {
  return withoutNonXmlCharacters(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * Escapes text for a double-quoted XML attribute. Tab, line feed and carriage return are written
 * as references because attribute-value normalization would turn them into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/**
 * Escapes text for one cell of a Markdown table: the pipe that would end the cell, HTML that a
 * renderer would interpret, line breaks that would end the row, and control characters.
 */
export function escapeMarkdownCell(text: string): string {
  return withoutControlCharacters(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_');
}

/** Writes a check id or metric name as inline code; both are drawn from characters without backticks. */
export function markdownCode(name: string): string {
  return `\`${name.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}
