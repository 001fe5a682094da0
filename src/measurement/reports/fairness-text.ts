import type { RateName } from '../core/fairness.js';
import type { Measured } from '../core/measured.js';
import type { FairnessGroup, FairnessMeasurement } from '../engine/fairness-measurement.js';
import { withoutControlCharacters } from './report-text.js';
import { Footnotes, formatPercent, formatPercentagePoints, formatPercentNumber, formatRatio, layOutColumns, type TextColumn } from './text-columns.js';

/**
 * Writes a fairness measurement as terminal tables. The first table has ProPublica's layout for
 * COMPAS: group, n, TN, FP, FN, TP, false positive rate and false negative rate in percent with
 * two decimals, then the overall row. Further tables give the other rates, Wilson intervals,
 * disparities, parity measures, the four-fifths rule and bootstrap intervals. An undefined value
 * is written "undefined [n]", with its reason in footnote n, never as 0.
 */
export function renderFairnessText(measurement: FairnessMeasurement): string {
  const footnotes = new Footnotes();
  const sections = [
    header(measurement),
    confusionTable(measurement, footnotes),
    ...(measurement.prediction.kind === 'none' ? [] : [otherRatesTable(measurement, footnotes), intervalTable(measurement, footnotes)]),
    disparityTable(measurement, footnotes),
    parityTable(measurement, footnotes),
    fourFifthsLines(measurement, footnotes),
    bootstrapTable(measurement, footnotes),
    closingLines(measurement, footnotes),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

const shortRateNames: Readonly<Record<RateName, string>> = {
  selectionRate: 'Selection',
  baseRate: 'Base',
  truePositiveRate: 'TPR',
  falsePositiveRate: 'FPR',
  falseNegativeRate: 'FNR',
  trueNegativeRate: 'TNR',
  positivePredictiveValue: 'PPV',
  negativePredictiveValue: 'NPV',
  falseDiscoveryRate: 'FDR',
  falseOmissionRate: 'FOR',
  accuracy: 'Accuracy',
};

const smallMarker = ' *';

function header(measurement: FairnessMeasurement): string[] {
  const label = measurement.label;
  const prediction = measurement.prediction;
  const predicted =
    prediction.kind === 'column'
      ? `Predicted positive: ${prediction.column} in ${prediction.positive.join(', ')}.`
      : prediction.kind === 'score'
        ? `Predicted positive: ${prediction.column} >= ${prediction.threshold}.`
        : 'No prediction: only the base rate of the label is measured.';
  const { read, measured, leftOut } = measurement.rows;
  const leftOutText = leftOut.missingLabel + leftOut.missingPrediction === 0 ? '0 left out' : `${leftOut.missingLabel} left out without a label, ${leftOut.missingPrediction} without a prediction`;
  return [
    withoutControlCharacters(`Fairness by ${measurement.attributes.join(' × ')} in ${measurement.file}`),
    withoutControlCharacters(`Actual positive: ${label.column} in ${label.positive.join(', ')}. ${predicted}`),
    `Rows: ${read} read, ${measured} measured, ${leftOutText}.`,
  ];
}

function groupCell(group: FairnessGroup): string {
  return group.belowMinimumSize ? `${group.label}${smallMarker}` : group.label;
}

function confusionTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const withPrediction = measurement.prediction.kind !== 'none';
  const columns: TextColumn[] = [
    { header: 'Group', align: 'left' },
    { header: 'n' },
    ...(withPrediction ? ['TN', 'FP', 'FN', 'TP', 'FPR', 'FNR'] : ['Positives', 'Negatives', 'Base rate']).map((name) => ({ header: name })),
  ];
  const rowOf = (name: string, size: number, counts: FairnessGroup['counts'], rates: FairnessGroup['rates']): string[] => {
    const rate = (rateName: RateName) => footnotes.cell(rates[rateName]?.value ?? notMeasured, formatPercent);
    if (!withPrediction) return [name, String(size), String(counts.truePositives), String(counts.trueNegatives), rate('baseRate')];
    return [name, String(size), String(counts.trueNegatives), String(counts.falsePositives), String(counts.falseNegatives), String(counts.truePositives), rate('falsePositiveRate'), rate('falseNegativeRate')];
  };
  const rows = measurement.groups.map((group) => rowOf(groupCell(group), group.size, group.counts, group.rates));
  rows.push(rowOf('Overall', measurement.overall.size, measurement.overall.counts, measurement.overall.rates));

  const lines = layOutColumns(columns, rows);
  lines.splice(lines.length - 1, 0, '-'.repeat(Math.max(...lines.map((line) => line.length))));
  if (measurement.groups.some((group) => group.belowMinimumSize)) {
    lines.push(`${smallMarker.trim()} fewer than ${measurement.settings.minimumGroupSize} rows, so the group's rates vary widely by chance.`);
  }
  return lines;
}

const notMeasured: Measured = { defined: false, reason: 'not measured', warnings: [] };

function otherRatesTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const rates: RateName[] = ['selectionRate', 'baseRate', 'truePositiveRate', 'trueNegativeRate', 'positivePredictiveValue', 'negativePredictiveValue', 'falseDiscoveryRate', 'falseOmissionRate', 'accuracy'];
  const columns: TextColumn[] = [{ header: 'Group', align: 'left' }, ...rates.map((rate) => ({ header: shortRateNames[rate] }))];
  const rowOf = (name: string, estimates: FairnessGroup['rates']) => [name, ...rates.map((rate) => footnotes.cell(estimates[rate]?.value ?? notMeasured, formatPercentNumber))];
  const rows = [...measurement.groups.map((group) => rowOf(groupCell(group), group.rates)), rowOf('Overall', measurement.overall.rates)];
  return ['Other rates (%)', ...layOutColumns(columns, rows)];
}

function intervalTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const rates: RateName[] = ['selectionRate', 'falsePositiveRate', 'falseNegativeRate', 'truePositiveRate', 'positivePredictiveValue'];
  const interval = (estimates: FairnessGroup['rates'], rate: RateName): string => {
    const range = estimates[rate]?.interval;
    if (range === undefined) return footnotes.cell(notMeasured, formatPercentNumber);
    return range.defined ? `${formatPercentNumber(range.lower)}–${formatPercentNumber(range.upper)}` : `undefined ${footnotes.marker(range.reason)}`;
  };
  const columns: TextColumn[] = [{ header: 'Group', align: 'left' }, ...rates.map((rate) => ({ header: shortRateNames[rate] }))];
  const rows = [
    ...measurement.groups.map((group) => [groupCell(group), ...rates.map((rate) => interval(group.rates, rate))]),
    ['Overall', ...rates.map((rate) => interval(measurement.overall.rates, rate))],
  ];
  const level = Math.round(measurement.settings.confidence * 1000) / 10;
  return [`Wilson ${level} % intervals (%)`, ...layOutColumns(columns, rows)];
}

function disparityTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const columns: TextColumn[] = [
    { header: 'Rate', align: 'left' },
    { header: 'max − min' },
    { header: 'min / max' },
    { header: 'max |group − overall|' },
    { header: 'min ratio to overall' },
    { header: 'Reference', align: 'left' },
    { header: 'max |group − reference|' },
  ];
  const rows = measurement.rates.map((rate) => {
    const disparity = measurement.disparities[rate];
    if (disparity === undefined) return [shortRateNames[rate]];
    const comparisons = (disparity.toReference?.groups ?? []).filter((group) => group.label !== disparity.toReference?.reference);
    const gaps = comparisons.filter((group) => group.difference.defined).map((group) => Math.abs((group.difference as { value: number }).value));
    const referenceGap: Measured = gaps.length > 0 ? { defined: true, value: Math.max(...gaps), warnings: [] } : { defined: false, reason: 'no group besides the reference group has a value', warnings: [] };
    return [
      shortRateNames[rate],
      footnotes.cell(disparity.betweenGroups.difference, formatPercentagePoints),
      footnotes.cell(disparity.betweenGroups.ratio, formatRatio),
      footnotes.cell(disparity.toOverall.difference, formatPercentagePoints),
      footnotes.cell(disparity.toOverall.ratio, formatRatio),
      `${disparity.toReference?.reference ?? 'none'} (${disparity.referenceChoice})`,
      footnotes.cell(referenceGap, formatPercentagePoints),
    ];
  });
  return ['Disparities', ...layOutColumns(columns, rows)];
}

function parityTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const parity = measurement.parity;
  if (parity === null) return [];
  const measures = [
    ['Demographic parity (selection rate)', parity.demographicParity],
    ['Equal opportunity (TPR)', parity.equalOpportunity],
    ['Predictive parity (PPV)', parity.predictiveParity],
    ['Equalized odds, worst of TPR and FPR', parity.equalizedOdds.worstCase],
    ['Equalized odds, mean of TPR and FPR', parity.equalizedOdds.mean],
  ] as const;
  const columns: TextColumn[] = [{ header: 'Parity measure', align: 'left' }, { header: 'Difference' }, { header: 'Ratio' }, { header: 'Difference to overall' }, { header: 'Ratio to overall' }];
  const rows = measures.map(([name, measure]) => [
    name,
    footnotes.cell(measure.betweenGroups.difference, formatPercentagePoints),
    footnotes.cell(measure.betweenGroups.ratio, formatRatio),
    footnotes.cell(measure.toOverall.difference, formatPercentagePoints),
    footnotes.cell(measure.toOverall.ratio, formatRatio),
  ]);
  return layOutColumns(columns, rows);
}

function fourFifthsLines(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const rule = measurement.fourFifthsRule;
  if (rule === null) return [];
  const rate = rule.favourableRate === 'selectionRate' ? 'selection rate' : 'rate of negative predictions';
  const columns: TextColumn[] = [{ header: 'Group', align: 'left' }, { header: `Favourable (${rate})` }, { header: 'Ratio to highest' }, { header: `Below ${rule.threshold}`, align: 'left' }];
  const rows = rule.groups.map((group) => [
    group.belowMinimumSize ? `${group.label}${smallMarker}` : group.label,
    footnotes.cell(group.favourableRate, formatPercent),
    footnotes.cell(group.ratio, formatRatio),
    group.belowMinimumSize ? 'not judged (small group)' : belowThresholdText(group.belowThreshold),
  ]);
  const judged = rule.groups.filter((group) => !group.belowMinimumSize);
  const flaggedJudged = rule.flaggedGroups.filter((label) => judged.some((group) => group.label === label));
  const flagged = flaggedJudged.length === 0 ? 'no group is below the threshold' : `below the threshold: ${flaggedJudged.join(', ')}`;
  // The highest rate is taken among groups of the minimum size, so a small group may exceed it.
  const highest = judged.length < rule.groups.length ? 'the highest among groups of the minimum size' : 'the highest';
  return [
    withoutControlCharacters(`Four-fifths rule: each group's ${rate} divided by ${highest} (${rule.highestGroup ?? 'none'}); ${flagged}.`),
    ...layOutColumns(columns, rows),
    `Caveat: ${rule.caveat}${rule.favourableRate === 'selectionRate' ? ' Here a positive prediction counts as favourable; for a risk score that harms the person, use --favourable negative.' : ''}`,
  ];
}

function belowThresholdText(belowThreshold: boolean | null): string {
  if (belowThreshold === null) return '';
  return belowThreshold ? 'yes' : 'no';
}

function bootstrapTable(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const bootstrap = measurement.bootstrap;
  if (bootstrap === null) return [];
  const betweenGroups = bootstrap.intervals.filter((interval) => interval.statistic.includes('.betweenGroups.'));
  const columns: TextColumn[] = [{ header: 'Statistic', align: 'left' }, { header: 'Estimate' }, { header: 'Lower' }, { header: 'Upper' }, { header: 'Replicates used' }];
  const rows = betweenGroups.map((interval) => [
    interval.statistic,
    footnotes.cell(interval.estimate, formatRatio),
    interval.interval.defined ? formatRatio(interval.interval.lower) : `undefined ${footnotes.marker(interval.interval.reason)}`,
    interval.interval.defined ? formatRatio(interval.interval.upper) : '',
    String(interval.usedReplicates),
  ]);
  const level = Math.round(bootstrap.confidence * 1000) / 10;
  return [
    `Bootstrap ${level} % intervals between groups (${bootstrap.method}, ${bootstrap.replicates} replicates, seed ${bootstrap.seed}; the JSON output has every interval)`,
    ...layOutColumns(columns, rows),
  ];
}

function closingLines(measurement: FairnessMeasurement, footnotes: Footnotes): string[] {
  const lines: string[] = [];
  const notes = footnotes.lines();
  if (notes.length > 0) lines.push('Undefined values:', ...notes.map((note) => `  ${note}`));
  if (measurement.warnings.length > 0) lines.push('Warnings:', ...measurement.warnings.map((warning) => `  ${withoutControlCharacters(warning)}`));
  return lines;
}
