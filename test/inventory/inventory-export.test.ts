import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiSystem } from '../../src/ai-systems/ai-system.schemas.js';
import { listAiSystems } from '../../src/ai-systems/ai-systems.service.js';
import { exportInventory } from '../../src/inventory/inventory-export.service.js';
import { importInventory } from '../../src/inventory/inventory-import.service.js';
import type { InventoryFormat } from '../../src/inventory/inventory-source.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { municipalCsv, municipalMapping, nestedJson, nestedMapping, ownFieldsYaml } from './inventory-fixtures.js';

const owner = callerWith(['ai_system_owner']);
const auditor = callerWith(['internal_auditor']);

/** The fields an import sets; the register assigns id, version and timestamps itself. */
function importedFields(system: AiSystem): Omit<AiSystem, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  const { id: _id, version: _version, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = system;
  return fields;
}

describe.each(databaseKinds)('inventory export on %s', (kind) => {
  let source: TestDatabase;

  beforeAll(async () => {
    source = await openTestDatabase(kind);
    const ctx = testContext(source);
    await importInventory(ctx, owner, { content: municipalCsv, format: 'csv', sourceName: 'gemeente.csv', mapping: municipalMapping });
    await importInventory(ctx, owner, { content: ownFieldsYaml, format: 'yaml', sourceName: 'systems.yaml' });
    await importInventory(ctx, owner, { content: nestedJson, format: 'json', sourceName: 'export.json', mapping: nestedMapping });
  });
  afterAll(async () => {
    await source?.cleanup();
  });

  it('orders systems by business unit and name', async () => {
    const exported = await exportInventory(testContext(source), auditor, 'json');
    expect(exported.aiSystems).toBe(8);
    expect(exported.mediaType).toBe('application/json; charset=utf-8');
    const units = (JSON.parse(exported.content) as AiSystem[]).map((system) => system.businessUnit);
    expect(units).toEqual([...units].sort());
  });

  it('quotes CSV cells that need it', async () => {
    const exported = await exportInventory(testContext(source), auditor, 'csv');
    expect(exported.content).toContain('"Beantwoordt vragen van inwoners;\r\nverwijst door naar een medewerker"');
    expect(exported.content).toContain('"Gemeente Voorbeeld, Dienstverlening"');
    expect(exported.content).toContain(',automobilisten; bezoekers,');
  });

  it('rejects a caller without a role', async () => {
    await expect(exportInventory(testContext(source), callerWith([], 'nobody'), 'json')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each<InventoryFormat>(['json', 'csv', 'yaml'])('imports its own %s export again', async (format) => {
    const exported = await exportInventory(testContext(source), auditor, format);
    const target = await openTestDatabase(kind);
    try {
      const ctx = testContext(target);
      const report = await importInventory(ctx, owner, { content: exported.content, format, sourceName: `register.${format}` });
      expect(report.aiSystems).toBe(8);

      const original = (await listAiSystems(testContext(source), auditor, { limit: 100 })).items.map(importedFields);
      const copy = (await listAiSystems(ctx, auditor, { limit: 100 })).items.map(importedFields);
      expect(copy).toEqual(original);
    } finally {
      await target.cleanup();
    }
  });
});
