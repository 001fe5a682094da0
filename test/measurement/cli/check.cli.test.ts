import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../../src/demo/load-demo.js';
import { runCli } from '../../support/cli.js';
import { testContext } from '../../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../support/databases.js';

const examples = path.resolve('examples');
const compasFile = path.join(examples, 'compas/compas-scores-two-years.csv');
const compasPolicy = path.join(examples, 'compas/fairness-policy.yaml');

async function runCount(database: TestDatabase): Promise<number> {
  const row = await database.db.selectFrom('measurement_runs').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A database handle for a data folder with no custos database in it. */
function noDatabase(dataDir: string): TestDatabase {
  return { settings: { dataDir } } as unknown as TestDatabase;
}

describe('CLI measure fairness', () => {
  const empty = noDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'custos-measure-')));

  it('prints the ProPublica table for COMPAS', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'Medium,High', '--by', 'race']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\nAfrican-American +3696 +990 +805 +532 +1369 +44\.85 % +27\.99 %\n/);
    expect(result.stdout).toMatch(/\nCaucasian +2454 +1139 +349 +461 +505 +23\.45 % +47\.72 %\n/);
    expect(result.stdout).toMatch(/\nOverall +7214 +2681 +1282 +1216 +2035 +32\.35 % +37\.40 %\n/);
  });

  it('prints the High-only rates', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'High', '--by', 'race']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\nAfrican-American .* 15\.82 % +61\.02 %\n/);
    expect(result.stdout).toMatch(/\nCaucasian .* 5\.44 % +79\.81 %\n/);
  });

  it('rejects a three-valued label as binary', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'score_text', '--positive', 'High', '--prediction', 'score_text', '--predicted-positive', 'High', '--by', 'race']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('score_text');
    expect(result.stderr).toMatch(/Low|Medium/);
  });

  it('names a missing column and the file', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'High', '--by', 'ethnicity']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ethnicity');
    expect(result.stderr).toContain('compas-scores-two-years.csv');
  });

  it('reads Parquet and JSON Lines files', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const parquet = path.join(empty.settings.dataDir, 'compas.parquet');
    const jsonLines = path.join(empty.settings.dataDir, 'compas.jsonl');
    const select = `SELECT two_year_recid, score_text, race FROM read_csv('${compasFile}')`;
    await connection.run(`COPY (${select}) TO '${parquet}' (FORMAT parquet)`);
    await connection.run(`COPY (${select}) TO '${jsonLines}' (FORMAT json)`);
    connection.closeSync();
    instance.closeSync();
    for (const file of [parquet, jsonLines]) {
      const result = await runCli(empty, ['measure', 'fairness', file, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'Medium,High', '--by', 'race']);
      expect(result.stderr, file).toBe('');
      expect(result.stdout, file).toMatch(/\nAfrican-American +3696 +990 +805 +532 +1369 +44\.85 % +27\.99 %\n/);
    }
  });

  it('rejects a bootstrap beyond the limit', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'High', '--by', 'race', '--bootstrap', '100000000']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--bootstrap "100000000"');
  });

  it('rejects an absent predicted-positive value', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1', '--prediction', 'score_text', '--predicted-positive', 'Medium,Hihg', '--by', 'race']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `custos: The positive prediction value "Hihg" does not occur in column "score_text" of "${compasFile}"; the values found are "Low" (3897 rows), "Medium" (1914 rows), "High" (1403 rows); ` +
        'correct the value, or accept positive values that this file lacks with --allow-absent-positive (allowAbsentPositive: true beside positive in a policy)\n',
    );
  });

  it('rejects an absent positive label value', async () => {
    const result = await runCli(empty, ['measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1,2', '--prediction', 'score_text', '--predicted-positive', 'Medium,High', '--by', 'race']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('The positive label value "2" does not occur in column "two_year_recid"');
    expect(result.stderr).toContain('the values found are "0" (3963 rows), "1" (3251 rows);');
  });

  it('accepts absent positive values when allowed', async () => {
    const result = await runCli(empty, [
      'measure', 'fairness', compasFile, '--label', 'two_year_recid', '--positive', '1,2', '--prediction', 'score_text', '--predicted-positive', 'Medium,High,Hihg', '--by', 'race', '--allow-absent-positive', '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const measurement = JSON.parse(result.stdout) as { groups: { label: string; size: number }[]; warnings: string[] };
    expect(measurement.groups.find((group) => group.label === 'African-American')?.size).toBe(3696);
    expect(measurement.warnings).toContain(`The positive label value "2" does not occur in column "two_year_recid" of "${compasFile}"`);
    expect(measurement.warnings).toContain(`The positive prediction value "Hihg" does not occur in column "score_text" of "${compasFile}"`);
  });

  it('hints at another delimiter', async () => {
    const file = path.join(empty.settings.dataDir, 'semicolons.csv');
    fs.writeFileSync(file, 'y;p;g\n1;1;a\n0;1;b\n');
    const result = await runCli(empty, ['measure', 'fairness', file, '--label', 'y', '--positive', '1', '--prediction', 'p', '--predicted-positive', '1', '--by', 'g']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('the file has 1 column: y;p;g');
    expect(result.stderr).toContain('may use ";" as its delimiter');
  });

  it('rejects an empty file', async () => {
    const file = path.join(empty.settings.dataDir, 'empty.csv');
    fs.writeFileSync(file, '');
    const result = await runCli(empty, ['measure', 'fairness', file, '--label', 'y', '--positive', '1', '--prediction', 'p', '--predicted-positive', '1', '--by', 'g']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('empty.csv');
    expect(result.stderr.split('\n')[0]).toMatch(/empty/i);
  });
});

describe('CLI check without a database', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-check-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('exits 1 on a failing threshold and writes JUnit XML', async () => {
    const junit = path.join(folder, 'junit.xml');
    const result = await runCli(noDatabase(folder), ['check', compasPolicy, '--junit', junit]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('will not be recorded');
    expect(result.stdout).toContain('fairness-policy.yaml: failed');
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('failures="2"');
    expect(xml).toContain('false_positive_rate = 0.44846796657381616 does not meet &lt;= 0.3');
  });

  it('exits 0 when every error threshold holds', async () => {
    const policy = path.join(folder, 'passing.yaml');
    fs.writeFileSync(
      policy,
      fs
        .readFileSync(compasPolicy, 'utf8')
        .replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`)
        .replace(/    severity: warning\n/, '')
        .replace(/threshold: \{ operator: "<=", value: 0\.(3|5|1) \}/g, 'threshold: { operator: "<=", value: 1 }')
        .replace('threshold: { operator: ">=", value: 0.8 }', 'threshold: { operator: ">=", value: 0.5 }'),
    );
    const result = await runCli(noDatabase(folder), ['check', policy, '--no-store', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('passing.yaml: passed — 7 passed, 0 failed, 0 undefined of 7 outcomes\n');
  });

  it('exits 2 on a policy with an unknown metric, naming the line', async () => {
    const policy = path.join(folder, 'unknown-metric.yaml');
    fs.writeFileSync(policy, fs.readFileSync(compasPolicy, 'utf8').replace('metric: accuracy', 'metric: acuracy').replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`));
    const junit = path.join(folder, 'never.xml');
    const result = await runCli(noDatabase(folder), ['check', policy, '--no-store', '--junit', junit]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown-metric.yaml');
    expect(result.stderr).toMatch(/line \d+/);
    expect(result.stderr).toContain('did you mean accuracy?');
    expect(fs.existsSync(junit)).toBe(false);
  });
});

describe.each(databaseKinds)('CLI check with the demo on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    expect(await loadDemoIfEmpty(testContext(database))).toEqual({ aiSystems: 391 });
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('records the run linked to the system', async () => {
    const before = await runCount(database);
    const result = await runCli(database, ['check', compasPolicy, '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/; recorded as measurement run \S+\n$/);
    expect(await runCount(database)).toBe(before + 1);
    const event = await database.db.selectFrom('audit_events').select('action').where('action', '=', 'measurement_run.recorded').execute();
    expect(event.length).toBe(before + 1);
  });

  it('stores nothing when a column is missing', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-check-'));
    const policy = path.join(folder, 'missing-column.yaml');
    fs.writeFileSync(policy, fs.readFileSync(compasPolicy, 'utf8').replace('sensitive: [race, sex]', 'sensitive: [race, gender]').replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`).replace(/    dataset: .*\n/, ''));
    const before = await runCount(database);
    const result = await runCli(database, ['check', policy]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('gender');
    expect(await runCount(database)).toBe(before);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('stores nothing when a group matches no rows', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-check-'));
    const policy = path.join(folder, 'martian.yaml');
    fs.writeFileSync(
      policy,
      fs
        .readFileSync(compasPolicy, 'utf8')
        .replace('groups: [African-American, Caucasian]', 'groups: [African-American, Martian]')
        .replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`)
        .replace(/    dataset: .*\n/, ''),
    );
    const before = await runCount(database);
    const result = await runCli(database, ['check', policy]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('selects the group race=Martian');
    expect(lines[0]).toContain('the value "Martian" does not occur in column "race"; the values found are "African-American" (3696 rows), "Caucasian" (2454 rows)');
    expect(await runCount(database)).toBe(before);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reports every absent group in one run', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-check-'));
    const policy = path.join(folder, 'misspelt.yaml');
    fs.writeFileSync(
      policy,
      fs
        .readFileSync(compasPolicy, 'utf8')
        .replaceAll('groups: [African-American, Caucasian]', 'groups: [African-American, Caucasiann]')
        .replace('reference: Caucasian }\n    threshold: { operator: "<=", value: 0.1 }', 'reference: Caucasan }\n    threshold: { operator: "<=", value: 0.1 }')
        .replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`)
        .replace(/    dataset: .*\n/, ''),
    );
    const before = await runCount(database);
    const result = await runCli(database, ['check', policy]);
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toContain('has 3 checks that the data cannot serve');
    expect(lines[1]).toMatch(/^  \/checks\/0\/groups: The check "false-positive-rate" .* race=Caucasiann/);
    expect(lines[2]).toMatch(/^  \/checks\/1\/groups: The check "false-negative-rate" .* race=Caucasiann/);
    expect(lines[3]).toMatch(/^  \/checks\/2: The reference group "Caucasan" of the check "equalized-odds"/);
    expect(lines).toHaveLength(4);
    expect(await runCount(database)).toBe(before);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('rejects a policy naming an unknown system', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-check-'));
    const policy = path.join(folder, 'unknown-system.yaml');
    fs.writeFileSync(policy, fs.readFileSync(compasPolicy, 'utf8').replace('aiSystem: COMPAS recidivism risk assessment', 'aiSystem: No such system').replace('file: compas-scores-two-years.csv', `file: ${JSON.stringify(compasFile)}`));
    const result = await runCli(database, ['check', policy]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('No such system');
    expect(result.stderr).toContain('--no-store');
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
