import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its type declarations
// describe an ES default export, so under NodeNext resolution TypeScript sees the namespace.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * The hash chain, as pure functions. Each event's hash is the hex SHA-256 of the RFC 8785
 * (JSON Canonicalization Scheme) serialization of its envelope: every stored column except
 * `hash`, with `before_json` and `after_json` replaced by `before_sha256` and `after_sha256`,
 * the hex SHA-256 of their UTF-8 text (or null). The envelope includes `previous_hash`, so
 * changing any event changes every later hash. Committing to the record images by digest keeps
 * the envelope small: escaping kilobytes of JSON text into the envelope took most of the time
 * of verifying a million events.
 */

/** The previous_hash of the first event. */
export const genesisHash = '0'.repeat(64);

export interface HashedEventFields {
  seq: number;
  occurred_at: string;
  actor_id: string;
  action: string;
  record_type: string;
  record_id: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  request_id: string | null;
  previous_hash: string;
}

/** Serializes any JSON value by RFC 8785; used for the before and after images of a record. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('The value has no JSON representation (undefined or a function)');
  }
  return text;
}

/** Hex SHA-256 of a text's UTF-8 bytes, or null for no text. */
export function digestText(text: string | null): string | null {
  return text === null ? null : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hashed envelope: the event's columns with the record images replaced by their digests. */
export interface EnvelopeFields extends Omit<HashedEventFields, 'before_json' | 'after_json'> {
  before_sha256: string | null;
  after_sha256: string | null;
}

/**
 * Serializes the envelope by RFC 8785. The envelope has a fixed set of keys whose values are
 * strings, safe integers or null, so writing the keys in sorted order with JSON.stringify for
 * each value is exactly what the scheme prescribes; a test checks it against a general
 * implementation.
 */
export function canonicalEnvelope(fields: EnvelopeFields): string {
  if (!Number.isSafeInteger(fields.seq)) {
    throw new TypeError(`Audit event sequence number ${fields.seq} is not a safe integer`);
  }
  return (
    '{"action":' + JSON.stringify(fields.action) +
    ',"actor_id":' + JSON.stringify(fields.actor_id) +
    ',"after_sha256":' + JSON.stringify(fields.after_sha256) +
    ',"before_sha256":' + JSON.stringify(fields.before_sha256) +
    ',"occurred_at":' + JSON.stringify(fields.occurred_at) +
    ',"previous_hash":' + JSON.stringify(fields.previous_hash) +
    ',"reason":' + JSON.stringify(fields.reason) +
    ',"record_id":' + JSON.stringify(fields.record_id) +
    ',"record_type":' + JSON.stringify(fields.record_type) +
    ',"request_id":' + JSON.stringify(fields.request_id) +
    ',"seq":' + String(fields.seq) +
    '}'
  );
}

export function hashEnvelope(fields: EnvelopeFields): string {
  return createHash('sha256').update(canonicalEnvelope(fields), 'utf8').digest('hex');
}

export function hashEvent(event: HashedEventFields): string {
  return hashEnvelope({
    seq: event.seq,
    occurred_at: event.occurred_at,
    actor_id: event.actor_id,
    action: event.action,
    record_type: event.record_type,
    record_id: event.record_id,
    before_sha256: digestText(event.before_json),
    after_sha256: digestText(event.after_json),
    reason: event.reason,
    request_id: event.request_id,
    previous_hash: event.previous_hash,
  });
}
