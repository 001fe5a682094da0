import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steppingClock, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface ListedEvent {
  seq: number;
  occurredAt: string;
  action: string;
}

describe.each(databaseKinds)('audit event list on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let events: ListedEvent[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The clock moves one second per reading, so each event gets its own instant.
    server = await startTestServer(testContext(database, steppingClock('2026-03-01T08:00:00.000Z')));
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const created = await server.as('administrator')('POST', '/api/people', { body: { name } });
      expect(created.statusCode, created.body).toBe(201);
    }
    const listed = await server.as('internal_auditor')('GET', '/api/audit-events?recordType=person&order=asc');
    expect(listed.statusCode, listed.body).toBe(200);
    events = listed.json().items;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const list = async (query: string) => {
    const response = await server.as('internal_auditor')('GET', `/api/audit-events?recordType=person&order=asc&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: ListedEvent[]; total: number };
  };

  it('has three person events at distinct instants', () => {
    expect(events.map((event) => event.action)).toEqual(['person.created', 'person.created', 'person.created']);
    expect(new Set(events.map((event) => event.occurredAt)).size).toBe(3);
  });

  it('keeps events from occurredFrom on, inclusive', async () => {
    const page = await list(`occurredFrom=${encodeURIComponent(events[1]!.occurredAt)}`);
    expect(page.items.map((event) => event.seq)).toEqual([events[1]!.seq, events[2]!.seq]);
    expect(page.total).toBe(2);
  });

  it('keeps events before occurredTo, exclusive', async () => {
    const page = await list(`occurredTo=${encodeURIComponent(events[1]!.occurredAt)}`);
    expect(page.items.map((event) => event.seq)).toEqual([events[0]!.seq]);
    expect(page.total).toBe(1);
  });

  it('compares bounds given in another time zone as instants', async () => {
    // 09:00 at UTC+01:00 is 08:00 UTC, before every event; the second event's instant written at UTC+02:00 keeps the last two.
    const second = new Date(events[1]!.occurredAt);
    const plusTwo = new Date(second.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect((await list(`occurredFrom=${encodeURIComponent('2026-03-01T09:00:00+01:00')}`)).total).toBe(3);
    expect((await list(`occurredFrom=${encodeURIComponent(plusTwo)}`)).total).toBe(2);
  });

  it('combines both bounds into a window', async () => {
    const page = await list(`occurredFrom=${encodeURIComponent(events[1]!.occurredAt)}&occurredTo=${encodeURIComponent(events[2]!.occurredAt)}`);
    expect(page.items.map((event) => event.seq)).toEqual([events[1]!.seq]);
  });

  it('rejects a bound that is not a date-time', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/audit-events?occurredFrom=yesterday');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.details[0].path).toBe('querystring:/occurredFrom');
  });
});
