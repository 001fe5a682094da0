import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveSoaVersion, createSoaDraft } from '../../src/statement-of-applicability/soa.service.js';
import { runCli } from '../support/cli.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { decideEverything } from './soa-fixtures.js';

describe.each(databaseKinds)('CLI soa export on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    const author = callerWith(['risk_owner'], 'author');
    const draft = await createSoaDraft(ctx, author, {});
    await decideEverything(ctx, author, draft.id, ['iso42001:A.10.4']);
    await approveSoaVersion(ctx, callerWith(['approver'], 'approver'), draft.id, {});
    await createSoaDraft(ctx, author, { title: 'Next round' });
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('writes the approved version as a workbook with 38 Annex A rows', async () => {
    const file = path.join(database.settings.dataDir, 'soa.xlsx');
    const result = await runCli(database, ['soa', 'export', '--format', 'xlsx', '--output', file]);
    expect(result.stderr).toBe(`Exported Statement of Applicability v1 (v1, approved, 38 controls) to ${file}\n`);
    expect(result.exitCode).toBe(0);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const controls: string[] = [];
    sheet.eachRow((row, number) => {
      if (number > 1) controls.push(String(row.getCell(1).value));
    });
    expect(controls).toHaveLength(38);
    expect(controls.every((control) => /^A\.\d+\.\d+(\.\d+)?$/.test(control))).toBe(true);
  });

  it('exports a chosen version to standard output', async () => {
    const result = await runCli(database, ['soa', 'export', '--format', 'csv', '--soa-version', '2', '--output', '-']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\r\n')[0]).toMatch(/^Control,Title,Group,Decision,/);
    expect(result.stdout.split('\r\n').filter((line) => line.length > 0)).toHaveLength(39);
  });

  it('rejects a bad format or version with exit code 2', async () => {
    const format = await runCli(database, ['soa', 'export', '--format', 'pdf']);
    expect(format.exitCode).toBe(2);
    expect(format.stderr).toContain('Invalid --format "pdf"; use one of csv, xlsx, html');
    const version = await runCli(database, ['soa', 'export', '--format', 'csv', '--soa-version', '9']);
    expect(version.exitCode).toBe(2);
    expect(version.stderr).toContain('There is no Statement of Applicability v9');
    const zero = await runCli(database, ['soa', 'export', '--format', 'csv', '--soa-version', '0']);
    expect(zero.exitCode).toBe(2);
  });
});
