import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Static, TSchema } from '@sinclair/typebox';
import { validationFailed, type ErrorDetail } from './errors.js';
// Importing the formats registers date-time, date, uri and email with TypeBox before any check.
import { formatDescriptions } from './formats.js';
import { notBlankPattern } from './schema-building.js';
import { findUnsafeText } from './text-safety.js';

/** Paths whose values are secrets: their validation messages never include the value. */
export function isSecretPath(path: string): boolean {
  return /(password|token|secret)[^/]*$/i.test(path);
}

export { literalUnion, notBlankPattern } from './schema-building.js';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

/**
 * Lists every problem of `value` against `schema`, each with its JSON pointer under `prefix`,
 * including text that cannot be stored (NUL characters, unpaired surrogates).
 */
export function findProblems(schema: TSchema, value: unknown, prefix = ''): ErrorDetail[] {
  const unsafe = findUnsafeText(value, prefix);
  const reported = new Set(unsafe.map((problem) => problem.path));
  return [...unsafe, ...findSchemaProblems(schema, value, prefix, reported)];
}

/** Lists the schema problems of `value`, skipping paths in `reported` and adding the paths it reports. */
function findSchemaProblems(schema: TSchema, value: unknown, prefix: string, reported: Set<string>): ErrorDetail[] {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return [];

  const problems: ErrorDetail[] = [];
  for (const error of checker.Errors(value)) {
    const path = `${prefix}${error.path}` || '/';
    if (reported.has(path)) continue;
    // When a union with one object alternative, such as a nullable object, receives an object,
    // the problems lie in its fields, so they are reported there rather than as one union message.
    const alternative = objectAlternativeFor(error.schema, error.value);
    if (alternative) {
      problems.push(...findSchemaProblems(alternative, error.value, path === '/' ? '' : path, reported));
      continue;
    }
    reported.add(path);
    problems.push({ path, message: describeProblem(path, explain(error.schema, error.value, error.message), error.value) });
  }
  return problems;
}

/** Returns the one object alternative of a union when `value` is a plain object, else undefined. */
function objectAlternativeFor(schema: TSchema, value: unknown): TSchema | undefined {
  const alternatives = schema.anyOf as TSchema[] | undefined;
  if (!alternatives || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const objects = alternatives.filter((alternative) => alternative.type === 'object');
  return objects.length === 1 ? objects[0] : undefined;
}

/** Rewords TypeBox's messages for blank strings and failed unions into what the value must be. */
function explain(schema: TSchema, value: unknown, message: string): string {
  if (schema.pattern === notBlankPattern) return 'must not be blank';
  if (typeof schema.format === 'string' && typeof value === 'string' && formatDescriptions[schema.format]) return formatDescriptions[schema.format]!;
  const alternatives = schema.anyOf as TSchema[] | undefined;
  if (!alternatives) return message;

  const literals = alternatives.filter((alternative) => 'const' in alternative).map((alternative) => String(alternative.const));
  if (literals.length === alternatives.length) return `must be one of ${literals.join(', ')}`;

  const nullable = alternatives.some((alternative) => alternative.type === 'null');
  const reasons = alternatives
    .filter((alternative) => alternative.type !== 'null')
    .map((alternative) => {
      const first = checkerFor(alternative).Errors(value).First();
      return first ? explain(first.schema, first.value, first.message) : undefined;
    })
    .filter((reason): reason is string => reason !== undefined);
  if (reasons.length === 0) return message;
  return joinReasons(reasons, nullable);
}

/** Joins the reasons of a union's alternatives: "must be A or B", with ", or null" when null is allowed. */
export function joinReasons(reasons: readonly string[], nullable: boolean): string {
  const unique = [...new Set(reasons)];
  const prefix = 'must be ';
  const joined = unique.every((reason) => reason.startsWith(prefix))
    ? prefix + unique.map((reason) => reason.slice(prefix.length)).join(' or ')
    : unique.join(' or ');
  return nullable ? `${joined}, or null` : joined;
}

/** Returns `value` typed by the schema, or throws VALIDATION_FAILED listing every problem. */
export function parseWith<T extends TSchema>(schema: T, value: unknown, prefix = ''): Static<T> {
  const problems = findProblems(schema, value, prefix);
  if (problems.length > 0) throw validationFailed(problems);
  return value as Static<T>;
}

/** Appends the received value, except for passwords and other secrets, which are never echoed. */
function describeProblem(path: string, message: string, received: unknown): string {
  if (received === undefined || isSecretPath(path)) return message;
  const serialized = JSON.stringify(received);
  const clipped = serialized !== undefined && serialized.length > 80 ? `${serialized.slice(0, 77)}...` : serialized;
  return `${message} (received ${clipped})`;
}
