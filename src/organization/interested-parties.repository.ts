import type { Db } from '../platform/database/connection.js';
import type { InterestedPartyTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { InterestedParty, InterestedPartyListQuery, InterestedPartySortKey } from './interested-party.schemas.js';

/** Reads and writes interested_parties rows and turns them into the API's shape. */

const sortColumns: Record<InterestedPartySortKey, keyof InterestedPartyTable> = {
  name: 'name',
  category: 'category',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toInterestedParty(row: InterestedPartyTable): InterestedParty {
  return {
    id: row.id,
    name: row.name,
    category: row.category as InterestedParty['category'],
    relevantRequirements: JSON.parse(row.relevant_requirements) as string[],
    addressedThrough: row.addressed_through,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toInterestedPartyRow(party: InterestedParty): InterestedPartyTable {
  return {
    id: party.id,
    name: party.name,
    category: party.category,
    relevant_requirements: JSON.stringify(party.relevantRequirements),
    addressed_through: party.addressedThrough,
    version: party.version,
    created_at: party.createdAt,
    updated_at: party.updatedAt,
  };
}

export async function findInterestedPartyRow(db: Db, id: string): Promise<InterestedPartyTable | undefined> {
  return db.selectFrom('interested_parties').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInterestedPartyIdByName(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('interested_parties').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

/** Returns one page of parties matching the filters, and how many match in all. */
export async function queryInterestedParties(
  db: Db,
  query: InterestedPartyListQuery,
  limit: number,
  offset: number,
): Promise<{ rows: InterestedPartyTable[]; total: number }> {
  let filtered = db.selectFrom('interested_parties');
  if (query.q) filtered = filtered.where(containsText(['name', 'relevant_requirements', 'addressed_through'], query.q));
  if (query.category) filtered = filtered.where('category', '=', query.category);

  const { key, order } = parseSort(query.sort ?? 'name');
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
