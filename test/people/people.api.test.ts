import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPerson, getReportingLine, listPeople } from '../../src/people/people.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('people API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;

  const addPerson = async (body: Record<string, unknown>) => {
    const response = await admin('POST', '/api/people', { body });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; name: string; version: number };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('creates and reads a person with its ETag', async () => {
    const created = await admin('POST', '/api/people', { body: { name: ' Ada Lovelace ', email: 'Ada@Example.org', jobTitle: 'Chief risk officer' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const person = created.json();
    expect(person).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.org', reportsToId: null, isBoardMember: false, version: 1 });

    const read = await server.as('internal_auditor')('GET', `/api/people/${person.id}`);
    expect(read.json()).toEqual(person);
    expect(read.headers.etag).toBe('"1"');
  });

  it('rejects a duplicate email ignoring case', async () => {
    const response = await admin('POST', '/api/people', { body: { name: 'Another Ada', email: 'ADA@example.org' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toEqual({
      code: 'CONFLICT',
      message: 'A person with email "ada@example.org" already exists; use another email or update the existing person',
      details: [{ path: '/email', message: 'must be unique' }],
    });
  });

  it('lists every problem of an invalid person', async () => {
    const response = await admin('POST', '/api/people', { body: { name: '', email: 'not-an-email', isBoardMember: 'yes', badge: 7 } });
    expect(response.statusCode).toBe(400);
    const details: { path: string; message: string }[] = response.json().error.details;
    expect([...new Set(details.map((detail) => detail.path))].sort()).toEqual(['/badge', '/email', '/isBoardMember', '/name']);
    expect(details).toContainEqual({ path: '/email', message: 'must be an email address, or null (received "not-an-email")' });
    expect(details).toContainEqual({ path: '/name', message: 'must not be blank (received "")' });
  });

  it('rejects an unknown manager', async () => {
    const response = await admin('POST', '/api/people', { body: { name: 'Orphan', reportsToId: 'no-such-person' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/reportsToId', message: 'no person with id "no-such-person" exists; check the id or create the person first' },
    ]);
  });

  it('rejects a person reporting to themselves', async () => {
    const solo = await addPerson({ name: 'Solo Manager' });
    const response = await admin('PATCH', `/api/people/${solo.id}`, { body: { reportsToId: solo.id } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0]).toEqual({ path: '/reportsToId', message: '"Solo Manager" cannot report to themselves; choose another person or null' });
  });

  it('rejects a reporting cycle and names the people in it', async () => {
    const chair = await addPerson({ name: 'Cara Chair', isBoardMember: true });
    const director = await addPerson({ name: 'Dan Director', reportsToId: chair.id });
    const lead = await addPerson({ name: 'Lea Lead', reportsToId: director.id });

    const response = await admin('PATCH', `/api/people/${chair.id}`, { body: { reportsToId: lead.id } });
    expect(response.statusCode).toBe(409);
    const error = response.json().error;
    expect(error.message).toBe(
      '"Cara Chair" cannot report to "Lea Lead", because "Lea Lead" is already below "Cara Chair" and the change would create the reporting cycle Cara Chair → Lea Lead → Dan Director → Cara Chair; choose a manager who is not below "Cara Chair"',
    );
    expect(error.details).toEqual([{ path: '/reportsToId', message: 'would create the reporting cycle Cara Chair → Lea Lead → Dan Director → Cara Chair' }]);

    const unchanged = (await admin('GET', `/api/people/${chair.id}`)).json();
    expect(unchanged.reportsToId).toBeNull();
    expect(unchanged.version).toBe(1);
  });

  it('ends the reporting line at board level', async () => {
    const owner = await addPerson({ name: 'Olga Owner', isBoardMember: true });
    const chair = await addPerson({ name: 'Bo Board', isBoardMember: true, reportsToId: owner.id });
    const head = await addPerson({ name: 'Hal Head', reportsToId: chair.id });
    const analyst = await addPerson({ name: 'Ann Analyst', reportsToId: head.id });

    const response = await server.as('validator')('GET', `/api/people/${analyst.id}/reporting-line`);
    expect(response.statusCode).toBe(200);
    const line = response.json();
    expect(line.person.name).toBe('Ann Analyst');
    expect(line.chain.map((person: { name: string }) => person.name)).toEqual(['Hal Head', 'Bo Board']);
    expect(line.reachesBoard).toBe(true);

    const top = (await server.as('validator')('GET', `/api/people/${chair.id}/reporting-line`)).json();
    expect(top).toMatchObject({ chain: [], reachesBoard: true });
  });

  it('reports a line that never reaches the board', async () => {
    const boss = await addPerson({ name: 'Sam Solo' });
    const report = await addPerson({ name: 'Rae Report', reportsToId: boss.id });
    const line = (await admin('GET', `/api/people/${report.id}/reporting-line`)).json();
    expect(line.chain.map((person: { name: string }) => person.name)).toEqual(['Sam Solo']);
    expect(line.reachesBoard).toBe(false);

    const missing = await admin('GET', '/api/people/nobody/reporting-line');
    expect(missing.statusCode).toBe(404);
  });

  it('moves a person under another manager', async () => {
    const first = await addPerson({ name: 'Mia Manager' });
    const second = await addPerson({ name: 'Max Manager' });
    const worker = await addPerson({ name: 'Will Worker', reportsToId: first.id });
    const moved = await admin('PATCH', `/api/people/${worker.id}?reason=Reorganization`, { body: { reportsToId: second.id }, headers: { 'if-match': '"1"' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ reportsToId: second.id, version: 2 });
    expect(moved.headers.etag).toBe('"2"');

    const stale = await admin('PATCH', `/api/people/${worker.id}`, { body: { reportsToId: first.id }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
  });

  it('filters, sorts and paginates with the total', async () => {
    for (const name of ['Page Ed', 'Page Bo', 'Page Al', 'Page Di', 'Page Cy']) {
      await addPerson({ name, jobTitle: 'Pager', isBoardMember: name === 'Page Cy' });
    }
    const page = (await server.as('risk_owner')('GET', '/api/people?q=pager&sort=-name&limit=2&offset=1')).json();
    expect(page.total).toBe(5);
    expect(page.items.map((person: { name: string }) => person.name)).toEqual(['Page Di', 'Page Cy']);

    const board = (await admin('GET', '/api/people?q=page&isBoardMember=true')).json();
    expect(board.items.map((person: { name: string }) => person.name)).toEqual(['Page Cy']);

    const bad = await admin('GET', '/api/people?sort=age&limit=1000');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['querystring:/limit', 'querystring:/sort']);
  });

  it('rejects changes by a role without people.write', async () => {
    const person = await addPerson({ name: 'Guarded Person' });
    for (const [method, url, body] of [
      ['POST', '/api/people', { name: 'Intruder' }],
      ['PATCH', `/api/people/${person.id}`, { name: 'Renamed' }],
      ['DELETE', `/api/people/${person.id}`, undefined],
    ] as const) {
      const response = await server.as('internal_auditor')(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    const nobody = callerWith([], 'nobody');
    await expect(listPeople(ctx, nobody, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getPerson(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getReportingLine(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits changes as API records', async () => {
    const person = await addPerson({ name: 'Audited Person', email: 'audited@example.org' });
    await admin('PATCH', `/api/people/${person.id}`, { body: { jobTitle: 'Auditor' } });
    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=person&recordId=${person.id}`)).json();
    expect(events.items.map((event: { action: string }) => event.action).sort()).toEqual(['person.created', 'person.updated']);
    const update = events.items.find((event: { action: string }) => event.action === 'person.updated');
    expect(update.before).toMatchObject({ id: person.id, jobTitle: '', version: 1, isBoardMember: false });
    expect(update.after).toMatchObject({ id: person.id, jobTitle: 'Auditor', version: 2, email: 'audited@example.org' });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
