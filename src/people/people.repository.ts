import type { Db } from '../platform/database/connection.js';
import type { PersonTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { Person, PersonListQuery, PersonSortKey } from './person.schemas.js';

/** Reads and writes people rows and turns them into the API's shape. */

const sortColumns: Record<PersonSortKey, keyof PersonTable> = {
  name: 'name',
  email: 'email',
  jobTitle: 'job_title',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export function toPerson(row: PersonTable): Person {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    jobTitle: row.job_title,
    reportsToId: row.reports_to_id,
    isBoardMember: row.is_board_member === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toPersonRow(person: Person): PersonTable {
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    job_title: person.jobTitle,
    reports_to_id: person.reportsToId,
    is_board_member: person.isBoardMember ? 1 : 0,
    version: person.version,
    created_at: person.createdAt,
    updated_at: person.updatedAt,
  };
}

export async function findPersonRow(db: Db, id: string): Promise<PersonTable | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPersonIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst();
  return row?.id;
}

/** Returns the id and name of each listed person that exists, by name; unknown ids are left out. */
export async function findPersonNames(db: Db, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['id', 'name']).where('id', 'in', ids).orderBy('name').orderBy('id').execute();
}

/**
 * Returns the person with `startId` followed by everyone above them, up to the top of the
 * reporting line. The walk stops at a repeated person, so a cycle written by some other
 * path than the service cannot make it loop forever.
 */
export async function loadChainFrom(db: Db, startId: string): Promise<Person[]> {
  const chain: Person[] = [];
  const seen = new Set<string>();
  let nextId: string | null = startId;
  while (nextId !== null && !seen.has(nextId)) {
    seen.add(nextId);
    const row = await findPersonRow(db, nextId);
    if (!row) break;
    chain.push(toPerson(row));
    nextId = row.reports_to_id;
  }
  return chain;
}

/** Returns one page of people matching the filters, and how many match in all. */
export async function queryPeople(db: Db, query: PersonListQuery, limit: number, offset: number): Promise<{ rows: PersonTable[]; total: number }> {
  let filtered = db.selectFrom('people');
  if (query.q) filtered = filtered.where(containsText(['name', 'email', 'job_title'], query.q));
  if (query.reportsToId) filtered = filtered.where('reports_to_id', '=', query.reportsToId);
  if (query.isBoardMember !== undefined) filtered = filtered.where('is_board_member', '=', query.isBoardMember ? 1 : 0);

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
