import path from 'node:path';
import { closestNames } from './name-suggestions.js';
import type { CsvOptions, DataFile, DataRole, EvaluationData, FileFormat, MeasurementPolicy, ReferenceProfileFile, ScalarValue } from './policy.js';
import { fileFormats } from './policy-schema.js';
import { describeReceived, isMapping, type PointerProblem } from './shape-check.js';

/**
 * Resolves the data section of a policy: formats from extensions, CSV defaults, and the rules
 * between fields that the schema cannot state (a binary task needs the positive label, a file
 * without a header needs its column names). The shape was checked before, so a malformed field
 * is skipped here rather than reported twice.
 */

type Raw = Record<string, unknown>;

export function resolveData(raw: unknown, baseDirectory: string, problems: PointerProblem[]): MeasurementPolicy['data'] {
  const data = isMapping(raw) ? raw : {};
  return {
    evaluation: isMapping(data.evaluation) ? resolveEvaluation(data.evaluation, baseDirectory, problems) : null,
    reference: isMapping(data.reference) && data.reference.profile === undefined ? resolveDataFile('reference', data.reference, baseDirectory, problems) : null,
    referenceProfile: isMapping(data.reference) && data.reference.profile !== undefined ? resolveReferenceProfile(data.reference, baseDirectory, problems) : null,
    current: isMapping(data.current) ? resolveDataFile('current', data.current, baseDirectory, problems) : null,
  };
}

/** Returns the data roles a policy file has a section for, whether or not the section is valid. */
export function declaredRoles(raw: unknown): ReadonlySet<DataRole> {
  const data = isMapping(raw) ? raw : {};
  return new Set((['evaluation', 'reference', 'current'] as const).filter((role) => data[role] !== undefined));
}

/** Returns the column names a data file declares in its CSV options, or null when only the file can tell. */
export function declaredColumns(file: DataFile | null): readonly string[] | null {
  return file?.csv?.columns ?? null;
}

/**
 * Resolves a reference given as a stored profile. The reading options of the reference file
 * applied when it was profiled, so they are rejected here rather than silently ignored.
 */
function resolveReferenceProfile(raw: Raw, baseDirectory: string, problems: PointerProblem[]): ReferenceProfileFile | null {
  for (const key of ['file', 'format', 'csv', 'recode'] as const) {
    if (raw[key] === undefined) continue;
    const message =
      key === 'file'
        ? 'is given beside profile; a reference is either a data file or a profile of one, so remove one of them'
        : `applies to a reference data file, and this reference is a profile, which was read with its options when custos measure profile wrote it; remove ${key}`;
    problems.push({ pointer: `/data/reference/${key}`, message, expected: `no ${key} beside profile`, received: describeReceived(raw[key]) });
  }
  if (typeof raw.profile !== 'string' || raw.profile.length === 0) return null;
  return { profile: raw.profile, path: path.resolve(baseDirectory, raw.profile), dataset: datasetOf(raw) };
}

function datasetOf(raw: Raw): DataFile['dataset'] {
  return isMapping(raw.dataset) && typeof raw.dataset.dataset === 'string' && typeof raw.dataset.version === 'string' ? { dataset: raw.dataset.dataset, version: raw.dataset.version } : null;
}

function resolveDataFile(role: DataRole, raw: Raw, baseDirectory: string, problems: PointerProblem[]): DataFile | null {
  const pointer = `/data/${role}`;
  if (role === 'reference' && raw.file === undefined) {
    problems.push({ pointer, message: 'needs file, the reference data file, or profile, a profile of it that custos measure profile wrote', expected: 'file or profile', received: describeReceived(raw) });
    return null;
  }
  if (typeof raw.file !== 'string' || raw.file.length === 0) return null;
  const format = resolveFormat(raw, pointer, problems);
  if (format === null) return null;

  const csv = format === 'csv' ? resolveCsvOptions(raw.file, raw.csv, `${pointer}/csv`, problems) : null;
  if (format !== 'csv' && raw.csv !== undefined) {
    problems.push({
      pointer: `${pointer}/csv`,
      message: `applies to CSV files only, and this file's format is ${format}; remove csv, or set format: csv`,
      expected: 'no csv options for a Parquet or JSON Lines file',
      received: describeReceived(raw.csv),
    });
  }
  const dataset = datasetOf(raw);
  return {
    role,
    file: raw.file,
    path: path.resolve(baseDirectory, raw.file),
    format,
    csv,
    dataset,
    recode: resolveRecode(raw.recode, `${pointer}/recode`, problems),
  };
}

const formatsByExtension: Readonly<Record<string, FileFormat>> = { '.csv': 'csv', '.tsv': 'csv', '.parquet': 'parquet', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

function resolveFormat(raw: Raw, pointer: string, problems: PointerProblem[]): FileFormat | null {
  if (typeof raw.format === 'string') return (fileFormats as readonly string[]).includes(raw.format) ? (raw.format as FileFormat) : null;
  const file = String(raw.file);
  const extension = path.extname(file.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  const format = formatsByExtension[extension];
  if (format) return format;
  problems.push({
    pointer: `${pointer}/file`,
    message: `does not tell its format by its extension (.csv, .tsv, .parquet, .jsonl or .ndjson); add format: csv, parquet or jsonl beside file`,
    expected: 'a file name with a known extension, or a format key',
    received: JSON.stringify(file),
  });
  return null;
}

function resolveCsvOptions(file: string, raw: unknown, pointer: string, problems: PointerProblem[]): CsvOptions {
  const given = isMapping(raw) ? raw : {};
  const isTabSeparated = /\.tsv(\.(gz|zst))?$/i.test(file);
  const quote = typeof given.quote === 'string' ? given.quote : '"';
  const defaultDelimiter = isTabSeparated ? '\t' : ',';
  const options: CsvOptions = {
    delimiter: typeof given.delimiter === 'string' ? given.delimiter : defaultDelimiter,
    quote,
    escape: typeof given.escape === 'string' ? given.escape : quote,
    header: typeof given.header === 'boolean' ? given.header : true,
    columns: Array.isArray(given.columns) && given.columns.every((column) => typeof column === 'string') ? (given.columns as string[]) : null,
    nullValues: Array.isArray(given.nullValues) && given.nullValues.every((value) => typeof value === 'string') ? (given.nullValues as string[]) : [''],
    skipRows: typeof given.skipRows === 'number' ? given.skipRows : 0,
    encoding: given.encoding === 'utf-16' || given.encoding === 'latin-1' ? given.encoding : 'utf-8',
  };

  if (!options.header && options.columns === null && given.columns === undefined) {
    problems.push({
      pointer: `${pointer}/header`,
      message: 'is false, so the file has no column names; add columns: with the name of every column in order',
      expected: 'header: true, or a columns list beside header: false',
      received: 'false',
    });
  }
  if (options.delimiter.includes(options.quote)) {
    problems.push({
      pointer: `${pointer}/delimiter`,
      message: `contains the quote character ${JSON.stringify(options.quote)}, so the reader could not separate the fields; choose another delimiter or quote`,
      expected: 'a delimiter without the quote character',
      received: JSON.stringify(options.delimiter),
    });
  }
  if (/[\r\n]/.test(options.delimiter)) {
    problems.push({ pointer: `${pointer}/delimiter`, message: 'must not contain a line break', expected: 'a delimiter such as "," or ";"', received: JSON.stringify(options.delimiter) });
  }
  reportDuplicates(options.columns ?? [], `${pointer}/columns`, 'column', problems);
  return options;
}

function resolveRecode(raw: unknown, pointer: string, problems: PointerProblem[]): DataFile['recode'] {
  if (!isMapping(raw)) return {};
  const recode: Record<string, Record<string, ScalarValue | null>> = {};
  for (const [column, mapping] of Object.entries(raw)) {
    if (column.length === 0) {
      problems.push({ pointer: `${pointer}/`, message: 'names an empty column; write the column name as the key', expected: 'a column name', received: '""' });
      continue;
    }
    if (isMapping(mapping)) recode[column] = mapping as Record<string, ScalarValue | null>;
  }
  return recode;
}

function resolveEvaluation(raw: Raw, baseDirectory: string, problems: PointerProblem[]): EvaluationData | null {
  const file = resolveDataFile('evaluation', raw, baseDirectory, problems);
  const task = raw.task;
  if (!file || (task !== 'binary_classification' && task !== 'multiclass_classification' && task !== 'regression')) return null;
  const label = raw.label;
  if (!isMapping(label) || typeof label.column !== 'string') return null;
  const labelColumn = label.column;
  const pointer = '/data/evaluation';
  const isBinary = task === 'binary_classification';

  const labelPositive = positiveValues(label.positive);
  if (isBinary && labelPositive === null) {
    problems.push({
      pointer: `${pointer}/label`,
      message: 'needs positive: the value or values of the positive class (for example positive: 1), because the task is binary_classification',
      expected: 'a mapping with column and positive',
      received: describeReceived(label),
    });
  }
  const prediction = isMapping(raw.prediction) && typeof raw.prediction.column === 'string' ? raw.prediction : null;
  const predictionPositive = prediction ? (positiveValues(prediction.positive) ?? labelPositive) : null;
  if (!isBinary) {
    const binaryOnly = [
      ['label', 'positive', label.positive],
      ['prediction', 'positive', prediction?.positive],
      ['label', 'allowAbsentPositive', label.allowAbsentPositive],
      ['prediction', 'allowAbsentPositive', prediction?.allowAbsentPositive],
    ] as const;
    for (const [field, key, value] of binaryOnly) {
      if (value !== undefined) {
        problems.push({
          pointer: `${pointer}/${field}/${key}`,
          message: `applies to binary classification only, and the task is ${task}; remove ${key}`,
          expected: `no ${key}`,
          received: describeReceived(value),
        });
      }
    }
  }

  const sensitive = Array.isArray(raw.sensitive) ? raw.sensitive.filter((column): column is string => typeof column === 'string') : [];
  reportDuplicates(sensitive, `${pointer}/sensitive`, 'attribute', problems);
  sensitive.forEach((column, index) => {
    if (column === labelColumn || column === prediction?.column) {
      problems.push({
        pointer: `${pointer}/sensitive/${index}`,
        message: 'is the label or prediction column; a sensitive attribute must be another column',
        expected: 'a column other than the label and the prediction',
        received: JSON.stringify(column),
      });
    }
  });
  checkDeclaredColumns(file, [labelColumn, prediction?.column as string | undefined, ...sensitive], pointer, problems);

  return {
    ...file,
    role: 'evaluation',
    task,
    label: { column: labelColumn, positive: isBinary ? labelPositive : null, allowAbsentPositive: label.allowAbsentPositive === true },
    prediction: prediction ? { column: prediction.column as string, positive: isBinary ? predictionPositive : null, allowAbsentPositive: prediction.allowAbsentPositive === true } : null,
    score: resolveScore(raw.score, task, `${pointer}/score`, problems),
    sensitive,
    missingSensitive: raw.missingSensitive === 'error' ? 'error' : 'group',
  };
}

function resolveScore(raw: unknown, task: EvaluationData['task'], pointer: string, problems: PointerProblem[]): EvaluationData['score'] {
  if (!isMapping(raw)) return null;
  const hasColumn = typeof raw.column === 'string';
  const hasColumns = isMapping(raw.columns);
  const problem = (message: string, expected: string): null => {
    problems.push({ pointer, message, expected, received: describeReceived(raw) });
    return null;
  };
  if (task === 'regression') return problem('applies to classification only; a regression model gives its value in prediction', 'no score for regression');
  if (hasColumn === hasColumns) return problem('needs exactly one of column (binary) and columns (multiclass)', 'a mapping with column, or with columns');
  if (task === 'binary_classification' && hasColumns) return problem('names one column per class, but the task is binary_classification; name the positive-class probability with column', 'a mapping with column');
  if (task === 'multiclass_classification' && hasColumn) return problem('names one column, but the task is multiclass_classification; map each class label to its probability column with columns', 'a mapping with columns');
  return hasColumn ? { column: raw.column as string } : { columns: raw.columns as Record<string, string> };
}

function positiveValues(raw: unknown): ScalarValue[] | null {
  if (raw === undefined || raw === null) return null;
  return (Array.isArray(raw) ? raw : [raw]).filter((value): value is ScalarValue => ['string', 'number', 'boolean'].includes(typeof value));
}

/** Reports column names that a CSV file's declared columns lack; files without declared columns are checked when read. */
export function checkDeclaredColumns(file: DataFile, columns: readonly (string | undefined)[], pointer: string, problems: PointerProblem[]): void {
  const declared = declaredColumns(file);
  if (declared === null) return;
  for (const column of columns) {
    if (column === undefined || declared.includes(column)) continue;
    const suggestions = closestNames(column, declared);
    problems.push({
      pointer,
      message: `names the column ${JSON.stringify(column)}, which csv.columns of data.${file.role} does not list${suggestions.length > 0 ? `; did you mean ${suggestions.join(' or ')}?` : ''}`,
      expected: `one of ${declared.join(', ')}`,
      received: JSON.stringify(column),
    });
  }
}

export function reportDuplicates(values: readonly string[], pointer: string, noun: string, problems: PointerProblem[]): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) {
      problems.push({ pointer: `${pointer}/${index}`, message: `repeats the ${noun} ${JSON.stringify(value)}; name each ${noun} once`, expected: `a ${noun} not named before`, received: JSON.stringify(value) });
    }
    seen.add(value);
  });
}
