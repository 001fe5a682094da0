import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import type { PooledValueCounts } from '../../../src/measurement/core/aggregates.js';
import { alignBinnedCounts, binPooledValues, referenceQuantileEdges, type AlignedCounts } from '../../../src/measurement/core/drift/binning.js';
import { jensenShannonDistance, populationStabilityIndex } from '../../../src/measurement/core/drift/distances.js';
import { pooledValueCounts, SqlParameters } from '../../../src/measurement/data/index.js';
import { measureDrift, type DriftMeasurement } from '../../../src/measurement/engine/drift-measurement.js';
import { adultTestSpec, adultTrainSpec, appErrorOf, columnOf, open, reasonOf, useDataEngine, useFixtureFolder, valueOf } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

/** `count` draws of a normal distribution with mean `shift`, from a fixed seed, written with full precision. */
function normalValues(seed: number, count: number, shift = 0): string[] {
  const random = new Xoshiro128StarStar(seed);
  return Array.from({ length: count }, () => String(shift + sampleStandardNormal(random)));
}

/** Jensen-Shannon on 10 reference-quantile bins computed by the core from every value: the pooled path. */
function pooledJensenShannon(pooled: PooledValueCounts): { edges: readonly number[]; aligned: AlignedCounts; distance: number } {
  const edges = referenceQuantileEdges(pooled, 10);
  if (!edges.defined) throw new Error(edges.reason);
  const { reference, current } = binPooledValues(pooled, edges.edges);
  const aligned = alignBinnedCounts(reference, current);
  return { edges: edges.edges, aligned, distance: valueOf(jensenShannonDistance(aligned.reference, aligned.current)) };
}

function otherValue(measurement: DriftMeasurement, column: string, test: string): { statistic: number; pValue: number | null } {
  const measure = columnOf(measurement, column).otherMeasures.find((candidate) => candidate.test === test);
  if (measure === undefined) throw new Error(`${column} reports no ${test}`);
  return { statistic: valueOf(measure.statistic), pValue: measure.pValue === null ? null : valueOf(measure.pValue) };
}

describe('measureDrift on Adult', () => {
  const mapping = { 'income-per-year': 'Y' };

  // adult.names: the census records were split 2/3 to training and 1/3 to test at random. On the
  // data, SciPy's ks_2samp gives p-values from 0.46 (age) to 1.0, chi2_contingency from 0.26 (the
  // label) to 0.76, and every Jensen-Shannon distance is below 0.03. So no column has shifted, and
  // none may be flagged.
  it('flags no column between the training and the test split', async () => {
    // Both splits have more than 1,000 values per column, so KS runs only when asked for, here as a policy metric.
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), adultTestSpec), {
      columnMapping: mapping,
      metrics: [{ key: 'ks', metric: 'ks', parameters: {} }],
    });
    const ksOf = (column: string) => {
      const value = (measurement.metrics['ks'] ?? []).find((candidate) => candidate.column === column);
      return { statistic: valueOf(value?.statistic), pValue: valueOf(value?.pValue) };
    };

    expect(measurement.columns).toHaveLength(15);
    expect(measurement.columns.filter((column) => column.drifted !== false).map((column) => column.column)).toEqual([]);
    expect(measurement.datasetDrift).toEqual({ defined: true, drifted: false, share: 0, driftedColumns: 0, testedColumns: 15, threshold: 0.5 });
    expect([measurement.reference.rows, measurement.current.rows]).toEqual([32561, 16281]);
    expect(measurement.onlyInReference).toEqual([]);
    expect(measurement.onlyInCurrent).toEqual([]);

    const label = columnOf(measurement, 'income-per-year');
    expect(label.currentColumn).toBe('Y');
    expect(label.distributions?.labels).toEqual(['<=50K', '>50K']);
    // SciPy 1.10.1 on the same values: ks_2samp(age) gives D = 0.008194210323058115 and p = 0.4573203269241334.
    const age = ksOf('age');
    expect(age.statistic).toBeCloseTo(0.008194210323058115, 14);
    expect(Math.abs(age.pValue - 0.4573203269241334) / 0.4573203269241334).toBeLessThan(1e-9);
    for (const column of measurement.columns) {
      const pValue = column.type === 'numerical' ? ksOf(column.column).pValue : otherValue(measurement, column.column, 'chi-square').pValue;
      expect(pValue, column.column).toBeGreaterThan(0.25);
    }
    const skipped = columnOf(measurement, 'age').otherMeasures.find((measure) => measure.test === 'kolmogorov-smirnov');
    expect(skipped?.method).toBe('skipped');
    expect(reasonOf(skipped?.statistic)).toContain('skipped for cost');
  });

  it('flags only the label when its test-split periods are kept', async () => {
    const unrecoded = { ...adultTestSpec, recode: {} };
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), unrecoded), { columnMapping: mapping });

    expect(measurement.columns.filter((column) => column.drifted === true).map((column) => column.column)).toEqual(['income-per-year']);
    const label = columnOf(measurement, 'income-per-year');
    expect(valueOf(label.score)).toBe(1);
    expect([...(label.distributions?.labels ?? [])].sort()).toEqual(['<=50K', '<=50K.', '>50K', '>50K.']);
    expect(label.test).toBe('jensen-shannon');
  });

  // Only the women of the test split: the columns tied to sex shift (sex itself, relationship with
  // its husbands gone, marital status, occupation, hours per week, income), while the others stay
  // below a Jensen-Shannon distance of 0.1, although p-value tests find several of them
  // different too at this size (age: KS p = 2e-22).
  it('flags the columns that shift with a subset of women', async () => {
    const lines = fs.readFileSync(adultTestSpec.path, 'utf8').split('\n');
    const women = writeCsv('adult-women.test', [lines[0] as string, ...lines.slice(1).filter((line) => line.includes(', Female, '))]);
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), { ...adultTestSpec, path: women }), { columnMapping: mapping });

    const drifted = measurement.columns.filter((column) => column.drifted === true).map((column) => column.column);
    expect(drifted).toEqual(['marital-status', 'occupation', 'relationship', 'sex', 'hours-per-week', 'income-per-year']);
    for (const unchanged of ['fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'native-country', 'race']) {
      expect(columnOf(measurement, unchanged).drifted, unchanged).toBe(false);
    }
    expect(valueOf(columnOf(measurement, 'sex').score)).toBeGreaterThan(0.6);
    expect(measurement.datasetDrift).toMatchObject({ defined: true, drifted: false, driftedColumns: 6, testedColumns: 15 });
  });

  it('names the delimiter of the test split', async () => {
    const commaOnly = { path: adultTestSpec.path, csv: { nullStrings: ['?'] } };
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), commaOnly));

    expect(measurement.warnings.filter((warning) => warning.includes('begin with a space'))).toEqual([
      expect.stringContaining('so its fields are probably separated by ", ", not ","'),
    ]);
    expect(measurement.warnings.filter((warning) => warning.startsWith('Column 2 of the header'))).toEqual([]);
    expect(columnOf(measurement, 'workclass').warnings).toContainEqual(expect.stringContaining('only after removing surrounding spaces (" Private" against "Private")'));
    expect(columnOf(measurement, 'age').warnings.join(' ')).not.toContain('surrounding spaces');

    const reversed = await measureDrift(engine(), await open(engine(), commaOnly), await open(engine(), adultTrainSpec));
    expect(columnOf(reversed, 'workclass').warnings).toContainEqual(expect.stringContaining('("Private" against " Private"), so the test compares spellings rather than distributions; read the reference file'));

    const correct = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), adultTestSpec));
    expect(correct.warnings.join(' ')).not.toContain('begin with a space');
    expect(correct.columns.flatMap((column) => column.warnings).join(' ')).not.toContain('surrounding spaces');
  });

  it('lists the label as unmatched without the mapping', async () => {
    const measurement = await measureDrift(engine(), await open(engine(), adultTrainSpec), await open(engine(), adultTestSpec));
    expect(measurement.columns).toHaveLength(14);
    expect(measurement.onlyInReference).toEqual(['income-per-year']);
    expect(measurement.onlyInCurrent).toEqual(['Y']);
    expect(measurement.warnings.join(' ')).toContain('"income-per-year"');
  });
});

describe('measureDrift test choice', () => {
  it('uses KS for small numerical samples and chi-square for few values', async () => {
    const reference = writeCsv('small-reference.csv', ['x,k,c', ...normalValues(1, 200).map((value, index) => `${value},${index % 3},${index % 2 === 0 ? 'a' : 'b'}`)]);
    const current = writeCsv('small-current.csv', ['x,k,c', ...normalValues(2, 150, 1).map((value, index) => `${value},${index % 3},${index % 5 === 0 ? 'a' : 'b'}`)]);
    const measurement = await measureDrift(engine(), await open(engine(), reference), await open(engine(), current));

    const x = columnOf(measurement, 'x');
    expect([x.test, x.testKind, x.rule, x.method]).toEqual(['kolmogorov-smirnov', 'p-value', 'p-value < threshold', 'exact']);
    expect(valueOf(x.score)).toBeLessThan(1e-10);
    expect(x.drifted).toBe(true);
    expect(x.reason).toContain('smaller sample size 150 <= 1000');

    const k = columnOf(measurement, 'k');
    expect([k.type, k.test, k.distinctCount]).toEqual(['numerical', 'chi-square', 3]);
    expect(k.distributions?.kind).toBe('categories');
    expect(k.drifted).toBe(false);

    const c = columnOf(measurement, 'c');
    expect([c.type, c.test]).toEqual(['categorical', 'chi-square']);
    expect(c.drifted).toBe(true);
    expect(c.otherMeasures.map((measure) => measure.test)).toEqual(['population-stability-index', 'jensen-shannon', 'total-variation']);
  });

  it('applies per-column overrides', async () => {
    const reference = writeCsv('override-reference.csv', ['x', ...normalValues(3, 300)]);
    const current = writeCsv('override-current.csv', ['x', ...normalValues(4, 300, 0.3)]);
    const measurement = await measureDrift(engine(), await open(engine(), reference), await open(engine(), current), {
      overrides: { x: { test: 'population-stability-index', threshold: 0.5, binCount: 20 } },
    });
    const x = columnOf(measurement, 'x');
    expect([x.test, x.choice, x.threshold, x.rule]).toEqual(['population-stability-index', 'override', 0.5, 'distance >= threshold']);
    expect(x.distributions?.labels).toHaveLength(22);
    expect(x.drifted).toBe(valueOf(x.score) >= 0.5);
    expect(x.reason).toContain('default would be kolmogorov-smirnov');
  });

  it('rejects overrides that do not fit', async () => {
    const reference = await open(engine(), writeCsv('reject-reference.csv', ['x,c', '1,a', '2,b']));
    const error = await appErrorOf(() =>
      measureDrift(engine(), reference, reference, { overrides: { x: { threshold: 0.1 }, c: { test: 'kolmogorov-smirnov' }, missing: { test: 'hellinger' } } }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path)).toEqual(['/overrides/x', '/overrides/c', '/overrides/missing']);
    expect(error.details[1]?.message).toContain('cannot run on a categorical column');
  });

  it('rejects invalid options with every problem', async () => {
    const reference = await open(engine(), writeCsv('options.csv', ['x', '1', '2']));
    const error = await appErrorOf(() => measureDrift(engine(), reference, reference, { datasetDriftShare: 0, maxCategories: 1.5 }));
    expect(error.details.map((detail) => detail.path)).toEqual(['/datasetDriftShare', '/maxCategories']);
  });

  it('judges dataset drift against its threshold', async () => {
    const reference = writeCsv('share-reference.csv', ['a,b,c', ...Array.from({ length: 60 }, (_, index) => `${index % 2},${index % 3},x`)]);
    const current = writeCsv('share-current.csv', ['a,b,c', ...Array.from({ length: 60 }, (_, index) => `${index < 50 ? 1 : 0},${index % 3},x`)]);
    const measurement = await measureDrift(engine(), await open(engine(), reference), await open(engine(), current), { datasetDriftShare: 1 / 3 });
    expect(measurement.columns.map((column) => column.drifted)).toEqual([true, false, false]);
    expect(measurement.datasetDrift).toEqual({ defined: true, drifted: true, share: 1 / 3, driftedColumns: 1, testedColumns: 3, threshold: 1 / 3 });
  });
});

describe('measureDrift edge cases', () => {
  it('reports an empty current sample as untested', async () => {
    const reference = await open(engine(), writeCsv('nonempty.csv', ['x,c', '1.5,a', '2.5,b']));
    const current = await open(engine(), writeCsv('header-only.csv', ['x,c']));
    const measurement = await measureDrift(engine(), reference, current);

    const x = columnOf(measurement, 'x');
    expect([x.test, x.drifted]).toEqual([null, null]);
    expect(x.reason).toBe('the current sample has no value in it (0 rows), so there is nothing to compare');
    // Both columns are text in the header-only file, so c is compared and its test has nothing to count.
    expect(reasonOf(columnOf(measurement, 'c').score)).toBe('the current sample has no values');
    expect(measurement.datasetDrift).toEqual({ defined: false, reason: 'no column had a defined drift test result' });
  });

  it('reports an all-missing column as untested', async () => {
    const reference = await open(engine(), writeCsv('present.csv', ['x,y', '1,2', '2,3', '3,4']));
    const current = await open(engine(), writeCsv('all-missing.csv', ['x,y', ',2', ',3', ',5']));
    const measurement = await measureDrift(engine(), reference, current);
    expect(columnOf(measurement, 'x').reason).toBe('the current sample has no value in it (3 rows), so there is nothing to compare');
    expect(columnOf(measurement, 'y').drifted).not.toBeNull();
  });

  it('reports a constant column as not drifted', async () => {
    const reference = await open(engine(), writeCsv('constant-reference.csv', ['x,c', ...Array.from({ length: 20 }, () => '7,same')]));
    const current = await open(engine(), writeCsv('constant-current.csv', ['x,c', ...Array.from({ length: 30 }, () => '7,same')]));
    const measurement = await measureDrift(engine(), reference, current);
    for (const name of ['x', 'c']) {
      const column = columnOf(measurement, name);
      expect([column.test, column.drifted], name).toEqual(['chi-square', false]);
      expect(reasonOf(column.score)).toContain('only one category');
      expect(column.warnings.join(' ')).toContain('one and the same value');
    }
    expect(measurement.datasetDrift).toMatchObject({ defined: true, share: 0, testedColumns: 2 });
  });

  it('flags two different constants', async () => {
    const reference = await open(engine(), writeCsv('constant-a.csv', ['x', ...Array.from({ length: 20 }, () => '1')]));
    const current = await open(engine(), writeCsv('constant-b.csv', ['x', ...Array.from({ length: 20 }, () => '2')]));
    const x = columnOf(await measureDrift(engine(), reference, current), 'x');
    expect([x.test, x.drifted]).toEqual(['chi-square', true]);
    expect(valueOf(x.statistic)).toBe(40);
  });

  it('counts a category present on one side only', async () => {
    const reference = await open(engine(), writeCsv('categories-reference.csv', ['c', ...Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? 'a' : 'b'))]));
    const current = await open(engine(), writeCsv('categories-current.csv', ['c', ...Array.from({ length: 40 }, (_, index) => ['a', 'b', 'new'][index % 3] as string)]));
    const c = columnOf(await measureDrift(engine(), reference, current), 'c');

    const distributions = c.distributions;
    expect(distributions?.labels).toEqual(['a', 'b', 'new']);
    expect(distributions?.reference.counts).toEqual([20, 20, 0]);
    expect(distributions?.current.counts).toEqual([14, 13, 13]);
    // SciPy 1.10.1: chi2_contingency([[20, 20, 0], [14, 13, 13]], correction=False) gives 15.543672014260249, p = 0.0004214387914294933.
    expect(valueOf(c.statistic)).toBeCloseTo(15.543672014260249, 10);
    expect(Math.abs(valueOf(c.pValue) - 0.0004214387914294933) / 0.0004214387914294933).toBeLessThan(1e-9);
    expect(c.drifted).toBe(true);
    const psi = c.otherMeasures.find((measure) => measure.test === 'population-stability-index');
    expect(psi?.statistic.warnings.join(' ')).toContain('empty in one sample only');
  });

  it('keeps the most frequent of thousands of categories', async () => {
    const values = (offset: number) => Array.from({ length: 6000 }, (_, index) => `id${(index + offset) % 3000}`);
    const reference = await open(engine(), writeCsv('ids-reference.csv', ['id', ...values(0)]));
    const current = await open(engine(), writeCsv('ids-current.csv', ['id', ...values(7)]));
    const id = columnOf(await measureDrift(engine(), reference, current, { maxCategories: 50 }), 'id');

    expect(id.distinctCount).toBe(3000);
    expect(id.distributions?.labels).toHaveLength(51);
    expect(id.distributions?.labels).toContain('(other)');
    expect(id.distributions?.otherCategories).toBe(2950);
    expect(id.warnings.join(' ')).toContain('2950 categories beyond the 50 most frequent share the bin "(other)"');
    // 101 bins need 10,000 values per side before a distance replaces the p-value test.
    expect(id.test).toBe('chi-square');
    expect(valueOf(id.statistic)).toBe(0);
    expect(id.drifted).toBe(false);
  });

  it('leaves infinite values out of KS and puts them beyond the bins', async () => {
    const reference = await open(engine(), writeCsv('infinite-reference.csv', ['x', '1', '2', '3', '4', '5', '6', 'inf', '-inf', '']));
    const current = await open(engine(), writeCsv('infinite-current.csv', ['x', '1.5', '2.5', '3.5', '4.5', '5.5', '6.5', 'inf', 'inf']));
    const measurement = await measureDrift(engine(), reference, current);
    const x = columnOf(measurement, 'x');

    expect(x.excluded).toEqual({ reference: { missing: 1, positiveInfinity: 1, negativeInfinity: 1, notANumber: 0 }, current: { missing: 0, positiveInfinity: 2, negativeInfinity: 0, notANumber: 0 } });
    expect(x.sizes).toEqual({ reference: 6, current: 6 });
    expect(x.test).toBe('kolmogorov-smirnov');
    expect(valueOf(x.statistic)).toBeCloseTo(1 / 6, 12);
    expect(x.warnings.join(' ')).toContain('left out');
    expect(JSON.parse(JSON.stringify(measurement))).toEqual(measurement);
    const bins = x.distributions;
    // The bins beyond the reference range [1, 6]: -inf below; +inf, and 6.5 of the current sample, above.
    expect(bins?.reference.counts[0]).toBe(1);
    expect(bins?.reference.counts.at(-1)).toBe(1);
    expect(bins?.current.counts.at(-1)).toBe(3);
  });

  it('tests dates in days and timestamps in seconds', async () => {
    const days = (start: number) => Array.from({ length: 30 }, (_, index) => new Date(Date.UTC(2024, 0, 1 + start + index)).toISOString().slice(0, 10));
    const reference = await open(engine(), writeCsv('dates-reference.csv', ['day,moment,number', ...days(0).map((day, index) => `${day},${day} 12:00:00,${index}`)]));
    const current = await open(engine(), writeCsv('dates-current.csv', ['day,moment,number', ...days(10).map((day, index) => `${day},${day} 12:00:00,${index + 10}`)]));
    const measurement = await measureDrift(engine(), reference, current);

    const day = columnOf(measurement, 'day');
    const moment = columnOf(measurement, 'moment');
    const number = columnOf(measurement, 'number');
    expect([day.type, day.unit, day.dataTypes.reference]).toEqual(['numerical', 'days since 1970-01-01', 'DATE']);
    expect(moment.unit).toBe('seconds since 1970-01-01 00:00:00 UTC');
    expect(valueOf(day.statistic)).toBe(valueOf(number.statistic));
    expect(valueOf(moment.pValue)).toBe(valueOf(number.pValue));
    expect(day.distributions?.edges?.[0]).toBe(Date.UTC(2024, 0, 1) / 86_400_000);
  });

  it('reports numbers against text as untested', async () => {
    const reference = await open(engine(), writeCsv('typed-reference.csv', ['x', '1', '2']));
    const current = await open(engine(), writeCsv('typed-current.csv', ['x', '1', 'two']));
    const x = columnOf(await measureDrift(engine(), reference, current), 'x');
    expect([x.test, x.drifted]).toEqual([null, null]);
    expect(x.reason).toBe('the column is BIGINT in the reference file but VARCHAR in the current file; read both files with the same type, for example through csv.columnTypes');
  });
});

describe('measureDrift columns', () => {
  it('rejects a mapping to a missing or reused column', async () => {
    const reference = await open(engine(), writeCsv('mapping-reference.csv', ['a,b', '1,2']));
    const current = await open(engine(), writeCsv('mapping-current.csv', ['x,y', '1,2']));
    const missing = await appErrorOf(() => measureDrift(engine(), reference, current, { columnMapping: { a: 'z' } }));
    expect(missing.message).toContain('"z" is not in');
    const reused = await appErrorOf(() => measureDrift(engine(), reference, current, { columnMapping: { a: 'x', b: 'x' } }));
    expect(reused.message).toContain('maps both "a" and "b" to the current column "x"');
  });

  it('rejects a named column a file lacks', async () => {
    const reference = await open(engine(), writeCsv('named-reference.csv', ['a,b', '1,2']));
    const current = await open(engine(), writeCsv('named-current.csv', ['a', '1']));
    const error = await appErrorOf(() => measureDrift(engine(), reference, current, { columns: ['a', 'b'] }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('The column "b" is not in');
  });

  it('compares mapped columns under their reference names', async () => {
    const reference = await open(engine(), writeCsv('rename-reference.csv', ['a,b', ...Array.from({ length: 20 }, (_, index) => `${index},${index % 2}`)]));
    const current = await open(engine(), writeCsv('rename-current.csv', ['b,a', ...Array.from({ length: 20 }, (_, index) => `${index},${index % 2}`)]));
    const swapped = await measureDrift(engine(), reference, current, { columnMapping: { a: 'b', b: 'a' } });
    expect(swapped.columns.map((column) => [column.column, column.currentColumn, column.drifted])).toEqual([
      ['a', 'b', false],
      ['b', 'a', false],
    ]);
    const unmapped = await measureDrift(engine(), reference, current);
    expect(unmapped.columns.map((column) => column.drifted)).toEqual([true, true]);
  });
});

describe('measureDrift large samples', () => {
  // 3,000 values per side: above the size limit, so the default test is Jensen-Shannon on bins.
  const referenceValues = normalValues(11, 3000);
  const currentValues = normalValues(12, 3000, 0.4);

  it('bins large column in SQL', async () => {
    const reference = await open(engine(), writeCsv('large-reference.csv', ['x', ...referenceValues]));
    const current = await open(engine(), writeCsv('large-current.csv', ['x', ...currentValues]));
    const sql = columnOf(await measureDrift(engine(), reference, current), 'x');
    const expected = pooledJensenShannon(await pooledValueCounts(engine(), reference, current, 'x'));

    expect(sql.test).toBe('jensen-shannon');
    // Above 1,000 distinct values the count is DuckDB's HyperLogLog estimate, and the reason states it.
    expect(Math.abs((sql.distinctCount as number) - 6000) / 6000).toBeLessThan(0.25);
    expect(sql.reason).toContain(`about ${sql.distinctCount} distinct values (estimated)`);
    // DuckDB's quantile_cont and the core interpolate in a different order, so edges may differ in the last bit.
    const sqlEdges = sql.distributions?.edges ?? [];
    expect(sqlEdges).toHaveLength(11);
    sqlEdges.forEach((edge, index) => expect(Math.abs(edge - (expected.edges[index] as number))).toBeLessThan(1e-15));
    expect(sql.distributions?.reference.counts).toEqual(expected.aligned.reference);
    expect(sql.distributions?.current.counts).toEqual(expected.aligned.current);
    expect(valueOf(sql.score)).toBeCloseTo(expected.distance, 14);
    expect(sql.drifted).toBe(expected.distance >= 0.1);
    expect(sql.drifted).toBe(true);

    const psi = sql.otherMeasures.find((measure) => measure.test === 'population-stability-index');
    expect(valueOf(psi?.statistic)).toBeCloseTo(valueOf(populationStabilityIndex(expected.aligned.reference, expected.aligned.current)), 14);
    for (const test of ['kolmogorov-smirnov', 'wasserstein-normalized']) {
      const measure = sql.otherMeasures.find((candidate) => candidate.test === test);
      expect(measure?.method, test).toBe('skipped');
      expect(reasonOf(measure?.statistic), test).toContain('skipped for cost');
    }
  });

  it('estimates the edges above 100,000 reference values and keeps the decision', async () => {
    const size = 120_000;
    const shifted = normalValues(31, size, 0.4);
    const unshifted = normalValues(32, size);
    // y contains the same values on both sides, in another order: no drift whatever the edges.
    const reference = await open(engine(), writeCsv('estimated-reference.csv', ['x,y', ...normalValues(33, size).map((value, index) => `${value},${unshifted[index]}`)]));
    const current = await open(engine(), writeCsv('estimated-current.csv', ['x,y', ...shifted.map((value, index) => `${value},${unshifted[(index + 7) % size]}`)]));
    const measurement = await measureDrift(engine(), reference, current);

    for (const column of ['x', 'y']) {
      const sql = columnOf(measurement, column);
      const expected = pooledJensenShannon(await pooledValueCounts(engine(), reference, current, column));
      expect(sql.test).toBe('jensen-shannon');
      const edges = sql.distributions?.edges ?? [];
      expect(edges).toHaveLength(11);
      expect([edges[0], edges[10]]).toEqual([expected.edges[0], expected.edges[10]]);
      edges.forEach((edge, index) => expect(Math.abs(edge - (expected.edges[index] as number)), `${column} edge ${index}`).toBeLessThan(0.01));
      expect(sql.distributions?.reference.total).toBe(size);
      expect(Math.abs(valueOf(sql.score) - expected.distance), column).toBeLessThan(0.002);
      expect(sql.drifted, column).toBe(expected.distance >= 0.1);
    }
    expect(columnOf(measurement, 'x').drifted).toBe(true);
    expect(columnOf(measurement, 'y').drifted).toBe(false);
  });

  it('computes requested KS on large column', async () => {
    const reference = await open(engine(), writeCsv('asked-reference.csv', ['x', ...referenceValues]));
    const current = await open(engine(), writeCsv('asked-current.csv', ['x', ...currentValues]));
    const metrics = [
      { key: 'ks', metric: 'ks' as const, parameters: {} },
      { key: 'wasserstein', metric: 'wasserstein_normalized' as const, parameters: {} },
    ];
    const pooled = await measureDrift(engine(), reference, current, { metrics });
    const sql = await measureDrift(engine(), reference, current, { metrics, pooledLimit: 0 });
    for (const key of ['ks', 'wasserstein']) {
      const fromPooled = (pooled.metrics[key] ?? [])[0];
      const fromSql = (sql.metrics[key] ?? [])[0];
      expect(fromPooled?.method, key).not.toBe('sql');
      expect(Math.abs(valueOf(fromSql?.statistic) - valueOf(fromPooled?.statistic)), key).toBeLessThan(1e-12);
    }
    const override = columnOf(await measureDrift(engine(), reference, current, { overrides: { x: { test: 'kolmogorov-smirnov' } } }), 'x');
    expect(override.method).toBe('exact');
    expect(valueOf(override.statistic)).toBe(valueOf((pooled.metrics['ks'] ?? [])[0]?.statistic));
  });

  it('leaves Anderson-Darling undefined above the pooled limit', async () => {
    const reference = await open(engine(), writeCsv('ad-reference.csv', ['x', ...referenceValues.slice(0, 500)]));
    const current = await open(engine(), writeCsv('ad-current.csv', ['x', ...currentValues.slice(0, 500)]));
    const options = { overrides: { x: { test: 'anderson-darling' as const } } };
    const pooled = columnOf(await measureDrift(engine(), reference, current, options), 'x');
    expect(valueOf(pooled.pValue)).toBe(0.001);
    const sql = columnOf(await measureDrift(engine(), reference, current, { ...options, pooledLimit: 100 }), 'x');
    expect(reasonOf(sql.score)).toContain('more than the pooled limit of 100');
    expect(sql.drifted).toBeNull();
  });

  it('reads Parquet files like CSV files', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-parquet-'));
    try {
      const csv = writeCsv('parquet-source.csv', ['x,c', ...referenceValues.map((value, index) => `${value},${index % 7}`)]);
      const parquet = path.join(folder, 'reference.parquet');
      const parameters = new SqlParameters();
      await engine().run('writing Parquet', `COPY (SELECT * FROM read_csv(${parameters.bind(csv)})) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`, parameters, []);
      const current = await open(engine(), writeCsv('parquet-current.csv', ['x,c', ...currentValues.map((value, index) => `${value},${index % 5}`)]));
      const fromCsv = await measureDrift(engine(), await open(engine(), csv), current);
      const fromParquet = await measureDrift(engine(), await open(engine(), parquet), current);
      expect(fromParquet.columns.map((column) => [column.test, column.score])).toEqual(fromCsv.columns.map((column) => [column.test, column.score]));
      expect(fromParquet.reference.format).toBe('parquet');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('measureDrift metrics', () => {
  it('computes policy metrics with their parameters', async () => {
    const reference = await open(engine(), writeCsv('metrics-reference.csv', ['x,c', ...normalValues(21, 400).map((value, index) => `${value},k${index % 10}`)]));
    const current = await open(engine(), writeCsv('metrics-current.csv', ['x,c', ...normalValues(22, 400, 0.2).map((value, index) => `${value},k${index % 9}`)]));
    const measurement = await measureDrift(engine(), reference, current, {
      metrics: [
        { key: 'psi-20', metric: 'psi', parameters: { bins: 20, binning: 'equal_width', maxCategories: 100 } },
        { key: 'chi-5', metric: 'chi_square', parameters: { value: 'statistic', maxCategories: 5 } },
        { key: 'ks-asymptotic', metric: 'ks', parameters: { value: 'p_value', method: 'asymptotic' } },
        { key: 'wasserstein', metric: 'wasserstein', parameters: {} },
      ],
    });

    const psi = measurement.metrics['psi-20'] ?? [];
    expect(psi.map((value) => value.column)).toEqual(['x', 'c']);
    expect(psi[0]?.bins?.labels).toHaveLength(22);
    expect(psi[0]?.method).toBe('20 equal-width bins');
    expect(psi[1]?.bins?.labels).toHaveLength(10);

    const chi = measurement.metrics['chi-5'] ?? [];
    expect(chi.map((value) => value.column)).toEqual(['c']);
    expect(chi[0]?.bins?.labels).toHaveLength(6);
    expect(valueOf(chi[0]?.value)).toBe(valueOf(chi[0]?.statistic));

    const ks = measurement.metrics['ks-asymptotic'] ?? [];
    expect(ks[0]?.method).toBe('asymptotic');
    expect(valueOf(ks[0]?.value)).toBe(valueOf(ks[0]?.pValue));
    expect(valueOf((measurement.metrics['wasserstein'] ?? [])[0]?.value)).toBeGreaterThan(0.1);
  });
});
