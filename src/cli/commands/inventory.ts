import path from 'node:path';
import type { Command } from 'commander';
import { exportInventory } from '../../inventory/inventory-export.service.js';
import { importInventory } from '../../inventory/inventory-import.service.js';
import { readMappingText } from '../../inventory/inventory-mapping.js';
import { decodeUtf8, detectFormat, inventoryFormats } from '../../inventory/inventory-source.js';
import { AppError } from '../../platform/errors.js';
import { readInputFile, writeOutputFile } from '../files.js';
import { cliCaller, openContext, openExistingContext, type GlobalOptions } from '../runtime.js';

interface ImportOptions {
  format?: string;
  mapping?: string;
  delimiter?: string;
  dryRun?: boolean;
  reason?: string;
  json?: boolean;
}

interface ExportOptions {
  format?: string;
  output?: string;
}

export function registerInventoryCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('import')
    .description('Import an AI system inventory from CSV, JSON or YAML; every record is checked first and all or none are written')
    .argument('<file>', 'the inventory file')
    .option('--format <format>', `${inventoryFormats.join(', ')} (default: from the file extension)`)
    .option('--mapping <file>', 'YAML or JSON mapping file from AI system fields to the file\'s fields (default: fields named like the AI system fields)')
    .option('--delimiter <character>', 'CSV delimiter, or "tab" (default: detected from the header row)')
    .option('--dry-run', 'check the file and report problems without writing anything')
    .option('--reason <text>', 'why the inventory is imported; stored in the audit trail')
    .option('--json', 'print the import report as JSON')
    .action(async (file: string, options: ImportOptions) => {
      const format = detectFormat(file, options.format);
      const content = decodeUtf8(readInputFile(file, 'inventory file'), path.basename(file));
      const mapping = options.mapping ? readMappingText(decodeUtf8(readInputFile(options.mapping, 'mapping file'), options.mapping), options.mapping) : undefined;
      const delimiter = parseDelimiter(options.delimiter);

      const ctx = await openContext(globals());
      try {
        const report = await importInventory(ctx, cliCaller(), {
          content,
          format,
          sourceName: path.basename(file),
          ...(mapping !== undefined ? { mapping } : {}),
          ...(delimiter !== undefined ? { delimiter } : {}),
          dryRun: options.dryRun === true,
          reason: options.reason ?? null,
        });
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else if (report.dryRun) process.stdout.write(`Dry run: ${report.aiSystems} AI systems in ${report.sourceName} are valid; nothing was written\n`);
        else process.stdout.write(`Imported ${report.aiSystems} AI systems from ${report.sourceName} (import ${report.importId})\n`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('export')
    .description('Write the whole AI system register as JSON, CSV or YAML')
    .option('--format <format>', `${inventoryFormats.join(', ')} (default: from the --output extension, else json)`)
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (options: ExportOptions) => {
      // Without --format, the output file's extension decides; standard output gets JSON.
      const format = detectFormat(options.output ?? 'standard-output.json', options.format);
      const ctx = await openExistingContext(globals());
      try {
        const exported = await exportInventory(ctx, cliCaller(), format);
        if (!options.output) {
          process.stdout.write(exported.content);
          return;
        }
        writeOutputFile(options.output, exported.content, '--output');
        process.stderr.write(`Exported ${exported.aiSystems} AI systems to ${options.output}\n`);
      } finally {
        await ctx.close();
      }
    });
}

function parseDelimiter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'tab' || value === '\\t') return '\t';
  if (value.length === 1) return value;
  throw new AppError('VALIDATION_FAILED', `Invalid --delimiter "${value}"; give one character, such as ; or |, or the word tab`);
}
