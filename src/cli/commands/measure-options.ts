import YAML from 'yaml';
import { driftTests, type DriftTestName, type DriftTestOverride } from '../../measurement/core/drift/default-test.js';
import type { DeclaredColumn } from '../../measurement/data/index.js';
import type { DriftOptions } from '../../measurement/engine/drift-measurement.js';
import type { QualityOptions } from '../../measurement/engine/quality-measurement.js';
import { AppError } from '../../platform/errors.js';
import { readInputFile } from '../files.js';

/** Flags of `custos measure drift` beyond the file options. */
export interface DriftFlags {
  currentFormat?: string;
  currentDelimiter?: string;
  currentNoHeader?: boolean;
  currentColumns?: string;
  currentSkipRows?: string;
  currentNullValues?: string;
  currentRecode?: string;
  testColumns?: string;
  map?: string;
  test?: string[];
  driftShare?: string;
}

/** Flags of `custos measure quality` beyond the file options. */
export interface QualityFlags {
  schema?: string;
  keys?: string;
  annotators?: string;
}

function items(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function parseDriftFlags(flags: DriftFlags): DriftOptions {
  const columnMapping: Record<string, string> = {};
  for (const pair of flags.map === undefined ? [] : items(flags.map)) {
    const [reference, current] = pair.split('=').map((part) => part.trim());
    if (!reference || !current) throw new AppError('VALIDATION_FAILED', `Invalid --map pair "${pair}"; write reference=current, such as income-per-year=Y`);
    columnMapping[reference] = current;
  }

  const overrides: Record<string, DriftTestOverride> = {};
  for (const rule of flags.test ?? []) {
    const match = /^(.+)=([a-z-]+)(?::(.+))?$/.exec(rule.trim());
    if (!match || !Object.hasOwn(driftTests, match[2]!)) {
      throw new AppError('VALIDATION_FAILED', `Invalid --test "${rule}"; write column=test or column=test:threshold, with test one of ${Object.keys(driftTests).join(', ')}`);
    }
    const threshold = match[3] === undefined ? undefined : Number(match[3]);
    if (threshold !== undefined && !Number.isFinite(threshold)) throw new AppError('VALIDATION_FAILED', `Invalid threshold "${match[3]}" in --test "${rule}"; give a number`);
    overrides[match[1]!] = { test: match[2] as DriftTestName, ...(threshold !== undefined ? { threshold } : {}) };
  }

  let datasetDriftShare: number | undefined;
  if (flags.driftShare !== undefined) {
    datasetDriftShare = Number(flags.driftShare);
    if (!Number.isFinite(datasetDriftShare) || datasetDriftShare <= 0 || datasetDriftShare > 1) {
      throw new AppError('VALIDATION_FAILED', `Invalid --drift-share "${flags.driftShare}"; give a share above 0 and at most 1, such as 0.5`);
    }
  }

  return {
    ...(flags.testColumns !== undefined ? { columns: items(flags.testColumns) } : {}),
    columnMapping,
    overrides,
    ...(datasetDriftShare !== undefined ? { datasetDriftShare } : {}),
  };
}

export function parseQualityFlags(flags: QualityFlags): QualityOptions {
  const annotators = flags.annotators === undefined ? [] : items(flags.annotators);
  if (flags.annotators !== undefined && annotators.length < 2) {
    throw new AppError('VALIDATION_FAILED', `--annotators "${flags.annotators}" names ${annotators.length} column; agreement needs the label columns of at least two annotators`);
  }
  return {
    ...(flags.schema !== undefined ? { schema: readSchema(flags.schema) } : {}),
    ...(flags.keys !== undefined ? { keyColumns: items(flags.keys) } : {}),
    ...(annotators.length > 0 ? { annotators: { columns: annotators } } : {}),
  };
}

const declaredTypes = ['integer', 'number', 'string', 'boolean', 'date', 'timestamp'];

/**
 * Reads a quality schema: a YAML mapping of column name to its declaration, such as
 * `age: { type: integer, minimum: 0, maximum: 120 }` or `sex: { type: string, allowed: [F, M] }`.
 * Every problem is reported at once.
 */
function readSchema(file: string): DeclaredColumn[] {
  let parsed: unknown;
  try {
    parsed = YAML.parse(readInputFile(file, 'schema file').toString('utf8'), { maxAliasCount: 0 });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', `The schema file "${file}" is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('VALIDATION_FAILED', `The schema file "${file}" must map column names to declarations, such as "age: { type: integer, minimum: 0 }"`);
  }
  const problems: { path: string; message: string }[] = [];
  const columns: DeclaredColumn[] = [];
  for (const [name, declaration] of Object.entries(parsed as Record<string, unknown>)) {
    if (declaration === null || typeof declaration !== 'object' || Array.isArray(declaration)) {
      problems.push({ path: name, message: 'must be a mapping with type and optionally minimum, maximum and allowed' });
      continue;
    }
    const { type, minimum, maximum, allowed, ...unknown } = declaration as Record<string, unknown>;
    for (const key of Object.keys(unknown)) problems.push({ path: `${name}.${key}`, message: 'is not a known key; use type, minimum, maximum or allowed' });
    if (typeof type !== 'string' || !declaredTypes.includes(type)) {
      problems.push({ path: `${name}.type`, message: `must be one of ${declaredTypes.join(', ')} (received ${JSON.stringify(type)})` });
      continue;
    }
    for (const [key, value] of [['minimum', minimum], ['maximum', maximum]] as const) {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) problems.push({ path: `${name}.${key}`, message: `must be a number (received ${JSON.stringify(value)})` });
    }
    if (allowed !== undefined && (!Array.isArray(allowed) || allowed.length === 0)) problems.push({ path: `${name}.allowed`, message: 'must be a non-empty list of values' });
    columns.push({
      name,
      type: type as DeclaredColumn['type'],
      ...(typeof minimum === 'number' ? { minimum } : {}),
      ...(typeof maximum === 'number' ? { maximum } : {}),
      ...(Array.isArray(allowed) ? { allowedValues: allowed.map(String) } : {}),
    });
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `The schema file "${file}" has ${problems.length} problem(s); nothing was measured`, problems);
  }
  return columns;
}
