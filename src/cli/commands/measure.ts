import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import YAML from 'yaml';
import type { DataEngine, DataFileSpec, DataSet, FileFormat } from '../../measurement/data/index.js';
import { inferFileFormat } from '../../measurement/data/file-spec.js';
import type { FairnessMeasurementOptions } from '../../measurement/engine/fairness-measurement.js';
import type { PerformanceMeasurementOptions } from '../../measurement/engine/performance-measurement.js';
import { keepNonFiniteNumbers } from '../../measurement/reports/json-report.js';
import { AppError } from '../../platform/errors.js';
import { readInputFile, writeOutputFile } from '../files.js';
import { engineOptions, progressPrinter, type EngineFlags } from './measurement-progress.js';
import { parseDriftFlags, parseQualityFlags, type DriftFlags, type QualityFlags } from './measure-options.js';

/** Flags that set how a data file is read; `custos measure drift` takes them once per file. */
interface FileFlags {
  format?: string;
  delimiter?: string;
  header: boolean;
  columns?: string;
  skipRows?: string;
  nullValues?: string;
  recode?: string;
}

interface OutputFlags extends EngineFlags {
  json?: boolean;
}

interface FairnessFlags extends FileFlags, OutputFlags {
  label: string;
  positive: string;
  prediction?: string;
  predictedPositive?: string;
  score?: string;
  threshold?: string;
  by: string;
  missing: string;
  reference?: string;
  favourable: string;
  minGroupSize?: string;
  bootstrap?: string;
  seed?: string;
  allowAbsentPositive?: boolean;
}

interface PerformanceFlags extends FileFlags, OutputFlags {
  task: string;
  label: string;
  positive?: string;
  prediction?: string;
  predictedPositive?: string;
  score?: string;
  probabilities?: string;
  by?: string;
  bins?: string;
  allowAbsentPositive?: boolean;
}

/** Registers `custos measure fairness|performance|drift|quality`, ad-hoc measurements of data files that store nothing. */
export function registerMeasureCommands(program: Command): void {
  const measure = program
    .command('measure')
    .description('Measure a data file ad hoc and print a table (or JSON with --json); nothing is stored. Use `custos check` with a policy to gate and record runs');

  withFileOptions(measure.command('fairness'))
    .description('Group rates (selection rate, TPR, FPR, FNR, PPV …) with Wilson intervals, disparities and the four-fifths rule')
    .argument('<file>', 'CSV, Parquet or JSON Lines file with one row per decision')
    .requiredOption('--label <column>', 'column of the actual outcome')
    .requiredOption('--positive <values>', 'comma-separated label values that count as the positive class, such as 1 or yes')
    .option('--prediction <column>', 'column of the predicted class')
    .option('--predicted-positive <values>', 'comma-separated prediction values that count as a positive prediction, such as Medium,High')
    .option('--score <column>', 'score column, used with --threshold instead of --prediction')
    .option('--threshold <number>', 'a score at or above this predicts positive')
    .requiredOption('--by <columns>', 'sensitive attribute, or several comma-separated ones whose combinations form the groups')
    .addOption(new Option('--missing <policy>', 'rows with a missing sensitive value').choices(['group', 'error']).default('group'))
    .option('--reference <group>', 'reference group: largest (default), most_favourable, or a group name such as Caucasian')
    .addOption(new Option('--favourable <prediction>', 'the prediction that benefits the person, for the most favourable group and the four-fifths rule').choices(['positive', 'negative']).default('positive'))
    .option('--min-group-size <n>', 'groups with fewer rows are flagged (default 30)')
    .option('--bootstrap <replicates>', 'add seeded bootstrap intervals for the disparities, stratified by group')
    .option('--seed <n>', 'seed of the bootstrap (default 0)')
    .option('--allow-absent-positive', 'accept --positive and --predicted-positive values that do not occur in the file, as long as one of them does (by default an absent value is an error, because it is usually misspelt)')
    .action(async (file: string, flags: FairnessFlags) => {
      const options = fairnessOptions(flags);
      await withDataSets(flags, [{ file, flags }], async (engine, [dataSet]) => {
        const { measureFairness } = await import('../../measurement/engine/fairness-measurement.js');
        const { renderFairnessText } = await import('../../measurement/reports/fairness-text.js');
        const measurement = await measureFairness(engine, dataSet!, options);
        print(flags, measurement, () => renderFairnessText(measurement));
      });
    });

  withFileOptions(measure.command('performance'))
    .description('Accuracy, precision, recall, F1, ROC AUC, PR AUC, log loss, Brier score, calibration error (classification) or MAE, RMSE, MAPE, R² (regression), overall and per group')
    .argument('<file>', 'CSV, Parquet or JSON Lines file with one row per prediction')
    .addOption(new Option('--task <task>', 'the kind of model').choices(['binary', 'multiclass', 'regression']).makeOptionMandatory())
    .requiredOption('--label <column>', 'column of the actual class or value')
    .option('--positive <values>', 'binary: comma-separated label values of the positive class')
    .option('--prediction <column>', 'column of the predicted class or value')
    .option('--predicted-positive <values>', 'binary: comma-separated prediction values that count as positive')
    .option('--score <column>', 'binary: probability of the positive class, for ROC AUC, PR AUC, log loss, Brier score and calibration')
    .option('--probabilities <pairs>', 'multiclass: class=column pairs giving each class probability, such as cat=p_cat,dog=p_dog')
    .option('--by <columns>', 'also compute every metric per group of these comma-separated attributes')
    .option('--bins <n>', 'binary: calibration bins (default 10)')
    .option('--allow-absent-positive', 'binary: accept --positive and --predicted-positive values that do not occur in the file, as long as one of them does (by default an absent value is an error, because it is usually misspelt)')
    .action(async (file: string, flags: PerformanceFlags) => {
      const options = performanceOptions(flags);
      await withDataSets(flags, [{ file, flags }], async (engine, [dataSet]) => {
        const { measurePerformance } = await import('../../measurement/engine/performance-measurement.js');
        const { renderPerformanceText } = await import('../../measurement/reports/performance-text.js');
        const measurement = await measurePerformance(engine, dataSet!, options);
        print(flags, measurement, () => renderPerformanceText(measurement));
      });
    });

  withFileOptions(measure.command('drift'), 'reference ')
    .description('Per-column drift tests between a reference and a current file, and dataset drift as the share of drifted columns')
    .usage('[options] <reference> <current>\n       custos measure drift [options] --reference-profile <profile> <current>')
    .argument('[reference]', 'the reference file, such as the training data; with --reference-profile, the current file')
    .argument('[current]', 'the current file, such as recent production inputs')
    .option('--reference-profile <file>', 'read the reference from a profile written by custos measure profile, instead of the reference file; the reading options then apply to the current file')
    .option('--current-format <format>', 'format of the current file when it differs (csv, parquet, jsonl)')
    .option('--current-delimiter <text>', 'delimiter of the current file when it differs')
    .option('--current-no-header', 'the current file has no header row')
    .option('--current-columns <names>', 'column names of the current file when it has no header')
    .option('--current-skip-rows <n>', 'lines to skip at the top of the current file')
    .option('--current-null-values <values>', 'null strings of the current file when they differ')
    .option('--current-recode <mapping>', 'recoding of the current file when it differs, as --recode')
    .option('--test-columns <names>', 'comma-separated columns to test (default: every column of the reference)')
    .option('--map <pairs>', 'reference=current pairs for columns named differently in the current file')
    .option(
      '--test <rules...>',
      'column=test[:threshold] overrides, such as age=kolmogorov-smirnov or income=population-stability-index:0.2; tests: kolmogorov-smirnov, anderson-darling, wasserstein-normalized, population-stability-index, kullback-leibler, jensen-shannon, hellinger, chi-square, g-test, total-variation',
    )
    .option('--drift-share <share>', 'dataset drift when at least this share of the tested columns drifted (default 0.5)')
    .action(async (first: string | undefined, second: string | undefined, flags: FileFlags & OutputFlags & DriftFlags & { referenceProfile?: string }) => {
      if (first === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Give the reference file and the current file, or --reference-profile <profile> and the current file');
      }
      const options = parseDriftFlags(flags);
      const currentFlags = currentFileFlags(flags);
      if (flags.referenceProfile !== undefined) {
        if (second !== undefined) {
          throw new AppError('VALIDATION_FAILED', `With --reference-profile, give only the current file, not "${first}" and "${second}"; the profile stands for the reference file`);
        }
        const profileFile = flags.referenceProfile;
        const { parseReferenceProfile } = await import('../../measurement/engine/drift-profile-file.js');
        const profile = parseReferenceProfile(readInputFile(profileFile, 'reference profile').toString('utf8'), profileFile);
        await withDataSets(
          flags,
          [{ file: first, flags: currentFlags }],
          async (engine, [currentSet]) => {
            const { measureDriftFromProfile } = await import('../../measurement/engine/drift-from-profile.js');
            const { renderDriftText } = await import('../../measurement/reports/drift-text.js');
            const measurement = await measureDriftFromProfile(engine, profile, profileFile, currentSet!, options);
            print(flags, measurement, () => renderDriftText(measurement));
          },
          { load: false },
        );
        return;
      }
      if (second === undefined) {
        throw new AppError('VALIDATION_FAILED', `Give the reference file and the current file, not only "${first}"; or give a stored reference with --reference-profile <profile> and the current file`);
      }
      // measureDrift loads the reference itself and parses the current file once, so neither is loaded here.
      await withDataSets(
        flags,
        [{ file: first, flags }, { file: second, flags: currentFlags }],
        async (engine, [referenceSet, currentSet]) => {
          const { measureDrift } = await import('../../measurement/engine/drift-measurement.js');
          const { renderDriftText } = await import('../../measurement/reports/drift-text.js');
          const measurement = await measureDrift(engine, referenceSet!, currentSet!, options);
          print(flags, measurement, () => renderDriftText(measurement));
        },
        { load: false },
      );
    });

  withFileOptions(measure.command('profile'))
    .description('Store the aggregates a drift report reads from a reference file as a JSON profile, so that later reports with --reference-profile read only the current file')
    .argument('<reference>', 'the reference file, such as the training data')
    .requiredOption('--out <file>', 'the profile file to write; an existing file is replaced once the profile is complete')
    .action(async (reference: string, flags: FileFlags & OutputFlags & { out: string }) => {
      if (path.resolve(flags.out) === path.resolve(reference)) {
        throw new AppError('VALIDATION_FAILED', `--out "${flags.out}" is the reference file itself, which the profile would replace; choose another file, such as ${reference}.profile.json`);
      }
      if (isOtherFile(flags.out)) {
        throw new AppError('VALIDATION_FAILED', `--out "${flags.out}" exists and is not a custos reference profile, so writing the profile would destroy it; choose another file, such as ${reference}.profile.json, or remove it first`);
      }
      await withDataSets(flags, [{ file: reference, flags }], async (engine, [referenceSet]) => {
        const { profileReference } = await import('../../measurement/engine/drift-profile.js');
        const { custosVersion } = await import('../../platform/version.js');
        const { serializeReferenceProfile } = await import('../../measurement/engine/drift-profile-file.js');
        const profile = await profileReference(engine, referenceSet!, custosVersion);
        writeOutputFile(flags.out, serializeReferenceProfile(profile), '--out');
        const summary = {
          profile: flags.out,
          reference: profile.reference,
          columns: {
            numerical: profile.columns.filter((column) => column.driftType === 'numerical').length,
            categorical: profile.columns.filter((column) => column.driftType === 'categorical').length,
            untested: profile.columns.filter((column) => column.driftType === null).length,
          },
        };
        print(flags, summary, () =>
          [
            `Profiled ${profile.reference.file} (${profile.reference.rows} rows, SHA-256 ${profile.reference.sha256}) into ${flags.out}.`,
            `Columns: ${summary.columns.numerical} numerical, ${summary.columns.categorical} categorical, ${summary.columns.untested} of a type no drift test reads.`,
            `Measure drift against it with: custos measure drift --reference-profile ${flags.out} <current>`,
            ...profile.reference.warnings.map((warning) => `Warning: ${warning}`),
            '',
          ].join('\n'),
        );
      });
    });

  withFileOptions(measure.command('quality'))
    .description('Per-column completeness, distinct values, type and range conformance, constant columns, duplicate rows and keys, annotator agreement')
    .argument('<file>', 'CSV, Parquet or JSON Lines file')
    .option('--schema <file>', 'YAML file declaring column types, ranges and allowed values')
    .option('--keys <columns>', 'comma-separated key columns whose duplicates are counted')
    .option('--annotators <columns>', 'comma-separated label columns of several annotators, for Cohen\'s kappa and Krippendorff\'s alpha')
    .action(async (file: string, flags: FileFlags & OutputFlags & QualityFlags) => {
      const options = parseQualityFlags(flags);
      await withDataSets(flags, [{ file, flags: { ...flags } }], async (engine, [dataSet]) => {
        const { measureQuality } = await import('../../measurement/engine/quality-measurement.js');
        const { renderQualityText } = await import('../../measurement/reports/quality-text.js');
        const measurement = await measureQuality(engine, dataSet!, options);
        print(flags, measurement, () => renderQualityText(measurement));
      });
    });
}

function withFileOptions(command: Command, role = ''): Command {
  return command
    .option('--format <format>', `format of the ${role}file when its extension does not tell: csv, parquet or jsonl`)
    .option('--delimiter <text>', `field delimiter of the ${role}CSV file, one to four characters (default ",")`)
    .option('--no-header', `the ${role}CSV file has no header row`)
    .option('--columns <names>', `comma-separated column names for a ${role}CSV file without a header`)
    .option('--skip-rows <n>', `lines to skip at the top of the ${role}CSV file`)
    .option('--null-values <values>', `comma-separated field values of the ${role}file that mean missing, such as "?"`)
    .option('--recode <mapping>', `recode values of the ${role}file before measuring: a YAML or JSON mapping of column to {from: to}, such as '{Y: {"<=50K.": "<=50K"}}'`)
    .option('--json', 'print the full result as JSON')
    .option('--threads <n>', 'DuckDB worker threads (default: the number of CPUs)')
    .option('--memory-limit <size>', 'memory DuckDB may use before it spills to disk, such as 512MB (default 1GB)');
}

function currentFileFlags(flags: FileFlags & DriftFlags): FileFlags {
  return {
    ...(flags.currentFormat ?? flags.format ? { format: flags.currentFormat ?? flags.format } : {}),
    ...(flags.currentDelimiter ?? flags.delimiter ? { delimiter: flags.currentDelimiter ?? flags.delimiter } : {}),
    header: flags.currentNoHeader ? false : flags.header,
    ...(flags.currentColumns ?? flags.columns ? { columns: flags.currentColumns ?? flags.columns } : {}),
    ...(flags.currentSkipRows ?? flags.skipRows ? { skipRows: flags.currentSkipRows ?? flags.skipRows } : {}),
    ...(flags.currentNullValues ?? flags.nullValues ? { nullValues: flags.currentNullValues ?? flags.nullValues } : {}),
    ...(flags.currentRecode ?? flags.recode ? { recode: flags.currentRecode ?? flags.recode } : {}),
  };
}

/** Returns whether a file with content exists that does not start as a reference profile does, so that `measure profile` must not replace it. */
function isOtherFile(file: string): boolean {
  let start: string;
  try {
    const descriptor = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(200);
      start = buffer.subarray(0, fs.readSync(descriptor, buffer, 0, buffer.length, 0)).toString('utf8');
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    // A file that does not exist, or cannot be opened, is for writeOutputFile to report.
    return false;
  }
  return start.length > 0 && !start.startsWith('{"kind":"custos-drift-reference-profile"');
}

/** Splits a comma-separated flag value, trimming each item and dropping empty ones. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function nonNegativeInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new AppError('VALIDATION_FAILED', `Invalid ${flag} "${value}"; give a whole number of 0 or more`);
  return number;
}

/** The same limit as the policy file's bootstrapResamples, so that a typo cannot start an hours-long run. */
const maxBootstrapReplicates = 100_000;

function bootstrapReplicates(value: string): number {
  const replicates = nonNegativeInteger('--bootstrap', value);
  if (replicates < 1 || replicates > maxBootstrapReplicates) {
    throw new AppError('VALIDATION_FAILED', `Invalid --bootstrap "${value}"; give a number of replicates from 1 to ${maxBootstrapReplicates}, such as 1000`);
  }
  return replicates;
}

function fileSpec(file: string, flags: FileFlags): DataFileSpec {
  if (flags.format !== undefined && !['csv', 'parquet', 'jsonl'].includes(flags.format)) {
    throw new AppError('VALIDATION_FAILED', `Invalid --format "${flags.format}"; use csv, parquet or jsonl`);
  }
  const recode = flags.recode === undefined ? {} : parseRecode(flags.recode);
  const format = (flags.format as FileFormat | undefined) ?? inferFileFormat(file);
  if (format !== 'csv' && format !== null) {
    // CSV options do not apply, and the data layer rejects them for Parquet and JSON Lines.
    return { path: file, format, recode };
  }
  return {
    path: file,
    ...(flags.format ? { format: flags.format as FileFormat } : {}),
    csv: {
      ...(flags.delimiter !== undefined ? { delimiter: flags.delimiter } : {}),
      header: flags.header,
      ...(flags.columns !== undefined ? { columnNames: list(flags.columns) } : {}),
      ...(flags.skipRows !== undefined ? { skipRows: nonNegativeInteger('--skip-rows', flags.skipRows) } : {}),
      ...(flags.nullValues !== undefined ? { nullStrings: list(flags.nullValues) } : {}),
    },
    recode,
  };
}

/** Parses --recode: a YAML (or JSON) mapping of column name to a mapping of value to replacement. */
function parseRecode(text: string): Record<string, Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Invalid --recode "${text}": ${(error as Error).message.split('\n')[0]}; write a mapping such as '{Y: {"<=50K.": "<=50K"}}'`);
  }
  const problem = `Invalid --recode "${text}"; write a mapping of column to {from: to}, such as '{Y: {"<=50K.": "<=50K"}}'`;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AppError('VALIDATION_FAILED', problem);
  const recode: Record<string, Record<string, string>> = {};
  for (const [column, table] of Object.entries(parsed as Record<string, unknown>)) {
    if (table === null || typeof table !== 'object' || Array.isArray(table)) throw new AppError('VALIDATION_FAILED', problem);
    recode[column] = {};
    for (const [from, to] of Object.entries(table as Record<string, unknown>)) {
      if (to === null || typeof to === 'object') throw new AppError('VALIDATION_FAILED', `${problem}; the replacement of "${from}" in column ${column} must be a value`);
      recode[column]![from] = String(to);
    }
  }
  return recode;
}

/** Opens the files, runs `measure` with DuckDB, and closes everything, showing progress on a terminal. */
async function withDataSets(
  flags: EngineFlags,
  files: { file: string; flags: FileFlags }[],
  measure: (engine: DataEngine, dataSets: DataSet[]) => Promise<void>,
  /** Whether several CSV files are loaded into tables first, so that each is parsed once; default true. */
  { load = true }: { load?: boolean } = {},
): Promise<void> {
  const specs = files.map(({ file, flags: fileFlags }) => fileSpec(file, fileFlags));
  const progress = progressPrinter(process.stderr);
  // DuckDB's native module loads only for the commands that measure.
  const { DataEngine, materializeDataSet, openDataSet } = await import('../../measurement/data/index.js');
  const engine = await DataEngine.create({ ...engineOptions(flags), onProgress: progress.onProgress });
  try {
    const dataSets: DataSet[] = [];
    for (const spec of specs) {
      const opened = await openDataSet(engine, spec);
      dataSets.push(load && opened.format === 'csv' && files.length > 1 ? await materializeDataSet(engine, opened) : opened);
    }
    try {
      await measure(engine, dataSets);
    } finally {
      progress.done();
    }
  } finally {
    await engine.close();
  }
}

function print(flags: OutputFlags, measurement: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(measurement, keepNonFiniteNumbers, 2)}\n` : text());
}

function fairnessOptions(flags: FairnessFlags): FairnessMeasurementOptions {
  const byColumn = flags.prediction !== undefined;
  const byScore = flags.score !== undefined;
  if (byColumn === byScore) {
    throw new AppError('VALIDATION_FAILED', 'Give either --prediction with --predicted-positive, or --score with --threshold');
  }
  let prediction: FairnessMeasurementOptions['prediction'];
  if (byColumn) {
    if (flags.predictedPositive === undefined) throw new AppError('VALIDATION_FAILED', `--prediction ${flags.prediction} needs --predicted-positive, the values that count as a positive prediction`);
    prediction = { column: flags.prediction!, positive: list(flags.predictedPositive), allowAbsentPositive: flags.allowAbsentPositive === true };
  } else {
    const threshold = Number(flags.threshold);
    if (flags.threshold === undefined || !Number.isFinite(threshold)) {
      throw new AppError('VALIDATION_FAILED', `--score ${flags.score} needs --threshold, a number; a score at or above it predicts positive`);
    }
    prediction = { scoreColumn: flags.score!, threshold };
  }
  let reference: FairnessMeasurementOptions['reference'] = 'largest';
  if (flags.reference === 'most_favourable') reference = 'most_favourable';
  else if (flags.reference !== undefined && flags.reference !== 'largest') reference = { group: flags.reference };
  return {
    label: { column: flags.label, positive: list(flags.positive), allowAbsentPositive: flags.allowAbsentPositive === true },
    prediction,
    sensitive: list(flags.by),
    missingSensitive: flags.missing as 'group' | 'error',
    reference,
    favourableOutcome: flags.favourable as 'positive' | 'negative',
    ...(flags.minGroupSize !== undefined ? { minimumGroupSize: nonNegativeInteger('--min-group-size', flags.minGroupSize) } : {}),
    ...(flags.bootstrap !== undefined
      ? { bootstrap: { replicates: bootstrapReplicates(flags.bootstrap), ...(flags.seed !== undefined ? { seed: nonNegativeInteger('--seed', flags.seed) } : {}) } }
      : {}),
  };
}

function performanceOptions(flags: PerformanceFlags): PerformanceMeasurementOptions {
  const sensitive = flags.by === undefined ? [] : list(flags.by);
  if (flags.task === 'regression') {
    if (flags.prediction === undefined) throw new AppError('VALIDATION_FAILED', '--task regression needs --prediction, the column of predicted values');
    return { task: 'regression', truthColumn: flags.label, predictionColumn: flags.prediction, sensitive };
  }
  if (flags.task === 'multiclass') {
    const probabilityColumns: Record<string, string> = {};
    for (const pair of flags.probabilities === undefined ? [] : list(flags.probabilities)) {
      const [label, column] = pair.split('=');
      if (!label || !column) throw new AppError('VALIDATION_FAILED', `Invalid --probabilities pair "${pair}"; write class=column, such as cat=p_cat`);
      probabilityColumns[label] = column;
    }
    if (flags.prediction === undefined && flags.probabilities === undefined) {
      throw new AppError('VALIDATION_FAILED', '--task multiclass needs --prediction, --probabilities or both');
    }
    return {
      task: 'multiclass_classification',
      labelColumn: flags.label,
      predictionColumn: flags.prediction ?? null,
      probabilityColumns: flags.probabilities === undefined ? null : probabilityColumns,
      sensitive,
    };
  }
  if (flags.positive === undefined) throw new AppError('VALIDATION_FAILED', '--task binary needs --positive, the label values of the positive class');
  if (flags.prediction === undefined && flags.score === undefined) throw new AppError('VALIDATION_FAILED', '--task binary needs --prediction (with --predicted-positive), --score, or both');
  if (flags.prediction !== undefined && flags.predictedPositive === undefined) {
    throw new AppError('VALIDATION_FAILED', `--prediction ${flags.prediction} needs --predicted-positive, the values that count as a positive prediction`);
  }
  return {
    task: 'binary_classification',
    label: { column: flags.label, positive: list(flags.positive), allowAbsentPositive: flags.allowAbsentPositive === true },
    prediction: flags.prediction === undefined ? null : { column: flags.prediction, positive: list(flags.predictedPositive!), allowAbsentPositive: flags.allowAbsentPositive === true },
    scoreColumn: flags.score ?? null,
    ...(flags.bins !== undefined ? { calibrationBins: nonNegativeInteger('--bins', flags.bins) } : {}),
    sensitive,
  };
}
