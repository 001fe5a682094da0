/** Recognizes constraint violations from either driver, so services can turn them into catalogue errors. */

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  // 23505 is PostgreSQL's unique_violation; better-sqlite3 reports SQLite's extended result code.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function isCheckViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23514' || code === 'SQLITE_CONSTRAINT_CHECK';
}
