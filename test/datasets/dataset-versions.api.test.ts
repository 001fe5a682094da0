import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDatasetVersionFromFile } from '../../src/datasets/dataset-versions.service.js';
import { insertDatasetVersionFromFile } from '../../src/datasets/datasets.service.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Upload limit of the test server: above the 1 MiB JSON body limit, small enough to exceed in a test. */
const uploadLimitBytes = 4 * 1024 * 1024;

function sha256sum(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
}

describe.each(databaseKinds)('dataset versions on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let ctx: ServiceContext;
  let datasetId: string;
  let directory: string;
  let csvFile: string;
  let largeFile: string;

  const octetStream = { 'content-type': 'application/octet-stream' };
  const upload = (query: string, payload: string | Buffer | NodeJS.ReadableStream, headers: Record<string, string> = octetStream) =>
    server.as('validator')('POST', `/api/datasets/${datasetId}/versions?${query}`, { payload, headers });
  const versionCount = async () => (await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions`)).json().total as number;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const base = testContext(database);
    ctx = { ...base, config: loadConfig({ CUSTOS_DATASET_UPLOAD_LIMIT_BYTES: String(uploadLimitBytes) }, { dataDir: database.settings.dataDir }) };
    server = await startTestServer(ctx);
    datasetId = (await server.as('validator')('POST', '/api/datasets', { body: { name: 'Loan applications', containsPersonalData: true } })).json().id;

    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-dataset-'));
    csvFile = path.join(directory, 'loans.csv');
    const rows = Array.from({ length: 5_000 }, (_, index) => `${index},applicant-${index},${(index * 37) % 1000},${index % 2 === 0 ? 'approved' : 'declined'}`);
    fs.writeFileSync(csvFile, `id,name,amount,outcome\n${rows.join('\n')}\n`);
    largeFile = path.join(directory, 'large.bin');
    fs.writeFileSync(largeFile, randomBytes(3 * 1024 * 1024 + 17));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('fingerprints an upload as sha256sum does', async () => {
    const response = await upload('versionLabel=2024-01&location=s3%3A%2F%2Fdata%2Floans.csv', fs.readFileSync(csvFile));
    expect(response.statusCode).toBe(201);
    const version = response.json();
    expect(version).toMatchObject({
      datasetId,
      versionLabel: '2024-01',
      sha256: sha256sum(csvFile),
      sizeBytes: fs.statSync(csvFile).size,
      location: 's3://data/loans.csv',
      version: 1,
    });
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/datasets/${datasetId}/versions/${version.id}`);

    const read = await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions/${version.id}`);
    expect(read.json()).toEqual(version);
  });

  it('streams an upload larger than the JSON body limit', async () => {
    expect(fs.statSync(largeFile).size).toBeGreaterThan(ctx.config.bodyLimitBytes);
    const response = await upload('versionLabel=large&location=large.bin', fs.createReadStream(largeFile));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sha256: sha256sum(largeFile), sizeBytes: fs.statSync(largeFile).size });
  });

  it('rejects an upload over the limit and writes nothing', async () => {
    const before = await versionCount();
    const oversized = randomBytes(uploadLimitBytes + 1);

    const declared = await upload('versionLabel=too-big&location=x', oversized);
    expect(declared.statusCode).toBe(413);
    expect(declared.json().error.code).toBe('BODY_TOO_LARGE');
    expect(declared.json().error.message).toContain(`upload limit of ${uploadLimitBytes} bytes`);

    // Without Content-Length the limit is enforced while the bytes stream through the hash.
    const streamed = await upload('versionLabel=too-big&location=x', Readable.from([oversized.subarray(0, 1_000_000), oversized.subarray(1_000_000)]));
    expect(streamed.statusCode).toBe(413);
    expect(streamed.headers.connection).toBe('close');

    expect(await versionCount()).toBe(before);
  });

  it('keeps the JSON body limit on other routes', async () => {
    const response = await server.as('validator')('POST', '/api/datasets', {
      body: { name: 'Huge description', containsPersonalData: false, description: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(response.statusCode).toBe(413);
    const octet = await server.as('validator')('POST', '/api/datasets', { payload: 'a,b\n1,2\n', headers: octetStream });
    expect(octet.statusCode).toBe(415);
  });

  it('rejects bad uploads with the reason', async () => {
    const wrongType = await upload('versionLabel=v&location=x', '{"rows": []}', { 'content-type': 'application/json' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.message).toBe(
      'Content-Type "application/json" is not accepted here; send the dataset file as the body with Content-Type: application/octet-stream',
    );

    const compressed = await upload('versionLabel=v&location=x', 'abc', { ...octetStream, 'content-encoding': 'gzip' });
    expect(compressed.statusCode).toBe(415);
    expect(compressed.json().error.message).toContain('Content-Encoding "gzip"');

    const empty = await upload('versionLabel=v&location=x', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].message).toBe('the dataset file is empty; send or name the file with its content');

    const noBody = await server.as('validator')('POST', `/api/datasets/${datasetId}/versions?versionLabel=v&location=x`);
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.message).toContain('The request has no body');

    const missingQuery = await upload('location=%20', 'a,b\n');
    expect(missingQuery.statusCode).toBe(400);
    const paths = missingQuery.json().error.details.map((detail: { path: string }) => detail.path).sort();
    expect(paths).toEqual(['querystring:/location', 'querystring:/versionLabel']);

    const unknownDataset = await server.as('validator')('POST', '/api/datasets/no-such-dataset/versions?versionLabel=v&location=x', {
      payload: 'a,b\n',
      headers: octetStream,
    });
    expect(unknownDataset.statusCode).toBe(404);
    expect(unknownDataset.json().error.message).toContain('"no-such-dataset"');

    const duplicate = await upload('versionLabel=2024-01&location=x', 'other content\n');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe(
      'The dataset "Loan applications" already has a version labelled "2024-01"; choose another label for the new file',
    );
  });

  it('finds a version by its fingerprint', async () => {
    const hash = sha256sum(largeFile);
    const found = (await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions?sha256=${hash}`)).json();
    expect(found.total).toBe(1);
    expect(found.items[0].versionLabel).toBe('large');

    const all = (await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions?sort=-versionLabel`)).json();
    expect(all.items.map((item: { versionLabel: string }) => item.versionLabel)).toEqual(['large', '2024-01']);

    const upperCase = await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions?sha256=${hash.toUpperCase()}`);
    expect(upperCase.statusCode).toBe(400);
  });

  it('fingerprints a local file by path', async () => {
    const added = await addDatasetVersionFromFile(ctx, systemCaller, datasetId, 'from-disk', csvFile);
    expect(added).toMatchObject({ sha256: sha256sum(csvFile), sizeBytes: fs.statSync(csvFile).size, location: path.resolve(csvFile) });

    const inserted = await writeTransaction(database, (trx) =>
      insertDatasetVersionFromFile(trx, systemCaller, new Date(), datasetId, 'from-disk-in-transaction', largeFile, { location: 'examples/large.bin' }),
    );
    expect(inserted).toMatchObject({ sha256: sha256sum(largeFile), location: 'examples/large.bin' });
  });

  it('rejects a missing, empty or non-file path', async () => {
    const emptyFile = path.join(directory, 'empty.csv');
    fs.writeFileSync(emptyFile, '');
    const cases = [
      [path.join(directory, 'absent.csv'), `no file exists at "${path.join(directory, 'absent.csv')}"; check the path`],
      [emptyFile, `"${emptyFile}" is empty; a dataset version needs the file with its content`],
      [directory, `"${directory}" is not a regular file; name the dataset file itself`],
    ] as const;
    for (const [file, message] of cases) {
      const attempt = addDatasetVersionFromFile(ctx, systemCaller, datasetId, `bad-${path.basename(file)}`, file);
      await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'file', message }] });
    }
  });

  it('deletes a version with If-Match', async () => {
    const version = (await upload('versionLabel=temporary&location=tmp', 'a,b\n1,2\n')).json();
    const stale = await server.as('validator')('DELETE', `/api/datasets/${datasetId}/versions/${version.id}`, { headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await server.as('validator')('DELETE', `/api/datasets/${datasetId}/versions/${version.id}`, { headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await server.as('validator')('GET', `/api/datasets/${datasetId}/versions/${version.id}`)).statusCode).toBe(404);

    const blocked = await server.as('validator')('DELETE', `/api/datasets/${datasetId}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.message).toContain('still has 4 versions');
  });

  it('rejects uploads and deletions by a read-only role', async () => {
    const before = await versionCount();
    const uploadAttempt = await server.as('internal_auditor')('POST', `/api/datasets/${datasetId}/versions?versionLabel=auditor&location=x`, {
      payload: 'a\n',
      headers: octetStream,
    });
    expect(uploadAttempt.statusCode).toBe(403);
    const someVersion = (await server.as('internal_auditor')('GET', `/api/datasets/${datasetId}/versions?limit=1`)).json().items[0];
    const deleteAttempt = await server.as('internal_auditor')('DELETE', `/api/datasets/${datasetId}/versions/${someVersion.id}`);
    expect(deleteAttempt.statusCode).toBe(403);
    expect(await versionCount()).toBe(before);

    const auditor = callerWith(['internal_auditor']);
    await expect(addDatasetVersionFromFile(ctx, auditor, datasetId, 'auditor', csvFile)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      writeTransaction(database, (trx) => insertDatasetVersionFromFile(trx, auditor, new Date(), datasetId, 'auditor', csvFile)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits each version with its fingerprint', async () => {
    const events = (await server.as('internal_auditor')('GET', '/api/audit-events?recordType=dataset_version&order=asc&limit=500')).json();
    expect(events.items.map((event: { action: string }) => event.action)).toEqual([
      'dataset_version.created',
      'dataset_version.created',
      'dataset_version.created',
      'dataset_version.created',
      'dataset_version.created',
      'dataset_version.deleted',
    ]);
    expect(events.items[0].after.sha256).toBe(sha256sum(csvFile));
  });
});
