import { sql, type SqlBool } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { RiskTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import { scoreOf } from './matrix.js';
import { loadMatrices, type StoredMatrix } from './matrices.repository.js';
import type { RiskStatus } from './risk.js';
import type { RatingKind, Risk, RiskListQuery, RiskRating, RiskSortKey } from './risk.schemas.js';

/** Reads and writes risks rows and turns them into the API's shape. */

/** Data from other tables that risks are shown with, loaded once per request. */
export interface RiskLookups {
  matrices: Map<string, StoredMatrix>;
  activeMatrixId: string;
  ermByCategory: Map<string, string | null>;
}

export async function loadRiskLookups(db: Db): Promise<RiskLookups> {
  const [matrices, categories] = await Promise.all([loadMatrices(db), db.selectFrom('risk_categories').select(['id', 'erm_category']).execute()]);
  const active = [...matrices.values()].find((matrix) => matrix.status === 'active');
  if (!active) throw new Error('The risk register has no active matrix; run the database migrations');
  return { matrices, activeMatrixId: active.id, ermByCategory: new Map(categories.map((row) => [row.id, row.erm_category])) };
}

function toRating(
  likelihood: number | null,
  impact: number | null,
  bandKey: string | null,
  matrixId: string | null,
  lookups: RiskLookups,
): RiskRating | null {
  if (likelihood === null || impact === null || bandKey === null || matrixId === null) return null;
  const matrix = lookups.matrices.get(matrixId);
  const band = matrix?.bands.find((candidate) => candidate.key === bandKey) ?? { key: bandKey, label: bandKey, order: 1 };
  return {
    likelihood,
    impact,
    score: scoreOf(likelihood, impact),
    band,
    matrixId,
    matrixNumber: matrix?.number ?? 0,
    onActiveMatrix: matrixId === lookups.activeMatrixId,
  };
}

export function toRisk(row: RiskTable, lookups: RiskLookups): Risk {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    scope: row.ai_system_id === null ? 'organization' : 'ai_system',
    aiSystemId: row.ai_system_id,
    riskSourceRef: row.risk_source_ref,
    threat: row.threat,
    objectiveRef: row.objective_ref,
    category: row.category_id,
    ermCategory: lookups.ermByCategory.get(row.category_id) ?? null,
    ownerPersonId: row.owner_person_id,
    inherent: toRating(row.inherent_likelihood, row.inherent_impact, row.inherent_band, row.inherent_matrix_id, lookups),
    residual: toRating(row.residual_likelihood, row.residual_impact, row.residual_band, row.residual_matrix_id, lookups),
    status: row.status as RiskStatus,
    beyondAppetite: row.beyond_appetite === 1,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRiskRow(risk: Risk): RiskTable {
  return {
    id: risk.id,
    title: risk.title,
    description: risk.description,
    ai_system_id: risk.aiSystemId,
    risk_source_ref: risk.riskSourceRef,
    threat: risk.threat,
    objective_ref: risk.objectiveRef,
    category_id: risk.category,
    owner_person_id: risk.ownerPersonId,
    inherent_likelihood: risk.inherent?.likelihood ?? null,
    inherent_impact: risk.inherent?.impact ?? null,
    inherent_band: risk.inherent?.band.key ?? null,
    inherent_matrix_id: risk.inherent?.matrixId ?? null,
    residual_likelihood: risk.residual?.likelihood ?? null,
    residual_impact: risk.residual?.impact ?? null,
    residual_band: risk.residual?.band.key ?? null,
    residual_matrix_id: risk.residual?.matrixId ?? null,
    status: risk.status,
    beyond_appetite: risk.beyondAppetite ? 1 : 0,
    created_by: risk.createdBy,
    version: risk.version,
    created_at: risk.createdAt,
    updated_at: risk.updatedAt,
  };
}

export async function findRiskRow(db: Db, id: string): Promise<RiskTable | undefined> {
  return db.selectFrom('risks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRiskRowsByCategory(db: Db, categoryId: string): Promise<RiskTable[]> {
  return db.selectFrom('risks').selectAll().where('category_id', '=', categoryId).orderBy('id').execute();
}

/** The current score (residual, else inherent) in SQL, null for an unrated risk. */
const currentScore = sql<number | null>`coalesce(residual_likelihood * residual_impact, inherent_likelihood * inherent_impact)`;

/**
 * Returns the likelihood, impact and band of a rating as SQL expressions, null for a risk without
 * that rating. A risk has both levels and the band of a rating, or none of them.
 */
export function ratingExpressions(rating: RatingKind) {
  if (rating === 'inherent') return { likelihood: sql<number | null>`inherent_likelihood`, impact: sql<number | null>`inherent_impact`, band: sql<string | null>`inherent_band` };
  if (rating === 'residual') return { likelihood: sql<number | null>`residual_likelihood`, impact: sql<number | null>`residual_impact`, band: sql<string | null>`residual_band` };
  return {
    likelihood: sql<number | null>`coalesce(residual_likelihood, inherent_likelihood)`,
    impact: sql<number | null>`coalesce(residual_impact, inherent_impact)`,
    band: sql<string | null>`coalesce(residual_band, inherent_band)`,
  };
}

/** The risks matching every filter of the query; `today` (YYYY-MM-DD, UTC) decides which treatments are overdue. */
export function filterRisks(db: Db, query: Omit<RiskListQuery, 'limit' | 'offset' | 'sort'>, today: string) {
  let filtered = db.selectFrom('risks');
  if (query.q) filtered = filtered.where(containsText(['title', 'description', 'threat'], query.q));
  if (query.aiSystemId) filtered = filtered.where('ai_system_id', '=', query.aiSystemId);
  if (query.scope === 'organization') filtered = filtered.where('ai_system_id', 'is', null);
  if (query.scope === 'ai_system') filtered = filtered.where('ai_system_id', 'is not', null);
  if (query.category) filtered = filtered.where('category_id', '=', query.category);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  if (query.ownerPersonId) filtered = filtered.where('owner_person_id', '=', query.ownerPersonId);
  if (query.beyondAppetite !== undefined) filtered = filtered.where('beyond_appetite', '=', query.beyondAppetite ? 1 : 0);

  const rating = ratingExpressions(query.rating ?? 'current');
  if (query.likelihood !== undefined) filtered = filtered.where(sql<SqlBool>`${rating.likelihood} = ${query.likelihood}`);
  if (query.impact !== undefined) filtered = filtered.where(sql<SqlBool>`${rating.impact} = ${query.impact}`);
  if (query.band !== undefined) filtered = filtered.where(sql<SqlBool>`${rating.band} = ${query.band}`);

  if (query.treatment !== undefined) {
    const state = query.treatment;
    const unfinished = ['planned', 'in_progress'];
    filtered = filtered.where((eb) => {
      const treatments = (statuses: readonly string[], dueBefore?: string) => {
        let selected = eb.selectFrom('risk_treatments as t').select('t.id').whereRef('t.risk_id', '=', 'risks.id').where('t.status', 'in', [...statuses]);
        if (dueBefore !== undefined) selected = selected.where('t.due_date', '<', dueBefore);
        return eb.exists(selected);
      };
      if (state === 'none') return eb.not(treatments([...unfinished, 'completed']));
      if (state === 'open') return treatments(unfinished);
      if (state === 'overdue') return treatments(unfinished, today);
      return eb.and([treatments(['completed']), eb.not(treatments(unfinished))]);
    });
  }

  if (query.escalated !== undefined) {
    const escalated = query.escalated;
    filtered = filtered.where((eb) => {
      const open = eb.exists(eb.selectFrom('risk_escalations as e').select('e.id').whereRef('e.risk_id', '=', 'risks.id').where('e.status', '=', 'open'));
      return escalated ? open : eb.not(open);
    });
  }
  return filtered;
}

export async function queryRiskRows(db: Db, query: RiskListQuery, today: string, limit: number, offset: number): Promise<{ rows: RiskTable[]; total: number }> {
  const filtered = filterRisks(db, query, today);

  const { key, order } = parseSort<RiskSortKey>(query.sort ?? 'title');
  const sortExpression = {
    title: sql.ref('title'),
    status: sql.ref('status'),
    score: currentScore,
    createdAt: sql.ref('created_at'),
    updatedAt: sql.ref('updated_at'),
  }[key];
  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(sortExpression, order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Finds every risk in a stable order, for the export. */
export async function findAllRiskRows(db: Db): Promise<RiskTable[]> {
  return db.selectFrom('risks').selectAll().orderBy('created_at').orderBy('id').execute();
}
