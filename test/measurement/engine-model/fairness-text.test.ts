import { beforeAll, describe, expect, it } from 'vitest';

import type { DataSet } from '../../../src/measurement/data/index.js';
import { measureFairness, type FairnessMeasurementOptions } from '../../../src/measurement/engine/fairness-measurement.js';
import { renderFairnessText } from '../../../src/measurement/reports/fairness-text.js';
import { compasPath, fixture, openMaterialized, useDataEngine } from './support.js';

const engine = useDataEngine();

const mediumOrHigh: FairnessMeasurementOptions = {
  label: { column: 'two_year_recid', positive: [1] },
  prediction: { column: 'score_text', positive: ['Medium', 'High'] },
  sensitive: ['race'],
};

/** Returns the table line that starts with `first`, with runs of spaces collapsed to one. */
function lineStartingWith(text: string, first: string): string {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${first} `));
  if (line === undefined) throw new Error(`no line starts with "${first}" in:\n${text}`);
  return line.replace(/ +/g, ' ');
}

describe('renderFairnessText', () => {
  let compas: DataSet;
  beforeAll(async () => {
    compas = await openMaterialized(engine(), compasPath);
  });

  it("prints ProPublica's table for COMPAS", async () => {
    const text = renderFairnessText(await measureFairness(engine(), compas, mediumOrHigh));
    expect(lineStartingWith(text, 'Group')).toBe('Group n TN FP FN TP FPR FNR');
    expect(lineStartingWith(text, 'African-American')).toBe('African-American 3696 990 805 532 1369 44.85 % 27.99 %');
    expect(lineStartingWith(text, 'Caucasian')).toBe('Caucasian 2454 1139 349 461 505 23.45 % 47.72 %');
    expect(lineStartingWith(text, 'Overall')).toBe('Overall 7214 2681 1282 1216 2035 32.35 % 37.40 %');
    expect(lineStartingWith(text, 'Native American *')).toBe('Native American * 18 5 3 1 9 37.50 % 10.00 %');
    expect(text).toContain('* fewer than 30 rows');
  });

  it('aligns the columns of the table', async () => {
    const text = renderFairnessText(await measureFairness(engine(), compas, mediumOrHigh));
    const lines = text.split('\n');
    const header = lines.find((line) => line.startsWith('Group '));
    const africanAmerican = lines.find((line) => line.startsWith('African-American '));
    const overall = lines.find((line) => line.startsWith('Overall '));
    expect(africanAmerican?.length).toBe(header?.length);
    expect(overall?.length).toBe(header?.length);
  });

  it("prints ProPublica's High-only rates", async () => {
    const text = renderFairnessText(await measureFairness(engine(), compas, { ...mediumOrHigh, prediction: { column: 'score_text', positive: ['High'] } }));
    expect(lineStartingWith(text, 'Caucasian')).toMatch(/ 5\.44 % 79\.81 %$/);
    expect(lineStartingWith(text, 'African-American')).toMatch(/ 15\.82 % 61\.02 %$/);
  });

  it('prints the other rates, disparities and the four-fifths rule', async () => {
    const text = renderFairnessText(await measureFairness(engine(), compas, mediumOrHigh));
    expect(text).toContain('Other rates (%)');
    expect(text).toContain('Wilson 95 % intervals (%)');
    expect(lineStartingWith(text, 'FPR')).toContain('36.15 pp');
    expect(text).toContain('Four-fifths rule');
    expect(text).toContain('Caveat: The four-fifths rule is a screening heuristic');
    expect(text).not.toContain('Bootstrap');
  });

  it('judges no small group by four-fifths', async () => {
    const text = renderFairnessText(await measureFairness(engine(), compas, mediumOrHigh));
    expect(text).toContain("each group's selection rate divided by the highest among groups of the minimum size (African-American)");
    const fourFifthsRow = text.split('\n').find((line) => line.startsWith('Native American *') && line.includes('1.1334'));
    expect(fourFifthsRow).toMatch(/1\.1334 +not judged \(small group\)$/);
    expect(text).toContain('use --favourable negative');
  });

  it('prints undefined values with their reason, never as 0', async () => {
    const dataSet = await openMaterialized(engine(), fixture('missing-groups.csv'));
    const measurement = await measureFairness(engine(), dataSet, {
      label: { column: 'label', positive: [1] },
      prediction: { column: 'prediction', positive: [1] },
      sensitive: ['sex', 'age_band'],
    });
    const text = renderFairnessText(measurement);
    const femaleOld = lineStartingWith(text, 'female & old *');
    expect(femaleOld).toBe('female & old * 1 1 0 0 0 0.00 % undefined [1]');
    const maleYoung = lineStartingWith(text, 'male & young *');
    expect(maleYoung).toBe('male & young * 1 0 0 1 0 undefined [2] 100.00 %');
    expect(text).toContain('[1] no actual positives in the group');
    expect(text).toContain('[2] no actual negatives in the group');
    expect(text).toContain('Rows: 10 read, 8 measured, 1 left out without a label, 1 without a prediction.');
  });

  it('shows control characters in group names as escapes', async () => {
    const dataSet = await openMaterialized(engine(), fixture('control-characters.csv'));
    const measurement = await measureFairness(engine(), dataSet, { label: { column: 'label', positive: [1] }, prediction: { column: 'prediction', positive: [1] }, sensitive: ['group'] });
    const text = renderFairnessText(measurement);
    expect(text).toContain('\\u001B[31mred');
    expect(text).not.toContain('\u001B');
  });
});
