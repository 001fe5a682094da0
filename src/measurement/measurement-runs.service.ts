import { Type, type Static } from '@sinclair/typebox';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { pageBounds, PageQuery, type PageOf } from '../platform/pagination.js';
import { literalUnion, parseWith } from '../platform/validation.js';
import { MeasurementRunSummary, runKinds } from './measurement.schemas.js';
import { findFileRows, normalizeInstant, toRunSummary } from './measurements.repository.js';
import { runResults } from './reports/run-outcome.js';

/**
 * The runs of every AI system in one list, newest first, with the names a person reads beside
 * the ids: the AI system, the model and its version, and who ran it. The web app's measurement
 * screen lists them; the per-system list stays at /api/ai-systems/{id}/measurements.
 */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

export const AllMeasurementRunsQuery = Type.Object(
  {
    ...PageQuery,
    id: Type.Optional(recordId('Only this run, to read its names with one request')),
    aiSystemId: Type.Optional(recordId('Only runs of this AI system')),
    kind: Type.Optional(literalUnion(runKinds)),
    result: Type.Optional(literalUnion(runResults)),
    finishedFrom: Type.Optional(Type.String({ format: 'date-time', description: 'Only runs finished at or after this instant' })),
    finishedBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Only runs finished before this instant' })),
  },
  { additionalProperties: false },
);
export type AllMeasurementRunsQuery = Static<typeof AllMeasurementRunsQuery>;

const nullableText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const MeasurementRunListItem = Type.Object(
  {
    ...MeasurementRunSummary.properties,
    aiSystemName: Type.String(),
    modelName: nullableText('Name of the model whose version the run measured'),
    modelVersionLabel: nullableText('Label of the model version the run measured'),
    runByName: Type.String({ description: 'Display name of who ran it, or the user id when the user is not in the register (such as "system" for the demo)' }),
  },
  { additionalProperties: false },
);
export type MeasurementRunListItem = Static<typeof MeasurementRunListItem>;

export async function listAllMeasurementRuns(ctx: ServiceContext, caller: Caller, query: AllMeasurementRunsQuery): Promise<PageOf<MeasurementRunListItem>> {
  authorize(caller, 'measurements.read');
  const parsed = parseWith(AllMeasurementRunsQuery, query);
  const db = ctx.database.db;
  const { limit, offset } = pageBounds(parsed);

  let filtered = db.selectFrom('measurement_runs');
  if (parsed.id) filtered = filtered.where('measurement_runs.id', '=', parsed.id);
  if (parsed.aiSystemId) filtered = filtered.where('measurement_runs.ai_system_id', '=', parsed.aiSystemId);
  if (parsed.kind) filtered = filtered.where('measurement_runs.kind', '=', parsed.kind);
  if (parsed.result) filtered = filtered.where('measurement_runs.result', '=', parsed.result);
  if (parsed.finishedFrom) filtered = filtered.where('measurement_runs.finished_at', '>=', normalizeInstant(parsed.finishedFrom));
  if (parsed.finishedBefore) filtered = filtered.where('measurement_runs.finished_at', '<', normalizeInstant(parsed.finishedBefore));

  const [rows, count] = await Promise.all([
    filtered
      .innerJoin('ai_systems', 'ai_systems.id', 'measurement_runs.ai_system_id')
      .leftJoin('model_versions', 'model_versions.id', 'measurement_runs.model_version_id')
      .leftJoin('models', 'models.id', 'model_versions.model_id')
      .leftJoin('users', 'users.id', 'measurement_runs.run_by')
      .selectAll('measurement_runs')
      .select(['ai_systems.name as ai_system_name', 'models.name as model_name', 'model_versions.version_label as model_version_label', 'users.display_name as run_by_name'])
      // The id breaks ties so that pages never overlap or skip a run.
      .orderBy('measurement_runs.finished_at', 'desc')
      .orderBy('measurement_runs.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const files = await findFileRows(
    db,
    rows.map((row) => row.id),
  );
  const items = rows.map((row) => ({
    ...toRunSummary(row, files.get(row.id) ?? []),
    aiSystemName: row.ai_system_name,
    modelName: row.model_name ?? null,
    modelVersionLabel: row.model_version_label ?? null,
    runByName: row.run_by_name ?? row.run_by,
  }));
  return { items, total: Number(count.total), limit, offset };
}
