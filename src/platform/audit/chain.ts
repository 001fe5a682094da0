import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose module.exports is the function, but its type declarations
// describe an ES default export, so under NodeNext resolution TypeScript sees the namespace.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * The hash chain, as pure functions. Each event's hash is the hex SHA-256 of the RFC 8785
 * (JSON Canonicalization Scheme) serialization of its envelope: every stored column except
 * `hash`, with `before` and `after` carried as their canonical JSON text (strings, not nested
 * objects). The envelope includes `previous_hash`, so changing any event changes every later hash.
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

/**
 * Serializes the envelope by RFC 8785. The envelope has a fixed set of keys whose values are
 * strings, safe integers or null, so writing the keys in sorted order with JSON.stringify for
 * each value is exactly what the scheme prescribes; a test checks it against a general
 * implementation. Writing it by hand keeps verification of a million events within seconds.
 */
export function canonicalEnvelope(event: HashedEventFields): string {
  if (!Number.isSafeInteger(event.seq)) {
    throw new TypeError(`Audit event sequence number ${event.seq} is not a safe integer`);
  }
  return (
    '{"action":' + JSON.stringify(event.action) +
    ',"actor_id":' + JSON.stringify(event.actor_id) +
    ',"after":' + JSON.stringify(event.after_json) +
    ',"before":' + JSON.stringify(event.before_json) +
    ',"occurred_at":' + JSON.stringify(event.occurred_at) +
    ',"previous_hash":' + JSON.stringify(event.previous_hash) +
    ',"reason":' + JSON.stringify(event.reason) +
    ',"record_id":' + JSON.stringify(event.record_id) +
    ',"record_type":' + JSON.stringify(event.record_type) +
    ',"request_id":' + JSON.stringify(event.request_id) +
    ',"seq":' + String(event.seq) +
    '}'
  );
}

export function hashEvent(event: HashedEventFields): string {
  return createHash('sha256').update(canonicalEnvelope(event), 'utf8').digest('hex');
}
