import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import type { TestDatabase } from '../../support/databases.js';

const adultTrain = path.resolve('examples/adult/adult.csv');
const adultTest = path.resolve('examples/adult/adult.test');
/** How the Adult test split is read: ", " between fields, "?" for missing, and labels that end with ".". */
const adultTestFlags = ['--current-delimiter', ', ', '--current-null-values', '?', '--current-recode', '{Y: {">50K.": ">50K", "<=50K.": "<=50K"}}', '--map', 'income-per-year=Y'];

/** Returns a database handle for a data folder with no custos database in it. */
function noDatabase(dataDir: string): TestDatabase {
  return { settings: { dataDir } } as unknown as TestDatabase;
}

describe('CLI measure profile and drift --reference-profile', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-profile-'));
  const empty = noDatabase(folder);
  const profileFile = path.join(folder, 'adult-profile.json');

  it('profiles Adult and reports as against the file', async () => {
    const profiled = await runCli(empty, ['measure', 'profile', adultTrain, '--null-values', '?', '--out', profileFile]);
    expect(profiled.stderr).toBe('');
    expect(profiled.exitCode).toBe(0);
    expect(profiled.stdout).toMatch(/^Profiled .*adult\.csv \(32561 rows, SHA-256 [0-9a-f]{64}\) into .*adult-profile\.json\.\nColumns: 6 numerical, 9 categorical, 0 of a type no drift test reads\./);

    const fromProfile = await runCli(empty, ['measure', 'drift', '--reference-profile', profileFile, adultTest, '--json', ...adultTestFlags]);
    expect(fromProfile.stderr).toBe('');
    expect(fromProfile.exitCode).toBe(0);
    const direct = await runCli(empty, ['measure', 'drift', adultTrain, adultTest, '--null-values', '?', '--json', ...adultTestFlags]);
    expect(direct.exitCode).toBe(0);

    // A measure skipped on a large column gives another reason with a profile, which stores no values to compute it from.
    const withoutSkipReasons = (text: string) => JSON.parse(text, (key, value: unknown) => (key === 'reason' && typeof value === 'string' && value.startsWith('skipped') ? 'skipped' : value)) as Record<string, unknown>;
    const { referenceProfile, ...profileReport } = withoutSkipReasons(fromProfile.stdout);
    expect(referenceProfile).toMatchObject({ file: profileFile, referenceSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(profileReport).toEqual(withoutSkipReasons(direct.stdout));
    expect(fromProfile.stdout).toContain('the reference profile');
  });

  it('prints where the reference came from', async () => {
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', profileFile, adultTest, ...adultTestFlags]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Reference read from the profile ${profileFile}, made `);
    expect(result.stdout).toMatch(/\nincome-per-year \(Y\) /);
  });

  it('rejects a file that is no profile', async () => {
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', adultTrain, adultTest]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`The reference profile "${adultTrain}" is not JSON`);
    expect(result.stderr).toContain('--out <reference>.profile.json');
  });

  it('rejects a missing profile file', async () => {
    const missing = path.join(folder, 'nothing.json');
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', missing, adultTest]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Cannot read the reference profile "${missing}"`);
  });

  it('rejects a profile with two files', async () => {
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', profileFile, adultTrain, adultTest]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('With --reference-profile, give only the current file');
  });

  it('rejects a profile without a current file', async () => {
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', profileFile]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Give the reference file and the current file, or --reference-profile <profile> and the current file');
  });

  it('keeps the warnings about the reference', async () => {
    const compas = path.resolve('examples/compas/compas-scores-two-years.csv');
    const compasProfile = path.join(folder, 'compas-profile.json');
    const profiled = await runCli(empty, ['measure', 'profile', compas, '--out', compasProfile]);
    expect(profiled.exitCode).toBe(0);
    expect(profiled.stdout).toMatch(/\nWarning: Column "decile_score" appears 2 times in the header/);
    const report = await runCli(empty, ['measure', 'drift', '--reference-profile', compasProfile, compas, '--json']);
    expect(report.exitCode).toBe(0);
    const { warnings } = JSON.parse(report.stdout) as { warnings: string[] };
    expect(warnings.filter((warning) => warning.includes('appears 2 times in the header')).length).toBeGreaterThanOrEqual(2);
  });

  it('rejects drift with one file and no profile', async () => {
    const result = await runCli(empty, ['measure', 'drift', adultTest]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Give the reference file and the current file');
  });

  it('refuses to write the profile over the reference', async () => {
    const copy = path.join(folder, 'reference.csv');
    fs.copyFileSync(adultTrain, copy);
    const result = await runCli(empty, ['measure', 'profile', copy, '--out', copy]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is the reference file itself');
    expect(fs.readFileSync(copy).equals(fs.readFileSync(adultTrain))).toBe(true);
  });

  it('replaces a profile but no other file', async () => {
    const again = await runCli(empty, ['measure', 'profile', adultTrain, '--null-values', '?', '--out', profileFile]);
    expect(again.exitCode).toBe(0);
    const data = path.join(folder, 'data.csv');
    fs.writeFileSync(data, 'a,b\n1,2\n');
    const rejected = await runCli(empty, ['measure', 'profile', adultTrain, '--out', data]);
    expect(rejected.exitCode).toBe(2);
    expect(rejected.stderr).toContain(`--out "${data}" exists and is not a custos reference profile`);
    expect(fs.readFileSync(data, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('rejects a test on values the profile lacks', async () => {
    const result = await runCli(empty, ['measure', 'drift', '--reference-profile', profileFile, adultTest, '--test', 'fnlwgt=kolmogorov-smirnov', ...adultTestFlags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Column "fnlwgt" needs every reference value for its kolmogorov-smirnov test');
    expect(result.stdout).toBe('');
  });
});
