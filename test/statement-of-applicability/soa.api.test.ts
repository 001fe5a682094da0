import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { decideEverything } from './soa-fixtures.js';

const entryUrl = (versionId: string, ref: string) => `/api/soa/versions/${versionId}/entries/${encodeURIComponent(ref)}`;

describe.each(databaseKinds)('Statement of Applicability API on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;
  let draftId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  /** The user id the test server gave the user of a role, as the audit trail records it. */
  const userIdOf = async (username: string) =>
    (await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  it('starts a draft with every Annex A control undecided', async () => {
    const response = await server.as('administrator')('POST', '/api/soa/versions', { body: {} });
    expect(response.statusCode).toBe(201);
    const draft = response.json();
    draftId = draft.id;
    expect(draft).toMatchObject({ number: 1, status: 'draft', title: 'Statement of Applicability v1', basedOnId: null, approvedBy: null, version: 1 });
    expect(draft.counts).toMatchObject({ controls: 38, undecided: 38, applicable: 0, excluded: 0 });

    const entries = (await server.as('internal_auditor')('GET', `/api/soa/versions/${draftId}/entries?limit=100`)).json();
    expect(entries.total).toBe(38);
    expect(entries.items[0]).toMatchObject({ controlRef: 'iso42001:A.2.2', controlId: 'A.2.2', controlTitle: 'AI policy', groupRef: 'iso42001:A.2', decision: 'undecided' });
    expect(entries.items.find((entry: { controlId: string }) => entry.controlId === 'A.6.2.4').groupRef).toBe('iso42001:A.6');
  });

  it('allows one open draft at a time', async () => {
    const second = await server.as('risk_owner')('POST', '/api/soa/versions', { body: {} });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toContain('Draft v1');
  });

  it('rejects an exclusion without a justification', async () => {
    const response = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.10.4'), { body: { decision: 'excluded' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: '/justification', message: 'is required to exclude a control: give the reason the control is not needed' }]);
    const blank = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.10.4'), { body: { decision: 'excluded', justification: '   ' } });
    expect(blank.statusCode).toBe(400);
    const stored = await database.db.selectFrom('soa_entries').select(['decision', 'version']).where('control_ref', '=', 'iso42001:A.10.4').executeTakeFirstOrThrow();
    expect(stored).toEqual({ decision: 'undecided', version: 1 });
  });

  it('rejects an inclusion without grounds', async () => {
    const response = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.6.2.8'), { body: { decision: 'applicable', justification: 'We need logs.' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/basis']);
  });

  it('excludes and includes controls with their justification', async () => {
    const excluded = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.10.4'), {
      body: { decision: 'excluded', justification: 'We offer no AI system to customers.' },
    });
    expect(excluded.statusCode).toBe(200);
    expect(excluded.headers.etag).toBe('"2"');
    expect(excluded.json()).toMatchObject({ decision: 'excluded', implementationStatus: null, basis: [] });

    const person = await server.as('administrator')('POST', '/api/people', { body: { name: 'Ada Byron', jobTitle: 'Head of ML platform' } });
    const included = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.6.2.8'), {
      body: {
        decision: 'applicable',
        justification: 'Logs are needed to trace decisions of high-risk systems.',
        basis: ['legal_requirement', 'risk_treatment'],
        requirementRefs: ['eu-ai-act:Art 12'],
        ownerPersonId: person.json().id,
      },
      headers: { 'if-match': '"1"' },
    });
    expect(included.statusCode).toBe(200);
    expect(included.json()).toMatchObject({ decision: 'applicable', implementationStatus: 'not_started', requirementRefs: ['eu-ai-act:Art 12'], ownerName: 'Ada Byron' });
  });

  it('keeps an owner of a control in the people register', async () => {
    const owner = (await server.as('administrator')('GET', '/api/people?q=Ada')).json().items[0];
    const response = await server.as('administrator')('DELETE', `/api/people/${owner.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['soaControls']);
  });

  it('rejects unknown requirements, owners and controls', async () => {
    const requirement = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.6.2.8'), { body: { requirementRefs: ['eu-ai-act:Art 999'] } });
    expect(requirement.statusCode).toBe(400);
    expect(requirement.json().error.details[0]).toMatchObject({ path: '/requirementRefs/0' });
    expect(requirement.json().error.details[0].message).toContain('"eu-ai-act:Art 999" is not a catalogue item');

    const owner = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.6.2.8'), { body: { ownerPersonId: 'nobody' } });
    expect(owner.statusCode).toBe(400);
    expect(owner.json().error.details[0].path).toBe('/ownerPersonId');

    const control = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.99.1'), { body: { notes: 'x' } });
    expect(control.statusCode).toBe(404);
    expect(control.json().error.message).toContain('"iso42001:A.99.1"');

    const status = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.6.2.8'), { body: { implementationStatus: 'done' } });
    expect(status.statusCode).toBe(400);
  });

  it('rejects invisible justifications', async () => {
    const response = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.10.3'), { body: { decision: 'excluded', justification: '\u200b \u00a0' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('/justification');
  });

  it('answers 412 for a stale entry ETag', async () => {
    const response = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.10.4'), { body: { notes: 'x' }, headers: { 'if-match': '"1"' } });
    expect(response.statusCode).toBe(412);
  });

  it('keeps the internal auditor read-only', async () => {
    const read = await server.as('internal_auditor')('GET', entryUrl(draftId, 'iso42001:A.10.4'));
    expect(read.statusCode).toBe(200);
    const change = await server.as('internal_auditor')('PATCH', entryUrl(draftId, 'iso42001:A.10.4'), { body: { notes: 'x' } });
    expect(change.statusCode).toBe(403);
  });

  it('adds a new organization control to the open draft', async () => {
    const created = await server.as('risk_owner')('POST', '/api/catalogue/organization-controls', {
      body: { itemId: 'ORG-1', title: 'Customer change notice', summary: 'Tell customers before a model change.' },
    });
    expect(created.statusCode).toBe(201);
    const entry = await server.as('risk_owner')('GET', entryUrl(draftId, 'org:ORG-1'));
    expect(entry.json()).toMatchObject({ frameworkId: 'org', decision: 'undecided', groupRef: null });
    const version = (await server.as('risk_owner')('GET', `/api/soa/versions/${draftId}`)).json();
    expect(version.counts.controls).toBe(39);
  });

  it('refuses approval while controls are undecided', async () => {
    const response = await server.as('approver')('POST', `/api/soa/versions/${draftId}/approve`, { body: {} });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.details).toHaveLength(37);
  });

  it('refuses approval by an author of the draft', async () => {
    await decideEverything(ctx, callerWith(['risk_owner'], 'risk-editor'), draftId, ['iso42001:A.8.4']);
    const own = await server.as('administrator')('POST', `/api/soa/versions/${draftId}/approve`, { body: {} });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('may not approve it');
    const noRight = await server.as('validator')('POST', `/api/soa/versions/${draftId}/approve`, { body: {} });
    expect(noRight.statusCode).toBe(403);
  });

  it('approves and freezes a draft', async () => {
    const approved = await server.as('approver')('POST', `/api/soa/versions/${draftId}/approve?reason=management%20review`, { body: { comment: 'Reviewed in committee.' } });
    expect(approved.statusCode).toBe(200);
    // A second approval sent without any body is judged on the version's state, not its missing body.
    const again = await server.as('approver')('POST', `/api/soa/versions/${draftId}/approve`);
    expect(again.statusCode).toBe(409);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedBy: await userIdOf('approver'), approvalComment: 'Reviewed in committee.' });
    expect(approved.json().counts).toMatchObject({ controls: 39, undecided: 0, excluded: 2, applicable: 37 });

    const edit = await server.as('administrator')('PATCH', entryUrl(draftId, 'iso42001:A.2.2'), { body: { notes: 'late' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toContain('cannot change');
    expect((await server.as('administrator')('PATCH', `/api/soa/versions/${draftId}`, { body: { title: 'Renamed' } })).statusCode).toBe(409);
    expect((await server.as('administrator')('DELETE', `/api/soa/versions/${draftId}`)).statusCode).toBe(409);
    expect((await server.as('approver')('POST', `/api/soa/versions/${draftId}/approve`, { body: {} })).statusCode).toBe(409);
  });

  it('copies the approved version into a new draft and shows the difference', async () => {
    const next = await server.as('risk_owner')('POST', '/api/soa/versions', { body: { title: 'SoA 2027' } });
    expect(next.statusCode).toBe(201);
    const draft = next.json();
    expect(draft).toMatchObject({ number: 2, basedOnId: draftId, title: 'SoA 2027' });
    expect(draft.counts).toMatchObject({ controls: 39, undecided: 0, excluded: 2 });

    await server.as('risk_owner')('PATCH', entryUrl(draft.id, 'iso42001:A.6.2.8'), { body: { implementationStatus: 'implemented' } });
    // A flipped decision needs a justification of its own: the copied one argued the other way.
    const flipped = await server.as('risk_owner')('PATCH', entryUrl(draft.id, 'iso42001:A.10.4'), { body: { decision: 'applicable', basis: ['risk_treatment'] } });
    expect(flipped.statusCode).toBe(400);
    expect(flipped.json().error.details).toEqual([
      { path: '/justification', message: 'must be sent with a decision that changes from excluded to applicable, because the stored justification argues for excluded' },
    ]);

    const diff = await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.id}/diff?against=${draftId}`);
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toMatchObject({ from: { number: 1, status: 'approved' }, to: { number: 2, status: 'draft' } });
    expect(diff.json().differences).toEqual([
      {
        controlRef: 'iso42001:A.6.2.8',
        controlTitle: 'AI system recording of event logs',
        change: 'changed',
        fields: [{ field: 'implementationStatus', before: 'not_started', after: 'implemented' }],
      },
    ]);

    const current = await server.as('validator')('GET', '/api/soa/current');
    expect(current.json().number).toBe(1);
  });

  it('reports EU AI Act coverage and gaps from a version', async () => {
    const report = await server.as('internal_auditor')('GET', '/api/catalogue/coverage?framework=eu-ai-act');
    expect(report.statusCode).toBe(200);
    const body = report.json();
    expect(body.soaVersion).toMatchObject({ number: 1, status: 'approved' });
    expect(body.crosswalks).toEqual(['eu-ai-act-to-iso42001']);
    const total = (await server.as('internal_auditor')('GET', '/api/catalogue/items?framework=eu-ai-act&assessable=true&limit=1')).json().total;
    expect(Object.values(body.counts as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(total);

    const article12 = body.obligations.find((row: { ref: string }) => row.ref === 'eu-ai-act:Art 12');
    expect(article12).toMatchObject({ state: 'open', gaps: ['iso42001:A.6.2.6', 'iso42001:A.6.2.8'] });
    expect(article12.controls.map((control: { implementationStatus: string }) => control.implementationStatus)).toEqual(['planned', 'not_started']);
    const article73 = body.obligations.find((row: { ref: string }) => row.ref === 'eu-ai-act:Art 73');
    expect(article73.clauses).toEqual([{ ref: 'iso42001:10.2', title: 'Nonconformity and corrective action' }]);
    expect(article73.controls.find((control: { ref: string }) => control.ref === 'iso42001:A.8.4').decision).toBe('excluded');

    const draft = (await server.as('risk_owner')('GET', '/api/soa/versions?status=draft')).json().items[0];
    const fromDraft = (await server.as('internal_auditor')('GET', `/api/catalogue/coverage?framework=eu-ai-act&soaVersion=${draft.id}&state=partial`)).json();
    expect(fromDraft.obligations.map((row: { ref: string }) => row.ref)).toContain('eu-ai-act:Art 12');
    expect(fromDraft.obligations.every((row: { state: string }) => row.state === 'partial')).toBe(true);

    expect((await server.as('internal_auditor')('GET', '/api/catalogue/coverage?framework=iso42001')).statusCode).toBe(400);
    expect((await server.as('internal_auditor')('GET', '/api/catalogue/coverage?framework=none')).statusCode).toBe(404);
  });

  it('lists the obligations each control helps to meet', async () => {
    const overlap = (await server.as('internal_auditor')('GET', '/api/catalogue/overlap')).json();
    expect(overlap.controls).toHaveLength(39);
    const logs = overlap.controls.find((control: { ref: string }) => control.ref === 'iso42001:A.6.2.8');
    expect(logs.obligations['nist-ai-rmf']).toEqual(expect.arrayContaining(['nist-ai-rmf:MEASURE 2.4', 'nist-ai-rmf:MEASURE 2.6', 'nist-ai-rmf:MEASURE 3.2']));
    expect(logs.obligations['eu-ai-act']).toContain('eu-ai-act:Art 12');
    const counts = overlap.controls.map((control: { obligationCount: number }) => control.obligationCount);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });

  it('exports the approved version as a workbook with one row per control', async () => {
    const response = await server.as('internal_auditor')('GET', `/api/soa/versions/${draftId}/export?format=xlsx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toBe('attachment; filename="statement-of-applicability-v1.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Control', 'Title', 'Group', 'Decision', 'Justification', 'Grounds for inclusion', 'Requirements', 'Implementation status', 'Owner', 'Evidence', 'Risks', 'Notes']);
    const controls: string[] = [];
    sheet.eachRow((row, number) => {
      if (number > 1) controls.push(String(row.getCell(1).value));
    });
    expect(controls.filter((control) => control.startsWith('A.'))).toHaveLength(38);
    expect(controls).toContain('ORG-1');
    expect(sheet.getColumn(5).width).toBeGreaterThanOrEqual(40);
  });

  it('exports CSV and printable HTML', async () => {
    await server.as('risk_owner')('PATCH', entryUrl((await server.as('risk_owner')('GET', '/api/soa/versions?status=draft')).json().items[0].id, 'iso42001:A.2.3'), {
      body: { notes: '=HYPERLINK("http://example.invalid")<script>' },
    });
    const draft = (await server.as('risk_owner')('GET', '/api/soa/versions?status=draft')).json().items[0];
    const csv = await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.id}/export?format=csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('Control,Title,Group,Decision,Justification,Grounds for inclusion,Requirements,Implementation status,Owner,Evidence,Risks,Notes');
    expect(lines.filter((line) => line.length > 0)).toHaveLength(40);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://example.invalid"")<script>"`);

    const html = await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.id}/export?format=html`);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<h1>SoA 2027</h1>');
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('&#60;script&#62;');
    expect((await server.as('internal_auditor')('GET', `/api/soa/versions/${draft.id}/export?format=pdf`)).statusCode).toBe(400);
  });

  it('keeps an approved version as it was at approval', async () => {
    const before = (await server.as('internal_auditor')('GET', entryUrl(draftId, 'iso42001:A.6.2.8'))).json();
    const owner = (await server.as('administrator')('GET', '/api/people?q=Ada')).json().items[0];
    await server.as('administrator')('PATCH', `/api/people/${owner.id}`, { body: { name: 'Ada King' } });
    await server.as('risk_owner')('PATCH', '/api/catalogue/organization-controls/org:ORG-1', { body: { title: 'Renamed later' } });

    const after = (await server.as('internal_auditor')('GET', entryUrl(draftId, 'iso42001:A.6.2.8'))).json();
    expect(after).toEqual(before);
    expect(after.ownerName).toBe('Ada Byron');
    const control = (await server.as('internal_auditor')('GET', entryUrl(draftId, 'org:ORG-1'))).json();
    expect(control.controlTitle).toBe('Customer change notice');
    const draft = (await server.as('risk_owner')('GET', '/api/soa/versions?status=draft')).json().items[0];
    expect((await server.as('internal_auditor')('GET', entryUrl(draft.id, 'iso42001:A.6.2.8'))).json().ownerName).toBe('Ada King');
  });

  it('rejects an organization control named like an Annex A control', async () => {
    const response = await server.as('risk_owner')('POST', '/api/catalogue/organization-controls', { body: { itemId: 'A.2.2', title: 'Copy', summary: 'Looks like Annex A.' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].message).toContain('is an ISO/IEC 42001 identifier');
  });

  it('discards a draft and keeps its number', async () => {
    const draft = (await server.as('risk_owner')('GET', '/api/soa/versions?status=draft')).json().items[0];
    const removed = await server.as('risk_owner')('DELETE', `/api/soa/versions/${draft.id}`);
    expect(removed.statusCode).toBe(204);
    expect(await database.db.selectFrom('soa_entries').select('control_ref').where('soa_version_id', '=', draft.id).execute()).toEqual([]);
    expect((await server.as('risk_owner')('GET', `/api/soa/versions/${draft.id}`)).json()).toMatchObject({ status: 'discarded', number: 2 });
    expect((await server.as('risk_owner')('PATCH', entryUrl(draft.id, 'iso42001:A.2.2'), { body: { notes: 'x' } })).statusCode).toBe(409);

    const next = await server.as('risk_owner')('POST', '/api/soa/versions', { body: {} });
    expect(next.json().number).toBe(3);
    await server.as('risk_owner')('DELETE', `/api/soa/versions/${next.json().id}`);
  });

  it('records every change in an intact audit trail', async () => {
    const actions = await database.db.selectFrom('audit_events').select('action').where('record_type', 'in', ['soa_version', 'soa_entry']).execute();
    const count = (action: string) => actions.filter((row) => row.action === action).length;
    expect(count('soa_version.created')).toBe(3);
    expect(count('soa_version.approved')).toBe(1);
    expect(count('soa_version.discarded')).toBe(2);
    expect(count('soa_entry.created')).toBe(1);
    expect(count('soa_entry.updated')).toBeGreaterThanOrEqual(39);
    const approval = await database.db.selectFrom('audit_events').select(['reason', 'actor_id']).where('action', '=', 'soa_version.approved').executeTakeFirstOrThrow();
    expect(approval).toEqual({ reason: 'management review', actor_id: await userIdOf('approver') });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
