import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { isRole, roles, type Role } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { createApiToken } from '../../users/tokens.service.js';
import { createUser } from '../../users/users.service.js';
import { cliCaller, openContext, type GlobalOptions } from '../runtime.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseRoles(values: string[]): Role[] {
  const unknown = values.filter((value) => !isRole(value));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; use one of ${roles.join(', ')}`);
  }
  return values as Role[];
}

export function registerUserCommands(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user; the password comes from CUSTOS_NEW_USER_PASSWORD or is generated and printed once')
    .requiredOption('--username <name>', 'sign-in name: lower-case letters, digits, ., _ and -')
    .option('--role <role>', `a role to grant, repeatable: ${roles.join(', ')}`, collect, [])
    .option('--display-name <name>', 'name shown in the web app')
    .action(async (options: { username: string; role: string[]; displayName?: string }) => {
      const granted = parseRoles(options.role.length > 0 ? options.role : ['internal_auditor']);
      const given = process.env.CUSTOS_NEW_USER_PASSWORD;
      const password = given && given.length > 0 ? given : randomBytes(18).toString('base64url');
      const ctx = await openContext(globals());
      try {
        const created = await createUser(ctx, cliCaller(), {
          username: options.username,
          password,
          roles: granted,
          ...(options.displayName ? { displayName: options.displayName } : {}),
        });
        process.stdout.write(`Created user ${created.username} with roles ${created.roles.join(', ')}\n`);
        if (!given) process.stdout.write(`Password (shown once): ${password}\n`);
      } finally {
        await ctx.close();
      }
    });

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Issue an API token bound to a user and one of their roles; prints the token once')
    .option('--user <username>', 'the user the token acts as', 'admin')
    .option('--role <role>', 'the role the token acts with (one the user holds)', 'administrator')
    .option('--name <name>', 'what the token is for')
    .option('--expires-in-days <days>', 'days until the token expires (default: never)')
    .action(async (options: { user: string; role: string; name?: string; expiresInDays?: string }) => {
      const [role] = parseRoles([options.role]);
      let expiresInDays: number | undefined;
      if (options.expiresInDays !== undefined) {
        expiresInDays = Number(options.expiresInDays);
        if (!Number.isInteger(expiresInDays) || expiresInDays < 1) {
          throw new AppError('VALIDATION_FAILED', `--expires-in-days "${options.expiresInDays}" is not a whole number of days of 1 or more`);
        }
      }
      const ctx = await openContext(globals());
      try {
        const issued = await createApiToken(ctx, cliCaller(), {
          username: options.user,
          role: role!,
          ...(options.name ? { name: options.name } : {}),
          ...(expiresInDays ? { expiresInDays } : {}),
        });
        process.stdout.write(`${issued.token}\n`);
        process.stderr.write(`Token ${issued.apiToken.id} for ${options.user} as ${issued.apiToken.role}; store it now, it is not shown again\n`);
      } finally {
        await ctx.close();
      }
    });
}
