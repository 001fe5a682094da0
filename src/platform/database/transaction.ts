import { sql } from 'kysely';
import type { Database, Db } from './connection.js';

/** Key of the PostgreSQL advisory lock that serializes writers across server processes. */
export const writeLockKey = 42_001;

/**
 * Runs `work` in a transaction that holds the database's write lock from its first statement,
 * so that audit events are appended in one order by every process. On PostgreSQL that is a
 * transaction-scoped advisory lock; on SQLite, BEGIN IMMEDIATE. `work` must use only the
 * handle it is given: on SQLite the one connection is busy until the transaction ends.
 */
export async function writeTransaction<T>(database: Database, work: (trx: Db) => Promise<T>): Promise<T> {
  if (database.kind === 'postgresql') {
    return database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${writeLockKey})`.execute(trx);
      return work(trx);
    });
  }
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
