import { appendAuditEvent, appendAuditEvents, type AuditEntry } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { Tables } from '../platform/database/schema.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { allowedNextStages, isTransitionAllowed } from './ai-system.js';
import {
  AiSystemListQuery,
  CreateAiSystem,
  LifecycleTransitionRequest,
  UpdateAiSystem,
  type AiSystem,
  type AiSystemWithClassification,
  type LifecycleTransition,
} from './ai-system.schemas.js';
import { markClassificationStaleIfInputsChanged } from '../classification/reevaluation.service.js';
import { toRaciAssignment } from '../people/raci-assignments.repository.js';
import { toRoleAssignment } from '../people/role-assignments.repository.js';
import {
  findAiSystemRow,
  findAiSystemWithClassification,
  queryAiSystems,
  toAiSystem,
  toAiSystemWithClassification,
  toLifecycleTransition,
  toRow,
} from './ai-systems.repository.js';

/**
 * Use cases of the AI system register. Each checks access first and audits every change in its
 * transaction. Systems are returned with their current classification, whose stale flag shows
 * that a change calls for a review. The audit trail records the register fields only.
 */

export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function listAiSystems(ctx: ServiceContext, caller: Caller, query: AiSystemListQuery): Promise<PageOf<AiSystemWithClassification>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(AiSystemListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryAiSystems(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toAiSystemWithClassification), total, limit, offset };
}

export async function getAiSystem(ctx: ServiceContext, caller: Caller, id: string): Promise<AiSystemWithClassification> {
  authorize(caller, 'register.read');
  const system = await findAiSystemWithClassification(ctx.database.db, id);
  if (!system) throw notFound('AI system', id);
  return system;
}

export async function createAiSystem(ctx: ServiceContext, caller: Caller, input: CreateAiSystem, reason?: string | null): Promise<AiSystemWithClassification> {
  authorize(caller, 'ai_systems.write');
  const parsed = parseWith(CreateAiSystem, input);
  return writeTransaction(ctx.database, async (trx) => {
    const [created] = await insertAiSystems(trx, caller, ctx.clock.now(), [parsed], reason ?? null);
    // A new system has no classification yet.
    return { ...created!, classification: null };
  });
}

/**
 * Inserts already validated systems inside the caller's write transaction, with one audit event
 * each. The importer uses this to write a whole file or nothing.
 */
export async function insertAiSystems(
  trx: Db,
  caller: Caller,
  now: Date,
  inputs: readonly CreateAiSystem[],
  reason: string | null,
): Promise<AiSystem[]> {
  authorize(caller, 'ai_systems.write');
  const timestamp = toTimestamp(now);
  const systems = inputs.map((input): AiSystem => ({
    id: newId(),
    name: input.name.trim(),
    purpose: input.purpose,
    intendedUse: input.intendedUse ?? '',
    foreseeableMisuse: input.foreseeableMisuse ?? '',
    businessUnit: input.businessUnit.trim(),
    ownerId: input.ownerId ?? null,
    lifecycleStage: input.lifecycleStage ?? 'concept',
    organizationRole: input.organizationRole ?? 'deployer',
    deploymentEnvironments: input.deploymentEnvironments ?? [],
    autonomy: input.autonomy ?? 'human_in_the_loop',
    affectedGroups: input.affectedGroups ?? [],
    decisionDomain: input.decisionDomain ?? '',
    inScope: input.inScope ?? true,
    scopeJustification: input.scopeJustification ?? '',
    legalBasis: input.legalBasis ?? '',
    impactAssessmentStatus: input.impactAssessmentStatus ?? 'unknown',
    publishedAt: input.publishedAt ?? null,
    sourceUrl: input.sourceUrl ?? null,
    externalId: input.externalId ?? null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  }));

  await ensureOwnersExist(trx, systems.map((system) => system.ownerId));
  await ensureNamesFree(trx, systems);

  try {
    for (let start = 0; start < systems.length; start += 200) {
      await trx.insertInto('ai_systems').values(systems.slice(start, start + 200).map(toRow)).execute();
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(systems.length === 1 ? systems[0]! : undefined);
    throw error;
  }

  const entries: AuditEntry[] = systems.map((system) => ({ action: 'ai_system.created', recordId: system.id, after: system, reason }));
  await appendAuditEvents(trx, caller, now, entries);
  return systems;
}

export async function updateAiSystem(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  patch: UpdateAiSystem,
  options: ChangeOptions = {},
): Promise<AiSystemWithClassification> {
  authorize(caller, 'ai_systems.write');
  const parsed = parseWith(UpdateAiSystem, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: AiSystem = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      businessUnit: parsed.businessUnit?.trim() ?? before.businessUnit,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (parsed.ownerId !== undefined) await ensureOwnersExist(trx, [after.ownerId]);
    if (after.name !== before.name || after.businessUnit !== before.businessUnit) await ensureNamesFree(trx, [after]);

    try {
      const result = await trx
        .updateTable('ai_systems')
        .set(toRow(after))
        .where('id', '=', id)
        .where('version', '=', before.version)
        .executeTakeFirst();
      // The write lock makes this impossible today; the guard keeps an update from ever being lost.
      if (Number(result.numUpdatedRows) !== 1) throw versionMismatch('AI system', id, before.version, before.version + 1);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(after);
      throw error;
    }
    await appendAuditEvent(trx, caller, now, { action: 'ai_system.updated', recordId: id, before, after, reason: options.reason ?? null });
    await markClassificationStaleIfInputsChanged(trx, caller, now, id, options.reason ?? null);
    // Read back after the stale check, so that the response shows a classification this change made stale.
    return (await findAiSystemWithClassification(trx, id))!;
  });
}

export async function deleteAiSystem(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'ai_systems.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    await ensureNoGovernanceRecords(trx, before);
    const reason = options.reason ?? null;
    const dependents = await describeDependents(trx, id, reason);
    await trx.deleteFrom('ai_systems').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvents(trx, caller, ctx.clock.now(), [...dependents, { action: 'ai_system.deleted', recordId: id, before, reason }]);
  });
}

/** Moves a system to another lifecycle stage, recording who, when and why. */
export async function changeLifecycleStage(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  request: LifecycleTransitionRequest,
  options: Pick<ChangeOptions, 'expectedVersion'> = {},
): Promise<{ aiSystem: AiSystemWithClassification; transition: LifecycleTransition }> {
  authorize(caller, 'ai_systems.write');
  const parsed = parseWith(LifecycleTransitionRequest, request);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadForChange(trx, id, options.expectedVersion);
    if (!isTransitionAllowed(before.lifecycleStage, parsed.toStage)) {
      const allowed = allowedNextStages(before.lifecycleStage).join(', ');
      throw new AppError(
        'CONFLICT',
        `The AI system "${before.name}" is in stage ${before.lifecycleStage} and cannot move to ${parsed.toStage}; from ${before.lifecycleStage} it may move to ${allowed}`,
        [{ path: '/toStage', message: `must be one of ${allowed}` }],
      );
    }

    const now = ctx.clock.now();
    const after: AiSystem = { ...before, lifecycleStage: parsed.toStage, version: before.version + 1, updatedAt: toTimestamp(now) };
    const transition: LifecycleTransition = {
      id: newId(),
      aiSystemId: id,
      fromStage: before.lifecycleStage,
      toStage: parsed.toStage,
      actorId: caller.userId,
      reason: parsed.reason,
      occurredAt: toTimestamp(now),
    };
    await trx.updateTable('ai_systems').set(toRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await trx
      .insertInto('lifecycle_transitions')
      .values({
        id: transition.id,
        ai_system_id: id,
        from_stage: transition.fromStage,
        to_stage: transition.toStage,
        actor_id: transition.actorId,
        reason: transition.reason,
        occurred_at: transition.occurredAt,
      })
      .execute();
    await appendAuditEvent(trx, caller, now, { action: 'ai_system.lifecycle_changed', recordId: id, before, after, reason: parsed.reason });
    return { aiSystem: (await findAiSystemWithClassification(trx, id))!, transition };
  });
}

export async function listLifecycleTransitions(ctx: ServiceContext, caller: Caller, id: string): Promise<LifecycleTransition[]> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  if (!(await findAiSystemRow(db, id))) throw notFound('AI system', id);
  const rows = await db.selectFrom('lifecycle_transitions').selectAll().where('ai_system_id', '=', id).orderBy('occurred_at').orderBy('id').execute();
  return rows.map(toLifecycleTransition);
}

/**
 * Lists audit entries for the records that the database deletes with a system (role and RACI
 * assignments, model version deployments), so that the cascade leaves a trace in the trail.
 * Lifecycle transitions go too, but each of them is already in the trail as a lifecycle change.
 */
/**
 * Keeps a system in the register while governance records point to it: evidence, AI objectives,
 * classifications, risks, threat models, red-team exercises and impact assessments are the
 * organization's history, so they must be removed or unlinked on purpose, or the system retired.
 */
async function ensureNoGovernanceRecords(trx: Db, system: AiSystem): Promise<void> {
  const count = async (query: { executeTakeFirstOrThrow(): Promise<{ count: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).count);
  const countAll = (eb: ExpressionBuilder<Tables, keyof Tables>) => eb.fn.countAll<number>().as('count');
  const id = system.id;
  const found = {
    evidence: await count(trx.selectFrom('evidence_links').select(countAll).where('target_type', '=', 'ai_system').where('target_id', '=', id)),
    objectives: await count(trx.selectFrom('objective_ai_systems').select(countAll).where('ai_system_id', '=', id)),
    classifications: await count(trx.selectFrom('classifications').select(countAll).where('ai_system_id', '=', id)),
    risks: await count(trx.selectFrom('risks').select(countAll).where('ai_system_id', '=', id)),
    threatModels: await count(trx.selectFrom('threat_models').select(countAll).where('ai_system_id', '=', id)),
    redTeamExercises: await count(trx.selectFrom('red_team_exercises').select(countAll).where('ai_system_id', '=', id)),
    impactAssessments: await count(trx.selectFrom('impact_assessments').select(countAll).where('ai_system_id', '=', id)),
    measurements: await count(trx.selectFrom('measurement_runs').select(countAll).where('ai_system_id', '=', id)),
    monitoringTasks: await count(trx.selectFrom('monitoring_tasks').select(countAll).where('ai_system_id', '=', id)),
  };
  const where: Record<keyof typeof found, string> = {
    evidence: `unlink the evidence listed at GET /api/evidence?linkedTo=ai_system:${id}`,
    objectives: `remove the system from the AI objectives listed at GET /api/objectives?aiSystemId=${id}`,
    classifications: `classifications are kept as history; see GET /api/ai-systems/${id}/classification`,
    risks: `move or close the risks listed at GET /api/risks?aiSystemId=${id}`,
    threatModels: `the threat model at GET /api/threat-models?aiSystemId=${id}`,
    redTeamExercises: `the exercises listed at GET /api/red-team-exercises?aiSystemId=${id}`,
    impactAssessments: `impact assessments are kept as history; see GET /api/impact-assessments?aiSystemId=${id}`,
    measurements: `measurement runs are kept as evidence; see GET /api/ai-systems/${id}/measurements`,
    monitoringTasks: `monitoring tasks are kept as history; see GET /api/monitoring-tasks?aiSystemId=${id}`,
  };
  const details = (Object.keys(found) as (keyof typeof found)[])
    .filter((key) => found[key] > 0)
    .map((key) => ({ path: key, message: `${found[key]} record(s): ${where[key]}` }));
  if (details.length > 0) {
    throw new AppError(
      'CONFLICT',
      `The AI system "${system.name}" cannot be deleted while governance records refer to it (${details.map((detail) => detail.path).join(', ')}); retire it instead, or remove those records first`,
      details,
    );
  }
}

async function describeDependents(trx: Db, aiSystemId: string, reason: string | null): Promise<AuditEntry[]> {
  const [roles, raci, deployments] = await Promise.all([
    trx.selectFrom('role_assignments').selectAll().where('ai_system_id', '=', aiSystemId).execute(),
    trx.selectFrom('raci_assignments').selectAll().where('ai_system_id', '=', aiSystemId).execute(),
    trx.selectFrom('ai_system_model_versions').selectAll().where('ai_system_id', '=', aiSystemId).execute(),
  ]);
  return [
    ...roles.map((row): AuditEntry => ({ action: 'role_assignment.deleted', recordId: row.id, before: toRoleAssignment(row), reason })),
    ...raci.map((row): AuditEntry => ({ action: 'raci_assignment.deleted', recordId: row.id, before: toRaciAssignment(row), reason })),
    ...deployments.map(
      (row): AuditEntry => ({
        action: 'ai_system.model_version_unlinked',
        recordId: aiSystemId,
        before: { aiSystemId: row.ai_system_id, modelVersionId: row.model_version_id, environment: row.environment },
        reason,
      }),
    ),
  ];
}

async function loadForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<AiSystem> {
  const row = await findAiSystemRow(trx, id);
  if (!row) throw notFound('AI system', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('AI system', id, expectedVersion, row.version);
  }
  return toAiSystem(row);
}

async function ensureOwnersExist(trx: Db, ownerIds: readonly (string | null)[]): Promise<void> {
  const ownerIdsToCheck = [...new Set(ownerIds.filter((id): id is string => id !== null))];
  if (ownerIdsToCheck.length === 0) return;
  const found = await trx.selectFrom('people').select('id').where('id', 'in', ownerIdsToCheck).execute();
  const known = new Set(found.map((row) => row.id));
  const missing = ownerIdsToCheck.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw validationFailed(missing.map((id) => ({ path: '/ownerId', message: `no person with id "${id}" exists; create the person first or leave ownerId null` })));
  }
}

/** Rejects names already used in the same business unit, by existing systems or within the batch. */
async function ensureNamesFree(trx: Db, systems: readonly AiSystem[]): Promise<void> {
  const seen = new Set<string>();
  for (const system of systems) {
    const key = `${system.businessUnit}\u0000${system.name}`;
    if (seen.has(key)) throw nameTaken(system);
    seen.add(key);
  }
  for (let start = 0; start < systems.length; start += 200) {
    const chunk = systems.slice(start, start + 200);
    const clashes = await trx
      .selectFrom('ai_systems')
      .select(['id', 'name', 'business_unit'])
      .where('name', 'in', chunk.map((system) => system.name))
      .execute();
    for (const clash of clashes) {
      const system = chunk.find((candidate) => candidate.name === clash.name && candidate.businessUnit === clash.business_unit && candidate.id !== clash.id);
      if (system) throw nameTaken(system);
    }
  }
}

function nameTaken(system: AiSystem | undefined): AppError {
  if (!system) {
    return new AppError('CONFLICT', 'Another AI system in the same business unit already has one of these names; names must be unique within a business unit');
  }
  return new AppError(
    'CONFLICT',
    `An AI system named "${system.name}" already exists in business unit "${system.businessUnit}"; choose another name or update the existing system`,
    [{ path: '/name', message: 'must be unique within its business unit' }],
  );
}
