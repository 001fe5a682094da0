import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { maxPageSize } from '../../platform/pagination.js';
import { listApiTokens, type ListedApiToken } from '../../users/token-listing.service.js';
import { CreateApiToken, createApiToken, revokeApiToken } from '../../users/tokens.service.js';
import { withFlagNames } from '../flag-names.js';
import { cliCaller, openExistingContext, type CliContext, type GlobalOptions } from '../runtime.js';
import { parseRoles } from './users.js';

/** Flags of `token create` by the field of the service's input they fill. */
const tokenFlags = { '/username': '--user', '/role': '--role', '/name': '--name', '/expiresInDays': '--expires-in-days' };

const maximumLifetimeDays = CreateApiToken.properties.expiresInDays.maximum ?? Number.MAX_SAFE_INTEGER;

function parseLifetimeDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(days) || days < 1 || days > maximumLifetimeDays) {
    throw new AppError('VALIDATION_FAILED', `--expires-in-days "${value}" is invalid; give a whole number of days from 1 to ${maximumLifetimeDays}, or leave it out for a token that never expires`);
  }
  return days;
}

export function registerTokenCommands(program: Command, globals: () => GlobalOptions): void {
  const token = program.command('token').description('Issue, list and revoke API tokens');

  token
    .command('create')
    .description('Issue an API token bound to a user and one of their roles; prints the token once')
    .option('--user <username>', 'the user the token acts as', 'admin')
    .option('--role <role>', 'the role the token acts with (one the user holds)', 'administrator')
    .option('--name <name>', 'what the token is for (default: "<role> token")')
    .option('--expires-in-days <days>', `days until the token expires, 1 to ${maximumLifetimeDays} (default: never)`)
    .action(async (options: { user: string; role: string; name?: string; expiresInDays?: string }) => {
      const [role] = parseRoles([options.role]);
      const expiresInDays = parseLifetimeDays(options.expiresInDays);
      const ctx = await openExistingContext(globals());
      try {
        const issued = await withFlagNames(tokenFlags, () =>
          createApiToken(ctx, cliCaller(), {
            username: options.user,
            role: role!,
            ...(options.name !== undefined ? { name: options.name } : {}),
            ...(expiresInDays !== undefined ? { expiresInDays } : {}),
          }),
        );
        process.stdout.write(`${issued.token}\n`);
        process.stderr.write(`Token ${issued.apiToken.id} for ${options.user} as ${issued.apiToken.role}; store it now, it is not shown again\n`);
      } finally {
        await ctx.close();
      }
    });

  token
    .command('list')
    .description('List API tokens, newest first, with revoked and expired ones; the tokens themselves are never shown')
    .option('--user <username>', 'only the tokens of this user')
    .option('--json', 'print the tokens as JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const ctx = await openExistingContext(globals());
      try {
        const tokens = await withFlagNames({ '/username': '--user' }, () => listAllTokens(ctx, options.user));
        if (options.json) process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
        else if (tokens.length === 0) process.stderr.write(options.user ? `User ${options.user} has no API tokens\n` : 'There are no API tokens\n');
        else process.stdout.write(formatTable(tokens));
      } finally {
        await ctx.close();
      }
    });

  token
    .command('revoke')
    .description('Revoke an API token by its id (from `custos token list`); it stops authenticating at once')
    .argument('<id>', 'id of the token')
    .action(async (id: string) => {
      const ctx = await openExistingContext(globals());
      try {
        const revoked = await revokeApiToken(ctx, cliCaller(), id);
        process.stdout.write(`API token ${revoked.id} ("${revoked.name}") is revoked as of ${revoked.revokedAt}\n`);
      } finally {
        await ctx.close();
      }
    });
}

async function listAllTokens(ctx: CliContext, username: string | undefined): Promise<ListedApiToken[]> {
  const tokens: ListedApiToken[] = [];
  for (;;) {
    const page = await listApiTokens(ctx, cliCaller(), { ...(username !== undefined ? { username } : {}), limit: maxPageSize, offset: tokens.length });
    tokens.push(...page.items);
    if (page.items.length === 0 || tokens.length >= page.total) return tokens;
  }
}

/**
 * Lays the tokens out in aligned columns under a header row. Control characters in a name are
 * shown as spaces, so that a name cannot break the layout or send escape sequences to the terminal.
 */
function formatTable(tokens: ListedApiToken[]): string {
  const header = ['ID', 'USER', 'ROLE', 'NAME', 'CREATED', 'EXPIRES', 'REVOKED'];
  const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  const rows = tokens.map((token) => [token.id, token.username, token.role, printable(token.name), token.createdAt, token.expiresAt ?? 'never', token.revokedAt ?? '-']);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
