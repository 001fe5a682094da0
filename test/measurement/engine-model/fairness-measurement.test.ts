import { beforeAll, describe, expect, it } from 'vitest';

import type { DataSet } from '../../../src/measurement/data/index.js';
import { measureFairness, type FairnessMeasurement, type FairnessMeasurementOptions } from '../../../src/measurement/engine/fairness-measurement.js';
import { appErrorOf, compasPath, fixture, openMaterialized, percent, useDataEngine, valueOf } from './support.js';

const engine = useDataEngine();

const mediumOrHigh: FairnessMeasurementOptions = {
  label: { column: 'two_year_recid', positive: [1] },
  prediction: { column: 'score_text', positive: ['Medium', 'High'] },
  sensitive: ['race'],
};

function groupOf(measurement: FairnessMeasurement, label: string) {
  const group = measurement.groups.find((candidate) => candidate.label === label);
  if (group === undefined) throw new Error(`no group ${label} among ${measurement.groups.map((candidate) => candidate.label).join(', ')}`);
  return group;
}

describe('measureFairness on COMPAS', () => {
  let compas: DataSet;
  beforeAll(async () => {
    compas = await openMaterialized(engine(), compasPath);
  });

  it("reproduces ProPublica's table", async () => {
    const measurement = await measureFairness(engine(), compas, mediumOrHigh);

    const africanAmerican = groupOf(measurement, 'African-American');
    expect(africanAmerican.size).toBe(3696);
    expect(africanAmerican.counts).toEqual({ trueNegatives: 990, falsePositives: 805, falseNegatives: 532, truePositives: 1369 });
    expect(percent(valueOf(africanAmerican.rates.falsePositiveRate?.value))).toBe(44.85);
    expect(percent(valueOf(africanAmerican.rates.falseNegativeRate?.value))).toBe(27.99);

    const caucasian = groupOf(measurement, 'Caucasian');
    expect(caucasian.size).toBe(2454);
    expect(caucasian.counts).toEqual({ trueNegatives: 1139, falsePositives: 349, falseNegatives: 461, truePositives: 505 });
    expect(percent(valueOf(caucasian.rates.falsePositiveRate?.value))).toBe(23.45);
    expect(percent(valueOf(caucasian.rates.falseNegativeRate?.value))).toBe(47.72);

    expect(measurement.overall.size).toBe(7214);
    expect(measurement.overall.counts).toEqual({ trueNegatives: 2681, falsePositives: 1282, falseNegatives: 1216, truePositives: 2035 });
    expect(percent(valueOf(measurement.overall.rates.falsePositiveRate?.value))).toBe(32.35);
    expect(percent(valueOf(measurement.overall.rates.falseNegativeRate?.value))).toBe(37.4);
    expect(measurement.rows).toEqual({ read: 7214, measured: 7214, leftOut: { missingLabel: 0, missingPrediction: 0 } });
  });

  it("reproduces ProPublica's High-only rates", async () => {
    const measurement = await measureFairness(engine(), compas, { ...mediumOrHigh, prediction: { column: 'score_text', positive: ['High'] } });
    const caucasian = groupOf(measurement, 'Caucasian');
    const africanAmerican = groupOf(measurement, 'African-American');
    expect(percent(valueOf(caucasian.rates.falsePositiveRate?.value))).toBe(5.44);
    expect(percent(valueOf(caucasian.rates.falseNegativeRate?.value))).toBe(79.81);
    expect(percent(valueOf(africanAmerican.rates.falsePositiveRate?.value))).toBe(15.82);
    expect(percent(valueOf(africanAmerican.rates.falseNegativeRate?.value))).toBe(61.02);
  });

  it('gives every rate a Wilson interval around it', async () => {
    const measurement = await measureFairness(engine(), compas, mediumOrHigh);
    for (const group of measurement.groups) {
      for (const rate of measurement.rates) {
        const estimate = group.rates[rate];
        const interval = estimate?.interval;
        if (!interval?.defined) throw new Error(`${group.label} ${rate} has no interval`);
        expect(interval.lower).toBeLessThanOrEqual(valueOf(estimate?.value));
        expect(interval.upper).toBeGreaterThanOrEqual(valueOf(estimate?.value));
      }
    }
    expect(measurement.settings.confidence).toBe(0.95);
  });

  it('flags groups below the minimum size', async () => {
    const measurement = await measureFairness(engine(), compas, mediumOrHigh);
    expect(measurement.groups.filter((group) => group.belowMinimumSize).map((group) => [group.label, group.size])).toEqual([['Native American', 18]]);
    expect(measurement.warnings).toContain('groups below the minimum size of 30 rows: Native American (18 rows)');

    const lenient = await measureFairness(engine(), compas, { ...mediumOrHigh, minimumGroupSize: 10 });
    expect(lenient.groups.some((group) => group.belowMinimumSize)).toBe(false);
    expect(lenient.warnings).toEqual([]);
  });

  it('compares each rate between groups, to overall and to the largest group', async () => {
    const measurement = await measureFairness(engine(), compas, mediumOrHigh);
    const falsePositive = measurement.disparities.falsePositiveRate;
    const rateOf = (label: string) => valueOf(groupOf(measurement, label).rates.falsePositiveRate?.value);

    expect(falsePositive?.referenceChoice).toBe('largest group');
    expect(falsePositive?.toReference?.reference).toBe('African-American');
    const caucasian = falsePositive?.toReference?.groups.find((group) => group.label === 'Caucasian');
    expect(valueOf(caucasian?.difference)).toBeCloseTo(rateOf('Caucasian') - rateOf('African-American'), 12);
    expect(valueOf(caucasian?.ratio)).toBeCloseTo(rateOf('Caucasian') / rateOf('African-American'), 12);

    const rates = measurement.groups.map((group) => valueOf(group.rates.falsePositiveRate?.value));
    expect(valueOf(falsePositive?.betweenGroups.difference)).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
    expect(valueOf(falsePositive?.betweenGroups.ratio)).toBeCloseTo(Math.min(...rates) / Math.max(...rates), 12);
    expect(falsePositive?.betweenGroups.minimumGroup).toBe('Asian');
    expect(falsePositive?.betweenGroups.maximumGroup).toBe('African-American');
  });

  it('takes a named reference group in every spelling', async () => {
    const byValue = await measureFairness(engine(), compas, { ...mediumOrHigh, reference: { group: 'Caucasian' } });
    const byLabel = await measureFairness(engine(), compas, { ...mediumOrHigh, reference: { group: 'race=Caucasian' } });
    const byKey = await measureFairness(engine(), compas, { ...mediumOrHigh, reference: { group: ['Caucasian'] } });
    for (const measurement of [byValue, byLabel, byKey]) {
      expect(measurement.disparities.falsePositiveRate?.toReference?.reference).toBe('Caucasian');
      expect(measurement.settings.reference).toEqual({ kind: 'named', key: ['Caucasian'] });
    }
  });

  it('rejects a reference group that does not occur', async () => {
    const error = await appErrorOf(() => measureFairness(engine(), compas, { ...mediumOrHigh, reference: { group: 'Martian' } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(
      `The reference group "Martian" has no measured rows in "${compasPath}" when grouped by race: the value "Martian" does not occur in column "race"; ` +
        'the values found are "African-American" (3696 rows), "Caucasian" (2454 rows), "Hispanic" (637 rows), "Other" (377 rows), "Asian" (32 rows) and 1 more value; ' +
        'name a group that occurs, or use largest or most_favourable',
    );
    expect(error.message).not.toContain('\n');
  });

  it('names the attribute of an absent intersection value', async () => {
    const options = { ...mediumOrHigh, sensitive: ['race', 'sex'], reference: { group: 'race=Caucasian, sex=Femal' } };
    const error = await appErrorOf(() => measureFairness(engine(), compas, options));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('the value "Femal" does not occur in column "sex"; the values found are "Male" (5819 rows), "Female" (1395 rows);');
  });

  it('chooses the most favourable group per rate', async () => {
    const measurement = await measureFairness(engine(), compas, { ...mediumOrHigh, reference: 'most_favourable' });
    // Lowest false positive rate among groups of at least 30 rows, highest true positive rate.
    expect(measurement.disparities.falsePositiveRate?.toReference?.reference).toBe('Asian');
    expect(measurement.disparities.truePositiveRate?.toReference?.reference).toBe('African-American');
  });

  it('groups by the intersection of attributes', async () => {
    const measurement = await measureFairness(engine(), compas, { ...mediumOrHigh, sensitive: ['race', 'sex'] });
    expect(measurement.attributes).toEqual(['race', 'sex']);
    expect(measurement.groups).toHaveLength(12);
    const female = groupOf(measurement, 'African-American & Female');
    expect(female.name).toBe('race=African-American, sex=Female');
    const male = groupOf(measurement, 'African-American & Male');
    expect(female.counts.falsePositives + male.counts.falsePositives).toBe(805);
  });

  it('predicts from a score column and a threshold', async () => {
    const byText = await measureFairness(engine(), compas, mediumOrHigh);
    const byDecile = await measureFairness(engine(), compas, { ...mediumOrHigh, prediction: { scoreColumn: 'decile_score', threshold: 5 } });
    expect(byDecile.prediction).toEqual({ kind: 'score', column: 'decile_score', threshold: 5 });
    expect(byDecile.groups.map((group) => group.counts)).toEqual(byText.groups.map((group) => group.counts));
    expect(byDecile.warnings.some((warning) => warning.includes('"decile_score"'))).toBe(true);
    expect(byText.warnings.some((warning) => warning.includes('decile_score'))).toBe(false);
  });

  it('adds seeded bootstrap intervals on request', async () => {
    const options = { ...mediumOrHigh, bootstrap: { replicates: 200, seed: 7 } };
    const first = await measureFairness(engine(), compas, options);
    const second = await measureFairness(engine(), compas, options);
    const otherSeed = await measureFairness(engine(), compas, { ...options, bootstrap: { replicates: 200, seed: 8 } });

    expect(first.bootstrap).toEqual(second.bootstrap);
    expect(first.bootstrap?.intervals).not.toEqual(otherSeed.bootstrap?.intervals);
    const difference = first.bootstrap?.intervals.find((interval) => interval.statistic === 'falsePositiveRate.toReference.Caucasian.difference');
    if (!difference?.interval.defined) throw new Error('the Caucasian FPR difference has no bootstrap interval');
    expect(difference.interval.lower).toBeLessThan(valueOf(difference.estimate));
    expect(difference.interval.upper).toBeGreaterThan(valueOf(difference.estimate));
    expect(difference.usedReplicates).toBe(200);

    const without = await measureFairness(engine(), compas, mediumOrHigh);
    expect(without.bootstrap).toBeNull();
  });

  it('survives a JSON round trip unchanged', async () => {
    const measurement = await measureFairness(engine(), compas, { ...mediumOrHigh, sensitive: ['race', 'sex'], bootstrap: { replicates: 50 } });
    expect(JSON.parse(JSON.stringify(measurement))).toStrictEqual(measurement);
  });
});

describe('measureFairness on edge cases', () => {
  const options: FairnessMeasurementOptions = {
    label: { column: 'label', positive: [1] },
    prediction: { column: 'prediction', positive: [1] },
    sensitive: ['sex'],
  };

  it('keeps missing sensitive values as a group', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const measurement = await measureFairness(engine(), dataSet, options);
    expect(measurement.groups.map((group) => [group.label, group.name, group.isMissing, group.size])).toEqual([
      ['female', 'sex=female', false, 3],
      ['male', 'sex=male', false, 3],
      ['(missing)', 'sex=(missing)', true, 2],
    ]);
    expect(measurement.rows).toEqual({ read: 10, measured: 8, leftOut: { missingLabel: 1, missingPrediction: 1 } });
    expect(measurement.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('has no label and was left out'), expect.stringContaining('has no prediction and was left out')]),
    );
  });

  it('rejects missing sensitive values when asked', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const error = await appErrorOf(() => measureFairness(engine(), dataSet, { ...options, missingSensitive: 'error' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('The sensitive attribute "sex"');
    expect(error.message).toContain('is missing in 2 rows');
  });

  it('reports a rate without denominator as undefined with its reason', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const measurement = await measureFairness(engine(), dataSet, { ...options, sensitive: ['sex', 'age_band'] });
    const femaleOld = groupOf(measurement, 'female & old');
    expect(femaleOld.rates.truePositiveRate?.value).toEqual({ defined: false, reason: 'no actual positives in the group', warnings: [] });
    expect(femaleOld.rates.falseNegativeRate?.value.defined).toBe(false);
    expect(femaleOld.rates.truePositiveRate?.interval.defined).toBe(false);
    const maleYoung = groupOf(measurement, 'male & young');
    expect(maleYoung.rates.falsePositiveRate?.value).toEqual({ defined: false, reason: 'no actual negatives in the group', warnings: [] });
    expect(measurement.disparities.truePositiveRate?.skippedGroups).toContain('female & old');
  });

  it('measures the base rate alone without a prediction', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const measurement = await measureFairness(engine(), dataSet, { ...options, prediction: null });
    expect(measurement.prediction).toEqual({ kind: 'none' });
    expect(measurement.rates).toEqual(['baseRate']);
    expect(Object.keys(groupOf(measurement, 'female').rates)).toEqual(['baseRate']);
    // Female rows with a label: 1, 0, 0; the unlabelled row is left out.
    expect(valueOf(groupOf(measurement, 'female').rates.baseRate?.value)).toBeCloseTo(1 / 3, 15);
    expect(Object.keys(measurement.disparities)).toEqual(['baseRate']);
    expect(measurement.parity).toBeNull();
    expect(measurement.fourFifthsRule).toBeNull();
  });

  it('needs a sensitive attribute', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const error = await appErrorOf(() => measureFairness(engine(), dataSet, { ...options, sensitive: [] }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('needs at least one sensitive attribute');
  });
});
