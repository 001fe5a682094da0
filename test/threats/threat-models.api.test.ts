import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { createRisk } from '../../src/risks/risks.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Scenario {
  id: string;
  title: string;
  threatRef: string;
  assetKeys: string[];
  riskIds: string[];
  families: string[];
}

describe.each(databaseKinds)('threat models API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  let ownerId: string;
  let systemId: string;
  let otherSystemId: string;
  let systemRiskId: string;
  let otherSystemRiskId: string;
  let organizationRiskId: string;

  const assets = [
    { key: 'model', name: 'Scoring model v3', kind: 'model' },
    { key: 'training-data', name: 'Loan outcomes 2019-2024', kind: 'training_data', description: 'Labelled outcomes from the core banking system' },
    { key: 'inference-api', name: 'Scoring API', kind: 'inference_api' },
  ];

  const newSystem = async (name: string) => {
    const response = await server.as('administrator')('POST', '/api/ai-systems', { body: { name, purpose: 'Scores applications for manual review', businessUnit: 'Retail credit' } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };

  const newRisk = async (title: string, aiSystemId: string | null) => {
    const risk = await createRisk(ctx, callerWith(['risk_owner']), {
      title,
      aiSystemId,
      riskSourceRef: 'iso42001:C.3.4',
      objectiveRef: 'iso42001:C.2.5',
      category: 'operational',
      ownerPersonId: ownerId,
    });
    return risk.id;
  };

  const createModel = async (aiSystemId: string, body: Record<string, unknown> = {}) => {
    const response = await server.as('risk_owner')('POST', '/api/threat-models', { body: { aiSystemId, assets, ...body } });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
    ownerId = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Rita Owner' } })).json().id;
    systemId = await newSystem('Loan scoring');
    otherSystemId = await newSystem('Fraud screening');
    systemRiskId = await newRisk('Poisoned outcomes skew approvals', systemId);
    otherSystemRiskId = await newRisk('Fraud model evaded', otherSystemId);
    organizationRiskId = await newRisk('Third-party model supply', null);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('creates model with assets and scenarios', async () => {
    const response = await server.as('risk_owner')('POST', '/api/threat-models', {
      body: {
        aiSystemId: systemId,
        scope: 'Production scoring, retraining pipeline and the public API',
        assets,
        scenarios: [
          {
            threatRef: 'mitre-atlas:AML.T0020',
            assetKeys: ['training-data'],
            description: 'A branch employee alters outcome labels before retraining',
            likelihoodNote: 'Labels are editable by 40 staff',
            impactNote: 'Approvals skew for one segment',
            riskIds: [systemRiskId, organizationRiskId],
          },
          { title: 'Competitor copies the model', threatRef: 'owasp-ml-top10:ML05', assetKeys: ['inference-api', 'model'] },
        ],
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/threat-models/${response.json().id}`);
    const model = response.json();
    expect(model).toMatchObject({ aiSystemId: systemId, title: 'Threat model of Loan scoring', status: 'draft', version: 1, lastReview: null });
    expect(model.assets).toEqual([
      { key: 'model', name: 'Scoring model v3', kind: 'model', description: '' },
      { key: 'training-data', name: 'Loan outcomes 2019-2024', kind: 'training_data', description: 'Labelled outcomes from the core banking system' },
      { key: 'inference-api', name: 'Scoring API', kind: 'inference_api', description: '' },
    ]);
    const [poisoning, theft] = model.scenarios as Scenario[];
    expect(poisoning).toMatchObject({ title: 'Poison Training Data', threatRef: 'mitre-atlas:AML.T0020', threatTitle: 'Poison Training Data', families: ['data-poisoning'] });
    expect(poisoning!.assetKeys).toEqual(['training-data']);
    expect(poisoning!.riskIds).toEqual([systemRiskId, organizationRiskId].sort());
    // Asset keys come back in the order of the asset list, not the order sent.
    expect(theft).toMatchObject({ title: 'Competitor copies the model', assetKeys: ['model', 'inference-api'], families: ['model-extraction'], riskIds: [] });

    const read = await server.as('internal_auditor')('GET', `/api/threat-models/${model.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(model);
  });

  it('allows one model per system', async () => {
    const second = await server.as('risk_owner')('POST', '/api/threat-models', { body: { aiSystemId: systemId } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('already has the threat model');
    const unknown = await server.as('risk_owner')('POST', '/api/threat-models', { body: { aiSystemId: 'no-such-system' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([{ path: '/aiSystemId', message: expect.stringContaining('"no-such-system"') }]);
  });

  it('names refs outside the library', async () => {
    const system = await newSystem('Chat assistant');
    const unknown = await server.as('risk_owner')('POST', '/api/threat-models', {
      body: { aiSystemId: system, assets, scenarios: [{ threatRef: 'mitre-atlas:AML.T9999', assetKeys: ['model'] }] },
    });
    expect(unknown.statusCode).toBe(400);
    const detail = unknown.json().error.details[0];
    expect(detail.path).toBe('/scenarios/0/threatRef');
    expect(detail.message).toContain('"mitre-atlas:AML.T9999" is not an item of the threat library');
    expect(await database.db.selectFrom('threat_models').select('id').where('ai_system_id', '=', system).executeTakeFirst()).toBeUndefined();

    const model = await createModel(system);
    const notThreat = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'iso42001:A.6.2.4', assetKeys: ['model'] } });
    expect(notThreat.statusCode).toBe(400);
    expect(notThreat.json().error.details[0]).toMatchObject({ path: '/threatRef', message: expect.stringContaining('"iso42001:A.6.2.4" is a control of iso42001, not a threat') });
    const tactic = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'mitre-atlas:AML.TA0005', assetKeys: ['model'] } });
    expect(tactic.statusCode).toBe(400);
    expect(tactic.json().error.details[0].message).toContain('tactic heading "Execution"');
    const malformed = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'LLM01', assetKeys: ['model'] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0].path).toBe('/threatRef');
  });

  it('rejects scenarios on unknown assets', async () => {
    const model = await createModel(await newSystem('Document classifier'));
    const response = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'owasp-llm-top10-2025:LLM01', assetKeys: ['model', 'system-prompt'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/assetKeys/1', message: 'names the asset "system-prompt", which the threat model does not have (its assets are model, training-data, inference-api); add the asset first' },
    ]);
    const noAssets = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'owasp-llm-top10-2025:LLM01', assetKeys: [] } });
    expect(noAssets.statusCode).toBe(400);
    expect(noAssets.json().error.details[0].path).toBe('/assetKeys');
  });

  it('lists every invalid scenario field', async () => {
    const model = await createModel(await newSystem('Speech transcriber'));
    const added = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'mitre-atlas:AML.T9999', assetKeys: ['model', 'microphone'], riskIds: ['no-such-risk', otherSystemRiskId] },
    });
    expect(added.statusCode).toBe(400);
    expect(added.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/assetKeys/1', '/threatRef', '/riskIds/0', '/riskIds/1']);

    const scenario = (
      await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['model'] } })
    ).json().scenario;
    const changed = await server.as('risk_owner')('PATCH', `/api/threat-models/${model.id}/scenarios/${scenario.id}`, {
      body: { threatRef: 'iso42001:A.6.2.4', assetKeys: ['microphone'], riskIds: ['no-such-risk'] },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/assetKeys/0', '/threatRef', '/riskIds/0']);

    const system = await newSystem('Meeting summarizer');
    const created = await server.as('risk_owner')('POST', '/api/threat-models', {
      body: {
        aiSystemId: system,
        assets,
        scenarios: [
          { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['microphone'] },
          { threatRef: 'mitre-atlas:AML.T9999', assetKeys: ['model'], riskIds: ['no-such-risk'] },
        ],
      },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/scenarios/0/assetKeys/0', '/scenarios/1/threatRef', '/scenarios/1/riskIds/0']);
    expect(await database.db.selectFrom('threat_models').select('id').where('ai_system_id', '=', system).executeTakeFirst()).toBeUndefined();
  });

  it('rejects repeated keys and bad kinds', async () => {
    const system = await newSystem('Image triage');
    const repeated = await server.as('risk_owner')('POST', '/api/threat-models', {
      body: { aiSystemId: system, assets: [...assets, { key: 'model', name: 'Second model', kind: 'model' }] },
    });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().error.details).toEqual([{ path: '/assets/3/key', message: 'repeats the asset key "model"; each asset needs its own key' }]);
    const badKind = await server.as('risk_owner')('POST', '/api/threat-models', { body: { aiSystemId: system, assets: [{ key: 'gpu', name: 'GPU cluster', kind: 'hardware' }] } });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].path).toBe('/assets/0/kind');
  });

  it('links only same-system or organization risks', async () => {
    const model = await createModel(await newSystem('Pricing engine'));
    const other = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['model'], riskIds: [otherSystemRiskId] },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.details[0]).toMatchObject({ path: '/riskIds/0', message: expect.stringContaining(`belongs to AI system ${otherSystemId}`) });
    const unknown = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['model'], riskIds: ['no-such-risk'] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0]).toMatchObject({ path: '/riskIds/0', message: expect.stringContaining('no risk with id "no-such-risk"') });
    const organization = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['model'], riskIds: [organizationRiskId] },
    });
    expect(organization.statusCode).toBe(201);
    expect(organization.json().scenario.riskIds).toEqual([organizationRiskId]);
  });

  it('changes scenarios under If-Match', async () => {
    const model = await createModel(await newSystem('Claims summarizer'));
    const added = await server.as('ai_system_owner')('POST', `/api/threat-models/${model.id}/scenarios`, {
      body: { threatRef: 'owasp-llm-top10-2025:LLM01', assetKeys: ['inference-api'] },
      headers: { 'if-match': '"1"' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.headers.etag).toBe('"2"');
    const { scenario, threatModel } = added.json();
    expect(scenario).toMatchObject({ title: 'Prompt Injection', families: ['prompt-injection'] });
    expect(threatModel.scenarios).toHaveLength(1);

    const stale = await server.as('ai_system_owner')('PATCH', `/api/threat-models/${model.id}/scenarios/${scenario.id}`, {
      body: { impactNote: 'Leaks claim details' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);

    const changed = await server.as('ai_system_owner')('PATCH', `/api/threat-models/${model.id}/scenarios/${scenario.id}`, {
      body: { threatRef: 'mitre-atlas:AML.T0051.001', assetKeys: ['inference-api', 'model'], impactNote: 'Leaks claim details', riskIds: [systemRiskId] },
      headers: { 'if-match': '"2"' },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error.details[0].path).toBe('/riskIds/0');

    const fixed = await server.as('ai_system_owner')('PATCH', `/api/threat-models/${model.id}/scenarios/${scenario.id}`, {
      body: { threatRef: 'mitre-atlas:AML.T0051.001', assetKeys: ['inference-api', 'model'], impactNote: 'Leaks claim details' },
      headers: { 'if-match': '"2"' },
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.headers.etag).toBe('"3"');
    expect(fixed.json().scenario).toMatchObject({ title: 'Prompt Injection', threatRef: 'mitre-atlas:AML.T0051.001', threatTitle: 'Indirect', assetKeys: ['model', 'inference-api'], impactNote: 'Leaks claim details' });

    const missing = await server.as('ai_system_owner')('DELETE', `/api/threat-models/${model.id}/scenarios/no-such-scenario`);
    expect(missing.statusCode).toBe(404);
    const removed = await server.as('ai_system_owner')('DELETE', `/api/threat-models/${model.id}/scenarios/${scenario.id}`, { headers: { 'if-match': '"3"' } });
    expect(removed.statusCode).toBe(200);
    expect(removed.headers.etag).toBe('"4"');
    expect(removed.json().scenarios).toEqual([]);
    expect(await database.db.selectFrom('threat_scenario_assets').select('scenario_id').where('scenario_id', '=', scenario.id).execute()).toEqual([]);
  });

  it('keeps assets that scenarios target', async () => {
    const model = await createModel(await newSystem('Route planner'), { scenarios: [{ threatRef: 'owasp-ml-top10:ML02', assetKeys: ['training-data'] }] });
    const blocked = await server.as('risk_owner')('PATCH', `/api/threat-models/${model.id}`, { body: { assets: assets.filter((asset) => asset.key !== 'training-data') } });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details).toEqual([{ path: '/assets', message: 'drops the asset "training-data", which the scenarios "Data Poisoning Attack" target' }]);

    const renamed = await server.as('risk_owner')('PATCH', `/api/threat-models/${model.id}`, {
      body: { title: 'Route planner threats', assets: [{ key: 'training-data', name: 'Trips 2025', kind: 'training_data' }, { key: 'prompt', name: 'Planner prompt', kind: 'prompt' }] },
      headers: { 'if-match': '"1"' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ title: 'Route planner threats', version: 2 });
    expect(renamed.json().assets.map((asset: { key: string }) => asset.key)).toEqual(['training-data', 'prompt']);
    expect(renamed.json().scenarios[0].assetKeys).toEqual(['training-data']);
  });

  it('review needs someone who did not edit', async () => {
    const empty = await createModel(await newSystem('Queue router'));
    const nothing = await server.as('validator')('POST', `/api/threat-models/${empty.id}/review`, { body: {} });
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error.message).toContain('has no threat scenarios');

    const model = await createModel(await newSystem('Voice assistant'), { scenarios: [{ threatRef: 'mitre-atlas:AML.T0088', assetKeys: ['model'] }] });
    const own = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/review`, { body: {} });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('risk-owner changed the threat model');

    const reviewed = await server.as('validator')('POST', `/api/threat-models/${model.id}/review`, { body: { comment: 'Checked against the architecture diagram' }, headers: { 'if-match': '"1"' } });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.headers.etag).toBe('"2"');
    expect(reviewed.json()).toMatchObject({ status: 'reviewed', editedBy: [], version: 2, lastReview: { reviewedVersion: 2, comment: 'Checked against the architecture diagram' } });
    const again = await server.as('administrator')('POST', `/api/threat-models/${model.id}/review`, { body: {} });
    expect(again.statusCode).toBe(409);

    // A change returns the model to draft and makes the changer ineligible; the first author may now review.
    const changed = await server.as('validator')('PATCH', `/api/threat-models/${model.id}`, { body: { scope: 'Adds the wake-word model' } });
    expect(changed.json()).toMatchObject({ status: 'draft', version: 3, lastReview: { reviewedVersion: 2 } });
    expect((await server.as('validator')('POST', `/api/threat-models/${model.id}/review`, { body: {} })).statusCode).toBe(403);
    const second = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/review`, { body: {} });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ status: 'reviewed', lastReview: { reviewedVersion: 4, comment: null } });
  });

  it('raises a risk from a scenario', async () => {
    const model = await createModel(await newSystem('Triage chatbot'), { scenarios: [{ threatRef: 'owasp-llm-top10-2025:LLM02', assetKeys: ['model'] }] });
    const scenarioId = model.scenarios[0].id;
    const riskBody = { riskSourceRef: 'iso42001:C.3.4', objectiveRef: 'iso42001:C.2.5', category: 'legal', ownerPersonId: ownerId, inherent: { likelihood: 3, impact: 4 } };

    const withoutRiskRole = await server.as('validator')('POST', `/api/threat-models/${model.id}/scenarios/${scenarioId}/risks`, { body: riskBody });
    expect(withoutRiskRole.statusCode).toBe(403);
    expect(withoutRiskRole.json().error.message).toContain('risks.write');

    const badSource = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios/${scenarioId}/risks`, { body: { ...riskBody, riskSourceRef: 'iso42001:A.2.2' } });
    expect(badSource.statusCode).toBe(400);
    expect(await database.db.selectFrom('risks').select('id').where('title', '=', 'Sensitive Information Disclosure').execute()).toEqual([]);

    const created = await server.as('risk_owner')('POST', `/api/threat-models/${model.id}/scenarios/${scenarioId}/risks`, { body: riskBody, headers: { 'if-match': '"1"' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"2"');
    const { risk, scenario, threatModel } = created.json();
    expect(risk).toMatchObject({ title: 'Sensitive Information Disclosure', aiSystemId: model.aiSystemId, threat: 'Sensitive Information Disclosure (owasp-llm-top10-2025:LLM02)', category: 'legal' });
    expect(created.headers.location).toBe(`/api/risks/${risk.id}`);
    expect(scenario.riskIds).toEqual([risk.id]);
    expect(threatModel.version).toBe(2);
  });

  it('lists threat models with filters', async () => {
    const all = (await server.as('internal_auditor')('GET', '/api/threat-models?limit=2')).json();
    expect(all.items).toHaveLength(2);
    const total = Number((await database.db.selectFrom('threat_models').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);
    expect(all.total).toBe(total);

    const bySystem = (await server.as('internal_auditor')('GET', `/api/threat-models?aiSystemId=${systemId}`)).json();
    expect(bySystem.items.map((model: { aiSystemId: string }) => model.aiSystemId)).toEqual([systemId]);
    const byThreat = (await server.as('internal_auditor')('GET', `/api/threat-models?threatRef=${encodeURIComponent('mitre-atlas:AML.T0020')}`)).json();
    expect(byThreat.items.map((model: { aiSystemId: string }) => model.aiSystemId)).toEqual([systemId]);
    const byRisk = (await server.as('internal_auditor')('GET', `/api/threat-models?riskId=${organizationRiskId}`)).json();
    expect(byRisk.total).toBe(2);
    const reviewed = (await server.as('internal_auditor')('GET', '/api/threat-models?status=reviewed')).json();
    expect(reviewed.items.every((model: { status: string }) => model.status === 'reviewed')).toBe(true);
    expect(reviewed.total).toBe(1);
  });

  it('rejects changes without threats.write', async () => {
    const model = await createModel(await newSystem('Audit target'), { scenarios: [{ threatRef: 'owasp-ml-top10:ML09', assetKeys: ['model'] }] });
    const scenarioPath = `/api/threat-models/${model.id}/scenarios/${model.scenarios[0].id}`;
    const attempts = [
      server.as('internal_auditor')('POST', '/api/threat-models', { body: { aiSystemId: await newSystem('Auditor system') } }),
      server.as('internal_auditor')('PATCH', `/api/threat-models/${model.id}`, { body: { title: 'Changed' } }),
      server.as('internal_auditor')('DELETE', `/api/threat-models/${model.id}`),
      server.as('internal_auditor')('POST', `/api/threat-models/${model.id}/review`, { body: {} }),
      server.as('internal_auditor')('POST', `/api/threat-models/${model.id}/scenarios`, { body: { threatRef: 'owasp-ml-top10:ML01', assetKeys: ['model'] } }),
      server.as('internal_auditor')('PATCH', scenarioPath, { body: { title: 'Changed' } }),
      server.as('internal_auditor')('DELETE', scenarioPath),
      server.as('internal_auditor')('POST', `${scenarioPath}/risks`, { body: {} }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toContain('may not change records');
    }
    expect((await server.as('internal_auditor')('GET', `/api/threat-models/${model.id}`)).json().version).toBe(1);

    // Roles that may write elsewhere but hold no threats.write are refused by the policy.
    const approver = await server.as('approver')('PATCH', `/api/threat-models/${model.id}`, { body: { title: 'Changed' } });
    expect(approver.statusCode).toBe(403);
    expect(approver.json().error.message).toContain('may not perform threats.write');
  });

  it('deletes model but keeps risks', async () => {
    const model = await createModel(await newSystem('Retired scorer'), { scenarios: [{ threatRef: 'owasp-ml-top10:ML04', assetKeys: ['model'], riskIds: [organizationRiskId] }] });
    const stale = await server.as('risk_owner')('DELETE', `/api/threat-models/${model.id}`, { headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await server.as('risk_owner')('DELETE', `/api/threat-models/${model.id}?reason=System%20retired`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await server.as('risk_owner')('GET', `/api/threat-models/${model.id}`)).statusCode).toBe(404);
    expect(await database.db.selectFrom('risks').select('id').where('id', '=', organizationRiskId).executeTakeFirst()).toBeDefined();
    expect(await database.db.selectFrom('threat_scenarios').select('id').where('threat_model_id', '=', model.id).execute()).toEqual([]);

    const event = await database.db.selectFrom('audit_events').selectAll().where('record_id', '=', model.id).where('action', '=', 'threat_model.deleted').executeTakeFirstOrThrow();
    expect(event.reason).toBe('System retired');
    expect(JSON.parse(event.before_json!).scenarios[0].riskIds).toEqual([organizationRiskId]);
  });

  it('audits changes in an intact chain', async () => {
    const actions = (await database.db.selectFrom('audit_events').select('action').where('record_type', '=', 'threat_model').execute()).map((row) => row.action);
    for (const action of ['threat_model.created', 'threat_model.updated', 'threat_model.reviewed', 'threat_model.deleted', 'threat_model.scenario_added', 'threat_model.scenario_updated', 'threat_model.scenario_removed']) {
      expect(actions, action).toContain(action);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
