import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Type, type SchemaOptions, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { validationFailed, type ErrorDetail } from './errors.js';
// Registers date-time, date, uri and email with TypeBox before any schema is checked.
import './formats.js';

/** Pattern of strings that are not empty or only white space; errors report it as "must not be blank". */
export const notBlankPattern = '\\S';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

/** Lists every problem of `value` against `schema`, each with its JSON pointer under `prefix`. */
export function findProblems(schema: TSchema, value: unknown, prefix = ''): ErrorDetail[] {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return [];
  const problems: ErrorDetail[] = [];
  for (const error of checker.Errors(value)) {
    const message = error.schema.pattern === notBlankPattern ? 'must not be blank' : error.message;
    problems.push({ path: `${prefix}${error.path}` || '/', message: describeProblem(message, error.value) });
  }
  return problems;
}

/** Returns `value` typed by the schema, or throws VALIDATION_FAILED listing every problem. */
export function parseWith<T extends TSchema>(schema: T, value: unknown, prefix = ''): Static<T> {
  const problems = findProblems(schema, value, prefix);
  if (problems.length > 0) throw validationFailed(problems);
  return value as Static<T>;
}

function describeProblem(message: string, received: unknown): string {
  if (received === undefined) return message;
  const shown = JSON.stringify(received);
  const clipped = shown !== undefined && shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
  return `${message} (received ${clipped})`;
}

/** Builds a union of string literals whose static type is the union of the values, not plain string. */
export function literalUnion<T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<TLiteral<T[number]>[]>;
}
