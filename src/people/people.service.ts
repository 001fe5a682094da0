import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import type { ChangeOptions } from './change-options.js';
import { findPersonIdByEmail, findPersonNames, findPersonRow, loadChainFrom, queryPeople, toPerson, toPersonRow } from './people.repository.js';
import { CreatePerson, PersonListQuery, PersonNamesQuery, UpdatePerson, type Person, type PersonName, type ReportingLine } from './person.schemas.js';
import { ensurePeopleExist } from './references.js';
import { chainToBoard, findReportingCycle } from './reporting-line.js';

/** Use cases of people and reporting lines. Each checks access first and audits every change in its transaction. */

export async function listPeople(ctx: ServiceContext, caller: Caller, query: PersonListQuery): Promise<PageOf<Person>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(PersonListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryPeople(ctx.database.db, parsed, limit, offset);
  return { items: rows.map(toPerson), total, limit, offset };
}

/**
 * Looks up the names of the listed people, for screens that show owners by name. It returns
 * no contact data, so every role that reads the register may call it. Ids of people who do
 * not exist (or no longer do) are left out rather than rejected, because records keep the
 * ids of owners who have since been removed.
 */
export async function listPersonNames(ctx: ServiceContext, caller: Caller, query: PersonNamesQuery): Promise<PersonName[]> {
  authorize(caller, 'register.read');
  const parsed = parseWith(PersonNamesQuery, query);
  return findPersonNames(ctx.database.db, [...new Set(parsed.ids)]);
}

export async function getPerson(ctx: ServiceContext, caller: Caller, id: string): Promise<Person> {
  authorize(caller, 'register.read');
  const row = await findPersonRow(ctx.database.db, id);
  if (!row) throw notFound('person', id);
  return toPerson(row);
}

export async function createPerson(ctx: ServiceContext, caller: Caller, input: CreatePerson, reason?: string | null): Promise<Person> {
  authorize(caller, 'people.write');
  const parsed = parseWith(CreatePerson, input);
  return writeTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const person: Person = {
      id: newId(),
      name: parsed.name.trim(),
      email: normalizeEmail(parsed.email),
      jobTitle: parsed.jobTitle?.trim() ?? '',
      reportsToId: parsed.reportsToId ?? null,
      isBoardMember: parsed.isBoardMember ?? false,
      version: 1,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
    };
    if (person.reportsToId !== null) await ensurePeopleExist(trx, [{ id: person.reportsToId, path: '/reportsToId' }]);
    await ensureEmailFree(trx, person);
    await withEmailConflict(() => trx.insertInto('people').values(toPersonRow(person)).execute(), person);
    await appendAuditEvent(trx, caller, now, { action: 'person.created', recordId: person.id, after: person, reason: reason ?? null });
    return person;
  });
}

/** Changes a person. A new manager must exist and must not be the person or anyone below them. */
export async function updatePerson(ctx: ServiceContext, caller: Caller, id: string, patch: UpdatePerson, options: ChangeOptions = {}): Promise<Person> {
  authorize(caller, 'people.write');
  const parsed = parseWith(UpdatePerson, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadPersonForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: Person = {
      ...before,
      ...parsed,
      name: parsed.name?.trim() ?? before.name,
      email: parsed.email === undefined ? before.email : normalizeEmail(parsed.email),
      jobTitle: parsed.jobTitle?.trim() ?? before.jobTitle,
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    if (after.reportsToId !== null && after.reportsToId !== before.reportsToId) await ensureReportingLineAcyclic(trx, after, after.reportsToId);
    if (after.email !== before.email) await ensureEmailFree(trx, after);

    await withEmailConflict(
      () => trx.updateTable('people').set(toPersonRow(after)).where('id', '=', id).where('version', '=', before.version).execute(),
      after,
    );
    await appendAuditEvent(trx, caller, now, { action: 'person.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/** Returns the person's managers, nearest first, up to the first board member or the top of the line. */
export async function getReportingLine(ctx: ServiceContext, caller: Caller, id: string): Promise<ReportingLine> {
  authorize(caller, 'register.read');
  const row = await findPersonRow(ctx.database.db, id);
  if (!row) throw notFound('person', id);
  const person = toPerson(row);
  const chain = person.isBoardMember || person.reportsToId === null ? [] : chainToBoard(await loadChainFrom(ctx.database.db, person.reportsToId));
  return { person, chain, reachesBoard: person.isBoardMember || chain.some((link) => link.isBoardMember) };
}

export async function loadPersonForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<Person> {
  const row = await findPersonRow(trx, id);
  if (!row) throw notFound('person', id);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw versionMismatch('person', id, expectedVersion, row.version);
  }
  return toPerson(row);
}

async function ensureReportingLineAcyclic(trx: Db, person: Person, managerId: string): Promise<void> {
  if (managerId === person.id) {
    throw validationFailed([{ path: '/reportsToId', message: `"${person.name}" cannot report to themselves; choose another person or null` }]);
  }
  await ensurePeopleExist(trx, [{ id: managerId, path: '/reportsToId' }]);

  const managerChain = await loadChainFrom(trx, managerId);
  const cycle = findReportingCycle(person, managerChain);
  if (!cycle) return;
  const manager = managerChain[0]!;
  throw new AppError(
    'CONFLICT',
    `"${person.name}" cannot report to "${manager.name}", because "${manager.name}" is already below "${person.name}" and the change would create the reporting cycle ${cycle.join(' → ')}; choose a manager who is not below "${person.name}"`,
    [{ path: '/reportsToId', message: `would create the reporting cycle ${cycle.join(' → ')}` }],
  );
}

/** Emails are stored in lower case, so their uniqueness ignores case. */
function normalizeEmail(email: string | null | undefined): string | null {
  if (email === undefined || email === null) return null;
  return email.toLowerCase();
}

async function ensureEmailFree(trx: Db, person: Person): Promise<void> {
  if (person.email === null) return;
  const holder = await findPersonIdByEmail(trx, person.email);
  if (holder !== undefined && holder !== person.id) throw emailTaken(person.email);
}

/** Runs a write, reporting a unique violation on the email as the same 409 that ensureEmailFree gives. */
async function withEmailConflict(write: () => Promise<unknown>, person: Person): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error) && person.email !== null) throw emailTaken(person.email);
    throw error;
  }
}

function emailTaken(email: string): AppError {
  return new AppError('CONFLICT', `A person with email "${email}" already exists; use another email or update the existing person`, [
    { path: '/email', message: 'must be unique' },
  ]);
}
