import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { isRole, roles, type Role } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { createUser, maximumPasswordLength, minimumPasswordLength } from '../../users/users.service.js';
import { withFlagNames } from '../flag-names.js';
import { cliCaller, openContext, type GlobalOptions } from '../runtime.js';

const passwordVariable = 'CUSTOS_NEW_USER_PASSWORD';

/** Flags of `user create` by the field of the service's input they fill. */
const userFlags = { '/username': '--username', '/displayName': '--display-name', '/roles': '--role', '/password': passwordVariable };

/** Gathers a repeated option; it starts undefined so that help shows no "(default: [])" for a required option. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Checks role names given on the command line; repeated names count once. */
export function parseRoles(values: string[]): Role[] {
  const unknown = values.filter((value) => !isRole(value));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}; use one of ${roles.join(', ')}`);
  }
  return [...new Set(values as Role[])];
}

/** Checks the password from the environment here, so that no message about it can quote the value. */
function checkNewUserPassword(password: string): void {
  if (password.length < minimumPasswordLength) {
    throw new AppError('VALIDATION_FAILED', `${passwordVariable} must be at least ${minimumPasswordLength} characters; set a longer password, or unset it to have one generated`);
  }
  if (password.length > maximumPasswordLength) {
    throw new AppError('VALIDATION_FAILED', `${passwordVariable} must be at most ${maximumPasswordLength} characters; set a shorter password`);
  }
}

export function registerUserCommands(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description(`Create a user; the password comes from ${passwordVariable} or is generated and printed once`)
    .requiredOption('--username <name>', 'sign-in name: 1 to 64 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit')
    .option('--role <role>', `role to grant; required, repeat it to grant several: ${roles.join(', ')}`, collect)
    .option('--display-name <name>', 'name shown in the web app (default: the username)')
    .action(async (options: { username: string; role?: string[]; displayName?: string }) => {
      if (options.role === undefined || options.role.length === 0) {
        throw new AppError('VALIDATION_FAILED', `--role is required; grant one or more of ${roles.join(', ')}, for example --role validator`);
      }
      const granted = parseRoles(options.role);
      const chosenPassword = process.env[passwordVariable];
      if (chosenPassword) checkNewUserPassword(chosenPassword);
      const password = chosenPassword ? chosenPassword : randomBytes(18).toString('base64url');

      const ctx = await openContext(globals());
      try {
        const created = await withFlagNames(userFlags, () =>
          createUser(ctx, cliCaller(), {
            username: options.username,
            password,
            roles: granted,
            ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
          }),
        );
        process.stdout.write(`Created user ${created.username} with roles ${created.roles.join(', ')}\n`);
        if (!chosenPassword) process.stdout.write(`Password (shown once): ${password}\n`);
      } finally {
        await ctx.close();
      }
    });
}
