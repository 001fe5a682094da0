import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeListenFailure, isListenHost } from '../../src/cli/listen-address.js';
import { systemErrorToAppError } from '../../src/cli/system-errors.js';
import { AppError } from '../../src/platform/errors.js';
import { runCli } from '../support/cli.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { findFreePort } from '../support/server-process.js';

/** Errors of the environment (a busy port, a missing directory) end as one plain line with exit code 2. */

/** Settings for runCli that name only a data directory, for commands that must fail before opening a database. */
function dataDirOnly(dataDir: string): TestDatabase {
  return { settings: { dataDir, databaseUrl: undefined, databaseSchema: 'public' } } as TestDatabase;
}

describe.each(databaseKinds)('CLI environment errors on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('names the busy port of serve', async () => {
    const port = await findFreePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runCli(database, ['serve', '--port', String(port), '--host', '127.0.0.1', '--no-demo']);
      // The message shows what the process printed when it ended another way.
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toBe(`custos: Port ${port} on 127.0.0.1 is already in use; stop the program that uses it or choose another port with --port (or CUSTOS_PORT)\n`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('names a host address of another machine', async () => {
    // 192.0.2.1 is reserved for documentation (RFC 5737); binding to it fails locally and sends nothing.
    const result = await runCli(database, ['serve', '--port', '0', '--host', '192.0.2.1', '--no-demo']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'custos: Cannot listen on 192.0.2.1 port 0: the address does not belong to this machine; give an address of this machine with --host (or CUSTOS_HOST), such as 127.0.0.1 or 0.0.0.0\n',
    );
  });

  it('names a missing directory for audit export', async () => {
    const target = path.join(database.settings.dataDir, 'missing', 'events.jsonl');
    const result = await runCli(database, ['audit', 'export', '--output', target]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: Cannot write to "${target}": its directory does not exist; check --output\n`);
  });

  it('names a directory given as the audit export file', async () => {
    const result = await runCli(database, ['audit', 'export', '--output', database.settings.dataDir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: Cannot write to "${database.settings.dataDir}": it is a directory; check --output\n`);
  });

  it('names a directory given as the register export file', async () => {
    const result = await runCli(database, ['export', '--format', 'json', '--output', database.settings.dataDir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: Cannot write to "${database.settings.dataDir}": it is a directory; check --output\n`);
  });
});

describe('CLI environment errors without a database', () => {
  let directory: string;

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-environment-'));
  });
  afterAll(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('names a PostgreSQL server that refuses connections', async () => {
    const result = await runCli(dataDirOnly(directory), ['--database-url', 'postgres://someone:secret@127.0.0.1:1/x', 'audit', 'verify']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'custos: Cannot connect to PostgreSQL at 127.0.0.1:1/x: the connection was refused; check that PostgreSQL runs there and correct --database-url\n',
    );
  });

  it('rejects a malformed host before any lookup', async () => {
    const dataDir = path.join(directory, 'never-created');
    const result = await runCli(dataDirOnly(dataDir), ['serve', '--host', '8.8.8.8.8', '--port', '0']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'custos: --host "8.8.8.8.8" is not an IP address or host name; give an address of this machine such as 127.0.0.1, ::1 or 0.0.0.0 (all interfaces), or a name such as localhost\n',
    );
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('names a data directory that is a file', async () => {
    const file = path.join(directory, 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const result = await runCli(dataDirOnly(file), ['migrate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `custos: Cannot open the SQLite database at ${file}: a file of that name is in the way of a directory; set CUSTOS_DATA_DIR to a directory that custos may write to\n`,
    );
  });
});

describe('listen address checks', () => {
  it('accepts addresses and host names', () => {
    for (const host of ['127.0.0.1', '::1', '0.0.0.0', 'localhost', 'custos.example.org', 'host-1.local.']) {
      expect(isListenHost(host), host).toBe(true);
    }
  });

  it('rejects malformed hosts', () => {
    for (const host of ['8.8.8.8.8', '300.1.1.1', '', 'under_score.example', '-leading.example', 'a'.repeat(64), 'http://localhost', '[::1]']) {
      expect(isListenHost(host), host).toBe(false);
    }
  });

  it('describes an unknown host name', () => {
    const lookupFailure = Object.assign(new Error('getaddrinfo ENOTFOUND custos.invalid'), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'custos.invalid' });
    const described = describeListenFailure(lookupFailure, 'custos.invalid', 4242);
    expect(described).toBeInstanceOf(AppError);
    expect((described as AppError).message).toBe(
      'Cannot listen on custos.invalid port 4242: the host name cannot be resolved; give an address of this machine with --host (or CUSTOS_HOST), such as 127.0.0.1 or 0.0.0.0',
    );
    expect((described as AppError).exitCode).toBe(2);
  });

  it('leaves errors other than system errors alone', () => {
    const other = new TypeError('not a system error');
    expect(describeListenFailure(other, 'localhost', 4242)).toBe(other);
  });
});

describe('system errors at the top of the CLI', () => {
  it('names the path of a file error', () => {
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), { code: 'ENOENT', syscall: 'open', path: '/x/y' });
    expect(systemErrorToAppError(missing)?.message).toBe('Cannot use "/x/y": no such file or directory; check the path and its permissions');
  });

  it('names the address of a network error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9 });
    expect(systemErrorToAppError(refused)?.message).toBe(
      'Network operation failed for 127.0.0.1:9: the connection was refused; check the host, the port and that the other side is running',
    );
  });

  it('leaves unlisted codes to the unexpected-error path', () => {
    const odd = Object.assign(new Error('odd'), { code: 'EXDEV' });
    expect(systemErrorToAppError(odd)).toBeUndefined();
  });
});
