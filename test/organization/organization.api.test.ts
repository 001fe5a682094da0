import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAimsScope, getOrganization } from '../../src/organization/organization.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const profile = {
  name: 'Northwind Bank',
  description: 'A retail bank in the Netherlands',
  scopeStatement: 'The AIMS covers every AI system the bank develops or deploys for retail customers.',
  scopeBoundaries: ['Retail banking division', 'Data centres in Amsterdam'],
};

describe.each(databaseKinds)('organization API on %s', (kind) => {
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

  it('reports a missing profile as 404 with the fix', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/organization');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({
      code: 'NOT_FOUND',
      message: 'No organization profile exists yet; create it with PUT /api/organization',
      details: [],
    });
  });

  it('returns an empty scope before the profile exists', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/organization/scope');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      scopeStatement: null,
      scopeBoundaries: [],
      inScope: { count: 0, aiSystems: [] },
      outOfScope: { count: 0, aiSystems: [] },
    });
  });

  it('rejects If-Match before the profile exists', async () => {
    const response = await server.as('administrator')('PUT', '/api/organization', { body: profile, headers: { 'if-match': '"1"' } });
    expect(response.statusCode).toBe(412);
    expect(response.json().error.code).toBe('PRECONDITION_FAILED');
  });

  it('creates the profile on the first PUT', async () => {
    const response = await server.as('oversight_board_member')('PUT', '/api/organization', { body: profile });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe('/api/organization');
    expect(response.json()).toMatchObject({ id: 'organization', ...profile, version: 1 });

    const read = await server.as('validator')('GET', '/api/organization');
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(response.json());
  });

  it('replaces the profile and honours If-Match', async () => {
    const changed = { ...profile, scopeBoundaries: [...profile.scopeBoundaries, 'Cloud tenant eu-west-1'] };
    const replaced = await server.as('administrator')('PUT', '/api/organization?reason=Cloud%20move', { body: changed, headers: { 'if-match': '"1"' } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.headers.etag).toBe('"2"');
    expect(replaced.json().scopeBoundaries).toEqual(changed.scopeBoundaries);

    const stale = await server.as('administrator')('PUT', '/api/organization', { body: profile, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const read = (await server.as('administrator')('GET', '/api/organization')).json();
    expect(read.scopeBoundaries).toEqual(changed.scopeBoundaries);
  });

  it('keeps the version when a PUT changes nothing', async () => {
    const current = (await server.as('administrator')('GET', '/api/organization')).json();
    const { id: _id, version: _version, createdAt: _created, updatedAt: _updated, ...body } = current;
    const repeated = await server.as('administrator')('PUT', '/api/organization', { body });
    expect(repeated.statusCode).toBe(200);
    expect(repeated.json().version).toBe(current.version);
  });

  it('lists every problem of an invalid profile', async () => {
    const response = await server.as('administrator')('PUT', '/api/organization', {
      body: { name: '  ', scopeBoundaries: ['a', 'a', 7], colour: 'blue' },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['/colour', '/description', '/name', '/scopeBoundaries', '/scopeBoundaries/2', '/scopeStatement']);
    const duplicate = response.json().error.details.find((detail: { path: string }) => detail.path === '/scopeBoundaries');
    expect(duplicate.message).toBe('must not repeat an item (items 1 and 0 are equal)');
  });

  it('rejects a change by a role without organization.write', async () => {
    const response = await server.as('ai_system_owner')('PUT', '/api/organization', { body: { ...profile, name: 'Taken over' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toContain('may not perform organization.write');
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    await expect(getOrganization(ctx, callerWith([], 'nobody'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getAimsScope(ctx, callerWith([], 'nobody'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists systems inside and outside scope', async () => {
    const owner = server.as('ai_system_owner');
    const base = { purpose: 'Test', businessUnit: 'Scope unit' };
    await owner('POST', '/api/ai-systems', { body: { ...base, name: 'Mortgage advice', scopeJustification: 'Retail product' } });
    await owner('POST', '/api/ai-systems', { body: { ...base, name: 'Canteen menu planner', inScope: false, scopeJustification: 'No effect on customers' } });
    await owner('POST', '/api/ai-systems', { body: { ...base, name: 'Arrears prediction' } });

    const response = await server.as('internal_auditor')('GET', '/api/organization/scope');
    expect(response.statusCode).toBe(200);
    const scope = response.json();
    expect(scope.scopeStatement).toBe(profile.scopeStatement);
    expect(scope.scopeBoundaries).toHaveLength(3);
    expect(scope.inScope.count).toBe(2);
    expect(scope.inScope.aiSystems.map((system: { name: string }) => system.name)).toEqual(['Arrears prediction', 'Mortgage advice']);
    expect(scope.inScope.aiSystems[1]).toMatchObject({ businessUnit: 'Scope unit', lifecycleStage: 'concept', scopeJustification: 'Retail product' });
    expect(scope.outOfScope).toEqual({
      count: 1,
      aiSystems: [expect.objectContaining({ name: 'Canteen menu planner', scopeJustification: 'No effect on customers' })],
    });
  });

  it('keeps a single organization row in the schema', async () => {
    const row = { id: 'second', name: 'Other', description: '', scope_statement: '', scope_boundaries: '[]', version: 1, created_at: 'x', updated_at: 'x' };
    await expect(database.db.insertInto('organization').values(row).execute()).rejects.toMatchObject({
      code: expect.stringMatching(/^(23514|SQLITE_CONSTRAINT_CHECK)$/),
    });
  });

  it('audits creation and changes', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=organization')).json();
    const actions = events.items.map((event: { action: string }) => event.action).sort();
    expect(actions).toEqual(['organization.created', 'organization.updated']);
    const update = events.items.find((event: { action: string }) => event.action === 'organization.updated');
    expect(update.reason).toBe('Cloud move');
    expect(update.before.version).toBe(1);
    expect(update.after).toMatchObject({ version: 2, scopeBoundaries: expect.arrayContaining(['Cloud tenant eu-west-1']) });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
