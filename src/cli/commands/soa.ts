import type { Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { soaExportFormats, type SoaExportFormat } from '../../statement-of-applicability/soa.schemas.js';
import { exportSoa, getSoaVersionByNumber } from '../../statement-of-applicability/soa.service.js';
import { writeOutputFile } from '../files.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

interface ExportOptions {
  format?: string;
  // Not --version: the root command reserves it for the program version.
  soaVersion?: string;
  output?: string;
}

export function registerSoaCommands(program: Command, globals: () => GlobalOptions): void {
  const soa = program.command('soa').description('Statement of Applicability');

  soa
    .command('export')
    .description('Write a Statement of Applicability version as CSV, XLSX or printable HTML')
    .requiredOption('--format <format>', soaExportFormats.join(', '))
    .option('--soa-version <number>', 'version number to export (default: the latest approved version, else the open draft)')
    .option('-o, --output <file>', 'file to write, or - for standard output (default: statement-of-applicability-v<number>.<format> in the current directory)')
    .action(async (options: ExportOptions) => {
      const format = parseFormat(options.format);
      const number = parseVersionNumber(options.soaVersion);
      const ctx = await openExistingContext(globals());
      try {
        const caller = cliCaller();
        const versionId = number === undefined ? undefined : (await getSoaVersionByNumber(ctx, caller, number)).id;
        const exported = await exportSoa(ctx, caller, versionId, format);
        if (options.output === '-') {
          process.stdout.write(exported.content);
          return;
        }
        const file = options.output ?? exported.fileName;
        writeOutputFile(file, exported.content, '--output');
        process.stderr.write(`Exported ${exported.version.title} (v${exported.version.number}, ${exported.version.status}, ${exported.controls} controls) to ${file}\n`);
      } finally {
        await ctx.close();
      }
    });
}

function parseFormat(value: string | undefined): SoaExportFormat {
  const format = soaExportFormats.find((candidate) => candidate === value?.toLowerCase());
  if (!format) throw new AppError('VALIDATION_FAILED', `Invalid --format "${value ?? ''}"; use one of ${soaExportFormats.join(', ')}`);
  return format;
}

function parseVersionNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new AppError('VALIDATION_FAILED', `Invalid --soa-version "${value}"; give a version number such as 1`);
  return Number(value);
}
