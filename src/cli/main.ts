#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isAppError, type AppError, type ErrorDetail } from '../platform/errors.js';
import { custosVersion } from '../platform/version.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerCatalogueCommands } from './commands/catalogue.js';
import { registerCheckCommand } from './commands/check.js';
import { registerClassifyCommand } from './commands/classify.js';
import { registerDatasetCommands } from './commands/datasets.js';
import { registerEvidenceCommands } from './commands/evidence.js';
import { registerInventoryCommands } from './commands/inventory.js';
import { registerMeasureCommands } from './commands/measure.js';
import { registerRiskCommands } from './commands/risks.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSoaCommands } from './commands/soa.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerUserCommands } from './commands/users.js';
import { migrateCommand } from './commands/migrate.js';
import type { GlobalOptions } from './runtime.js';
import { isSystemError, systemErrorToAppError } from './system-errors.js';

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
registerTokenCommands(program, globals);
registerInventoryCommands(program, globals);
registerAuditCommands(program, globals);
registerDatasetCommands(program, globals);
registerEvidenceCommands(program, globals);
registerCatalogueCommands(program, globals);
registerSoaCommands(program, globals);
registerClassifyCommand(program, globals);
registerRiskCommands(program, globals);
registerCheckCommand(program, globals);
registerMeasureCommands(program);

// A reader that stops early (`custos audit export | head`) closes the pipe. The output then ends
// quietly, as it does for other command-line tools, instead of raising EPIPE as an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(thrown: unknown): number {
  if (thrown instanceof CommanderError) {
    // Commander has already printed help or its message; --help and --version exit with 0.
    return thrown.exitCode === 0 ? 0 : usageExitCode;
  }
  const verbose = program.opts<GlobalOptions>().verbose === true;
  const error = isSystemError(thrown) ? (systemErrorToAppError(thrown) ?? thrown) : thrown;
  if (isAppError(error)) {
    process.stderr.write(`custos: ${error.message}\n`);
    for (const detail of detailsWorthPrinting(error)) {
      process.stderr.write(`  ${detail.path}: ${detail.message}\n`);
    }
    if (verbose) printStack(error);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`custos: unexpected error: ${message}${verbose ? '' : ' (rerun with --verbose for the stack trace)'}\n`);
  if (verbose && error instanceof Error) printStack(error);
  return 1;
}

/** Leaves out details that the message already states, such as the one detail of "Invalid value at /x: …". */
function detailsWorthPrinting(error: AppError): ErrorDetail[] {
  return error.details.filter((detail) => !error.message.includes(detail.message));
}

/** Prints the stack trace, followed by that of the error's cause when it wraps one (a system error, a driver error). */
function printStack(error: Error): void {
  if (error.stack) process.stderr.write(`${error.stack}\n`);
  if (error.cause instanceof Error && error.cause.stack) process.stderr.write(`Caused by: ${error.cause.stack}\n`);
}
