import { AppError } from '../platform/errors.js';

/** The ETag of a record: its version number, quoted, so that If-Match can name the version read. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Reads If-Match. Returns the version it names, or undefined when the header is absent or `*`,
 * in which case the change applies to whatever version is current. If-Match compares strongly
 * (RFC 9110, section 13.1.1), so a weak tag such as W/"3" never matches: a header with only
 * weak tags fails with 412 at once.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*') return undefined;

  const tags = value.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  const strong = new Set<number>();
  for (const tag of tags) {
    const match = /^(W\/)?"(\d{1,9})"$/.exec(tag);
    if (!match) {
      throw new AppError(
        'VALIDATION_FAILED',
        `If-Match ${JSON.stringify(value)} is not an ETag this server issued; send the ETag header from your last read, for example "3"`,
        [{ path: 'headers:/if-match', message: 'must be a quoted version number' }],
      );
    }
    if (!match[1]) strong.add(Number(match[2]));
  }
  if (strong.size > 1) {
    throw new AppError('VALIDATION_FAILED', `If-Match ${JSON.stringify(value)} names several versions; send the one ETag you last read`, [
      { path: 'headers:/if-match', message: 'must name one version' },
    ]);
  }
  if (strong.size === 0) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `If-Match ${JSON.stringify(value)} holds only weak ETags, which never match for a change (RFC 9110, section 13.1.1); send the ETag header from your last read, for example "3"`,
    );
  }
  return [...strong][0]!;
}
