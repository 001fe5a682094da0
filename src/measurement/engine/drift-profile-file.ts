import { createHash } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { isDistinctState } from '../core/drift/distinct-estimate.js';
import { classifyDuckDbType } from '../data/index.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { findProblems } from '../../platform/validation.js';
import { driftColumnType } from './drift-columns.js';
import { profileValueLimit, referenceProfileKind, referenceProfileVersion, type ProfileBins, type ReferenceProfile } from './drift-profile.js';

/**
 * Reading a stored reference profile back. The JSON is checked against its schema and then for
 * the sums that tie its counts together. So an edited or truncated profile is rejected with every
 * problem named, instead of giving a wrong drift report.
 */

/** Counts stay below 2^53, below which a JavaScript number represents every whole number. */
const count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const positiveCount = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
/** Bins per column: far more than any binning a drift test uses, so that a damaged profile cannot ask for millions. */
const maxBinCount = 1_000;
const finiteNumber = Type.Number();
const binningMethod = Type.Union([Type.Literal('reference-quantiles'), Type.Literal('equal-width')]);

const excludedSchema = Type.Object(
  { missing: count, positiveInfinity: count, negativeInfinity: count, notANumber: count },
  { additionalProperties: false },
);

const binsSchema = Type.Union([
  Type.Object(
    {
      method: binningMethod,
      binCount: Type.Integer({ minimum: 1, maximum: maxBinCount }),
      edges: Type.Array(finiteNumber, { minItems: 2, maxItems: maxBinCount + 1 }),
      counts: Type.Array(count, { minItems: 1, maxItems: maxBinCount }),
      below: count,
      above: count,
    },
    { additionalProperties: false },
  ),
  Type.Object({ method: binningMethod, binCount: Type.Integer({ minimum: 1, maximum: maxBinCount }), undefinedReason: Type.String({ minLength: 1, maxLength: 1_000 }) }, { additionalProperties: false }),
]);

const numericColumnSchema = Type.Object(
  {
    name: Type.String(),
    duckdbType: Type.String({ minLength: 1 }),
    driftType: Type.Literal('numerical'),
    finite: count,
    excluded: excludedSchema,
    distinctEstimate: count,
    distinctState: Type.String(),
    valueCounts: Type.Union([Type.Array(Type.Tuple([finiteNumber, positiveCount]), { maxItems: profileValueLimit }), Type.Null()]),
    bins: Type.Union([binsSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

const categoricalColumnSchema = Type.Object(
  {
    name: Type.String(),
    duckdbType: Type.String({ minLength: 1 }),
    driftType: Type.Literal('categorical'),
    categories: Type.Array(Type.Tuple([Type.String(), positiveCount])),
    missing: count,
  },
  { additionalProperties: false },
);

const untestedColumnSchema = Type.Object({ name: Type.String(), duckdbType: Type.String({ minLength: 1 }), driftType: Type.Null() }, { additionalProperties: false });

/** The profile without its columns, which are checked one by one against the schema of their drift type. */
const profileSchema = Type.Object(
  {
    kind: Type.Literal(referenceProfileKind),
    version: Type.Literal(referenceProfileVersion),
    custosVersion: Type.String({ maxLength: 100 }),
    createdAt: Type.String({ format: 'date-time' }),
    reference: Type.Object(
      {
        file: Type.String({ minLength: 1 }),
        format: Type.Union([Type.Literal('csv'), Type.Literal('parquet'), Type.Literal('jsonl')]),
        sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        sizeBytes: count,
        rows: count,
        warnings: Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 1_000 }),
      },
      { additionalProperties: false },
    ),
    columns: Type.Array(Type.Unknown()),
    contentSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);

type ProfileColumnValue = Static<typeof numericColumnSchema> | Static<typeof categoricalColumnSchema> | Static<typeof untestedColumnSchema>;
type CheckedProfile = Omit<Static<typeof profileSchema>, 'columns'> & { columns: ProfileColumnValue[] };

const columnSchemas: Readonly<Record<string, TSchema>> = { numerical: numericColumnSchema, categorical: categoricalColumnSchema, null: untestedColumnSchema };
const checkers = new Map<TSchema, TypeCheck<TSchema>>();

/** Checks `value` with a compiled schema, so that a profile of millions of categories is checked fast; the messages come from `findProblems` only on failure. */
function schemaProblems(schema: TSchema, value: unknown, prefix: string): ErrorDetail[] {
  let checker = checkers.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    checkers.set(schema, checker);
  }
  return checker.Check(value) ? [] : findProblems(schema, value, prefix);
}

/**
 * Containers nested deeper than this cannot be a profile, whose deepest value is a number in a
 * pair in a list in a column in the list of columns. Checking the depth first keeps a hostile
 * file from exhausting the stack of the recursive checks.
 */
const maxNesting = 8;

function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > maxNesting) return deepest;
    for (const item of Array.isArray(current) ? current : Object.values(current)) pending.push({ value: item, depth: depth + 1 });
  }
  return deepest;
}

/**
 * Writes a profile as JSON with the SHA-256 of its content, so that a later reading detects a
 * profile edited by hand or damaged on the way.
 */
export function serializeReferenceProfile(profile: ReferenceProfile): string {
  const { contentSha256: _ignored, ...content } = profile;
  return `${JSON.stringify({ ...content, contentSha256: sha256Of(JSON.stringify(content)) })}\n`;
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Parses and checks the text of a profile file. Raises VALIDATION_FAILED naming `file` when the
 * text is not JSON, is no custos profile, has another format version, or has a problem in its
 * fields or sums, listing every problem.
 */
export function parseReferenceProfile(text: string, file: string): ReferenceProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" is not JSON (${(error as Error).message}); write one with custos measure profile <reference> --out <reference>.profile.json and give that file`);
  }

  if (nestingDepth(value) > maxNesting) {
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" is invalid: it nests objects or lists more than ${maxNesting} deep, which no profile does; profile the reference file again with custos measure profile`);
  }
  const header = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (header['kind'] !== referenceProfileKind) {
    throw new AppError('VALIDATION_FAILED', `"${file}" is not a custos reference profile: its "kind" is ${JSON.stringify(header['kind'] ?? null)}, not "${referenceProfileKind}"; write one with custos measure profile <reference> --out <reference>.profile.json and give that file`);
  }
  if (typeof header['version'] !== 'number') {
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" has "version": ${JSON.stringify(header['version'] ?? null)}, which is not a format version number; profile the reference file again with custos measure profile`);
  }
  if (header['version'] !== referenceProfileVersion) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The reference profile "${file}" has format version ${JSON.stringify(header['version'] ?? null)} (written by custos ${String(header['custosVersion'] ?? 'unknown')}), and this custos reads version ${referenceProfileVersion}; profile the reference file again with custos measure profile`,
    );
  }

  const problems = schemaProblems(profileSchema, value, '');
  const columns = Array.isArray(header['columns']) ? (header['columns'] as unknown[]) : [];
  columns.forEach((column, index) => problems.push(...columnProblems(column, `/columns/${index}`)));
  if (problems.length === 0) {
    const checked = value as CheckedProfile;
    problems.push(...consistencyProblems(checked));
    const { contentSha256, ...content } = checked;
    const actual = sha256Of(JSON.stringify(content));
    if (actual !== contentSha256) {
      problems.push({ path: '/contentSha256', message: `is ${contentSha256}, but the content has SHA-256 ${actual}, so the profile was changed after custos measure profile wrote it` });
    }
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, 10).map((problem) => `${problem.path} ${problem.message}`).join('; ');
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" is invalid: ${listed}${more}. Profile the reference file again instead of editing the profile`, problems);
  }
  return value as ReferenceProfile;
}

/** Checks one column against the schema of its drift type, so that a problem is reported at its field rather than as a mismatch with every type. */
function columnProblems(column: unknown, at: string): ErrorDetail[] {
  const driftType = column !== null && typeof column === 'object' && !Array.isArray(column) ? (column as Record<string, unknown>)['driftType'] : undefined;
  const schema = columnSchemas[String(driftType)];
  if (schema === undefined || (driftType !== null && typeof driftType !== 'string')) {
    return [{ path: `${at}/driftType`, message: `must be "numerical", "categorical" or null, not ${JSON.stringify(driftType ?? 'missing')}` }];
  }
  return schemaProblems(schema, column, at);
}

/** Lists the problems a schema cannot express: repeated names, types, sums and orders. */
function consistencyProblems(profile: CheckedProfile): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const rows = profile.reference.rows;
  const names = new Set<string>();
  profile.columns.forEach((column, index) => {
    const at = `/columns/${index}`;
    if (names.has(column.name)) problems.push({ path: `${at}/name`, message: `repeats the column name "${column.name}"` });
    names.add(column.name);

    const expected = driftColumnType({ name: column.name, duckdbType: column.duckdbType, columnType: classifyDuckDbType(column.duckdbType) });
    if (expected !== column.driftType) problems.push({ path: `${at}/driftType`, message: `is ${JSON.stringify(column.driftType)}, but a ${column.duckdbType} column is tested as ${JSON.stringify(expected)}` });

    if (column.driftType === 'categorical') {
      const total = column.categories.reduce((sum, [, categoryCount]) => sum + categoryCount, 0) + column.missing;
      if (total !== rows) problems.push({ path: at, message: `counts ${total} values and missing values of column "${column.name}", not the ${rows} rows of the reference` });
      const categories = new Set(column.categories.map(([category]) => category));
      if (categories.size !== column.categories.length) problems.push({ path: `${at}/categories`, message: `repeats a category of column "${column.name}"` });
    } else if (column.driftType === 'numerical') {
      const { missing, positiveInfinity, negativeInfinity, notANumber } = column.excluded;
      const total = column.finite + missing + positiveInfinity + negativeInfinity + notANumber;
      if (total !== rows) problems.push({ path: at, message: `counts ${total} finite and excluded values of column "${column.name}", not the ${rows} rows of the reference` });
      if (!isDistinctState(column.distinctState)) problems.push({ path: `${at}/distinctState`, message: 'must be 128 hexadecimal digits, as custos measure profile writes it' });
      if (column.valueCounts !== null) problems.push(...valueCountProblems(column.valueCounts, column.finite, `${at}/valueCounts`));
      if (column.bins !== null && !('undefinedReason' in column.bins)) problems.push(...binProblems(column.bins, column.finite, `${at}/bins`));
    }
  });
  return problems;
}

function valueCountProblems(valueCounts: readonly (readonly [number, number])[], finite: number, at: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const total = valueCounts.reduce((sum, [, valueCount]) => sum + valueCount, 0);
  if (total !== finite) problems.push({ path: at, message: `counts ${total} values, not the column's ${finite} finite values` });
  const unordered = valueCounts.findIndex(([value], index) => index > 0 && !(value > (valueCounts[index - 1] as readonly [number, number])[0]));
  if (unordered >= 0) problems.push({ path: `${at}/${unordered}`, message: 'must follow a smaller value, because the values are stored ascending and each once' });
  return problems;
}

function binProblems(bins: Exclude<ProfileBins, { undefinedReason: string }>, finite: number, at: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (bins.counts.length !== bins.edges.length - 1) problems.push({ path: `${at}/counts`, message: `has ${bins.counts.length} counts for ${bins.edges.length} edges; there is one count fewer than edges` });
  if (bins.edges.length - 1 > bins.binCount) problems.push({ path: `${at}/edges`, message: `has ${bins.edges.length} edges, more than the ${bins.binCount + 1} that ${bins.binCount} bins have` });
  // Edges rise strictly; only a constant reference gives two equal edges and nothing else.
  const constant = bins.edges.length === 2 && bins.edges[0] === bins.edges[1];
  const unordered = bins.edges.findIndex((edge, index) => index > 0 && !(edge > (bins.edges[index - 1] as number)));
  if (unordered >= 0 && !constant) problems.push({ path: `${at}/edges/${unordered}`, message: 'is not larger than the edge before it; edges rise strictly' });
  const total = bins.counts.reduce((sum, binCount) => sum + binCount, 0) + bins.below + bins.above;
  if (total !== finite) problems.push({ path: at, message: `counts ${total} values in and outside the bins, not the column's ${finite} finite values` });
  return problems;
}
