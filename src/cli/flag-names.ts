import { AppError, validationFailed, type ErrorDetail } from '../platform/errors.js';

/**
 * Runs a service call for a command and rewrites its errors for the command line: a detail about
 * an input field names the flag or variable that gave it (`--expires-in-days`) instead of the
 * field's JSON pointer (`/expiresInDays`). `flags` maps each pointer to its flag.
 */
export async function withFlagNames<T>(flags: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw renameToFlags(error, new Map(Object.entries(flags)));
  }
}

function renameToFlags(error: unknown, flags: Map<string, string>): unknown {
  if (!(error instanceof AppError) || !error.details.some((detail) => flags.has(detail.path))) return error;

  const details = error.details.map((detail) => ({ path: flags.get(detail.path) ?? detail.path, message: detail.message }));
  // A message that validationFailed built from the pointers is rebuilt from the flags. A message
  // written for the case, such as "does not hold the role", already reads well, so it is kept.
  const isGenerated = error.message === validationFailed(error.details).message;
  return new AppError(error.code, isGenerated ? summarize(details) : error.message, details, { cause: error });
}

function summarize(details: ErrorDetail[]): string {
  const [first] = details;
  if (details.length === 1 && first) return `Invalid ${first.path}: ${first.message}`;
  return `${details.length} values are invalid:`;
}
