import type { ChangeOptions } from '../people/change-options.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { Role } from '../platform/auth/roles.js';
import type { ServiceContext } from '../platform/context.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { resolveEscalationRow } from './appetite-evaluation.js';
import { findEscalationRow, queryEscalations, toEscalation } from './escalations.repository.js';
import { EscalationListQuery, ResolveEscalation, type Escalation } from './risk.schemas.js';

/**
 * Use cases of escalations of risks beyond appetite: list them (overdue ones among them), read
 * one, and resolve one by recording the decision. Only holders of the role that the escalation
 * names may resolve it.
 */

export async function listEscalations(ctx: ServiceContext, caller: Caller, query: EscalationListQuery): Promise<PageOf<Escalation>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(EscalationListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryEscalations(ctx.database.db, parsed, ctx.clock.now(), limit, offset);
  return { items, total, limit, offset };
}

export async function getEscalation(ctx: ServiceContext, caller: Caller, id: string): Promise<Escalation> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const row = await findEscalationRow(db, id);
  if (!row) throw notFound('escalation', id);
  const risk = await db.selectFrom('risks').select('title').where('id', '=', row.risk_id).executeTakeFirstOrThrow();
  return toEscalation(row, risk.title, ctx.clock.now());
}

export async function resolveEscalation(ctx: ServiceContext, caller: Caller, id: string, input: ResolveEscalation, options: ChangeOptions = {}): Promise<Escalation> {
  authorize(caller, 'risks.resolve_escalation');
  const parsed = parseWith(ResolveEscalation, input);
  return writeTransaction(ctx.database, async (trx) => {
    const open = await findEscalationRow(trx, id);
    if (!open) throw notFound('escalation', id);
    if (options.expectedVersion !== undefined && open.version !== options.expectedVersion) throw versionMismatch('escalation', id, options.expectedVersion, open.version);
    if (!caller.roles.includes(open.escalate_to_role as Role)) {
      throw new AppError(
        'FORBIDDEN',
        `This escalation goes to the role ${open.escalate_to_role}; ${caller.username} (roles: ${caller.roles.join(', ') || 'none'}) may not resolve it`,
      );
    }
    if (open.status !== 'open') throw new AppError('CONFLICT', `Escalation "${id}" was already resolved on ${open.resolved_at ?? 'an earlier date'} (${open.outcome ?? 'no outcome'})`);

    const risk = await trx.selectFrom('risks').select('title').where('id', '=', open.risk_id).executeTakeFirstOrThrow();
    const now = ctx.clock.now();
    const resolved = await resolveEscalationRow(trx, caller, now, open, risk.title, parsed.outcome, parsed.note.trim(), options.reason ?? null);
    return toEscalation(resolved, risk.title, now);
  });
}
