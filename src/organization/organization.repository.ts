import type { Db } from '../platform/database/connection.js';
import type { OrganizationTable } from '../platform/database/schema.js';
import type { Organization, ScopedAiSystem } from './organization.schemas.js';

/** Reads and writes the organization row and the scope view of the AI system register. */

/** The one organization row's id; a CHECK constraint keeps the table to this single row. */
export const organizationId = 'organization';

export function toOrganization(row: OrganizationTable): Organization {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scopeStatement: row.scope_statement,
    scopeBoundaries: JSON.parse(row.scope_boundaries) as string[],
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toOrganizationRow(organization: Organization): OrganizationTable {
  return {
    id: organization.id,
    name: organization.name,
    description: organization.description,
    scope_statement: organization.scopeStatement,
    scope_boundaries: JSON.stringify(organization.scopeBoundaries),
    version: organization.version,
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
  };
}

export async function findOrganizationRow(db: Db): Promise<OrganizationTable | undefined> {
  return db.selectFrom('organization').selectAll().where('id', '=', organizationId).executeTakeFirst();
}

/** Returns every AI system inside (or outside) the AIMS scope, by name. */
export async function listScopedAiSystems(db: Db, inScope: boolean): Promise<ScopedAiSystem[]> {
  const rows = await db
    .selectFrom('ai_systems')
    .select(['id', 'name', 'business_unit', 'lifecycle_stage', 'scope_justification'])
    .where('in_scope', '=', inScope ? 1 : 0)
    .orderBy('name')
    .orderBy('business_unit')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    businessUnit: row.business_unit,
    lifecycleStage: row.lifecycle_stage,
    scopeJustification: row.scope_justification,
  }));
}
