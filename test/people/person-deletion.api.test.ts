import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { insertUser } from '../../src/users/users.service.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

const placeholderHash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

describe.each(databaseKinds)('person deletion on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
    // Issues the auditor's token now, so that its audit event comes before the ones under test.
    await server.as('internal_auditor')('GET', '/api/audit-events?limit=1');
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const addPerson = async (body: Record<string, unknown>) => (await admin('POST', '/api/people', { body })).json() as { id: string; version: number };

  it('keeps a person with responsibilities', async () => {
    const manager = await addPerson({ name: 'Mona Manager' });
    await addPerson({ name: 'Rick Report', reportsToId: manager.id });
    const system = (await admin('POST', '/api/ai-systems', { body: { name: 'Owned system', purpose: 'Test', businessUnit: 'Unit', ownerId: manager.id } })).json();
    await admin('POST', '/api/role-assignments', { body: { personId: manager.id, role: 'approver' } });
    await admin('POST', `/api/ai-systems/${system.id}/raci`, { body: { activity: 'Approval', responsibility: 'accountable', personId: manager.id } });
    await admin('POST', '/api/teams', { body: { name: 'Chaired team', kind: 'team', memberIds: [manager.id], chairId: manager.id } });

    const response = await admin('DELETE', `/api/people/${manager.id}`);
    expect(response.statusCode).toBe(409);
    const error = response.json().error;
    expect(error.message).toBe(
      '"Mona Manager" cannot be deleted while they still carry responsibility (1 direct report(s), owner of 1 AI system(s), 1 role assignment(s), 1 RACI assignment(s), chair of 1 team(s)); hand it over or remove it first',
    );
    expect(error.details.map((detail: { path: string }) => detail.path)).toEqual(['directReports', 'ownedAiSystems', 'roleAssignments', 'raciAssignments', 'chairedTeams']);
    expect((await admin('GET', `/api/people/${manager.id}`)).statusCode).toBe(200);
  });

  it('removes memberships and account links', async () => {
    const leaver = await addPerson({ name: 'Lee Leaver' });
    const stayer = await addPerson({ name: 'Sue Stayer' });
    const team = (await admin('POST', '/api/teams', { body: { name: 'Ethics committee', kind: 'committee', memberIds: [leaver.id, stayer.id], chairId: stayer.id } })).json();
    const ctx = testContext(database);
    const account = await writeTransaction(database, (trx) =>
      insertUser(trx, systemCaller, ctx.clock.now(), { username: 'lee', roles: ['validator'], personId: leaver.id }, placeholderHash),
    );

    const stale = await admin('DELETE', `/api/people/${leaver.id}`, { headers: { 'if-match': '"9"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await admin('DELETE', `/api/people/${leaver.id}?reason=Left%20the%20company`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);

    expect((await admin('GET', `/api/people/${leaver.id}`)).statusCode).toBe(404);
    const teamAfter = (await admin('GET', `/api/teams/${team.id}`)).json();
    expect(teamAfter).toMatchObject({ memberIds: [stayer.id], version: 2 });

    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?limit=3')).json().items;
    expect(events.map((event: { action: string }) => event.action)).toEqual(['person.deleted', 'user.updated', 'team.updated']);
    expect(events[0]).toMatchObject({ recordId: leaver.id, reason: 'Left the company', before: { name: 'Lee Leaver' } });
    expect(events[1]).toMatchObject({ recordId: account.id, before: { personId: leaver.id }, after: { personId: null, version: 2 } });
    expect(events[2]).toMatchObject({ recordId: team.id, before: { version: 1 }, after: { memberIds: [stayer.id], version: 2 } });

    const stored = await database.db.selectFrom('users').select(['person_id', 'version']).where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ person_id: null, version: 2 });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
