import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { openDataSet } from '../../../src/measurement/data/index.js';
import {
  measurePerformance,
  type BinaryPerformanceMeasurement,
  type MulticlassPerformanceMeasurement,
  type MulticlassPerformanceOptions,
  type RegressionPerformanceMeasurement,
} from '../../../src/measurement/engine/performance-measurement.js';
import { renderPerformanceText } from '../../../src/measurement/reports/performance-text.js';
import { appErrorOf, fixture, openMaterialized, readRows, useDataEngine, valueOf } from './support.js';

const engine = useDataEngine();
const temporaryDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-engine-model-'));
afterAll(() => fs.rmSync(temporaryDirectory, { recursive: true, force: true }));

function temporaryCsv(name: string, text: string): string {
  const file = path.join(temporaryDirectory, name);
  fs.writeFileSync(file, text);
  return file;
}

/* Expected values are computed here row by row from the fixture files, independently of the aggregate path. */

interface BinaryRow {
  group: string;
  actual: number;
  predicted: number;
  score: number | null;
}

const epsilon = 2 ** -52;

function binaryRows(): BinaryRow[] {
  return readRows(fixture('binary-scores.csv')).map((row) => ({
    group: row['group'] as string,
    actual: row['label'] === 'yes' ? 1 : 0,
    predicted: row['prediction'] === 'yes' ? 1 : 0,
    score: row['score'] === '' ? null : Number(row['score']),
  }));
}

function expectedBinary(rows: readonly BinaryRow[], bins: number) {
  const count = (actual: number, predicted: number) => rows.filter((row) => row.actual === actual && row.predicted === predicted).length;
  const [tp, fp, tn, fn] = [count(1, 1), count(0, 1), count(0, 0), count(1, 0)];
  const scored = rows.filter((row): row is BinaryRow & { score: number } => row.score !== null);
  const positives = scored.filter((row) => row.actual === 1);
  const negatives = scored.filter((row) => row.actual === 0);

  // Each positive that outscores a negative wins the pair; a tie counts half.
  let wins = 0;
  for (const positive of positives) {
    for (const negative of negatives) {
      if (positive.score > negative.score) wins += 1;
      else if (positive.score === negative.score) wins += 0.5;
    }
  }

  let averagePrecision = 0;
  let previousRecall = 0;
  for (const threshold of [...new Set(scored.map((row) => row.score))].sort((a, b) => b - a)) {
    const selected = scored.filter((row) => row.score >= threshold);
    const hits = selected.filter((row) => row.actual === 1).length;
    const recall = hits / positives.length;
    averagePrecision += (recall - previousRecall) * (hits / selected.length);
    previousRecall = recall;
  }

  const clip = (p: number) => Math.min(1 - epsilon, Math.max(epsilon, p));
  const logLoss = scored.reduce((sum, row) => sum - (row.actual === 1 ? Math.log(clip(row.score)) : Math.log(1 - clip(row.score))), 0) / scored.length;
  const brier = scored.reduce((sum, row) => sum + (row.score - row.actual) ** 2, 0) / scored.length;
  let ece = 0;
  for (let bin = 0; bin < bins; bin++) {
    const members = scored.filter((row) => (bin === bins - 1 ? row.score >= bin / bins : row.score >= bin / bins && row.score < (bin + 1) / bins));
    if (members.length === 0) continue;
    const meanScore = members.reduce((sum, row) => sum + row.score, 0) / members.length;
    const observed = members.filter((row) => row.actual === 1).length / members.length;
    ece += (members.length / scored.length) * Math.abs(observed - meanScore);
  }
  return {
    accuracy: (tp + tn) / rows.length,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
    f1: (2 * tp) / (2 * tp + fp + fn),
    rocAuc: wins / (positives.length * negatives.length),
    prAuc: averagePrecision,
    logLoss,
    brier,
    ece,
  };
}

describe('measurePerformance for binary classification', () => {
  const options = {
    task: 'binary_classification',
    label: { column: 'label', positive: ['yes'] },
    prediction: { column: 'prediction', positive: ['yes'] },
    scoreColumn: 'score',
    sensitive: ['group'],
    calibrationBins: 4,
  } as const;

  async function measure(): Promise<BinaryPerformanceMeasurement> {
    const measurement = await measurePerformance(engine(), await openMaterialized(engine(), fixture('binary-scores.csv')), options);
    if (measurement.task !== 'binary_classification') throw new Error('expected a binary measurement');
    return measurement;
  }

  it('computes every metric over all rows', async () => {
    const measurement = await measure();
    const expected = expectedBinary(binaryRows(), 4);
    const overall = measurement.overall;
    expect(overall.size).toBe(18);
    expect(valueOf(overall.classification?.accuracy)).toBeCloseTo(expected.accuracy, 14);
    expect(valueOf(overall.classification?.precision)).toBeCloseTo(expected.precision, 14);
    expect(valueOf(overall.classification?.recall)).toBeCloseTo(expected.recall, 14);
    expect(valueOf(overall.classification?.f1)).toBeCloseTo(expected.f1, 14);
    expect(overall.scoredRows).toBe(17);
    expect(valueOf(overall.ranking?.rocAuc)).toBeCloseTo(expected.rocAuc, 14);
    expect(valueOf(overall.ranking?.prAuc)).toBeCloseTo(expected.prAuc, 14);
    expect(valueOf(overall.calibration?.logLoss)).toBeCloseTo(expected.logLoss, 14);
    expect(valueOf(overall.calibration?.brierScore)).toBeCloseTo(expected.brier, 14);
    expect(valueOf(overall.calibration?.expectedCalibrationError.equalWidth)).toBeCloseTo(expected.ece, 14);
    expect(overall.calibration?.reliabilityDiagram.equalWidth.bins.map((bin) => bin.count)).toEqual([5, 3, 5, 4]);
    expect(overall.calibration?.reliabilityDiagram.equalMass.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(17);
    expect(measurement.settings).toEqual({ minimumGroupSize: 30, calibrationBins: 4 });
    expect(measurement.leftOut).toEqual({ missingLabel: 0, missingPrediction: 0, missingScore: 1 });
  });

  it('computes every metric per group', async () => {
    const measurement = await measure();
    const rows = binaryRows();
    expect(measurement.groups.map((group) => [group.label, group.name, group.size])).toEqual([
      ['a', 'group=a', 8],
      ['b', 'group=b', 8],
      ['(missing)', 'group=(missing)', 2],
    ]);
    for (const label of ['a', 'b']) {
      const group = measurement.groups.find((candidate) => candidate.label === label);
      const expected = expectedBinary(rows.filter((row) => row.group === label), 4);
      expect(valueOf(group?.metrics.classification?.accuracy)).toBeCloseTo(expected.accuracy, 14);
      expect(valueOf(group?.metrics.ranking?.rocAuc)).toBeCloseTo(expected.rocAuc, 14);
      expect(valueOf(group?.metrics.calibration?.brierScore)).toBeCloseTo(expected.brier, 14);
    }
    // The missing group's one scored row is positive, so ROC AUC has no negatives to rank.
    const missing = measurement.groups.find((group) => group.label === '(missing)');
    expect(missing?.metrics.ranking?.rocAuc.defined).toBe(false);
    expect(measurement.comparisons['rocAuc']?.skippedGroups).toEqual(['(missing)']);
    const accuracies = measurement.groups.map((group) => valueOf(group.metrics.classification?.accuracy));
    expect(valueOf(measurement.comparisons['accuracy']?.betweenGroups.difference)).toBeCloseTo(Math.max(...accuracies) - Math.min(...accuracies), 14);
  });

  it('averages precision, recall and F1 over both classes', async () => {
    const measurement = await measure();
    const rows = binaryRows();
    const f1Of = (positive: number) => {
      const tp = rows.filter((row) => row.actual === positive && row.predicted === positive).length;
      const support = rows.filter((row) => row.actual === positive).length;
      const predicted = rows.filter((row) => row.predicted === positive).length;
      return { f1: (2 * tp) / (support + predicted), support };
    };
    const [negative, positive] = [f1Of(0), f1Of(1)];
    const averages = measurement.overall.classification?.averages;
    expect(valueOf(averages?.macro.f1)).toBeCloseTo((negative.f1 + positive.f1) / 2, 14);
    expect(valueOf(averages?.weighted.f1)).toBeCloseTo((negative.f1 * negative.support + positive.f1 * positive.support) / rows.length, 14);
    expect(valueOf(averages?.micro.f1)).toBeCloseTo(valueOf(measurement.overall.classification?.accuracy), 14);
  });

  it('survives a JSON round trip unchanged', async () => {
    const measurement = await measure();
    expect(JSON.parse(JSON.stringify(measurement))).toStrictEqual(measurement);
  });

  it('ranks scores that are not probabilities without calibrating them', async () => {
    const file = temporaryCsv('raw-scores.csv', 'label,score\n1,3.5\n0,-2\n1,0.5\n0,0.5\n');
    const dataSet = await openDataSet(engine(), { path: file });
    const measurement = await measurePerformance(engine(), dataSet, { task: 'binary_classification', label: { column: 'label', positive: [1] }, scoreColumn: 'score', scoreIsProbability: false });
    if (measurement.task !== 'binary_classification') throw new Error('expected a binary measurement');
    // Pairs (3.5, -2) and (0.5, -2) are won, (3.5, 0.5) won, (0.5, 0.5) tied: 3.5 of 4.
    expect(valueOf(measurement.overall.ranking?.rocAuc)).toBe(3.5 / 4);
    expect(measurement.overall.calibration).toBeNull();
    expect(measurement.overall.classification).toBeNull();

    const error = await appErrorOf(() => measurePerformance(engine(), dataSet, { task: 'binary_classification', label: { column: 'label', positive: [1] }, scoreColumn: 'score' }));
    expect(error.message).toContain('must hold probabilities between 0 and 1');
  });

  it('needs a prediction or a score', async () => {
    const dataSet = await openDataSet(engine(), { path: fixture('binary-scores.csv') });
    const error = await appErrorOf(() => measurePerformance(engine(), dataSet, { task: 'binary_classification', label: { column: 'label', positive: ['yes'] } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('needs a prediction or a score column');
  });

  it('renders a table with the group spread', async () => {
    const text = renderPerformanceText(await measure());
    expect(text).toContain('ECE (4 equal-width bins)');
    expect(text).toContain('Reliability diagram (4 equal-mass bins)');
    expect(text).toContain('Spread across groups');
    expect(text).toMatch(/^\(missing\) \* +2 +1\.0000/m);
    expect(text).toContain('[1] no actual negatives, so the ranking of positives over negatives is undefined');
  });
});

const classes = ['cat', 'dog', 'bird'] as const;

function expectedMulticlass(rows: readonly Record<string, string>[]) {
  const perClass = classes.map((label) => {
    const hits = rows.filter((row) => row['actual'] === label && row['predicted'] === label).length;
    const support = rows.filter((row) => row['actual'] === label).length;
    const predicted = rows.filter((row) => row['predicted'] === label).length;
    return { f1: (2 * hits) / (support + predicted), support };
  });
  const brier = rows.reduce((sum, row) => sum + classes.reduce((inner, label) => inner + (Number(row[`p_${label}`]) - (row['actual'] === label ? 1 : 0)) ** 2, 0), 0) / rows.length;
  const logLoss = rows.reduce((sum, row) => sum - Math.log(Math.min(1 - epsilon, Math.max(epsilon, Number(row[`p_${row['actual']}`])))), 0) / rows.length;
  return {
    accuracy: rows.filter((row) => row['actual'] === row['predicted']).length / rows.length,
    macroF1: perClass.reduce((sum, entry) => sum + entry.f1, 0) / perClass.length,
    weightedF1: perClass.reduce((sum, entry) => sum + entry.f1 * entry.support, 0) / rows.length,
    brier,
    logLoss,
  };
}

describe('measurePerformance for multiclass classification', () => {
  const options: MulticlassPerformanceOptions = {
    task: 'multiclass_classification',
    labelColumn: 'actual',
    predictionColumn: 'predicted',
    probabilityColumns: { cat: 'p_cat', dog: 'p_dog', bird: 'p_bird' },
    sensitive: ['site'],
  };

  async function measure(file = fixture('multiclass.csv'), extra: Partial<MulticlassPerformanceOptions> = {}): Promise<MulticlassPerformanceMeasurement> {
    const measurement = await measurePerformance(engine(), await openDataSet(engine(), { path: file }), { ...options, ...extra });
    if (measurement.task !== 'multiclass_classification') throw new Error('expected a multiclass measurement');
    return measurement;
  }

  it('computes the metrics over all rows and per group', async () => {
    const measurement = await measure();
    const rows = readRows(fixture('multiclass.csv'));
    const expected = expectedMulticlass(rows);
    expect(valueOf(measurement.overall.classification?.accuracy)).toBeCloseTo(expected.accuracy, 14);
    expect(valueOf(measurement.overall.classification?.macro.f1)).toBeCloseTo(expected.macroF1, 14);
    expect(valueOf(measurement.overall.classification?.weighted.f1)).toBeCloseTo(expected.weightedF1, 14);
    expect(valueOf(measurement.overall.probabilities?.brierScore)).toBeCloseTo(expected.brier, 14);
    expect(valueOf(measurement.overall.probabilities?.logLoss)).toBeCloseTo(expected.logLoss, 14);
    expect(measurement.overall.confusion?.labels).toEqual(['bird', 'cat', 'dog']);

    const x = measurement.groups.find((group) => group.label === 'x');
    const expectedX = expectedMulticlass(rows.filter((row) => row['site'] === 'x'));
    expect(valueOf(x?.metrics.probabilities?.brierScore)).toBeCloseTo(expectedX.brier, 14);
    expect(valueOf(x?.metrics.probabilities?.logLoss)).toBeCloseTo(expectedX.logLoss, 14);
    expect(valueOf(x?.metrics.classification?.accuracy)).toBeCloseTo(expectedX.accuracy, 14);
    expect(JSON.parse(JSON.stringify(measurement))).toStrictEqual(measurement);
  });

  it('measures from probabilities alone', async () => {
    const measurement = await measure(fixture('multiclass.csv'), { predictionColumn: null });
    expect(measurement.overall.classification).toBeNull();
    expect(measurement.overall.size).toBe(10);
    expect(measurement.leftOut).toEqual({ missingLabel: 0, missingProbability: 0 });
  });

  it('rejects a class without a probability column', async () => {
    const error = await appErrorOf(() => measure(fixture('multiclass.csv'), { probabilityColumns: { cat: 'p_cat', dog: 'p_dog' } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('has the classes "bird", which have no probability column');
  });

  it('rejects a probability outside 0 to 1, naming the row', async () => {
    const file = temporaryCsv('out-of-range.csv', 'site,actual,predicted,p_cat,p_dog,p_bird\nx,cat,cat,0.7,0.2,0.1\nx,dog,dog,1.2,-0.1,-0.1\n');
    const error = await appErrorOf(() => measure(file));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(`Column "p_cat" of "${file}" must hold probabilities between 0 and 1, but 1 row is outside that range or not a number; the first is data row 2 (counted from 1 after the header) with 1.2`);
  });

  it('rejects probabilities that do not sum to 1', async () => {
    const file = temporaryCsv('bad-sum.csv', 'site,actual,predicted,p_cat,p_dog,p_bird\nx,cat,cat,0.7,0.2,0.1\ny,dog,dog,0.5,0.5,0.5\n');
    const error = await appErrorOf(() => measure(file));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('The class probabilities of 1 row');
    expect(error.message).toContain('the first is data row 2 (counted from 1 after the header) with a sum of 1.5');
  });

  it('leaves out rows with a missing probability', async () => {
    const file = temporaryCsv('missing-probability.csv', 'site,actual,predicted,p_cat,p_dog,p_bird\nx,cat,cat,0.7,0.2,0.1\ny,dog,dog,,0.9,0.1\n');
    const measurement = await measure(file);
    expect(measurement.overall.probabilities?.rows).toBe(1);
    expect(measurement.leftOut).toEqual({ missingLabel: 0, missingPrediction: 0, missingProbability: 1 });
    expect(measurement.warnings.some((warning) => warning.includes('has a missing class probability and was left out'))).toBe(true);
  });

  it('renders the per-class table and the confusion matrix', async () => {
    const text = renderPerformanceText(await measure());
    expect(text).toContain('Per class');
    expect(text).toMatch(/^Actual \\ predicted +bird +cat +dog$/m);
    expect(text).toMatch(/^cat +0 +3 +1$/m);
  });
});

describe('measurePerformance for regression', () => {
  it('computes MAE, RMSE, MAPE and R² over all rows and per group', async () => {
    const measurement = (await measurePerformance(engine(), await openDataSet(engine(), { path: fixture('regression.csv') }), {
      task: 'regression',
      truthColumn: 'truth',
      predictionColumn: 'estimate',
      sensitive: ['region'],
    })) as RegressionPerformanceMeasurement;
    const rows = readRows(fixture('regression.csv'))
      .filter((row) => row['estimate'] !== '')
      .map((row) => ({ region: row['region'], truth: Number(row['truth']), estimate: Number(row['estimate']) }));
    const expected = (subset: typeof rows) => {
      const mean = subset.reduce((sum, row) => sum + row.truth, 0) / subset.length;
      const squared = subset.reduce((sum, row) => sum + (row.truth - row.estimate) ** 2, 0);
      return {
        mae: subset.reduce((sum, row) => sum + Math.abs(row.truth - row.estimate), 0) / subset.length,
        rmse: Math.sqrt(squared / subset.length),
        mape: subset.reduce((sum, row) => sum + Math.abs(row.truth - row.estimate) / Math.abs(row.truth), 0) / subset.length,
        r2: 1 - squared / subset.reduce((sum, row) => sum + (row.truth - mean) ** 2, 0),
      };
    };

    for (const [metrics, subset] of [
      [measurement.overall, rows],
      [measurement.groups.find((group) => group.label === 'south')?.metrics, rows.filter((row) => row.region === 'south')],
    ] as const) {
      const wanted = expected(subset);
      expect(valueOf(metrics?.meanAbsoluteError)).toBeCloseTo(wanted.mae, 12);
      expect(valueOf(metrics?.rootMeanSquaredError)).toBeCloseTo(wanted.rmse, 12);
      expect(valueOf(metrics?.meanAbsolutePercentageError)).toBeCloseTo(wanted.mape, 12);
      expect(valueOf(metrics?.rSquared)).toBeCloseTo(wanted.r2, 12);
    }
    expect(measurement.leftOut).toEqual({ missing: 1, notFinite: 0 });
    expect(renderPerformanceText(measurement)).toMatch(/^MAE +1\.7857$/m);
  });

  it('reports MAPE as undefined when a truth is 0', async () => {
    const file = temporaryCsv('zero-truth.csv', 'truth,estimate\n0,1\n2,2\n4,5\n');
    const measurement = (await measurePerformance(engine(), await openDataSet(engine(), { path: file }), { task: 'regression', truthColumn: 'truth', predictionColumn: 'estimate' })) as RegressionPerformanceMeasurement;
    expect(measurement.overall.meanAbsolutePercentageError).toEqual({ defined: false, reason: 'the true value is 0 in 1 of 3 rows, where the percentage error is infinite', warnings: [] });
    const text = renderPerformanceText(measurement);
    expect(text).toMatch(/^MAPE +undefined \[1\]$/m);
    expect(text).toContain('[1] the true value is 0 in 1 of 3 rows');
  });
});
