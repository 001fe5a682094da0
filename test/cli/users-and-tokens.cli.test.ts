import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/platform/auth/roles.js';
import { authenticateToken } from '../../src/users/tokens.service.js';
import { ensureAdministrator } from '../../src/users/first-start.js';
import { runCli } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('CLI user and token commands on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await ensureAdministrator(testContext(database));
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('user create rejects a short password without echoing it', async () => {
    const result = await runCli(database, ['user', 'create', '--username', 'x', '--role', 'validator'], { CUSTOS_NEW_USER_PASSWORD: 'short' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('custos: CUSTOS_NEW_USER_PASSWORD must be at least 12 characters; set a longer password, or unset it to have one generated\n');
  });

  it('user create rejects an overlong password without echoing it', async () => {
    const password = 'p'.repeat(1025);
    const result = await runCli(database, ['user', 'create', '--username', 'x', '--role', 'validator'], { CUSTOS_NEW_USER_PASSWORD: password });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('custos: CUSTOS_NEW_USER_PASSWORD must be at most 1024 characters; set a shorter password\n');
  });

  it('user create requires --role and lists the roles', async () => {
    const result = await runCli(database, ['user', 'create', '--username', 'norole']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`custos: --role is required; grant one or more of ${roles.join(', ')}, for example --role validator\n`);
    const list = await runCli(database, ['token', 'list', '--user', 'norole']);
    expect(list.stderr).toBe('custos: No user named "norole" exists; check the username or list the users\n');
  });

  it('user create states the username rule in words', async () => {
    const result = await runCli(database, ['user', 'create', '--username', 'Bad Name', '--role', 'validator']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'custos: Invalid --username: must be 1 to 64 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit (received "Bad Name")\n',
    );
  });

  it('user create names the flag of an invalid display name once', async () => {
    const result = await runCli(database, ['user', 'create', '--username', 'dora', '--role', 'validator', '--display-name', '']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^custos: Invalid --display-name: [^\n]+\n$/);
  });

  it('user create grants a repeated role once', async () => {
    const result = await runCli(database, ['user', 'create', '--username', 'vera', '--role', 'validator', '--role', 'validator', '--role', 'approver'], {
      CUSTOS_NEW_USER_PASSWORD: 'a long enough password',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Created user vera with roles approver, validator\n');
  });

  it('token create names --expires-in-days out of range', async () => {
    const result = await runCli(database, ['token', 'create', '--expires-in-days', '5000']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'custos: --expires-in-days "5000" is invalid; give a whole number of days from 1 to 3650, or leave it out for a token that never expires\n',
    );
  });

  it('token create names the flag of an invalid name', async () => {
    const result = await runCli(database, ['token', 'create', '--name', '']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^custos: Invalid --name: [^\n]+\n$/);
  });

  it('token list shows tokens without their secrets', async () => {
    const issued = await runCli(database, ['token', 'create', '--user', 'vera', '--role', 'approver', '--name', 'review notebook', '--expires-in-days', '30']);
    expect(issued.exitCode).toBe(0);
    const token = issued.stdout.trim();

    const table = await runCli(database, ['token', 'list']);
    expect(table.exitCode).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +USER +ROLE +NAME +CREATED +EXPIRES +REVOKED$/);
    expect(rows.find((row) => row.includes('review notebook'))).toMatch(/ vera +approver +review notebook +\S+ +\S+ +-$/);
    expect(table.stdout).not.toContain(token);

    const json = await runCli(database, ['token', 'list', '--user', 'vera', '--json']);
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ username: 'vera', role: 'approver', name: 'review notebook', revokedAt: null });
    expect(Object.keys(listed[0]!).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'revokedAt', 'role', 'userId', 'username']);
    expect(json.stdout).not.toContain(token);
  });

  it('token revoke stops a token from authenticating', async () => {
    const issued = await runCli(database, ['token', 'create', '--user', 'vera', '--role', 'validator', '--name', 'to revoke']);
    const token = issued.stdout.trim();
    const listed = JSON.parse((await runCli(database, ['token', 'list', '--user', 'vera', '--json'])).stdout) as { id: string; name: string }[];
    const id = listed.find((entry) => entry.name === 'to revoke')!.id;

    const result = await runCli(database, ['token', 'revoke', id]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^API token ${id} \\("to revoke"\\) is revoked as of \\d{4}-\\d\\d-\\d\\dT`));
    expect(await authenticateToken(database.db, token, new Date(), null)).toBeUndefined();

    const after = JSON.parse((await runCli(database, ['token', 'list', '--user', 'vera', '--json'])).stdout) as { id: string; revokedAt: string | null }[];
    expect(after.find((entry) => entry.id === id)!.revokedAt).not.toBeNull();
  });

  it('token revoke names an unknown id', async () => {
    const result = await runCli(database, ['token', 'revoke', 'no-such-token']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('custos: No API token with id "no-such-token" exists; check the id or list the API token records\n');
  });
});
