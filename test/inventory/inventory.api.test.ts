import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { countRows, municipalCsv, municipalMapping } from './inventory-fixtures.js';

describe.each(databaseKinds)('inventory API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
  });
  afterAll(async () => {
    // Cleans up even when beforeAll failed, so that no schema is left behind on PostgreSQL.
    await server?.app.close();
    await database?.cleanup();
  });

  it('imports a file sent as JSON', async () => {
    const response = await server.as('ai_system_owner')('POST', '/api/ai-systems/import?reason=first%20inventory', {
      body: { format: 'csv', content: municipalCsv, mapping: municipalMapping, sourceName: 'gemeente.csv' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sourceName: 'gemeente.csv', format: 'csv', dryRun: false, aiSystems: 3 });
    const list = await server.as('internal_auditor')('GET', '/api/ai-systems?q=Gemeente%20Voorbeeld');
    expect(list.json().total).toBe(3);
  });

  it('answers a dry run with 200', async () => {
    // Issues the administrator's token first, since issuing it writes audit events.
    await server.as('administrator')('GET', '/api/ai-systems');
    const before = await countRows(database.db);
    const response = await server.as('administrator')('POST', '/api/ai-systems/import', {
      body: { format: 'yaml', content: '- {name: Spam filter, purpose: Filters mail, businessUnit: IT}\n', dryRun: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ sourceName: 'upload.yaml', dryRun: true, importId: null, aiSystems: 1 });
    expect(await countRows(database.db)).toEqual(before);
  });

  it('lists every problem of a bad file', async () => {
    const before = await countRows(database.db);
    const response = await server.as('administrator')('POST', '/api/ai-systems/import', {
      body: { format: 'csv', content: 'name;purpose;businessUnit;autonomy\nA;Does a;Ops;manual\nB;Does b\n', sourceName: 'bad.csv' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: '"bad.csv" has 3 problems; nothing was imported. Fix the file and import it again',
        details: [
          { path: 'line 2, autonomy', message: 'must be one of human_in_the_loop, human_on_the_loop, autonomous (received "manual")' },
          { path: 'line 3, businessUnit', message: 'is missing: the row has 2 values but the header has 4 columns; add the missing values or empty fields' },
          { path: 'line 3, autonomy', message: 'is missing: the row has 2 values but the header has 4 columns; add the missing values or empty fields' },
        ],
      },
    });
    expect(await countRows(database.db)).toEqual(before);
  });

  it('rejects unknown request fields', async () => {
    const response = await server.as('administrator')('POST', '/api/ai-systems/import', { body: { format: 'csv', content: 'x', encoding: 'latin1' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the internal auditor from importing', async () => {
    const response = await server.as('internal_auditor')('POST', '/api/ai-systems/import', {
      body: { format: 'yaml', content: '- {name: Spam filter, purpose: Filters mail, businessUnit: IT}\n' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });

  it('exports the register as CSV', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/ai-systems/export?format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="custos-ai-systems.csv"');
    expect(response.body.split('\r\n')[0]).toMatch(/^id,name,purpose,/);
  });

  it('exports the register as JSON by default', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/ai-systems/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toHaveLength(3);
  });

  it('requires authentication to export', async () => {
    const response = await server.anonymous('GET', '/api/ai-systems/export');
    expect(response.statusCode).toBe(401);
  });
});
