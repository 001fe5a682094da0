import type { Db } from '../platform/database/connection.js';
import { validationFailed, type ErrorDetail } from '../platform/errors.js';

/** Checks the risks and evidence that threat scenarios and red-team findings link to. */

/** Ids to check, each with the JSON pointer of the request field that named it. */
export type NamedIds = readonly { id: string; path: string }[];

/**
 * Checks that every risk exists and concerns the given AI system or the whole organization.
 * A risk of another AI system is rejected, because a threat to one system does not produce a
 * risk of another. With `aiSystemId` null, risks of any system are accepted.
 */
export async function ensureRisksFor(db: Db, references: NamedIds, aiSystemId: string | null): Promise<void> {
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const rows = await db.selectFrom('risks').select(['id', 'title', 'ai_system_id']).where('id', 'in', ids).execute();
  const found = new Map(rows.map((row) => [row.id, row]));

  const problems: ErrorDetail[] = references.flatMap(({ id, path }) => {
    const row = found.get(id);
    if (!row) return [{ path, message: `no risk with id "${id}" exists; GET /api/risks lists the risks of the register` }];
    if (aiSystemId !== null && row.ai_system_id !== null && row.ai_system_id !== aiSystemId) {
      return [{ path, message: `the risk "${row.title}" (${id}) belongs to AI system ${row.ai_system_id}, not to ${aiSystemId}; link a risk of this system or an organization-wide one` }];
    }
    return [];
  });
  if (problems.length > 0) throw validationFailed(problems);
}

export async function ensureEvidenceExists(db: Db, references: NamedIds): Promise<void> {
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const rows = await db.selectFrom('evidence').select('id').where('id', 'in', ids).execute();
  const known = new Set(rows.map((row) => row.id));
  const problems: ErrorDetail[] = references
    .filter((reference) => !known.has(reference.id))
    .map(({ id, path }) => ({ path, message: `no evidence with id "${id}" exists; upload it first (GET /api/evidence lists evidence)` }));
  if (problems.length > 0) throw validationFailed(problems);
}
