import type { Logger } from 'pino';
import { toTimestamp } from '../platform/clock.js';
import type { Database, Db } from '../platform/database/connection.js';
import { isForeignKeyViolation } from '../platform/database/errors.js';
import type { CatalogueItemTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError } from '../platform/errors.js';
import { parseCatalogue, readCatalogueSources, type CatalogueItemEntry, type LoadedCrosswalk, type LoadedFramework } from './catalogue-files.js';
import { organizationFrameworkId, refOf } from './catalogue.js';

/**
 * Brings the database's copy of the catalogue in line with the catalogue files. A file whose hash
 * is already recorded is skipped without being parsed, so a start with nothing new costs one
 * hash per file. Changed files are loaded in one write transaction: items that are new are
 * inserted, changed ones updated in place, and removed ones deleted, which fails while records
 * still link to them. The built-in catalogue is reference data, not a record of the
 * organization, so its loads are not audit events. Each framework row keeps the hash and time
 * of its last load instead.
 */
export async function syncCatalogue(
  database: Database,
  now: Date,
  options: { directory?: string; logger?: Logger } = {},
): Promise<{ loadedFrameworks: string[]; loadedCrosswalks: string[] }> {
  const sources = readCatalogueSources(options.directory);
  const known = await recordedHashes(database.db);
  const stale =
    sources.frameworks.some((source) => !known.has(source.contentHash)) ||
    sources.crosswalks.some((source) => !known.has(source.contentHash)) ||
    !known.has(organizationFrameworkId);
  if (!stale) return { loadedFrameworks: [], loadedCrosswalks: [] };

  const files = parseCatalogue(sources);
  const result = await writeTransaction(database, async (trx) => {
    // Another server may have loaded the same files while this one parsed them.
    const current = await recordedHashes(trx);
    const timestamp = toTimestamp(now);
    await ensureOrganizationFramework(trx, timestamp);
    const loadedFrameworks: string[] = [];
    for (const framework of files.frameworks) {
      if (current.has(framework.contentHash)) continue;
      await loadFramework(trx, framework, timestamp);
      loadedFrameworks.push(framework.data.framework.id);
    }
    const loadedCrosswalks: string[] = [];
    for (const crosswalk of files.crosswalks) {
      const changedEnd = loadedFrameworks.includes(crosswalk.data.crosswalk.from) || loadedFrameworks.includes(crosswalk.data.crosswalk.to);
      if (current.has(crosswalk.contentHash) && !changedEnd) continue;
      await loadCrosswalk(trx, crosswalk, timestamp);
      loadedCrosswalks.push(crosswalk.data.crosswalk.id);
    }
    return { loadedFrameworks, loadedCrosswalks };
  });
  if (result.loadedFrameworks.length + result.loadedCrosswalks.length > 0) {
    options.logger?.info({ frameworks: result.loadedFrameworks, crosswalks: result.loadedCrosswalks }, 'catalogue loaded');
  }
  return result;
}

/** Collects the hash of every loaded file, plus the id of the organization's framework once it exists. */
async function recordedHashes(db: Db): Promise<Set<string>> {
  const frameworks = await db.selectFrom('catalogue_frameworks').select(['id', 'content_hash']).execute();
  const crosswalks = await db.selectFrom('crosswalks').select('content_hash').execute();
  const known = new Set<string>();
  for (const row of frameworks) {
    if (row.content_hash) known.add(row.content_hash);
    if (row.id === organizationFrameworkId) known.add(organizationFrameworkId);
  }
  for (const row of crosswalks) known.add(row.content_hash);
  return known;
}

async function ensureOrganizationFramework(trx: Db, timestamp: string): Promise<void> {
  await trx
    .insertInto('catalogue_frameworks')
    .values({
      id: organizationFrameworkId,
      name: "The organization's own controls",
      edition: 'current',
      kind: 'organization',
      publisher: 'this organization',
      source: 'defined in custos',
      notice: 'Controls the organization defined beyond Annex A, for example from a customer contract or an internal policy.',
      built_in: 0,
      content_hash: null,
      loaded_at: timestamp,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
}

async function loadFramework(trx: Db, framework: LoadedFramework, timestamp: string): Promise<void> {
  const header = framework.data.framework;
  const row = {
    id: header.id,
    name: header.name,
    edition: header.version,
    kind: header.kind,
    publisher: header.publisher,
    source: header.source,
    notice: header.notice,
    built_in: 1,
    content_hash: framework.contentHash,
    loaded_at: timestamp,
  };
  await trx
    .insertInto('catalogue_frameworks')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...row }))
    .execute();

  const existing = new Map((await trx.selectFrom('catalogue_items').selectAll().where('framework_id', '=', header.id).execute()).map((item) => [item.ref, item]));
  const wanted = framework.data.items.map((entry, position) => toItemRow(header.id, entry, position, timestamp));
  const inserts: CatalogueItemTable[] = [];
  for (const item of wanted) {
    const before = existing.get(item.ref);
    existing.delete(item.ref);
    if (!before) {
      inserts.push(item);
    } else if (contentDiffers(before, item)) {
      await trx
        .updateTable('catalogue_items')
        .set({ ...item, version: before.version + 1, created_at: before.created_at })
        .where('ref', '=', item.ref)
        .execute();
    }
  }
  for (let start = 0; start < inserts.length; start += 200) {
    await trx.insertInto('catalogue_items').values(inserts.slice(start, start + 200)).execute();
  }

  // What is left was removed from the file: delete children before their parents.
  const removed = [...existing.values()].sort((a, b) => b.position - a.position);
  for (const item of removed) {
    try {
      await trx.deleteFrom('crosswalk_pairs').where((eb) => eb.or([eb('from_ref', '=', item.ref), eb('to_ref', '=', item.ref)])).execute();
      await trx.deleteFrom('catalogue_items').where('ref', '=', item.ref).execute();
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      throw new AppError(
        'CONFLICT',
        `The catalogue file ${framework.file} no longer lists ${item.ref}, but records still link to it; restore the item in the file or remove those links first`,
      );
    }
  }
}

function toItemRow(frameworkId: string, entry: CatalogueItemEntry, position: number, timestamp: string): CatalogueItemTable {
  return {
    ref: refOf(frameworkId, entry.id),
    framework_id: frameworkId,
    item_id: entry.id,
    parent_ref: entry.parent === undefined ? null : refOf(frameworkId, entry.parent),
    kind: entry.kind,
    title: entry.title.trim(),
    summary: entry.summary?.trim() ?? '',
    evidence_guidance: entry.evidence?.trim() ?? '',
    documented_information: entry.documentedInformation?.trim() ?? null,
    assessable: entry.assessable ? 1 : 0,
    weight: entry.weight ?? 1,
    attributes: JSON.stringify(entry.attributes ?? {}),
    position,
    version: 1,
    created_at: timestamp,
    updated_at: timestamp,
  };
}

const contentColumns = ['parent_ref', 'kind', 'title', 'summary', 'evidence_guidance', 'documented_information', 'assessable', 'weight', 'attributes', 'position'] as const;

function contentDiffers(before: CatalogueItemTable, after: CatalogueItemTable): boolean {
  return contentColumns.some((column) => before[column] !== after[column]);
}

async function loadCrosswalk(trx: Db, crosswalk: LoadedCrosswalk, timestamp: string): Promise<void> {
  const header = crosswalk.data.crosswalk;
  const row = {
    id: header.id,
    from_framework_id: header.from,
    to_framework_id: header.to,
    title: header.title,
    edition: header.version,
    publisher: header.publisher,
    source: header.source,
    notes: header.notes,
    content_hash: crosswalk.contentHash,
    loaded_at: timestamp,
  };
  await trx
    .insertInto('crosswalks')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...row }))
    .execute();
  await trx.deleteFrom('crosswalk_pairs').where('crosswalk_id', '=', header.id).execute();

  const pairs = crosswalk.data.pairs.flatMap((pair) => pair.to.map((target) => ({ from: refOf(header.from, pair.from), to: refOf(header.to, target) })));
  const rows = pairs.map((pair, position) => ({ crosswalk_id: header.id, from_ref: pair.from, to_ref: pair.to, position }));
  for (let start = 0; start < rows.length; start += 300) {
    await trx.insertInto('crosswalk_pairs').values(rows.slice(start, start + 300)).execute();
  }
}
