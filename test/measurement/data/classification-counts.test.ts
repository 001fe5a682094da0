import { describe, expect, it } from 'vitest';

import { materializeDataSet, multiclassConfusionCounts, openDataSet, regressionSums, scoreLabelCounts } from '../../../src/measurement/data/index.js';
import { appErrorOf, compasPath, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();

describe('scoreLabelCounts', () => {
  it('counts positives and negatives per distinct score, overall and per group', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const result = await scoreLabelCounts(engine(), outcomes, { label: { column: 'label', positive: ['yes'] }, scoreColumn: 'score', sensitive: ['group'] });
    expect([...result.overall.scores]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9]);
    expect([...result.overall.positives]).toEqual([0, 0, 0, 1, 1, 0, 1, 0, 1, 1]);
    expect([...result.overall.negatives]).toEqual([1, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    expect(result.groups.map((group) => group.key)).toEqual([['a'], ['b'], [null]]);
    expect([...(result.groups[0]?.counts.scores ?? [])]).toEqual([0.2, 0.4, 0.7, 0.9]);
    expect([...(result.groups[2]?.counts.positives ?? [])]).toEqual([1]);
    expect(result.excluded).toEqual({ missingLabel: 0, missingScore: 0 });
  });

  it('sums tied scores over a JSON Lines file', async () => {
    const scores = await openDataSet(engine(), { path: fixture('scores.jsonl') });
    const result = await scoreLabelCounts(engine(), scores, { label: { column: 'label', positive: [1] }, scoreColumn: 'probability' });
    expect([...result.overall.scores]).toEqual([0.25, 0.75]);
    expect([...result.overall.positives]).toEqual([2, 0]);
    expect([...result.overall.negatives]).toEqual([0, 1]);
    expect(result.groups).toEqual([]);
  });

  it('names the first score outside [0, 1]', async () => {
    const scores = await openDataSet(engine(), { path: fixture('scores-outside.csv') });
    const error = await appErrorOf(() => scoreLabelCounts(engine(), scores, { label: { column: 'label', positive: [1] }, scoreColumn: 'probability' }));
    expect(error.message).toBe(
      `Column "probability" of "${fixture('scores-outside.csv')}" must hold probabilities between 0 and 1, but 2 rows are outside that range or not a number; the first is data row 3 (counted from 1 after the header) with 1.2`,
    );
  });

  it('counts rows in the file for a materialized data set', async () => {
    const scores = await materializeDataSet(engine(), await openDataSet(engine(), { path: fixture('scores-outside.csv') }));
    const error = await appErrorOf(() => scoreLabelCounts(engine(), scores, { label: { column: 'label', positive: [1] }, scoreColumn: 'probability' }));
    expect(error.message).toMatch(/the first is data row 3 \(counted from 1 after the header\) with 1\.2$/);
  });

  it('accepts scores outside [0, 1] when no probability is needed', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await scoreLabelCounts(engine(), compas, { label: { column: 'two_year_recid', positive: [1] }, scoreColumn: 'decile_score', requireProbability: false });
    expect([...result.overall.scores]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const total = [...result.overall.positives, ...result.overall.negatives].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(7214);
  });

  it('names the first score that is not a number', async () => {
    const scores = await openDataSet(engine(), { path: fixture('scores-text.csv') });
    const error = await appErrorOf(() => scoreLabelCounts(engine(), scores, { label: { column: 'label', positive: [1] }, scoreColumn: 'probability' }));
    expect(error.message).toBe(
      `Column "probability" of "${fixture('scores-text.csv')}" must hold numbers, but 1 row contains other text; the first is data row 2 (counted from 1 after the header) with "high"`,
    );
  });
});

describe('multiclassConfusionCounts', () => {
  it('counts class pairs and leaves out a missing prediction', async () => {
    const classes = await openDataSet(engine(), { path: fixture('classes.csv') });
    const result = await multiclassConfusionCounts(engine(), classes, { labelColumn: 'actual', predictionColumn: 'predicted', sensitive: ['site'] });
    expect(result.overall).toEqual({
      labels: ['bird', 'cat', 'dog'],
      matrix: [
        [1, 1, 0],
        [0, 1, 1],
        [0, 0, 2],
      ],
    });
    expect(result.excluded).toEqual({ missingLabel: 0, missingPrediction: 1 });
    expect(result.warnings).toEqual([`1 row of "${fixture('classes.csv')}" has no prediction and was left out`]);
    expect(result.groups.map((group) => group.key)).toEqual([['x'], ['y']]);
    expect(result.groups[1]?.confusion.matrix).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 1],
    ]);
  });

  it('orders numeric classes by value', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await multiclassConfusionCounts(engine(), compas, { labelColumn: 'decile_score', predictionColumn: 'decile_score_1' });
    expect(result.overall.labels).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const diagonal = result.overall.matrix.reduce((sum, row, index) => sum + (row[index] ?? 0), 0);
    expect(diagonal).toBe(7214);
  });
});

describe('regressionSums', () => {
  it('sums errors and truths over complete rows', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const result = await regressionSums(engine(), outcomes, { truthColumn: 'amount', predictionColumn: 'estimate', sensitive: ['group'] });
    expect(result.overall.count).toBe(10);
    expect(result.overall.sumAbsoluteError).toBe(13);
    expect(result.overall.sumSquaredError).toBe(25);
    expect(result.overall.zeroTruthCount).toBe(1);
    expect(result.overall.sumAbsolutePercentage).toBeCloseTo(0.2 + 0.1 + 0.25 + 0.5 + 0.5 + 1 / 3 + 1, 12);
    expect(result.overall.sumTruth).toBe(59);
    expect(result.overall.sumSquaredTruth).toBe(655);
    expect(result.groups.map((group) => [group.key, group.sums.count])).toEqual([
      [['a'], 4],
      [['b'], 5],
      [[null], 1],
    ]);
    expect(result.groups[0]?.sums.sumAbsoluteError).toBe(2 + 2 + 1 + 0);
  });

  it('leaves out infinite and missing values, counting them', async () => {
    const reference = await openDataSet(engine(), { path: fixture('drift-reference.csv') });
    const result = await regressionSums(engine(), reference, { truthColumn: 'value', predictionColumn: 'value' });
    expect(result.overall.count).toBe(4);
    expect(result.excluded).toEqual({ missing: 1, notFinite: 2 });
  });

  it('rejects a text column', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const error = await appErrorOf(() => regressionSums(engine(), outcomes, { truthColumn: 'region', predictionColumn: 'estimate' }));
    expect(error.message).toContain('Column "region" of');
    expect(error.message).toContain('contains VARCHAR values, but numeric values are needed');
  });
});
