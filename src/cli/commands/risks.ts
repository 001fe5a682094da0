import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { registerFormats, type RegisterFormat } from '../../risks/register-export.js';
import { exportRegister, importRegister } from '../../risks/register-file.service.js';
import { readInputFile, writeOutputFile } from '../files.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

interface ExportOptions {
  format?: string;
  output?: string;
}

interface ImportOptions {
  format?: string;
  dryRun?: boolean;
  reason?: string;
}

export function registerRiskCommands(program: Command, globals: () => GlobalOptions): void {
  const risks = program.command('risks').description('Risk register');

  risks
    .command('export')
    .description('Write the whole risk register as CSV or XLSX, with the ERM category of each risk')
    .requiredOption('--format <format>', registerFormats.join(', '))
    .option('-o, --output <file>', 'file to write, or - for standard output (default: risk-register-<date>.<format> in the current directory)')
    .action(async (options: ExportOptions) => {
      const format = parseFormat(options.format, '--format');
      const ctx = await openExistingContext(globals());
      try {
        const exported = await exportRegister(ctx, cliCaller(), format);
        if (options.output === '-') {
          process.stdout.write(exported.content);
          return;
        }
        const file = options.output ?? exported.fileName;
        writeOutputFile(file, exported.content, '--output');
        process.stderr.write(`Exported ${exported.risks} risk${exported.risks === 1 ? '' : 's'} to ${file}\n`);
      } finally {
        await ctx.close();
      }
    });

  risks
    .command('import')
    .description('Import a risk register file with the columns of an export: all rows or none')
    .argument('<file>', 'the CSV or XLSX file')
    .option('--format <format>', `${registerFormats.join(', ')} (default: from the file extension)`)
    .option('--dry-run', 'check the file and report what would change, writing nothing')
    .option('--reason <text>', 'why the register is imported; stored in the audit trail')
    .action(async (file: string, options: ImportOptions) => {
      const format = parseFormat(options.format ?? path.extname(file).slice(1), options.format === undefined ? 'the file extension' : '--format');
      const content = readInputFile(file, 'risk register file');
      const ctx = await openExistingContext(globals());
      try {
        const report = await importRegister(
          ctx,
          cliCaller(),
          { format, content: format === 'csv' ? content.toString('utf8') : content.toString('base64'), dryRun: options.dryRun === true },
          options.reason ?? null,
        );
        const verb = report.dryRun ? 'Would import' : 'Imported';
        process.stderr.write(`${verb} ${file}: ${report.created.length} added, ${report.updated.length} changed, ${report.unchanged.length} unchanged\n`);
      } finally {
        await ctx.close();
      }
    });
}

function parseFormat(value: string | undefined, source: string): RegisterFormat {
  const format = registerFormats.find((candidate) => candidate === value?.toLowerCase());
  if (!format) throw new AppError('VALIDATION_FAILED', `Invalid format "${value ?? ''}" from ${source}; use one of ${registerFormats.join(', ')}`);
  return format;
}
