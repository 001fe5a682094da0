/**
 * The error catalogue. Every error that reaches a client or the CLI is an AppError with a
 * stable code. The HTTP status and the CLI exit code are mapped here and nowhere else.
 */

export interface ErrorDetail {
  /** JSON pointer or dotted path of the offending value, for example `/lifecycleStage` or `line 4, purpose`. */
  path: string;
  message: string;
}

interface CatalogueEntry {
  status: number;
  /** CLI exit code: 1 for a failed check, 2 for usage or input errors. */
  exitCode: 1 | 2;
}

export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, exitCode: 2 },
  INVALID_JSON: { status: 400, exitCode: 2 },
  INVALID_QUERY: { status: 400, exitCode: 2 },
  UNAUTHENTICATED: { status: 401, exitCode: 2 },
  FORBIDDEN: { status: 403, exitCode: 2 },
  NOT_FOUND: { status: 404, exitCode: 2 },
  CONFLICT: { status: 409, exitCode: 2 },
  PRECONDITION_FAILED: { status: 412, exitCode: 2 },
  BODY_TOO_LARGE: { status: 413, exitCode: 2 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, exitCode: 2 },
  TOO_MANY_REQUESTS: { status: 429, exitCode: 2 },
  INVALID_CONFIGURATION: { status: 500, exitCode: 2 },
  CHECK_FAILED: { status: 500, exitCode: 1 },
  INTERNAL: { status: 500, exitCode: 1 },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get exitCode(): 1 | 2 {
    return errorCatalogue[this.code].exitCode;
  }

  toBody(): { error: { code: ErrorCode; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export function validationFailed(details: ErrorDetail[], summary?: string): AppError {
  const first = details[0];
  const message =
    summary ??
    (details.length === 1 && first
      ? `Invalid value at ${first.path}: ${first.message}`
      : `The request has ${details.length} invalid values; see details`);
  return new AppError('VALIDATION_FAILED', message, details);
}

export function notFound(recordType: string, id: string): AppError {
  return new AppError('NOT_FOUND', `No ${recordType} with id "${id}" exists; check the id or list the ${recordType} records`);
}

export function versionMismatch(recordType: string, id: string, expected: number, current: number): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    `The ${recordType} "${id}" has changed since you read it: If-Match names version ${expected}, the current version is ${current}; reload it and apply your change again`,
  );
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
