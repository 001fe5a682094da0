import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { digestText, hashEnvelope, type EnvelopeFields } from './chain.js';

/**
 * Checks one range of sequence numbers of a SQLite audit trail in a worker thread: every number
 * present once, every event's hash, and every link inside the range. The thread that started it
 * checks the links between ranges; on any failure it runs the sequential verifier to classify it.
 */

export interface RangeRequest {
  file: string;
  fromSeq: number;
  toSeq: number;
}

export interface RangeResult {
  /** True when every event of the range is present, hashes correctly and links to its predecessor. */
  intact: boolean;
  /** previous_hash of the first event, to link to the end of the preceding range. */
  firstPreviousHash: string | null;
  lastHash: string | null;
}

/** A row as the worker reads it: the record images as raw bytes, hashed without decoding them to text. */
type EventRow = Omit<EnvelopeFields, 'before_sha256' | 'after_sha256'> & { before_bytes: Uint8Array | null; after_bytes: Uint8Array | null; hash: string };

function checkRange({ file, fromSeq, toSeq }: RangeRequest): RangeResult {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const statement = connection.prepare<[number, number], EventRow>(
      `select seq, occurred_at, actor_id, action, record_type, record_id, cast(before_json as blob) as before_bytes,
       cast(after_json as blob) as after_bytes, reason, request_id, previous_hash, hash
       from audit_events where seq >= ? and seq <= ? order by seq`,
    );
    let expectedSeq = fromSeq;
    let firstPreviousHash: string | null = null;
    let lastHash: string | null = null;

    for (const event of statement.iterate(fromSeq, toSeq)) {
      const linked = lastHash === null || event.previous_hash === lastHash;
      if (event.seq !== expectedSeq || !linked || hashRow(event) !== event.hash) {
        return { intact: false, firstPreviousHash, lastHash };
      }
      firstPreviousHash ??= event.previous_hash;
      lastHash = event.hash;
      expectedSeq += 1;
    }
    return { intact: expectedSeq === toSeq + 1, firstPreviousHash, lastHash };
  } finally {
    connection.close();
  }
}

function hashRow(row: EventRow): string {
  return hashEnvelope({
    seq: row.seq,
    occurred_at: row.occurred_at,
    actor_id: row.actor_id,
    action: row.action,
    record_type: row.record_type,
    record_id: row.record_id,
    before_sha256: digestText(row.before_bytes),
    after_sha256: digestText(row.after_bytes),
    reason: row.reason,
    request_id: row.request_id,
    previous_hash: row.previous_hash,
  });
}

parentPort?.postMessage(checkRange(workerData as RangeRequest));
