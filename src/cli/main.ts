#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isAppError } from '../platform/errors.js';
import { custosVersion } from '../platform/version.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDatasetCommands } from './commands/datasets.js';
import { registerInventoryCommands } from './commands/inventory.js';
import { registerServeCommand } from './commands/serve.js';
import { registerUserCommands } from './commands/users.js';
import { migrateCommand } from './commands/migrate.js';
import type { GlobalOptions } from './runtime.js';

/** Exit codes: 0 success, 1 a check failed or an unexpected error, 2 a usage or input error. */
const usageExitCode = 2;

const program = new Command()
  .name('custos')
  .description('custos: an AI management system for ISO/IEC 42001')
  .version(custosVersion)
  .option('--data-dir <dir>', 'directory of the embedded SQLite database (default ./custos-data, or CUSTOS_DATA_DIR)')
  .option('--database-url <url>', 'postgres://… to use PostgreSQL instead (or CUSTOS_DATABASE_URL)')
  .option('--verbose', 'log debug output and print stack traces on errors')
  .showHelpAfterError()
  .exitOverride();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

registerServeCommand(program, globals);
migrateCommand(program, globals);
registerUserCommands(program, globals);
registerInventoryCommands(program, globals);
registerAuditCommands(program, globals);
registerDatasetCommands(program, globals);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help or its message; --help and --version exit with 0.
    return error.exitCode === 0 ? 0 : usageExitCode;
  }
  const verbose = program.opts<GlobalOptions>().verbose === true;
  if (isAppError(error)) {
    process.stderr.write(`custos: ${error.message}\n`);
    for (const detail of error.details) {
      process.stderr.write(`  ${detail.path}: ${detail.message}\n`);
    }
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`custos: unexpected error: ${message}${verbose ? '' : ' (rerun with --verbose for the stack trace)'}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}
