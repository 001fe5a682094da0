import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTeam, listTeams } from '../../src/people/teams.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('teams API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;
  let ids: { ada: string; ben: string; cy: string };

  const addPerson = async (name: string) => (await admin('POST', '/api/people', { body: { name } })).json().id as string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
    ids = { ada: await addPerson('Ada'), ben: await addPerson('Ben'), cy: await addPerson('Cy') };
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('creates a board with members and a chair', async () => {
    const created = await admin('POST', '/api/teams', {
      body: { name: 'AI oversight board', kind: 'board', purpose: 'Oversees high-risk AI systems', memberIds: [ids.ben, ids.ada], chairId: ids.ada },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const team = created.json();
    expect(team).toMatchObject({ kind: 'board', chairId: ids.ada, memberIds: [ids.ada, ids.ben].sort(), version: 1 });

    const read = await server.as('internal_auditor')('GET', `/api/teams/${team.id}`);
    expect(read.json()).toEqual(team);
  });

  it('rejects a duplicate name', async () => {
    const response = await admin('POST', '/api/teams', { body: { name: 'AI oversight board', kind: 'committee' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe(
      'A team, committee or board named "AI oversight board" already exists; choose another name or update the existing one',
    );
  });

  it('rejects a chair who is not a member', async () => {
    const response = await admin('POST', '/api/teams', { body: { name: 'Ethics committee', kind: 'committee', chairId: ids.cy, memberIds: [ids.ada] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: '/chairId', message: `the chair "${ids.cy}" must be one of the members; add the person to memberIds first` },
    ]);
  });

  it('names each unknown member by its position', async () => {
    const response = await admin('POST', '/api/teams', { body: { name: 'Ghost team', kind: 'team', memberIds: [ids.ada, 'ghost-1', 'ghost-2'] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/memberIds/1', '/memberIds/2']);
  });

  it('rejects an unknown kind and duplicate members', async () => {
    const response = await admin('POST', '/api/teams', { body: { name: 'Guild', kind: 'guild', memberIds: [ids.ada, ids.ada] } });
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details;
    expect(details).toContainEqual({ path: '/kind', message: 'must be one of team, committee, board (received "guild")' });
    expect(details.map((detail: { path: string }) => detail.path)).toContain('/memberIds');
  });

  it('adds and removes members with audited versions', async () => {
    const team = (await admin('POST', '/api/teams', { body: { name: 'Model risk team', kind: 'team', memberIds: [ids.ada], chairId: ids.ada } })).json();

    const added = await admin('POST', `/api/teams/${team.id}/members`, { body: { personId: ids.cy }, headers: { 'if-match': '"1"' } });
    expect(added.statusCode).toBe(200);
    expect(added.headers.etag).toBe('"2"');
    expect(added.json().memberIds).toEqual([ids.ada, ids.cy].sort());

    const again = await admin('POST', `/api/teams/${team.id}/members`, { body: { personId: ids.cy } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`"Cy" (${ids.cy}) is already a member of the team "Model risk team"`);

    const chairRemoval = await admin('DELETE', `/api/teams/${team.id}/members/${ids.ada}`);
    expect(chairRemoval.statusCode).toBe(409);
    expect(chairRemoval.json().error.message).toContain('chairs the team "Model risk team"');

    const removed = await admin('DELETE', `/api/teams/${team.id}/members/${ids.cy}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ memberIds: [ids.ada], version: 3 });

    const notMember = await admin('DELETE', `/api/teams/${team.id}/members/${ids.ben}`);
    expect(notMember.statusCode).toBe(404);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=team&recordId=${team.id}`)).json();
    expect(events.items.map((event: { action: string }) => event.action).sort()).toEqual(['team.created', 'team.updated', 'team.updated']);
  });

  it('replaces the membership with PATCH and honours If-Match', async () => {
    const team = (await admin('POST', '/api/teams', { body: { name: 'Data team', kind: 'team', memberIds: [ids.ada] } })).json();
    const patched = await admin('PATCH', `/api/teams/${team.id}`, { body: { memberIds: [ids.ben, ids.cy], chairId: ids.cy }, headers: { 'if-match': '"1"' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ memberIds: [ids.ben, ids.cy].sort(), chairId: ids.cy, version: 2 });

    const stale = await admin('PATCH', `/api/teams/${team.id}`, { body: { purpose: 'Lost update' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const dropChairMembership = await admin('PATCH', `/api/teams/${team.id}`, { body: { memberIds: [ids.ben] } });
    expect(dropChairMembership.statusCode).toBe(400);
  });

  it('filters by kind and member, sorts and paginates', async () => {
    const page = (await server.as('validator')('GET', `/api/teams?memberId=${ids.ada}&sort=-name&limit=2`)).json();
    expect(page.total).toBe(2);
    expect(page.items.map((team: { name: string }) => team.name)).toEqual(['Model risk team', 'AI oversight board']);

    const boards = (await server.as('validator')('GET', '/api/teams?kind=board')).json();
    expect(boards.items.map((team: { name: string }) => team.name)).toEqual(['AI oversight board']);
  });

  it('deletes a team and keeps its history', async () => {
    const team = (await admin('POST', '/api/teams', { body: { name: 'Short-lived team', kind: 'team', memberIds: [ids.ben] } })).json();
    const deleted = await admin('DELETE', `/api/teams/${team.id}?reason=Merged`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await admin('GET', `/api/teams/${team.id}`)).statusCode).toBe(404);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=team&recordId=${team.id}`)).json();
    const deletion = events.items.find((event: { action: string }) => event.action === 'team.deleted');
    expect(deletion).toMatchObject({ reason: 'Merged', before: { name: 'Short-lived team', memberIds: [ids.ben] }, after: null });
  });

  it('rejects changes by a role without people.write', async () => {
    const team = (await admin('GET', '/api/teams?kind=board')).json().items[0];
    for (const [method, url, body] of [
      ['POST', '/api/teams', { name: 'Shadow board', kind: 'board' }],
      ['PATCH', `/api/teams/${team.id}`, { purpose: 'Taken over' }],
      ['DELETE', `/api/teams/${team.id}`, undefined],
      ['POST', `/api/teams/${team.id}/members`, { personId: ids.cy }],
      ['DELETE', `/api/teams/${team.id}/members/${ids.ben}`, undefined],
    ] as const) {
      const response = await server.as('oversight_board_member')(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    const nobody = callerWith([], 'nobody');
    await expect(listTeams(ctx, nobody, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getTeam(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
