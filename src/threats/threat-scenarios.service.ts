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
import { parseWith } from '../platform/validation.js';
import { problemsOf } from '../risks/risk-checks.js';
import { ensureRisksFor } from './risk-references.js';
import { loadThreatModelForChange, saveChangedRecord } from './threat-model-changes.js';
import { maxScenarios } from './threat-model.js';
import { CreateScenario, UpdateScenario, type ScenarioChange, type ThreatAsset, type ThreatModel } from './threat-model.schemas.js';
import { findThreatItems, requireThreatItems } from './threat-library.repository.js';
import {
  findScenarioRow,
  findThreatModel,
  insertScenarioRow,
  nextScenarioPosition,
  replaceScenarioAssets,
  replaceScenarioRisks,
} from './threat-models.repository.js';

/**
 * Use cases of threat scenarios. A scenario picks one threat of the threat library, aims it at
 * assets of its threat model and links the risks it produces. Scenarios belong to their threat
 * model: each change raises the model's version and returns it to draft.
 */

type ScenarioFields = Partial<Pick<CreateScenario, 'threatRef' | 'assetKeys' | 'riskIds'>>;

/**
 * Checks the references of scenarios being written: their assets must belong to the model,
 * their threats must be items of the threat library, and their risks must exist and concern
 * the model's AI system or the whole organization. Throws VALIDATION_FAILED listing every
 * problem of every scenario.
 */
async function checkScenarioReferences(
  trx: Db,
  aiSystemId: string,
  assets: readonly ThreatAsset[],
  entries: readonly { fields: ScenarioFields; path: string }[],
): Promise<void> {
  const known = new Set(assets.map((asset) => asset.key));
  const listed = assets.length === 0 ? 'the threat model has no assets yet' : `its assets are ${assets.map((asset) => asset.key).join(', ')}`;
  const assetProblems: ErrorDetail[] = entries.flatMap(({ fields, path }) =>
    (fields.assetKeys ?? []).flatMap((key, index) =>
      known.has(key) ? [] : [{ path: `${path}/assetKeys/${index}`, message: `names the asset "${key}", which the threat model does not have (${listed}); add the asset first` }],
    ),
  );
  const threatProblems = await problemsOf(() =>
    requireThreatItems(
      trx,
      entries.flatMap(({ fields, path }) => (fields.threatRef === undefined ? [] : [{ ref: fields.threatRef, path: `${path}/threatRef` }])),
    ),
  );
  const riskProblems = await problemsOf(() =>
    ensureRisksFor(
      trx,
      entries.flatMap(({ fields, path }) => (fields.riskIds ?? []).map((id, index) => ({ id, path: `${path}/riskIds/${index}` }))),
      aiSystemId,
    ),
  );
  const problems = [...assetProblems, ...threatProblems, ...riskProblems];
  if (problems.length > 0) throw validationFailed(problems);
}

/**
 * Inserts new scenarios of a threat model inside the caller's transaction, after checking all of
 * them. A scenario without a title takes the title of its threat. `pathOf` gives the JSON pointer
 * of each input in the request, for error details.
 */
export async function insertScenarios(
  trx: Db,
  caller: Caller,
  now: Date,
  model: Pick<ThreatModel, 'id' | 'aiSystemId'>,
  assets: readonly ThreatAsset[],
  inputs: readonly CreateScenario[],
  pathOf: (index: number) => string,
): Promise<string[]> {
  if (inputs.length === 0) return [];
  await checkScenarioReferences(
    trx,
    model.aiSystemId,
    assets,
    inputs.map((fields, index) => ({ fields, path: pathOf(index) })),
  );
  const threats = await findThreatItems(
    trx,
    inputs.map((input) => input.threatRef),
  );

  const timestamp = toTimestamp(now);
  let position = await nextScenarioPosition(trx, model.id);
  const ids: string[] = [];
  for (const input of inputs) {
    const id = newId();
    await insertScenarioRow(trx, {
      id,
      threat_model_id: model.id,
      position,
      title: input.title?.trim() ?? threats.get(input.threatRef)!.title,
      threat_ref: input.threatRef,
      description: input.description ?? '',
      likelihood_note: input.likelihoodNote ?? '',
      impact_note: input.impactNote ?? '',
      created_by: caller.userId,
      created_at: timestamp,
      updated_at: timestamp,
    });
    await replaceScenarioAssets(trx, model.id, id, input.assetKeys);
    await replaceScenarioRisks(trx, id, input.riskIds ?? []);
    ids.push(id);
    position += 1;
  }
  return ids;
}

export async function addScenario(ctx: ServiceContext, caller: Caller, threatModelId: string, input: CreateScenario, options: ChangeOptions = {}): Promise<ScenarioChange> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(CreateScenario, input);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadThreatModelForChange(trx, threatModelId, options.expectedVersion);
    if (before.scenarios.length >= maxScenarios) {
      throw new AppError('CONFLICT', `The threat model "${before.title}" already has ${maxScenarios} scenarios, the maximum for one model; merge or remove scenarios first`);
    }
    const now = ctx.clock.now();
    const [id] = await insertScenarios(trx, caller, now, before, before.assets, [parsed], () => '');
    const record = await saveChangedRecord(trx, caller, now, before);
    const threatModel = (await findThreatModel(trx, threatModelId))!;
    const scenario = threatModel.scenarios.find((entry) => entry.id === id)!;
    await appendAuditEvent(trx, caller, now, {
      action: 'threat_model.scenario_added',
      recordId: threatModelId,
      after: { threatModelVersion: record.version, scenario },
      reason: options.reason ?? null,
    });
    return { threatModel, scenario };
  });
}

export async function updateScenario(
  ctx: ServiceContext,
  caller: Caller,
  threatModelId: string,
  scenarioId: string,
  patch: UpdateScenario,
  options: ChangeOptions = {},
): Promise<ScenarioChange> {
  authorize(caller, 'threats.write');
  const parsed = parseWith(UpdateScenario, patch);
  return writeTransaction(ctx.database, (trx) => changeScenario(trx, caller, ctx.clock.now(), threatModelId, scenarioId, parsed, options));
}

/** Applies a checked change to a scenario inside the caller's transaction, with its audit event. */
export async function changeScenario(
  trx: Db,
  caller: Caller,
  now: Date,
  threatModelId: string,
  scenarioId: string,
  patch: UpdateScenario,
  options: ChangeOptions = {},
): Promise<ScenarioChange> {
  const before = await loadThreatModelForChange(trx, threatModelId, options.expectedVersion);
  const row = await findScenarioRow(trx, threatModelId, scenarioId);
  if (!row) throw scenarioNotFound(before, scenarioId);
  const scenarioBefore = before.scenarios.find((entry) => entry.id === scenarioId)!;
  await checkScenarioReferences(trx, before.aiSystemId, before.assets, [{ fields: patch, path: '' }]);

  await trx
    .updateTable('threat_scenarios')
    .set({
      title: patch.title?.trim() ?? row.title,
      threat_ref: patch.threatRef ?? row.threat_ref,
      description: patch.description ?? row.description,
      likelihood_note: patch.likelihoodNote ?? row.likelihood_note,
      impact_note: patch.impactNote ?? row.impact_note,
      updated_at: toTimestamp(now),
    })
    .where('id', '=', scenarioId)
    .execute();
  if (patch.assetKeys !== undefined) await replaceScenarioAssets(trx, threatModelId, scenarioId, patch.assetKeys);
  if (patch.riskIds !== undefined) await replaceScenarioRisks(trx, scenarioId, patch.riskIds);

  const record = await saveChangedRecord(trx, caller, now, before);
  const threatModel = (await findThreatModel(trx, threatModelId))!;
  const scenario = threatModel.scenarios.find((entry) => entry.id === scenarioId)!;
  await appendAuditEvent(trx, caller, now, {
    action: 'threat_model.scenario_updated',
    recordId: threatModelId,
    before: { threatModelVersion: before.version, scenario: scenarioBefore },
    after: { threatModelVersion: record.version, scenario },
    reason: options.reason ?? null,
  });
  return { threatModel, scenario };
}

/** Removes a scenario; the risks it linked stay in the register. Returns the changed threat model. */
export async function removeScenario(ctx: ServiceContext, caller: Caller, threatModelId: string, scenarioId: string, options: ChangeOptions = {}): Promise<ThreatModel> {
  authorize(caller, 'threats.write');
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadThreatModelForChange(trx, threatModelId, options.expectedVersion);
    const scenario = before.scenarios.find((entry) => entry.id === scenarioId);
    if (!scenario) throw scenarioNotFound(before, scenarioId);
    await trx.deleteFrom('threat_scenario_risks').where('scenario_id', '=', scenarioId).execute();
    await trx.deleteFrom('threat_scenario_assets').where('scenario_id', '=', scenarioId).execute();
    await trx.deleteFrom('threat_scenarios').where('id', '=', scenarioId).execute();
    const now = ctx.clock.now();
    const record = await saveChangedRecord(trx, caller, now, before);
    await appendAuditEvent(trx, caller, now, {
      action: 'threat_model.scenario_removed',
      recordId: threatModelId,
      before: { threatModelVersion: before.version, scenario },
      after: { threatModelVersion: record.version },
      reason: options.reason ?? null,
    });
    return (await findThreatModel(trx, threatModelId))!;
  });
}

function scenarioNotFound(model: ThreatModel, scenarioId: string): AppError {
  return new AppError('NOT_FOUND', `The threat model "${model.title}" (${model.id}) has no scenario with id "${scenarioId}"; GET /api/threat-models/${model.id} lists its scenarios`);
}
