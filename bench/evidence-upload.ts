// Run with: npm run bench -- evidence [--runs N]
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { systemCaller } from '../src/platform/auth/caller.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { createApiToken } from '../src/users/tokens.service.js';
import { openTestDatabase } from '../test/support/databases.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { tableRow } from './statistics.js';

/*
 * Resident memory of a `custos serve` process while it receives an evidence upload of 100 MB,
 * against the same process receiving 1 MB. The client streams each file from disk as
 * multipart/form-data over loopback. The server's resident set size (VmRSS in
 * /proc/<pid>/status, Linux only) is read just before each upload and every 10 ms during it.
 * Where the kernel allows, the peak is also reset before the upload (clear_refs) and read from
 * VmHWM after it, which catches a peak between two samples. The page cache that the written
 * file occupies is not part of the process's resident set.
 */

export interface EvidenceUploadOptions {
  /** Uploads of each size; the growth reported is the largest over the runs. */
  runs: number;
}

const mebibyte = 1024 * 1024;
/** The target: a 100 MB upload grows the server's resident memory by less than 50 MB. */
const targetGrowthBytes = 50 * 1000 * 1000;
const largeBytes = 100 * 1000 * 1000;
const smallBytes = 1000 * 1000;
const sampleIntervalMs = 10;

interface UploadMeasurement {
  seconds: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  growthBytes: number;
  /** Source of the peak: the kernel's high-water mark, or the samples alone. */
  peakSource: 'VmHWM' | 'samples';
}

export async function benchmarkEvidenceUpload(options: EvidenceUploadOptions, log: (line: string) => void): Promise<void> {
  if (process.platform !== 'linux') throw new Error('The evidence upload benchmark reads /proc/<pid>/status and runs on Linux only');

  const database = await openTestDatabase('sqlite');
  const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-bench-evidence-'));
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess({
      env: { CUSTOS_DATA_DIR: database.settings.dataDir, CUSTOS_ADMIN_PASSWORD: 'benchmark-admin-password', CUSTOS_LOG_LEVEL: 'info' },
    });
    const ctx: ServiceContext = { database, clock: systemClock, logger: pino({ level: 'silent' }), config: loadConfig({}, { dataDir: database.settings.dataDir }) };
    const { token } = await createApiToken(ctx, systemCaller, { username: 'admin', role: 'administrator', name: 'evidence benchmark' });

    const smallFile = writeRandomFile(path.join(workDirectory, 'small.bin'), smallBytes);
    const largeFile = writeRandomFile(path.join(workDirectory, 'large.bin'), largeBytes);
    log(`Server pid ${server.pid}; files of ${smallBytes} and ${largeBytes} bytes in ${workDirectory}; upload limit ${ctx.config.evidenceUploadLimitBytes} bytes`);

    // The first upload loads the multipart parser and compiles the routes' code, so it is not measured.
    await upload(server, token, smallFile, 'warm-up');

    const results: Record<'small' | 'large', UploadMeasurement[]> = { small: [], large: [] };
    for (let run = 1; run <= options.runs; run += 1) {
      results.small.push(await measureUpload(server, token, smallFile, `1 MB run ${run}`));
      results.large.push(await measureUpload(server, token, largeFile, `100 MB run ${run}`));
    }

    log(tableRow('', ['seconds', 'RSS before', 'peak RSS', 'growth', 'peak from']));
    for (const [label, measurements] of [['1 MB upload', results.small], ['100 MB upload', results.large]] as const) {
      for (const [index, measurement] of measurements.entries()) {
        log(
          tableRow(`${label}, run ${index + 1}`, [
            measurement.seconds.toFixed(2),
            megabytes(measurement.rssBeforeBytes),
            megabytes(measurement.peakRssBytes),
            megabytes(measurement.growthBytes),
            measurement.peakSource,
          ]),
        );
      }
    }

    const smallGrowth = Math.max(...results.small.map((measurement) => measurement.growthBytes));
    const largeGrowth = Math.max(...results.large.map((measurement) => measurement.growthBytes));
    const ratio = smallGrowth > mebibyte / 10 ? `${(largeGrowth / smallGrowth).toFixed(1)}×` : 'not meaningful (the 1 MB upload grew the RSS by under 0.1 MiB)';
    const fastest = Math.min(...results.large.map((measurement) => measurement.seconds));
    log(`Largest growth: ${megabytes(largeGrowth)} for 100 MB, ${megabytes(smallGrowth)} for 1 MB; ratio ${ratio}`);
    log(`Fastest 100 MB upload: ${fastest.toFixed(2)} s (${(largeBytes / 1e6 / fastest).toFixed(0)} MB/s, hashed and synced to disk)`);
    log(`Target: growth under ${megabytes(targetGrowthBytes)} for 100 MB: ${largeGrowth < targetGrowthBytes ? 'met' : 'NOT met'}`);
  } finally {
    await server?.stop();
    await database.cleanup();
    fs.rmSync(database.settings.dataDir, { recursive: true, force: true });
    fs.rmSync(workDirectory, { recursive: true, force: true });
  }
}

function writeRandomFile(file: string, sizeBytes: number): { path: string; sizeBytes: number; sha256: string } {
  const hash = createHash('sha256');
  const descriptor = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < sizeBytes; ) {
      const chunk = randomBytes(Math.min(mebibyte, sizeBytes - written));
      fs.writeSync(descriptor, chunk);
      hash.update(chunk);
      written += chunk.length;
    }
  } finally {
    fs.closeSync(descriptor);
  }
  return { path: file, sizeBytes, sha256: hash.digest('hex') };
}

async function measureUpload(server: ServerProcess, token: string, file: { path: string; sizeBytes: number; sha256: string }, title: string): Promise<UploadMeasurement> {
  const peakReset = resetPeak(server.pid);
  const rssBeforeBytes = readStatus(server.pid).rss;
  let sampledPeak = rssBeforeBytes;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, readStatus(server.pid).rss);
  }, sampleIntervalMs);

  const started = performance.now();
  try {
    await upload(server, token, file, title);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const status = readStatus(server.pid);
  sampledPeak = Math.max(sampledPeak, status.rss);
  const peakRssBytes = peakReset ? Math.max(sampledPeak, status.hwm) : sampledPeak;
  return { seconds, rssBeforeBytes, peakRssBytes, growthBytes: peakRssBytes - rssBeforeBytes, peakSource: peakReset ? 'VmHWM' : 'samples' };
}

/** Streams a file as the one file part of POST /api/evidence and checks the hash the server computed. */
function upload(server: ServerProcess, token: string, file: { path: string; sizeBytes: number; sha256: string }, title: string): Promise<void> {
  const boundary = `custos-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBenchmark upload, ${title}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file.path)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);

  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/api/evidence`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.sizeBytes + tail.length),
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => (body += text));
      response.on('end', () => {
        if (response.statusCode !== 201) {
          reject(new Error(`The upload "${title}" got ${response.statusCode}: ${body}`));
          return;
        }
        const created = JSON.parse(body) as { sha256: string };
        if (created.sha256 !== file.sha256) reject(new Error(`The server computed sha256 ${created.sha256} for "${title}", expected ${file.sha256}`));
        else resolve();
      });
    });

    request.write(head);
    const source = fs.createReadStream(file.path, { highWaterMark: mebibyte });
    source.on('error', reject);
    source.pipe(request, { end: false });
    source.on('end', () => request.end(tail));
  });
}

/** Resets the process's peak resident set size (VmHWM); returns false where the kernel does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function readStatus(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kilobytes('VmRSS'), hwm: kilobytes('VmHWM') };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
