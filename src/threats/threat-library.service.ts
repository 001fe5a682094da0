import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { pageBounds } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { scenarioFamilies } from './threat-library.js';
import { loadThreatFrameworks, loadThreatItems } from './threat-library.repository.js';
import { ThreatLibraryQuery, type ScenarioFamily, type ThreatLibraryPage } from './threat-library.schemas.js';

/**
 * Reads the threat library. The library is catalogue data with tens of items per framework, so
 * it is loaded whole and filtered in memory. Filtering in SQL would need different JSON queries
 * on SQLite and PostgreSQL, because the families sit in a JSON attribute.
 */

export async function listThreatLibrary(ctx: ServiceContext, caller: Caller, query: ThreatLibraryQuery): Promise<ThreatLibraryPage> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ThreatLibraryQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const db = ctx.database.db;
  const items = await loadThreatItems(db);
  const frameworks = await loadThreatFrameworks(db, items);

  const text = parsed.q?.trim().toLowerCase() ?? '';
  const matching = items.filter(
    (item) =>
      (parsed.family === undefined || item.families.includes(parsed.family)) &&
      (parsed.framework === undefined || item.frameworkId === parsed.framework) &&
      (parsed.kind === undefined || item.kind === parsed.kind) &&
      (text === '' || [item.itemId, item.title, item.summary].some((field) => field.toLowerCase().includes(text))),
  );
  return { frameworks, items: matching.slice(offset, offset + limit), total: matching.length, limit, offset };
}

/** Lists the scenario families with the number of threat items tagged with each. */
export async function listScenarioFamilies(ctx: ServiceContext, caller: Caller): Promise<ScenarioFamily[]> {
  authorize(caller, 'register.read');
  const items = await loadThreatItems(ctx.database.db);
  return scenarioFamilies.map((family) => ({
    id: family.id,
    title: family.title,
    description: family.description,
    threatCount: items.filter((item) => item.families.includes(family.id)).length,
  }));
}
