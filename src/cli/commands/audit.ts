import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { exportAuditTrail, verifyAuditTrail } from '../../platform/audit/audit.service.js';
import { cliCaller, openContext, type GlobalOptions } from '../runtime.js';

export function registerAuditCommands(program: Command, globals: () => GlobalOptions): void {
  const audit = program.command('audit').description('Check and export the tamper-evident audit trail');

  audit
    .command('verify')
    .description('Recompute the hash chain; exit 0 when intact, 1 naming the first tampered event')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = await openContext(globals());
      try {
        const result = await verifyAuditTrail(ctx, cliCaller());
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else if (result.ok) {
          process.stdout.write(`Audit trail intact: ${result.eventsChecked} events verified; head event ${result.headSeq} has hash ${result.headHash}\n`);
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
      const ctx = await openContext(globals());
      try {
        const output = options.output ? fs.createWriteStream(options.output) : process.stdout;
        const count = await exportAuditTrail(ctx, cliCaller(), output);
        if (options.output) {
          output.end();
          await finished(output);
          process.stderr.write(`Exported ${count} audit events to ${options.output}\n`);
        }
      } finally {
        await ctx.close();
      }
    });
}
