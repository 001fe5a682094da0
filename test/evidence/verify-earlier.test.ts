import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidenceFiles } from '../../src/evidence/evidence-verify.service.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { evidenceForm, multipartBody } from './multipart.js';

describe.each(databaseKinds)('evidence verification of replaced files on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    server = await startTestServer(ctx);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('reports a lost earlier file named in the audit trail', async () => {
    const first = 'Bias test, version 1\n';
    const form = evidenceForm({ title: 'Bias test', kind: 'report', collectedAt: '2026-01-01T00:00:00Z', confidentiality: 'internal' }, { name: 'bias-v1.txt', content: first });
    const created = (await server.as('administrator')('POST', '/api/evidence', { payload: form.payload, headers: form.headers })).json();
    const replacement = multipartBody([{ name: 'file', value: 'Bias test, version 2\n', fileName: 'bias-v2.txt', contentType: 'text/plain' }]);
    expect((await server.as('administrator')('PUT', `/api/evidence/${created.id}/file`, { payload: replacement.payload, headers: replacement.headers })).statusCode).toBe(200);
    expect((await verifyEvidenceFiles(ctx, callerWith(['internal_auditor']))).ok).toBe(true);

    const firstHash = createHash('sha256').update(first).digest('hex');
    fs.rmSync(path.join(database.settings.dataDir, 'evidence', 'sha256', firstHash.slice(0, 2), firstHash), { force: true });
    const result = await verifyEvidenceFiles(ctx, callerWith(['internal_auditor']));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'missing', evidenceId: created.id, title: 'Bias test', expectedSha256: firstHash })]);
  });
});
