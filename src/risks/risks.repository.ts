import { sql } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { RiskTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import { scoreOf } from './matrix.js';
import { loadMatrices, type StoredMatrix } from './matrices.repository.js';
import type { RiskStatus } from './risk.js';
import type { Risk, RiskListQuery, RiskRating, RiskSortKey } from './risk.schemas.js';

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

export async function queryRiskRows(db: Db, query: RiskListQuery, limit: number, offset: number): Promise<{ rows: RiskTable[]; total: number }> {
  let filtered = db.selectFrom('risks');
  if (query.q) filtered = filtered.where(containsText(['title', 'description', 'threat'], query.q));
  if (query.aiSystemId) filtered = filtered.where('ai_system_id', '=', query.aiSystemId);
  if (query.scope === 'organization') filtered = filtered.where('ai_system_id', 'is', null);
  if (query.scope === 'ai_system') filtered = filtered.where('ai_system_id', 'is not', null);
  if (query.category) filtered = filtered.where('category_id', '=', query.category);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  if (query.ownerPersonId) filtered = filtered.where('owner_person_id', '=', query.ownerPersonId);
  if (query.beyondAppetite !== undefined) filtered = filtered.where('beyond_appetite', '=', query.beyondAppetite ? 1 : 0);

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
