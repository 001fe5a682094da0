import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { hashEvent, type HashedEventFields } from './chain.js';

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

/** Messages from the worker: progress every `progressEvery` events, then the result once. */
export type WorkerMessage = { type: 'progress'; checked: number } | { type: 'result'; result: RangeResult };

const progressEvery = 5000;

/**
 * A row as an array in column order, which better-sqlite3 builds faster than an object. The
 * record images stay text: reading them as bytes allocates a buffer each and is slower.
 */
type EventRow = [
  seq: number,
  occurredAt: string,
  actorId: string,
  action: string,
  recordType: string,
  recordId: string,
  beforeJson: string | null,
  afterJson: string | null,
  reason: string | null,
  requestId: string | null,
  previousHash: string,
  hash: string,
];

function checkRange({ file, fromSeq, toSeq }: RangeRequest): RangeResult {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const statement = connection
      .prepare<[number, number], EventRow>(
        `select seq, occurred_at, actor_id, action, record_type, record_id, before_json, after_json, reason, request_id, previous_hash, hash
         from audit_events where seq >= ? and seq <= ? order by seq`,
      )
      .raw(true);
    let expectedSeq = fromSeq;
    let firstPreviousHash: string | null = null;
    let lastHash: string | null = null;

    for (const row of statement.iterate(fromSeq, toSeq) as IterableIterator<EventRow>) {
      const previousHash = row[10];
      const linked = lastHash === null || previousHash === lastHash;
      if (row[0] !== expectedSeq || !linked || hashRow(row) !== row[11]) {
        return { intact: false, firstPreviousHash, lastHash };
      }
      firstPreviousHash ??= previousHash;
      lastHash = row[11];
      expectedSeq += 1;
      const checked = expectedSeq - fromSeq;
      if (checked % progressEvery === 0) parentPort?.postMessage({ type: 'progress', checked } satisfies WorkerMessage);
    }
    return { intact: expectedSeq === toSeq + 1, firstPreviousHash, lastHash };
  } finally {
    connection.close();
  }
}

function hashRow(row: EventRow): string {
  const fields: HashedEventFields = {
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
  };
  return hashEvent(fields);
}

parentPort?.postMessage({ type: 'result', result: checkRange(workerData as RangeRequest) } satisfies WorkerMessage);
