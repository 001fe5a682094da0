import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/platform/clock.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Returns a clock that moves one second per read, like the stepping clock, and that a test can move ahead by whole days. */
function adjustableClock(start: string): Clock & { advanceDays(days: number): void } {
  let current = Date.parse(start);
  return {
    now: () => {
      const date = new Date(current);
      current += 1000;
      return date;
    },
    advanceDays: (days) => {
      current += days * 86_400_000;
    },
  };
}

interface RegisterItem {
  ref: string;
  state: string;
  required: string;
  documents: Array<{ id: string; status: string; reviewOverdue: boolean }>;
}

describe.each(databaseKinds)('documented information register on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: ReturnType<typeof adjustableClock>;
  let ownerId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clock = adjustableClock('2026-03-10T08:00:00.000Z');
    server = await startTestServer(testContext(database, clock));
    ownerId = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Grace Recordkeeper' } })).json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const register = async (query = '') => {
    const response = await server.as('internal_auditor')('GET', `/api/documented-information${query}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const itemOf = (body: { items: RegisterItem[] }, ref: string): RegisterItem => {
    const item = body.items.find((entry) => entry.ref === ref);
    expect(item, ref).toBeDefined();
    return item!;
  };

  const createDocument = async (body: Record<string, unknown>) => {
    const response = await server.as('risk_owner')('POST', '/api/documents', {
      body: { kind: 'policy', ownerPersonId: ownerId, reviewIntervalMonths: 12, retentionMonths: 60, ...body },
    });
    expect(response.statusCode).toBe(201);
    return response.json();
  };
  const approveNewVersion = async (documentId: string, content: string) => {
    const draft = (await server.as('risk_owner')('POST', `/api/documents/${documentId}/versions`, { body: { content, changeSummary: 'Issue' } })).json();
    const approved = await server.as('approver')('POST', `/api/documents/${documentId}/versions/${draft.id}/approve`, { body: {} });
    expect(approved.statusCode).toBe(200);
    return approved.json().document;
  };

  it('lists the 35 items that require documented information, all missing at first', async () => {
    const body = await register();
    expect(body.frameworkId).toBe('iso42001');
    expect(body.asOf).toBe('2026-03-10');
    expect(body.items).toHaveLength(35);
    expect(body.summary).toEqual({ total: 35, missing: 35, draftOnly: 0, recordsOnly: 0, approved: 0, reviewOverdue: 0, notApplicable: 0 });
    for (const item of body.items as RegisterItem[]) {
      expect(item.state).toBe('missing');
      expect(item.required.trim().length, item.ref).toBeGreaterThan(0);
      expect(item.ref.startsWith('iso42001:'), item.ref).toBe(true);
    }
    const refs = (body.items as RegisterItem[]).map((item) => item.ref);
    expect(refs).toContain('iso42001:5.2');
    expect(new Set(refs).size).toBe(35);
  });

  it('moves an item from missing to approved to review_overdue as time passes', async () => {
    const policy = await createDocument({ title: 'AI policy', isAiPolicy: true, catalogueRefs: ['iso42001:5.2'] });
    let body = await register();
    expect(itemOf(body, 'iso42001:5.2')).toMatchObject({ state: 'draft_only', documents: [{ id: policy.id, status: 'draft', reviewOverdue: false }] });
    expect(body.summary).toEqual({ total: 35, missing: 34, draftOnly: 1, recordsOnly: 0, approved: 0, reviewOverdue: 0, notApplicable: 0 });

    const approved = await approveNewVersion(policy.id, 'Our commitments for AI.');
    expect(approved.nextReviewDate).toBe('2027-03-10');
    body = await register();
    expect(itemOf(body, 'iso42001:5.2').state).toBe('approved');
    expect(body.summary).toMatchObject({ missing: 34, draftOnly: 0, approved: 1 });

    // On the review date itself the document is still current.
    clock.advanceDays(365);
    body = await register();
    expect(body.asOf).toBe('2027-03-10');
    expect(itemOf(body, 'iso42001:5.2').state).toBe('approved');

    clock.advanceDays(1);
    body = await register();
    expect(body.asOf).toBe('2027-03-11');
    expect(itemOf(body, 'iso42001:5.2')).toMatchObject({ state: 'review_overdue', documents: [{ id: policy.id, status: 'approved', reviewOverdue: true }] });
    expect(body.summary).toMatchObject({ approved: 0, reviewOverdue: 1, missing: 34 });

    const overdueOnly = await register('?state=review_overdue');
    expect(overdueOnly.items.map((item: RegisterItem) => item.ref)).toEqual(['iso42001:5.2']);
    expect(overdueOnly.summary.total).toBe(35);

    // A review that approves a new version moves the date a full interval ahead of the approval.
    const reviewed = await approveNewVersion(policy.id, 'Our commitments for AI, reviewed.');
    expect(reviewed.nextReviewDate).toBe('2028-03-11');
    expect(itemOf(await register(), 'iso42001:5.2').state).toBe('approved');

    const retired = await server.as('approver')('POST', `/api/documents/${policy.id}/retire`, { body: { reason: 'Merged into the group policy' } });
    expect(retired.statusCode).toBe(200);
    body = await register();
    expect(itemOf(body, 'iso42001:5.2')).toMatchObject({ state: 'missing', documents: [{ id: policy.id, status: 'retired' }] });
    expect(body.summary.missing).toBe(35);
  });

  it('counts an item approved while one of its documents is current', async () => {
    const older = await createDocument({ title: 'Impact assessment process, old', kind: 'procedure', catalogueRefs: ['iso42001:6.1.4'] });
    await approveNewVersion(older.id, 'The old process.');
    const newer = await createDocument({ title: 'Impact assessment process', kind: 'procedure', catalogueRefs: ['iso42001:6.1.4'] });
    await approveNewVersion(newer.id, 'The new process.');
    const past = await server.as('risk_owner')('PATCH', `/api/documents/${older.id}`, { body: { nextReviewDate: '2026-01-01' } });
    expect(past.statusCode).toBe(200);

    const item = itemOf(await register(), 'iso42001:6.1.4');
    expect(item.state).toBe('approved');
    expect(item.documents.map((document) => [document.id, document.reviewOverdue])).toEqual([
      [newer.id, false],
      [older.id, true],
    ]);
  });

  it('lists another framework and rejects an unknown one', async () => {
    const eu = await register('?framework=eu-ai-act');
    expect(eu.frameworkId).toBe('eu-ai-act');
    expect(eu.items.length).toBeGreaterThan(0);
    expect(eu.items.every((item: RegisterItem) => item.ref.startsWith('eu-ai-act:'))).toBe(true);

    const unknown = await server.as('internal_auditor')('GET', '/api/documented-information?framework=iso27001');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('"iso27001"');
    const badState = await server.as('internal_auditor')('GET', '/api/documented-information?state=stale');
    expect(badState.statusCode).toBe(400);
  });
});

describe.each(databaseKinds)('documents due for review on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let ownerId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The stepping clock starts at 2026-01-01 and stays on that day for this whole test.
    server = await startTestServer(testContext(database));
    ownerId = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Rosalind Reviewer' } })).json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const documentWithReview = async (title: string, nextReviewDate: string | null) => {
    const created = (
      await server.as('administrator')('POST', '/api/documents', {
        body: { title, kind: 'procedure', ownerPersonId: ownerId, reviewIntervalMonths: 6, retentionMonths: 36 },
      })
    ).json();
    if (nextReviewDate === null) return created;
    const updated = await server.as('administrator')('PATCH', `/api/documents/${created.id}`, { body: { nextReviewDate } });
    expect(updated.statusCode).toBe(200);
    return updated.json();
  };

  const titlesDue = async (query: string) => {
    const response = await server.as('internal_auditor')('GET', `/api/documents/review-due${query}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  it('lists overdue and upcoming reviews within the window', async () => {
    await documentWithReview('Overdue procedure', '2025-12-20');
    await documentWithReview('Due today', '2026-01-01');
    await documentWithReview('Due in ten days', '2026-01-11');
    await documentWithReview('Due in forty days', '2026-02-10');
    await documentWithReview('Never reviewed', null);
    const retired = await documentWithReview('Retired procedure', '2025-11-01');
    expect((await server.as('approver')('POST', `/api/documents/${retired.id}/retire`, { body: { reason: 'Obsolete' } })).statusCode).toBe(200);

    const standard = await titlesDue('');
    expect(standard).toMatchObject({ asOf: '2026-01-01', until: '2026-01-31', total: 3 });
    expect(standard.items.map((entry: { document: { title: string }; daysUntilReview: number; overdue: boolean }) => [entry.document.title, entry.daysUntilReview, entry.overdue])).toEqual([
      ['Overdue procedure', -12, true],
      ['Due today', 0, false],
      ['Due in ten days', 10, false],
    ]);

    const wider = await titlesDue('?withinDays=45');
    expect(wider.until).toBe('2026-02-15');
    expect(wider.total).toBe(4);

    const todayOnly = await titlesDue('?withinDays=0');
    expect(todayOnly.items.map((entry: { document: { title: string } }) => entry.document.title)).toEqual(['Overdue procedure', 'Due today']);

    const paged = await titlesDue('?withinDays=45&limit=2&offset=2');
    expect(paged).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(paged.items.map((entry: { document: { title: string } }) => entry.document.title)).toEqual(['Due in ten days', 'Due in forty days']);
  });

  it('rejects a window outside 0 to 3650 days', async () => {
    for (const withinDays of ['-1', '3651', 'soon']) {
      const response = await server.as('internal_auditor')('GET', `/api/documents/review-due?withinDays=${withinDays}`);
      expect(response.statusCode, withinDays).toBe(400);
      expect(response.json().error.details[0].path).toBe('querystring:/withinDays');
    }
  });
});
