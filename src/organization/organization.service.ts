import { isDeepStrictEqual } from 'node:util';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, versionMismatch } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import { PutOrganization, type AimsScope, type Organization } from './organization.schemas.js';
import { findOrganizationRow, listScopedAiSystems, organizationId, toOrganization, toOrganizationRow } from './organization.repository.js';

/** Use cases of the organization profile and the AIMS scope. Each checks access first and audits every change. */

export interface PutOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}

export async function getOrganization(ctx: ServiceContext, caller: Caller): Promise<Organization> {
  authorize(caller, 'register.read');
  const row = await findOrganizationRow(ctx.database.db);
  if (!row) throw profileMissing();
  return toOrganization(row);
}

/**
 * Creates the organization profile on the first call and replaces it afterwards. A replacement
 * that changes nothing writes nothing and keeps the version, so repeating a PUT is harmless.
 */
export async function putOrganization(
  ctx: ServiceContext,
  caller: Caller,
  input: PutOrganization,
  options: PutOptions = {},
): Promise<{ organization: Organization; created: boolean }> {
  authorize(caller, 'organization.write');
  const parsed = parseWith(PutOrganization, input);
  const profile = { ...parsed, name: parsed.name.trim() };

  return writeTransaction(ctx.database, async (trx) => {
    const row = await findOrganizationRow(trx);
    const now = ctx.clock.now();
    const reason = options.reason ?? null;

    if (!row) {
      if (options.expectedVersion !== undefined) {
        throw new AppError(
          'PRECONDITION_FAILED',
          `No organization profile exists yet, so If-Match version ${options.expectedVersion} cannot match; send the first PUT without If-Match to create the profile`,
        );
      }
      const organization: Organization = { id: organizationId, ...profile, version: 1, createdAt: toTimestamp(now), updatedAt: toTimestamp(now) };
      await trx.insertInto('organization').values(toOrganizationRow(organization)).execute();
      await appendAuditEvent(trx, caller, now, { action: 'organization.created', recordId: organizationId, after: organization, reason });
      return { organization, created: true };
    }

    const before = toOrganization(row);
    if (options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
      throw versionMismatch('organization', organizationId, options.expectedVersion, before.version);
    }
    if (isUnchanged(before, profile)) return { organization: before, created: false };

    const after: Organization = { ...before, ...profile, version: before.version + 1, updatedAt: toTimestamp(now) };
    await trx.updateTable('organization').set(toOrganizationRow(after)).where('id', '=', organizationId).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'organization.updated', recordId: organizationId, before, after, reason });
    return { organization: after, created: false };
  });
}

/**
 * Returns the scope statement and boundaries with every AI system inside and outside the scope.
 * NOTE: the lists are not paged. With 10,000 short test records the response measured about
 * 1.4 MiB, so a client that needs pages should use GET /api/ai-systems?inScope=true or false.
 */
export async function getAimsScope(ctx: ServiceContext, caller: Caller): Promise<AimsScope> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const [row, inScope, outOfScope] = await Promise.all([findOrganizationRow(db), listScopedAiSystems(db, true), listScopedAiSystems(db, false)]);
  const organization = row ? toOrganization(row) : undefined;
  return {
    scopeStatement: organization?.scopeStatement ?? null,
    scopeBoundaries: organization?.scopeBoundaries ?? [],
    inScope: { count: inScope.length, aiSystems: inScope },
    outOfScope: { count: outOfScope.length, aiSystems: outOfScope },
  };
}

function isUnchanged(before: Organization, profile: PutOrganization): boolean {
  return (Object.keys(profile) as (keyof PutOrganization)[]).every((field) => isDeepStrictEqual(before[field], profile[field]));
}

function profileMissing(): AppError {
  return new AppError('NOT_FOUND', 'No organization profile exists yet; create it with PUT /api/organization');
}
