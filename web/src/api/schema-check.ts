import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { notBlankPattern } from '../../../src/platform/schema-building';
import { ApiError, type ErrorDetail } from './client';

/**
 * Checks a request body in the browser against the TypeBox schema the API validates it with, so
 * that a form can name a problem next to its field before sending anything. Value.Errors
 * interprets the schema, unlike the compiled checker, so the page needs no run-time code generation.
 */
export function checkAgainstSchema(schema: TSchema, value: unknown): ApiError | undefined {
  const details = [...problemsOf(schema, value, '')];
  if (details.length === 0) return undefined;
  return new ApiError(400, 'VALIDATION_FAILED', 'Some values are not valid', details);
}

function* problemsOf(schema: TSchema, value: unknown, prefix: string): Generator<ErrorDetail> {
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const path = `${prefix}${error.path}`;
    if (seen.has(path)) continue;
    seen.add(path);
    // A nullable object such as a risk rating: its own fields explain what is wrong.
    const objectAlternative = error.type === ValueErrorType.Union ? objectAlternativeOf(error) : undefined;
    if (objectAlternative) {
      yield* problemsOf(objectAlternative, error.value, path);
      continue;
    }
    yield { path, message: describe(error) };
  }
}

function objectAlternativeOf(error: ValueError): TSchema | undefined {
  const value = error.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const objects = ((error.schema.anyOf ?? []) as TSchema[]).filter((alternative) => alternative.type === 'object');
  return objects.length === 1 ? objects[0] : undefined;
}

/** Words a TypeBox error as the screens word the API's: what is wrong and what to enter instead. */
function describe(error: ValueError): string {
  const { schema, value } = error;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'Required';
    case ValueErrorType.StringPattern:
      if (schema.pattern === notBlankPattern) return value === '' ? 'Required' : 'Required: enter more than spaces';
      return 'Contains characters that are not allowed here';
    case ValueErrorType.StringMaxLength:
      return `Too long: ${String(value).length} characters; use at most ${String(schema.maxLength)}`;
    case ValueErrorType.StringMinLength:
      return value === '' ? 'Required' : `Too short: use at least ${String(schema.minLength)} characters`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `Use ${String(schema.minimum)} or more`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `Use ${String(schema.maximum)} or less`;
    case ValueErrorType.Union:
    case ValueErrorType.Literal:
      return 'Choose one of the options';
    default:
      return error.message;
  }
}
