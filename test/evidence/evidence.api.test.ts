import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { createApiToken } from '../../src/users/tokens.service.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ServiceContext } from '../../src/platform/context.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { steppingClock, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evidenceForm, multipartBody } from './multipart.js';

/** Upload limit of the test server: above the 1 MiB JSON body limit, small enough to exceed in a test. */
const uploadLimitBytes = 4 * 1024 * 1024;

function sha256Of(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Lists the files under a directory, recursively, as paths relative to it; an absent directory has none. */
function filesUnder(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return (fs.readdirSync(directory, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Sends a multipart upload in chunked encoding, with no Content-Length, chunk after chunk until
 * the server responds or `maxBytes` have gone out, and returns the response and the bytes sent.
 */
function streamUntilResponse(url: string, token: string, maxBytes: number): Promise<{ status: number; body: string; connection: string | undefined; bytesSent: number }> {
  const boundary = 'custos-stream-test';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nStreamed\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nlog\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.log"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, 'x');
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let responded = false;
    const request = http.request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
    });
    request.on('response', (response) => {
      responded = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => (body += text));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, connection: response.headers.connection, bytesSent }));
    });
    // Once the server has responded and closed the connection, further writes fail as expected.
    request.on('error', (error) => {
      if (!responded) reject(error);
    });
    const send = (): void => {
      while (!responded && bytesSent < maxBytes) {
        bytesSent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', send);
          return;
        }
      }
      if (!responded) request.end(`\r\n--${boundary}--\r\n`);
    };
    request.write(head);
    send();
  });
}

describe.each(databaseKinds)('evidence API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let ctx: ServiceContext;

  const storeRoot = () => path.join(database.settings.dataDir, 'evidence');
  const storedFiles = () => filesUnder(path.join(storeRoot(), 'sha256'));
  const temporaryFiles = () => filesUnder(path.join(storeRoot(), 'tmp'));
  const evidenceRows = async () => Number((await database.db.selectFrom('evidence').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const auditEvents = async () =>
    Number((await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('record_type', '=', 'evidence').executeTakeFirstOrThrow()).n);

  const upload = (role: Role, fields: Record<string, string>, file: { name: string; content: Buffer | string; contentType?: string }, query = '') =>
    server.as(role)('POST', `/api/evidence${query}`, evidenceForm(fields, file));
  const uploaded = async (fields: Record<string, string>, file: { name: string; content: Buffer | string; contentType?: string }, role: Role = 'validator') => {
    const response = await upload(role, fields, file);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const userIdOf = async (username: string) => (await database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  /** Captures what an attempt must leave unchanged: records, audit events, stored and temporary files. */
  const snapshot = async () => ({ rows: await evidenceRows(), events: await auditEvents(), stored: storedFiles(), temporary: temporaryFiles() });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = {
      ...testContext(database, steppingClock('2026-03-01T08:00:00.000Z')),
      config: loadConfig({ CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES: String(uploadLimitBytes) }, { dataDir: database.settings.dataDir }),
    };
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
    if (database) fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
  });

  it('uploads, reads and downloads a file with its hash', async () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]);
    const response = await upload(
      'validator',
      { title: 'Bias test report, credit model 2.3', kind: 'test_result', description: 'Disparate impact per group', collectedAt: '2026-02-27T10:15:00+01:00' },
      { name: 'bias-report 2.3 (final).pdf', content, contentType: 'application/pdf' },
      '?reason=quarterly%20review',
    );
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      title: 'Bias test report, credit model 2.3',
      kind: 'test_result',
      description: 'Disparate impact per group',
      collectedAt: '2026-02-27T09:15:00.000Z',
      collectedByPersonId: null,
      validUntil: null,
      confidentiality: 'internal',
      sha256: sha256Of(content),
      sizeBytes: content.length,
      mediaType: 'application/pdf',
      fileName: 'bias-report 2.3 (final).pdf',
      uploadedBy: await userIdOf('validator'),
      version: 1,
      links: [],
    });
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/evidence/${created.id}`);

    const storedPath = path.join(storeRoot(), 'sha256', created.sha256.slice(0, 2), created.sha256);
    expect(sha256Of(fs.readFileSync(storedPath))).toBe(created.sha256);
    expect(fs.statSync(storedPath).mode & 0o222).toBe(0);
    expect(temporaryFiles()).toEqual([]);

    const read = await server.as('internal_auditor')('GET', `/api/evidence/${created.id}`);
    expect(read.json()).toEqual(created);
    expect(read.headers.etag).toBe('"1"');

    const download = await server.as('approver')('GET', `/api/evidence/${created.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(content.length));
    expect(download.headers['content-disposition']).toBe(`attachment; filename="bias-report 2.3 (final).pdf"; filename*=UTF-8''bias-report%202.3%20%28final%29.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(created.sha256, 'hex').toString('base64')}:`);

    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.created').where('record_id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.parse(event.after_json!)).toMatchObject({ sha256: created.sha256, fileName: created.fileName });
    expect(event.reason).toBe('quarterly review');
  });

  it('streams a file larger than the JSON body limit', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 5);
    expect(content.length).toBeGreaterThan(ctx.config.bodyLimitBytes);
    const created = await uploaded({ title: 'Model card archive', kind: 'record' }, { name: 'model-cards.zip', content, contentType: 'application/zip' });
    expect(created.sha256).toBe(sha256Of(content));
    expect(created.sizeBytes).toBe(content.length);
  });

  it('keeps one copy of equal content', async () => {
    const content = 'Minutes of the AI steering committee, 12 February 2026\n';
    const first = await uploaded({ title: 'Steering committee minutes', kind: 'meeting_minutes' }, { name: 'minutes.txt', content, contentType: 'text/plain' });
    const filesAfterFirst = storedFiles();
    const second = await uploaded({ title: 'Steering committee minutes, copy for A.3', kind: 'meeting_minutes' }, { name: 'minutes-copy.txt', content, contentType: 'text/plain' });

    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect(storedFiles()).toEqual(filesAfterFirst);
    expect(storedFiles().filter((file) => file.endsWith(first.sha256))).toHaveLength(1);

    const same = (await server.as('internal_auditor')('GET', `/api/evidence?sha256=${first.sha256}&sort=title`)).json();
    expect(same.items.map((item: { id: string }) => item.id)).toEqual([first.id, second.id]);
    expect((await server.as('internal_auditor')('GET', `/api/evidence/${second.id}/content`)).body).toBe(content);
  });

  it('replaces the file and keeps the previous one', async () => {
    const original = await uploaded({ title: 'Data protection impact assessment', kind: 'report' }, { name: 'dpia-v1.docx', content: 'DPIA version 1' });
    const replacement = 'DPIA version 2, after the review of the lawful basis';
    const form = multipartBody([{ name: 'file', value: replacement, fileName: 'dpia-v2.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }]);

    const stale = await server.as('data_protection_officer')('PUT', `/api/evidence/${original.id}/file`, { ...form, headers: { ...form.headers, 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);

    const response = await server.as('data_protection_officer')('PUT', `/api/evidence/${original.id}/file?reason=lawful%20basis%20reviewed`, {
      ...form,
      headers: { ...form.headers, 'if-match': '"1"' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const replaced = response.json();
    expect(replaced).toMatchObject({
      id: original.id,
      title: original.title,
      sha256: sha256Of(replacement),
      sizeBytes: Buffer.byteLength(replacement),
      fileName: 'dpia-v2.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      uploadedBy: await userIdOf('data-protection-officer'),
      version: 2,
    });
    expect(response.headers.etag).toBe('"2"');
    expect(storedFiles()).toContain(path.join(original.sha256.slice(0, 2), original.sha256));
    expect((await server.as('validator')('GET', `/api/evidence/${original.id}/content`)).body).toBe(replacement);

    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.file_replaced').where('record_id', '=', original.id).executeTakeFirstOrThrow();
    expect(JSON.parse(event.before_json!)).toMatchObject({ sha256: original.sha256, fileName: 'dpia-v1.docx', version: 1 });
    expect(JSON.parse(event.after_json!)).toMatchObject({ sha256: replaced.sha256, fileName: 'dpia-v2.docx', version: 2 });
    expect(event.reason).toBe('lawful basis reviewed');

    const withField = multipartBody([
      { name: 'title', value: 'Renamed' },
      { name: 'file', value: 'DPIA version 3', fileName: 'dpia-v3.docx' },
    ]);
    const before = await snapshot();
    const rejected = await server.as('data_protection_officer')('PUT', `/api/evidence/${original.id}/file`, withField);
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.details).toEqual([
      { path: '/title', message: 'is not accepted here, because this request replaces only the file; change metadata with PATCH /api/evidence/{id}' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('links to catalogue items and AI systems and filters by link', async () => {
    const evidence = await uploaded({ title: 'Impact assessment of the triage model', kind: 'report' }, { name: 'impact.pdf', content: 'impact assessment', contentType: 'application/pdf' });
    const system = (await server.as('administrator')('POST', '/api/ai-systems', { body: { name: 'Emergency triage assistant', purpose: 'Orders incoming cases by urgency', businessUnit: 'Hospital operations' } })).json();

    const control = await server.as('risk_owner')('POST', `/api/evidence/${evidence.id}/links?reason=impact%20assessment%20done`, {
      body: { targetType: 'catalogue_item', targetId: 'iso42001:A.5.2' },
    });
    expect(control.statusCode, control.body).toBe(201);
    expect(control.json()).toMatchObject({ targetType: 'catalogue_item', targetId: 'iso42001:A.5.2', createdBy: await userIdOf('risk-owner') });
    const clause = await server.as('risk_owner')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: 'iso42001:6.1.4' } });
    expect(clause.statusCode).toBe(201);
    const aiSystem = await server.as('risk_owner')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'ai_system', targetId: system.id } });
    expect(aiSystem.statusCode).toBe(201);

    const read = (await server.as('internal_auditor')('GET', `/api/evidence/${evidence.id}`)).json();
    expect(read.links.map((link: { targetType: string; targetId: string }) => `${link.targetType}:${link.targetId}`).sort()).toEqual(
      [`ai_system:${system.id}`, 'catalogue_item:iso42001:6.1.4', 'catalogue_item:iso42001:A.5.2'].sort(),
    );
    expect(read.version).toBe(evidence.version);

    const byControl = (await server.as('internal_auditor')('GET', `/api/evidence?linkedTo=${encodeURIComponent('catalogue_item:iso42001:A.5.2')}`)).json();
    expect(byControl.items.map((item: { id: string }) => item.id)).toEqual([evidence.id]);
    const bySystem = (await server.as('internal_auditor')('GET', `/api/evidence?linkedTo=ai_system:${system.id}`)).json();
    expect(bySystem.total).toBe(1);
    const none = (await server.as('internal_auditor')('GET', `/api/evidence?linkedTo=${encodeURIComponent('catalogue_item:iso42001:A.6.2.4')}`)).json();
    expect(none.total).toBe(0);
    const badFilter = await server.as('internal_auditor')('GET', '/api/evidence?linkedTo=control:A.5.2');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error.details[0]).toMatchObject({ path: 'querystring:/linkedTo' });

    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.linked').where('record_id', '=', evidence.id).orderBy('seq').executeTakeFirstOrThrow();
    expect(JSON.parse(event.after_json!)).toMatchObject({ targetType: 'catalogue_item', targetId: 'iso42001:A.5.2' });
    expect(event.reason).toBe('impact assessment done');
  });

  it('rejects links to unknown or unsupported targets', async () => {
    const evidence = await uploaded({ title: 'Supplier contract', kind: 'contract' }, { name: 'contract.pdf', content: 'contract text' });
    const before = await snapshot();

    const unknownRef = await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: 'iso42001:A.99.1' } });
    expect(unknownRef.statusCode).toBe(400);
    expect(unknownRef.json().error.details).toEqual([
      { path: '/targetId', message: '"iso42001:A.99.1" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)' },
    ]);

    const unknownSystem = await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'ai_system', targetId: 'no-such-system' } });
    expect(unknownSystem.statusCode).toBe(400);
    expect(unknownSystem.json().error.details).toEqual([{ path: '/targetId', message: 'no AI system with id "no-such-system" exists; GET /api/ai-systems lists them' }]);

    const risk = await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'risk', targetId: 'risk-1' } });
    expect(risk.statusCode).toBe(400);
    expect(risk.json().error.details).toEqual([{ path: '/targetId', message: 'no risk with id "risk-1" exists; GET /api/risks lists them' }]);

    const unknownType = await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'control', targetId: 'A.5.2' } });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().error.details[0].path).toBe('/targetType');

    const unknownEvidence = await server.as('administrator')('POST', '/api/evidence/no-such-evidence/links', { body: { targetType: 'catalogue_item', targetId: 'iso42001:A.5.2' } });
    expect(unknownEvidence.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);

    expect((await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: 'iso42001:A.10.3' } })).statusCode).toBe(201);
    const duplicate = await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: 'iso42001:A.10.3' } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe('The evidence "Supplier contract" is already linked to catalogue_item iso42001:A.10.3');
  });

  it('unlinks, then deletes evidence without links', async () => {
    const evidence = await uploaded({ title: 'Training attendance list', kind: 'training_record' }, { name: 'attendance.csv', content: 'name,date\nA,2026-02-01\n', contentType: 'text/csv' });
    const ref = 'nist-ai-rmf:GOVERN 2.2';
    expect((await server.as('administrator')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: ref } })).statusCode).toBe(201);

    const blocked = await server.as('administrator')('DELETE', `/api/evidence/${evidence.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toBe(`The evidence "Training attendance list" is still linked to catalogue_item ${ref}; unlink it first, or keep it as the record of what it showed`);

    const linkUrl = `/api/evidence/${evidence.id}/links/catalogue_item/${encodeURIComponent(ref)}`;
    expect((await server.as('internal_auditor')('DELETE', linkUrl)).statusCode).toBe(403);
    const unlinked = await server.as('administrator')('DELETE', `${linkUrl}?reason=wrong%20subcategory`);
    expect(unlinked.statusCode, unlinked.body).toBe(204);
    expect((await server.as('administrator')('GET', `/api/evidence/${evidence.id}`)).json().links).toEqual([]);
    const again = await server.as('administrator')('DELETE', linkUrl);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe(`The evidence "Training attendance list" is not linked to catalogue_item ${ref}; GET /api/evidence/${evidence.id} lists its links`);

    const unlinkEvent = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.unlinked').where('record_id', '=', evidence.id).executeTakeFirstOrThrow();
    expect(JSON.parse(unlinkEvent.before_json!)).toMatchObject({ targetType: 'catalogue_item', targetId: ref });
    expect(unlinkEvent.reason).toBe('wrong subcategory');

    expect((await server.as('administrator')('DELETE', `/api/evidence/${evidence.id}`, { headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect((await server.as('administrator')('GET', `/api/evidence/${evidence.id}`)).statusCode).toBe(404);
    // The audit trail names the file by hash, so the store keeps it.
    expect(storedFiles()).toContain(path.join(evidence.sha256.slice(0, 2), evidence.sha256));
  });

  it('lists evidence due for review with the days remaining', async () => {
    // The clock reads 2026-03-01 (UTC) throughout this file.
    const dates = { expired: '2026-02-20', today: '2026-03-01', soon: '2026-03-11', later: '2026-04-15' };
    const ids: Record<string, string> = {};
    for (const [label, validUntil] of Object.entries(dates)) {
      ids[label] = (await uploaded({ title: `Certificate ${label}`, kind: 'certificate', validUntil }, { name: `${label}.pdf`, content: `certificate ${label}` })).id;
    }
    ids.open = (await uploaded({ title: 'Certificate without end', kind: 'certificate', validUntil: '' }, { name: 'open.pdf', content: 'certificate open' })).id;
    const mine = new Set(Object.values(ids));
    const dueIn = async (query: string) => {
      const page = (await server.as('oversight_board_member')('GET', `/api/evidence/review-due${query}`)).json();
      return page.items.filter((item: { id: string }) => mine.has(item.id)).map((item: { title: string; daysRemaining: number; expired: boolean }) => [item.title, item.daysRemaining, item.expired]);
    };

    expect(await dueIn('')).toEqual([
      ['Certificate expired', -9, true],
      ['Certificate today', 0, false],
      ['Certificate soon', 10, false],
    ]);
    expect(await dueIn('?withinDays=0')).toEqual([
      ['Certificate expired', -9, true],
      ['Certificate today', 0, false],
    ]);
    expect((await dueIn('?withinDays=45')).map((entry: unknown[]) => entry[0])).toEqual(['Certificate expired', 'Certificate today', 'Certificate soon', 'Certificate later']);

    const tooFar = await server.as('oversight_board_member')('GET', '/api/evidence/review-due?withinDays=3651');
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().error.details).toEqual([{ path: 'querystring:/withinDays', message: 'must be 3650 or less (received 3651)' }]);

    const listed = (await server.as('internal_auditor')('GET', '/api/evidence?expiresWithinDays=10&sort=validUntil&limit=500')).json();
    expect(listed.items.filter((item: { id: string }) => mine.has(item.id)).map((item: { title: string }) => item.title)).toEqual([
      'Certificate expired',
      'Certificate today',
      'Certificate soon',
    ]);
    expect((await server.as('internal_auditor')('GET', `/api/evidence/${ids.open}`)).json().validUntil).toBeNull();
  });

  it('rejects an upload over the limit and writes nothing', async () => {
    const before = await snapshot();

    const streamed = await upload('validator', { title: 'Too large', kind: 'log' }, { name: 'app.log', content: randomBytes(uploadLimitBytes + 1) });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error).toMatchObject({
      code: 'BODY_TOO_LARGE',
      message: `The evidence file is larger than the upload limit of ${uploadLimitBytes} bytes; split or compress the file, or raise CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES`,
    });
    expect(await snapshot()).toEqual(before);

    // A body whose declared length already exceeds the limit fails before any of it is read.
    const declared = await upload('validator', { title: 'Far too large', kind: 'log' }, { name: 'app.log', content: Buffer.alloc(uploadLimitBytes + 3 * 1024 * 1024) });
    expect(declared.statusCode).toBe(413);
    expect(await snapshot()).toEqual(before);

    const exact = await uploaded({ title: 'Exactly at the limit', kind: 'log' }, { name: 'limit.log', content: Buffer.alloc(uploadLimitBytes, 7) });
    expect(exact.sizeBytes).toBe(uploadLimitBytes);
  });

  it('tells the upload limit to every role', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/evidence/upload-limit');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ maxFileBytes: uploadLimitBytes });
  });

  it('decodes the escapes browsers apply to a file name', async () => {
    // Browsers and curl send `"` in a file name as %22; the stored name is the one the user chose.
    const created = await uploaded({ title: 'Quoted name', kind: 'other' }, { name: 'Board %22final%22 minutes.txt', content: 'minutes' });
    expect(created.fileName).toBe('Board "final" minutes.txt');

    // A line feed sent as %0A is still a control character in the name, and rejected.
    const before = await snapshot();
    const response = await upload('validator', { title: 'Hostile name', kind: 'other' }, { name: 'a%0Ab.txt', content: 'payload' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].message).toContain('contains the control character U+000A; remove it');
    expect(await snapshot()).toEqual(before);
  });

  it('stops an over-limit upload on a real connection', async () => {
    await server.as('validator')('GET', '/api/evidence?limit=1');
    const { token } = await createApiToken(ctx, systemCaller, { username: 'validator', role: 'validator', name: 'streaming test' });
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const before = await snapshot();

    // Far more than the socket buffers can take, so that the server must respond before the client is done.
    const maxBytes = uploadLimitBytes + 64 * 1024 * 1024;
    const result = await streamUntilResponse(`${address}/api/evidence`, token, maxBytes);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe('BODY_TOO_LARGE');
    expect(result.connection).toBe('close');
    expect(result.bytesSent).toBeLessThan(maxBytes);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['../../etc/passwd', 'contains a path separator ("/" or "\\"); send the file name without any directory, such as "passwd"'],
    ['a\u0000b', 'contains the control character U+0000; remove it'],
    ['..', 'names a directory, not a file; send the name of the file itself, such as report.pdf'],
    ['.', 'names a directory, not a file; send the name of the file itself, such as report.pdf'],
    ['C:\\Windows\\win.ini', 'contains a path separator ("/" or "\\"); send the file name without any directory, such as "win.ini"'],
    ['report\u001b[31m.pdf', 'contains the control character U+001B; remove it'],
    ['invoice\u202Efdp.exe', 'contains the bidirectional formatting character U+202E, which can disguise the extension; remove it'],
    [`${'é'.repeat(128)}.pdf`, 'is 260 bytes long in UTF-8; shorten it to at most 255 bytes'],
    ['', 'is empty; send the file part with the name of the file, such as report.pdf'],
  ])('rejects the file name %j and writes nothing', async (fileName, problem) => {
    const before = await snapshot();
    const response = await upload('validator', { title: 'Hostile name', kind: 'other' }, { name: fileName, content: 'payload' });
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details;
    expect(details).toHaveLength(1);
    expect(details[0].path).toBe('/file/filename');
    expect(details[0].message).toContain(`the file name ${JSON.stringify(fileName).slice(0, 40)}`);
    expect(details[0].message).toContain(` ${problem}`);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects invalid metadata, also when it follows the file', async () => {
    const before = await snapshot();

    const afterFile = multipartBody([
      { name: 'file', value: randomBytes(100_000), fileName: 'capture.png', contentType: 'image/png' },
      { name: 'title', value: 'Screenshot of the consent dialog' },
      { name: 'kind', value: 'photo' },
      { name: 'validUntil', value: '2026-02-30' },
      { name: 'collectedByPersonId', value: '' },
    ]);
    const late = await server.as('validator')('POST', '/api/evidence', afterFile);
    expect(late.statusCode).toBe(400);
    const paths = late.json().error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['/kind', '/validUntil']);
    expect(await snapshot()).toEqual(before);

    const unknownPerson = await upload('validator', { title: 'Signed policy', kind: 'policy', collectedByPersonId: 'no-such-person' }, { name: 'policy.pdf', content: 'policy' });
    expect(unknownPerson.statusCode).toBe(400);
    expect(unknownPerson.json().error.details).toEqual([
      { path: '/collectedByPersonId', message: 'no person with id "no-such-person" exists; check the id or create the person first' },
    ]);
    expect(await snapshot()).toEqual(before);

    const unknownField = await upload('validator', { title: 'Signed policy', kind: 'policy', owner: 'me', title2: 'x' }, { name: 'policy.pdf', content: 'policy' });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['/owner', '/title2']);

    const repeated = multipartBody([
      { name: 'title', value: 'One' },
      { name: 'title', value: 'Two' },
      { name: 'kind', value: 'policy' },
      { name: 'file', value: 'policy', fileName: 'policy.pdf' },
    ]);
    const twice = await server.as('validator')('POST', '/api/evidence', repeated);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details).toEqual([{ path: '/title', message: 'was sent more than once; send each field once' }]);

    const noFile = await server.as('validator')('POST', '/api/evidence', multipartBody([{ name: 'title', value: 'No file' }, { name: 'kind', value: 'record' }]));
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.details).toEqual([
      { path: '/file', message: 'is required; send the evidence file as a form part named "file" with its file name, for example curl -F file=@report.pdf' },
    ]);

    const twoFiles = multipartBody([
      { name: 'title', value: 'Two files' },
      { name: 'kind', value: 'record' },
      { name: 'file', value: 'first', fileName: 'a.txt' },
      { name: 'file', value: 'second', fileName: 'b.txt' },
    ]);
    const doubled = await server.as('validator')('POST', '/api/evidence', twoFiles);
    expect(doubled.statusCode).toBe(400);
    expect(doubled.json().error.message).toBe('The form contains more than one file; send exactly one file part, named "file"');

    const empty = await upload('validator', { title: 'Empty', kind: 'record' }, { name: 'empty.txt', content: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toEqual([{ path: '/file', message: 'the evidence file is empty; send the file with its content' }]);

    const badType = await upload('validator', { title: 'Odd type', kind: 'record' }, { name: 'odd.bin', content: 'x', contentType: 'not a type' });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.details[0].path).toBe('/file/content-type');

    const noBoundary = await server.as('validator')('POST', '/api/evidence', { payload: 'title=x', headers: { 'content-type': 'multipart/form-data' } });
    expect(noBoundary.statusCode).toBe(400);
    expect(noBoundary.json().error.message).toContain('The multipart body is malformed');

    const json = await server.as('validator')('POST', '/api/evidence', { body: { title: 'JSON', kind: 'record' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toContain('send multipart/form-data');

    expect(await snapshot()).toEqual(before);
  });

  it('forbids uploads and changes to roles without evidence.write', async () => {
    const evidence = await uploaded({ title: 'Validation protocol', kind: 'procedure' }, { name: 'protocol.md', content: '# Protocol', contentType: 'text/markdown' });
    const before = await snapshot();

    for (const role of ['internal_auditor', 'approver', 'oversight_board_member'] as const) {
      const response = await upload(role, { title: 'Not allowed', kind: 'other' }, { name: 'x.txt', content: 'x' });
      expect(response.statusCode, role).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    const attempts = [
      () => server.as('internal_auditor')('PATCH', `/api/evidence/${evidence.id}`, { body: { title: 'Changed' } }),
      () => server.as('internal_auditor')('DELETE', `/api/evidence/${evidence.id}`),
      () => server.as('internal_auditor')('POST', `/api/evidence/${evidence.id}/links`, { body: { targetType: 'catalogue_item', targetId: 'iso42001:A.6.2.4' } }),
      () => server.as('internal_auditor')('PUT', `/api/evidence/${evidence.id}/file`, multipartBody([{ name: 'file', value: 'y', fileName: 'y.txt' }])),
      () => server.as('approver')('PATCH', `/api/evidence/${evidence.id}`, { body: { title: 'Changed' } }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.statusCode).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    expect((await server.anonymous('GET', '/api/evidence')).statusCode).toBe(401);
  });

  it('serves restricted files only to privileged roles and the uploader', async () => {
    const content = 'Names and health data of the pilot participants';
    const evidence = await uploaded({ title: 'Pilot participant list', kind: 'record', confidentiality: 'restricted' }, { name: 'participants.csv', content, contentType: 'text/csv' });
    const url = `/api/evidence/${evidence.id}/content`;

    for (const role of ['validator', 'administrator', 'internal_auditor', 'data_protection_officer', 'oversight_board_member'] as const) {
      const response = await server.as(role)('GET', url);
      expect(response.statusCode, role).toBe(200);
      expect(response.body).toBe(content);
    }
    for (const role of ['ai_system_owner', 'risk_owner', 'approver'] as const) {
      const response = await server.as(role)('GET', url);
      expect(response.statusCode, role).toBe(403);
      expect(response.json().error.message).toContain('is restricted; its file is only for administrators, internal auditors, data protection officers, oversight board members and its uploader');
    }
    const metadata = await server.as('ai_system_owner')('GET', `/api/evidence/${evidence.id}`);
    expect(metadata.statusCode).toBe(200);
    expect(metadata.json()).toMatchObject({ title: 'Pilot participant list', confidentiality: 'restricted', fileName: 'participants.csv' });

    const opened = await server.as('validator')('PATCH', `/api/evidence/${evidence.id}`, { body: { confidentiality: 'internal' }, headers: { 'if-match': '"1"' } });
    expect(opened.statusCode).toBe(200);
    expect((await server.as('ai_system_owner')('GET', url)).statusCode).toBe(200);
  });

  it('changes metadata with If-Match and audits it', async () => {
    const evidence = await uploaded({ title: 'Risk treatment plan', kind: 'report' }, { name: 'plan.xlsx', content: 'plan' });
    const person = (await server.as('administrator')('POST', '/api/people', { body: { name: 'Ada Example', jobTitle: 'Risk manager' } })).json();

    const response = await server.as('risk_owner')('PATCH', `/api/evidence/${evidence.id}?reason=owner%20named`, {
      body: { title: '  Risk treatment plan 2026 ', collectedByPersonId: person.id, collectedAt: '2026-02-01T12:00:00-05:00' },
      headers: { 'if-match': '"1"' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ title: 'Risk treatment plan 2026', collectedByPersonId: person.id, collectedAt: '2026-02-01T17:00:00.000Z', version: 2, sha256: evidence.sha256 });
    expect(response.headers.etag).toBe('"2"');

    const stale = await server.as('risk_owner')('PATCH', `/api/evidence/${evidence.id}`, { body: { title: 'Lost' }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const unknownPerson = await server.as('risk_owner')('PATCH', `/api/evidence/${evidence.id}`, { body: { collectedByPersonId: 'nobody' } });
    expect(unknownPerson.statusCode).toBe(400);
    const readOnlyField = await server.as('risk_owner')('PATCH', `/api/evidence/${evidence.id}`, { body: { sha256: 'a'.repeat(64) } });
    expect(readOnlyField.statusCode).toBe(400);
    expect(readOnlyField.json().error.details).toEqual([{ path: '/sha256', message: 'is not a known field; remove it' }]);

    const event = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'evidence.updated').where('record_id', '=', evidence.id).executeTakeFirstOrThrow();
    expect(JSON.parse(event.before_json!).title).toBe('Risk treatment plan');
    expect(JSON.parse(event.after_json!).title).toBe('Risk treatment plan 2026');
  });

  it('refuses to serve a missing or altered file', async () => {
    const content = 'Log extract of the model monitoring job';
    const evidence = await uploaded({ title: 'Monitoring log', kind: 'log' }, { name: 'monitoring.log', content, contentType: 'text/plain' });
    const stored = path.join(storeRoot(), 'sha256', evidence.sha256.slice(0, 2), evidence.sha256);
    fs.chmodSync(stored, 0o600);

    // An altered file of the same size that fits in one chunk gets an error instead of its bytes.
    fs.writeFileSync(stored, content.toUpperCase());
    const altered = await server.as('administrator')('GET', `/api/evidence/${evidence.id}/content`);
    expect(altered.statusCode).toBe(500);
    expect(altered.json().error.message).toBe(
      `The file of evidence "Monitoring log" no longer matches its SHA-256 ${evidence.sha256}; an administrator should run \`custos evidence verify\` and restore the file from a backup`,
    );

    // A larger one has sent its first chunks when the mismatch shows, so it ends short of its Content-Length.
    const large = randomBytes(300_000);
    const largeEvidence = await uploaded({ title: 'Monitoring archive', kind: 'log' }, { name: 'archive.bin', content: large });
    const largeStored = path.join(storeRoot(), 'sha256', largeEvidence.sha256.slice(0, 2), largeEvidence.sha256);
    fs.chmodSync(largeStored, 0o600);
    const tampered = Buffer.from(large);
    tampered.writeUInt8(tampered.readUInt8(123_456) ^ 0xff, 123_456);
    fs.writeFileSync(largeStored, tampered);
    await expect(server.as('administrator')('GET', `/api/evidence/${largeEvidence.id}/content`)).rejects.toThrow('response destroyed before completion');

    fs.rmSync(stored);
    const missing = await server.as('administrator')('GET', `/api/evidence/${evidence.id}/content`);
    expect(missing.statusCode).toBe(500);
    expect(missing.json().error.message).toContain(`The file of evidence "Monitoring log" (sha256 ${evidence.sha256}) is missing or altered in the evidence store (found no file)`);
  });

  it('lists with filters, sorting and pagination', async () => {
    for (const title of ['Paged evidence C', 'Paged evidence A', 'Paged evidence B']) {
      await uploaded({ title, kind: 'screenshot', description: 'pagination' }, { name: `${title}.png`, content: title, contentType: 'image/png' });
    }
    const page = (await server.as('internal_auditor')('GET', '/api/evidence?q=PAGED%20EVIDENCE&kind=screenshot&sort=-title&limit=2&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((item: { title: string }) => item.title)).toEqual(['Paged evidence B', 'Paged evidence A']);
    const restricted = (await server.as('internal_auditor')('GET', '/api/evidence?confidentiality=restricted')).json();
    expect(restricted.items.every((item: { confidentiality: string }) => item.confidentiality === 'restricted')).toBe(true);
    const bad = await server.as('internal_auditor')('GET', '/api/evidence?sort=size');
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the audit chain intact and leaves no temporary file', async () => {
    expect(temporaryFiles()).toEqual([]);
    const actions = await database.db.selectFrom('audit_events').select('action').distinct().where('record_type', '=', 'evidence').execute();
    expect(new Set(actions.map((row) => row.action))).toEqual(
      new Set(['evidence.created', 'evidence.updated', 'evidence.file_replaced', 'evidence.deleted', 'evidence.linked', 'evidence.unlinked']),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
