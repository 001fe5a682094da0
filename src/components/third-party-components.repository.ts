import type { Db } from '../platform/database/connection.js';
import type { ThirdPartyComponentTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { ComponentSortKey, ThirdPartyComponent, ThirdPartyComponentListQuery } from './third-party-component.schemas.js';

/** Reads and writes third_party_components rows and turns them into the API's shape. */

const sortColumns: Record<ComponentSortKey, keyof ThirdPartyComponentTable> = {
  name: 'name',
  vendor: 'vendor',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toThirdPartyComponent(row: ThirdPartyComponentTable): ThirdPartyComponent {
  return {
    id: row.id,
    name: row.name,
    vendor: row.vendor,
    kind: row.kind as ThirdPartyComponent['kind'],
    licence: row.licence,
    componentVersion: row.component_version,
    sourceUrl: row.source_url,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRow(component: ThirdPartyComponent): ThirdPartyComponentTable {
  return {
    id: component.id,
    name: component.name,
    vendor: component.vendor,
    kind: component.kind,
    licence: component.licence,
    component_version: component.componentVersion,
    source_url: component.sourceUrl,
    version: component.version,
    created_at: component.createdAt,
    updated_at: component.updatedAt,
  };
}

export async function findComponentRow(db: Db, id: string): Promise<ThirdPartyComponentTable | undefined> {
  return db.selectFrom('third_party_components').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Returns the component with the same vendor, name and version as `component`, other than itself. */
export async function findClashingComponent(db: Db, component: ThirdPartyComponent): Promise<ThirdPartyComponentTable | undefined> {
  return db
    .selectFrom('third_party_components')
    .selectAll()
    .where('vendor', '=', component.vendor)
    .where('name', '=', component.name)
    .where('component_version', '=', component.componentVersion)
    .where('id', '<>', component.id)
    .executeTakeFirst();
}

/** Names of the models and datasets that point to the component, which keep it from being deleted. */
export async function findComponentUsers(db: Db, id: string): Promise<{ models: string[]; datasets: string[] }> {
  const [models, datasets] = await Promise.all([
    db.selectFrom('models').select('name').where('third_party_component_id', '=', id).orderBy('name').execute(),
    db.selectFrom('datasets').select('name').where('third_party_component_id', '=', id).orderBy('name').execute(),
  ]);
  return { models: models.map((row) => row.name), datasets: datasets.map((row) => row.name) };
}

/** Returns one page of components matching the filters, and how many match in all. */
export async function queryComponents(
  db: Db,
  query: ThirdPartyComponentListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: ThirdPartyComponentTable[]; total: number }> {
  let filtered = db.selectFrom('third_party_components');
  if (query.q) filtered = filtered.where(containsText(['name', 'vendor', 'licence'], query.q));
  if (query.kind) filtered = filtered.where('kind', '=', query.kind);
  if (query.vendor) filtered = filtered.where('vendor', '=', query.vendor);

  const { key, order } = parseSort<ComponentSortKey>(query.sort ?? 'name');

  const [rows, count] = await Promise.all([
    filtered
      .selectAll()
      .orderBy(sortColumns[key], order)
      // The id breaks ties so that pages never overlap or skip a record.
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
