import { AppError } from '../../platform/errors.js';

/**
 * Runs a computation of the measurement core and turns the RangeError it raises on malformed
 * input into a VALIDATION_FAILED error that names the data file. Other errors pass unchanged.
 */
export function withCoreErrors<T>(path: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new AppError('VALIDATION_FAILED', `The measurement of "${path}" cannot be computed: ${error.message}`, [{ path, message: error.message }], { cause: error });
    }
    throw error;
  }
}
