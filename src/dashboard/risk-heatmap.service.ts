import { sql } from 'kysely';
import { utcDate } from '../evidence/evidence.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { parseWith } from '../platform/validation.js';
import { findActiveMatrix } from '../risks/matrices.repository.js';
import { filterRisks, ratingExpressions } from '../risks/risks.repository.js';
import { RiskHeatmapQuery, type RiskFacets, type RiskHeatmap } from './dashboard.schemas.js';

/**
 * The risk heatmap (likelihood × impact on the active matrix) of the risks that match the risk
 * register's filters, and the values those filters can take.
 */

export async function getRiskHeatmap(ctx: ServiceContext, caller: Caller, query: RiskHeatmapQuery): Promise<RiskHeatmap> {
  authorize(caller, 'register.read');
  const parsed = parseWith(RiskHeatmapQuery, query);
  return countRisksByCell(ctx.database.db, parsed, utcDate(ctx.clock.now()));
}

/**
 * Counts the matching risks per cell of the active matrix, by the levels of the chosen rating.
 * Every cell is listed, so that a grid can be drawn from the response alone, and the risks no cell
 * counts are reported as unrated or off the matrix. The counts therefore add up to the total.
 */
export async function countRisksByCell(db: Db, query: RiskHeatmapQuery, today: string): Promise<RiskHeatmap> {
  const rating = query.rating ?? 'current';
  const levels = ratingExpressions(rating);
  const [matrix, groups] = await Promise.all([
    findActiveMatrix(db),
    filterRisks(db, query, today)
      .select([levels.likelihood.as('likelihood'), levels.impact.as('impact'), sql<number>`count(*)`.as('count')])
      .groupBy([levels.likelihood, levels.impact])
      .execute(),
  ]);

  const counts = new Map<string, number>();
  let total = 0;
  let unrated = 0;
  let offMatrix = 0;
  for (const group of groups) {
    const groupCount = Number(group.count);
    total += groupCount;
    if (group.likelihood === null || group.impact === null) unrated += groupCount;
    else if (group.likelihood > matrix.likelihoodLevels.length || group.impact > matrix.impactLevels.length) offMatrix += groupCount;
    else counts.set(`${group.likelihood}:${group.impact}`, groupCount);
  }

  const cells = matrix.cells.flatMap((row, likelihoodIndex) =>
    row.map((band, impactIndex) => {
      const likelihood = likelihoodIndex + 1;
      const impact = impactIndex + 1;
      return { likelihood, impact, band, count: counts.get(`${likelihood}:${impact}`) ?? 0 };
    }),
  );
  return {
    rating,
    matrixNumber: matrix.number,
    likelihoodLevels: matrix.likelihoodLevels.map(({ level, label }) => ({ level, label })),
    impactLevels: matrix.impactLevels.map(({ level, label }) => ({ level, label })),
    bands: matrix.bands,
    cells,
    total,
    unrated,
    offMatrix,
  };
}

/** Lists the AI systems and owners that have risks, and every category, each with its number of risks. */
export async function getRiskFacets(ctx: ServiceContext, caller: Caller): Promise<RiskFacets> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const [aiSystems, owners, categories] = await Promise.all([
    db
      .selectFrom('risks as r')
      .innerJoin('ai_systems as s', 's.id', 'r.ai_system_id')
      .select(['s.id as id', 's.name as name', sql<number>`count(*)`.as('count')])
      .groupBy(['s.id', 's.name'])
      .orderBy('s.name')
      .orderBy('s.id')
      .execute(),
    db
      .selectFrom('risks as r')
      .innerJoin('people as p', 'p.id', 'r.owner_person_id')
      .select(['p.id as id', 'p.name as name', sql<number>`count(*)`.as('count')])
      .groupBy(['p.id', 'p.name'])
      .orderBy('p.name')
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('risk_categories as c')
      .leftJoin('risks as r', 'r.category_id', 'c.id')
      .select(['c.id as id', 'c.label as name', sql<number>`count(r.id)`.as('count')])
      .groupBy(['c.id', 'c.label'])
      .orderBy('c.label')
      .execute(),
  ]);
  const withNumbers = (rows: { id: string; name: string; count: number | string }[]) => rows.map((row) => ({ id: row.id, name: row.name, count: Number(row.count) }));
  return { aiSystems: withNumbers(aiSystems), owners: withNumbers(owners), categories: withNumbers(categories) };
}
