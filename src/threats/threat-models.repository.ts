import type { Db } from '../platform/database/connection.js';
import type { ThreatModelAssetTable, ThreatModelTable, ThreatScenarioTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { AssetKind, ThreatModelStatus } from './threat-model.js';
import type { ThreatAsset, ThreatModel, ThreatModelListQuery, ThreatModelSortKey, ThreatScenario } from './threat-model.schemas.js';
import { findThreatItems } from './threat-library.repository.js';

/** Reads and writes threat models with their assets and scenarios, and turns rows into the API's shape. */

const sortColumns: Record<ThreatModelSortKey, keyof ThreatModelTable> = {
  title: 'title',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** The parts of a threat model kept in its own row; assets and scenarios live in their tables. */
export type ThreatModelRecord = Omit<ThreatModel, 'assets' | 'scenarios'>;

export function toThreatModelRecord(row: ThreatModelTable): ThreatModelRecord {
  return {
    id: row.id,
    aiSystemId: row.ai_system_id,
    title: row.title,
    scope: row.scope,
    status: row.status as ThreatModelStatus,
    editedBy: JSON.parse(row.edited_by) as string[],
    lastReview:
      row.reviewed_by === null || row.reviewed_at === null || row.reviewed_version === null
        ? null
        : { reviewedBy: row.reviewed_by, reviewedAt: row.reviewed_at, reviewedVersion: row.reviewed_version, comment: row.review_comment },
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toThreatModelRow(model: ThreatModelRecord): ThreatModelTable {
  return {
    id: model.id,
    ai_system_id: model.aiSystemId,
    title: model.title,
    scope: model.scope,
    status: model.status,
    edited_by: JSON.stringify(model.editedBy),
    reviewed_by: model.lastReview?.reviewedBy ?? null,
    reviewed_at: model.lastReview?.reviewedAt ?? null,
    reviewed_version: model.lastReview?.reviewedVersion ?? null,
    review_comment: model.lastReview?.comment ?? null,
    created_by: model.createdBy,
    version: model.version,
    created_at: model.createdAt,
    updated_at: model.updatedAt,
  };
}

function toAsset(row: ThreatModelAssetTable): ThreatAsset {
  return { key: row.asset_key, name: row.name, kind: row.kind as AssetKind, description: row.description };
}

export async function findThreatModelRow(db: Db, id: string): Promise<ThreatModelTable | undefined> {
  return db.selectFrom('threat_models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findThreatModelRowBySystem(db: Db, aiSystemId: string): Promise<ThreatModelTable | undefined> {
  return db.selectFrom('threat_models').selectAll().where('ai_system_id', '=', aiSystemId).executeTakeFirst();
}

export async function findThreatModel(db: Db, id: string): Promise<ThreatModel | undefined> {
  const row = await findThreatModelRow(db, id);
  if (!row) return undefined;
  const [model] = await withParts(db, [row]);
  return model;
}

/** Adds assets and scenarios to threat model rows, with a fixed number of queries for any number of rows. */
async function withParts(db: Db, rows: readonly ThreatModelTable[]): Promise<ThreatModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [assets, scenarios] = await Promise.all([
    db.selectFrom('threat_model_assets').selectAll().where('threat_model_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('threat_scenarios').selectAll().where('threat_model_id', 'in', ids).orderBy('position').execute(),
  ]);
  const scenarioIds = scenarios.map((scenario) => scenario.id);
  const [scenarioAssets, scenarioRisks, threats] = await Promise.all([
    scenarioIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('threat_scenario_assets as sa')
          .innerJoin('threat_model_assets as a', (join) => join.onRef('a.threat_model_id', '=', 'sa.threat_model_id').onRef('a.asset_key', '=', 'sa.asset_key'))
          .select(['sa.scenario_id', 'sa.asset_key'])
          .where('sa.scenario_id', 'in', scenarioIds)
          .orderBy('a.position')
          .execute(),
    scenarioIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('threat_scenario_risks').select(['scenario_id', 'risk_id']).where('scenario_id', 'in', scenarioIds).orderBy('risk_id').execute(),
    findThreatItems(
      db,
      scenarios.map((scenario) => scenario.threat_ref),
    ),
  ]);

  const toScenario = (row: ThreatScenarioTable): ThreatScenario => {
    const threat = threats.get(row.threat_ref);
    return {
      id: row.id,
      title: row.title,
      threatRef: row.threat_ref,
      threatTitle: threat?.title ?? row.threat_ref,
      families: threat?.families ?? [],
      assetKeys: scenarioAssets.filter((link) => link.scenario_id === row.id).map((link) => link.asset_key),
      description: row.description,
      likelihoodNote: row.likelihood_note,
      impactNote: row.impact_note,
      riskIds: scenarioRisks.filter((link) => link.scenario_id === row.id).map((link) => link.risk_id),
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  };

  return rows.map((row) => ({
    ...toThreatModelRecord(row),
    assets: assets.filter((asset) => asset.threat_model_id === row.id).map(toAsset),
    scenarios: scenarios.filter((scenario) => scenario.threat_model_id === row.id).map(toScenario),
  }));
}

export async function queryThreatModels(db: Db, query: ThreatModelListQuery, limit: number, offset: number): Promise<{ items: ThreatModel[]; total: number }> {
  let filtered = db.selectFrom('threat_models');
  if (query.aiSystemId) filtered = filtered.where('ai_system_id', '=', query.aiSystemId);
  if (query.status) filtered = filtered.where('status', '=', query.status);
  if (query.q) filtered = filtered.where(containsText(['title', 'scope'], query.q));
  if (query.threatRef) {
    const ref = query.threatRef;
    filtered = filtered.where('id', 'in', (eb) => eb.selectFrom('threat_scenarios').select('threat_model_id').where('threat_ref', '=', ref));
  }
  if (query.riskId) {
    const riskId = query.riskId;
    filtered = filtered.where('id', 'in', (eb) =>
      eb
        .selectFrom('threat_scenarios as s')
        .innerJoin('threat_scenario_risks as r', 'r.scenario_id', 's.id')
        .select('s.threat_model_id')
        .where('r.risk_id', '=', riskId),
    );
  }
  const { key, order } = parseSort<ThreatModelSortKey>(query.sort ?? 'title');
  const [rows, count] = await Promise.all([
    // The id breaks ties so that pages never overlap or skip a record.
    filtered.selectAll().orderBy(sortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: await withParts(db, rows), total: Number(count.total) };
}

/**
 * Brings the asset rows in line with `assets`: changed assets are updated in place, new ones
 * inserted and missing ones deleted. The caller checks first that no scenario targets a
 * deleted asset; the composite foreign key would reject it anyway.
 */
export async function replaceAssets(trx: Db, threatModelId: string, assets: readonly ThreatAsset[]): Promise<void> {
  const existing = new Set(
    (await trx.selectFrom('threat_model_assets').select('asset_key').where('threat_model_id', '=', threatModelId).execute()).map((row) => row.asset_key),
  );
  const keptKeys = new Set(assets.map((asset) => asset.key));
  const removed = [...existing].filter((key) => !keptKeys.has(key));
  if (removed.length > 0) {
    await trx.deleteFrom('threat_model_assets').where('threat_model_id', '=', threatModelId).where('asset_key', 'in', removed).execute();
  }
  for (const [position, asset] of assets.entries()) {
    const values = { name: asset.name, kind: asset.kind, description: asset.description, position };
    if (existing.has(asset.key)) {
      await trx.updateTable('threat_model_assets').set(values).where('threat_model_id', '=', threatModelId).where('asset_key', '=', asset.key).execute();
    } else {
      await trx
        .insertInto('threat_model_assets')
        .values({ threat_model_id: threatModelId, asset_key: asset.key, ...values })
        .execute();
    }
  }
}

/** Asset keys of a threat model that scenarios target, each with the titles of those scenarios. */
export async function findTargetedAssets(db: Db, threatModelId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('threat_scenario_assets as sa')
    .innerJoin('threat_scenarios as s', 's.id', 'sa.scenario_id')
    .select(['sa.asset_key', 's.title'])
    .where('sa.threat_model_id', '=', threatModelId)
    .orderBy('s.position')
    .execute();
  const targeted = new Map<string, string[]>();
  for (const row of rows) targeted.set(row.asset_key, [...(targeted.get(row.asset_key) ?? []), row.title]);
  return targeted;
}

export async function nextScenarioPosition(db: Db, threatModelId: string): Promise<number> {
  const row = await db
    .selectFrom('threat_scenarios')
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('threat_model_id', '=', threatModelId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

export async function insertScenarioRow(trx: Db, row: ThreatScenarioTable): Promise<void> {
  await trx.insertInto('threat_scenarios').values(row).execute();
}

/** Replaces the targeted assets of a scenario. */
export async function replaceScenarioAssets(trx: Db, threatModelId: string, scenarioId: string, assetKeys: readonly string[]): Promise<void> {
  await trx.deleteFrom('threat_scenario_assets').where('scenario_id', '=', scenarioId).execute();
  if (assetKeys.length === 0) return;
  await trx
    .insertInto('threat_scenario_assets')
    .values(assetKeys.map((key) => ({ scenario_id: scenarioId, threat_model_id: threatModelId, asset_key: key })))
    .execute();
}

/** Replaces the risks linked to a scenario. */
export async function replaceScenarioRisks(trx: Db, scenarioId: string, riskIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('threat_scenario_risks').where('scenario_id', '=', scenarioId).execute();
  if (riskIds.length === 0) return;
  await trx
    .insertInto('threat_scenario_risks')
    .values(riskIds.map((riskId) => ({ scenario_id: scenarioId, risk_id: riskId })))
    .execute();
}

export async function findScenarioRow(db: Db, threatModelId: string, scenarioId: string): Promise<ThreatScenarioTable | undefined> {
  return db.selectFrom('threat_scenarios').selectAll().where('id', '=', scenarioId).where('threat_model_id', '=', threatModelId).executeTakeFirst();
}
