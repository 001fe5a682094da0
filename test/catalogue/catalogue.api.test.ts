import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const item = (ref: string) => `/api/catalogue/items/${encodeURIComponent(ref)}`;

describe.each(databaseKinds)('catalogue API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('lists the frameworks with their counts', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/catalogue/frameworks');
    expect(response.statusCode).toBe(200);
    const frameworks = response.json() as { id: string; builtIn: boolean; assessableCount: number; contentHash: string | null }[];
    expect(frameworks.map((framework) => framework.id).sort()).toEqual(['eu-ai-act', 'gdpr', 'iso42001', 'mitre-atlas', 'nist-ai-rmf', 'org', 'owasp-llm-top10-2025', 'owasp-ml-top10']);
    const iso = frameworks.find((framework) => framework.id === 'iso42001')!;
    expect(iso.assessableCount).toBe(70);
    expect(iso.builtIn).toBe(true);
    expect(iso.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(frameworks.find((framework) => framework.id === 'org')).toMatchObject({ builtIn: false, assessableCount: 0, contentHash: null });
  });

  it('lists 32 clause leaves and 38 controls', async () => {
    const leaves = await server.as('validator')('GET', '/api/catalogue/items?framework=iso42001&kind=clause&assessable=true&limit=100');
    expect(leaves.json().total).toBe(32);
    const controls = await server.as('validator')('GET', '/api/catalogue/items?framework=iso42001&kind=control&limit=100');
    const body = controls.json();
    expect(body.total).toBe(38);
    expect(body.items[0]).toMatchObject({ ref: 'iso42001:A.2.2', title: 'AI policy', parentRef: 'iso42001:A.2', assessable: true });
    expect(body.items[0].summary.length).toBeGreaterThan(40);
  });

  it('filters items by parent and text', async () => {
    const children = await server.as('validator')('GET', `/api/catalogue/items?parent=${encodeURIComponent('iso42001:6.1')}`);
    expect(children.json().items.map((entry: { itemId: string }) => entry.itemId)).toEqual(['6.1.1', '6.1.2', '6.1.3', '6.1.4']);
    const found = await server.as('validator')('GET', '/api/catalogue/items?framework=iso42001&q=event%20logs');
    expect(found.json().items.map((entry: { ref: string }) => entry.ref)).toContain('iso42001:A.6.2.8');
  });

  it('shows NIST mappings of GOVERN 1.1', async () => {
    const response = await server.as('risk_owner')('GET', item('nist-ai-rmf:GOVERN 1.1'));
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail.item).toMatchObject({ frameworkId: 'nist-ai-rmf', itemId: 'GOVERN 1.1', kind: 'subcategory' });
    const targets = detail.mappings.filter((mapping: { direction: string }) => mapping.direction === 'to').map((mapping: { ref: string }) => mapping.ref);
    expect(targets).toEqual(['iso42001:4.1', 'iso42001:6.2', 'iso42001:A.2.2', 'iso42001:A.2.4']);
  });

  it('shows which obligations a control helps to meet', async () => {
    const detail = (await server.as('risk_owner')('GET', item('iso42001:A.6.2.8'))).json();
    const sources = detail.mappings.filter((mapping: { direction: string }) => mapping.direction === 'from');
    const frameworks = new Set(sources.map((mapping: { frameworkId: string }) => mapping.frameworkId));
    expect(frameworks.has('nist-ai-rmf')).toBe(true);
    expect(frameworks.has('eu-ai-act')).toBe(true);
    expect(sources.map((mapping: { ref: string }) => mapping.ref)).toContain('nist-ai-rmf:MEASURE 2.4');
  });

  it('lists a heading with its children', async () => {
    const detail = (await server.as('risk_owner')('GET', item('iso42001:A.6'))).json();
    expect(detail.children.map((child: { ref: string }) => child.ref)).toEqual(['iso42001:A.6.1', 'iso42001:A.6.2']);
  });

  it('answers 404 for an unknown ref', async () => {
    const response = await server.as('risk_owner')('GET', item('iso42001:A.99'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('iso42001:A.99');
  });

  it('lists crosswalks with sources and counts', async () => {
    const crosswalks = (await server.as('internal_auditor')('GET', '/api/catalogue/crosswalks')).json();
    const nist = crosswalks.find((entry: { id: string }) => entry.id === 'nist-ai-rmf-to-iso42001');
    expect(nist).toMatchObject({ fromFrameworkId: 'nist-ai-rmf', toFrameworkId: 'iso42001', pairCount: 280, fromItemCount: 72 });
    expect(nist.source).toContain('airc.nist.gov');
    const pairs = (await server.as('internal_auditor')('GET', `/api/catalogue/crosswalks/nist-ai-rmf-to-iso42001/pairs?to=${encodeURIComponent('iso42001:4.1')}`)).json();
    expect(pairs.items.map((pair: { fromRef: string }) => pair.fromRef)).toEqual(['nist-ai-rmf:GOVERN 1.1', 'nist-ai-rmf:MAP 1.3', 'nist-ai-rmf:MAP 1.4', 'nist-ai-rmf:MAP 4.1']);
  });

  describe('organization controls', () => {
    it('creates, changes and deletes a control with audit events', async () => {
      const created = await server.as('risk_owner')('POST', '/api/catalogue/organization-controls?reason=customer%20contract', {
        body: { itemId: 'ORG-1', title: 'Customer model change notice', summary: 'Tell customer X 30 days before a model change.', weight: 2 },
      });
      expect(created.statusCode).toBe(201);
      expect(created.headers.location).toBe('/api/catalogue/items/org%3AORG-1');
      expect(created.json()).toMatchObject({ ref: 'org:ORG-1', frameworkId: 'org', kind: 'control', assessable: true, weight: 2, version: 1 });

      const stale = await server.as('risk_owner')('PATCH', '/api/catalogue/organization-controls/org:ORG-1', { body: { weight: 3 }, headers: { 'if-match': '"7"' } });
      expect(stale.statusCode).toBe(412);
      const changed = await server.as('risk_owner')('PATCH', '/api/catalogue/organization-controls/org:ORG-1', { body: { weight: 3 }, headers: { 'if-match': '"1"' } });
      expect(changed.json()).toMatchObject({ weight: 3, version: 2 });

      const removed = await server.as('administrator')('DELETE', '/api/catalogue/organization-controls/org:ORG-1');
      expect(removed.statusCode).toBe(204);
      const actions = await database.db.selectFrom('audit_events').select(['action', 'reason']).where('record_id', '=', 'org:ORG-1').orderBy('seq').execute();
      expect(actions).toEqual([
        { action: 'catalogue_item.created', reason: 'customer contract' },
        { action: 'catalogue_item.updated', reason: null },
        { action: 'catalogue_item.deleted', reason: null },
      ]);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });

    it('rejects a duplicate identifier and a change to a built-in item', async () => {
      await server.as('risk_owner')('POST', '/api/catalogue/organization-controls', { body: { itemId: 'ORG-2', title: 'Two', summary: 'Second control.' } });
      const again = await server.as('risk_owner')('POST', '/api/catalogue/organization-controls', { body: { itemId: 'ORG-2', title: 'Two', summary: 'Again.' } });
      expect(again.statusCode).toBe(409);
      const builtIn = await server.as('risk_owner')('PATCH', `/api/catalogue/organization-controls/${encodeURIComponent('iso42001:A.2.2')}`, { body: { title: 'Mine' } });
      expect(builtIn.statusCode).toBe(409);
      expect(builtIn.json().error.message).toContain('built-in framework iso42001');
    });

    it('rejects bad identifiers naming the field', async () => {
      const response = await server.as('risk_owner')('POST', '/api/catalogue/organization-controls', { body: { itemId: 'has space', title: ' ', summary: 'x', weight: 4 } });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['/itemId', '/title', '/weight']);
    });

    it('lets the internal auditor read but not define controls', async () => {
      const response = await server.as('internal_auditor')('POST', '/api/catalogue/organization-controls', { body: { itemId: 'ORG-9', title: 'Nine', summary: 'No.' } });
      expect(response.statusCode).toBe(403);
    });
  });
});
