import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDocument } from '../../src/documents/documents.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import type { Role } from '../../src/platform/auth/roles.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { createApiToken } from '../../src/users/tokens.service.js';
import { insertUser } from '../../src/users/users.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type RequestSender, type TestServer } from '../support/server.js';

const fakeHash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
const policyText = '# AI policy\n\nWe develop and use AI systems responsibly.\n\n- Humans oversee every high-impact decision.\n';

describe.each(databaseKinds)('documents API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  let ownerId: string;
  /** A second administrator, so that two users with approval rights can take turns. */
  let secondAdministrator: RequestSender;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
    secondAdministrator = await senderForNewUser('second-administrator', 'administrator');
    const person = await server.as('administrator')('POST', '/api/people', { body: { name: 'Ada Policyowner', jobTitle: 'Head of AI governance' } });
    expect(person.statusCode).toBe(201);
    ownerId = person.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  async function senderForNewUser(username: string, role: Role): Promise<RequestSender> {
    await writeTransaction(database, (trx) => insertUser(trx, systemCaller, ctx.clock.now(), { username, roles: [role] }, fakeHash));
    const { token } = await createApiToken(ctx, systemCaller, { username, role });
    return async (method, url, options = {}) =>
      server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
  }

  const userIdOf = async (send: RequestSender): Promise<string> => (await send('GET', '/api/auth/me')).json().user.id;

  const documentBody = (overrides: Record<string, unknown> = {}) => ({
    title: 'Responsible AI policy',
    kind: 'policy',
    ownerPersonId: ownerId,
    reviewIntervalMonths: 12,
    retentionMonths: 72,
    ...overrides,
  });

  const createDocument = async (overrides: Record<string, unknown> = {}, role: Role = 'administrator') => {
    const response = await server.as(role)('POST', '/api/documents', { body: documentBody(overrides) });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  const startDraft = async (documentId: string, body: Record<string, unknown>, send: RequestSender = server.as('administrator')) => {
    const response = await send('POST', `/api/documents/${documentId}/versions`, { body });
    expect(response.statusCode).toBe(201);
    return response.json();
  };

  const countAuditEvents = async (): Promise<number> => {
    const row = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    return Number(row.total);
  };

  it('runs a document through drafts, approval and retirement', async () => {
    const riskOwnerId = await userIdOf(server.as('risk_owner'));
    const dpoId = await userIdOf(server.as('data_protection_officer'));
    const approverId = await userIdOf(server.as('approver'));

    const created = await server.as('risk_owner')('POST', '/api/documents', {
      body: documentBody({ isAiPolicy: true, catalogueRefs: ['iso42001:A.2.2', 'iso42001:5.2'] }),
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const document = created.json();
    expect(document).toMatchObject({
      title: 'Responsible AI policy',
      kind: 'policy',
      isAiPolicy: true,
      status: 'draft',
      confidentiality: 'internal',
      nextReviewDate: null,
      currentVersionId: null,
      currentVersionNumber: null,
      createdBy: riskOwnerId,
      // Links come back in catalogue order, whatever order they were sent in.
      catalogueRefs: ['iso42001:5.2', 'iso42001:A.2.2'],
    });
    expect((await server.as('internal_auditor')('GET', `/api/documents/${document.id}`)).json()).toEqual(document);

    const draft = await startDraft(document.id, { content: policyText, changeSummary: 'First issue' }, server.as('risk_owner'));
    expect(draft).toMatchObject({ number: 1, status: 'draft', authorId: riskOwnerId, editorIds: [], basedOnId: null, content: policyText });

    const ownEdit = await server.as('risk_owner')('PATCH', `/api/documents/${document.id}/versions/${draft.id}`, {
      body: { content: `${policyText}\nReviewed once.\n` },
      headers: { 'if-match': '"1"' },
    });
    expect(ownEdit.statusCode).toBe(200);
    expect(ownEdit.headers.etag).toBe('"2"');
    expect(ownEdit.json().editorIds).toEqual([]);

    const otherEdit = await server.as('data_protection_officer')('PATCH', `/api/documents/${document.id}/versions/${draft.id}`, {
      body: { changeSummary: 'First issue, with privacy wording' },
      headers: { 'if-match': '"2"' },
    });
    expect(otherEdit.statusCode).toBe(200);
    expect(otherEdit.json().editorIds).toEqual([dpoId]);

    const stale = await server.as('risk_owner')('PATCH', `/api/documents/${document.id}/versions/${draft.id}`, { body: { content: 'lost' }, headers: { 'if-match': '"2"' } });
    expect(stale.statusCode).toBe(412);

    const approved = await server.as('approver')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, {
      body: { comment: 'Approved by the AI governance board' },
      headers: { 'if-match': '"3"' },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.headers.etag).toBe('"4"');
    expect(approved.json().version).toMatchObject({ number: 1, status: 'approved', approvedBy: approverId, approvalComment: 'Approved by the AI governance board' });
    expect(approved.json().version).not.toHaveProperty('content');
    expect(approved.json().document).toMatchObject({
      status: 'approved',
      currentVersionId: draft.id,
      currentVersionNumber: 1,
      // The test clock reads 2026-01-01, and the review interval is 12 months.
      nextReviewDate: '2027-01-01',
      version: 2,
    });

    const frozenEdit = await server.as('risk_owner')('PATCH', `/api/documents/${document.id}/versions/${draft.id}`, { body: { content: 'Changed after approval' } });
    expect(frozenEdit.statusCode).toBe(409);
    expect(frozenEdit.json().error.message).toBe(
      `Version 1 of "Responsible AI policy" was approved on 2026-01-01 and is frozen, so it cannot be edited; start a new draft with POST /api/documents/${document.id}/versions`,
    );
    expect((await server.as('risk_owner')('DELETE', `/api/documents/${document.id}/versions/${draft.id}`)).statusCode).toBe(409);
    expect((await server.as('administrator')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} })).statusCode).toBe(409);
    const frozen = (await server.as('internal_auditor')('GET', `/api/documents/${document.id}/versions/${draft.id}`)).json();
    expect(frozen.content).toBe(`${policyText}\nReviewed once.\n`);

    const second = await startDraft(document.id, { changeSummary: 'Annual review' }, server.as('risk_owner'));
    expect(second).toMatchObject({ number: 2, status: 'draft', basedOnId: draft.id, content: frozen.content, evidenceId: null });
    const third = await server.as('risk_owner')('POST', `/api/documents/${document.id}/versions`, { body: { changeSummary: 'Another' } });
    expect(third.statusCode).toBe(409);
    expect(third.json().error.message).toBe('"Responsible AI policy" already has an open draft, version 2; edit that draft or discard it before starting another');

    const secondApproval = await server.as('administrator')('POST', `/api/documents/${document.id}/versions/${second.id}/approve`, { body: {} });
    expect(secondApproval.statusCode).toBe(200);
    expect(secondApproval.json().document).toMatchObject({ currentVersionNumber: 2, version: 3 });
    expect(secondApproval.json().version.approvalComment).toBeNull();

    const versions = (await server.as('internal_auditor')('GET', `/api/documents/${document.id}/versions?sort=-number`)).json();
    expect(versions.total).toBe(2);
    expect(versions.items.map((version: { number: number; status: string }) => [version.number, version.status])).toEqual([
      [2, 'approved'],
      [1, 'approved'],
    ]);
    expect(versions.items[0]).not.toHaveProperty('content');

    const retiredByWriter = await server.as('risk_owner')('POST', `/api/documents/${document.id}/retire`, { body: { reason: 'Replaced' } });
    expect(retiredByWriter.statusCode).toBe(403);
    const blankReason = await server.as('approver')('POST', `/api/documents/${document.id}/retire`, { body: { reason: '  ' } });
    expect(blankReason.statusCode).toBe(400);
    expect(blankReason.json().error.details[0]).toMatchObject({ path: '/reason' });

    const retired = await server.as('approver')('POST', `/api/documents/${document.id}/retire`, { body: { reason: 'Replaced by the group AI policy' } });
    expect(retired.statusCode).toBe(200);
    expect(retired.json()).toMatchObject({ status: 'retired', retiredBy: approverId, retirementReason: 'Replaced by the group AI policy', currentVersionNumber: 2 });
    expect(retired.json().retiredAt).toMatch(/^2026-01-01T/);

    const changeRetired = await server.as('risk_owner')('PATCH', `/api/documents/${document.id}`, { body: { title: 'Revived' } });
    expect(changeRetired.statusCode).toBe(409);
    expect(changeRetired.json().error.message).toBe(
      'The document "Responsible AI policy" was retired on 2026-01-01 and cannot be changed; register a new document instead',
    );
    expect((await server.as('risk_owner')('POST', `/api/documents/${document.id}/versions`, { body: { changeSummary: 'Too late' } })).statusCode).toBe(409);
    expect((await server.as('approver')('POST', `/api/documents/${document.id}/retire`, { body: { reason: 'Twice' } })).statusCode).toBe(409);

    const events = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${document.id}&limit=100`)).json();
    expect(events.items.map((event: { action: string }) => event.action).sort()).toEqual(
      ['document.created', 'document.approved', 'document.approved', 'document.retired'].sort(),
    );
    const retirement = events.items.find((event: { action: string }) => event.action === 'document.retired');
    expect(retirement).toMatchObject({ reason: 'Replaced by the group AI policy', actorId: approverId });
    const versionEvents = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${draft.id}&limit=100`)).json();
    expect(versionEvents.items.map((event: { action: string }) => event.action).sort()).toEqual(
      ['document_version.created', 'document_version.updated', 'document_version.updated', 'document_version.approved'].sort(),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('forbids approval by the author or an editor', async () => {
    const document = await createDocument({ title: 'AI risk management procedure', kind: 'procedure', catalogueRefs: ['iso42001:6.1.2'] });
    const draft = await startDraft(document.id, { content: 'Assess risks before deployment.', changeSummary: 'First issue' });
    const before = await countAuditEvents();

    const byAuthor = await server.as('administrator')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} });
    expect(byAuthor.statusCode).toBe(403);
    expect(byAuthor.json().error).toMatchObject({
      code: 'FORBIDDEN',
      message:
        'administrator authored version 1 of "AI risk management procedure" and so may not approve it: a document version must be approved by someone who neither authored nor edited it; ask another approver',
    });

    const edited = await secondAdministrator('PATCH', `/api/documents/${document.id}/versions/${draft.id}`, { body: { content: 'Assess and treat risks before deployment.' } });
    expect(edited.statusCode).toBe(200);
    const byEditor = await secondAdministrator('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} });
    expect(byEditor.statusCode).toBe(403);
    expect(byEditor.json().error.message).toContain('second-administrator edited version 1');

    // Nothing of the rejected approvals was written: the edit is the only new audit event.
    expect(await countAuditEvents()).toBe(before + 1);
    const unchanged = (await server.as('internal_auditor')('GET', `/api/documents/${document.id}`)).json();
    expect(unchanged).toMatchObject({ status: 'draft', currentVersionId: null, nextReviewDate: null, version: 1 });
    expect((await server.as('internal_auditor')('GET', `/api/documents/${document.id}/versions/${draft.id}`)).json().status).toBe('draft');

    const byOversight = await server.as('oversight_board_member')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} });
    expect(byOversight.statusCode).toBe(200);
    expect(byOversight.json().document.status).toBe('approved');
  });

  it('refuses approval of a version without text', async () => {
    const document = await createDocument({ title: 'Empty plan', kind: 'plan' });
    const draft = await startDraft(document.id, { changeSummary: 'Placeholder' });
    expect(draft.content).toBe('');
    const response = await server.as('approver')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe('Version 1 of "Empty plan" has no content; write its text before it is approved');
  });

  it('discards drafts and deletes only never-approved documents', async () => {
    const document = await createDocument({ title: 'Short-lived record', kind: 'record' });
    const draft = await startDraft(document.id, { content: 'Notes', changeSummary: 'Start' });
    expect((await server.as('administrator')('DELETE', `/api/documents/${document.id}/versions/${draft.id}`, { headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/documents/${document.id}/versions/${draft.id}`)).statusCode).toBe(404);

    const replacement = await startDraft(document.id, { content: 'Notes again', changeSummary: 'Restart' });
    expect(replacement.number).toBe(1);
    expect((await server.as('administrator')('DELETE', `/api/documents/${document.id}`)).statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/documents/${document.id}`)).statusCode).toBe(404);
    const deletion = (await server.as('internal_auditor')('GET', `/api/audit-events?recordId=${document.id}&action=document.deleted`)).json();
    expect(deletion.items[0].before.versions.map((version: { content: string }) => version.content)).toEqual(['Notes again']);

    const approvedReport = await createDocument({ title: 'Kept report', kind: 'report' });
    const reportDraft = await startDraft(approvedReport.id, { content: 'Quarterly figures', changeSummary: 'Q1' });
    expect((await server.as('approver')('POST', `/api/documents/${approvedReport.id}/versions/${reportDraft.id}/approve`, { body: {} })).statusCode).toBe(200);
    const blocked = await server.as('administrator')('DELETE', `/api/documents/${approvedReport.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toBe(
      'The document "Kept report" has an approved version, which must be kept as documented information; retire the document instead of deleting it',
    );
  });

  it('keeps one AI policy in force', async () => {
    const first = await createDocument({ title: 'Group AI policy', isAiPolicy: true });
    const clash = await server.as('administrator')('POST', '/api/documents', { body: documentBody({ title: 'Second AI policy', isAiPolicy: true }) });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toBe(
      `"Group AI policy" (id ${first.id}) is already the AI policy, and only one document in force may be; clear its isAiPolicy flag or retire it first`,
    );

    const procedure = await server.as('administrator')('POST', '/api/documents', { body: documentBody({ title: 'Wrong kind', kind: 'procedure', isAiPolicy: true }) });
    expect(procedure.statusCode).toBe(400);
    expect(procedure.json().error.details).toEqual([{ path: '/isAiPolicy', message: 'may be true only for a document of kind policy, and this one is of kind procedure' }]);

    const other = await createDocument({ title: 'Acceptable use policy' });
    const flagged = await server.as('administrator')('PATCH', `/api/documents/${other.id}`, { body: { isAiPolicy: true } });
    expect(flagged.statusCode).toBe(409);

    // The retired AI policy of the lifecycle test keeps its flag, so only documents in force are compared.
    const ai = (await server.as('internal_auditor')('GET', '/api/documents?isAiPolicy=true&limit=500')).json();
    const inForce = ai.items.filter((document: { status: string }) => document.status !== 'retired');
    expect(inForce.map((document: { id: string }) => document.id)).toEqual([first.id]);

    const draft = await startDraft(first.id, { content: 'Group-wide rules for AI.', changeSummary: 'First issue' });
    expect((await server.as('approver')('POST', `/api/documents/${first.id}/versions/${draft.id}/approve`, { body: {} })).statusCode).toBe(200);
    expect((await server.as('approver')('POST', `/api/documents/${first.id}/retire`, { body: { reason: 'Superseded' } })).statusCode).toBe(200);
    const replacement = await server.as('administrator')('PATCH', `/api/documents/${other.id}`, { body: { isAiPolicy: true } });
    expect(replacement.statusCode).toBe(200);
    expect(replacement.json().isAiPolicy).toBe(true);
  });

  it('rejects invalid document input naming the value', async () => {
    const before = await countAuditEvents();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ reviewIntervalMonths: 0 }, '/reviewIntervalMonths', 'must be 1 or more (received 0)'],
      [{ reviewIntervalMonths: 61 }, '/reviewIntervalMonths', 'must be 60 or less (received 61)'],
      [{ retentionMonths: 1201 }, '/retentionMonths', 'must be 1200 or less (received 1201)'],
      [{ kind: 'memo' }, '/kind', 'must be one of policy, procedure, plan, record, report, other (received "memo")'],
      [{ title: '   ' }, '/title', 'must not be blank'],
      [{ confidentiality: 'secret' }, '/confidentiality', 'must be one of public, internal, restricted (received "secret")'],
    ];
    for (const [overrides, path, message] of cases) {
      const response = await server.as('administrator')('POST', '/api/documents', { body: documentBody(overrides) });
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error.details[0].path).toBe(path);
      expect(response.json().error.details[0].message).toContain(message);
    }

    const unknownRef = await server.as('administrator')('POST', '/api/documents', { body: documentBody({ title: 'Linked wrongly', catalogueRefs: ['iso42001:5.2', 'iso42001:99.9'] }) });
    expect(unknownRef.statusCode).toBe(400);
    expect(unknownRef.json().error.details).toEqual([
      { path: '/catalogueRefs/1', message: '"iso42001:99.9" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' },
    ]);

    const unknownPerson = await server.as('administrator')('POST', '/api/documents', { body: documentBody({ title: 'Owned by nobody', ownerPersonId: 'no-such-person' }) });
    expect(unknownPerson.statusCode).toBe(400);
    expect(unknownPerson.json().error.details).toEqual([
      { path: '/ownerPersonId', message: 'no person with id "no-such-person" exists; check the id or create the person first' },
    ]);

    // Nothing was written by the rejected requests.
    expect(await countAuditEvents()).toBe(before);
    expect((await server.as('internal_auditor')('GET', '/api/documents?q=Linked%20wrongly')).json().total).toBe(0);

    const document = await createDocument({ title: 'Data quality procedure', kind: 'procedure' });
    const badDate = await server.as('administrator')('PATCH', `/api/documents/${document.id}`, { body: { nextReviewDate: '2026-02-30' } });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.details[0]).toEqual({ path: '/nextReviewDate', message: 'must be a date as YYYY-MM-DD, or null (received "2026-02-30")' });
    const planned = await server.as('administrator')('PATCH', `/api/documents/${document.id}`, { body: { nextReviewDate: '2026-09-30' } });
    expect(planned.statusCode).toBe(200);
    expect(planned.json().nextReviewDate).toBe('2026-09-30');

    const draft = await startDraft(document.id, { content: 'Check data before training.', changeSummary: 'First issue' });
    expect((await server.as('approver')('POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, { body: {} })).statusCode).toBe(200);
    const cleared = await server.as('administrator')('PATCH', `/api/documents/${document.id}`, { body: { nextReviewDate: null } });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().error.details[0]).toMatchObject({ path: '/nextReviewDate' });
  });

  it('checks the text and evidence of a version', async () => {
    const document = await createDocument({ title: 'Model card template', kind: 'other' });
    const control = await server.as('administrator')('POST', `/api/documents/${document.id}/versions`, { body: { content: 'Line one\u001b[2J', changeSummary: 'Start' } });
    expect(control.statusCode).toBe(400);
    expect(control.json().error.details).toEqual([{ path: '/content', message: 'must be plain text; the control character U+001B at position 8 is not allowed' }]);

    // 600,000 characters of "é" are 1,200,000 bytes of UTF-8, over the 1,048,576-byte limit.
    const large = await server.as('administrator')('POST', `/api/documents/${document.id}/versions`, { body: { content: 'é'.repeat(600_000), changeSummary: 'Big' } });
    expect(large.statusCode).toBe(400);
    expect(large.json().error.details[0].message).toBe(
      'is 1200000 bytes of UTF-8, more than the 1048576 allowed; split the document or attach the full text as evidence',
    );

    // The largest text fits even when the client escapes every non-ASCII character, as Python's
    // json.dumps does: 524,288 characters of "é" are 1,048,576 bytes, and 3,145,728 bytes escaped.
    const escaped = `{"changeSummary":"Largest","content":"${'\\u00e9'.repeat(524_288)}"}`;
    const largest = await server.as('administrator')('POST', `/api/documents/${document.id}/versions`, { payload: escaped, headers: { 'content-type': 'application/json' } });
    expect(largest.statusCode).toBe(201);
    expect(largest.json().content).toBe('é'.repeat(524_288));
    expect((await server.as('administrator')('DELETE', `/api/documents/${document.id}/versions/${largest.json().id}`)).statusCode).toBe(204);

    const tooLarge: LightMyRequestResponse = await server.as('administrator')('POST', `/api/documents/${document.id}/versions`, {
      payload: `{"changeSummary":"Huge","content":"${'a'.repeat(3_300_000)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.message).toContain('larger than the 3211264 bytes');

    const unknownEvidence = await server.as('administrator')('POST', `/api/documents/${document.id}/versions`, {
      body: { content: 'Fields of a model card', changeSummary: 'Start', evidenceId: 'no-such-evidence' },
    });
    expect(unknownEvidence.statusCode).toBe(400);
    expect(unknownEvidence.json().error.details).toEqual([
      { path: '/evidenceId', message: 'no evidence with id "no-such-evidence" exists; upload the file as evidence first, or send null' },
    ]);

    const evidenceId = await insertEvidenceRow();
    const linked = await startDraft(document.id, { content: 'Fields of a model card', changeSummary: 'Start', evidenceId });
    expect(linked.evidenceId).toBe(evidenceId);
    const unlinked = await server.as('administrator')('PATCH', `/api/documents/${document.id}/versions/${linked.id}`, { body: { evidenceId: null } });
    expect(unlinked.json().evidenceId).toBeNull();
  });

  it('lists documents with filters, sorting and pagination', async () => {
    for (const title of ['Paged C', 'Paged A', 'Paged B']) {
      await createDocument({ title, kind: 'report', catalogueRefs: ['iso42001:9.1'] });
    }
    const page = (await server.as('internal_auditor')('GET', '/api/documents?q=paged&sort=-title&limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((document: { title: string }) => document.title)).toEqual(['Paged B', 'Paged A']);

    const linked = (await server.as('internal_auditor')('GET', '/api/documents?catalogueRef=iso42001:9.1&kind=report&status=draft')).json();
    expect(linked.total).toBe(3);
    expect((await server.as('internal_auditor')('GET', `/api/documents?ownerPersonId=${ownerId}&q=paged`)).json().total).toBe(3);
    const badSort = await server.as('internal_auditor')('GET', '/api/documents?sort=owner');
    expect(badSort.statusCode).toBe(400);
  });

  it('rejects every change by a caller without the permission', async () => {
    const document = await createDocument({ title: 'Guarded policy' });
    const draft = await startDraft(document.id, { content: 'Guarded text', changeSummary: 'Start' });
    const attempts: Array<[Role, 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['internal_auditor', 'POST', '/api/documents', documentBody({ title: 'Auditor document' })],
      ['internal_auditor', 'PATCH', `/api/documents/${document.id}`, { title: 'x' }],
      ['internal_auditor', 'DELETE', `/api/documents/${document.id}`, undefined],
      ['internal_auditor', 'POST', `/api/documents/${document.id}/versions`, { changeSummary: 'x' }],
      ['internal_auditor', 'PATCH', `/api/documents/${document.id}/versions/${draft.id}`, { content: 'x' }],
      ['internal_auditor', 'POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, {}],
      ['internal_auditor', 'POST', `/api/documents/${document.id}/retire`, { reason: 'x' }],
      ['validator', 'POST', '/api/documents', documentBody({ title: 'Validator document' })],
      ['risk_owner', 'POST', `/api/documents/${document.id}/versions/${draft.id}/approve`, {}],
      ['approver', 'PATCH', `/api/documents/${document.id}/versions/${draft.id}`, { content: 'x' }],
    ];
    for (const [role, method, url, body] of attempts) {
      const response = await server.as(role)(method, url, body === undefined ? {} : { body });
      expect(response.statusCode, `${role} ${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect((await server.as('internal_auditor')('GET', `/api/documents/${document.id}/versions/${draft.id}`)).json()).toEqual(draft);

    await expect(
      writeTransaction(database, (trx) => insertDocument(trx, callerWith(['internal_auditor']), new Date(), documentBody() as never)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  async function insertEvidenceRow(): Promise<string> {
    const id = `evidence-${Math.random().toString(36).slice(2)}`;
    const now = ctx.clock.now().toISOString();
    await database.db
      .insertInto('evidence')
      .values({
        id,
        version: 1,
        created_at: now,
        updated_at: now,
        title: 'Signed model card template',
        kind: 'policy',
        description: '',
        collected_at: now,
        collected_by_person_id: null,
        valid_until: null,
        confidentiality: 'internal',
        sha256: 'a'.repeat(64),
        size_bytes: 10,
        media_type: 'application/pdf',
        file_name: 'model-card.pdf',
        uploaded_by: 'user-administrator',
      })
      .execute();
    return id;
  }
});
