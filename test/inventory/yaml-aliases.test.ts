import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCli } from './cli-process.js';
import { countRows } from './inventory-fixtures.js';

/** Nine levels of anchors, each a list of nine aliases to the one before: 9^9 strings if expanded. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level < 9; level++) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array(9).fill(previous).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const bombProblem = {
  path: 'file',
  message: 'has aliases (*name) that expand to more than 100 copies of anchored values, which could exhaust memory; write the repeated values out in full',
};

describe.each(databaseKinds)('YAML aliases in an import on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let directory: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-aliases-'));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('rejects an alias bomb over HTTP with 400', async () => {
    // Issues the token first, since issuing it writes audit events.
    await server.as('administrator')('GET', '/api/ai-systems');
    const before = await countRows(database.db);

    const response = await server.as('administrator')('POST', '/api/ai-systems/import', { body: { format: 'yaml', content: aliasBomb(), sourceName: 'billion.yaml' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: '"billion.yaml" has 1 problem; nothing was imported. Fix the file and import it again', details: [bombProblem] },
    });
    expect(await countRows(database.db)).toEqual(before);
  });

  it('rejects an alias without its anchor with 400', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems/import', {
      body: { format: 'yaml', content: '- {name: A, purpose: Does a, businessUnit: *unit}\n', sourceName: 'dangling.yaml' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'file', message: 'is not valid YAML: Unresolved alias (the anchor must be set before the alias): unit' }]);
  });

  it('accepts a few aliases under the limit', async () => {
    const content = [
      '- name: Sorter one',
      '  purpose: &purpose Sorts incoming mail',
      '  businessUnit: &unit Post room',
      '- name: Sorter two',
      '  purpose: *purpose',
      '  businessUnit: *unit',
    ].join('\n');
    const response = await server.as('administrator')('POST', '/api/ai-systems/import', { body: { format: 'yaml', content, dryRun: true } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, aiSystems: 2 });
  });

  it('rejects an alias bomb from the CLI with exit code 2', async () => {
    const file = path.join(directory, 'billion.yaml');
    fs.writeFileSync(file, aliasBomb());
    const before = await countRows(database.db);

    const result = await runCli(database, ['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`custos: "billion.yaml" has 1 problem; nothing was imported. Fix the file and import it again\n  file: ${bombProblem.message}\n`);
    expect(await countRows(database.db)).toEqual(before);
  });
});
