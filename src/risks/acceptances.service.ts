import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { Role } from '../platform/auth/roles.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { RiskAcceptanceTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseWith } from '../platform/validation.js';
import { authorityOf, rolesCovering, type Authority } from './acceptance.js';
import { resolveEscalationRow } from './appetite-evaluation.js';
import { findOpenEscalationRow } from './escalations.repository.js';
import type { MatrixDefinition } from './matrix.js';
import { findActiveMatrix } from './matrices.repository.js';
import { ReplaceAcceptanceAuthorities, type AcceptanceAuthorities } from './risk-settings.schemas.js';
import { AcceptRisk, type Acceptance, type AcceptedRisk } from './risk.schemas.js';
import { findRisk, loadRiskForChange } from './risks.service.js';
import { toRiskRow } from './risks.repository.js';

/**
 * Acceptance of residual risk, the last step of AI risk treatment (ISO/IEC 42001 clause 6.1.3).
 * The authority table sets up to which band each role may accept. A caller outside it, or with
 * authority below the risk's band, gets 403 naming the band and the roles that may accept it.
 */

async function loadAuthorities(db: Db): Promise<Authority[]> {
  const rows = await db.selectFrom('risk_acceptance_authorities').select(['role', 'max_band_order']).orderBy('max_band_order').orderBy('role').execute();
  return rows.map((row) => ({ role: row.role as Role, maxBandOrder: row.max_band_order }));
}

function toAuthorities(rows: { role: string; max_band_order: number; updated_at: string; updated_by: string }[], matrix: MatrixDefinition): AcceptanceAuthorities {
  return {
    authorities: rows.map((row) => {
      const band = matrix.bands[Math.min(row.max_band_order, matrix.bands.length) - 1]!;
      return {
        role: row.role as Exclude<Role, 'internal_auditor'>,
        maxBand: band.key,
        maxBandLabel: band.label,
        maxBandOrder: row.max_band_order,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by,
      };
    }),
  };
}

async function readAuthorities(db: Db): Promise<AcceptanceAuthorities> {
  const [rows, matrix] = await Promise.all([
    db.selectFrom('risk_acceptance_authorities').selectAll().orderBy('max_band_order').orderBy('role').execute(),
    findActiveMatrix(db),
  ]);
  return toAuthorities(rows, matrix);
}

export async function getAuthorities(ctx: ServiceContext, caller: Caller): Promise<AcceptanceAuthorities> {
  authorize(caller, 'register.read');
  return readAuthorities(ctx.database.db);
}

/** Replaces the whole authority table; bands are named by key on the active matrix. */
export async function replaceAuthorities(ctx: ServiceContext, caller: Caller, input: ReplaceAcceptanceAuthorities, reason?: string | null): Promise<AcceptanceAuthorities> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(ReplaceAcceptanceAuthorities, input);
  return writeTransaction(ctx.database, async (trx) => {
    const matrix = await findActiveMatrix(trx);
    const seen = new Set<string>();
    const problems = parsed.authorities.flatMap((entry, index) => {
      const found: { path: string; message: string }[] = [];
      if (seen.has(entry.role)) found.push({ path: `/authorities/${index}/role`, message: `role ${entry.role} is listed twice; list each role once` });
      seen.add(entry.role);
      if (!matrix.bands.some((band) => band.key === entry.maxBand)) {
        found.push({ path: `/authorities/${index}/maxBand`, message: `band "${entry.maxBand}" is not a band of the active matrix; use one of ${matrix.bands.map((band) => band.key).join(', ')}` });
      }
      return found;
    });
    if (problems.length > 0) throw validationFailed(problems);

    const before = await readAuthorities(trx);
    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    await trx.deleteFrom('risk_acceptance_authorities').execute();
    if (parsed.authorities.length > 0) {
      await trx
        .insertInto('risk_acceptance_authorities')
        .values(
          parsed.authorities.map((entry) => ({
            role: entry.role,
            max_band_order: matrix.bands.find((band) => band.key === entry.maxBand)!.order,
            updated_at: timestamp,
            updated_by: caller.userId,
          })),
        )
        .execute();
    }
    const after = await readAuthorities(trx);
    await appendAuditEvent(trx, caller, now, { action: 'risk_acceptance_authorities.updated', recordId: 'acceptance-authorities', before, after, reason: reason ?? null });
    return after;
  });
}

function toAcceptance(row: RiskAcceptanceTable): Acceptance {
  return {
    id: row.id,
    riskId: row.risk_id,
    matrixId: row.matrix_id,
    likelihood: row.likelihood,
    impact: row.impact,
    band: row.band,
    bandOrder: row.band_order,
    acceptedBy: row.accepted_by,
    acceptedByUsername: row.accepted_by_username,
    authorityRole: row.authority_role as Exclude<Role, 'internal_auditor'>,
    rationale: row.rationale,
    reviewDate: row.review_date,
    acceptedAt: row.accepted_at,
  };
}

export async function listAcceptances(ctx: ServiceContext, caller: Caller, riskId: string): Promise<Acceptance[]> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  if (!(await findRisk(db, riskId))) throw notFound('risk', riskId);
  const rows = await db.selectFrom('risk_acceptances').selectAll().where('risk_id', '=', riskId).orderBy('accepted_at', 'desc').orderBy('id').execute();
  return rows.map(toAcceptance);
}

/**
 * Accepts the risk's residual rating. The rating must be on the active matrix, and the caller's
 * authority must reach its band. The risk becomes accepted and an open escalation resolves with
 * the outcome risk_accepted, all in one transaction; a rejected acceptance writes nothing.
 */
export async function acceptRisk(ctx: ServiceContext, caller: Caller, riskId: string, input: AcceptRisk, options: ChangeOptions = {}): Promise<AcceptedRisk> {
  authorize(caller, 'risks.accept');
  const parsed = parseWith(AcceptRisk, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadRiskForChange(trx, riskId, options.expectedVersion);
    const residual = before.residual;
    if (!residual) {
      throw new AppError('CONFLICT', `Risk "${before.title}" has no residual rating to accept; rate the risk left after treatment first (PATCH /api/risks/${riskId} with residual)`);
    }
    if (!residual.onActiveMatrix) {
      throw new AppError(
        'CONFLICT',
        `The residual rating of "${before.title}" was made on matrix version ${residual.matrixNumber}, which has been replaced; rate the residual risk again on the active matrix before accepting it`,
      );
    }
    if (before.status === 'accepted') throw new AppError('CONFLICT', `Risk "${before.title}" is already accepted; change its residual rating or status before a new acceptance`);
    if (before.status === 'closed') throw new AppError('CONFLICT', `Risk "${before.title}" is closed; reopen it by setting another status before accepting it`);

    const band = residual.band;
    const table = await loadAuthorities(trx);
    const authority = authorityOf(caller.roles, table);
    if (!authority || authority.maxBandOrder < band.order) {
      const matrix = await findActiveMatrix(trx);
      const required = rolesCovering(band.order, table);
      const callerAuthority = authority ? `your authority (role ${authority.role}) reaches band "${matrix.bands[Math.min(authority.maxBandOrder, matrix.bands.length) - 1]!.label}"` : `your roles (${caller.roles.join(', ') || 'none'}) have no acceptance authority`;
      const needed = required.length > 0 ? `needs one of the roles ${required.join(', ')}` : 'needs a role with authority for that band, and no role has it; treat the risk further or extend the authority table';
      throw new AppError('FORBIDDEN', `Accepting residual risk in band "${band.label}" (${band.key}, order ${band.order} of ${matrix.bands.length}) ${needed}; ${callerAuthority}`);
    }

    // An escalation names who must decide on the risk; an acceptance by anyone else would end it.
    const escalation = await findOpenEscalationRow(trx, riskId);
    if (escalation && !caller.roles.includes(escalation.escalate_to_role as Role)) {
      throw new AppError(
        'FORBIDDEN',
        `Risk "${before.title}" is escalated to the role ${escalation.escalate_to_role}, so only a holder of that role may accept it; ${caller.username} has ${caller.roles.join(', ') || 'no roles'}`,
      );
    }

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const row: RiskAcceptanceTable = {
      id: newId(),
      risk_id: riskId,
      matrix_id: residual.matrixId,
      likelihood: residual.likelihood,
      impact: residual.impact,
      band: band.key,
      band_order: band.order,
      accepted_by: caller.userId,
      accepted_by_username: caller.username,
      authority_role: authority.role,
      rationale: parsed.rationale.trim(),
      review_date: parsed.reviewDate ?? null,
      accepted_at: timestamp,
    };
    await trx.insertInto('risk_acceptances').values(row).execute();
    const after = { ...before, status: 'accepted' as const, version: before.version + 1, updatedAt: timestamp };
    await trx.updateTable('risks').set(toRiskRow(after)).where('id', '=', riskId).where('version', '=', before.version).execute();
    const stored = (await findRisk(trx, riskId))!;
    const acceptance = toAcceptance(row);
    const reason = options.reason ?? null;
    await appendAuditEvent(trx, caller, now, { action: 'risk.accepted', recordId: riskId, before, after: { ...stored, acceptance }, reason });

    const open = await findOpenEscalationRow(trx, riskId);
    if (open) await resolveEscalationRow(trx, caller, now, open, stored.title, 'risk_accepted', `Residual risk accepted by ${caller.username}: ${row.rationale}`, reason);
    return { risk: stored, acceptance };
  });
}
