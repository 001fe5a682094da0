import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { exampleAnswers } from '../classification/rules-fixtures.js';

interface Listed {
  name: string;
  ownerId: string | null;
  classification: { tier: string } | null;
}

describe.each(databaseKinds)('register sorting on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  const admin = () => server.as('administrator');

  async function addPerson(name: string): Promise<string> {
    const response = await admin()('POST', '/api/people', { body: { name } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  }

  async function addSystem(name: string, fields: Record<string, unknown>): Promise<string> {
    const response = await admin()('POST', '/api/ai-systems', { body: { name, purpose: `${name} purpose`, businessUnit: 'Sorting', ...fields } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  }

  /** Drafts a classification from a worked example as a risk owner, and approves it as the administrator. */
  async function classify(systemId: string, example: string): Promise<void> {
    const draft = await server.as('risk_owner')('POST', `/api/ai-systems/${systemId}/classifications`, { body: { answers: exampleAnswers(example) } });
    expect(draft.statusCode).toBe(201);
    const approved = await admin()('POST', `/api/classifications/${draft.json().id}/approve`);
    expect(approved.statusCode).toBe(200);
  }

  async function list(query: string): Promise<Listed[]> {
    const response = await server.as('approver')('GET', `/api/ai-systems?businessUnit=Sorting&${query}`);
    expect(response.statusCode).toBe(200);
    return response.json().items as Listed[];
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));

    const zoe = await addPerson('Zoe Young');
    const adam = await addPerson('Adam Baker');
    const mila = await addPerson('Mila Novak');

    // Names run against the tier order, so that a sort by name or by insertion cannot pass for a sort by tier.
    const examples = [
      { name: 'Alpha spam filter', example: 'spam-filter', fields: { organizationRole: 'deployer', autonomy: 'autonomous' }, ownerId: adam },
      { name: 'Bravo chatbot', example: 'customer-service-chatbot', fields: { organizationRole: 'provider', autonomy: 'autonomous', deploymentEnvironments: ['production'] }, ownerId: zoe },
      { name: 'Charlie recidivism', example: 'compas-recidivism', fields: { organizationRole: 'deployer', autonomy: 'human_in_the_loop' }, ownerId: mila },
      { name: 'Delta social scoring', example: 'social-scoring', fields: { organizationRole: 'deployer', autonomy: 'autonomous' }, ownerId: adam },
    ];
    for (const entry of examples) {
      const id = await addSystem(entry.name, { ...entry.fields, ownerId: entry.ownerId });
      await classify(id, entry.example);
    }
    await addSystem('Echo unclassified', { ownerId: zoe });
    await addSystem('Foxtrot ownerless', {});
  }, 60_000);

  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('sorts by tier, most severe first', async () => {
    const items = await list('sort=classificationTier');
    expect(items.map((item) => item.classification?.tier ?? null)).toEqual(['prohibited', 'high-risk', 'transparency', 'minimal', null, null]);
    // Systems without a tier are ordered by name among themselves.
    expect(items.slice(4).map((item) => item.name)).toEqual(['Echo unclassified', 'Foxtrot ownerless']);
  });

  it('sorts by tier descending, unclassified last', async () => {
    const items = await list('sort=-classificationTier');
    expect(items.map((item) => item.classification?.tier ?? null)).toEqual(['minimal', 'transparency', 'high-risk', 'prohibited', null, null]);
  });

  it('sorts by owner name with ties by system name', async () => {
    const items = await list('sort=ownerName');
    expect(items.map((item) => item.name)).toEqual([
      'Alpha spam filter',
      'Delta social scoring',
      'Charlie recidivism',
      'Bravo chatbot',
      'Echo unclassified',
      'Foxtrot ownerless',
    ]);
  });

  it('sorts by owner name descending, no owner last', async () => {
    const items = await list('sort=-ownerName');
    expect(items.map((item) => item.name)).toEqual([
      'Bravo chatbot',
      'Echo unclassified',
      'Charlie recidivism',
      'Alpha spam filter',
      'Delta social scoring',
      'Foxtrot ownerless',
    ]);
  });

  it('pages a tier sort without overlap', async () => {
    const whole = await list('sort=classificationTier');
    const pages = [...(await list('sort=classificationTier&limit=4')), ...(await list('sort=classificationTier&limit=4&offset=4'))];
    expect(pages.map((item) => item.name)).toEqual(whole.map((item) => item.name));
  });

  it('combines a tier sort with a filter', async () => {
    const response = await server.as('approver')('GET', '/api/ai-systems?businessUnit=Sorting&ownerId=' + (await list('sort=name'))[0]!.ownerId + '&sort=-classificationTier');
    expect(response.statusCode).toBe(200);
    expect(response.json().total).toBe(2);
    expect(response.json().items.map((item: Listed) => item.name)).toEqual(['Alpha spam filter', 'Delta social scoring']);
  });

  it('rejects an unknown sort key', async () => {
    const response = await admin()('GET', '/api/ai-systems?sort=tier');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('querystring:/sort');
  });

  it('documents the new sort keys in OpenAPI', async () => {
    const openapi = (await server.anonymous('GET', '/api/openapi.json')).json();
    const sort = openapi.paths['/api/ai-systems'].get.parameters.find((parameter: { name: string }) => parameter.name === 'sort');
    expect(JSON.stringify(sort)).toContain('-classificationTier');
    expect(JSON.stringify(sort)).toContain('-ownerName');
    expect(sort.description ?? sort.schema.description).toContain('most severe first (prohibited, high-risk, transparency, minimal)');
  });
});
