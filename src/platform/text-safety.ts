import type { ErrorDetail } from './errors.js';

/*
 * Text that no database can store faithfully. PostgreSQL rejects the NUL character in text
 * columns, and an unpaired UTF-16 surrogate is replaced by U+FFFD on the way into either
 * database, so the stored record would differ from the one the client sent and the audit trail
 * recorded. Both are rejected at every boundary, on SQLite too, so that data moves between
 * the two databases unchanged.
 */

const nulCharacter = '\u0000';
// With the u flag a well-formed surrogate pair is one code point, so this matches only a lone half.
const loneSurrogate = /\p{Cs}/u;

/** Names the problem with one string, or returns undefined when it is safe to store. */
export function describeUnsafeText(text: string): string | undefined {
  if (text.includes(nulCharacter)) return 'must not contain the NUL character (U+0000)';
  if (loneSurrogate.test(text)) return 'contains an unpaired UTF-16 surrogate; send valid Unicode text';
  return undefined;
}

/**
 * Walks a parsed JSON value and lists every string, key included, that cannot be stored, with
 * its JSON pointer. The walk uses its own stack, so deeply nested input cannot overflow the call stack.
 */
export function findUnsafeText(value: unknown, prefix = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: prefix }];

  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = describeUnsafeText(current);
      if (problem) problems.push({ path: path || '/', message: problem });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;

    const entries = Array.isArray(current) ? current.map((item, index) => [String(index), item] as const) : Object.entries(current);
    for (const [key, item] of entries) {
      const keyProblem = describeUnsafeText(key);
      if (keyProblem) problems.push({ path: `${path}/${escapePointer(key)}`, message: `field name ${keyProblem}` });
      pending.push({ value: item, path: `${path}/${escapePointer(key)}` });
    }
  }
  return problems;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
