import type { Caller } from '../platform/auth/caller.js';
import { toTimestamp } from '../platform/clock.js';
import type { Db } from '../platform/database/connection.js';
import { notFound, versionMismatch } from '../platform/errors.js';
import { withEditor } from './threat-model.js';
import type { ThreatModel } from './threat-model.schemas.js';
import { findThreatModel, toThreatModelRow, type ThreatModelRecord } from './threat-models.repository.js';

/** Steps that every change to a threat model or one of its scenarios shares. */

/** Reads a threat model for a change, checking the version the caller read. Throws NOT_FOUND or PRECONDITION_FAILED. */
export async function loadThreatModelForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<ThreatModel> {
  const model = await findThreatModel(trx, id);
  if (!model) throw notFound('threat model', id);
  if (expectedVersion !== undefined && model.version !== expectedVersion) {
    throw versionMismatch('threat model', id, expectedVersion, model.version);
  }
  return model;
}

/**
 * Stores the model row after a change to it or to one of its parts: the version goes up, the
 * status returns to draft and the caller joins the editors since the last review.
 */
export async function saveChangedRecord(
  trx: Db,
  caller: Caller,
  now: Date,
  before: ThreatModel,
  changes: Partial<Pick<ThreatModelRecord, 'title' | 'scope'>> = {},
): Promise<ThreatModelRecord> {
  const record: ThreatModelRecord = {
    ...toRecord(before),
    ...changes,
    status: 'draft',
    editedBy: withEditor(before.editedBy, caller.userId),
    version: before.version + 1,
    updatedAt: toTimestamp(now),
  };
  const result = await trx.updateTable('threat_models').set(toThreatModelRow(record)).where('id', '=', before.id).where('version', '=', before.version).executeTakeFirst();
  // The write lock makes this impossible today, but the guard keeps a change from ever being lost.
  if (Number(result.numUpdatedRows) !== 1) throw versionMismatch('threat model', before.id, before.version, before.version + 1);
  return record;
}

/** Returns the fields of the model kept in its own row, without assets and scenarios. */
export function toRecord(model: ThreatModel): ThreatModelRecord {
  const { assets: _assets, scenarios: _scenarios, ...record } = model;
  return record;
}
