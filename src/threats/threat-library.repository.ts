import type { Db } from '../platform/database/connection.js';
import type { CatalogueItemTable } from '../platform/database/schema.js';
import { validationFailed, type ErrorDetail } from '../platform/errors.js';
import { familiesOf, isThreatFramework, tacticsOf, threatFrameworkIds } from './threat-library.js';
import type { ThreatLibraryFramework, ThreatLibraryItem } from './threat-library.schemas.js';

/** Reads the threat library out of the catalogue tables and checks threat refs named in requests. */

export function toThreatLibraryItem(row: CatalogueItemTable): ThreatLibraryItem {
  const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
  return {
    ref: row.ref,
    frameworkId: row.framework_id,
    itemId: row.item_id,
    parentRef: row.parent_ref,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    evidenceGuidance: row.evidence_guidance,
    families: familiesOf(attributes),
    tactics: tacticsOf(attributes),
    version: row.version,
  };
}

/** Loads every threat item (the assessable items of the threat frameworks), framework by framework in library order. */
export async function loadThreatItems(db: Db): Promise<ThreatLibraryItem[]> {
  const rows = await db
    .selectFrom('catalogue_items')
    .selectAll()
    .where('framework_id', 'in', [...threatFrameworkIds])
    .where('assessable', '=', 1)
    .orderBy('position')
    .execute();
  return threatFrameworkIds.flatMap((frameworkId) => rows.filter((row) => row.framework_id === frameworkId).map(toThreatLibraryItem));
}

/** Loads the threat frameworks present in the catalogue, each with its number of threat items. */
export async function loadThreatFrameworks(db: Db, items: readonly ThreatLibraryItem[]): Promise<ThreatLibraryFramework[]> {
  const rows = await db.selectFrom('catalogue_frameworks').selectAll().where('id', 'in', [...threatFrameworkIds]).execute();
  return threatFrameworkIds.flatMap((frameworkId) => {
    const row = rows.find((candidate) => candidate.id === frameworkId);
    if (!row) return [];
    return [
      {
        id: row.id,
        name: row.name,
        edition: row.edition,
        publisher: row.publisher,
        notice: row.notice,
        contentHash: row.content_hash,
        loadedAt: row.loaded_at,
        threatCount: items.filter((item) => item.frameworkId === frameworkId).length,
      },
    ];
  });
}

/** Loads threat items by ref, for showing titles and families beside the refs a record stores. */
export async function findThreatItems(db: Db, refs: readonly string[]): Promise<Map<string, ThreatLibraryItem>> {
  const found = new Map<string, ThreatLibraryItem>();
  const unique = [...new Set(refs)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db.selectFrom('catalogue_items').selectAll().where('ref', 'in', unique.slice(start, start + 500)).execute();
    for (const row of rows) found.set(row.ref, toThreatLibraryItem(row));
  }
  return found;
}

/**
 * Checks that every ref names a threat of the library: an item of MITRE ATLAS or one of the
 * OWASP Top 10 lists that is not a heading. Throws one VALIDATION_FAILED naming each bad ref.
 */
export async function requireThreatItems(db: Db, refs: readonly { ref: string; path: string }[]): Promise<void> {
  if (refs.length === 0) return;
  const unique = [...new Set(refs.map((entry) => entry.ref))];
  const rows = new Map<string, CatalogueItemTable>();
  for (let start = 0; start < unique.length; start += 500) {
    const found = await db.selectFrom('catalogue_items').selectAll().where('ref', 'in', unique.slice(start, start + 500)).execute();
    for (const row of found) rows.set(row.ref, row);
  }

  const frameworks = threatFrameworkIds.join(', ');
  const problems: ErrorDetail[] = refs.flatMap(({ ref, path }) => {
    const row = rows.get(ref);
    if (!row) {
      return [{ path, message: `"${ref}" is not an item of the threat library; use a ref such as mitre-atlas:AML.T0051 or owasp-llm-top10-2025:LLM01 (GET /api/threat-library lists them)` }];
    }
    if (!isThreatFramework(row.framework_id)) {
      return [{ path, message: `"${ref}" is a ${row.kind} of ${row.framework_id}, not a threat; use an item of ${frameworks}` }];
    }
    if (row.assessable !== 1) {
      return [{ path, message: `"${ref}" is the ${row.kind} heading "${row.title}"; pick one of its techniques instead` }];
    }
    return [];
  });
  if (problems.length > 0) throw validationFailed(problems);
}
