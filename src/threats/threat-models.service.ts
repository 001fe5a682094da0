import { ensureAiSystemsExist } from '../people/references.js';
import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { insertScenarios } from './threat-scenarios.service.js';
import { loadThreatModelForChange, saveChangedRecord, toRecord } from './threat-model-changes.js';
import { duplicatesOf } from './threat-model.js';
import {
  CreateThreatModel,
  ReviewThreatModel,
  ThreatModelListQuery,
  UpdateThreatModel,
  type AssetInput,
  type ThreatAsset,
  type ThreatModel,
} from './threat-model.schemas.js';
import {
  findTargetedAssets,
  findThreatModel,
  findThreatModelRow,
  findThreatModelRowBySystem,
  queryThreatModels,
  replaceAssets,
  toThreatModelRow,
  type ThreatModelRecord,
} from './threat-models.repository.js';

/**
 * Use cases of threat models: one per AI system, with the system's assets and the threat
 * scenarios against them. Each use case checks access first and audits every change in its
 * transaction. Every change raises the version and returns a reviewed model to draft.
 */

export async function listThreatModels(ctx: ServiceContext, caller: Caller, query: ThreatModelListQuery): Promise<PageOf<ThreatModel>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ThreatModelListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { items, total } = await queryThreatModels(ctx.database.db, parsed, limit, offset);
  return { items, total, limit, offset };
}

export async function getThreatModel(ctx: ServiceContext, caller: Caller, id: string): Promise<ThreatModel> {
  authorize(caller, 'register.read');
  const model = await findThreatModel(ctx.database.db, id);
  if (!model) throw notFound('threat model', id);
  return model;
}

export async function createThreatModel(ctx: ServiceContext, caller: Caller, input: CreateThreatModel, reason?: string | null): Promise<ThreatModel> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(CreateThreatModel, input);
  return writeTransaction(ctx.database, async (trx) => {
    await ensureAiSystemsExist(trx, [{ id: parsed.aiSystemId, path: '/aiSystemId' }]);
    const existing = await findThreatModelRowBySystem(trx, parsed.aiSystemId);
    if (existing) {
      throw new AppError(
        'CONFLICT',
        `The AI system ${parsed.aiSystemId} already has the threat model "${existing.title}" (${existing.id}); change that one instead of starting another`,
        [{ path: '/aiSystemId', message: `already has threat model ${existing.id}` }],
      );
    }
    const assets = normalizeAssets(parsed.assets ?? [], '/assets');
    const system = await trx.selectFrom('ai_systems').select('name').where('id', '=', parsed.aiSystemId).executeTakeFirstOrThrow();

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const record: ThreatModelRecord = {
      id: newId(),
      aiSystemId: parsed.aiSystemId,
      title: parsed.title?.trim() ?? `Threat model of ${system.name}`,
      scope: parsed.scope ?? '',
      status: 'draft',
      editedBy: [caller.userId],
      lastReview: null,
      createdBy: caller.userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await trx.insertInto('threat_models').values(toThreatModelRow(record)).execute();
    await replaceAssets(trx, record.id, assets);
    await insertScenarios(trx, caller, now, record, assets, parsed.scenarios ?? [], (index) => `/scenarios/${index}`);

    const stored = (await findThreatModel(trx, record.id))!;
    await appendAuditEvent(trx, caller, now, { action: 'threat_model.created', recordId: stored.id, after: stored, reason: reason ?? null });
    return stored;
  });
}

export async function updateThreatModel(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateThreatModel, options: ChangeOptions = {}): Promise<ThreatModel> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(UpdateThreatModel, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadThreatModelForChange(trx, id, options.expectedVersion);
    if (parsed.assets !== undefined) {
      const assets = normalizeAssets(parsed.assets, '/assets');
      await ensureTargetedAssetsKept(trx, before, assets);
      await replaceAssets(trx, id, assets);
    }
    const now = ctx.clock.now();
    await saveChangedRecord(trx, caller, now, before, {
      title: parsed.title?.trim() ?? before.title,
      scope: parsed.scope ?? before.scope,
    });
    const after = (await findThreatModel(trx, id))!;
    await appendAuditEvent(trx, caller, now, { action: 'threat_model.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Removes a threat model with its assets and scenarios; the audit event keeps all of them. Linked risks stay in the register. */
export async function deleteThreatModel(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'threats.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadThreatModelForChange(trx, id, options.expectedVersion);
    const scenarioIds = before.scenarios.map((scenario) => scenario.id);
    if (scenarioIds.length > 0) {
      await trx.deleteFrom('threat_scenario_risks').where('scenario_id', 'in', scenarioIds).execute();
      await trx.deleteFrom('threat_scenario_assets').where('scenario_id', 'in', scenarioIds).execute();
      await trx.deleteFrom('threat_scenarios').where('id', 'in', scenarioIds).execute();
    }
    await trx.deleteFrom('threat_model_assets').where('threat_model_id', '=', id).execute();
    await trx.deleteFrom('threat_models').where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'threat_model.deleted', recordId: id, before, reason: options.reason ?? null });
  });
}

/**
 * Marks the current version as reviewed. The reviewer needs threats.write and must not be among
 * the users who changed the model since its last review, so that a review is always a second
 * pair of eyes. A model without scenarios has nothing to review yet.
 */
export async function reviewThreatModel(ctx: ServiceContext, caller: Caller, id: string, input: ReviewThreatModel, options: ChangeOptions = {}): Promise<ThreatModel> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(ReviewThreatModel, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadThreatModelForChange(trx, id, options.expectedVersion);
    if (before.status === 'reviewed') {
      throw new AppError('CONFLICT', `The threat model "${before.title}" is already reviewed at version ${before.version}; change it before reviewing it again`);
    }
    if (before.editedBy.includes(caller.userId)) {
      throw new AppError(
        'FORBIDDEN',
        `${caller.username} changed the threat model "${before.title}" since its last review, so may not review it; someone with threats.write who did not edit it must review it`,
      );
    }
    if (before.scenarios.length === 0) {
      throw new AppError('CONFLICT', `The threat model "${before.title}" has no threat scenarios; add at least one scenario before the review`);
    }

    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const version = before.version + 1;
    const record: ThreatModelRecord = {
      ...toRecord(before),
      status: 'reviewed',
      editedBy: [],
      lastReview: { reviewedBy: caller.userId, reviewedAt: timestamp, reviewedVersion: version, comment: parsed.comment?.trim() || null },
      version,
      updatedAt: timestamp,
    };
    await trx.updateTable('threat_models').set(toThreatModelRow(record)).where('id', '=', id).where('version', '=', before.version).execute();
    const after: ThreatModel = { ...before, ...record };
    await appendAuditEvent(trx, caller, now, { action: 'threat_model.reviewed', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Trims asset names and rejects repeated keys, naming each. */
function normalizeAssets(assets: readonly AssetInput[], path: string): ThreatAsset[] {
  const repeated = duplicatesOf(assets.map((asset) => asset.key));
  if (repeated.length > 0) {
    throw validationFailed(
      repeated.map((key) => ({ path: `${path}/${assets.findLastIndex((asset) => asset.key === key)}/key`, message: `repeats the asset key "${key}"; each asset needs its own key` })),
    );
  }
  return assets.map((asset) => ({ key: asset.key, name: asset.name.trim(), kind: asset.kind, description: asset.description ?? '' }));
}

/** Rejects a new asset list that drops an asset some scenario still targets, naming the scenarios. */
async function ensureTargetedAssetsKept(trx: Db, model: ThreatModel, assets: readonly ThreatAsset[]): Promise<void> {
  const keptKeys = new Set(assets.map((asset) => asset.key));
  const targeted = await findTargetedAssets(trx, model.id);
  const problems: ErrorDetail[] = [...targeted.entries()]
    .filter(([key]) => !keptKeys.has(key))
    .map(([key, scenarios]) => ({ path: '/assets', message: `drops the asset "${key}", which the scenarios ${scenarios.map((title) => `"${title}"`).join(', ')} target` }));
  if (problems.length > 0) {
    throw new AppError(
      'CONFLICT',
      `The new asset list of the threat model "${model.title}" drops assets that scenarios target; remove them from those scenarios first, or keep the assets`,
      problems,
    );
  }
}
