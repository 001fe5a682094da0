import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its type declarations
// describe an ES default export, so under NodeNext resolution TypeScript types the import as the namespace.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * The hash chain, as pure functions. Each event's hash is the hex SHA-256 of these bytes, in order:
 * 1. the RFC 8785 (JSON Canonicalization Scheme) serialization of the envelope, which contains every
 *    stored column except `hash`, `before_json` and `after_json`, plus `before_length` and
 *    `after_length`, the UTF-8 byte lengths of those two texts (null when absent);
 * 2. the UTF-8 text of `before_json`, if any;
 * 3. the UTF-8 text of `after_json`, if any.
 * The lengths mark where one text ends and the next begins. The envelope includes
 * `previous_hash`, so changing any event changes every later hash. Hashing the record images as
 * they are, instead of escaping them into the JSON envelope, keeps verification of a million
 * events within seconds.
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

/** The canonical envelope: the event's columns without the record images, with their byte lengths. */
export interface EnvelopeFields extends Omit<HashedEventFields, 'before_json' | 'after_json'> {
  before_length: number | null;
  after_length: number | null;
}

/**
 * Serializes the envelope by RFC 8785. The envelope has a fixed set of keys whose values are
 * strings, safe integers or null. Writing the keys in sorted order with JSON.stringify for each
 * value is therefore exactly what the scheme prescribes, which a test checks against a general
 * implementation.
 */
export function canonicalEnvelope(fields: EnvelopeFields): string {
  if (!Number.isSafeInteger(fields.seq)) {
    throw new TypeError(`Audit event sequence number ${fields.seq} is not a safe integer`);
  }
  return (
    '{"action":' + JSON.stringify(fields.action) +
    ',"actor_id":' + JSON.stringify(fields.actor_id) +
    ',"after_length":' + String(fields.after_length) +
    ',"before_length":' + String(fields.before_length) +
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

/** Computes an event's hash as the chain defines it, with one SHA-256 pass over envelope and images. */
export function hashEvent(event: HashedEventFields): string {
  const envelope = canonicalEnvelope({
    seq: event.seq,
    occurred_at: event.occurred_at,
    actor_id: event.actor_id,
    action: event.action,
    record_type: event.record_type,
    record_id: event.record_id,
    before_length: event.before_json === null ? null : Buffer.byteLength(event.before_json, 'utf8'),
    after_length: event.after_json === null ? null : Buffer.byteLength(event.after_json, 'utf8'),
    reason: event.reason,
    request_id: event.request_id,
    previous_hash: event.previous_hash,
  });
  const hash = createHash('sha256').update(envelope, 'utf8');
  if (event.before_json !== null) hash.update(event.before_json, 'utf8');
  if (event.after_json !== null) hash.update(event.after_json, 'utf8');
  return hash.digest('hex');
}
