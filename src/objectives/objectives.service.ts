import { requireCatalogueItems } from '../catalogue/catalogue.repository.js';
import { ensureAiSystemsExist, ensurePeopleExist } from '../people/references.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ObjectiveMeasurementTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { isTargetMet } from './objective.js';
import {
  CreateObjective,
  MeasurementListQuery,
  ObjectiveListQuery,
  RecordMeasurement,
  UpdateObjective,
  type Measurement,
  type Objective,
  type RecordedMeasurement,
} from './objective.schemas.js';
import {
  findLatestMeasurementRow,
  findMeasurementRows,
  findObjective,
  queryMeasurements,
  queryObjectives,
  replaceLinks,
  toMeasurement,
  toObjectiveRow,
} from './objectives.repository.js';

/**
 * Use cases of AI objectives (clause 6.2) and their KPI history. Each checks access first and
 * audits every change in its transaction. The current value changes only by recording a
 * measurement, so the history explains every value an objective has shown.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listObjectives(ctx: ServiceContext, caller: Caller, query: ObjectiveListQuery): Promise<PageOf<Objective>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ObjectiveListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryObjectives(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getObjective(ctx: ServiceContext, caller: Caller, id: string): Promise<Objective> {
  authorize(caller, 'register.read');
  const objective = await findObjective(ctx.database.db, id);
  if (!objective) throw notFound('objective', id);
  return objective;
}

export async function createObjective(ctx: ServiceContext, caller: Caller, input: CreateObjective, reason?: string | null): Promise<Objective> {
  authorize(caller, 'objectives.write');
  const parsed = parseWith(CreateObjective, input);
  return writeTransaction(ctx.database, (trx) => insertObjective(trx, caller, ctx.clock.now(), parsed, reason ?? null));
}

/** Inserts an objective inside the caller's write transaction, with its audit event. */
export async function insertObjective(trx: Db, caller: Caller, now: Date, input: CreateObjective, reason: string | null = null): Promise<Objective> {
  authorize(caller, 'objectives.write');
  const parsed = parseWith(CreateObjective, input);
  const timestamp = toTimestamp(now);
  const objective: Objective = {
    id: newId(),
    title: parsed.title.trim(),
    description: parsed.description ?? '',
    metricName: parsed.metricName.trim(),
    targetValue: parsed.targetValue,
    unit: parsed.unit?.trim() ?? '',
    direction: parsed.direction,
    ownerPersonId: parsed.ownerPersonId,
    dueDate: parsed.dueDate,
    status: parsed.status ?? 'planned',
    catalogueRefs: parsed.catalogueRefs ?? [],
    aiSystemIds: parsed.aiSystemIds ?? [],
    currentValue: null,
    measuredAt: null,
    targetMet: null,
    createdBy: caller.userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await checkReferences(trx, objective, { owner: true, catalogueRefs: true, aiSystemIds: true });
  await trx.insertInto('objectives').values(toObjectiveRow(objective)).execute();
  await replaceLinks(trx, objective.id, { catalogueRefs: objective.catalogueRefs, aiSystemIds: objective.aiSystemIds });
  // Read back, so that links come in the same order as every later read.
  const stored = (await findObjective(trx, objective.id))!;
  await appendAuditEvent(trx, caller, now, { action: 'objective.created', recordId: stored.id, after: stored, reason });
  return stored;
}

export async function updateObjective(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateObjective, options: ChangeOptions = {}): Promise<Objective> {
  authorize(caller, 'objectives.write');
  const parsed = parseWith(UpdateObjective, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const merged = {
      ...before,
      ...parsed,
      title: parsed.title?.trim() ?? before.title,
      metricName: parsed.metricName?.trim() ?? before.metricName,
      unit: parsed.unit?.trim() ?? before.unit,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    // A new target or direction changes whether the current value meets it.
    const after: Objective = { ...merged, targetMet: isTargetMet(merged.direction, merged.targetValue, merged.currentValue) };

    await checkReferences(trx, after, {
      owner: parsed.ownerPersonId !== undefined,
      catalogueRefs: parsed.catalogueRefs !== undefined,
      aiSystemIds: parsed.aiSystemIds !== undefined,
    });
    await trx.updateTable('objectives').set(toObjectiveRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await replaceLinks(trx, id, { catalogueRefs: parsed.catalogueRefs, aiSystemIds: parsed.aiSystemIds });
    const stored = (await findObjective(trx, id))!;
    await appendAuditEvent(trx, caller, now, { action: 'objective.updated', recordId: id, before, after: stored, reason: options.reason ?? null });
    return stored;
  });
}

/** Removes an objective with its measurement history; the audit event keeps the history. */
export async function deleteObjective(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'objectives.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const measurements = (await findMeasurementRows(trx, id)).map(toMeasurement);
    await trx.deleteFrom('objective_measurements').where('objective_id', '=', id).execute();
    await trx.deleteFrom('objective_links').where('objective_id', '=', id).execute();
    await trx.deleteFrom('objective_ai_systems').where('objective_id', '=', id).execute();
    await trx.deleteFrom('objectives').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), {
      action: 'objective.deleted',
      recordId: id,
      before: { ...before, measurements },
      reason: options.reason ?? null,
    });
  });
}

export async function listMeasurements(ctx: ServiceContext, caller: Caller, objectiveId: string, query: MeasurementListQuery): Promise<PageOf<Measurement>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(MeasurementListQuery, query);
  const db = ctx.database.db;
  if (!(await findObjective(db, objectiveId))) throw notFound('objective', objectiveId);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryMeasurements(db, objectiveId, parsed, limit, offset);
  return { items: rows.map(toMeasurement), total, limit, offset };
}

/**
 * Records a KPI value. The objective's current value is the value of its latest measurement by
 * measuredAt, so a value measured earlier than the current one joins the history only.
 */
export async function recordMeasurement(
  ctx: ServiceContext,
  caller: Caller,
  objectiveId: string,
  input: RecordMeasurement,
  options: ChangeOptions = {},
): Promise<RecordedMeasurement> {
  authorize(caller, 'objectives.write');
  const parsed = parseWith(RecordMeasurement, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, objectiveId, options.expectedVersion);
    const now = ctx.clock.now();
    const measuredAt = parsed.measuredAt === undefined ? now : new Date(parsed.measuredAt);
    if (measuredAt.getTime() > now.getTime()) {
      throw validationFailed([
        { path: '/measuredAt', message: `must not lie in the future (received "${parsed.measuredAt}", now is ${toTimestamp(now)}); record the value once it is measured` },
      ]);
    }

    const row: ObjectiveMeasurementTable = {
      id: newId(),
      objective_id: objectiveId,
      value: parsed.value,
      measured_at: toTimestamp(measuredAt),
      note: parsed.note?.trim() ?? '',
      recorded_by: caller.userId,
      recorded_at: toTimestamp(now),
    };
    await trx.insertInto('objective_measurements').values(row).execute();
    const latest = (await findLatestMeasurementRow(trx, objectiveId))!;
    const currentValue = Number(latest.value);
    const after: Objective = {
      ...before,
      currentValue,
      measuredAt: latest.measured_at,
      targetMet: isTargetMet(before.direction, before.targetValue, currentValue),
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await trx.updateTable('objectives').set(toObjectiveRow(after)).where('id', '=', objectiveId).where('version', '=', before.version).execute();
    const measurement = toMeasurement(row);
    await appendAuditEvent(trx, caller, now, {
      action: 'objective.measurement_recorded',
      recordId: objectiveId,
      before,
      after: { ...after, measurement },
      reason: options.reason ?? null,
    });
    return { objective: after, measurement };
  });
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Objective> {
  const objective = await findObjective(trx, id);
  if (!objective) throw notFound('objective', id);
  if (expectedVersion !== undefined && objective.version !== expectedVersion) {
    throw versionMismatch('objective', id, expectedVersion, objective.version);
  }
  return objective;
}

async function checkReferences(trx: Db, objective: Objective, changed: { owner: boolean; catalogueRefs: boolean; aiSystemIds: boolean }): Promise<void> {
  if (changed.owner) await ensurePeopleExist(trx, [{ id: objective.ownerPersonId, path: '/ownerPersonId' }]);
  if (changed.catalogueRefs) {
    await requireCatalogueItems(
      trx,
      objective.catalogueRefs.map((ref, index) => ({ ref, path: `/catalogueRefs/${index}` })),
    );
  }
  if (changed.aiSystemIds) {
    await ensureAiSystemsExist(
      trx,
      objective.aiSystemIds.map((id, index) => ({ id, path: `/aiSystemIds/${index}` })),
    );
  }
}
