import type { Db } from '../database/connection.js';
import type { AuditEventTable } from '../database/schema.js';
import { genesisHash, hashEvent } from './chain.js';
import { checkSqliteChainInParallel } from './verify-parallel.js';

/**
 * The kind of tampering found at the first bad event:
 * - edited: its stored content no longer hashes to its stored hash, or it was changed and
 *   re-hashed so that the next event no longer links to it;
 * - deleted: one or more sequence numbers are missing before it;
 * - inserted: it does not link to its predecessor, but its successor does;
 * - reordered: its content hashes correctly under another nearby sequence number, or it links
 *   to an event that is not its predecessor.
 */
export type TamperKind = 'edited' | 'deleted' | 'inserted' | 'reordered';

export interface ChainFailure {
  /** Sequence number of the first bad event (for a deletion, the first missing number). */
  seq: number;
  kind: TamperKind;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Events checked before the first failure, or all events when the chain is intact. */
  eventsChecked: number;
  /** Sequence number and hash of the last event, to anchor outside the database. */
  headSeq: number;
  headHash: string;
  failure: ChainFailure | null;
}

const batchSize = 5000;
/** How far from its place a moved event is looked for when classifying a hash mismatch. */
const reorderSearchWindow = 64;

type StoredEvent = AuditEventTable & { storedSeq: unknown };

/** How far a verification has come: events checked so far out of the events in the trail when it started. */
export interface VerificationProgress {
  checked: number;
  total: number;
}

export interface VerifyOptions {
  /** The SQLite database file, which lets a large trail be checked on several threads. */
  sqliteFile?: string;
  /** Called once before the first event is read, then after every `progressInterval` events or so. */
  onProgress?: (progress: VerificationProgress) => void;
}

/** Events between two progress reports of the sequential verifier. */
export const progressInterval = 1000;

/** A sequence number and hash kept outside the database, from an earlier verification or export. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/**
 * Recomputes the whole chain in sequence order and reports the first event that breaks it.
 * With an anchor, it also checks that the anchored event is still there with the same hash,
 * which detects the deletion of the newest events that the chain alone cannot show.
 */
export async function verifyAuditChain(db: Db, anchor?: ChainAnchor, options: VerifyOptions = {}): Promise<ChainVerification> {
  const report = options.onProgress ?? (() => undefined);
  // The highest sequence number is the event count of an intact trail; a tampered trail may hold more or fewer.
  const head = await db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirst();
  const headSeq = Number(head?.head ?? 0);
  const total = Number.isSafeInteger(headSeq) && headSeq > 0 ? headSeq : 0;
  report({ checked: 0, total });
  if (options.sqliteFile) {
    const fast = await checkSqliteChainInParallel(options.sqliteFile, (checked) => report({ checked, total }));
    if (fast?.intact) return checkAnchor(db, fast.headSeq, fast.headHash, anchor);
  }
  // After a failed parallel check the progress starts again from 0, as the sequential pass rereads every event.
  return verifySequentially(db, anchor, (checked) => report({ checked: Math.min(checked, total), total }));
}

/** Confirms an intact chain against an anchor by reading the anchored event alone. */
async function checkAnchor(db: Db, headSeq: number, headHash: string, anchor: ChainAnchor | undefined): Promise<ChainVerification> {
  const intact: ChainVerification = { ok: true, eventsChecked: headSeq, headSeq, headHash, failure: null };
  if (!anchor) return intact;
  const anchored = await db.selectFrom('audit_events').select('hash').where('seq', '=', anchor.seq).executeTakeFirst();
  if (anchored?.hash === anchor.hash) return intact;
  // The sequential verifier words the failure the same way in both cases.
  return verifySequentially(db, anchor, () => undefined);
}

async function verifySequentially(db: Db, anchor: ChainAnchor | undefined, onChecked: (checked: number) => void): Promise<ChainVerification> {
  let expectedSeq = 1;
  let previous: StoredEvent | null = null;
  let anchoredHash: string | null = null;
  // Starts below 1 so that a row renumbered to 0 or below is read, and reported, too.
  let afterSeq = Number.MIN_SAFE_INTEGER;

  const result = (failure: ChainFailure | null, verifiedAll = false): ChainVerification => ({
    ok: failure === null,
    eventsChecked: failure && !verifiedAll ? Math.max(0, failure.seq - 1) : expectedSeq - 1,
    headSeq: previous?.seq ?? 0,
    headHash: previous?.hash ?? genesisHash,
    failure,
  });

  for (;;) {
    const batch = await readBatch(db, afterSeq);
    if (batch.length === 0) break;

    for (let index = 0; index < batch.length; index += 1) {
      const event = batch[index]!;
      const failure = await checkEvent(db, event, previous, expectedSeq, () => findNext(db, batch, index));
      if (failure) return result(failure);
      if (anchor && event.seq === anchor.seq) anchoredHash = event.hash;
      previous = event;
      expectedSeq = event.seq + 1;
      if ((index + 1) % progressInterval === 0) onChecked(expectedSeq - 1);
    }
    afterSeq = batch[batch.length - 1]!.seq;
  }

  if (expectedSeq === 1) {
    const emptied = await describeRecordsWithoutEvents(db);
    if (emptied) return result({ seq: 1, kind: 'deleted', message: emptied });
  }
  if (anchor && anchoredHash === null) {
    return result({
      seq: anchor.seq,
      kind: 'deleted',
      message: `Audit event ${anchor.seq}, the anchor given, is missing: the chain ends at event ${expectedSeq - 1}, so the newest events were deleted`,
    }, true);
  }
  if (anchor && anchoredHash !== anchor.hash) {
    return result({
      seq: anchor.seq,
      kind: 'edited',
      message: `Audit event ${anchor.seq} has the hash ${anchoredHash}, not the anchored ${anchor.hash}: the chain was rewritten from that event on`,
    }, true);
  }
  return result(null);
}

async function readBatch(db: Db, afterSeq: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(batchSize)
    .execute();
  return rows.map(toStoredEvent);
}

/** Keeps the sequence number as the driver returned it, so that a non-numeric value can be shown. */
function toStoredEvent(row: AuditEventTable): StoredEvent {
  return { ...row, storedSeq: row.seq, seq: Number(row.seq) };
}

/** Returns the event after batch[index], reading it from the database when it starts the next batch. */
async function findNext(db: Db, batch: StoredEvent[], index: number): Promise<StoredEvent | undefined> {
  const inBatch = batch[index + 1];
  if (inBatch) return inBatch;
  const row = await db.selectFrom('audit_events').selectAll().where('seq', '>', batch[index]!.seq).orderBy('seq').limit(1).executeTakeFirst();
  return row ? toStoredEvent(row) : undefined;
}

async function checkEvent(
  db: Db,
  event: StoredEvent,
  previous: StoredEvent | null,
  expectedSeq: number,
  findSuccessor: () => Promise<StoredEvent | undefined>,
): Promise<ChainFailure | null> {
  const previousHash = previous?.hash ?? genesisHash;

  if (!Number.isSafeInteger(event.seq)) {
    return {
      seq: expectedSeq,
      kind: 'edited',
      message: `The audit event after event ${expectedSeq - 1} has the sequence number ${JSON.stringify(event.storedSeq)}, which is not a whole number below 2^53: it was renumbered`,
    };
  }

  if (event.seq < expectedSeq) {
    return {
      seq: event.seq,
      kind: 'inserted',
      message:
        expectedSeq === 1
          ? `Audit event ${event.seq} was inserted: sequence numbers start at 1`
          : `Audit event ${event.seq} was inserted: its sequence number does not follow event ${expectedSeq - 1}`,
    };
  }

  if (event.seq > expectedSeq) {
    const missing = event.seq - 1 === expectedSeq ? `Audit event ${expectedSeq} is` : `Audit events ${expectedSeq} to ${event.seq - 1} are`;
    const jump = expectedSeq === 1 ? `the chain starts at event ${event.seq}` : `the chain jumps from event ${expectedSeq - 1} to event ${event.seq}`;
    return { seq: expectedSeq, kind: 'deleted', message: `${missing} missing: ${jump}` };
  }

  if (hashEvent(event) !== event.hash) {
    return classifyHashMismatch(db, event, previous);
  }

  if (event.previous_hash === previousHash) return null;

  const next = await findSuccessor();
  if (next && next.previous_hash === previousHash) {
    return {
      seq: event.seq,
      kind: 'inserted',
      message: `Audit event ${event.seq} was inserted: it does not link to event ${event.seq - 1}, and event ${next.seq} links past it`,
    };
  }
  const linked = await db.selectFrom('audit_events').select('seq').where('hash', '=', event.previous_hash).executeTakeFirst();
  if (linked && Number(linked.seq) !== event.seq - 1) {
    return {
      seq: event.seq,
      kind: 'reordered',
      message: `Audit event ${event.seq} is out of order: it follows event ${Number(linked.seq)}, not event ${event.seq - 1}`,
    };
  }
  if (previous) {
    return {
      seq: previous.seq,
      kind: 'edited',
      message: `Audit event ${previous.seq} was edited and re-hashed: event ${event.seq} recorded a different hash for it`,
    };
  }
  return {
    seq: event.seq,
    kind: 'edited',
    message: `Audit event ${event.seq} was edited: the first event must link to the genesis hash`,
  };
}

/**
 * Tells an edit from a renumbering. When the content hashes correctly under another sequence
 * number, the rows were renumbered. It was an insertion before this event when the event moved
 * up by one and links past its new predecessor. It was a deletion when the event moved down and
 * its recorded predecessor is gone. Otherwise the events were reordered.
 */
async function classifyHashMismatch(db: Db, event: StoredEvent, previous: StoredEvent | null): Promise<ChainFailure> {
  const originalSeq = await findOriginalPosition(db, event);
  if (originalSeq === null) {
    return {
      seq: event.seq,
      kind: 'edited',
      message: `Audit event ${event.seq} was edited: its content no longer matches its hash`,
    };
  }

  if (previous && originalSeq === event.seq - 1 && event.previous_hash === previous.previous_hash) {
    return {
      seq: previous.seq,
      kind: 'inserted',
      message: `Audit event ${previous.seq} was inserted: the event after it was written as event ${originalSeq} and links past it`,
    };
  }

  const linked = await db.selectFrom('audit_events').select('seq').where('hash', '=', event.previous_hash).executeTakeFirst();
  if (originalSeq > event.seq && !linked) {
    return {
      seq: event.seq,
      kind: 'deleted',
      message: `Audit events were deleted before event ${event.seq} and the rest renumbered: this event was written as event ${originalSeq}`,
    };
  }
  return {
    seq: event.seq,
    kind: 'reordered',
    message: `Audit event ${event.seq} was moved: its content was written as event ${originalSeq}`,
  };
}

/**
 * Looks for the sequence number under which the event's content hashes to its stored hash: first
 * the number after the event it links to (right when only the two rows were swapped, however far
 * apart), then the nearby numbers.
 */
async function findOriginalPosition(db: Db, event: StoredEvent): Promise<number | null> {
  const linked = await db.selectFrom('audit_events').select('seq').where('hash', '=', event.previous_hash).executeTakeFirst();
  let afterLinked: number | null = null;
  if (linked) afterLinked = Number(linked.seq) + 1;
  else if (event.previous_hash === genesisHash) afterLinked = 1;
  if (afterLinked !== null && afterLinked !== event.seq && hashEvent({ ...event, seq: afterLinked }) === event.hash) {
    return afterLinked;
  }
  for (let offset = 1; offset <= reorderSearchWindow; offset += 1) {
    for (const candidate of [event.seq - offset, event.seq + offset]) {
      if (candidate >= 1 && hashEvent({ ...event, seq: candidate }) === event.hash) {
        return candidate;
      }
    }
  }
  return null;
}

/**
 * Describes an emptied trail: every user account and AI system was created with an audit event,
 * so records without any event mean the events were deleted. Returns null when nothing is amiss.
 */
async function describeRecordsWithoutEvents(db: Db): Promise<string | null> {
  const [users, systems] = await Promise.all([
    db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    db.selectFrom('ai_systems').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  const userCount = Number(users.count);
  const systemCount = Number(systems.count);
  if (userCount === 0 && systemCount === 0) return null;
  return `The audit trail is empty, but the database holds ${userCount} user account(s) and ${systemCount} AI system(s) whose creation was recorded: the events were deleted`;
}
