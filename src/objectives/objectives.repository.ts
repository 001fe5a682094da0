import { sql, type SqlBool } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { ObjectiveMeasurementTable, ObjectiveTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import { isTargetMet, type ObjectiveDirection, type ObjectiveStatus } from './objective.js';
import type { Measurement, MeasurementListQuery, Objective, ObjectiveListQuery, ObjectiveSortKey } from './objective.schemas.js';

/** Reads and writes objectives, their links and measurements, and turns rows into the API's shape. */

const sortColumns: Record<ObjectiveSortKey, keyof ObjectiveTable> = {
  title: 'title',
  dueDate: 'due_date',
  status: 'status',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

interface ObjectiveLinks {
  catalogueRefs: string[];
  aiSystemIds: string[];
}

export function toObjective(row: ObjectiveTable, links: ObjectiveLinks): Objective {
  const direction = row.direction as ObjectiveDirection;
  const targetValue = Number(row.target_value);
  const currentValue = row.current_value === null ? null : Number(row.current_value);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    metricName: row.metric_name,
    targetValue,
    unit: row.unit,
    direction,
    ownerPersonId: row.owner_person_id,
    dueDate: row.due_date,
    status: row.status as ObjectiveStatus,
    catalogueRefs: [...links.catalogueRefs],
    aiSystemIds: [...links.aiSystemIds],
    currentValue,
    measuredAt: row.measured_at,
    targetMet: isTargetMet(direction, targetValue, currentValue),
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toObjectiveRow(objective: Objective): ObjectiveTable {
  return {
    id: objective.id,
    title: objective.title,
    description: objective.description,
    metric_name: objective.metricName,
    target_value: objective.targetValue,
    unit: objective.unit,
    direction: objective.direction,
    current_value: objective.currentValue,
    measured_at: objective.measuredAt,
    owner_person_id: objective.ownerPersonId,
    due_date: objective.dueDate,
    status: objective.status,
    created_by: objective.createdBy,
    version: objective.version,
    created_at: objective.createdAt,
    updated_at: objective.updatedAt,
  };
}

export function toMeasurement(row: ObjectiveMeasurementTable): Measurement {
  return {
    id: row.id,
    objectiveId: row.objective_id,
    value: Number(row.value),
    measuredAt: row.measured_at,
    note: row.note,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

export async function findObjective(db: Db, id: string): Promise<Objective | undefined> {
  const row = await db.selectFrom('objectives').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const links = await findLinks(db, [id]);
  return toObjective(row, links.get(id) ?? { catalogueRefs: [], aiSystemIds: [] });
}

/** Catalogue refs (in catalogue order) and AI system ids (by name) linked to each objective. */
async function findLinks(db: Db, objectiveIds: readonly string[]): Promise<Map<string, ObjectiveLinks>> {
  const links = new Map<string, ObjectiveLinks>();
  if (objectiveIds.length === 0) return links;
  const ids = [...new Set(objectiveIds)];
  const [refs, systems] = await Promise.all([
    db
      .selectFrom('objective_links')
      .innerJoin('catalogue_items', 'catalogue_items.ref', 'objective_links.catalogue_ref')
      .select(['objective_links.objective_id', 'objective_links.catalogue_ref'])
      .where('objective_links.objective_id', 'in', ids)
      .orderBy('catalogue_items.framework_id')
      .orderBy('catalogue_items.position')
      .execute(),
    db
      .selectFrom('objective_ai_systems')
      .innerJoin('ai_systems', 'ai_systems.id', 'objective_ai_systems.ai_system_id')
      .select(['objective_ai_systems.objective_id', 'objective_ai_systems.ai_system_id'])
      .where('objective_ai_systems.objective_id', 'in', ids)
      .orderBy('ai_systems.name')
      .orderBy('ai_systems.id')
      .execute(),
  ]);
  const entry = (id: string): ObjectiveLinks => {
    let found = links.get(id);
    if (!found) {
      found = { catalogueRefs: [], aiSystemIds: [] };
      links.set(id, found);
    }
    return found;
  };
  for (const row of refs) entry(row.objective_id).catalogueRefs.push(row.catalogue_ref);
  for (const row of systems) entry(row.objective_id).aiSystemIds.push(row.ai_system_id);
  return links;
}

export async function replaceLinks(trx: Db, objectiveId: string, links: Partial<ObjectiveLinks>): Promise<void> {
  if (links.catalogueRefs) {
    await trx.deleteFrom('objective_links').where('objective_id', '=', objectiveId).execute();
    if (links.catalogueRefs.length > 0) {
      await trx
        .insertInto('objective_links')
        .values(links.catalogueRefs.map((ref) => ({ objective_id: objectiveId, catalogue_ref: ref })))
        .execute();
    }
  }
  if (links.aiSystemIds) {
    await trx.deleteFrom('objective_ai_systems').where('objective_id', '=', objectiveId).execute();
    if (links.aiSystemIds.length > 0) {
      await trx
        .insertInto('objective_ai_systems')
        .values(links.aiSystemIds.map((aiSystemId) => ({ objective_id: objectiveId, ai_system_id: aiSystemId })))
        .execute();
    }
  }
}

/** SQL condition that the current value meets the target, mirroring isTargetMet. */
const targetMetCondition = sql<SqlBool>`(current_value is not null and (
  (direction = 'at_least' and current_value >= target_value)
  or (direction = 'at_most' and current_value <= target_value)
  or (direction = 'equal' and current_value = target_value)))`;

export async function queryObjectives(db: Db, query: ObjectiveListQuery, limit: number, offset: number): Promise<{ items: Objective[]; total: number }> {
  let filtered = db.selectFrom('objectives');
  if (query.q) filtered = filtered.where(containsText(['title', 'description', 'metric_name'], query.q));
  if (query.status) filtered = filtered.where('status', '=', query.status);
  if (query.ownerPersonId) filtered = filtered.where('owner_person_id', '=', query.ownerPersonId);
  if (query.dueBefore) filtered = filtered.where('due_date', '<=', query.dueBefore);
  if (query.targetMet === true) filtered = filtered.where(targetMetCondition);
  if (query.targetMet === false) filtered = filtered.where('current_value', 'is not', null).where(sql<SqlBool>`not ${targetMetCondition}`);
  if (query.catalogueRef) {
    const ref = query.catalogueRef;
    filtered = filtered.where('id', 'in', (eb) => eb.selectFrom('objective_links').select('objective_id').where('catalogue_ref', '=', ref));
  }
  if (query.aiSystemId) {
    const aiSystemId = query.aiSystemId;
    filtered = filtered.where('id', 'in', (eb) => eb.selectFrom('objective_ai_systems').select('objective_id').where('ai_system_id', '=', aiSystemId));
  }
  const { key, order } = parseSort<ObjectiveSortKey>(query.sort ?? 'dueDate');

  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(sortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const links = await findLinks(db, rows.map((row) => row.id));
  return { items: rows.map((row) => toObjective(row, links.get(row.id) ?? { catalogueRefs: [], aiSystemIds: [] })), total: Number(count.total) };
}

export async function findMeasurementRows(db: Db, objectiveId: string): Promise<ObjectiveMeasurementTable[]> {
  return db.selectFrom('objective_measurements').selectAll().where('objective_id', '=', objectiveId).orderBy('measured_at').orderBy('recorded_at').execute();
}

/** Finds the measurement that counts as current: the latest taken, and of those the latest recorded. */
export async function findLatestMeasurementRow(db: Db, objectiveId: string): Promise<ObjectiveMeasurementTable | undefined> {
  return db
    .selectFrom('objective_measurements')
    .selectAll()
    .where('objective_id', '=', objectiveId)
    .orderBy('measured_at', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function queryMeasurements(
  db: Db,
  objectiveId: string,
  query: MeasurementListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: ObjectiveMeasurementTable[]; total: number }> {
  const filtered = db.selectFrom('objective_measurements').where('objective_id', '=', objectiveId);
  const { order } = parseSort<'measuredAt'>(query.sort ?? 'measuredAt');
  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy('measured_at', order).orderBy('recorded_at', order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
