import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRaciAssignment, listRaciAssignments } from '../../src/people/raci-assignments.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('RACI API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;
  let ids: { ana: string; bob: string; board: string; system: string };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
    const ana = (await admin('POST', '/api/people', { body: { name: 'Ana Accountable' } })).json().id;
    const bob = (await admin('POST', '/api/people', { body: { name: 'Bob Builder' } })).json().id;
    const board = (await admin('POST', '/api/teams', { body: { name: 'AI oversight board', kind: 'board', memberIds: [ana] } })).json().id;
    const system = (await admin('POST', '/api/ai-systems', { body: { name: 'Claims triage', purpose: 'Routes insurance claims', businessUnit: 'Claims' } })).json().id;
    ids = { ana, bob, board, system };
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const raciUrl = () => `/api/ai-systems/${ids.system}/raci`;

  it('assigns people and teams to an activity', async () => {
    const accountable = await admin('POST', raciUrl(), { body: { activity: '  Deployment   approval ', responsibility: 'accountable', personId: ids.ana } });
    expect(accountable.statusCode).toBe(201);
    expect(accountable.headers.etag).toBe('"1"');
    expect(accountable.json()).toMatchObject({ aiSystemId: ids.system, activity: 'Deployment approval', personId: ids.ana, teamId: null });

    const consulted = await admin('POST', raciUrl(), { body: { activity: 'Deployment approval', responsibility: 'consulted', teamId: ids.board } });
    expect(consulted.statusCode).toBe(201);
    const responsible = await admin('POST', raciUrl(), { body: { activity: 'deployment approval', responsibility: 'responsible', personId: ids.bob } });
    expect(responsible.statusCode).toBe(201);
    expect(responsible.json().activity).toBe('Deployment approval');

    const read = await server.as('internal_auditor')('GET', `/api/raci-assignments/${accountable.json().id}`);
    expect(read.json()).toEqual(accountable.json());
  });

  it('allows one accountable party per activity, ignoring case', async () => {
    const response = await admin('POST', raciUrl(), { body: { activity: 'DEPLOYMENT APPROVAL', responsibility: 'accountable', teamId: ids.board } });
    expect(response.statusCode).toBe(409);
    const error = response.json().error;
    expect(error.message).toMatch(
      /^The activity "Deployment approval" of AI system "Claims triage" already has an accountable party, the person "Ana Accountable"\. RACI allows one accountable party per activity, so delete that assignment \(DELETE \/api\/raci-assignments\/[\w-]+\) or make this party responsible$/,
    );
    expect(error.details).toEqual([{ path: '/responsibility', message: 'the activity already has an accountable party' }]);
  });

  it('rejects the same party twice for one responsibility', async () => {
    const response = await admin('POST', raciUrl(), { body: { activity: 'Deployment approval', responsibility: 'consulted', teamId: ids.board } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe(
      'This assignment exists already: the board "AI oversight board" is consulted for the activity "Deployment approval" of AI system "Claims triage"',
    );
  });

  it('requires exactly one party', async () => {
    const neither = await admin('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'informed' } });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.details).toEqual([
      { path: '/personId', message: 'personId and teamId are both missing; give exactly one of them' },
      { path: '/teamId', message: 'personId and teamId are both missing; give exactly one of them' },
    ]);
    const both = await admin('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'informed', personId: ids.ana, teamId: ids.board } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0].message).toBe('personId and teamId are both given; give exactly one of them');
  });

  it('rejects unknown parties, systems and responsibilities', async () => {
    const person = await admin('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'informed', personId: 'ghost' } });
    expect(person.statusCode).toBe(400);
    expect(person.json().error.details).toEqual([{ path: '/personId', message: 'no person with id "ghost" exists; check the id or create the person first' }]);

    const team = await admin('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'informed', teamId: 'ghost' } });
    expect(team.json().error.details[0].path).toBe('/teamId');

    const system = await admin('POST', '/api/ai-systems/missing/raci', { body: { activity: 'Monitoring', responsibility: 'informed', personId: ids.ana } });
    expect(system.statusCode).toBe(404);

    const responsibility = await admin('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'approver', personId: ids.ana } });
    expect(responsibility.statusCode).toBe(400);
    expect(responsibility.json().error.details).toEqual([{ path: '/responsibility', message: 'must be one of responsible, accountable, consulted, informed (received "approver")' }]);
  });

  it('filters, sorts and paginates the assignments of a system', async () => {
    await admin('POST', raciUrl(), { body: { activity: 'Bias testing', responsibility: 'responsible', personId: ids.bob } });
    const page = (await server.as('validator')('GET', `${raciUrl()}?sort=-activity&limit=2`)).json();
    expect(page.total).toBe(4);
    expect(page.items.map((item: { activity: string }) => item.activity)).toEqual(['Deployment approval', 'Deployment approval']);

    const byActivity = (await server.as('validator')('GET', `${raciUrl()}?activity=DEPLOYMENT%20APPROVAL&responsibility=responsible`)).json();
    expect(byActivity.items).toHaveLength(1);
    expect(byActivity.items[0].personId).toBe(ids.bob);

    const byTeam = (await server.as('validator')('GET', `${raciUrl()}?teamId=${ids.board}`)).json();
    expect(byTeam.total).toBe(1);

    expect((await admin('GET', '/api/ai-systems/missing/raci')).statusCode).toBe(404);
  });

  it('deletes an assignment so another party can be accountable', async () => {
    const current = (await admin('GET', `${raciUrl()}?responsibility=accountable`)).json().items[0];
    const stale = await admin('DELETE', `/api/raci-assignments/${current.id}`, { headers: { 'if-match': '"2"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await admin('DELETE', `/api/raci-assignments/${current.id}`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);

    const replacement = await admin('POST', raciUrl(), { body: { activity: 'Deployment approval', responsibility: 'accountable', teamId: ids.board } });
    expect(replacement.statusCode).toBe(201);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=raci_assignment&recordId=${current.id}`)).json();
    expect(events.items.find((event: { action: string }) => event.action === 'raci_assignment.deleted').before).toEqual(current);
  });

  it('keeps a team that holds RACI assignments', async () => {
    const response = await admin('DELETE', `/api/teams/${ids.board}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('The board "AI oversight board" still has 2 RACI assignment(s)');
  });

  it('rejects changes by a role without people.write', async () => {
    const assignment = (await admin('GET', raciUrl())).json().items[0];
    const create = await server.as('ai_system_owner')('POST', raciUrl(), { body: { activity: 'Monitoring', responsibility: 'informed', personId: ids.ana } });
    expect(create.statusCode).toBe(403);
    const remove = await server.as('internal_auditor')('DELETE', `/api/raci-assignments/${assignment.id}`);
    expect(remove.statusCode).toBe(403);
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    const nobody = callerWith([], 'nobody');
    await expect(listRaciAssignments(ctx, nobody, ids.system, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getRaciAssignment(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('enforces one accountable party in the schema too', async () => {
    const row = {
      ai_system_id: ids.system,
      activity: 'SCHEMA CHECK',
      responsibility: 'accountable',
      person_id: ids.ana,
      team_id: null,
      version: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    await database.db.insertInto('raci_assignments').values({ ...row, id: 'schema-1' }).execute();
    await expect(
      database.db.insertInto('raci_assignments').values({ ...row, id: 'schema-2', activity: 'schema check', person_id: ids.bob }).execute(),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/) });
    await expect(
      database.db.insertInto('raci_assignments').values({ ...row, id: 'schema-3', responsibility: 'informed', team_id: ids.board }).execute(),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(23514|SQLITE_CONSTRAINT_CHECK)$/) });
    await database.db.deleteFrom('raci_assignments').where('id', '=', 'schema-1').execute();
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
