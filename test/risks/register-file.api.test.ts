import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { runCli } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createRisk, registerSnapshot, riskBody } from './fixtures.js';

const headers = [
  'Id',
  'Title',
  'Description',
  'AI system id',
  'AI system',
  'Category',
  'ERM category',
  'Risk source',
  'Threat',
  'Affected objective',
  'Owner id',
  'Owner',
  'Inherent likelihood',
  'Inherent impact',
  'Inherent score',
  'Inherent band',
  'Residual likelihood',
  'Residual impact',
  'Residual score',
  'Residual band',
  'Matrix version',
  'Status',
  'Beyond appetite',
  'Treatments',
  'Controls',
];

/** Fields of a risk that survive an export and an import, for comparing two registers. */
function portable(risk: Record<string, any>) {
  return {
    id: risk.id,
    title: risk.title,
    description: risk.description,
    aiSystemId: risk.aiSystemId,
    category: risk.category,
    riskSourceRef: risk.riskSourceRef,
    threat: risk.threat,
    objectiveRef: risk.objectiveRef,
    ownerPersonId: risk.ownerPersonId,
    inherent: risk.inherent && { likelihood: risk.inherent.likelihood, impact: risk.inherent.impact, band: risk.inherent.band.key },
    residual: risk.residual && { likelihood: risk.residual.likelihood, impact: risk.residual.impact, band: risk.residual.band.key },
    status: risk.status,
    beyondAppetite: risk.beyondAppetite,
  };
}

describe.each(databaseKinds)('risk register export and import on %s', (kind) => {
  let source: TestDatabase;
  let target: TestDatabase;
  let sourceServer: TestServer;
  let targetServer: TestServer;
  const ids = { ownerId: '', systemId: '' };

  /** Creates the same person and AI system, with the same ids, in the target register. */
  async function copyReferences(): Promise<void> {
    for (const table of ['people', 'ai_systems'] as const) {
      const rows = await source.db.selectFrom(table).selectAll().execute();
      for (const row of rows) await target.db.insertInto(table).values(row as never).execute();
    }
  }

  beforeAll(async () => {
    source = await openTestDatabase(kind);
    target = await openTestDatabase(kind);
    sourceServer = await startTestServer(testContext(source));
    targetServer = await startTestServer(testContext(target));

    ids.ownerId = (await sourceServer.as('administrator')('POST', '/api/people', { body: { name: 'Ines Import' } })).json().id;
    ids.systemId = (await sourceServer.as('administrator')('POST', '/api/ai-systems', { body: { name: 'Benefit triage', purpose: 'Ranks benefit claims', businessUnit: 'Welfare' } })).json().id;
    await copyReferences();

    await sourceServer.as('administrator')('PUT', '/api/risks/erm-mapping', { body: { mappings: [{ category: 'ethical', ermCategory: 'Conduct risk' }] } });
    await targetServer.as('administrator')('PUT', '/api/risks/erm-mapping', { body: { mappings: [{ category: 'ethical', ermCategory: 'Conduct risk' }] } });
    await sourceServer.as('administrator')('PUT', '/api/risks/categories/legal/appetite', { body: { statement: 'Low', maxScore: 6 } });
    await targetServer.as('administrator')('PUT', '/api/risks/categories/legal/appetite', { body: { statement: 'Low', maxScore: 6 } });

    await createRisk(sourceServer, riskBody(ids.ownerId, { title: 'Formula-looking text', description: '=SUM(A1:A2) and -1, "quoted"\nsecond line', aiSystemId: ids.systemId, inherent: { likelihood: 3, impact: 4 }, residual: { likelihood: 2, impact: 2 } }));
    await createRisk(sourceServer, riskBody(ids.ownerId, { title: 'Unrated risk', threat: null, category: 'operational' }));
    const legal = await createRisk(sourceServer, riskBody(ids.ownerId, { title: 'Missed transparency duty', category: 'legal', inherent: { likelihood: 4, impact: 3 } }));
    await sourceServer.as('risk_owner')('POST', `/api/risks/${legal.id}/treatments`, {
      body: { option: 'modify', description: 'Add a notice to the claim form', controlRefs: ['iso42001:A.8.2'], ownerPersonId: ids.ownerId, dueDate: '2026-03-31', successMetric: 'Notice shown on every form' },
    });
  });
  afterAll(async () => {
    await sourceServer?.app.close();
    await targetServer?.app.close();
    await source?.cleanup();
    await target?.cleanup();
  });

  const listAll = async (server: TestServer) => (await server.as('internal_auditor')('GET', '/api/risks?limit=500&sort=createdAt')).json().items as Record<string, any>[];

  it('exports the register as CSV with the ERM category', async () => {
    const response = await sourceServer.as('internal_auditor')('GET', '/api/risks/export?format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="risk-register-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe(headers.join(','));
    expect(response.body).toContain("\"'=SUM(A1:A2) and -1, \"\"quoted\"\"\nsecond line\"");
    const legalLine = lines.find((line) => line.includes('Missed transparency duty'))!;
    expect(legalLine).toContain('yes');
    expect(legalLine).toContain('iso42001:A.8.2');
    expect(legalLine).toContain('modify: Add a notice to the claim form (planned, due 2026-03-31)');
    expect(response.body).toContain('Conduct risk');
  });

  it('exports the register as XLSX with the same columns', async () => {
    const response = await sourceServer.as('validator')('GET', '/api/risks/export?format=xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Risk register')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
    expect(sheet.rowCount).toBe(4);
    const formula = sheet.getRow(2);
    expect(formula.getCell(3).value).toBe('=SUM(A1:A2) and -1, "quoted"\nsecond line');
    expect(formula.getCell(13).value).toBe(3);
    expect(formula.getCell(16).value).toBe('High');
  });

  it('round-trips the register through CSV into another database', async () => {
    const exported = (await sourceServer.as('internal_auditor')('GET', '/api/risks/export?format=csv')).body;
    const imported = await targetServer.as('risk_owner')('POST', '/api/risks/import?reason=ERM%20sync', { body: { format: 'csv', content: exported } });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ format: 'csv', rows: 3, updated: [], unchanged: [], dryRun: false });
    expect(imported.json().created).toHaveLength(3);

    const sourceRisks = await listAll(sourceServer);
    const targetRisks = await listAll(targetServer);
    expect(targetRisks.map(portable).sort((a, b) => a.id.localeCompare(b.id))).toEqual(sourceRisks.map(portable).sort((a, b) => a.id.localeCompare(b.id)));

    // Importing the same file again changes nothing.
    const again = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'csv', content: exported } });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ created: [], updated: [] });
    expect(again.json().unchanged).toHaveLength(3);

    const event = await target.db.selectFrom('audit_events').selectAll().where('action', '=', 'risk_register.imported').orderBy('seq').executeTakeFirstOrThrow();
    expect(event.reason).toBe('ERM sync');
    expect(JSON.parse(event.after_json!).created).toHaveLength(3);
  });

  it('round-trips changes through XLSX', async () => {
    const response = await targetServer.as('internal_auditor')('GET', '/api/risks/export?format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Risk register')!;
    const titleColumn = headers.indexOf('Title') + 1;
    let changedId = '';
    sheet.eachRow((row, number) => {
      if (number > 1 && row.getCell(titleColumn).value === 'Unrated risk') {
        changedId = String(row.getCell(1).value);
        row.getCell(headers.indexOf('Inherent likelihood') + 1).value = 2;
        row.getCell(headers.indexOf('Inherent impact') + 1).value = 5;
        row.getCell(headers.indexOf('Status') + 1).value = 'assessed';
      }
    });
    const added = sheet.addRow([]);
    added.getCell(titleColumn).value = 'Added in the spreadsheet';
    added.getCell(headers.indexOf('Category') + 1).value = 'ethical';
    added.getCell(headers.indexOf('Risk source') + 1).value = 'iso42001:C.3.2';
    added.getCell(headers.indexOf('Affected objective') + 1).value = 'iso42001:C.2.3';
    added.getCell(headers.indexOf('Owner id') + 1).value = ids.ownerId;
    const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');

    const dryRun = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'xlsx', content, dryRun: true } });
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    expect(dryRun.json()).toMatchObject({ dryRun: true, updated: [changedId] });
    expect(dryRun.json().created).toHaveLength(1);
    expect((await listAll(targetServer)).length).toBe(3);

    const imported = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'xlsx', content } });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().updated).toEqual([changedId]);
    const changed = (await targetServer.as('risk_owner')('GET', `/api/risks/${changedId}`)).json();
    expect(changed).toMatchObject({ status: 'assessed', inherent: { likelihood: 2, impact: 5, score: 10, band: { key: 'high' } }, version: 2 });
    const risks = await listAll(targetServer);
    expect(risks.find((risk) => risk.title === 'Added in the spreadsheet')).toMatchObject({ category: 'ethical', ermCategory: 'Conduct risk', status: 'identified' });
  });

  it('reports every bad row with its number and column and writes nothing', async () => {
    const before = await registerSnapshot(target);
    const rows = [
      'Title,Category,Risk source,Affected objective,Owner id,Inherent likelihood,Inherent impact,Status',
      `Good row,ethical,iso42001:C.3.1,iso42001:C.2.1,${ids.ownerId},2,2,assessed`,
      `Unknown owner,ethical,iso42001:C.3.1,iso42001:C.2.1,nobody,2,2,`,
      `,legal,iso42001:C.3.9,iso42001:C.2.1,${ids.ownerId},,,`,
      `Half rated,operational,iso42001:C.3.1,iso42001:C.2.1,${ids.ownerId},3,,`,
      `Accepted by file,operational,iso42001:C.3.1,iso42001:C.2.1,${ids.ownerId},2,2,accepted`,
      `Off scale,gambling,iso42001:C.3.1,iso42001:C.2.1,${ids.ownerId},7,1,`,
    ];
    const response = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'csv', content: rows.join('\n') } });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.message).toMatch(/^The risk register file was not imported: \d+ problems in 5 places; nothing was written/);
    expect(error.details).toContainEqual({ path: 'row 3, Owner id', message: 'no person with id "nobody" exists; check the id or create the person first' });
    expect(error.details).toContainEqual({ path: 'row 4, Title', message: 'is empty; every risk needs one' });
    expect(error.details).toContainEqual({ path: 'row 4, Risk source', message: '"iso42001:C.3.9" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' });
    expect(error.details).toContainEqual({ path: 'row 5, Inherent impact', message: 'is empty; give both the inherent likelihood and impact, or neither' });
    expect(error.details).toContainEqual({
      path: 'row 6, Status',
      message: 'accepted cannot be set by import; import the risk as treated and accept it with POST /api/risks/{id}/acceptances',
    });
    expect(error.details).toContainEqual({ path: 'row 7, Inherent likelihood', message: 'must be a whole number from 1 to 5 (received "7")' });
    expect(error.details).toContainEqual({ path: 'row 7, Category', message: 'no risk category "gambling" exists; use one of ethical, legal, operational or create it with POST /api/risks/categories' });
    expect(error.details.some((detail: { path: string }) => detail.path.startsWith('row 2'))).toBe(false);
    expect(await registerSnapshot(target)).toEqual(before);
  });

  it('rejects unknown and missing columns', async () => {
    const response = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'csv', content: 'Title,Owner,Colour\nA,B,C\n' } });
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details;
    expect(details).toContainEqual(expect.objectContaining({ path: 'row 1, column 3', message: expect.stringContaining('"Colour" is not a column of the risk register') }));
    expect(details).toContainEqual({ path: 'row 1', message: 'column "Owner id" is missing; the import needs it for every risk' });

    const notXlsx = await targetServer.as('risk_owner')('POST', '/api/risks/import', { body: { format: 'xlsx', content: Buffer.from('not a workbook').toString('base64') } });
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.details[0].message).toContain('is not a readable XLSX workbook');
  });

  it('exports from the command line', async () => {
    const directory = fs.mkdtempSync(path.join(source.settings.dataDir, 'export-'));
    const csvFile = path.join(directory, 'register.csv');
    const csv = await runCli(source, ['risks', 'export', '--format', 'csv', '--output', csvFile]);
    expect(csv.exitCode, csv.stderr).toBe(0);
    expect(csv.stderr).toContain(`Exported 3 risks to ${csvFile}`);
    expect(fs.readFileSync(csvFile, 'utf8').split('\r\n')[0]).toBe(headers.join(','));

    const xlsxFile = path.join(directory, 'register.xlsx');
    const xlsx = await runCli(source, ['risks', 'export', '--format', 'xlsx', '-o', xlsxFile]);
    expect(xlsx.exitCode, xlsx.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    expect(workbook.getWorksheet('Risk register')!.rowCount).toBe(4);

    const wrong = await runCli(source, ['risks', 'export', '--format', 'pdf']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('Invalid format "pdf" from --format; use one of csv, xlsx');
  });

  it('imports from the command line, all or nothing', async () => {
    const directory = fs.mkdtempSync(path.join(source.settings.dataDir, 'import-'));
    const bad = path.join(directory, 'bad.csv');
    fs.writeFileSync(bad, `Title,Category,Risk source,Affected objective,Owner id\nCLI risk,ethical,iso42001:C.3.1,iso42001:C.2.1,nobody\n`);
    const rejected = await runCli(source, ['risks', 'import', bad]);
    expect(rejected.exitCode).toBe(2);
    expect(rejected.stderr).toContain('row 2, Owner id: no person with id "nobody" exists');

    const good = path.join(directory, 'good.csv');
    fs.writeFileSync(good, `Title,Category,Risk source,Affected objective,Owner id\nCLI risk,ethical,iso42001:C.3.1,iso42001:C.2.1,${ids.ownerId}\n`);
    const accepted = await runCli(source, ['risks', 'import', good, '--reason', 'quarterly ERM sync']);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain('1 added, 0 changed, 0 unchanged');
    expect((await listAll(sourceServer)).some((risk) => risk.title === 'CLI risk')).toBe(true);
  });

  it('keeps both audit chains intact', async () => {
    expect((await verifyAuditChain(source.db)).ok).toBe(true);
    expect((await verifyAuditChain(target.db)).ok).toBe(true);
  });
});
