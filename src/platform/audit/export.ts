import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db } from '../database/connection.js';

const batchSize = 5000;

/**
 * Writes every event as one JSON object per line, in sequence order, with the stored hash and
 * previous hash, so that anyone can recompute the chain with SHA-256 and an RFC 8785
 * serializer. `before` and `after` are written as the canonical JSON text that was hashed.
 * Returns the number of events written.
 */
export async function exportAuditEvents(db: Db, output: Writable): Promise<number> {
  let afterSeq = 0;
  let written = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(batchSize).execute();
    if (rows.length === 0) break;

    let chunk = '';
    for (const row of rows) {
      chunk += JSON.stringify({ ...row, seq: Number(row.seq) }) + '\n';
    }
    if (!output.write(chunk)) {
      await once(output, 'drain');
    }
    written += rows.length;
    afterSeq = Number(rows[rows.length - 1]!.seq);
  }
  return written;
}
