import { Type, type Static } from '@sinclair/typebox';
import { euAiActTiers } from '../classification/eu-ai-act.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { literalUnion } from '../platform/validation.js';
import { lifecycleStages } from './ai-system.js';
import { LifecycleStage } from './ai-system.schemas.js';

/**
 * The values the register's filters offer, each with the number of AI systems that have it, so
 * that a filter lists only values that match something. Each count equals the total of
 * GET /api/ai-systems with the same filter alone.
 */

const ValueCount = <T extends ReturnType<typeof Type.String> | ReturnType<typeof literalUnion>>(value: T) =>
  Type.Object({ value, count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const AiSystemFacets = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'AI systems in the register' }),
    lifecycleStages: Type.Array(ValueCount(LifecycleStage), { description: 'Stages in lifecycle order, only those in use' }),
    businessUnits: Type.Array(ValueCount(Type.String()), { description: 'Business units by name' }),
    owners: Type.Array(
      Type.Object({ personId: Type.String(), name: Type.String(), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      { description: 'People who own at least one AI system, by name' },
    ),
    classificationTiers: Type.Array(ValueCount(literalUnion(euAiActTiers)), { description: 'EU AI Act tiers of the current classifications, in the order of the tiers' }),
    unclassified: Type.Integer({ minimum: 0, description: 'AI systems without an approved classification' }),
    stale: Type.Integer({ minimum: 0, description: 'AI systems whose current classification is stale' }),
  },
  { $id: 'AiSystemFacets', additionalProperties: false },
);
export type AiSystemFacets = Static<typeof AiSystemFacets>;

export async function getAiSystemFacets(ctx: ServiceContext, caller: Caller): Promise<AiSystemFacets> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const [stageRows, unitRows, ownerRows, tierRows, totals] = await Promise.all([
    db.selectFrom('ai_systems').select('lifecycle_stage').select((eb) => eb.fn.countAll<number>().as('count')).groupBy('lifecycle_stage').execute(),
    db.selectFrom('ai_systems').select('business_unit').select((eb) => eb.fn.countAll<number>().as('count')).groupBy('business_unit').execute(),
    db
      .selectFrom('ai_systems as s')
      .innerJoin('people as p', 'p.id', 's.owner_id')
      .select(['p.id', 'p.name'])
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .groupBy(['p.id', 'p.name'])
      .execute(),
    db.selectFrom('classifications').select('tier').select((eb) => eb.fn.countAll<number>().as('count')).where('status', '=', 'approved').groupBy('tier').execute(),
    db
      .selectFrom('ai_systems as s')
      .leftJoin('classifications as c', (join) => join.onRef('c.ai_system_id', '=', 's.id').on('c.status', '=', 'approved'))
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.count<number>('c.id').as('classified'),
        eb.fn.sum<number>(eb.case().when('c.stale', '=', 1).then(1).else(0).end()).as('stale'),
      ])
      .executeTakeFirstOrThrow(),
  ]);

  const stageCounts = new Map(stageRows.map((row) => [row.lifecycle_stage, Number(row.count)]));
  const tierCounts = new Map(tierRows.map((row) => [row.tier, Number(row.count)]));
  const total = Number(totals.total);
  return {
    total,
    lifecycleStages: lifecycleStages.filter((stage) => stageCounts.has(stage)).map((stage) => ({ value: stage, count: stageCounts.get(stage)! })),
    // Sorted here rather than in SQL, because SQLite and PostgreSQL collate text differently.
    businessUnits: unitRows.map((row) => ({ value: row.business_unit, count: Number(row.count) })).sort((a, b) => a.value.localeCompare(b.value)),
    owners: ownerRows.map((row) => ({ personId: row.id, name: row.name, count: Number(row.count) })).sort((a, b) => a.name.localeCompare(b.name)),
    classificationTiers: euAiActTiers.filter((tier) => tierCounts.has(tier)).map((tier) => ({ value: tier, count: tierCounts.get(tier)! })),
    unclassified: total - Number(totals.classified),
    stale: Number(totals.stale ?? 0),
  };
}
