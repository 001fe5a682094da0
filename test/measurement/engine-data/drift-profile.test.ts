import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { measureDriftFromProfile } from '../../../src/measurement/engine/drift-from-profile.js';
import { measureDrift, type DriftMeasurement } from '../../../src/measurement/engine/drift-measurement.js';
import { profileReference, type CategoricalProfileColumn, type NumericProfileColumn, type ReferenceProfile } from '../../../src/measurement/engine/drift-profile.js';
import { parseReferenceProfile, serializeReferenceProfile } from '../../../src/measurement/engine/drift-profile-file.js';
import { columnOf, open, reasonOf, useDataEngine, useFixtureFolder, valueOf } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

/** Rows with a continuous column (some infinite and missing values), a three-valued number, a category and a date. */
function rows(seed: number, count: number, shift: number, header = 'x,level,city,day'): string[] {
  const random = new Xoshiro128StarStar(seed);
  const lines = [header];
  for (let index = 0; index < count; index++) {
    let x = String(sampleStandardNormal(random) + shift);
    if (index % 997 === 0) x = 'inf';
    else if (index % 101 === 0) x = '';
    const level = 1 + Math.floor(random.nextDouble() * 3);
    const city = index % 50 === 0 ? '' : `city${Math.floor(random.nextDouble() * (12 + shift * 4))}`;
    const day = new Date(Date.UTC(2024, 0, 1 + Math.floor(random.nextDouble() * 300 + shift * 30))).toISOString().slice(0, 10);
    lines.push(`${x},${level},${city},${day}`);
  }
  return lines;
}

const typed = (path: string) => open(engine(), { path, csv: { columnTypes: { x: 'DOUBLE' } } });

/** Profiles a file and reads the profile back from its JSON text, as the command line does. */
async function storedProfile(file: string): Promise<ReferenceProfile> {
  const profile = await profileReference(engine(), await typed(file), 'test');
  return parseReferenceProfile(serializeReferenceProfile(profile), 'profile.json');
}

/** Returns the measurement without the fields that name the reference's source, which differ between a file and a profile. */
function comparable(measurement: DriftMeasurement): unknown {
  const { reference, referenceProfile, ...rest } = measurement;
  return { ...rest, referenceRows: reference.rows };
}

describe('drift from a reference profile', () => {
  it('equals the report against the file', async () => {
    const referenceFile = writeCsv('profile-reference.csv', rows(1, 4000, 0));
    const currentFile = writeCsv('profile-current.csv', rows(2, 3000, 0.5));
    const profile = await storedProfile(referenceFile);
    const direct = await measureDrift(engine(), await typed(referenceFile), await typed(currentFile));
    const fromProfile = await measureDriftFromProfile(engine(), profile, 'profile.json', await typed(currentFile));

    expect(comparable(fromProfile)).toEqual(comparable(direct));
    expect(fromProfile.reference).toEqual({ file: referenceFile, format: 'csv', rows: 4000 });
    expect(fromProfile.referenceProfile?.referenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(columnOf(fromProfile, 'x').test).toBe('jensen-shannon');
    expect(columnOf(fromProfile, 'x').drifted).toBe(true);
    expect(columnOf(fromProfile, 'level').drifted).toBe(false);
    expect(columnOf(fromProfile, 'city').drifted).toBe(true);
  });

  it('stores counts that add up', async () => {
    const profile = await storedProfile(writeCsv('profile-sums.csv', rows(3, 2500, 0)));
    const x = profile.columns.find((column) => column.name === 'x') as NumericProfileColumn;
    expect(x.finite + x.excluded.missing + x.excluded.positiveInfinity).toBe(2500);
    expect(x.excluded.positiveInfinity).toBe(3);
    expect(x.valueCounts?.length).toBe(x.finite);
    const city = profile.columns.find((column) => column.name === 'city') as CategoricalProfileColumn;
    expect(city.missing).toBe(50);
    expect(city.categories[0]?.[1]).toBeGreaterThanOrEqual(city.categories.at(-1)?.[1] ?? 0);
    expect(profile.columns.find((column) => column.name === 'day')?.driftType).toBe('numerical');
  });

  it('runs KS from stored values on a small current file', async () => {
    const referenceFile = writeCsv('profile-small-reference.csv', rows(4, 3000, 0));
    const currentFile = writeCsv('profile-small-current.csv', rows(5, 400, 0.3));
    const direct = await measureDrift(engine(), await typed(referenceFile), await typed(currentFile));
    const fromProfile = await measureDriftFromProfile(engine(), await storedProfile(referenceFile), 'profile.json', await typed(currentFile));

    expect(columnOf(fromProfile, 'x').test).toBe('kolmogorov-smirnov');
    expect(comparable(fromProfile)).toEqual(comparable(direct));
  });

  it('rejects KS without stored values', async () => {
    const referenceFile = writeCsv('profile-large-reference.csv', rows(6, 12_000, 0));
    const currentFile = writeCsv('profile-large-current.csv', rows(7, 400, 0));
    const profile = await storedProfile(referenceFile);
    expect((profile.columns.find((column) => column.name === 'x') as NumericProfileColumn).valueCounts).toBeNull();

    const failure = measureDriftFromProfile(engine(), profile, 'profile.json', await typed(currentFile));
    await expect(failure).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(failure).rejects.toThrow(/Column "x" needs every reference value for its kolmogorov-smirnov test .*--test x=jensen-shannon/);
  });

  it('accepts a test on the stored bins', async () => {
    const referenceFile = writeCsv('profile-override-reference.csv', rows(8, 12_000, 0));
    const currentFile = writeCsv('profile-override-current.csv', rows(9, 400, 0));
    const report = await measureDriftFromProfile(engine(), await storedProfile(referenceFile), 'profile.json', await typed(currentFile), { overrides: { x: { test: 'jensen-shannon' } } });
    expect(columnOf(report, 'x').test).toBe('jensen-shannon');
    expect(columnOf(report, 'x').drifted).toBe(false);
    const ks = columnOf(report, 'x').otherMeasures.find((measure) => measure.test === 'kolmogorov-smirnov');
    expect(ks?.method).toBe('skipped');
    expect(ks?.statistic).toMatchObject({ defined: false, reason: expect.stringContaining('the reference profile "profile.json" stores bin counts for this column') });
  });

  it('rejects other bins than the stored ones', async () => {
    const referenceFile = writeCsv('profile-bins-reference.csv', rows(10, 12_000, 0));
    const currentFile = writeCsv('profile-bins-current.csv', rows(11, 5000, 0));
    const failure = measureDriftFromProfile(engine(), await storedProfile(referenceFile), 'profile.json', await typed(currentFile), { overrides: { x: { test: 'population-stability-index', binCount: 20 } } });
    await expect(failure).rejects.toThrow(/Column "x" needs 20 reference-quantiles bins, but the reference profile "profile.json" stores only 10 reference-quantiles bins/);
  });

  it('keeps the pooled limit of a direct report', async () => {
    const referenceFile = writeCsv('profile-limit-reference.csv', rows(17, 3000, 0));
    const currentFile = writeCsv('profile-limit-current.csv', rows(18, 3000, 0.2));
    const options = { pooledLimit: 1000, overrides: { level: { test: 'anderson-darling' as const }, x: { test: 'kolmogorov-smirnov' as const } } };
    const direct = await measureDrift(engine(), await typed(referenceFile), await typed(currentFile), options);
    const fromProfile = await measureDriftFromProfile(engine(), await storedProfile(referenceFile), 'profile.json', await typed(currentFile), options);

    expect(reasonOf(columnOf(fromProfile, 'level').statistic)).toContain('more than the pooled limit of 1000');
    expect(columnOf(fromProfile, 'x').method).toBe(columnOf(direct, 'x').method);
    expect(valueOf(columnOf(fromProfile, 'x').statistic)).toBeCloseTo(valueOf(columnOf(direct, 'x').statistic), 12);
    expect(valueOf(columnOf(fromProfile, 'x').pValue)).toBeCloseTo(valueOf(columnOf(direct, 'x').pValue), 12);
  });

  it('maps a renamed current column', async () => {
    const referenceFile = writeCsv('profile-map-reference.csv', rows(12, 3000, 0));
    const currentFile = writeCsv('profile-map-current.csv', rows(13, 3000, 0, 'x,grade,city,day'));
    const report = await measureDriftFromProfile(engine(), await storedProfile(referenceFile), 'profile.json', await typed(currentFile), { columnMapping: { level: 'grade' } });
    expect(columnOf(report, 'level').currentColumn).toBe('grade');
    expect(columnOf(report, 'level').drifted).toBe(false);
    expect(report.onlyInCurrent).toEqual([]);
  });

  it('names a column the profile lacks', async () => {
    const profile = await storedProfile(writeCsv('profile-missing-reference.csv', rows(14, 1500, 0)));
    const current = await typed(writeCsv('profile-missing-current.csv', rows(15, 1500, 0)));
    const failure = measureDriftFromProfile(engine(), profile, 'profile.json', current, { columns: ['x', 'income'] });
    await expect(failure).rejects.toThrow(/income/);
    await expect(failure).rejects.toThrow(/profile-missing-reference\.csv/);
  });
});

describe('parseReferenceProfile', () => {
  const valid = async () => JSON.parse(serializeReferenceProfile(await profileReference(engine(), await typed(writeCsv('profile-valid.csv', rows(16, 1500, 0))), 'test'))) as Record<string, unknown> & { columns: Record<string, unknown>[] };

  it('rejects text that is not JSON', () => {
    expect(() => parseReferenceProfile('x,level\n1,2\n', 'reference.csv')).toThrow(/The reference profile "reference\.csv" is not JSON/);
  });

  it('rejects JSON of another kind', () => {
    expect(() => parseReferenceProfile('{"columns": []}', 'other.json')).toThrow(/"other\.json" is not a custos reference profile: its "kind" is null/);
  });

  it('rejects another format version', async () => {
    const profile = { ...(await valid()), version: 2, custosVersion: '9.0.0' };
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'new.json')).toThrow(/format version 2 \(written by custos 9\.0\.0\), and this custos reads version 1/);
  });

  it('rejects counts that do not add up', async () => {
    const profile = await valid();
    const x = profile.columns.find((column) => column['name'] === 'x') as { finite: number };
    x.finite += 1;
    const city = profile.columns.find((column) => column['name'] === 'city') as { categories: [string, number][] };
    city.categories.push(city.categories[0] as [string, number]);
    let message = '';
    try {
      parseReferenceProfile(JSON.stringify(profile), 'edited.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/counts 1501 finite and excluded values of column "x", not the 1500 rows/);
    expect(message).toMatch(/repeats a category of column "city"/);
    expect(message).toMatch(/Profile the reference file again/);
  });

  it('rejects a type that does not fit', async () => {
    const profile = await valid();
    const level = profile.columns.find((column) => column['name'] === 'level') as { duckdbType: string };
    level.duckdbType = 'VARCHAR';
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'typed.json')).toThrow(/driftType is "numerical", but a VARCHAR column is tested as "categorical"/);
  });

  it('rejects a damaged distinct-value state', async () => {
    const profile = await valid();
    const x = profile.columns.find((column) => column['name'] === 'x') as { distinctState: string };
    x.distinctState = x.distinctState.slice(2);
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'state.json')).toThrow(/distinctState must be 128 hexadecimal digits/);
  });

  it('rejects a consistent edit', async () => {
    const profile = await valid();
    const x = profile.columns.find((column) => column['name'] === 'x') as { bins: { counts: number[] } };
    x.bins.counts[0] = (x.bins.counts[0] as number) + 1;
    x.bins.counts[1] = (x.bins.counts[1] as number) - 1;
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'moved.json')).toThrow(/\/contentSha256 is [0-9a-f]{64}, but the content has SHA-256 [0-9a-f]{64}, so the profile was changed after custos measure profile wrote it/);
  });

  it('rejects edges that do not rise', async () => {
    const profile = await valid();
    const x = profile.columns.find((column) => column['name'] === 'x') as { bins: { edges: number[] } };
    x.bins.edges = x.bins.edges.map(() => 0);
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'flat.json')).toThrow(/bins\/edges\/1 is not larger than the edge before it; edges rise strictly/);
  });

  it('rejects deep nesting without a crash', () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const text = `{"kind":"custos-drift-reference-profile","version":1,"custosVersion":${nested},"columns":[]}`;
    expect(() => parseReferenceProfile(text, 'deep.json')).toThrow(/nests objects or lists more than 8 deep/);
  });

  it('rejects a version given as text', async () => {
    const profile = { ...(await valid()), version: '1' };
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'text.json')).toThrow(/has "version": "1", which is not a format version number/);
  });

  it('names the field of a bad count', async () => {
    const profile = await valid();
    (profile.columns.find((column) => column['name'] === 'city') as { missing: number }).missing = -1;
    (profile.columns.find((column) => column['name'] === 'x') as { finite: number }).finite = 2 ** 60;
    let message = '';
    try {
      parseReferenceProfile(JSON.stringify(profile), 'negative.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/\/columns\/2\/missing /);
    expect(message).toMatch(/\/columns\/0\/finite /);
    expect(message).not.toMatch(/Expected required property/);
  });

  it('rejects too many stored values', async () => {
    const profile = await valid();
    const x = profile.columns.find((column) => column['name'] === 'x') as { valueCounts: [number, number][] };
    x.valueCounts = Array.from({ length: 10_001 }, (_, index) => [index, 1]);
    expect(() => parseReferenceProfile(JSON.stringify(profile), 'values.json')).toThrow(/\/columns\/0\/valueCounts/);
  });
});
