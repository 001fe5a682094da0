import { describeThreshold } from '../policy/thresholds.js';
import { formatMeasured, formatTarget, withoutControlCharacters } from './report-text.js';
import { countOutcomes, failsRun, outcomesByFamily, runResultOf, type CheckOutcome, type RunOutcome } from './run-outcome.js';

/**
 * Writes a run as a plain-text table for the terminal: one block per metric family with aligned
 * columns, then the reasons for undefined values and a summary line. Control characters from
 * the data are shown as \uXXXX so that a column name cannot move the cursor or recolour the
 * terminal. Long cells are cut to `maxCellWidth` characters with an ellipsis.
 */

export interface TextTableOptions {
  /** Maximum cell width in characters; longer cells are cut. Default 40. */
  readonly maxCellWidth?: number;
}

const headers = ['RESULT', 'CHECK', 'METRIC', 'COLUMN / GROUP', 'VALUE', 'THRESHOLD', 'SEVERITY'] as const;

export function renderTextTable(run: RunOutcome, options: TextTableOptions = {}): string {
  const maxCellWidth = options.maxCellWidth ?? 40;
  const lines: string[] = [];

  for (const [family, outcomes] of outcomesByFamily(run.outcomes)) {
    const rows = outcomes.map((outcome) => rowOf(outcome).map((cell) => clip(withoutControlCharacters(cell), maxCellWidth)));
    const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => lengthOf(row[index]!))));
    if (lines.length > 0) lines.push('');
    lines.push(family.toUpperCase());
    lines.push(formatRow([...headers], widths));
    for (const row of rows) lines.push(formatRow(row, widths));
  }

  const undefinedOutcomes = run.outcomes.filter((outcome) => !outcome.value.defined);
  if (undefinedOutcomes.length > 0) {
    lines.push('', 'Undefined values:');
    for (const outcome of undefinedOutcomes) {
      const reason = outcome.value.defined ? '' : outcome.value.reason;
      lines.push(`  ${withoutControlCharacters(`${outcome.checkId} (${formatTarget(outcome)}): ${reason}`)}`);
    }
  }

  const counts = countOutcomes(run.outcomes);
  const result = runResultOf(run.outcomes).replace(/_/g, ' ').toUpperCase();
  if (lines.length > 0) lines.push('');
  lines.push(`${result}: ${counts.total} outcomes, ${counts.passed} passed, ${counts.failed} failed, ${counts.undefined} undefined; ${counts.failingRun} fail the run.`);
  return `${lines.join('\n')}\n`;
}

function rowOf(outcome: CheckOutcome): string[] {
  let result: string = outcome.result;
  if (failsRun(outcome)) result = outcome.result.toUpperCase();
  else if (outcome.result !== 'passed') result = `${outcome.result} (warning)`;
  return [result, outcome.checkId, outcome.metric, formatTarget(outcome), formatMeasured(outcome.value), describeThreshold(outcome.threshold), outcome.severity];
}

/**
 * Pads every cell but the last to its column's width; the value column is aligned right. Widths
 * count code points, so a character outside the Basic Multilingual Plane counts once.
 * NOTE: wide characters (CJK, emoji) take two terminal columns and still shift the columns after them.
 */
function formatRow(cells: string[], widths: number[]): string {
  const valueColumn = headers.indexOf('VALUE');
  return cells
    .map((cell, index) => {
      if (index === cells.length - 1) return cell;
      const padding = ' '.repeat(widths[index]! - lengthOf(cell));
      return index === valueColumn ? padding + cell : cell + padding;
    })
    .join('  ');
}

function lengthOf(text: string): number {
  return [...text].length;
}

function clip(text: string, width: number): string {
  const characters = [...text];
  return characters.length > width ? `${characters.slice(0, width - 1).join('')}…` : text;
}
