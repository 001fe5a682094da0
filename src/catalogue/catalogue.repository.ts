import { sql } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { CatalogueFrameworkTable, CatalogueItemTable, CrosswalkTable } from '../platform/database/schema.js';
import { validationFailed } from '../platform/errors.js';
import { containsText } from '../platform/listing.js';
import type { CatalogueItem, CatalogueItemListQuery, Crosswalk, CrosswalkPair, CrosswalkPairQuery, Framework, Mapping } from './catalogue.schemas.js';

/** Reads catalogue rows and turns them into the API's shape. */

export function toCatalogueItem(row: CatalogueItemTable): CatalogueItem {
  return {
    ref: row.ref,
    frameworkId: row.framework_id,
    itemId: row.item_id,
    parentRef: row.parent_ref,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    evidenceGuidance: row.evidence_guidance,
    documentedInformation: row.documented_information,
    assessable: row.assessable === 1,
    weight: row.weight,
    attributes: JSON.parse(row.attributes) as CatalogueItem['attributes'],
    position: row.position,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toFramework(row: CatalogueFrameworkTable & { item_count: number | string; assessable_count: number | string | null }): Framework {
  return {
    id: row.id,
    name: row.name,
    edition: row.edition,
    kind: row.kind,
    publisher: row.publisher,
    source: row.source,
    notice: row.notice,
    builtIn: row.built_in === 1,
    contentHash: row.content_hash,
    loadedAt: row.loaded_at,
    itemCount: Number(row.item_count),
    assessableCount: Number(row.assessable_count ?? 0),
  };
}

export async function queryFrameworks(db: Db, id?: string): Promise<Framework[]> {
  let query = db
    .selectFrom('catalogue_frameworks as f')
    .leftJoin('catalogue_items as i', 'i.framework_id', 'f.id')
    .selectAll('f')
    .select((eb) => [eb.fn.count<number>('i.ref').as('item_count'), eb.fn.sum<number>('i.assessable').as('assessable_count')])
    .groupBy(['f.id', 'f.name', 'f.edition', 'f.kind', 'f.publisher', 'f.source', 'f.notice', 'f.built_in', 'f.content_hash', 'f.loaded_at'])
    .orderBy('f.built_in', 'desc')
    .orderBy('f.id');
  if (id !== undefined) query = query.where('f.id', '=', id);
  return (await query.execute()).map(toFramework);
}

export async function queryCatalogueItems(db: Db, query: CatalogueItemListQuery, limit: number, offset: number): Promise<{ rows: CatalogueItemTable[]; total: number }> {
  let base = db.selectFrom('catalogue_items');
  if (query.framework !== undefined) base = base.where('framework_id', '=', query.framework);
  if (query.kind !== undefined) base = base.where('kind', '=', query.kind);
  if (query.parent !== undefined) base = base.where('parent_ref', '=', query.parent);
  if (query.assessable !== undefined) base = base.where('assessable', '=', query.assessable ? 1 : 0);
  if (query.q !== undefined && query.q.trim() !== '') base = base.where(containsText(['item_id', 'title', 'summary'], query.q.trim()));

  const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('framework_id').orderBy('position').limit(limit).offset(offset).execute();
  return { rows, total: Number(counted.total) };
}

export async function findCatalogueItemRow(db: Db, ref: string): Promise<CatalogueItemTable | undefined> {
  return db.selectFrom('catalogue_items').selectAll().where('ref', '=', ref).executeTakeFirst();
}

export async function findChildren(db: Db, ref: string): Promise<{ ref: string; title: string; kind: string }[]> {
  return db.selectFrom('catalogue_items').select(['ref', 'title', 'kind']).where('parent_ref', '=', ref).orderBy('position').execute();
}

/** Every crosswalk pair that touches the item, in both directions, with the other item's title. */
export async function findMappings(db: Db, ref: string): Promise<Mapping[]> {
  const outgoing = await db
    .selectFrom('crosswalk_pairs as p')
    .innerJoin('catalogue_items as i', 'i.ref', 'p.to_ref')
    .select(['p.crosswalk_id', 'i.ref', 'i.framework_id', 'i.item_id', 'i.title', 'i.kind', 'p.position'])
    .where('p.from_ref', '=', ref)
    .orderBy('p.crosswalk_id')
    .orderBy('p.position')
    .execute();
  const incoming = await db
    .selectFrom('crosswalk_pairs as p')
    .innerJoin('catalogue_items as i', 'i.ref', 'p.from_ref')
    .select(['p.crosswalk_id', 'i.ref', 'i.framework_id', 'i.item_id', 'i.title', 'i.kind', 'i.position'])
    .where('p.to_ref', '=', ref)
    .orderBy('p.crosswalk_id')
    .orderBy('i.position')
    .execute();
  const shape = (direction: 'to' | 'from') => (row: (typeof outgoing)[number]): Mapping => ({
    crosswalkId: row.crosswalk_id,
    direction,
    ref: row.ref,
    frameworkId: row.framework_id,
    itemId: row.item_id,
    title: row.title,
    kind: row.kind,
  });
  return [...outgoing.map(shape('to')), ...incoming.map(shape('from'))];
}

function toCrosswalk(row: CrosswalkTable & { pair_count: number | string; from_count: number | string }): Crosswalk {
  return {
    id: row.id,
    fromFrameworkId: row.from_framework_id,
    toFrameworkId: row.to_framework_id,
    title: row.title,
    edition: row.edition,
    publisher: row.publisher,
    source: row.source,
    notes: row.notes,
    contentHash: row.content_hash,
    loadedAt: row.loaded_at,
    pairCount: Number(row.pair_count),
    fromItemCount: Number(row.from_count),
  };
}

export async function queryCrosswalks(db: Db, id?: string): Promise<Crosswalk[]> {
  let query = db
    .selectFrom('crosswalks as c')
    .selectAll('c')
    .select([
      sql<number>`(select count(*) from crosswalk_pairs p where p.crosswalk_id = c.id)`.as('pair_count'),
      sql<number>`(select count(distinct p.from_ref) from crosswalk_pairs p where p.crosswalk_id = c.id)`.as('from_count'),
    ])
    .orderBy('c.id');
  if (id !== undefined) query = query.where('c.id', '=', id);
  return (await query.execute()).map(toCrosswalk);
}

export async function queryCrosswalkPairs(db: Db, crosswalkId: string, query: CrosswalkPairQuery, limit: number, offset: number): Promise<{ rows: CrosswalkPair[]; total: number }> {
  let base = db
    .selectFrom('crosswalk_pairs as p')
    .innerJoin('catalogue_items as f', 'f.ref', 'p.from_ref')
    .innerJoin('catalogue_items as t', 't.ref', 'p.to_ref')
    .where('p.crosswalk_id', '=', crosswalkId);
  if (query.from !== undefined) base = base.where('p.from_ref', '=', query.from);
  if (query.to !== undefined) base = base.where('p.to_ref', '=', query.to);
  const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['p.from_ref as fromRef', 'f.title as fromTitle', 'p.to_ref as toRef', 't.title as toTitle', 'p.position'])
    .orderBy('f.position')
    .orderBy('p.position')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(counted.total) };
}

/**
 * Checks that every ref names a catalogue item, optionally of the given kinds, and throws one
 * VALIDATION_FAILED listing each unknown ref at its path. Other areas call this before they link
 * records to clauses and controls.
 */
export async function requireCatalogueItems(
  db: Db,
  refs: readonly { ref: string; path: string }[],
  options: { kinds?: readonly string[]; assessableOnly?: boolean } = {},
): Promise<Map<string, CatalogueItemTable>> {
  const unique = [...new Set(refs.map((entry) => entry.ref))];
  const found = new Map<string, CatalogueItemTable>();
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db.selectFrom('catalogue_items').selectAll().where('ref', 'in', unique.slice(start, start + 500)).execute();
    for (const row of rows) found.set(row.ref, row);
  }

  const problems = refs.flatMap(({ ref, path }) => {
    const row = found.get(ref);
    if (!row) {
      return [{ path, message: `"${ref}" is not a catalogue item; use a ref such as iso42001:A.6.2.4 (GET /api/catalogue/items lists them)` }];
    }
    if (options.kinds && !options.kinds.includes(row.kind)) {
      return [{ path, message: `"${ref}" is a ${row.kind}; it must be one of: ${options.kinds.join(', ')}` }];
    }
    if (options.assessableOnly && row.assessable !== 1) {
      return [{ path, message: `"${ref}" is a heading, not an assessable item; use one of its children` }];
    }
    return [];
  });
  if (problems.length > 0) throw validationFailed(problems);
  return found;
}
