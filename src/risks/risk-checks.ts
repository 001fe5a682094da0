import { requireCatalogueItems } from '../catalogue/catalogue.repository.js';
import { ensureAiSystemsExist, ensurePeopleExist } from '../people/references.js';
import type { Db } from '../platform/database/connection.js';
import { isAppError, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { findRatingProblems, rate, type MatrixDefinition } from './matrix.js';
import type { StoredMatrix } from './matrices.repository.js';
import { controlKind, objectiveKind, riskSourceKind } from './risk.js';
import type { RatingInput, RiskRating } from './risk.schemas.js';

/**
 * Checks of the references and ratings in a risk or treatment request. Each check returns its
 * problems instead of throwing, so a request (or an imported row) gets every problem at once.
 */

/** Runs a check that throws VALIDATION_FAILED and returns its details. Other errors propagate. */
export async function problemsOf(check: () => Promise<unknown>): Promise<ErrorDetail[]> {
  try {
    await check();
    return [];
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.details;
    throw error;
  }
}

export function throwIfAny(problems: readonly ErrorDetail[]): void {
  if (problems.length > 0) throw validationFailed([...problems]);
}

/** Fields of a risk that name other records. Undefined fields are not checked. */
export interface RiskReferences {
  ownerPersonId?: string;
  aiSystemId?: string | null;
  riskSourceRef?: string;
  objectiveRef?: string;
  category?: string;
}

export async function findReferenceProblems(db: Db, references: RiskReferences, prefix = ''): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  if (references.ownerPersonId !== undefined) {
    const id = references.ownerPersonId;
    problems.push(...(await problemsOf(() => ensurePeopleExist(db, [{ id, path: `${prefix}/ownerPersonId` }]))));
  }
  if (references.aiSystemId !== undefined && references.aiSystemId !== null) {
    const id = references.aiSystemId;
    problems.push(...(await problemsOf(() => ensureAiSystemsExist(db, [{ id, path: `${prefix}/aiSystemId` }]))));
  }
  if (references.riskSourceRef !== undefined) {
    const ref = references.riskSourceRef;
    problems.push(...(await problemsOf(() => requireCatalogueItems(db, [{ ref, path: `${prefix}/riskSourceRef` }], { kinds: [riskSourceKind] }))));
  }
  if (references.objectiveRef !== undefined) {
    const ref = references.objectiveRef;
    problems.push(...(await problemsOf(() => requireCatalogueItems(db, [{ ref, path: `${prefix}/objectiveRef` }], { kinds: [objectiveKind] }))));
  }
  if (references.category !== undefined) {
    const found = await db.selectFrom('risk_categories').select('id').where('id', '=', references.category).executeTakeFirst();
    if (!found) {
      const known = (await db.selectFrom('risk_categories').select('id').orderBy('id').execute()).map((row) => row.id);
      problems.push({ path: `${prefix}/category`, message: `no risk category "${references.category}" exists; use one of ${known.join(', ')} or create it with POST /api/risks/categories` });
    }
  }
  return problems;
}

/** Checks that each treatment control is a control of Annex A or one of the organization's own. */
export async function findControlProblems(db: Db, refs: readonly string[], prefix = ''): Promise<ErrorDetail[]> {
  return problemsOf(() =>
    requireCatalogueItems(
      db,
      refs.map((ref, index) => ({ ref, path: `${prefix}/controlRefs/${index}` })),
      { kinds: [controlKind] },
    ),
  );
}

export function findRatingInputProblems(matrix: MatrixDefinition, inherent: RatingInput | null | undefined, residual: RatingInput | null | undefined, prefix = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (inherent) problems.push(...findRatingProblems(matrix, inherent.likelihood, inherent.impact, `${prefix}/inherent`));
  if (residual) problems.push(...findRatingProblems(matrix, residual.likelihood, residual.impact, `${prefix}/residual`));
  return problems;
}

/** Rates a checked likelihood and impact on the active matrix. */
export function rateOnMatrix(matrix: StoredMatrix, input: RatingInput): RiskRating {
  const rating = rate(matrix, input.likelihood, input.impact);
  return { ...rating, matrixId: matrix.id, matrixNumber: matrix.number, onActiveMatrix: true };
}
