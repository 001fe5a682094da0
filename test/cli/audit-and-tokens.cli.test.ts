import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSystem } from '../../src/ai-systems/ai-systems.service.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { authenticateToken } from '../../src/users/tokens.service.js';
import { ensureAdministrator } from '../../src/users/first-start.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { testContext } from '../support/context.js';
import { runCli } from '../support/cli.js';

describe.each(databaseKinds)('CLI audit and token commands on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ctx = testContext(database);
    await ensureAdministrator(ctx);
    for (const name of ['Triage assistant', 'Benefit fraud signal', 'Route planner']) {
      await createAiSystem(ctx, systemCaller, { name, purpose: `${name} purpose`, businessUnit: 'Operations' });
    }
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('prints a token that authenticates as the user and role', async () => {
    const result = await runCli(database, ['token', 'create', '--user', 'admin', '--role', 'administrator', '--name', 'ci']);
    expect(result.exitCode).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^custos_[A-Za-z0-9_-]{43}$/);
    const caller = await authenticateToken(database.db, token, new Date(), null);
    expect(caller).toMatchObject({ username: 'admin', roles: ['administrator'], via: 'token' });
  });

  it('rejects a role the user does not hold with exit code 2', async () => {
    const result = await runCli(database, ['token', 'create', '--user', 'admin', '--role', 'validator']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('does not hold the role validator');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown role with exit code 2', async () => {
    const result = await runCli(database, ['token', 'create', '--role', 'superuser']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown role "superuser"');
  });

  it('exports every event as JSON Lines with hashes', async () => {
    const file = path.join(database.settings.dataDir, 'events.jsonl');
    const result = await runCli(database, ['audit', 'export', '--output', file]);
    expect(result.exitCode).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toMatchObject({ seq: 1, previous_hash: '0'.repeat(64) });
    expect(lines[1].previous_hash).toBe(lines[0].hash);
  });

  it('refuses to export over a database file', async () => {
    const target = path.join(database.settings.dataDir, 'other.db');
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const other = new BetterSqlite3(target);
    other.exec('create table kept (id integer)');
    other.close();
    const before = fs.readFileSync(target);

    const result = await runCli(database, ['audit', 'export', '--output', target]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is a SQLite database file');
    expect(fs.readFileSync(target).equals(before)).toBe(true);
  });

  it('verifies an intact chain with exit code 0', async () => {
    const result = await runCli(database, ['audit', 'verify']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Audit trail intact: \d+ events verified/);
  });

  it('names an edited event with exit code 1', async () => {
    if (kind === 'postgresql') await sql`alter table audit_events disable trigger user`.execute(database.db);
    await sql`update audit_events set after_json = replace(after_json, 'Route planner', 'Route optimiser') where seq = 4`.execute(database.db);
    if (kind === 'postgresql') await sql`alter table audit_events enable trigger user`.execute(database.db);

    const result = await runCli(database, ['audit', 'verify']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Audit event 4 was edited');
    const json = await runCli(database, ['audit', 'verify', '--json']);
    expect(JSON.parse(json.stdout).failure).toMatchObject({ seq: 4, kind: 'edited' });
  });

  it('rejects a non-PostgreSQL database URL with exit code 2', async () => {
    const result = await runCli(database, ['--database-url', 'mysql://localhost/x', 'audit', 'verify']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('CUSTOS_DATABASE_URL must start with postgres://');
  });
});
