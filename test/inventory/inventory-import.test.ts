import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAiSystems } from '../../src/ai-systems/ai-systems.service.js';
import { importInventory } from '../../src/inventory/inventory-import.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { AppError } from '../../src/platform/errors.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { countRows, municipalCsv, municipalMapping, nestedJson, nestedMapping, ownFieldsYaml } from './inventory-fixtures.js';

const owner = callerWith(['ai_system_owner']);

/** Runs an import that must fail and returns its error, checking that nothing was written. */
async function rejectedImport(ctx: ServiceContext, request: Parameters<typeof importInventory>[2]): Promise<AppError> {
  const before = await countRows(ctx.database.db);
  const error = await importInventory(ctx, owner, request).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(await countRows(ctx.database.db)).toEqual(before);
  return error as AppError;
}

describe.each(databaseKinds)('inventory import on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('imports a CSV file through a mapping', async () => {
    const before = await countRows(database.db);
    const report = await importInventory(ctx, owner, { content: municipalCsv, format: 'csv', sourceName: 'gemeente.csv', mapping: municipalMapping });
    expect(report).toMatchObject({ sourceName: 'gemeente.csv', format: 'csv', dryRun: false, aiSystems: 3 });
    expect(report.importId).toBeTruthy();
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await countRows(database.db)).toEqual({ aiSystems: before.aiSystems + 3, auditEvents: before.auditEvents + 4 });

    const page = await listAiSystems(ctx, owner, { businessUnit: 'Gemeente Voorbeeld, Dienstverlening' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      name: 'Chatbot Gem',
      purpose: 'Beantwoordt vragen van inwoners;\r\nverwijst door naar een medewerker',
      lifecycleStage: 'development',
      affectedGroups: ['inwoners'],
      inScope: false,
      sourceUrl: null,
      organizationRole: 'deployer',
    });
    const scan = (await listAiSystems(ctx, owner, { q: 'Parkeerscan' })).items[0];
    expect(scan).toMatchObject({ lifecycleStage: 'production', affectedGroups: ['automobilisten', 'bezoekers'], inScope: true, sourceUrl: 'https://example.org/parkeerscan' });
    const fraud = (await listAiSystems(ctx, owner, { q: 'Fraudesignalering' })).items[0];
    expect(fraud).toMatchObject({ purpose: 'Purpose not stated', lifecycleStage: 'retired', affectedGroups: [] });
  });

  it('records one event per system and one for the file', async () => {
    const report = await importInventory(ctx, owner, { content: ownFieldsYaml, format: 'yaml', sourceName: 'systems.yaml', reason: 'initial inventory' });
    const events = await database.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(4).execute();
    const fileEvent = events[0]!;
    expect(fileEvent).toMatchObject({ action: 'inventory.imported', record_type: 'import', record_id: report.importId, reason: 'initial inventory' });
    expect(JSON.parse(fileEvent.after_json!)).toEqual({
      sourceName: 'systems.yaml',
      format: 'yaml',
      sha256: report.sha256,
      aiSystems: 3,
      aiSystemIds: report.created.map((system) => system.id),
    });
    expect(events.slice(1).map((event) => event.action)).toEqual(['ai_system.created', 'ai_system.created', 'ai_system.created']);
    expect(events.slice(1).every((event) => event.reason === 'initial inventory')).toBe(true);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('imports YAML in its own field names', async () => {
    const page = await listAiSystems(ctx, owner, { businessUnit: 'Finance' });
    expect(page.items[0]).toMatchObject({ name: 'Invoice fraud detection', lifecycleStage: 'pilot', deploymentEnvironments: ['staging'] });
    const planner = (await listAiSystems(ctx, owner, { businessUnit: 'Logistics' })).items[0];
    expect(planner).toMatchObject({ autonomy: 'autonomous', lifecycleStage: 'concept' });
  });

  it('imports JSON records under a property', async () => {
    const report = await importInventory(ctx, owner, { content: nestedJson, format: 'json', sourceName: 'export.json', mapping: nestedMapping });
    expect(report.created.map((system) => system.name)).toEqual(['Loan pre-check', 'Churn model']);
    const churn = (await listAiSystems(ctx, owner, { businessUnit: 'Marketing' })).items[0];
    expect(churn).toMatchObject({ externalId: 'A-2', lifecycleStage: 'pilot', scopeJustification: 'Listed as A-2 (trial)' });
  });

  it('writes nothing in a dry run', async () => {
    const before = await countRows(database.db);
    const csv = 'name,purpose,businessUnit\nSpam filter,Filters incoming mail,IT\n';
    const report = await importInventory(ctx, owner, { content: csv, format: 'csv', sourceName: 'mail.csv', dryRun: true });
    expect(report).toMatchObject({ dryRun: true, importId: null, aiSystems: 1, created: [] });
    expect(await countRows(database.db)).toEqual(before);
  });

  it('rejects a caller without write access', async () => {
    const before = await countRows(database.db);
    const csv = 'name,purpose,businessUnit\nSpam filter,Filters incoming mail,IT\n';
    const attempt = importInventory(ctx, callerWith(['internal_auditor']), { content: csv, format: 'csv', sourceName: 'mail.csv' });
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await countRows(database.db)).toEqual(before);
  });

  it('reports a CSV row with a missing column', async () => {
    const csv = 'name,purpose,businessUnit,lifecycleStage\nA,Does a,Ops,pilot\nB,Does b\nC,Does c,Ops,design\n';
    const error = await rejectedImport(ctx, { content: csv, format: 'csv', sourceName: 'short.csv' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('"short.csv" has 2 problems; nothing was imported. Fix the file and import it again');
    expect(error.details).toEqual([
      { path: 'line 3, businessUnit', message: 'is missing: the row has 2 values but the header has 4 columns; add the missing values or empty fields' },
      { path: 'line 3, lifecycleStage', message: 'is missing: the row has 2 values but the header has 4 columns; add the missing values or empty fields' },
    ]);
  });

  it('reports a value outside an enumeration', async () => {
    const csv = 'naam;doel;afdeling;status;groepen;in_scope;website\nA;Does a;Ops;gepland;;ja;\n';
    const error = await rejectedImport(ctx, { content: csv, format: 'csv', sourceName: 'status.csv', mapping: municipalMapping });
    expect(error.details).toEqual([
      {
        path: 'line 2, lifecycleStage',
        message: 'must be one of concept, design, development, validation, pilot, production, retired (received "gepland"), from column "status" after the mapping\'s value map',
      },
    ]);
  });

  it('reports every problem of a file at once', async () => {
    const csv = [
      'name,purpose,businessUnit,autonomy,inScope,publishedAt,colour',
      'A,,Ops,manual,maybe,2024-13-45,red',
      ',Does b,Ops,autonomous,true,,blue',
    ].join('\n');
    const error = await rejectedImport(ctx, { content: csv, format: 'csv', sourceName: 'many.csv' });
    expect(error.details).toEqual([
      { path: 'line 1, colour', message: expect.stringContaining('is not an AI system field; rename the column to one of name, purpose,') },
      { path: 'line 2, purpose', message: 'is missing; add a "purpose" column or import with a mapping file' },
      { path: 'line 2, autonomy', message: 'must be one of human_in_the_loop, human_on_the_loop, autonomous (received "manual")' },
      { path: 'line 2, inScope', message: 'must be true or false, or yes or no, or 1 or 0 (received "maybe")' },
      { path: 'line 2, publishedAt', message: 'must be an ISO 8601 date and time with a time zone (2026-05-13T09:30:00Z) or a date as YYYY-MM-DD, or null (received "2024-13-45")' },
      { path: 'line 3, name', message: 'is missing; add a "name" column or import with a mapping file' },
    ]);
  });

  it('rejects a YAML file that is not a list', async () => {
    const error = await rejectedImport(ctx, { content: 'name: Lonely system\npurpose: Not in a list\n', format: 'yaml', sourceName: 'single.yaml' });
    expect(error.details).toEqual([{ path: 'file', message: 'must be a list of AI systems, but the YAML file contains an object (a mapping of keys to values); write the records as a list' }]);
  });

  it('reports malformed JSON with its line', async () => {
    const error = await rejectedImport(ctx, { content: '[\n  {"name": "A",}\n]', format: 'json', sourceName: 'broken.json' });
    expect(error.details).toEqual([{ path: 'file', message: 'is not valid JSON: Expected double-quoted property name at line 2, column 16' }]);
  });

  it('reports a record that is not an object', async () => {
    const error = await rejectedImport(ctx, { content: '[{"name": "A", "purpose": "x", "businessUnit": "Ops"}, 42]', format: 'json', sourceName: 'mixed.json' });
    expect(error.details).toEqual([{ path: 'record 2', message: 'must be an object of fields, one AI system per record (received the number 42)' }]);
  });

  it('reports duplicate names within the file', async () => {
    const yaml = ['- {name: Twin, purpose: First, businessUnit: Ops}', '- {name: Twin, purpose: Same unit, businessUnit: Ops}', '- {name: Twin, purpose: Other unit, businessUnit: Sales}'].join('\n');
    const error = await rejectedImport(ctx, { content: yaml, format: 'yaml', sourceName: 'twins.yaml' });
    expect(error.details).toEqual([
      { path: 'record 2 (line 2), name', message: '"Twin" in business unit "Ops" repeats record 1 (line 1); names must be unique within a business unit' },
    ]);
  });

  it('reports names already in the register', async () => {
    const csv = 'name,purpose,businessUnit\nNew one,Does something,Finance\nInvoice fraud detection,Same name again,Finance\n';
    const error = await rejectedImport(ctx, { content: csv, format: 'csv', sourceName: 'again.csv' });
    expect(error.details).toEqual([
      { path: 'line 3, name', message: 'an AI system named "Invoice fraud detection" already exists in business unit "Finance"; rename it in the file or leave it out' },
    ]);
  });

  it('reports name clashes in a dry run too', async () => {
    const csv = 'name,purpose,businessUnit\nInvoice fraud detection,Same name again,Finance\n';
    const error = await rejectedImport(ctx, { content: csv, format: 'csv', sourceName: 'again.csv', dryRun: true });
    expect(error.details.map((detail) => detail.path)).toEqual(['line 2, name']);
  });

  it('reports unknown and malformed mapping fields', async () => {
    const mapping = { fields: { name: 'title', colour: 'kleur', purpose: { from: 'doel', value: 'x' }, businessUnit: { from: 'unit', unknownOption: 1 } } };
    const error = await rejectedImport(ctx, { content: 'title\nA\n', format: 'csv', sourceName: 'a.csv', mapping });
    expect(error.message).toBe('The mapping has 3 problems; fix the mapping file and import again');
    expect(error.details).toEqual([
      { path: 'mapping fields.colour', message: expect.stringMatching(/^is not an AI system field; map one of name, purpose, businessUnit, /) },
      { path: 'mapping fields.purpose', message: 'must have exactly one of from, value or template (found from, value)' },
      { path: 'mapping fields.businessUnit.unknownOption', message: 'Unexpected property (received 1)' },
    ]);
  });

  it('reports mapped columns the header lacks', async () => {
    const error = await rejectedImport(ctx, { content: 'title,unit\nA,Ops\n', format: 'csv', sourceName: 'a.csv', mapping: { fields: { name: 'title', purpose: 'doel', businessUnit: 'unit' } } });
    expect(error.details).toEqual([
      { path: 'mapping fields.purpose', message: 'reads column "doel", which the header of "a.csv" does not have; columns are title, unit' },
      { path: 'line 2, purpose', message: 'is missing: column "doel" is empty; fill it in or give the mapping a default for purpose' },
    ]);
  });

  it('rejects an empty file', async () => {
    const error = await rejectedImport(ctx, { content: 'name,purpose,businessUnit\n', format: 'csv', sourceName: 'empty.csv' });
    expect(error.details).toEqual([{ path: 'file', message: 'contains no records; expected at least one AI system' }]);
  });
});
