import { Type, type Static } from '@sinclair/typebox';
import { isDistinctState } from '../core/drift/distinct-estimate.js';
import { classifyDuckDbType } from '../data/index.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { findProblems } from '../../platform/validation.js';
import { driftColumnType } from './drift-columns.js';
import { referenceProfileKind, referenceProfileVersion, type ProfileBins, type ReferenceProfile } from './drift-profile.js';

/**
 * Reading a stored reference profile back. The JSON is checked against its schema and then for
 * the sums that tie its counts together. So an edited or truncated profile is rejected with every
 * problem named, instead of giving a wrong drift report.
 */

const count = Type.Integer({ minimum: 0 });
const finiteNumber = Type.Number();
const binningMethod = Type.Union([Type.Literal('reference-quantiles'), Type.Literal('equal-width')]);

const excludedSchema = Type.Object(
  { missing: count, positiveInfinity: count, negativeInfinity: count, notANumber: count },
  { additionalProperties: false },
);

const binsSchema = Type.Union([
  Type.Object(
    { method: binningMethod, binCount: Type.Integer({ minimum: 1 }), edges: Type.Array(finiteNumber, { minItems: 2 }), counts: Type.Array(count, { minItems: 1 }), below: count, above: count },
    { additionalProperties: false },
  ),
  Type.Object({ method: binningMethod, binCount: Type.Integer({ minimum: 1 }), undefinedReason: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
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
    valueCounts: Type.Union([Type.Array(Type.Tuple([finiteNumber, Type.Integer({ minimum: 1 })])), Type.Null()]),
    bins: Type.Union([binsSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

const categoricalColumnSchema = Type.Object(
  {
    name: Type.String(),
    duckdbType: Type.String({ minLength: 1 }),
    driftType: Type.Literal('categorical'),
    categories: Type.Array(Type.Tuple([Type.String(), Type.Integer({ minimum: 1 })])),
    missing: count,
  },
  { additionalProperties: false },
);

const untestedColumnSchema = Type.Object({ name: Type.String(), duckdbType: Type.String({ minLength: 1 }), driftType: Type.Null() }, { additionalProperties: false });

const profileSchema = Type.Object(
  {
    kind: Type.Literal(referenceProfileKind),
    version: Type.Literal(referenceProfileVersion),
    custosVersion: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    reference: Type.Object(
      {
        file: Type.String({ minLength: 1 }),
        format: Type.Union([Type.Literal('csv'), Type.Literal('parquet'), Type.Literal('jsonl')]),
        sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        sizeBytes: count,
        rows: count,
      },
      { additionalProperties: false },
    ),
    columns: Type.Array(Type.Union([numericColumnSchema, categoricalColumnSchema, untestedColumnSchema])),
  },
  { additionalProperties: false },
);

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
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" is not JSON (${(error as Error).message}); write one with custos measure profile <reference> --out ${file}`);
  }

  const header = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (header['kind'] !== referenceProfileKind) {
    throw new AppError('VALIDATION_FAILED', `"${file}" is not a custos reference profile: its "kind" is ${JSON.stringify(header['kind'] ?? null)}, not "${referenceProfileKind}"; write one with custos measure profile <reference> --out ${file}`);
  }
  if (header['version'] !== referenceProfileVersion) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The reference profile "${file}" has format version ${JSON.stringify(header['version'] ?? null)} (written by custos ${String(header['custosVersion'] ?? 'unknown')}), and this custos reads version ${referenceProfileVersion}; profile the reference file again with custos measure profile`,
    );
  }

  const problems = findProblems(profileSchema, value);
  if (problems.length === 0) problems.push(...consistencyProblems(value as Static<typeof profileSchema>));
  if (problems.length > 0) {
    const listed = problems.slice(0, 10).map((problem) => `${problem.path} ${problem.message}`).join('; ');
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    throw new AppError('VALIDATION_FAILED', `The reference profile "${file}" is invalid: ${listed}${more}. Profile the reference file again instead of editing the profile`, problems);
  }
  return value as ReferenceProfile;
}

/** Lists the problems a schema cannot express: repeated names, types, sums and orders. */
function consistencyProblems(profile: Static<typeof profileSchema>): ErrorDetail[] {
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
  const unordered = bins.edges.findIndex((edge, index) => index > 0 && edge < (bins.edges[index - 1] as number));
  if (unordered >= 0) problems.push({ path: `${at}/edges/${unordered}`, message: 'is smaller than the edge before it; edges are ascending' });
  const total = bins.counts.reduce((sum, binCount) => sum + binCount, 0) + bins.below + bins.above;
  if (total !== finite) problems.push({ path: at, message: `counts ${total} values in and outside the bins, not the column's ${finite} finite values` });
  return problems;
}
