import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { findFreePort, repositoryRoot } from '../support/server-process.js';
import { countRows } from '../inventory/inventory-fixtures.js';

const startTimeoutMs = 30_000;

/**
 * Starts `custos serve` with the demo enabled, waits until it prints its start-up lines, stops it
 * and returns what it printed. The demo is loaded before the server listens, so the lines tell
 * whether this process loaded it.
 */
async function serveOnce(database: TestDatabase): Promise<string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CUSTOS_')) env[key] = value;
  }
  Object.assign(env, {
    CUSTOS_DATA_DIR: database.settings.dataDir,
    CUSTOS_DATABASE_SCHEMA: database.settings.databaseSchema,
    CUSTOS_ADMIN_PASSWORD: 'demo-processes-password',
    CUSTOS_LOG_LEVEL: 'warn',
    ...(database.settings.databaseUrl ? { CUSTOS_DATABASE_URL: database.settings.databaseUrl } : {}),
  });
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`custos serve did not start within ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('API token:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`custos serve exited before it started:\n${output}`));
    });
  });

  try {
    await started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return output;
}

describe.each(databaseKinds)('demo loaded by two server processes on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('loads the demo exactly once', async () => {
    const outputs = await Promise.all([serveOnce(database), serveOnce(database)]);
    const loaders = outputs.filter((output) => output.includes('Demo organization loaded: 391 AI systems'));
    expect(loaders, outputs.join('\n----\n')).toHaveLength(1);

    expect((await countRows(database.db)).aiSystems).toBe(391);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
