import type { Caller } from '../auth/caller.js';
import { toTimestamp } from '../clock.js';
import type { Db } from '../database/connection.js';
import type { AuditEventTable } from '../database/schema.js';
import { canonicalJson, genesisHash, hashEvent } from './chain.js';
import { auditEventKinds, type AuditAction } from './event-kinds.js';

/** One change to record. `before` and `after` are the record as the API shows it, or absent. */
export interface AuditEntry {
  action: AuditAction;
  recordId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Rows per INSERT, well below SQLite's limit of 32,766 bound parameters at 12 columns a row. */
const insertBatchSize = 500;

/**
 * Appends events to the chain inside the caller's transaction. The transaction must come from
 * writeTransaction, which holds the write lock, so that no other writer can read the same
 * chain head before this one commits.
 */
export async function appendAuditEvents(trx: Db, caller: Caller, now: Date, entries: readonly AuditEntry[]): Promise<AuditEventTable[]> {
  if (entries.length === 0) return [];

  const head = await trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = head ? Number(head.seq) : 0;
  let previousHash = head?.hash ?? genesisHash;
  const occurredAt = toTimestamp(now);

  const rows: AuditEventTable[] = entries.map((entry) => {
    seq += 1;
    const fields = {
      seq,
      occurred_at: occurredAt,
      actor_id: caller.userId,
      action: entry.action,
      record_type: auditEventKinds[entry.action].recordType,
      record_id: entry.recordId,
      before_json: entry.before === undefined ? null : canonicalJson(entry.before),
      after_json: entry.after === undefined ? null : canonicalJson(entry.after),
      reason: entry.reason ?? null,
      request_id: caller.requestId,
      previous_hash: previousHash,
    };
    const hash = hashEvent(fields);
    previousHash = hash;
    return { ...fields, hash };
  });

  for (let start = 0; start < rows.length; start += insertBatchSize) {
    await trx.insertInto('audit_events').values(rows.slice(start, start + insertBatchSize)).execute();
  }
  return rows;
}

export async function appendAuditEvent(trx: Db, caller: Caller, now: Date, entry: AuditEntry): Promise<AuditEventTable> {
  const [row] = await appendAuditEvents(trx, caller, now, [entry]);
  return row!;
}
