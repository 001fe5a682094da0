import { ApiError } from '../api/client';
import { plainFieldMessage } from '../api/plain-words';

/**
 * Returns the API's messages about one field, in plain words, of a form, or undefined. A detail belongs to the field
 * when its path names it as a segment, so `/inherent/likelihood` counts for `inherent`.
 */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.details.filter((detail) => detail.path.split(/[/.]/).includes(field)).map((detail) => plainFieldMessage(detail.message));
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** True when some detail of the error names none of the given fields, so the form must show it apart. */
export function hasOtherErrors(error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return error !== null && error !== undefined;
  if (error.details.length === 0) return true;
  return error.details.some((detail) => !fields.some((field) => detail.path.split(/[/.]/).includes(field)));
}
