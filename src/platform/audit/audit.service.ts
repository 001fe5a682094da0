import { Type, type Static } from '@sinclair/typebox';
import type { Writable } from 'node:stream';
import type { Caller } from '../auth/caller.js';
import { authorize } from '../auth/policy.js';
import { toTimestamp } from '../clock.js';
import type { ServiceContext } from '../context.js';
import type { AuditEventTable } from '../database/schema.js';
import { PageQuery, pageBounds, type PageOf } from '../pagination.js';
import { parseWith } from '../validation.js';
import { exportAuditEvents } from './export.js';
import { verifyAuditChain, type ChainVerification, type VerificationProgress } from './verify.js';

/** Use cases over the audit trail: read, verify and export. None of them changes an event. */

export const AuditEvent = Type.Object(
  {
    seq: Type.Integer(),
    occurredAt: Type.String(),
    actorId: Type.String(),
    action: Type.String(),
    recordType: Type.String(),
    recordId: Type.String(),
    before: Type.Unknown({ description: 'The record before the change, or null' }),
    after: Type.Unknown({ description: 'The record after the change, or null' }),
    reason: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    previousHash: Type.String(),
    hash: Type.String(),
  },
  { additionalProperties: false },
);
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditEventQuery = Type.Object(
  {
    ...PageQuery,
    recordType: Type.Optional(Type.String({ maxLength: 64 })),
    recordId: Type.Optional(Type.String({ maxLength: 64 })),
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    occurredFrom: Type.Optional(Type.String({ format: 'date-time', description: 'Only events at or after this instant, with a time zone' })),
    occurredTo: Type.Optional(Type.String({ format: 'date-time', description: 'Only events before this instant, with a time zone' })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc', description: 'By sequence number; newest first unless asc' })),
  },
  { additionalProperties: false },
);
export type AuditEventQuery = Static<typeof AuditEventQuery>;

function toAuditEvent(row: AuditEventTable): AuditEvent {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    after: row.after_json === null ? null : (JSON.parse(row.after_json) as unknown),
    reason: row.reason,
    requestId: row.request_id,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

export async function listAuditEvents(ctx: ServiceContext, caller: Caller, query: AuditEventQuery): Promise<PageOf<AuditEvent>> {
  authorize(caller, 'audit.read');
  const parsed = parseWith(AuditEventQuery, query);
  const { limit, offset } = pageBounds(parsed);
  let filtered = ctx.database.db.selectFrom('audit_events');
  if (parsed.recordType) filtered = filtered.where('record_type', '=', parsed.recordType);
  if (parsed.recordId) filtered = filtered.where('record_id', '=', parsed.recordId);
  if (parsed.actorId) filtered = filtered.where('actor_id', '=', parsed.actorId);
  if (parsed.action) filtered = filtered.where('action', '=', parsed.action);
  // occurred_at is stored as UTC ISO 8601 text, so a bound in the same form compares in time order.
  if (parsed.occurredFrom) filtered = filtered.where('occurred_at', '>=', toTimestamp(new Date(parsed.occurredFrom)));
  if (parsed.occurredTo) filtered = filtered.where('occurred_at', '<', toTimestamp(new Date(parsed.occurredTo)));

  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('seq', parsed.order ?? 'desc').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toAuditEvent), total: Number(count.total), limit, offset };
}

export const VerifyAuditRequest = Type.Object(
  {
    anchor: Type.Optional(
      Type.Object(
        {
          seq: Type.Integer({ minimum: 1, description: 'Sequence number of an event whose hash was kept outside the database' }),
          hash: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'That event hash, as 64 hex digits' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type VerifyAuditRequest = Static<typeof VerifyAuditRequest>;

/** Checks access and the request before the first await, so a streaming route learns of a rejection from its first progress report or the rejected promise. */
export async function verifyAuditTrail(
  ctx: ServiceContext,
  caller: Caller,
  request: VerifyAuditRequest = {},
  onProgress?: (progress: VerificationProgress) => void,
): Promise<ChainVerification> {
  authorize(caller, 'audit.read');
  const parsed = parseWith(VerifyAuditRequest, request);
  const sqliteFile = ctx.database.kind === 'sqlite' ? ctx.database.location : undefined;
  return verifyAuditChain(ctx.database.db, parsed.anchor, { ...(sqliteFile ? { sqliteFile } : {}), ...(onProgress ? { onProgress } : {}) });
}

/** Checks access before it returns, so an HTTP route can reject the request before streaming starts. */
export function exportAuditTrail(ctx: ServiceContext, caller: Caller, output: Writable): Promise<number> {
  authorize(caller, 'audit.read');
  return exportAuditEvents(ctx.database.db, output);
}
