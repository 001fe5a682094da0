import { describe, expect, it } from 'vitest';

import { measureDrift } from '../../../src/measurement/engine/drift-measurement.js';
import { measureQuality } from '../../../src/measurement/engine/quality-measurement.js';
import { datasetDriftLine, renderDriftText } from '../../../src/measurement/reports/drift-text.js';
import { renderQualityText } from '../../../src/measurement/reports/quality-text.js';
import { adultTestSpec, adultTrainSpec, open, qualityRows, useDataEngine, useFixtureFolder } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

describe('renderDriftText', () => {
  it('writes one row per column and the dataset drift line', async () => {
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), adultTestSpec), { columnMapping: { 'income-per-year': 'Y' } });
    const lines = renderDriftText(measurement).split('\n');

    expect(lines[0]).toBe('Drift from examples/adult/adult.csv (32561 rows) to examples/adult/adult.test (16281 rows)');
    expect(lines[2]).toMatch(/^Column +Type +Test +Statistic +P-value \/ distance +Threshold +Drifted$/);
    expect(lines[3]).toMatch(/^age +numerical +jensen-shannon +- +0\.0102 +>= 0\.1 +no$/);
    expect(lines.find((line) => line.startsWith('income-per-year (Y)'))).toMatch(/categorical +jensen-shannon .* no$/);
    expect(lines).toContain('Dataset drift: 0 of 15 tested columns drifted (0.00 %); the threshold is 50 % of the columns, so the dataset has not drifted.');
    expect(lines).toContain('  workclass: reference sample: 1836 missing values left out of the test');
  });

  it('marks untested columns and undefined values with their reasons', async () => {
    const reference = await open(engine(), writeCsv('text-reference.csv', ['x,c,d', '1,a,2024-01-01', '2,b,2024-01-02']));
    const current = await open(engine(), writeCsv('text-current.csv', ['x,c,d', 'one,a,2024-01-03', 'two,a,2024-01-04']));
    const text = renderDriftText(await measureDrift(engine(), reference, current));

    expect(text).toMatch(/\nx +not tested \[1\]\n/);
    expect(text).toContain('[1] the column is BIGINT in the reference file but VARCHAR in the current file');
    expect(text).toContain('d is tested as days since 1970-01-01.');
    // SciPy 1.10.1: chi2_contingency([[1, 1], [2, 0]], correction=False) gives 1.3333 with p = 0.2482.
    expect(text).toMatch(/\nc +categorical +chi-square +1\.333 +0\.2482 +< 0\.05 +no\n/);
  });

  it('writes an undefined dataset drift with its reason', () => {
    const line = datasetDriftLine({ datasetDrift: { defined: false, reason: 'no column had a defined drift test result' } } as Parameters<typeof datasetDriftLine>[0]);
    expect(line).toBe('Dataset drift: undefined, because no column had a defined drift test result.');
  });
});

describe('renderQualityText', () => {
  it('writes the column table, duplicates, agreement and failed checks', async () => {
    const dataSet = await open(engine(), writeCsv('text-quality.csv', qualityRows));
    const measurement = await measureQuality(engine(), dataSet, {
      columns: ['age', 'flag'],
      schema: [{ name: 'age', type: 'integer', minimum: 0, maximum: 120 }],
      thresholds: { minimumCompleteness: 0.95 },
      keyColumns: ['id'],
      annotators: { columns: ['a1', 'a2'] },
      representativeness: [{ column: 'status', population: { active: 0.5, inactive: 0.5 } }],
    });
    const text = renderQualityText(measurement);

    expect(text).toMatch(/\nage +BIGINT as integer +90\.00 % +8 +100\.00 % +2 +- +22\.22 % +no\n/);
    expect(text).toMatch(/\nflag +VARCHAR +100\.00 % +1 +undefined \[1\] +- +- +100\.00 % +constant\n/);
    expect(text).toContain('[1] the schema declares no type for the column');
    expect(text).toContain('Duplicate rows: 1 (10.00 % of all rows).');
    expect(text).toContain('Duplicate keys over id: 1 rows (10.00 %), 0 rows with a missing key part; the most repeated key, 7, occurs 2 times.');
    expect(text).toContain("Krippendorff's alpha (nominal): ");
    expect(text).toContain('Representativeness of status: total-variation 0.2000, smallest ratio 0.6000 (inactive)');
    expect(text).toContain('Checks: 1 of 2 passed.');
    expect(text).toContain('  FAILED completeness of age: 0.9, required >= 0.95');
  });
});
