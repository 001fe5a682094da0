import { validationFailed, type AppError } from '../../platform/errors.js';

/**
 * Runs a call into the measurement core and turns the RangeError it raises for invalid input
 * (an unknown test, a threshold out of range, malformed counts) into a VALIDATION_FAILED error at
 * `path`, so that the CLI exits with code 2 and the API returns 400. A returned promise is
 * handled the same way when it rejects. Other errors pass through unchanged. With `subject`, such
 * as `The measurement of "scores.csv"`, the message starts with it.
 */
export function withCoreErrors<T>(path: string, compute: () => T, subject?: string): T {
  try {
    const result = compute();
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(translated(path, error, subject))) as T;
    return result;
  } catch (error) {
    throw translated(path, error, subject);
  }
}

function translated(path: string, error: unknown, subject: string | undefined): unknown {
  if (!(error instanceof RangeError)) return error;
  const message = subject === undefined ? error.message : `${subject} cannot be computed: ${error.message}`;
  return validationFailed([{ path, message: error.message }], message) as AppError;
}
