import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

// The commands only read through the services that the API tests cover on both databases.
describe('CLI catalogue commands', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('lists 32 clause leaves and 38 controls', async () => {
    const leaves = await runCli(database, ['catalogue', 'list', '--framework', 'iso42001', '--kind', 'clause', '--assessable']);
    expect(leaves.exitCode).toBe(0);
    expect(leaves.stderr).toBe('32 items\n');
    expect(leaves.stdout.split('\n')[0]).toBe('iso42001:4.1\tUnderstanding the organization and its context');

    const controls = await runCli(database, ['catalogue', 'list', '--framework', 'iso42001', '--kind', 'control']);
    expect(controls.stderr).toBe('38 items\n');
    const subcategories = await runCli(database, ['catalogue', 'list', '--framework', 'nist-ai-rmf', '--kind', 'subcategory']);
    expect(subcategories.stderr).toBe('72 items\n');
  });

  it('rejects an unknown framework', async () => {
    const result = await runCli(database, ['catalogue', 'list', '--framework', 'nope']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('nope');
  });

  it('shows an item with its mappings', async () => {
    const shown = await runCli(database, ['catalogue', 'show', 'nist-ai-rmf:GOVERN 1.1']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('maps to   iso42001:4.1  Understanding the organization and its context  [nist-ai-rmf-to-iso42001]');
    const missing = await runCli(database, ['catalogue', 'show', 'iso42001:Z.1']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('iso42001:Z.1');
  });
});
