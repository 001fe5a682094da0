import { validationFailed, type AppError } from '../../platform/errors.js';

/**
 * Runs a call into the measurement core and turns the RangeError it raises for invalid input
 * (an unknown test, a threshold out of range, reference shares above 1) into a VALIDATION_FAILED
 * error at `path`, so that the CLI exits with code 2 and the API returns 400. A returned promise
 * is handled the same way when it rejects. Other errors pass through unchanged.
 */
export function rethrowAsValidation<T>(path: string, compute: () => T): T {
  try {
    const result = compute();
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(translated(path, error))) as T;
    return result;
  } catch (error) {
    throw translated(path, error);
  }
}

function translated(path: string, error: unknown): unknown {
  return error instanceof RangeError ? (validationFailed([{ path, message: error.message }], error.message) as AppError) : error;
}
