import { joinedClassificationColumns, toJoinedClassification, type JoinedClassificationColumns } from '../classification/classification.repository.js';
import { sql } from 'kysely';
import { euAiActTiers } from '../classification/eu-ai-act.js';
import type { Db } from '../platform/database/connection.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { AiSystemTable, LifecycleTransitionTable } from '../platform/database/schema.js';
import type { AiSystem, AiSystemListQuery, AiSystemSortKey, AiSystemWithClassification, LifecycleTransition } from './ai-system.schemas.js';

/** Reads and writes ai_systems rows and turns them into the API's shape. */

type ColumnSortKey = Exclude<AiSystemSortKey, 'classificationTier' | 'ownerName'>;

const sortColumns: Record<ColumnSortKey, keyof AiSystemTable> = {
  name: 'name',
  businessUnit: 'business_unit',
  lifecycleStage: 'lifecycle_stage',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** CASE branches that rank an EU AI Act tier by severity, 1 for prohibited. Unclassified systems get null. */
const tierRanks = euAiActTiers.map((tier, index) => sql`when ${tier} then ${sql.lit(index + 1)}`);

export function toAiSystem(row: AiSystemTable): AiSystem {
  return {
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    intendedUse: row.intended_use,
    foreseeableMisuse: row.foreseeable_misuse,
    businessUnit: row.business_unit,
    ownerId: row.owner_id,
    lifecycleStage: row.lifecycle_stage as AiSystem['lifecycleStage'],
    organizationRole: row.organization_role as AiSystem['organizationRole'],
    deploymentEnvironments: JSON.parse(row.deployment_environments) as AiSystem['deploymentEnvironments'],
    autonomy: row.autonomy as AiSystem['autonomy'],
    affectedGroups: JSON.parse(row.affected_groups) as string[],
    decisionDomain: row.decision_domain,
    inScope: row.in_scope === 1,
    scopeJustification: row.scope_justification,
    legalBasis: row.legal_basis,
    impactAssessmentStatus: row.impact_assessment_status as AiSystem['impactAssessmentStatus'],
    publishedAt: row.published_at,
    sourceUrl: row.source_url,
    externalId: row.external_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAiSystemWithClassification(row: AiSystemTable & JoinedClassificationColumns): AiSystemWithClassification {
  return { ...toAiSystem(row), classification: toJoinedClassification(row) };
}

export function toRow(system: AiSystem): AiSystemTable {
  return {
    id: system.id,
    name: system.name,
    purpose: system.purpose,
    intended_use: system.intendedUse,
    foreseeable_misuse: system.foreseeableMisuse,
    business_unit: system.businessUnit,
    owner_id: system.ownerId,
    lifecycle_stage: system.lifecycleStage,
    organization_role: system.organizationRole,
    deployment_environments: JSON.stringify(system.deploymentEnvironments),
    autonomy: system.autonomy,
    affected_groups: JSON.stringify(system.affectedGroups),
    decision_domain: system.decisionDomain,
    in_scope: system.inScope ? 1 : 0,
    scope_justification: system.scopeJustification,
    legal_basis: system.legalBasis,
    impact_assessment_status: system.impactAssessmentStatus,
    published_at: system.publishedAt,
    source_url: system.sourceUrl,
    external_id: system.externalId,
    version: system.version,
    created_at: system.createdAt,
    updated_at: system.updatedAt,
  };
}

export function toLifecycleTransition(row: LifecycleTransitionTable): LifecycleTransition {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    fromStage: row.from_stage as LifecycleTransition['fromStage'],
    toStage: row.to_stage as LifecycleTransition['toStage'],
    actorId: row.actor_id,
    reason: row.reason,
    occurredAt: row.occurred_at,
  };
}

export async function findAiSystemRow(db: Db, id: string): Promise<AiSystemTable | undefined> {
  return db.selectFrom('ai_systems').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Selects AI systems as `s` with the columns of their current classification, as `c`. The
 * partial unique index on approved classifications keeps the join to one row per system.
 */
function selectWithClassification(db: Db) {
  return db
    .selectFrom('ai_systems as s')
    .leftJoin('classifications as c', (join) => join.onRef('c.ai_system_id', '=', 's.id').on('c.status', '=', 'approved'));
}

export async function findAiSystemWithClassification(db: Db, id: string): Promise<AiSystemWithClassification | undefined> {
  const row = await selectWithClassification(db).selectAll('s').select(joinedClassificationColumns).where('s.id', '=', id).executeTakeFirst();
  return row ? toAiSystemWithClassification(row) : undefined;
}

/** Reads the systems with these ids, with their current classification, in the order of the ids. */
async function readPageRows(db: Db, ids: readonly string[]): Promise<(AiSystemTable & JoinedClassificationColumns)[]> {
  if (ids.length === 0) return [];
  const rows = await selectWithClassification(db).selectAll('s').select(joinedClassificationColumns).where('s.id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!);
}

/**
 * Returns one page of systems matching the filters, each with the columns of its current
 * classification (see toAiSystemWithClassification), and how many match in all.
 */
export async function queryAiSystems(
  db: Db,
  query: AiSystemListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: (AiSystemTable & JoinedClassificationColumns)[]; total: number }> {
  let filtered = selectWithClassification(db);
  if (query.q) filtered = filtered.where(containsText(['s.name', 's.purpose', 's.business_unit'], query.q));
  if (query.lifecycleStage) filtered = filtered.where('s.lifecycle_stage', '=', query.lifecycleStage);
  if (query.organizationRole) filtered = filtered.where('s.organization_role', '=', query.organizationRole);
  if (query.businessUnit) filtered = filtered.where('s.business_unit', '=', query.businessUnit);
  if (query.ownerId) filtered = filtered.where('s.owner_id', '=', query.ownerId);
  if (query.inScope !== undefined) filtered = filtered.where('s.in_scope', '=', query.inScope ? 1 : 0);
  // Systems without an approved classification have nulls here, so neither value matches them.
  if (query.classificationStale !== undefined) filtered = filtered.where('c.stale', '=', query.classificationStale ? 1 : 0);
  if (query.classificationTier) filtered = filtered.where('c.tier', '=', query.classificationTier);

  const sort = query.sort ?? 'name';
  const { key, order } = parseSort<AiSystemSortKey>(sort);
  // The id breaks ties so that pages never overlap or skip a record. On a plain column it follows
  // the sort's direction, so that one index on (column, id) serves both directions.
  const idOrder = sort.startsWith('-') ? 'desc' : 'asc';

  const page = async () => {
    if (key !== 'classificationTier' && key !== 'ownerName') {
      return filtered.selectAll('s').select(joinedClassificationColumns).orderBy(`s.${sortColumns[key]}`, order).orderBy('s.id', idOrder).limit(limit).offset(offset).execute();
    }
    // No index serves these orders, so the database sorts every matching system. Sorting the ids
    // alone, then reading the page's rows, keeps that sort narrow. Ties go by name, then id.
    const ranked =
      key === 'classificationTier'
        ? filtered.orderBy(sql<number | null>`case ${sql.ref('c.tier')} ${sql.join(tierRanks, sql` `)} else null end`, order)
        : filtered.leftJoin('people as owner', 'owner.id', 's.owner_id').orderBy('owner.name', order);
    const ids = (await ranked.orderBy('s.name').orderBy('s.id').select('s.id').limit(limit).offset(offset).execute()).map((row) => row.id);
    return readPageRows(db, ids);
  };

  const [rows, count] = await Promise.all([page(), filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()]);
  return { rows, total: Number(count.total) };
}
