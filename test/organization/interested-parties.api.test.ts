import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInterestedParty, listInterestedParties } from '../../src/organization/interested-parties.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

const regulator = {
  name: 'Dutch Data Protection Authority',
  category: 'regulator',
  relevantRequirements: ['GDPR article 22 on automated decisions', 'Data protection impact assessments for high-risk processing'],
  addressedThrough: 'DPIA procedure and the register of processing activities',
};

describe.each(databaseKinds)('interested parties API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('creates and reads a party with its requirements', async () => {
    const created = await server.as('oversight_board_member')('POST', '/api/interested-parties', { body: regulator });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const party = created.json();
    expect(party).toMatchObject({ ...regulator, version: 1 });
    expect(created.headers.location).toBe(`/api/interested-parties/${party.id}`);

    const read = await server.as('internal_auditor')('GET', `/api/interested-parties/${party.id}`);
    expect(read.json()).toEqual(party);
  });

  it('fills the optional fields with empty values', async () => {
    const created = await admin('POST', '/api/interested-parties', { body: { name: 'Loan applicants', category: 'affected_person' } });
    expect(created.json()).toMatchObject({ relevantRequirements: [], addressedThrough: '' });
  });

  it('rejects a duplicate name and names it', async () => {
    const response = await admin('POST', '/api/interested-parties', { body: { ...regulator, name: ' Dutch Data Protection Authority ' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({
      code: 'CONFLICT',
      message: 'An interested party named "Dutch Data Protection Authority" already exists; choose another name or update the existing party',
      details: [{ path: '/name', message: 'must be unique' }],
    });
  });

  it('lists every problem of an invalid party', async () => {
    const response = await admin('POST', '/api/interested-parties', {
      body: { name: '', category: 'press', relevantRequirements: ['  '], weight: 3 },
    });
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details;
    expect(details.map((detail: { path: string }) => detail.path).sort()).toEqual(['/category', '/name', '/relevantRequirements/0', '/weight']);
    expect(details).toContainEqual({
      path: '/category',
      message: 'must be one of regulator, customer, affected_person, employee, supplier, partner, investor, civil_society, other (received "press")',
    });
  });

  it('changes a party with If-Match and rejects a stale version', async () => {
    const party = (await admin('POST', '/api/interested-parties', { body: { name: 'Works council', category: 'employee' } })).json();
    const changed = await admin('PATCH', `/api/interested-parties/${party.id}?reason=Consultation%20agreed`, {
      body: { relevantRequirements: ['Consultation before monitoring employees with AI'] },
      headers: { 'if-match': '"1"' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.json().relevantRequirements).toEqual(['Consultation before monitoring employees with AI']);

    const stale = await admin('PATCH', `/api/interested-parties/${party.id}`, { body: { addressedThrough: 'Lost' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const clash = await admin('PATCH', `/api/interested-parties/${party.id}`, { body: { name: 'Loan applicants' } });
    expect(clash.statusCode).toBe(409);
    const empty = await admin('PATCH', `/api/interested-parties/${party.id}`, { body: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('filters, sorts and paginates with the total', async () => {
    const page = (await server.as('risk_owner')('GET', '/api/interested-parties?sort=-name&limit=2&offset=1')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((party: { name: string }) => party.name)).toEqual(['Loan applicants', 'Dutch Data Protection Authority']);

    const regulators = (await admin('GET', '/api/interested-parties?category=regulator')).json();
    expect(regulators.items.map((party: { name: string }) => party.name)).toEqual(['Dutch Data Protection Authority']);
    const searched = (await admin('GET', '/api/interested-parties?q=ARTICLE%2022')).json();
    expect(searched.total).toBe(1);
    const wildcard = (await admin('GET', '/api/interested-parties?q=%25')).json();
    expect(wildcard.total).toBe(0);
  });

  it('deletes a party and keeps its history', async () => {
    const party = (await admin('POST', '/api/interested-parties', { body: { name: 'Former supplier', category: 'supplier' } })).json();
    const deleted = await admin('DELETE', `/api/interested-parties/${party.id}`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await admin('GET', `/api/interested-parties/${party.id}`)).statusCode).toBe(404);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=interested_party&recordId=${party.id}`)).json();
    expect(events.items.map((event: { action: string }) => event.action)).toEqual(['interested_party.deleted', 'interested_party.created']);
    expect(events.items[0].before).toEqual(party);
  });

  it('rejects changes by a role without organization.write', async () => {
    const party = (await admin('GET', '/api/interested-parties?limit=1')).json().items[0];
    for (const [method, url, body] of [
      ['POST', '/api/interested-parties', { name: 'Shadow party', category: 'other' }],
      ['PATCH', `/api/interested-parties/${party.id}`, { addressedThrough: 'Changed' }],
      ['DELETE', `/api/interested-parties/${party.id}`, undefined],
    ] as const) {
      const response = await server.as('ai_system_owner')(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    const nobody = callerWith([], 'nobody');
    await expect(listInterestedParties(ctx, nobody, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getInterestedParty(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
