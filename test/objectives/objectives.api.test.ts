import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertObjective } from '../../src/objectives/objectives.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(databaseKinds)('objectives API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let ownerId: string;
  let systemId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The stepping clock starts at 2026-01-01T00:00:00Z and moves one second per read.
    server = await startTestServer(testContext(database));
    ownerId = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Katherine Metrics' } })).json().id;
    const system = await server.as('administrator')('POST', '/api/ai-systems', {
      body: { name: 'Loan screening', purpose: 'Ranks loan applications for manual review', businessUnit: 'Retail credit' },
    });
    expect(system.statusCode).toBe(201);
    systemId = system.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const objectiveBody = (overrides: Record<string, unknown> = {}) => ({
    title: 'Explain every adverse decision',
    metricName: 'Share of adverse decisions with an explanation',
    targetValue: 95,
    unit: '%',
    direction: 'at_least',
    ownerPersonId: ownerId,
    dueDate: '2026-12-31',
    ...overrides,
  });

  const createObjective = async (overrides: Record<string, unknown> = {}, role: Role = 'risk_owner') => {
    const response = await server.as(role)('POST', '/api/objectives', { body: objectiveBody(overrides) });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  const record = async (objectiveId: string, body: Record<string, unknown>) => {
    const response = await server.as('risk_owner')('POST', `/api/objectives/${objectiveId}/measurements`, { body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  it('creates an objective with its links and reads it back', async () => {
    const created = await server.as('oversight_board_member')('POST', '/api/objectives', {
      body: objectiveBody({ catalogueRefs: ['iso42001:C.2.5', 'iso42001:6.2'], aiSystemIds: [systemId], description: 'Clause 6.2 objective for transparency' }),
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const objective = created.json();
    expect(objective).toMatchObject({
      status: 'planned',
      currentValue: null,
      measuredAt: null,
      targetMet: null,
      catalogueRefs: ['iso42001:6.2', 'iso42001:C.2.5'],
      aiSystemIds: [systemId],
      version: 1,
    });
    const read = await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}`);
    expect(read.json()).toEqual(objective);
    expect(read.headers.etag).toBe('"1"');
  });

  it('keeps the KPI history and shows whether an at_least target is met', async () => {
    const objective = await createObjective();
    const first = await record(objective.id, { value: 90, note: 'Sample of 200 decisions' });
    expect(first.objective).toMatchObject({ currentValue: 90, targetMet: false, version: 2 });
    expect(first.measurement).toMatchObject({ value: 90, note: 'Sample of 200 decisions' });
    expect(first.objective.measuredAt).toBe(first.measurement.measuredAt);

    const second = await record(objective.id, { value: 97.5 });
    expect(second.objective).toMatchObject({ currentValue: 97.5, targetMet: true });

    // A value measured before the current one joins the history without replacing it.
    const backdated = await record(objective.id, { value: 10, measuredAt: '2025-12-01T12:00:00+02:00' });
    expect(backdated.measurement.measuredAt).toBe('2025-12-01T10:00:00.000Z');
    expect(backdated.objective).toMatchObject({ currentValue: 97.5, targetMet: true, version: 4 });

    const history = (await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}/measurements`)).json();
    expect(history.total).toBe(3);
    expect(history.items.map((measurement: { value: number }) => measurement.value)).toEqual([10, 90, 97.5]);
    const newest = (await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}/measurements?sort=-measuredAt&limit=1`)).json();
    expect(newest.items.map((measurement: { value: number }) => measurement.value)).toEqual([97.5]);

    const raised = await server.as('risk_owner')('PATCH', `/api/objectives/${objective.id}`, { body: { targetValue: 99 }, headers: { 'if-match': '"4"' } });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ targetValue: 99, currentValue: 97.5, targetMet: false, version: 5 });

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${objective.id}&action=objective.measurement_recorded`)).json();
    expect(events.total).toBe(3);
    expect(events.items.map((event: { after: { measurement: { value: number } } }) => event.after.measurement.value).sort()).toEqual([10, 90, 97.5]);
  });

  it('meets at_most and equal targets in their direction', async () => {
    const incidents = await createObjective({ title: 'Few serious incidents', metricName: 'Serious incidents per quarter', targetValue: 5, unit: 'incidents', direction: 'at_most' });
    expect((await record(incidents.id, { value: 7 })).objective.targetMet).toBe(false);
    expect((await record(incidents.id, { value: 5 })).objective.targetMet).toBe(true);
    expect((await record(incidents.id, { value: 3 })).objective.targetMet).toBe(true);

    const unreviewed = await createObjective({ title: 'No unreviewed systems', metricName: 'AI systems without an impact assessment', targetValue: 0, unit: '', direction: 'equal' });
    expect((await record(unreviewed.id, { value: 1 })).objective.targetMet).toBe(false);
    expect((await record(unreviewed.id, { value: 0 })).objective.targetMet).toBe(true);
    expect((await record(unreviewed.id, { value: -1 })).objective.targetMet).toBe(false);
  });

  it('filters, sorts and paginates objectives', async () => {
    const met = await createObjective({ title: 'Filter met', dueDate: '2026-03-31', status: 'on_track', aiSystemIds: [systemId], catalogueRefs: ['iso42001:C.2.10'] });
    await record(met.id, { value: 99 });
    const missed = await createObjective({ title: 'Filter missed', dueDate: '2026-04-30', status: 'at_risk', catalogueRefs: ['iso42001:C.2.10'] });
    await record(missed.id, { value: 50 });
    await createObjective({ title: 'Filter unmeasured', dueDate: '2026-05-31', catalogueRefs: ['iso42001:C.2.10'] });

    const ids = async (query: string) =>
      (await server.as('internal_auditor')('GET', `/api/objectives?catalogueRef=iso42001:C.2.10&${query}`)).json().items.map((objective: { title: string }) => objective.title);
    expect(await ids('')).toEqual(['Filter met', 'Filter missed', 'Filter unmeasured']);
    expect(await ids('targetMet=true')).toEqual(['Filter met']);
    expect(await ids('targetMet=false')).toEqual(['Filter missed']);
    expect(await ids('status=at_risk')).toEqual(['Filter missed']);
    expect(await ids(`aiSystemId=${systemId}`)).toEqual(['Filter met']);
    expect(await ids('dueBefore=2026-04-30')).toEqual(['Filter met', 'Filter missed']);
    expect(await ids('sort=-dueDate')).toEqual(['Filter unmeasured', 'Filter missed', 'Filter met']);
    expect(await ids(`ownerPersonId=${ownerId}&q=FILTER%20M`)).toEqual(['Filter met', 'Filter missed']);

    const page = (await server.as('internal_auditor')('GET', '/api/objectives?catalogueRef=iso42001:C.2.10&limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items[0].title).toBe('Filter missed');
  });

  it('rejects invalid objective input naming the value', async () => {
    const before = await countAuditEvents();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ dueDate: '2026-13-01' }, '/dueDate', 'must be a date as YYYY-MM-DD (received "2026-13-01")'],
      [{ dueDate: '31/12/2026' }, '/dueDate', 'must be a date as YYYY-MM-DD (received "31/12/2026")'],
      [{ direction: 'more' }, '/direction', 'must be one of at_least, at_most, equal (received "more")'],
      [{ status: 'done' }, '/status', 'must be one of planned, on_track, at_risk, achieved, missed (received "done")'],
      [{ targetValue: '95' }, '/targetValue', '(received "95")'],
      [{ targetValue: 1e16 }, '/targetValue', 'must be 1000000000000000 or less'],
      [{ metricName: ' ' }, '/metricName', 'must not be blank'],
    ];
    for (const [overrides, path, message] of cases) {
      const response = await server.as('risk_owner')('POST', '/api/objectives', { body: objectiveBody(overrides) });
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error.details[0].path).toBe(path);
      expect(response.json().error.details[0].message).toContain(message);
    }

    const references: Array<[Record<string, unknown>, { path: string; message: string }]> = [
      [{ ownerPersonId: 'no-such-person' }, { path: '/ownerPersonId', message: 'no person with id "no-such-person" exists; check the id or create the person first' }],
      [
        { catalogueRefs: ['iso42001:6.2', 'iso42001:C.9.9'] },
        { path: '/catalogueRefs/1', message: '"iso42001:C.9.9" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' },
      ],
      [{ aiSystemIds: [systemId, 'no-such-system'] }, { path: '/aiSystemIds/1', message: 'no AI system with id "no-such-system" exists; check the id or create the AI system first' }],
    ];
    for (const [overrides, detail] of references) {
      const response = await server.as('risk_owner')('POST', '/api/objectives', { body: objectiveBody({ title: 'Never stored', ...overrides }) });
      expect(response.statusCode, detail.path).toBe(400);
      expect(response.json().error.details).toEqual([detail]);
    }
    expect(await countAuditEvents()).toBe(before);
    expect((await server.as('internal_auditor')('GET', '/api/objectives?q=Never%20stored')).json().total).toBe(0);

    const objective = await createObjective({ title: 'Measured carefully' });
    const future = await server.as('risk_owner')('POST', `/api/objectives/${objective.id}/measurements`, { body: { value: 1, measuredAt: '2030-01-01T00:00:00Z' } });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details[0].path).toBe('/measuredAt');
    expect(future.json().error.details[0].message).toContain('must not lie in the future (received "2030-01-01T00:00:00Z"');
    const badValue = await server.as('risk_owner')('POST', `/api/objectives/${objective.id}/measurements`, { body: { value: null } });
    expect(badValue.statusCode).toBe(400);
    const history = (await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}/measurements`)).json();
    expect(history.total).toBe(0);
    expect((await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}`)).json()).toEqual(objective);
  });

  it('answers 412 to a stale If-Match and 404 to an unknown objective', async () => {
    const objective = await createObjective({ title: 'Concurrent edits' });
    expect((await server.as('risk_owner')('PATCH', `/api/objectives/${objective.id}`, { body: { status: 'on_track' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(200);
    const stale = await server.as('risk_owner')('PATCH', `/api/objectives/${objective.id}`, { body: { status: 'missed' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const staleRecord = await server.as('risk_owner')('POST', `/api/objectives/${objective.id}/measurements`, { body: { value: 1 }, headers: { 'if-match': '"1"' } });
    expect(staleRecord.statusCode).toBe(412);
    expect((await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}`)).json().status).toBe('on_track');

    expect((await server.as('internal_auditor')('GET', '/api/objectives/no-such-objective')).statusCode).toBe(404);
    expect((await server.as('risk_owner')('POST', '/api/objectives/no-such-objective/measurements', { body: { value: 1 } })).statusCode).toBe(404);
  });

  it('deletes an objective with its history, keeping the history in the audit trail', async () => {
    const objective = await createObjective({ title: 'Short-lived objective', aiSystemIds: [systemId], catalogueRefs: ['iso42001:6.2'] });
    await record(objective.id, { value: 42 });
    expect((await server.as('risk_owner')('DELETE', `/api/objectives/${objective.id}`, { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    expect((await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}`)).statusCode).toBe(404);
    const deletion = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${objective.id}&action=objective.deleted`)).json();
    expect(deletion.items[0].before.measurements.map((measurement: { value: number }) => measurement.value)).toEqual([42]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('rejects every change by a caller without the permission', async () => {
    const objective = await createObjective({ title: 'Guarded objective' });
    const attempts: Array<[Role, 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['internal_auditor', 'POST', '/api/objectives', objectiveBody({ title: 'Auditor objective' })],
      ['internal_auditor', 'PATCH', `/api/objectives/${objective.id}`, { status: 'achieved' }],
      ['internal_auditor', 'DELETE', `/api/objectives/${objective.id}`, undefined],
      ['internal_auditor', 'POST', `/api/objectives/${objective.id}/measurements`, { value: 100 }],
      ['ai_system_owner', 'POST', '/api/objectives', objectiveBody({ title: 'Owner objective' })],
      ['approver', 'POST', `/api/objectives/${objective.id}/measurements`, { value: 100 }],
    ];
    for (const [role, method, url, body] of attempts) {
      const response = await server.as(role)(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${role} ${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect((await server.as('internal_auditor')('GET', `/api/objectives/${objective.id}`)).json()).toEqual(objective);
    await expect(
      writeTransaction(database, (trx) => insertObjective(trx, callerWith(['internal_auditor']), new Date(), objectiveBody() as never)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  async function countAuditEvents(): Promise<number> {
    const row = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    return Number(row.total);
  }
});
