import { appendAuditEvents, type AuditEntry } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../platform/database/connection.js';
import type { Tables } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, type ErrorDetail } from '../platform/errors.js';
import { rolesOf, toUser, type User } from '../users/users.service.js';
import type { ChangeOptions } from './change-options.js';
import { loadPersonForChange } from './people.service.js';
import type { Team } from './team.schemas.js';
import { saveTeam, teamsWithMember } from './teams.repository.js';

/**
 * Deletes a person. A person who still carries responsibility (direct reports, owned AI
 * systems, roles, RACI assignments, a chair) is kept until it is handed over, so that no
 * responsibility disappears unseen. Team memberships and links from user accounts are removed
 * in the same transaction, each with its own audit event.
 */
export async function deletePerson(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'people.write');
  await writeTransaction(ctx.database, async (trx) => {
    const before = await loadPersonForChange(trx, id, options.expectedVersion);
    const blockers = await findResponsibilities(trx, id);
    if (blockers.length > 0) {
      throw new AppError(
        'CONFLICT',
        `"${before.name}" cannot be deleted while they still carry responsibility (${blockers.map((blocker) => blocker.summary).join(', ')}); hand it over or remove it first`,
        blockers.map((blocker) => blocker.detail),
      );
    }

    const now = ctx.clock.now();
    const reason = options.reason ?? null;
    const entries: AuditEntry[] = [];
    for (const team of await teamsWithMember(trx, id)) {
      const after: Team = { ...team, memberIds: team.memberIds.filter((memberId) => memberId !== id), version: team.version + 1, updatedAt: toTimestamp(now) };
      await saveTeam(trx, after, team.version);
      entries.push({ action: 'team.updated', recordId: team.id, before: team, after, reason });
    }
    for (const user of await usersLinkedTo(trx, id)) {
      const after: User = { ...user, personId: null, version: user.version + 1, updatedAt: toTimestamp(now) };
      await trx.updateTable('users').set({ person_id: null, version: after.version, updated_at: after.updatedAt }).where('id', '=', user.id).execute();
      entries.push({ action: 'user.updated', recordId: user.id, before: user, after, reason });
    }
    await trx.deleteFrom('people').where('id', '=', id).where('version', '=', before.version).execute();
    entries.push({ action: 'person.deleted', recordId: id, before, reason });
    await appendAuditEvents(trx, caller, now, entries);
  });
}

interface Blocker {
  summary: string;
  detail: ErrorDetail;
}

/** Lists what the person is still responsible for, each with where to look it up. */
async function findResponsibilities(db: Db, personId: string): Promise<Blocker[]> {
  const [reports, systems, roles, raci, chairs] = await Promise.all([
    countRows(db.selectFrom('people').select(countAll).where('reports_to_id', '=', personId)),
    countRows(db.selectFrom('ai_systems').select(countAll).where('owner_id', '=', personId)),
    countRows(db.selectFrom('role_assignments').select(countAll).where('person_id', '=', personId)),
    countRows(db.selectFrom('raci_assignments').select(countAll).where('person_id', '=', personId)),
    countRows(db.selectFrom('teams').select(countAll).where('chair_id', '=', personId)),
  ]);
  const blockers: Blocker[] = [];
  if (reports > 0) {
    blockers.push({ summary: `${reports} direct report(s)`, detail: { path: 'directReports', message: `set another manager for the people at GET /api/people?reportsToId=${personId}` } });
  }
  if (systems > 0) {
    blockers.push({ summary: `owner of ${systems} AI system(s)`, detail: { path: 'ownedAiSystems', message: `set another owner for the systems at GET /api/ai-systems?ownerId=${personId}` } });
  }
  if (roles > 0) {
    blockers.push({ summary: `${roles} role assignment(s)`, detail: { path: 'roleAssignments', message: `delete the assignments at GET /api/role-assignments?personId=${personId}` } });
  }
  if (raci > 0) {
    blockers.push({ summary: `${raci} RACI assignment(s)`, detail: { path: 'raciAssignments', message: 'delete the RACI assignments that name this person, listed per AI system at GET /api/ai-systems/:id/raci?personId=' + personId } });
  }
  if (chairs > 0) {
    blockers.push({ summary: `chair of ${chairs} team(s)`, detail: { path: 'chairedTeams', message: `set another chair for the teams that this person chairs (GET /api/teams?memberId=${personId})` } });
  }
  blockers.push(...(await findGovernanceResponsibilities(db, personId)));
  return blockers;
}

/**
 * Lists the governance records that name the person: controls owned in a Statement of
 * Applicability, evidence collected, assessments led, remediation actions, documents, AI
 * objectives, risks and risk treatments owned. Approved and completed records keep their history, so a person named there
 * stays in the register.
 */
async function findGovernanceResponsibilities(db: Db, personId: string): Promise<Blocker[]> {
  const [controls, evidence, assessments, actions, documents, objectives, risks, treatments] = await Promise.all([
    countRows(db.selectFrom('soa_entries').select(countAll).where('owner_person_id', '=', personId)),
    countRows(db.selectFrom('evidence').select(countAll).where('collected_by_person_id', '=', personId)),
    countRows(db.selectFrom('assessments').select(countAll).where('lead_assessor_person_id', '=', personId)),
    countRows(db.selectFrom('remediation_actions').select(countAll).where('owner_person_id', '=', personId)),
    countRows(db.selectFrom('documents').select(countAll).where('owner_person_id', '=', personId)),
    countRows(db.selectFrom('objectives').select(countAll).where('owner_person_id', '=', personId)),
    countRows(db.selectFrom('risks').select(countAll).where('owner_person_id', '=', personId)),
    countRows(db.selectFrom('risk_treatments').select(countAll).where('owner_person_id', '=', personId)),
  ]);
  const blockers: Blocker[] = [];
  if (controls > 0) {
    blockers.push({
      summary: `owner of ${controls} Statement of Applicability control(s)`,
      detail: { path: 'soaControls', message: `set another owner in the open draft (GET /api/soa/versions/:id/entries?owner=${personId}); approved versions keep their owners for good` },
    });
  }
  if (evidence > 0) {
    blockers.push({ summary: `collector of ${evidence} evidence item(s)`, detail: { path: 'evidence', message: 'set another collector on the evidence this person collected (GET /api/evidence)' } });
  }
  if (assessments > 0) {
    blockers.push({ summary: `lead assessor of ${assessments} assessment(s)`, detail: { path: 'assessments', message: 'set another lead assessor on the assessments this person leads (GET /api/assessments)' } });
  }
  if (actions > 0) {
    blockers.push({ summary: `owner of ${actions} remediation action(s)`, detail: { path: 'remediationActions', message: 'set another owner on the remediation actions this person owns' } });
  }
  if (documents > 0) {
    blockers.push({ summary: `owner of ${documents} document(s)`, detail: { path: 'documents', message: `set another owner on the documents at GET /api/documents?ownerPersonId=${personId}` } });
  }
  if (risks > 0) {
    blockers.push({ summary: `owner of ${risks} risk(s)`, detail: { path: 'risks', message: `set another owner on the risks at GET /api/risks?ownerPersonId=${personId}` } });
  }
  if (treatments > 0) {
    blockers.push({ summary: `owner of ${treatments} risk treatment(s)`, detail: { path: 'riskTreatments', message: 'set another owner on the risk treatments this person owns' } });
  }
  if (objectives > 0) {
    blockers.push({ summary: `owner of ${objectives} AI objective(s)`, detail: { path: 'objectives', message: `set another owner on the objectives at GET /api/objectives?ownerPersonId=${personId}` } });
  }
  return blockers;
}

function countAll(eb: ExpressionBuilder<Tables, keyof Tables>) {
  return eb.fn.countAll<number>().as('count');
}

async function countRows(query: { executeTakeFirstOrThrow(): Promise<{ count: number }> }): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).count);
}

async function usersLinkedTo(db: Db, personId: string): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('person_id', '=', personId).execute();
  return Promise.all(rows.map(async (row) => toUser(row, await rolesOf(db, row.id))));
}
