import type { Command } from 'commander';
import { exportAuditTrail, verifyAuditTrail } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/errors.js';
import { writeToOutputFile } from '../files.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

export function registerAuditCommands(program: Command, globals: () => GlobalOptions): void {
  const audit = program.command('audit').description('Check and export the tamper-evident audit trail');

  audit
    .command('verify')
    .description('Recompute the hash chain; exit 0 when intact, 1 naming the first tampered event')
    .option('--json', 'print the result as JSON')
    .option('--anchor <seq:hash>', 'also check that event SEQ still has HASH, as printed by an earlier verify; detects deleted newest events')
    .action(async (options: { json?: boolean; anchor?: string }) => {
      const anchor = options.anchor === undefined ? undefined : parseAnchor(options.anchor);
      const ctx = await openExistingContext(globals());
      try {
        const result = await verifyAuditTrail(ctx, cliCaller(), anchor ? { anchor } : {});
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else if (result.ok) {
          process.stdout.write(`Audit trail intact: ${result.eventsChecked} events verified; head event ${result.headSeq} has hash ${result.headHash}\n`);
          if (result.headSeq > 0) {
            process.stdout.write(`Keep this anchor outside the database and check it later with --anchor ${result.headSeq}:${result.headHash}\n`);
          }
        } else {
          process.stdout.write(`Audit trail broken: ${result.failure!.message} (${result.eventsChecked} events before it verified)\n`);
        }
        process.exitCode = result.ok ? 0 : 1;
      } finally {
        await ctx.close();
      }
    });

  audit
    .command('export')
    .description('Write every event with its hash as JSON Lines, for verification elsewhere')
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (options: { output?: string }) => {
      const ctx = await openExistingContext(globals());
      try {
        if (!options.output) {
          await exportAuditTrail(ctx, cliCaller(), process.stdout);
          return;
        }
        const count = await writeToOutputFile(options.output, '--output', (output) => exportAuditTrail(ctx, cliCaller(), output));
        process.stderr.write(`Exported ${count} audit events to ${options.output}\n`);
      } finally {
        await ctx.close();
      }
    });
}

function parseAnchor(text: string): { seq: number; hash: string } {
  const match = /^([1-9]\d{0,14}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match) {
    throw new AppError('VALIDATION_FAILED', `--anchor "${text}" is not SEQ:HASH; give the sequence number and the 64-character hex hash that \`custos audit verify\` printed, for example 405:9f86d0…`);
  }
  return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
}
