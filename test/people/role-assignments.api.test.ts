import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRoleAssignment, listRoleAssignments } from '../../src/people/role-assignments.service.js';
import { roles } from '../../src/platform/auth/roles.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('role assignments API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: RequestSender;
  let rita: string;
  let system: { id: string; name: string };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    admin = server.as('administrator');
    rita = (await admin('POST', '/api/people', { body: { name: 'Rita Risk' } })).json().id;
    system = (await admin('POST', '/api/ai-systems', { body: { name: 'Loan triage', purpose: 'Sorts loan requests', businessUnit: 'Lending' } })).json();
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('assigns every role for the organization', async () => {
    for (const role of roles) {
      const response = await admin('POST', '/api/role-assignments', { body: { personId: rita, role } });
      expect(response.statusCode, role).toBe(201);
      expect(response.json()).toMatchObject({ personId: rita, role, aiSystemId: null, version: 1 });
    }
    const page = (await server.as('internal_auditor')('GET', `/api/role-assignments?personId=${rita}&organizationWide=true&limit=100`)).json();
    expect(page.total).toBe(roles.length);
  });

  it('assigns a role for one AI system', async () => {
    const response = await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'risk_owner', aiSystemId: system.id } });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe(`/api/role-assignments/${response.json().id}`);
    const read = await server.as('validator')('GET', `/api/role-assignments/${response.json().id}`);
    expect(read.json()).toEqual(response.json());
    expect(read.headers.etag).toBe('"1"');
  });

  it('rejects the same role twice in one scope', async () => {
    const perSystem = await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'risk_owner', aiSystemId: system.id } });
    expect(perSystem.statusCode).toBe(409);
    expect(perSystem.json().error.message).toBe(
      '"Rita Risk" already has the role risk_owner for the AI system "Loan triage"; a person has each role at most once per scope',
    );
    const organizationWide = await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'validator', aiSystemId: null } });
    expect(organizationWide.statusCode).toBe(409);
    expect(organizationWide.json().error.message).toContain('already has the role validator for the whole organization');
  });

  it('rejects an unknown role, person and system', async () => {
    const badRole = await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'janitor' } });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.details).toEqual([{ path: '/role', message: `must be one of ${roles.join(', ')} (received "janitor")` }]);

    const badPerson = await admin('POST', '/api/role-assignments', { body: { personId: 'nobody', role: 'approver' } });
    expect(badPerson.json().error.details).toEqual([{ path: '/personId', message: 'no person with id "nobody" exists; check the id or create the person first' }]);

    const badSystem = await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'approver', aiSystemId: 'missing' } });
    expect(badSystem.statusCode).toBe(400);
    expect(badSystem.json().error.details[0].path).toBe('/aiSystemId');
  });

  it('filters by system and role and sorts', async () => {
    const bySystem = (await admin('GET', `/api/role-assignments?aiSystemId=${system.id}`)).json();
    expect(bySystem.items.map((item: { role: string }) => item.role)).toEqual(['risk_owner']);

    const sorted = (await admin('GET', `/api/role-assignments?personId=${rita}&sort=-role&limit=2`)).json();
    expect(sorted.total).toBe(roles.length + 1);
    expect(sorted.items.map((item: { role: string }) => item.role)).toEqual(['validator', 'risk_owner']);

    const bad = await admin('GET', '/api/role-assignments?role=janitor');
    expect(bad.statusCode).toBe(400);
  });

  it('deletes an assignment with If-Match and audits it', async () => {
    const created = (await admin('POST', '/api/role-assignments', { body: { personId: rita, role: 'approver', aiSystemId: system.id } })).json();
    const stale = await admin('DELETE', `/api/role-assignments/${created.id}`, { headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await admin('DELETE', `/api/role-assignments/${created.id}?reason=Left%20the%20project`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await admin('DELETE', `/api/role-assignments/${created.id}`)).statusCode).toBe(404);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordType=role_assignment&recordId=${created.id}`)).json();
    expect(events.items.map((event: { action: string }) => event.action).sort()).toEqual(['role_assignment.created', 'role_assignment.deleted']);
    const deletion = events.items.find((event: { action: string }) => event.action === 'role_assignment.deleted');
    expect(deletion).toMatchObject({ before: created, after: null, reason: 'Left the project' });
  });

  it('rejects changes by a role without people.write', async () => {
    const assignment = (await admin('GET', `/api/role-assignments?personId=${rita}&limit=1`)).json().items[0];
    const create = await server.as('ai_system_owner')('POST', '/api/role-assignments', { body: { personId: rita, role: 'approver' } });
    expect(create.statusCode).toBe(403);
    const remove = await server.as('internal_auditor')('DELETE', `/api/role-assignments/${assignment.id}`);
    expect(remove.statusCode).toBe(403);
  });

  it('rejects reads by a caller without roles', async () => {
    const ctx = testContext(database);
    const nobody = callerWith([], 'nobody');
    await expect(listRoleAssignments(ctx, nobody, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getRoleAssignment(ctx, nobody, 'any')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
