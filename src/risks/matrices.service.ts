import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { notFound, validationFailed, versionMismatch, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseWith } from '../platform/validation.js';
import { buildMatrix, maxScoreOf, type MatrixDefinition } from './matrix.js';
import { findActiveMatrixRow, findMatrixRows, toRiskMatrix } from './matrices.repository.js';
import { ReplaceRiskMatrix, type RiskMatrix } from './risk-settings.schemas.js';
import type { Db } from '../platform/database/connection.js';

/**
 * Use cases of the likelihood × impact matrix. One version is active at a time; replacing it
 * stores a new version, and ratings made before keep naming the version they used.
 */

export async function getActiveMatrix(ctx: ServiceContext, caller: Caller): Promise<RiskMatrix> {
  authorize(caller, 'register.read');
  return toRiskMatrix(await findActiveMatrixRow(ctx.database.db));
}

export async function listMatrices(ctx: ServiceContext, caller: Caller): Promise<RiskMatrix[]> {
  authorize(caller, 'register.read');
  return (await findMatrixRows(ctx.database.db)).map(toRiskMatrix);
}

export async function getMatrix(ctx: ServiceContext, caller: Caller, id: string): Promise<RiskMatrix> {
  authorize(caller, 'register.read');
  const row = await ctx.database.db.selectFrom('risk_matrices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('risk matrix', id);
  return toRiskMatrix(row);
}

/**
 * Calibrates a new matrix version and makes it the active one. `expectedVersion` is the number of
 * the active matrix the caller read (its ETag). The new matrix must give every cell a band, and
 * every appetite and acceptance authority must still fit its scale; otherwise nothing changes.
 */
export async function replaceMatrix(ctx: ServiceContext, caller: Caller, input: ReplaceRiskMatrix, options: ChangeOptions = {}): Promise<RiskMatrix> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(ReplaceRiskMatrix, input);
  const { matrix, problems } = buildMatrix(parsed.likelihoodLevels, parsed.impactLevels, parsed.bands, parsed.cells);
  if (problems.length > 0) throw validationFailed(problems, problems.length === 1 ? `The matrix is invalid: ${problems[0]!.message}` : undefined);

  return writeTransaction(ctx.database, async (trx) => {
    const active = await findActiveMatrixRow(trx);
    if (options.expectedVersion !== undefined && active.number !== options.expectedVersion) {
      throw versionMismatch('risk matrix', 'active', options.expectedVersion, active.number);
    }
    const misfits = await findSettingsOutsideScale(trx, matrix);
    if (misfits.length > 0) throw validationFailed(misfits, misfits.length === 1 ? `The new matrix does not fit the current settings: ${misfits[0]!.message}` : undefined);

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    await trx.updateTable('risk_matrices').set({ status: 'superseded', version: active.version + 1, updated_at: timestamp }).where('id', '=', active.id).execute();
    const row = {
      id: newId(),
      version: 1,
      created_at: timestamp,
      updated_at: timestamp,
      number: active.number + 1,
      status: 'active',
      likelihood_size: matrix.likelihoodLevels.length,
      impact_size: matrix.impactLevels.length,
      likelihood_levels: JSON.stringify(matrix.likelihoodLevels),
      impact_levels: JSON.stringify(matrix.impactLevels),
      bands: JSON.stringify(matrix.bands),
      cells: JSON.stringify(matrix.cells),
      change_summary: parsed.changeSummary.trim(),
      created_by: caller.userId,
    };
    await trx.insertInto('risk_matrices').values(row).execute();
    const created = toRiskMatrix(row);
    await appendAuditEvent(trx, caller, now, { action: 'risk_matrix.created', recordId: created.id, before: toRiskMatrix(active), after: created, reason: options.reason ?? null });
    return created;
  });
}

/** Appetites above the new top score and authorities above the new top band, each named. */
async function findSettingsOutsideScale(trx: Db, matrix: MatrixDefinition): Promise<ErrorDetail[]> {
  const scaleMax = maxScoreOf(matrix);
  const bandCount = matrix.bands.length;
  const [appetites, authorities] = await Promise.all([
    trx.selectFrom('risk_appetites').select(['category_id', 'max_score']).where('max_score', '>', scaleMax).orderBy('category_id').execute(),
    trx.selectFrom('risk_acceptance_authorities').select(['role', 'max_band_order']).where('max_band_order', '>', bandCount).orderBy('role').execute(),
  ]);
  return [
    ...appetites.map((appetite) => ({
      path: '/cells',
      message: `the appetite of category "${appetite.category_id}" is a maximum score of ${appetite.max_score}, above the new matrix's top score of ${scaleMax}; lower that appetite first (PUT /api/risks/categories/${appetite.category_id}/appetite)`,
    })),
    ...authorities.map((authority) => ({
      path: '/bands',
      message: `role ${authority.role} may accept up to band ${authority.max_band_order}, but the new matrix has ${bandCount} bands; lower that authority first (PUT /api/risks/acceptance-authorities)`,
    })),
  ];
}
