import { sql } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { RedTeamExerciseTable, RedTeamFindingTable } from '../platform/database/schema.js';
import { containsText, parseSort } from '../platform/listing.js';
import type { ExerciseKind, FindingSeverity, FindingStatus, PerformerType } from './red-team.js';
import type {
  ExerciseSortKey,
  FindingSortKey,
  RedTeamExercise,
  RedTeamExerciseListQuery,
  RedTeamFinding,
  RedTeamFindingListQuery,
} from './red-team.schemas.js';

/** Reads and writes red-team exercises and findings with their links, and turns rows into the API's shape. */

type FindingCounts = RedTeamExercise['findingCounts'];

export function toExercise(row: RedTeamExerciseTable, findingCounts: FindingCounts): RedTeamExercise {
  return {
    id: row.id,
    kind: row.kind as ExerciseKind,
    title: row.title,
    scope: row.scope,
    aiSystemId: row.ai_system_id,
    startedOn: row.started_on,
    endedOn: row.ended_on,
    performerType: row.performer_type as PerformerType,
    performerName: row.performer_name,
    summary: row.summary,
    findingCounts: { ...findingCounts },
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toExerciseRow(exercise: RedTeamExercise, nextFindingNumber: number): RedTeamExerciseTable {
  return {
    id: exercise.id,
    kind: exercise.kind,
    title: exercise.title,
    scope: exercise.scope,
    ai_system_id: exercise.aiSystemId,
    started_on: exercise.startedOn,
    ended_on: exercise.endedOn,
    performer_type: exercise.performerType,
    performer_name: exercise.performerName,
    summary: exercise.summary,
    next_finding_number: nextFindingNumber,
    created_by: exercise.createdBy,
    version: exercise.version,
    created_at: exercise.createdAt,
    updated_at: exercise.updatedAt,
  };
}

const emptyCounts = (): FindingCounts => ({ open: 0, accepted: 0, remediated: 0, closed: 0 });

async function countFindings(db: Db, exerciseIds: readonly string[]): Promise<Map<string, FindingCounts>> {
  const counts = new Map<string, FindingCounts>();
  if (exerciseIds.length === 0) return counts;
  const rows = await db
    .selectFrom('red_team_findings')
    .select(['exercise_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('exercise_id', 'in', [...exerciseIds])
    .groupBy(['exercise_id', 'status'])
    .execute();
  for (const row of rows) {
    const entry = counts.get(row.exercise_id) ?? emptyCounts();
    entry[row.status as FindingStatus] = Number(row.count);
    counts.set(row.exercise_id, entry);
  }
  return counts;
}

export async function findExerciseRow(db: Db, id: string): Promise<RedTeamExerciseTable | undefined> {
  return db.selectFrom('red_team_exercises').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findExercise(db: Db, id: string): Promise<RedTeamExercise | undefined> {
  const row = await findExerciseRow(db, id);
  if (!row) return undefined;
  const counts = await countFindings(db, [id]);
  return toExercise(row, counts.get(id) ?? emptyCounts());
}

const exerciseSortColumns: Record<ExerciseSortKey, keyof RedTeamExerciseTable> = {
  startedOn: 'started_on',
  title: 'title',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export async function queryExercises(db: Db, query: RedTeamExerciseListQuery, limit: number, offset: number): Promise<{ items: RedTeamExercise[]; total: number }> {
  let filtered = db.selectFrom('red_team_exercises');
  if (query.kind) filtered = filtered.where('kind', '=', query.kind);
  if (query.aiSystemId) filtered = filtered.where('ai_system_id', '=', query.aiSystemId);
  if (query.performerType) filtered = filtered.where('performer_type', '=', query.performerType);
  if (query.q) filtered = filtered.where(containsText(['title', 'scope', 'performer_name'], query.q));
  const { key, order } = parseSort<ExerciseSortKey>(query.sort ?? 'startedOn');
  const [rows, count] = await Promise.all([
    filtered.selectAll().orderBy(exerciseSortColumns[key], order).orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const counts = await countFindings(
    db,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => toExercise(row, counts.get(row.id) ?? emptyCounts())), total: Number(count.total) };
}

interface FindingLinks {
  threatRefs: string[];
  testedRiskIds: string[];
  raisedRiskIds: string[];
  evidenceIds: string[];
}

export function toFinding(row: RedTeamFindingTable, aiSystemId: string | null, links: FindingLinks): RedTeamFinding {
  return {
    id: row.id,
    exerciseId: row.exercise_id,
    aiSystemId,
    number: row.number,
    title: row.title,
    description: row.description,
    severity: row.severity as FindingSeverity,
    status: row.status as FindingStatus,
    resolution: row.resolution,
    threatRefs: [...links.threatRefs],
    testedRiskIds: [...links.testedRiskIds],
    raisedRiskIds: [...links.raisedRiskIds],
    evidenceIds: [...links.evidenceIds],
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toFindingRow(finding: RedTeamFinding): RedTeamFindingTable {
  return {
    id: finding.id,
    exercise_id: finding.exerciseId,
    number: finding.number,
    title: finding.title,
    description: finding.description,
    severity: finding.severity,
    status: finding.status,
    resolution: finding.resolution,
    created_by: finding.createdBy,
    version: finding.version,
    created_at: finding.createdAt,
    updated_at: finding.updatedAt,
  };
}

/** Links of each finding: threat refs in catalogue order, risk and evidence ids sorted. */
async function findFindingLinks(db: Db, findingIds: readonly string[]): Promise<Map<string, FindingLinks>> {
  const links = new Map<string, FindingLinks>();
  if (findingIds.length === 0) return links;
  const ids = [...new Set(findingIds)];
  const [threats, risks, evidence] = await Promise.all([
    db
      .selectFrom('red_team_finding_threats as t')
      .innerJoin('catalogue_items as i', 'i.ref', 't.catalogue_ref')
      .select(['t.finding_id', 't.catalogue_ref'])
      .where('t.finding_id', 'in', ids)
      .orderBy('i.framework_id')
      .orderBy('i.position')
      .execute(),
    db.selectFrom('red_team_finding_risks').select(['finding_id', 'risk_id', 'relation']).where('finding_id', 'in', ids).orderBy('risk_id').execute(),
    db.selectFrom('red_team_finding_evidence').select(['finding_id', 'evidence_id']).where('finding_id', 'in', ids).orderBy('evidence_id').execute(),
  ]);
  const entry = (id: string): FindingLinks => {
    let found = links.get(id);
    if (!found) {
      found = { threatRefs: [], testedRiskIds: [], raisedRiskIds: [], evidenceIds: [] };
      links.set(id, found);
    }
    return found;
  };
  for (const row of threats) entry(row.finding_id).threatRefs.push(row.catalogue_ref);
  for (const row of risks) (row.relation === 'tests' ? entry(row.finding_id).testedRiskIds : entry(row.finding_id).raisedRiskIds).push(row.risk_id);
  for (const row of evidence) entry(row.finding_id).evidenceIds.push(row.evidence_id);
  return links;
}

const noLinks = (): FindingLinks => ({ threatRefs: [], testedRiskIds: [], raisedRiskIds: [], evidenceIds: [] });

export async function findFinding(db: Db, id: string): Promise<RedTeamFinding | undefined> {
  const row = await db
    .selectFrom('red_team_findings as f')
    .innerJoin('red_team_exercises as e', 'e.id', 'f.exercise_id')
    .selectAll('f')
    .select('e.ai_system_id')
    .where('f.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const links = await findFindingLinks(db, [id]);
  const { ai_system_id: aiSystemId, ...finding } = row;
  return toFinding(finding, aiSystemId, links.get(id) ?? noLinks());
}

/** Orders severities from low to critical instead of alphabetically. */
const severityOrder = sql<number>`case f.severity when 'low' then 1 when 'medium' then 2 when 'high' then 3 else 4 end`;
const statusOrder = sql<number>`case f.status when 'open' then 1 when 'accepted' then 2 when 'remediated' then 3 else 4 end`;

export async function queryFindings(db: Db, query: RedTeamFindingListQuery, limit: number, offset: number): Promise<{ items: RedTeamFinding[]; total: number }> {
  let filtered = db.selectFrom('red_team_findings as f').innerJoin('red_team_exercises as e', 'e.id', 'f.exercise_id');
  if (query.exerciseId) filtered = filtered.where('f.exercise_id', '=', query.exerciseId);
  if (query.aiSystemId) filtered = filtered.where('e.ai_system_id', '=', query.aiSystemId);
  if (query.severity) filtered = filtered.where('f.severity', '=', query.severity);
  if (query.status) filtered = filtered.where('f.status', '=', query.status);
  if (query.q) filtered = filtered.where(containsText(['f.title', 'f.description'], query.q));
  if (query.threatRef) {
    const ref = query.threatRef;
    filtered = filtered.where('f.id', 'in', (eb) => eb.selectFrom('red_team_finding_threats').select('finding_id').where('catalogue_ref', '=', ref));
  }
  if (query.riskId) {
    const riskId = query.riskId;
    filtered = filtered.where('f.id', 'in', (eb) => eb.selectFrom('red_team_finding_risks').select('finding_id').where('risk_id', '=', riskId));
  }

  const { key, order } = parseSort<FindingSortKey>(query.sort ?? 'createdAt');
  const sortExpressions = {
    number: sql<number>`f.number`,
    severity: severityOrder,
    status: statusOrder,
    createdAt: sql<string>`f.created_at`,
    updatedAt: sql<string>`f.updated_at`,
  } satisfies Record<FindingSortKey, unknown>;

  const [rows, count] = await Promise.all([
    // Exercise and number break ties so that pages never overlap or skip a record.
    filtered
      .selectAll('f')
      .select('e.ai_system_id')
      .orderBy(sortExpressions[key], order)
      .orderBy('f.exercise_id')
      .orderBy('f.number')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const links = await findFindingLinks(
    db,
    rows.map((row) => row.id),
  );
  return {
    items: rows.map(({ ai_system_id: aiSystemId, ...row }) => toFinding(row, aiSystemId, links.get(row.id) ?? noLinks())),
    total: Number(count.total),
  };
}

/** Replaces the links of a finding that the change names; links it does not name stay as they are. */
export async function replaceFindingLinks(trx: Db, findingId: string, links: Partial<FindingLinks>): Promise<void> {
  if (links.threatRefs) {
    await trx.deleteFrom('red_team_finding_threats').where('finding_id', '=', findingId).execute();
    if (links.threatRefs.length > 0) {
      await trx
        .insertInto('red_team_finding_threats')
        .values(links.threatRefs.map((ref) => ({ finding_id: findingId, catalogue_ref: ref })))
        .execute();
    }
  }
  for (const [relation, riskIds] of [
    ['tests', links.testedRiskIds],
    ['raises', links.raisedRiskIds],
  ] as const) {
    if (!riskIds) continue;
    await trx.deleteFrom('red_team_finding_risks').where('finding_id', '=', findingId).where('relation', '=', relation).execute();
    if (riskIds.length > 0) {
      await trx
        .insertInto('red_team_finding_risks')
        .values(riskIds.map((riskId) => ({ finding_id: findingId, risk_id: riskId, relation })))
        .execute();
    }
  }
  if (links.evidenceIds) {
    await trx.deleteFrom('red_team_finding_evidence').where('finding_id', '=', findingId).execute();
    if (links.evidenceIds.length > 0) {
      await trx
        .insertInto('red_team_finding_evidence')
        .values(links.evidenceIds.map((evidenceId) => ({ finding_id: findingId, evidence_id: evidenceId })))
        .execute();
    }
  }
}
