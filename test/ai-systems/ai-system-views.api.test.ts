import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const compasName = 'COMPAS recidivism risk assessment';

describe.each(databaseKinds)('AI system facets and controls API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let compasId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
    server = await startTestServer(ctx);
    const found = await server.as('internal_auditor')('GET', `/api/ai-systems?q=${encodeURIComponent('COMPAS recidivism')}`);
    compasId = found.json().items[0].id;
  }, 120_000);
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const totalOf = async (query: string): Promise<number> => {
    const response = await server.as('internal_auditor')('GET', `/api/ai-systems?limit=1&${query}`);
    expect(response.statusCode, query).toBe(200);
    return response.json().total as number;
  };

  it('counts facets as the list filters do', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/ai-systems/facets');
    expect(response.statusCode).toBe(200);
    const facets = response.json();
    expect(facets.total).toBe(391);
    expect(facets.total).toBe(await totalOf(''));

    for (const stage of facets.lifecycleStages) expect(stage.count, stage.value).toBe(await totalOf(`lifecycleStage=${stage.value}`));
    expect(facets.lifecycleStages.reduce((sum: number, stage: { count: number }) => sum + stage.count, 0)).toBe(391);

    for (const tier of facets.classificationTiers) expect(tier.count, tier.value).toBe(await totalOf(`classificationTier=${tier.value}`));
    const classified = facets.classificationTiers.reduce((sum: number, tier: { count: number }) => sum + tier.count, 0);
    expect(facets.unclassified).toBe(391 - classified);
    expect(facets.stale).toBe(await totalOf('classificationStale=true'));

    const units = facets.businessUnits.map((unit: { value: string }) => unit.value);
    expect(units).toContain('Broward County pretrial services (Florida)');
    expect([...units].sort((a: string, b: string) => a.localeCompare(b))).toEqual(units);
    const douane = facets.businessUnits.find((unit: { value: string }) => unit.value === 'Douane');
    expect(douane.count).toBe(await totalOf('businessUnit=Douane'));
    expect(facets.owners).toEqual([]);
  });

  it('lists an owner once a system has one', async () => {
    const people = (await server.as('administrator')('GET', '/api/people?limit=1')).json().items;
    const owner = people[0];
    const current = await server.as('administrator')('GET', `/api/ai-systems/${compasId}`);
    const patched = await server.as('administrator')('PATCH', `/api/ai-systems/${compasId}`, {
      body: { ownerId: owner.id },
      headers: { 'if-match': current.headers.etag as string },
    });
    expect(patched.statusCode).toBe(200);

    const facets = (await server.as('internal_auditor')('GET', '/api/ai-systems/facets')).json();
    expect(facets.owners).toEqual([{ personId: owner.id, name: owner.name, count: 1 }]);
    expect(await totalOf(`ownerId=${owner.id}`)).toBe(1);
  });

  it('lists the controls that treat the risks of COMPAS', async () => {
    const response = await server.as('internal_auditor')('GET', `/api/ai-systems/${compasId}/controls`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.aiSystemId).toBe(compasId);
    expect(body.soaVersion).toMatchObject({ number: 1, status: 'approved' });

    const fairness = body.controls.find((control: { controlRef: string }) => control.controlRef === 'iso42001:A.6.2.4');
    expect(fairness).toMatchObject({ controlId: 'A.6.2.4', groupRef: 'iso42001:A.6', inSoa: true, decision: 'applicable' });
    expect(fairness.title).not.toBe('');
    expect(fairness.treatments.map((treatment: { riskTitle: string }) => treatment.riskTitle)).toContain('Unequal false positive rates across racial groups');

    // Every control comes from a treatment of a COMPAS risk, and none appears twice.
    const refs = body.controls.map((control: { controlRef: string }) => control.controlRef);
    expect(new Set(refs).size).toBe(refs.length);
    const risks = (await server.as('internal_auditor')('GET', `/api/risks?aiSystemId=${compasId}`)).json().items;
    const treatedRefs = new Set<string>();
    for (const risk of risks) {
      const treatments = (await server.as('internal_auditor')('GET', `/api/risks/${risk.id}/treatments`)).json();
      for (const treatment of treatments) if (treatment.status !== 'cancelled') for (const ref of treatment.controlRefs) treatedRefs.add(ref);
    }
    expect(new Set(refs)).toEqual(treatedRefs);
  });

  it('returns no controls for a system without risks', async () => {
    const created = await server.as('administrator')('POST', '/api/ai-systems', {
      body: { name: 'Controls view probe', purpose: 'Has no risks yet', businessUnit: 'Testing' },
    });
    expect(created.statusCode).toBe(201);
    const response = await server.as('internal_auditor')('GET', `/api/ai-systems/${created.json().id}/controls`);
    expect(response.statusCode).toBe(200);
    expect(response.json().controls).toEqual([]);
  });

  it('answers 404 for an unknown system', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/ai-systems/no-such-system/controls');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });

  it('rejects unauthenticated reads', async () => {
    expect((await server.anonymous('GET', '/api/ai-systems/facets')).statusCode).toBe(401);
    expect((await server.anonymous('GET', `/api/ai-systems/${compasId}/controls`)).statusCode).toBe(401);
  });
});
