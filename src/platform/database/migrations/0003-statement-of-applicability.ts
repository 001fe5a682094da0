import { sql, type Kysely } from 'kysely';
import { notBlank, oneOf, versioned } from './column-rules.js';

/*
 * The Statement of Applicability: numbered versions, each with one entry per control. Only one
 * draft may be open at a time, and the decision rules hold in the schema as well as the service.
 * A discarded draft keeps its row without entries, so that its number is never given out again.
 */

const statuses = ['draft', 'approved', 'discarded'];
const decisions = ['undecided', 'applicable', 'excluded'];
const implementationStatuses = ['not_started', 'planned', 'partially_implemented', 'implemented'];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('soa_versions'))
    .addColumn('number', 'integer', (col) => col.notNull().unique().check(sql`number >= 1`))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('based_on_id', 'varchar(64)', (col) => col.references('soa_versions.id'))
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(64)')
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('approval_comment', 'text')
    .addCheckConstraint('soa_versions_status', oneOf('status', statuses))
    .addCheckConstraint('soa_versions_title_not_blank', notBlank('title'))
    .addCheckConstraint(
      'soa_versions_approval',
      sql`(status in ('draft', 'discarded') and approved_by is null and approved_at is null) or (status = 'approved' and approved_by is not null and approved_at is not null and approved_by <> created_by)`,
    )
    .execute();
  // At most one open draft: a partial unique index over the rows whose status is draft.
  await db.schema.createIndex('soa_versions_one_draft').on('soa_versions').column('status').unique().where(sql.ref('status'), '=', 'draft').execute();

  await db.schema
    .createTable('soa_entries')
    .addColumn('soa_version_id', 'varchar(64)', (col) => col.notNull().references('soa_versions.id').onDelete('cascade'))
    .addColumn('control_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('decision', 'varchar(16)', (col) => col.notNull())
    .addColumn('justification', 'text', (col) => col.notNull())
    .addColumn('basis', 'text', (col) => col.notNull())
    .addColumn('requirement_refs', 'text', (col) => col.notNull())
    .addColumn('implementation_status', 'varchar(32)')
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.references('people.id'))
    .addColumn('notes', 'text', (col) => col.notNull())
    .addColumn('changed_by', 'text', (col) => col.notNull())
    .addColumn('approved_view', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('soa_entries_key', ['soa_version_id', 'control_ref'])
    .addCheckConstraint('soa_entries_decision', oneOf('decision', decisions))
    .addCheckConstraint('soa_entries_justified', sql`decision = 'undecided' or ${notBlank('justification')}`)
    .addCheckConstraint(
      'soa_entries_status',
      sql`(decision = 'applicable' and ${oneOf('implementation_status', implementationStatuses)}) or (decision <> 'applicable' and implementation_status is null)`,
    )
    .execute();
  await db.schema.createIndex('soa_entries_control').on('soa_entries').column('control_ref').execute();
  await db.schema.createIndex('soa_entries_owner').on('soa_entries').column('owner_person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('soa_entries').ifExists().execute();
  await db.schema.dropTable('soa_versions').ifExists().execute();
}
