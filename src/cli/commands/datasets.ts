import type { Command } from 'commander';
import { addDatasetVersionFromFile } from '../../datasets/dataset-versions.service.js';
import { createDataset, getDatasetByName } from '../../datasets/datasets.service.js';
import { AppError } from '../../platform/errors.js';
import { cliCaller, openContext, type GlobalOptions } from '../runtime.js';

export function registerDatasetCommands(program: Command, globals: () => GlobalOptions): void {
  const dataset = program.command('dataset').description('Manage datasets and their fingerprinted versions');

  dataset
    .command('create')
    .description('Add a dataset to the inventory')
    .requiredOption('--name <name>', 'name of the dataset, unique in the inventory')
    .requiredOption('--personal-data <yes|no>', 'whether the dataset contains personal data: yes or no')
    .option('--description <text>', 'what the dataset contains')
    .option('--source <text>', 'where the data comes from')
    .action(async (options: { name: string; personalData: string; description?: string; source?: string }) => {
      const containsPersonalData = parseYesNo(options.personalData);
      const ctx = await openContext(globals());
      try {
        const created = await createDataset(ctx, cliCaller(), {
          name: options.name,
          containsPersonalData,
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.source !== undefined ? { source: options.source } : {}),
        });
        process.stdout.write(`Created dataset "${created.name}" with id ${created.id}\n`);
      } finally {
        await ctx.close();
      }
    });

  dataset
    .command('add-version')
    .description('Fingerprint a local file with SHA-256 and record it as a version of a dataset; the file itself is not copied')
    .requiredOption('--dataset <name>', 'name of the dataset')
    .requiredOption('--label <version>', 'label of the new version, unique within the dataset')
    .requiredOption('--file <path>', 'the dataset file to fingerprint')
    .option('--location <text>', 'where the file is kept, as recorded (default: the absolute path of --file)')
    .option('--reason <text>', 'why the version is added; stored in the audit trail')
    .action(async (options: { dataset: string; label: string; file: string; location?: string; reason?: string }) => {
      const ctx = await openContext(globals());
      try {
        const caller = cliCaller();
        const target = await getDatasetByName(ctx, caller, options.dataset);
        const version = await addDatasetVersionFromFile(ctx, caller, target.id, options.label, options.file, {
          ...(options.location !== undefined ? { location: options.location } : {}),
          reason: options.reason ?? null,
        });
        process.stdout.write(
          `Added version "${version.versionLabel}" of dataset "${target.name}": sha256 ${version.sha256}, ${version.sizeBytes} bytes, id ${version.id}\n`,
        );
      } finally {
        await ctx.close();
      }
    });
}

function parseYesNo(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'yes' || normalized === 'true') return true;
  if (normalized === 'no' || normalized === 'false') return false;
  throw new AppError('VALIDATION_FAILED', `--personal-data "${value}" is invalid; use yes or no to state whether the dataset contains personal data`);
}
