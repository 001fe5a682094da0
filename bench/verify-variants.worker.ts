import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { hashEvent, type HashedEventFields } from '../src/platform/audit/chain.js';
import type { AuditEventTable } from '../src/platform/database/schema.js';

/*
 * One worker of bench/verify-variants.ts: reads the events of one sequence range with a single
 * streaming statement on its own read-only connection and does the work of one variant.
 */

export type VariantName = 'read only' | 'current envelope' | 'digest envelope';

export interface RangeTask {
  entry: string;
  file: string;
  firstSeq: number;
  lastSeq: number;
  variant: VariantName;
}

export interface RangeResult {
  events: number;
  /** Events whose hash or link did not check out; the digest variant checks links only. */
  mismatches: number;
  firstPreviousHash: string | null;
  lastHash: string | null;
}

const task = workerData as RangeTask;

/**
 * Builds a hypothetical envelope that carries the SHA-256 of `before` and `after` instead of their
 * text, so that the large texts are hashed once as they are and never escaped into a JSON string.
 */
function digestEnvelope(event: HashedEventFields): string {
  const digest = (text: string | null) => (text === null ? 'null' : `"${hash('sha256', text, 'hex')}"`);
  return (
    '{"action":' + JSON.stringify(event.action) +
    ',"actor_id":' + JSON.stringify(event.actor_id) +
    ',"after_sha256":' + digest(event.after_json) +
    ',"before_sha256":' + digest(event.before_json) +
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

type EventColumns = [number, string, string, string, string, string, string | null, string | null, string | null, string | null, string, string];

// Rows come as arrays and become objects in JavaScript, which is cheaper than better-sqlite3
// building an object with named properties for each row.
const connection = new BetterSqlite3(task.file, { readonly: true });
const rows = connection
  .prepare(
    `select seq, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash
     from audit_events where seq >= ? and seq <= ? order by seq`,
  )
  .raw()
  .iterate(task.firstSeq, task.lastSeq) as IterableIterator<EventColumns>;

const result: RangeResult = { events: 0, mismatches: 0, firstPreviousHash: null, lastHash: null };
for (const row of rows) {
  result.events += 1;
  if (task.variant === 'read only') continue;

  const event: AuditEventTable = {
    seq: row[0],
    occurred_at: row[1],
    actor_id: row[2],
    action: row[3],
    record_type: row[4],
    record_id: row[5],
    before_json: row[6],
    after_json: row[7],
    reason: row[8],
    request_id: row[9],
    previous_hash: row[10],
    hash: row[11],
  };
  if (task.variant === 'current envelope' && hashEvent(event) !== event.hash) result.mismatches += 1;
  if (task.variant === 'digest envelope') hash('sha256', digestEnvelope(event), 'hex');
  if (result.lastHash !== null && event.previous_hash !== result.lastHash) result.mismatches += 1;

  result.firstPreviousHash ??= event.previous_hash;
  result.lastHash = event.hash;
}
connection.close();
parentPort!.postMessage(result);
