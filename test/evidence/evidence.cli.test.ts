import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvidenceFromFile } from '../../src/evidence/evidence-upload.service.js';
import type { Evidence } from '../../src/evidence/evidence.schemas.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { runCli } from '../support/cli.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('custos evidence verify on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let policy: Evidence;
  let minutes: Evidence;
  let report: Evidence;
  let earlierFile: string;

  const storedPath = (sha256: string) => path.join(database.settings.dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256);
  /** Overwrites a stored file, which the store keeps read-only. */
  const overwrite = (file: string, content: string) => {
    fs.chmodSync(file, 0o600);
    fs.writeFileSync(file, content);
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    const caller = callerWith(['validator']);
    const sources = path.join(database.settings.dataDir, 'sources');
    fs.mkdirSync(sources);
    const add = async (name: string, content: string, title: string) => {
      const file = path.join(sources, name);
      fs.writeFileSync(file, content);
      return addEvidenceFromFile(ctx, caller, { path: file, mediaType: 'text/plain' }, { title, kind: 'record' });
    };
    policy = await add('ai-policy.txt', 'AI policy, approved by the board on 2026-01-15\n', 'AI policy');
    minutes = await add('minutes.txt', 'Management review minutes\n', 'Management review minutes');
    report = await add('report.txt', 'Internal audit report 2025\n', 'Internal audit report');

    // A file that is no record's current file any more, as after a replacement.
    const earlierContent = 'Internal audit report 2024\n';
    earlierFile = storedPath(createHash('sha256').update(earlierContent).digest('hex'));
    fs.mkdirSync(path.dirname(earlierFile), { recursive: true });
    fs.writeFileSync(earlierFile, earlierContent);
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('reports an intact store with exit code 0', async () => {
    const result = await runCli(database, ['evidence', 'verify']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Evidence files intact: 3 evidence records, 4 files hashed (1 earlier or deleted)\n');
  });

  it('names altered and missing files with exit code 1', async () => {
    overwrite(storedPath(minutes.sha256), 'Management review minutes, edited afterwards\n');
    fs.rmSync(storedPath(report.sha256));
    overwrite(earlierFile, 'Internal audit report 2024, edited\n');

    const result = await runCli(database, ['evidence', 'verify']);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    const editedMinutes = createHash('sha256').update('Management review minutes, edited afterwards\n').digest('hex');
    const editedEarlier = createHash('sha256').update('Internal audit report 2024, edited\n').digest('hex');
    const earlierHash = path.basename(earlierFile);
    expect(lines).toEqual(
      expect.arrayContaining([
        `ALTERED: evidence ${minutes.id} "Management review minutes": expected sha256 ${minutes.sha256}, ${minutes.sizeBytes} bytes; found sha256 ${editedMinutes}, 45 bytes at ${storedPath(minutes.sha256)}`,
        `MISSING: evidence ${report.id} "Internal audit report": expected sha256 ${report.sha256}, ${report.sizeBytes} bytes; found no file at ${storedPath(report.sha256)}`,
        `ALTERED: an earlier or deleted evidence file: expected sha256 ${earlierHash}; found sha256 ${editedEarlier}, 35 bytes at ${earlierFile}`,
      ]),
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('Evidence files damaged: 1 missing, 2 altered; 3 evidence records, 3 files hashed (1 earlier or deleted)');
    expect(result.stdout).not.toContain(policy.id);

    const json = await runCli(database, ['evidence', 'verify', '--json']);
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ ok: false, recordsChecked: 3 });
    expect(parsed.problems.map((problem: { kind: string; evidenceId: string | null }) => [problem.kind, problem.evidenceId]).sort()).toEqual(
      [
        ['altered', minutes.id],
        ['altered', null],
        ['missing', report.id],
      ].sort(),
    );
  });

  it('exits with 2 when there is no database', async () => {
    const empty = fs.mkdtempSync(path.join(database.settings.dataDir, 'empty-'));
    const result = await runCli({ ...database, settings: { dataDir: empty, databaseUrl: undefined, databaseSchema: 'public' } }, ['evidence', 'verify']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('No custos database at');
  });
});
