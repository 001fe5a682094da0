import { AppError } from '../platform/errors.js';

/** The ETag of a record: its version number, quoted, so that If-Match can name the version read. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Reads If-Match. Returns the version it names, or undefined when the header is absent or `*`,
 * in which case the change applies to whatever version is current.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!match) {
    throw new AppError(
      'VALIDATION_FAILED',
      `If-Match ${JSON.stringify(value)} is not an ETag this server issued; send the ETag header from your last read, for example "3"`,
      [{ path: 'headers:/if-match', message: 'must be a quoted version number' }],
    );
  }
  return Number(match[1]);
}
