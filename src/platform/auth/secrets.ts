import { createHash, randomBytes } from 'node:crypto';

/** A new random secret of 32 bytes, base64url, with a prefix that names its kind. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * Hex SHA-256 of a secret. Tokens and session ids carry 256 random bits, so a fast hash is
 * enough to keep a stolen database from yielding usable credentials.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
