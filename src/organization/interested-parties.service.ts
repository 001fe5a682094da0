import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import {
  CreateInterestedParty,
  InterestedPartyListQuery,
  UpdateInterestedParty,
  type InterestedParty,
} from './interested-party.schemas.js';
import {
  findInterestedPartyIdByName,
  findInterestedPartyRow,
  queryInterestedParties,
  toInterestedParty,
  toInterestedPartyRow,
} from './interested-parties.repository.js';

/** Use cases of interested parties and their relevant requirements (clause 4.2). */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listInterestedParties(ctx: ServiceContext, caller: Caller, query: InterestedPartyListQuery): Promise<PageOf<InterestedParty>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(InterestedPartyListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryInterestedParties(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toInterestedParty), total, limit, offset };
}

export async function getInterestedParty(ctx: ServiceContext, caller: Caller, id: string): Promise<InterestedParty> {
  authorize(caller, 'register.read');
  const row = await findInterestedPartyRow(ctx.database.db, id);
  if (!row) throw notFound('interested party', id);
  return toInterestedParty(row);
}

export async function createInterestedParty(
  ctx: ServiceContext,
  caller: Caller,
  input: CreateInterestedParty,
  reason?: string | null,
): Promise<InterestedParty> {
  authorize(caller, 'organization.write');
  const parsed = parseWith(CreateInterestedParty, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const party: InterestedParty = {
      id: newId(),
      name: parsed.name.trim(),
      category: parsed.category,
      relevantRequirements: parsed.relevantRequirements ?? [],
      addressedThrough: parsed.addressedThrough ?? '',
      version: 1,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
    };
    await ensureNameFree(trx, party);
    await withNameConflict(() => trx.insertInto('interested_parties').values(toInterestedPartyRow(party)).execute(), party);
    await appendAuditEvent(trx, caller, now, { action: 'interested_party.created', recordId: party.id, after: party, reason: reason ?? null });
    return party;
  });
}

export async function updateInterestedParty(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  patch: UpdateInterestedParty,
  options: ChangeOptions = {},
): Promise<InterestedParty> {
  authorize(caller, 'organization.write');
  const parsed = parseWith(UpdateInterestedParty, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: InterestedParty = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (after.name !== before.name) await ensureNameFree(trx, after);
    await withNameConflict(
      () => trx.updateTable('interested_parties').set(toInterestedPartyRow(after)).where('id', '=', id).where('version', '=', before.version).execute(),
      after,
    );
    await appendAuditEvent(trx, caller, now, { action: 'interested_party.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

export async function deleteInterestedParty(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'organization.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    await trx.deleteFrom('interested_parties').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'interested_party.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<InterestedParty> {
  const row = await findInterestedPartyRow(trx, id);
  if (!row) throw notFound('interested party', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('interested party', id, expectedVersion, row.version);
  }
  return toInterestedParty(row);
}

async function ensureNameFree(trx: Db, party: InterestedParty): Promise<void> {
  const holder = await findInterestedPartyIdByName(trx, party.name);
  if (holder !== undefined && holder !== party.id) throw nameTaken(party.name);
}

/** Runs a write, reporting a unique violation on the name as the same 409 that ensureNameFree gives. */
async function withNameConflict(write: () => Promise<unknown>, party: InterestedParty): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(party.name);
    throw error;
  }
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', `An interested party named "${name}" already exists; choose another name or update the existing party`, [
    { path: '/name', message: 'must be unique' },
  ]);
}
