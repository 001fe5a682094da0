import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('CLI dataset commands on %s', (kind) => {
  let database: TestDatabase;
  let file: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    file = path.join(database.settings.dataDir, 'scores.csv');
    fs.writeFileSync(file, `id,score\n${Array.from({ length: 2_000 }, (_, index) => `${index},${index % 10}`).join('\n')}\n`);
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('creates a dataset and adds a fingerprinted version', async () => {
    const created = await runCli(database, ['dataset', 'create', '--name', 'Risk scores', '--personal-data', 'yes', '--source', 'case system']);
    expect(created.stderr).toBe('');
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toMatch(/^Created dataset "Risk scores" with id [0-9a-f-]{36}\n$/);

    const added = await runCli(database, ['dataset', 'add-version', '--dataset', 'Risk scores', '--label', 'v1', '--file', file, '--reason', 'first export']);
    expect(added.exitCode).toBe(0);
    const expectedHash = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    expect(added.stdout).toContain(`Added version "v1" of dataset "Risk scores": sha256 ${expectedHash}, ${fs.statSync(file).size} bytes`);

    const row = await database.db.selectFrom('dataset_versions').selectAll().where('version_label', '=', 'v1').executeTakeFirstOrThrow();
    expect(row.sha256).toBe(expectedHash);
    expect(row.location).toBe(path.resolve(file));
    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'dataset_version.created').executeTakeFirstOrThrow();
    expect(event.reason).toBe('first export');
    expect(event.actor_id).toMatch(/^cli:/);
  });

  it('exits with 2 naming a bad dataset, label or file', async () => {
    const unknown = await runCli(database, ['dataset', 'add-version', '--dataset', 'No such data', '--label', 'v1', '--file', file]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('No dataset named "No such data" exists');

    const labelTaken = await runCli(database, ['dataset', 'add-version', '--dataset', 'Risk scores', '--label', 'v1', '--file', file]);
    expect(labelTaken.exitCode).toBe(2);
    expect(labelTaken.stderr).toContain('already has a version labelled "v1"');

    const missing = path.join(database.settings.dataDir, 'absent.csv');
    const absent = await runCli(database, ['dataset', 'add-version', '--dataset', 'Risk scores', '--label', 'v2', '--file', missing]);
    expect(absent.exitCode).toBe(2);
    expect(absent.stderr).toContain(`no file exists at "${missing}"; check the path`);
    expect(absent.stderr).not.toContain('    at ');

    const badFlag = await runCli(database, ['dataset', 'create', '--name', 'Other', '--personal-data', 'maybe']);
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toContain('--personal-data "maybe" is invalid; use yes or no');

    const usage = await runCli(database, ['dataset', 'add-version', '--dataset', 'Risk scores']);
    expect(usage.exitCode).toBe(2);

    const versions = await database.db.selectFrom('dataset_versions').select('version_label').execute();
    expect(versions).toEqual([{ version_label: 'v1' }]);
  });
});
