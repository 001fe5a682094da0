import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import { findEvidenceRow, findLinkRow, toEvidenceLink, toLinkRow } from './evidence.repository.js';
import { LinkEvidence, type EvidenceLink } from './evidence.schemas.js';
import { ensureLinkTargetsExist, type LinkTargetType } from './link-targets.js';

/**
 * Links from evidence to the clauses, controls, AI systems, assessments and documents it
 * supports. Links do not change the evidence's version. Each link and unlink is audited on the
 * evidence record, with the link as `after` or `before`.
 */

export async function linkEvidence(ctx: ServiceContext, caller: Caller, evidenceId: string, input: LinkEvidence, reason: string | null = null): Promise<EvidenceLink> {
  authorize(caller, 'evidence.write');
  const parsed = parseWith(LinkEvidence, input);
  return writeTransaction(ctx.database, (trx) => insertEvidenceLink(trx, caller, ctx.clock.now(), evidenceId, parsed, reason));
}

/** Links evidence to a target inside the caller's write transaction, with its audit event. Throws CONFLICT when the link exists. */
export async function insertEvidenceLink(trx: Db, caller: Caller, now: Date, evidenceId: string, input: LinkEvidence, reason: string | null = null): Promise<EvidenceLink> {
  authorize(caller, 'evidence.write');
  const parsed = parseWith(LinkEvidence, input);
  const evidence = await findEvidenceRow(trx, evidenceId);
  if (!evidence) throw notFound('evidence', evidenceId);
  await ensureLinkTargetsExist(trx, parsed.targetType, [{ id: parsed.targetId, path: '/targetId' }]);
  if (await findLinkRow(trx, evidenceId, parsed.targetType, parsed.targetId)) {
    throw new AppError('CONFLICT', `The evidence "${evidence.title}" is already linked to ${parsed.targetType} ${parsed.targetId}`);
  }

  const link: EvidenceLink = { targetType: parsed.targetType, targetId: parsed.targetId, createdAt: toTimestamp(now), createdBy: caller.userId };
  await trx.insertInto('evidence_links').values(toLinkRow(evidenceId, link)).execute();
  await appendAuditEvent(trx, caller, now, { action: 'evidence.linked', recordId: evidenceId, after: link, reason });
  return link;
}

export async function unlinkEvidence(
  ctx: ServiceContext,
  caller: Caller,
  evidenceId: string,
  targetType: LinkTargetType,
  targetId: string,
  reason: string | null = null,
): Promise<void> {
  authorize(caller, 'evidence.write');
  await writeTransaction(ctx.database, async (trx) => {
    const evidence = await findEvidenceRow(trx, evidenceId);
    if (!evidence) throw notFound('evidence', evidenceId);
    const row = await findLinkRow(trx, evidenceId, targetType, targetId);
    if (!row) {
      throw new AppError('NOT_FOUND', `The evidence "${evidence.title}" is not linked to ${targetType} ${targetId}; GET /api/evidence/${evidenceId} lists its links`);
    }
    await trx
      .deleteFrom('evidence_links')
      .where('evidence_id', '=', evidenceId)
      .where('target_type', '=', targetType)
      .where('target_id', '=', targetId)
      .execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'evidence.unlinked', recordId: evidenceId, before: toEvidenceLink(row), reason });
  });
}
