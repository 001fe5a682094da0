import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogueFiles } from '../../src/catalogue/catalogue-files.js';
import { threatFrameworkIds } from '../../src/threats/threat-library.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Threat items per framework as the shipped files define them, to compare the API against. */
const files = loadCatalogueFiles();
const fileItems = threatFrameworkIds.flatMap((id) =>
  files.frameworks
    .find((entry) => entry.data.framework.id === id)!
    .data.items.filter((item) => item.assessable)
    .map((item) => ({ ref: `${id}:${item.id}`, families: item.attributes?.families as string[] })),
);

interface LibraryItem {
  ref: string;
  frameworkId: string;
  kind: string;
  families: string[];
  tactics: string[];
}

describe.each(databaseKinds)('threat library API on %s', (kind) => {
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

  it('lists threats with editions and hashes', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/threat-library?limit=500');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(fileItems.length);
    expect(body.items.map((item: LibraryItem) => item.ref)).toEqual(fileItems.map((item) => item.ref));
    expect(body.frameworks.map((framework: { id: string }) => framework.id)).toEqual([...threatFrameworkIds]);
    const atlas = body.frameworks[0];
    expect(atlas.edition).toBe('2026.06');
    expect(atlas.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(atlas.threatCount).toBe(fileItems.filter((item) => item.ref.startsWith('mitre-atlas:')).length);
    expect(body.frameworks.find((framework: { id: string }) => framework.id === 'owasp-llm-top10-2025').threatCount).toBe(10);
  });

  it('leaves ATLAS tactics out of the library', async () => {
    const body = (await server.as('validator')('GET', '/api/threat-library?framework=mitre-atlas&limit=500')).json();
    expect(body.items.some((item: LibraryItem) => item.kind === 'tactic')).toBe(false);
    const injection = body.items.find((item: LibraryItem) => item.ref === 'mitre-atlas:AML.T0051');
    expect(injection).toMatchObject({ title: 'LLM Prompt Injection', parentRef: 'mitre-atlas:AML.TA0005', tactics: ['AML.TA0005'], families: ['prompt-injection'] });
  });

  it('filters by scenario family', async () => {
    const response = await server.as('risk_owner')('GET', '/api/threat-library?family=prompt-injection&limit=500');
    expect(response.statusCode).toBe(200);
    const refs = response.json().items.map((item: LibraryItem) => item.ref);
    const expected = fileItems.filter((item) => item.families.includes('prompt-injection')).map((item) => item.ref);
    expect(refs).toEqual(expected);
    expect(refs).toContain('owasp-llm-top10-2025:LLM01');
    expect(refs).toContain('mitre-atlas:AML.T0051.001');
    expect(refs).not.toContain('owasp-ml-top10:ML02');
  });

  it('combines filters with paging', async () => {
    const poisoning = await server.as('risk_owner')('GET', '/api/threat-library?family=data-poisoning&framework=owasp-ml-top10');
    expect(poisoning.json().items.map((item: LibraryItem) => item.ref)).toEqual([
      'owasp-ml-top10:ML02',
      'owasp-ml-top10:ML07',
      'owasp-ml-top10:ML08',
      'owasp-ml-top10:ML10',
    ]);
    const text = await server.as('risk_owner')('GET', '/api/threat-library?q=jailbreak');
    expect(text.json().items.map((item: LibraryItem) => item.ref)).toContain('mitre-atlas:AML.T0054');
    const page = (await server.as('risk_owner')('GET', '/api/threat-library?family=supply-chain&limit=2&offset=2')).json();
    const all = fileItems.filter((item) => item.families.includes('supply-chain')).map((item) => item.ref);
    expect(page.total).toBe(all.length);
    expect(page.items.map((item: LibraryItem) => item.ref)).toEqual(all.slice(2, 4));
  });

  it('rejects an unknown family', async () => {
    const response = await server.as('risk_owner')('GET', '/api/threat-library?family=telepathy');
    expect(response.statusCode).toBe(400);
    const detail = response.json().error.details[0];
    expect(detail.path).toBe('querystring:/family');
    expect(detail.message).toContain('data-poisoning');
    expect(detail.message).toContain('telepathy');
  });

  it('counts the threats of each family', async () => {
    const families = (await server.as('approver')('GET', '/api/threat-library/families')).json() as { id: string; threatCount: number }[];
    expect(families.map((family) => family.id)).toContain('model-extraction');
    for (const family of families) {
      expect(family.threatCount, family.id).toBe(fileItems.filter((item) => item.families.includes(family.id)).length);
    }
  });

  it('serves threats through the catalogue', async () => {
    const techniques = (await server.as('validator')('GET', '/api/catalogue/items?framework=mitre-atlas&kind=technique&limit=100')).json();
    expect(techniques.total).toBeGreaterThanOrEqual(25);
    const llm = (await server.as('validator')('GET', '/api/catalogue/items?framework=owasp-llm-top10-2025')).json();
    expect(llm.total).toBe(10);
    expect(llm.items[0]).toMatchObject({ ref: 'owasp-llm-top10-2025:LLM01', title: 'Prompt Injection', kind: 'risk', assessable: true, attributes: { families: ['prompt-injection'] } });
  });

  it('needs a signed-in caller', async () => {
    expect((await server.anonymous('GET', '/api/threat-library')).statusCode).toBe(401);
  });
});
