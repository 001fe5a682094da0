import type { Judgement, QualityCheck } from '../core/quality.js';
import type { QualityMeasurement } from '../engine/quality-measurement.js';
import { formatNumber, withoutControlCharacters } from './report-text.js';
import { Footnotes, formatPercent, formatRatio, layOutColumns, type TextColumn } from './text-columns.js';

/**
 * Writes a data-quality measurement as terminal tables: per-column quality, duplicates,
 * annotator agreement, representativeness and protected attributes, then every threshold check
 * that failed or is undefined. An undefined value is written "undefined [n]" with its reason in
 * footnote n.
 */
export function renderQualityText(measurement: QualityMeasurement): string {
  const footnotes = new Footnotes();
  const sections = [
    [withoutControlCharacters(`Data quality of ${measurement.file} (${measurement.rowCount} rows)`)],
    columnTable(measurement, footnotes),
    duplicateLines(measurement, footnotes),
    agreementLines(measurement, footnotes),
    representativenessLines(measurement, footnotes),
    protectedAttributeLines(measurement, footnotes),
    checkLines(measurement, footnotes),
    footnotes.lines(),
    measurement.warnings.length > 0 ? ['Warnings:', ...measurement.warnings.map((warning) => withoutControlCharacters(`  ${warning}`))] : [],
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

const columnHeaders: readonly TextColumn[] = [
  { header: 'Column', align: 'left' },
  { header: 'Type', align: 'left' },
  { header: 'Complete' },
  { header: 'Distinct' },
  { header: 'Type conformance' },
  { header: 'Range violations' },
  { header: 'Domain violations' },
  { header: 'Most frequent' },
  { header: 'Constant', align: 'left' },
];

function columnTable(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  const rows = measurement.columns.map((column) => [
    column.column,
    column.declared === null ? column.dataType : `${column.dataType} as ${column.declared.type}`,
    footnotes.cell(column.completeness, formatPercent),
    String(column.distinct),
    footnotes.cell(column.typeConformance, formatPercent),
    column.rangeViolations === null ? '-' : String(column.rangeViolations),
    column.domainViolations === null ? '-' : String(column.domainViolations),
    footnotes.cell(column.mostFrequentShare, formatPercent),
    constantCell(column.constant, column.almostConstant, footnotes),
  ]);
  return layOutColumns(columnHeaders, rows);
}

function constantCell(constant: Judgement, almostConstant: Judgement, footnotes: Footnotes): string {
  if (!constant.defined) return `undefined ${footnotes.marker(constant.reason)}`;
  if (constant.value) return 'constant';
  return almostConstant.defined && almostConstant.value ? 'almost constant' : 'no';
}

function duplicateLines(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  const { rows, keys, assessment } = measurement.duplicates;
  const lines: string[] = [];
  if (rows !== null) lines.push(`Duplicate rows: ${rows.duplicateRows} (${footnotes.cell(assessment.duplicateRowShare, formatPercent)} of all rows).`);
  if (keys !== null) {
    const example = keys.example === null ? '' : `; the most repeated key, ${keys.example.join(', ')}, occurs ${keys.exampleCount} times`;
    lines.push(
      withoutControlCharacters(
        `Duplicate keys over ${keys.keyColumns.join(', ')}: ${keys.duplicateRows} rows (${footnotes.cell(assessment.duplicateKeyShare, formatPercent)}), ${keys.missingKey} rows with a missing key part${example}.`,
      ),
    );
  }
  return lines;
}

function agreementLines(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  const agreement = measurement.agreement;
  if (agreement === null) return [];
  const rows = agreement.cohenKappa.map((pair) => [pair.first, pair.second, String(pair.items), footnotes.cell(pair.kappa, formatRatio)]);
  return [
    withoutControlCharacters(`Agreement of ${agreement.annotators.join(', ')} over ${agreement.items} items (labels ${agreement.labels.join(', ')})`),
    ...layOutColumns([{ header: 'Annotator', align: 'left' }, { header: 'Annotator', align: 'left' }, { header: 'Items' }, { header: `Cohen's kappa (${agreement.weights})` }], rows),
    `Krippendorff's alpha (${agreement.level}): ${footnotes.cell(agreement.krippendorffAlpha, formatRatio)}`,
  ];
}

function representativenessLines(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  return measurement.representativeness.flatMap((result) => {
    const rows = result.bins.map((bin) => [bin.label, formatPercent(bin.sampleShare), formatPercent(bin.referenceShare), bin.ratio === null ? '-' : formatRatio(bin.ratio)]);
    const lowest = result.minimumRatioLabel === null ? '' : ` (${result.minimumRatioLabel})`;
    return [
      withoutControlCharacters(`Representativeness of ${result.column}: ${result.measure} ${footnotes.cell(result.distance, formatRatio)}, smallest ratio ${footnotes.cell(result.minimumRatio, formatRatio)}${lowest}`),
      ...layOutColumns([{ header: 'Category', align: 'left' }, { header: 'Share' }, { header: 'Population share' }, { header: 'Ratio' }], rows),
      '',
    ];
  });
}

function protectedAttributeLines(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  const lines: string[] = [];
  for (const result of measurement.protectedAttributes) {
    if (result.representation !== null) {
      const rows = result.representation.groups.map((group) => [
        group.group,
        String(group.count),
        footnotes.cell(group.share, formatPercent),
        footnotes.cell(group.referenceShare, formatPercent),
        footnotes.cell(group.ratio, formatRatio),
        group.flagged ? `yes ${footnotes.marker(group.flagReasons.join('; '))}` : 'no',
      ]);
      lines.push(withoutControlCharacters(`Representation of ${result.attribute}`));
      lines.push(...layOutColumns([{ header: 'Group', align: 'left' }, { header: 'Rows' }, { header: 'Share' }, { header: 'Reference share' }, { header: 'Ratio' }, { header: 'Flagged', align: 'left' }], rows), '');
    }
    if (result.labelRate !== null) {
      const rows = result.labelRate.groups.map((group) => [
        group.belowMinimumSize ? `${group.group} *` : group.group,
        String(group.size),
        footnotes.cell(group.labelRate, formatPercent),
        group.interval.defined ? `${formatPercent(group.interval.lower)} to ${formatPercent(group.interval.upper)}` : `undefined ${footnotes.marker(group.interval.reason)}`,
      ]);
      const { ratio, difference } = result.labelRate.disparity.betweenGroups;
      lines.push(withoutControlCharacters(`Positive-label rate by ${result.attribute} (* fewer rows than the minimum group size)`));
      lines.push(...layOutColumns([{ header: 'Group', align: 'left' }, { header: 'Rows' }, { header: 'Label rate' }, { header: 'Wilson interval' }], rows));
      lines.push(`Lowest / highest: ${footnotes.cell(ratio, formatRatio)}; highest − lowest: ${footnotes.cell(difference, formatPercent)}${result.labelRate.flagged ? `; flagged: ${result.labelRate.flagReasons.join('; ')}` : ''}.`, '');
    }
  }
  return lines.length > 0 && lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

function checkLines(measurement: QualityMeasurement, footnotes: Footnotes): string[] {
  const checks: { target: string; check: QualityCheck }[] = [
    ...measurement.columns.flatMap((column) => column.checks.map((check) => ({ target: column.column, check }))),
    ...measurement.duplicates.assessment.checks.map((check) => ({ target: 'all rows', check })),
    ...measurement.representativeness.flatMap((result) => result.checks.map((check) => ({ target: result.column, check }))),
  ];
  if (checks.length === 0) return [];
  const failed = checks.filter(({ check }) => check.passed !== true);
  const summary = `Checks: ${checks.length - failed.length} of ${checks.length} passed.`;
  const lines = failed.map(({ target, check }) => {
    const value = check.value.defined ? formatNumber(check.value.value) : `undefined ${footnotes.marker(check.value.reason)}`;
    return withoutControlCharacters(`  ${check.passed === null ? 'UNDEFINED' : 'FAILED'} ${check.check} of ${target}: ${value}, required ${check.comparison} ${formatNumber(check.threshold)}`);
  });
  return [summary, ...lines];
}
