import type { Db } from '../platform/database/connection.js';
import { validationFailed, type ErrorDetail } from '../platform/errors.js';

/** Checks that records named by id in a request exist, and reports each missing one at its path. */

/** Ids to check, each with the JSON pointer of the field that named it. */
export type NamedIds = readonly { id: string; path: string }[];

export async function ensurePeopleExist(db: Db, references: NamedIds): Promise<void> {
  await ensureExist(db, 'people', 'person', references);
}

export async function ensureTeamsExist(db: Db, references: NamedIds): Promise<void> {
  await ensureExist(db, 'teams', 'team', references);
}

export async function ensureAiSystemsExist(db: Db, references: NamedIds): Promise<void> {
  await ensureExist(db, 'ai_systems', 'AI system', references);
}

async function ensureExist(db: Db, table: 'people' | 'teams' | 'ai_systems', recordType: string, references: NamedIds): Promise<void> {
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const found = await db.selectFrom(table).select('id').where('id', 'in', ids).execute();
  const known = new Set(found.map((row) => row.id));
  const problems: ErrorDetail[] = references
    .filter((reference) => !known.has(reference.id))
    .map((reference) => ({ path: reference.path, message: `no ${recordType} with id "${reference.id}" exists; check the id or create the ${recordType} first` }));
  if (problems.length > 0) throw validationFailed(problems);
}
