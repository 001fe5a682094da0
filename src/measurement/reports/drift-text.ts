import type { ColumnDriftResult, DriftMeasurement } from '../engine/drift-measurement.js';
import { formatNumber, withoutControlCharacters } from './report-text.js';
import { Footnotes, layOutColumns, type TextColumn } from './text-columns.js';

/**
 * Writes a drift measurement as a terminal table: one row per compared column with its type,
 * test, statistic, p-value or distance, threshold and whether it drifted, then the dataset drift
 * line. An undefined value is written "undefined [n]" with its reason in footnote n, and a
 * column that could not be tested gives its reason in the same way.
 */
export function renderDriftText(measurement: DriftMeasurement): string {
  const footnotes = new Footnotes();
  const sections = [header(measurement), columnTable(measurement.columns, footnotes), [datasetDriftLine(measurement)], notes(measurement, footnotes)];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

const columns: readonly TextColumn[] = [
  { header: 'Column', align: 'left' },
  { header: 'Type', align: 'left' },
  { header: 'Test', align: 'left' },
  { header: 'Statistic' },
  { header: 'P-value / distance' },
  { header: 'Threshold' },
  { header: 'Drifted', align: 'left' },
];

function header(measurement: DriftMeasurement): string[] {
  const { reference, current, referenceProfile } = measurement;
  const lines = [withoutControlCharacters(`Drift from ${reference.file} (${reference.rows} rows) to ${current.file} (${current.rows} rows)`)];
  if (referenceProfile !== undefined) {
    lines.push(withoutControlCharacters(`Reference read from the profile ${referenceProfile.file}, made ${referenceProfile.createdAt} from the file with SHA-256 ${referenceProfile.referenceSha256}`));
  }
  return lines;
}

function columnTable(results: readonly ColumnDriftResult[], footnotes: Footnotes): string[] {
  if (results.length === 0) return ['No column is present in both files.'];
  const rows = results.map((result) => {
    const name = result.currentColumn === result.column ? result.column : `${result.column} (${result.currentColumn})`;
    if (result.test === null) return [name, result.type ?? '', `not tested ${footnotes.marker(result.reason)}`, '', '', '', ''];
    const statistic = result.testKind === 'p-value' ? footnotes.cell(result.statistic, formatNumber) : '-';
    const threshold = `${result.testKind === 'p-value' ? '<' : '>='} ${formatNumber(result.threshold as number)}`;
    let drifted = 'undefined';
    if (result.drifted !== null) drifted = result.drifted ? 'yes' : 'no';
    return [name, result.type ?? '', result.test, statistic, footnotes.cell(result.score, formatNumber), threshold, drifted];
  });
  return layOutColumns(columns, rows);
}

/** Writes the share of drifted columns and its threshold as one sentence. */
export function datasetDriftLine(measurement: DriftMeasurement): string {
  const drift = measurement.datasetDrift;
  if (!drift.defined) return `Dataset drift: undefined, because ${drift.reason}.`;
  const share = `${(drift.share * 100).toFixed(2)} %`;
  const threshold = `${formatNumber(drift.threshold * 100)} %`;
  const verdict = drift.drifted ? 'so the dataset has drifted' : 'so the dataset has not drifted';
  return `Dataset drift: ${drift.driftedColumns} of ${drift.testedColumns} tested columns drifted (${share}); the threshold is ${threshold} of the columns, ${verdict}.`;
}

function notes(measurement: DriftMeasurement, footnotes: Footnotes): string[] {
  const lines = footnotes.lines();
  for (const result of measurement.columns) {
    if (result.unit !== null) lines.push(withoutControlCharacters(`${result.column} is tested as ${result.unit}.`));
  }
  const warnings = [...measurement.warnings, ...measurement.columns.flatMap((result) => result.warnings.map((warning) => `${result.column}: ${warning}`))];
  if (warnings.length > 0) lines.push('Warnings:', ...warnings.map((warning) => withoutControlCharacters(`  ${warning}`)));
  return lines;
}
