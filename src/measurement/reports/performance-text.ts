import type { ReliabilityDiagram } from '../core/calibration.js';
import type { Measured } from '../core/measured.js';
import type { BinaryPerformanceMeasurement, MulticlassPerformanceMeasurement, PerformanceMeasurement } from '../engine/performance-measurement.js';
import { scalarMetrics } from '../engine/performance-metrics.js';
import { withoutControlCharacters } from './report-text.js';
import { Footnotes, formatRatio, layOutColumns, type TextColumn } from './text-columns.js';

/**
 * Writes a performance measurement as terminal tables. They show the metrics over all rows, the
 * task's detail (reliability diagrams, per-class metrics, the confusion matrix), and the metrics
 * per group with their spread across groups. The reasons of undefined values and the warnings
 * follow. An undefined value is written "undefined [n]", with its reason in footnote n.
 */
export function renderPerformanceText(measurement: PerformanceMeasurement): string {
  const footnotes = new Footnotes();
  const sections = [header(measurement), metricTable(measurement, footnotes), ...detailSections(measurement, footnotes), ...groupSections(measurement, footnotes), closingLines(measurement, footnotes)];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** Table headings of the scalar metrics, by their names in `scalarMetrics`. */
const metricNames: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  specificity: 'Specificity',
  rocAuc: 'ROC AUC',
  prAuc: 'PR AUC',
  logLoss: 'Log loss',
  brierScore: 'Brier score',
  expectedCalibrationError: 'ECE',
  macroPrecision: 'Precision (macro)',
  macroRecall: 'Recall (macro)',
  macroF1: 'F1 (macro)',
  weightedPrecision: 'Precision (weighted)',
  weightedRecall: 'Recall (weighted)',
  weightedF1: 'F1 (weighted)',
  meanAbsoluteError: 'MAE',
  rootMeanSquaredError: 'RMSE',
  meanAbsolutePercentageError: 'MAPE',
  rSquared: 'R²',
};

const taskNames = { binary_classification: 'binary classification', multiclass_classification: 'multiclass classification', regression: 'regression' } as const;

function header(measurement: PerformanceMeasurement): string[] {
  const columns = Object.entries(measurement.columns)
    .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([role, value]) => `${role}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  const leftOut = Object.entries(measurement.leftOut).map(([reason, count]) => `${count} ${describeLeftOut(reason)}`);
  return [
    withoutControlCharacters(`Performance (${taskNames[measurement.task]}) in ${measurement.file}`),
    withoutControlCharacters(`Columns: ${columns.join('; ')}.`),
    `Rows: ${measurement.overall.size} measured; left out: ${leftOut.length > 0 ? leftOut.join(', ') : 'none'}.`,
  ];
}

function describeLeftOut(reason: string): string {
  const descriptions: Readonly<Record<string, string>> = {
    missingLabel: 'without a label',
    missingPrediction: 'without a prediction',
    missingScore: 'without a score',
    missingProbability: 'without every class probability',
    missing: 'without a truth or prediction',
    notFinite: 'with an infinite or NaN value',
  };
  return descriptions[reason] ?? reason;
}

function metricTable(measurement: PerformanceMeasurement, footnotes: Footnotes): string[] {
  const values = scalarMetrics(measurement.overall);
  const rows = Object.entries(values).map(([name, value]) => [metricLabel(name, measurement), footnotes.cell(value, formatRatio)]);
  if (measurement.task === 'binary_classification') rows.push(...binaryExtraRows(measurement, footnotes));
  return layOutColumns([{ header: 'Metric', align: 'left' }, { header: 'Value' }], rows);
}

function metricLabel(name: string, measurement: PerformanceMeasurement): string {
  const label = metricNames[name] ?? name;
  if (name === 'expectedCalibrationError' && measurement.settings.calibrationBins !== null) return `${label} (${measurement.settings.calibrationBins} equal-width bins)`;
  return label;
}

function binaryExtraRows(measurement: BinaryPerformanceMeasurement, footnotes: Footnotes): string[][] {
  const rows: string[][] = [];
  const calibration = measurement.overall.calibration;
  if (calibration !== null) rows.push([`ECE (${measurement.settings.calibrationBins} equal-mass bins)`, footnotes.cell(calibration.expectedCalibrationError.equalMass, formatRatio)]);
  const classification = measurement.overall.classification;
  if (classification !== null) {
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      const metrics = classification.averages[average];
      rows.push([`Precision (${average})`, footnotes.cell(metrics.precision, formatRatio)]);
      rows.push([`Recall (${average})`, footnotes.cell(metrics.recall, formatRatio)]);
      rows.push([`F1 (${average})`, footnotes.cell(metrics.f1, formatRatio)]);
    }
  }
  return rows;
}

function detailSections(measurement: PerformanceMeasurement, footnotes: Footnotes): string[][] {
  switch (measurement.task) {
    case 'binary_classification':
      return binaryDetail(measurement, footnotes);
    case 'multiclass_classification':
      return multiclassDetail(measurement, footnotes);
    case 'regression':
      return [];
  }
}

function binaryDetail(measurement: BinaryPerformanceMeasurement, footnotes: Footnotes): string[][] {
  const sections: string[][] = [];
  const counts = measurement.overall.counts;
  if (counts !== null) sections.push([`Confusion counts: TN ${counts.trueNegatives}, FP ${counts.falsePositives}, FN ${counts.falseNegatives}, TP ${counts.truePositives}.`]);
  const calibration = measurement.overall.calibration;
  if (calibration !== null) {
    sections.push(reliabilityTable(calibration.reliabilityDiagram.equalWidth, footnotes));
    sections.push(reliabilityTable(calibration.reliabilityDiagram.equalMass, footnotes));
  }
  return sections;
}

function reliabilityTable(diagram: ReliabilityDiagram, footnotes: Footnotes): string[] {
  const columns: TextColumn[] = [{ header: 'Scores', align: 'left' }, { header: 'Rows' }, { header: 'Positives' }, { header: 'Mean predicted' }, { header: 'Observed rate' }];
  const rows = diagram.bins.map((bin) => [
    `[${bin.lower.toFixed(4)}, ${bin.upper.toFixed(4)}${bin.upperInclusive ? ']' : ')'}`,
    String(bin.count),
    String(bin.positives),
    footnotes.cell(bin.meanPredicted, formatRatio),
    footnotes.cell(bin.observedRate, formatRatio),
  ]);
  return [`Reliability diagram (${diagram.requestedBins} ${diagram.strategy} bins)`, ...layOutColumns(columns, rows), ...diagram.warnings.map((warning) => `Note: ${warning}`)];
}

function multiclassDetail(measurement: MulticlassPerformanceMeasurement, footnotes: Footnotes): string[][] {
  const classification = measurement.overall.classification;
  const confusion = measurement.overall.confusion;
  if (classification === null || confusion === null) return [];
  const perClass = layOutColumns(
    [{ header: 'Class', align: 'left' }, { header: 'Support' }, { header: 'Predicted' }, { header: 'Precision' }, { header: 'Recall' }, { header: 'F1' }],
    classification.perClass.map((metrics) => [
      metrics.label,
      String(metrics.support),
      String(metrics.predicted),
      footnotes.cell(metrics.precision, formatRatio),
      footnotes.cell(metrics.recall, formatRatio),
      footnotes.cell(metrics.f1, formatRatio),
    ]),
  );
  const matrix = layOutColumns(
    [{ header: 'Actual \\ predicted', align: 'left' }, ...confusion.labels.map((label) => ({ header: label }))],
    confusion.labels.map((label, row) => [label, ...(confusion.matrix[row] ?? []).map(String)]),
  );
  return [['Per class', ...perClass], ['Confusion matrix', ...matrix]];
}

function groupSections(measurement: PerformanceMeasurement, footnotes: Footnotes): string[][] {
  if (measurement.groups.length === 0) return [];
  const names = Object.keys(scalarMetrics(measurement.overall));
  const columns: TextColumn[] = [{ header: 'Group', align: 'left' }, { header: 'n' }, ...names.map((name) => ({ header: metricNames[name] ?? name }))];
  const rowOf = (label: string, size: number, values: Record<string, Measured>) => [label, String(size), ...names.map((name) => footnotes.cell(values[name] ?? notComputed, formatRatio))];
  const rows = measurement.groups.map((group) =>
    rowOf(group.belowMinimumSize ? `${group.label} *` : group.label, group.size, scalarMetrics(group.metrics as typeof measurement.overall)),
  );
  rows.push(rowOf('Overall', measurement.overall.size, scalarMetrics(measurement.overall)));
  const byGroup = [withoutControlCharacters(`By group (${measurement.attributes.join(' × ')})`), ...layOutColumns(columns, rows)];
  if (measurement.groups.some((group) => group.belowMinimumSize)) byGroup.push(`* fewer than ${measurement.settings.minimumGroupSize} rows, so the group's values vary widely by chance.`);

  const comparisonRows = names.map((name) => {
    const comparison = measurement.comparisons[name];
    if (comparison === undefined) return [metricNames[name] ?? name];
    return [
      metricNames[name] ?? name,
      footnotes.cell(comparison.betweenGroups.difference, formatRatio),
      footnotes.cell(comparison.betweenGroups.ratio, formatRatio),
      footnotes.cell(comparison.toOverall.difference, formatRatio),
      `${comparison.betweenGroups.minimumGroup ?? '–'} / ${comparison.betweenGroups.maximumGroup ?? '–'}`,
    ];
  });
  const spread = layOutColumns(
    [{ header: 'Metric', align: 'left' }, { header: 'max − min' }, { header: 'min / max' }, { header: 'max |group − overall|' }, { header: 'Lowest / highest group', align: 'left' }],
    comparisonRows,
  );
  return [byGroup, ['Spread across groups', ...spread]];
}

const notComputed: Measured = { defined: false, reason: 'not computed for the group', warnings: [] };

function closingLines(measurement: PerformanceMeasurement, footnotes: Footnotes): string[] {
  const lines: string[] = [];
  const notes = footnotes.lines();
  if (notes.length > 0) lines.push('Undefined values:', ...notes.map((note) => `  ${note}`));
  if (measurement.warnings.length > 0) lines.push('Warnings:', ...measurement.warnings.map((warning) => `  ${withoutControlCharacters(warning)}`));
  return lines;
}
