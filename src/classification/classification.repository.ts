import type { Db } from '../platform/database/connection.js';
import type { ClassificationReviewTable, ClassificationTable } from '../platform/database/schema.js';
import { findTrainingData } from '../models/training-data.repository.js';
import type { CatalogueObligation } from './eu-ai-act.js';
import { euAiActFrameworkId } from './eu-ai-act.js';
import { gdprFrameworkId } from './gdpr.js';
import type { ClassificationInputs, WatchedInput } from './inputs.js';
import type {
  Classification,
  ClassificationListQuery,
  ClassificationReview,
  ClassificationSummary,
  LinkedClassification,
  ReviewListQuery,
} from './classification.schemas.js';

/** Reads and writes classification and review rows, and reads the AI system facts a classification uses. */

/** The fields that a classification and its summary share. */
function commonFields(row: ClassificationTable) {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    number: row.number,
    status: row.status as Classification['status'],
    role: row.role as Classification['role'],
    tier: row.tier as Classification['tier'],
    impactLevel: row.impact_level as Classification['impactLevel'],
    dpiaRequired: row.dpia_required === 1,
    art22Applies: row.art22_applies === 1,
    stale: row.stale === 1,
    staleSince: row.stale_since,
    staleInputs: JSON.parse(row.stale_inputs) as WatchedInput[],
    createdBy: row.created_by,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toClassification(row: ClassificationTable): Classification {
  return {
    ...commonFields(row),
    roleSource: row.role_source as Classification['roleSource'],
    answers: JSON.parse(row.answers) as Classification['answers'],
    inputs: JSON.parse(row.inputs) as Classification['inputs'],
    result: JSON.parse(row.result) as Classification['result'],
    authors: JSON.parse(row.author_ids) as string[],
    approvalComment: row.approval_comment,
  };
}

export function toClassificationRow(classification: Classification): ClassificationTable {
  return {
    id: classification.id,
    ai_system_id: classification.aiSystemId,
    number: classification.number,
    status: classification.status,
    role: classification.role,
    role_source: classification.roleSource,
    answers: JSON.stringify(classification.answers),
    inputs: JSON.stringify(classification.inputs),
    result: JSON.stringify(classification.result),
    tier: classification.tier,
    impact_level: classification.impactLevel,
    dpia_required: classification.dpiaRequired ? 1 : 0,
    art22_applies: classification.art22Applies ? 1 : 0,
    stale: classification.stale ? 1 : 0,
    stale_since: classification.staleSince,
    stale_inputs: JSON.stringify(classification.staleInputs),
    created_by: classification.createdBy,
    author_ids: JSON.stringify(classification.authors),
    approved_by: classification.approvedBy,
    approved_at: classification.approvedAt,
    approval_comment: classification.approvalComment,
    version: classification.version,
    created_at: classification.createdAt,
    updated_at: classification.updatedAt,
  };
}

export function toSummary(row: ClassificationTable, aiSystemName: string): ClassificationSummary {
  return { ...commonFields(row), aiSystemName };
}

/** The columns a linked classification shows. */
export type LinkedClassificationRow = Pick<ClassificationTable, 'id' | 'number' | 'status' | 'tier' | 'impact_level' | 'stale' | 'stale_since' | 'stale_inputs'>;

export function toLinkedClassification(row: LinkedClassificationRow): LinkedClassification {
  return {
    id: row.id,
    number: Number(row.number),
    status: row.status as LinkedClassification['status'],
    tier: row.tier as LinkedClassification['tier'],
    impactLevel: row.impact_level as LinkedClassification['impactLevel'],
    stale: row.stale === 1,
    staleSince: row.stale_since,
    staleInputs: JSON.parse(row.stale_inputs) as WatchedInput[],
  };
}

/**
 * Column selections for a query that left-joins classifications under the alias `c`.
 * toJoinedClassification turns the selected columns into a linked classification.
 */
export const joinedClassificationColumns = [
  'c.id as classification_id',
  'c.number as classification_number',
  'c.status as classification_status',
  'c.tier as classification_tier',
  'c.impact_level as classification_impact_level',
  'c.stale as classification_stale',
  'c.stale_since as classification_stale_since',
  'c.stale_inputs as classification_stale_inputs',
] as const;

export interface JoinedClassificationColumns {
  classification_id: string | null;
  classification_number: number | null;
  classification_status: string | null;
  classification_tier: string | null;
  classification_impact_level: string | null;
  classification_stale: number | null;
  classification_stale_since: string | null;
  classification_stale_inputs: string | null;
}

/** Returns the linked classification of a joined row, or null when the join matched none. */
export function toJoinedClassification(row: JoinedClassificationColumns): LinkedClassification | null {
  if (row.classification_id === null) return null;
  return toLinkedClassification({
    id: row.classification_id,
    number: row.classification_number!,
    status: row.classification_status!,
    tier: row.classification_tier!,
    impact_level: row.classification_impact_level!,
    stale: row.classification_stale!,
    stale_since: row.classification_stale_since,
    stale_inputs: row.classification_stale_inputs!,
  });
}

export async function findClassificationRow(db: Db, id: string): Promise<ClassificationTable | undefined> {
  return db.selectFrom('classifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds the approved classification in force for the system, if any. */
export async function findCurrentRow(db: Db, aiSystemId: string): Promise<ClassificationTable | undefined> {
  return db.selectFrom('classifications').selectAll().where('ai_system_id', '=', aiSystemId).where('status', '=', 'approved').executeTakeFirst();
}

export async function findDraftRow(db: Db, aiSystemId: string): Promise<ClassificationTable | undefined> {
  return db.selectFrom('classifications').selectAll().where('ai_system_id', '=', aiSystemId).where('status', '=', 'draft').executeTakeFirst();
}

export async function nextClassificationNumber(db: Db, aiSystemId: string): Promise<number> {
  const row = await db
    .selectFrom('classifications')
    .select((eb) => eb.fn.max<number>('number').as('highest'))
    .where('ai_system_id', '=', aiSystemId)
    .executeTakeFirst();
  return Number(row?.highest ?? 0) + 1;
}

export async function findAiSystemName(db: Db, aiSystemId: string): Promise<string | undefined> {
  const row = await db.selectFrom('ai_systems').select('name').where('id', '=', aiSystemId).executeTakeFirst();
  return row?.name;
}

/** Returns one page of classifications with their AI system names, newest first within each system name. */
export async function queryClassifications(
  db: Db,
  query: ClassificationListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: (ClassificationTable & { ai_system_name: string })[]; total: number }> {
  let base = db.selectFrom('classifications as c').innerJoin('ai_systems as s', 's.id', 'c.ai_system_id');
  if (query.aiSystemId !== undefined) base = base.where('c.ai_system_id', '=', query.aiSystemId);
  if (query.status !== undefined) base = base.where('c.status', '=', query.status);
  if (query.tier !== undefined) base = base.where('c.tier', '=', query.tier);
  if (query.impactLevel !== undefined) base = base.where('c.impact_level', '=', query.impactLevel);
  if (query.stale !== undefined) base = base.where('c.stale', '=', query.stale ? 1 : 0);

  const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('c')
    .select('s.name as ai_system_name')
    .orderBy('s.name')
    .orderBy('c.ai_system_id')
    .orderBy('c.number', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(counted.total) };
}

export interface RiskOwner {
  personId: string;
  name: string;
  scope: 'ai_system' | 'organization';
}

/**
 * Finds the people who hold the risk owner role for each system: those assigned to the system
 * itself, or the organization-wide holders when the system has none.
 */
export async function findRiskOwners(db: Db, aiSystemIds: readonly string[]): Promise<Map<string, RiskOwner[]>> {
  const owners = new Map<string, RiskOwner[]>();
  if (aiSystemIds.length === 0) return owners;
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select(['r.ai_system_id', 'p.id as person_id', 'p.name'])
    .where('r.role', '=', 'risk_owner')
    .where((eb) => eb.or([eb('r.ai_system_id', 'in', [...new Set(aiSystemIds)]), eb('r.ai_system_id', 'is', null)]))
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
  const organizationWide = rows.filter((row) => row.ai_system_id === null).map((row): RiskOwner => ({ personId: row.person_id, name: row.name, scope: 'organization' }));
  for (const id of aiSystemIds) {
    const own = rows.filter((row) => row.ai_system_id === id).map((row): RiskOwner => ({ personId: row.person_id, name: row.name, scope: 'ai_system' }));
    owners.set(id, own.length > 0 ? own : organizationWide);
  }
  return owners;
}

/** `today` is the current UTC date as YYYY-MM-DD; an open review due before it is overdue. */
export function toReview(row: ClassificationReviewTable, aiSystemName: string, riskOwners: RiskOwner[], today: string): ClassificationReview {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    aiSystemName,
    classificationId: row.classification_id,
    status: row.status as ClassificationReview['status'],
    assignedRole: row.assigned_role,
    riskOwners,
    dueDate: row.due_date,
    overdue: row.status === 'open' && row.due_date < today,
    changedInputs: JSON.parse(row.changed_inputs) as WatchedInput[],
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    closedByClassificationId: row.closed_by_classification_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findOpenReviewRow(db: Db, aiSystemId: string): Promise<ClassificationReviewTable | undefined> {
  return db.selectFrom('classification_reviews').selectAll().where('ai_system_id', '=', aiSystemId).where('status', '=', 'open').executeTakeFirst();
}

export async function queryReviews(
  db: Db,
  query: ReviewListQuery,
  today: string,
  limit: number,
  offset: number,
): Promise<{ rows: (ClassificationReviewTable & { ai_system_name: string })[]; total: number }> {
  let base = db.selectFrom('classification_reviews as r').innerJoin('ai_systems as s', 's.id', 'r.ai_system_id');
  if (query.status !== undefined) base = base.where('r.status', '=', query.status);
  if (query.aiSystemId !== undefined) base = base.where('r.ai_system_id', '=', query.aiSystemId);
  if (query.overdue === true) base = base.where('r.status', '=', 'open').where('r.due_date', '<', today);
  if (query.overdue === false) base = base.where((eb) => eb.or([eb('r.status', '<>', 'open'), eb('r.due_date', '>=', today)]));

  const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('r')
    .select('s.name as ai_system_name')
    .orderBy('r.status', 'desc')
    .orderBy('r.due_date')
    .orderBy('r.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(counted.total) };
}

/** Loads the EU AI Act and GDPR items of the catalogue, which obligations are picked from. */
export async function loadCatalogueObligations(db: Db): Promise<CatalogueObligation[]> {
  const rows = await db
    .selectFrom('catalogue_items')
    .select(['ref', 'framework_id', 'item_id', 'title', 'assessable', 'position', 'attributes'])
    .where('framework_id', 'in', [euAiActFrameworkId, gdprFrameworkId])
    .orderBy('framework_id')
    .orderBy('position')
    .execute();
  return rows.map((row) => {
    const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);
    return {
      ref: row.ref,
      frameworkId: row.framework_id,
      itemId: row.item_id,
      title: row.title,
      assessable: row.assessable === 1,
      position: row.position,
      roles: list(attributes.roles),
      appliesTo: list(attributes.appliesTo),
    };
  });
}

/**
 * Reads the AI system facts a classification uses: the record's fields, the model versions
 * deployed in each environment, and the dataset versions those model versions were trained,
 * validated and tested on. Returns undefined when the system does not exist.
 */
export async function readClassificationInputs(db: Db, aiSystemId: string): Promise<ClassificationInputs | undefined> {
  const system = await db.selectFrom('ai_systems').selectAll().where('id', '=', aiSystemId).executeTakeFirst();
  if (!system) return undefined;

  const deployments = await db
    .selectFrom('ai_system_model_versions as d')
    .innerJoin('model_versions as v', 'v.id', 'd.model_version_id')
    .innerJoin('models as m', 'm.id', 'v.model_id')
    .select(['d.model_version_id', 'd.environment', 'v.version_label', 'm.name as model_name'])
    .where('d.ai_system_id', '=', aiSystemId)
    .orderBy('m.name')
    .orderBy('v.version_label')
    .orderBy('d.environment')
    .execute();
  const versionIds = [...new Set(deployments.map((deployment) => deployment.model_version_id))];
  const trainingData = versionIds.length === 0 ? [] : await findTrainingData(db, versionIds);

  return {
    aiSystemVersion: system.version,
    purpose: system.purpose,
    decisionDomain: system.decision_domain,
    dataSources: trainingData.map((entry) => ({
      modelVersionId: entry.modelVersionId,
      datasetId: entry.dataset.id,
      datasetName: entry.dataset.name,
      datasetVersionId: entry.datasetVersion.id,
      versionLabel: entry.datasetVersion.versionLabel,
      purpose: entry.purpose,
    })),
    deploymentEnvironments: JSON.parse(system.deployment_environments) as string[],
    modelVersions: deployments.map((deployment) => ({
      modelVersionId: deployment.model_version_id,
      modelName: deployment.model_name,
      versionLabel: deployment.version_label,
      environment: deployment.environment,
    })),
    affectedGroups: JSON.parse(system.affected_groups) as string[],
    autonomy: system.autonomy,
    organizationRole: system.organization_role,
  };
}
