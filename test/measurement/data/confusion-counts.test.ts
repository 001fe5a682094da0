import { describe, expect, it } from 'vitest';

import type { ConfusionCounts } from '../../../src/measurement/core/aggregates.js';
import { groupedConfusionCounts, materializeDataSet, openDataSet, type GroupedConfusionResult } from '../../../src/measurement/data/index.js';
import { appErrorOf, compasPath, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();

function countsOf(result: GroupedConfusionResult, ...key: (string | null)[]): ConfusionCounts | undefined {
  return result.grouped.groups.find((group) => JSON.stringify(group.key) === JSON.stringify(key))?.counts;
}

function falsePositiveRate(counts: ConfusionCounts): number {
  return counts.falsePositives / (counts.falsePositives + counts.trueNegatives);
}

function falseNegativeRate(counts: ConfusionCounts): number {
  return counts.falseNegatives / (counts.falseNegatives + counts.truePositives);
}

describe('groupedConfusionCounts on COMPAS', () => {
  const mediumOrHigh = {
    label: { column: 'two_year_recid', positive: [1] },
    prediction: { column: 'score_text', positive: ['Medium', 'High'] },
    sensitive: ['race'],
  };

  it('reproduces ProPublica\'s table', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await groupedConfusionCounts(engine(), compas, mediumOrHigh);
    expect(countsOf(result, 'African-American')).toEqual({ trueNegatives: 990, falsePositives: 805, falseNegatives: 532, truePositives: 1369 });
    expect(countsOf(result, 'Caucasian')).toEqual({ trueNegatives: 1139, falsePositives: 349, falseNegatives: 461, truePositives: 505 });
    expect(result.overall).toEqual({ trueNegatives: 2681, falsePositives: 1282, falseNegatives: 1216, truePositives: 2035 });
    expect(result.grouped.groups.map((group) => group.key[0])).toEqual(['African-American', 'Asian', 'Caucasian', 'Hispanic', 'Native American', 'Other']);
    expect(result.labelValues).toEqual({ positive: ['1'], negative: ['0'] });
    expect(result.warnings).toEqual([]);
  });

  it('reproduces ProPublica\'s High-only rates', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, prediction: { column: 'score_text', positive: ['High'] } });
    const caucasian = countsOf(result, 'Caucasian') as ConfusionCounts;
    const africanAmerican = countsOf(result, 'African-American') as ConfusionCounts;
    expect(Math.round(falsePositiveRate(caucasian) * 10_000) / 100).toBe(5.44);
    expect(Math.round(falseNegativeRate(caucasian) * 10_000) / 100).toBe(79.81);
    expect(Math.round(falsePositiveRate(africanAmerican) * 10_000) / 100).toBe(15.82);
    expect(Math.round(falseNegativeRate(africanAmerican) * 10_000) / 100).toBe(61.02);
  });

  it('matches score_text with a decile threshold of 5', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const byText = await groupedConfusionCounts(engine(), compas, mediumOrHigh);
    const byDecile = await groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, prediction: { scoreColumn: 'decile_score', threshold: 5 } });
    expect(byDecile.grouped).toEqual(byText.grouped);
  });

  it('groups by the intersection of attributes', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, sensitive: ['race', 'sex'] });
    expect(result.grouped.attributes).toEqual(['race', 'sex']);
    expect(result.grouped.groups).toHaveLength(12);
    const female = countsOf(result, 'African-American', 'Female') as ConfusionCounts;
    const male = countsOf(result, 'African-American', 'Male') as ConfusionCounts;
    expect(female.truePositives + male.truePositives).toBe(1369);
    expect(female.falsePositives + male.falsePositives).toBe(805);
  });

  it('rejects a label with three values, naming them', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const error = await appErrorOf(() =>
      groupedConfusionCounts(engine(), compas, { label: { column: 'score_text', positive: ['High'] }, prediction: { column: 'score_text', positive: ['High'] }, sensitive: [] }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(
      `Column "score_text" of "${compasPath}" has 3 distinct values ("High", "Low", "Medium"), but binary classification needs the positive value "High" and one negative value; recode the column, list the negative values too, or measure it as multiclass`,
    );
  });

  it('accepts three label values when the negatives are listed', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const result = await groupedConfusionCounts(engine(), compas, {
      label: { column: 'score_text', positive: ['High'], negative: ['Low', 'Medium'] },
      prediction: { column: 'score_text', positive: ['High'] },
      sensitive: [],
    });
    expect(result.overall.falsePositives + result.overall.falseNegatives).toBe(0);
    expect(result.labelValues).toEqual({ positive: ['High'], negative: ['Low', 'Medium'] });
  });

  it('names label values outside the declared lists', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const error = await appErrorOf(() =>
      groupedConfusionCounts(engine(), compas, {
        label: { column: 'score_text', positive: ['High'], negative: ['Low'] },
        prediction: { column: 'score_text', positive: ['High'] },
        sensitive: [],
      }),
    );
    expect(error.message).toContain('has values that are neither positive nor negative: "Medium"');
  });

  it('rejects a positive value that never occurs', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const error = await appErrorOf(() => groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, prediction: { column: 'score_text', positive: ['high'] } }));
    expect(error.message).toBe(`None of the positive values "high" occurs in column "score_text" of "${compasPath}"; the values found are "High", "Low", "Medium"`);
  });

  it('rejects a text value for a numeric label', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const error = await appErrorOf(() => groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, label: { column: 'two_year_recid', positive: ['yes'] } }));
    expect(error.message).toContain('The value "yes" cannot be compared with column "two_year_recid"');
  });

  it('lists the available columns for a missing attribute', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const error = await appErrorOf(() => groupedConfusionCounts(engine(), compas, { ...mediumOrHigh, sensitive: ['ethnicity'] }));
    expect(error.message).toMatch(/^The column "ethnicity" is not in ".*"; the file has 46 columns: id, compas_screening_date, sex, age,/);
  });
});

describe('groupedConfusionCounts on a small file', () => {
  const options = {
    label: { column: 'label', positive: ['yes'] },
    prediction: { column: 'prediction', positive: ['yes'] },
    sensitive: ['group'],
  };

  it('puts rows with a missing attribute in a null group', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const result = await groupedConfusionCounts(engine(), outcomes, options);
    expect(result.grouped.groups).toEqual([
      { key: ['a'], counts: { truePositives: 1, falsePositives: 1, trueNegatives: 1, falseNegatives: 1 } },
      { key: ['b'], counts: { truePositives: 2, falsePositives: 1, trueNegatives: 2, falseNegatives: 0 } },
      { key: [null], counts: { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 1 } },
    ]);
  });

  it('rejects a missing attribute when asked, with the count', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const error = await appErrorOf(() => groupedConfusionCounts(engine(), outcomes, { ...options, missingSensitive: 'error' }));
    expect(error.message).toBe(
      `The sensitive attribute "group" of "${fixture('outcomes.csv')}" is missing in 1 row; fill the values in, or let missing values form their own group`,
    );
  });

  it('predicts positive at a score equal to the threshold', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const result = await groupedConfusionCounts(engine(), outcomes, { ...options, prediction: { scoreColumn: 'score', threshold: 0.5 }, sensitive: [] });
    expect(result.overall).toEqual({ truePositives: 4, falsePositives: 2, trueNegatives: 3, falseNegatives: 1 });
    expect(result.grouped.groups).toEqual([{ key: [], counts: result.overall }]);
  });

  it('gives the same counts from a materialized table', async () => {
    const outcomes = await openDataSet(engine(), { path: fixture('outcomes.csv') });
    const fromFile = await groupedConfusionCounts(engine(), outcomes, options);
    const loaded = await materializeDataSet(engine(), outcomes);
    expect(await groupedConfusionCounts(engine(), loaded, options)).toEqual(fromFile);
  });

  it('rejects a file without data rows', async () => {
    const empty = await openDataSet(engine(), { path: fixture('header-only.csv') });
    const error = await appErrorOf(() => groupedConfusionCounts(engine(), empty, { label: { column: 'a', positive: ['1'] }, prediction: { column: 'b', positive: ['1'] }, sensitive: [] }));
    expect(error.message).toBe(`"${fixture('header-only.csv')}" has no data rows to measure; check that it is the file you meant`);
  });
});
