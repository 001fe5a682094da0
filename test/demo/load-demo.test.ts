import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSystem, listAiSystems } from '../../src/ai-systems/ai-systems.service.js';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { exportInventory } from '../../src/inventory/inventory-export.service.js';
import { importInventory } from '../../src/inventory/inventory-import.service.js';
import { inventoryFormats } from '../../src/inventory/inventory-source.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { openDatabase } from '../../src/platform/database/connection.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer } from '../support/server.js';
import { countRows } from '../inventory/inventory-fixtures.js';

const reader = callerWith(['internal_auditor']);

async function findSystem(database: TestDatabase, externalIdOrName: { externalId?: string; name?: string }) {
  let query = database.db.selectFrom('ai_systems').selectAll();
  if (externalIdOrName.externalId) query = query.where('external_id', '=', externalIdOrName.externalId);
  if (externalIdOrName.name) query = query.where('name', '=', externalIdOrName.name);
  return query.executeTakeFirstOrThrow();
}

describe.each(databaseKinds)('demo organization on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('loads both registers and COMPAS', async () => {
    const loaded = await loadDemoIfEmpty(testContext(database));
    expect(loaded).toEqual({ aiSystems: 391 });
    const rows = await countRows(database.db);
    expect(rows.aiSystems).toBe(391);

    const imports = await database.db.selectFrom('audit_events').select('after_json').where('action', '=', 'inventory.imported').orderBy('seq').execute();
    expect(imports.map((event) => JSON.parse(event.after_json!).aiSystems)).toEqual([300, 90, 1]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('loads nothing the second time', async () => {
    const before = await countRows(database.db);
    expect(await loadDemoIfEmpty(testContext(database))).toBeNull();
    expect(await countRows(database.db)).toEqual(before);
  });

  it('serves 390 systems over the API', async () => {
    const server = await startTestServer(testContext(database));
    try {
      const response = await server.as('internal_auditor')('GET', '/api/ai-systems?limit=1');
      expect(response.statusCode).toBe(200);
      expect(response.json().total).toBeGreaterThanOrEqual(390);
    } finally {
      await server.app.close();
    }
  });

  it('maps a Dutch register record', async () => {
    const row = await findSystem(database, { externalId: '11234933' });
    expect(row).toMatchObject({
      name: 'Advisering datalekmelding',
      business_unit: 'Gemeente Delft',
      lifecycle_stage: 'production',
      impact_assessment_status: 'unknown',
      published_at: '2024-02-06',
      source_url: 'https://algoritmes.overheid.nl/nl/algoritme/11234933',
      organization_role: 'deployer',
      scope_justification: 'Published by Gemeente Delft in the Dutch algorithm register',
    });
    expect(row.purpose).toMatch(/^Het algoritme helpt bij het objectief bepalen/);
    expect(row.legal_basis).toMatch(/^Vanuit de Algemene Verordening Persoonsgegevens/);
  });

  it('marks a missing purpose', async () => {
    const row = await findSystem(database, { externalId: '37454627' });
    expect(row).toMatchObject({ purpose: 'Purpose not stated in the register record', legal_basis: '' });
  });

  it('maps Dutch statuses and assessments', async () => {
    const stages = await database.db
      .selectFrom('ai_systems')
      .select(['lifecycle_stage', (eb) => eb.fn.countAll<number>().as('count')])
      .where('source_url', 'like', 'https://algoritmes.overheid.nl/%')
      .groupBy('lifecycle_stage')
      .execute();
    expect(Object.fromEntries(stages.map((stage) => [stage.lifecycle_stage, Number(stage.count)]))).toEqual({ production: 271, retired: 17, development: 12 });
    const assessments = await database.db
      .selectFrom('ai_systems')
      .select(['impact_assessment_status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('source_url', 'like', 'https://algoritmes.overheid.nl/%')
      .groupBy('impact_assessment_status')
      .execute();
    expect(Object.fromEntries(assessments.map((row) => [row.impact_assessment_status, Number(row.count)]))).toEqual({ completed: 130, not_completed: 4, unknown: 166 });
  });

  it('maps a UK record without a publishing body', async () => {
    const row = await findSystem(database, { name: 'TrustID' });
    expect(row).toMatchObject({
      business_unit: 'Publishing body not stated',
      purpose: 'Identity verification and right to work check for job applicants',
      published_at: '2025-11-27T15:40:07Z',
      source_url: 'https://www.gov.uk/algorithmic-transparency-records/trustid',
      impact_assessment_status: 'unknown',
      legal_basis: '',
      external_id: null,
    });
    const unstated = await listAiSystems(testContext(database), reader, { businessUnit: 'Publishing body not stated' });
    expect(unstated.total).toBe(4);
  });

  it('registers the COMPAS risk assessment', async () => {
    const row = await findSystem(database, { name: 'COMPAS recidivism risk assessment' });
    expect(row).toMatchObject({ decision_domain: 'criminal justice', lifecycle_stage: 'production', source_url: 'https://github.com/propublica/compas-analysis' });
  });

  it('links COMPAS data and model', async () => {
    const system = await findSystem(database, { name: 'COMPAS recidivism risk assessment' });
    const version = await database.db.selectFrom('dataset_versions').selectAll().executeTakeFirstOrThrow();
    // sha256sum of examples/compas/compas-scores-two-years.csv as shipped.
    expect(version).toMatchObject({
      sha256: 'f439bd5e8d1742c9ceacd4dec0d67d1b401f633138d2308955c6ae22f9656f47',
      size_bytes: 2_083_874,
      location: 'examples/compas/compas-scores-two-years.csv',
    });

    const training = await database.db.selectFrom('model_training_data').selectAll().execute();
    expect(training).toHaveLength(1);
    expect(training[0]).toMatchObject({ dataset_version_id: version.id, purpose: 'test' });
    const deployments = await database.db.selectFrom('ai_system_model_versions').selectAll().execute();
    expect(deployments).toEqual([{ ai_system_id: system.id, model_version_id: training[0]!.model_version_id, environment: 'production' }]);
  });

  it('records the demo organization profile', async () => {
    const row = await database.db.selectFrom('organization').selectAll().executeTakeFirstOrThrow();
    expect(row.name).toBe('custos demo organization');
  });

  it.each(inventoryFormats)('exports the demo to %s and back', async (format) => {
    const exported = await exportInventory(testContext(database), reader, format);
    const copy = await openTestDatabase(kind);
    try {
      const report = await importInventory(testContext(copy), callerWith(['administrator']), { content: exported.content, format, sourceName: `demo.${format}` });
      expect(report.aiSystems).toBe(391);
      const again = await exportInventory(testContext(copy), reader, 'json');
      const withoutManagedFields = (content: string) =>
        (JSON.parse(content) as Record<string, unknown>[]).map(({ id: _id, version: _version, createdAt: _createdAt, updatedAt: _updatedAt, ...fields }) => fields);
      const original = await exportInventory(testContext(database), reader, 'json');
      expect(withoutManagedFields(again.content)).toEqual(withoutManagedFields(original.content));
    } finally {
      await copy.cleanup();
    }
  });

  it('skips a non-empty register', async () => {
    const other = await openTestDatabase(kind);
    try {
      const ctx = testContext(other);
      await createAiSystem(ctx, callerWith(['administrator']), { name: 'Existing', purpose: 'Already here', businessUnit: 'Ops' });
      expect(await loadDemoIfEmpty(ctx)).toBeNull();
      expect((await countRows(other.db)).aiSystems).toBe(1);
    } finally {
      await other.cleanup();
    }
  });

  // better-sqlite3 waits for a lock synchronously, which blocks a second connection in the same
  // process; demo-processes.test.ts starts two processes on both databases instead.
  it.skipIf(kind === 'sqlite')('loads once for two connections', async () => {
    const shared = await openTestDatabase(kind);
    const second = await openDatabase({ ...shared.settings });
    try {
      const results = await Promise.all([loadDemoIfEmpty(testContext(shared)), loadDemoIfEmpty(testContext({ ...shared, ...second }))]);
      expect(results.filter((result) => result !== null)).toEqual([{ aiSystems: 391 }]);
      expect((await countRows(shared.db)).aiSystems).toBe(391);
      expect((await verifyAuditChain(shared.db)).ok).toBe(true);
    } finally {
      await second.close();
      await shared.cleanup();
    }
  });
});
