import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank, oneOf, usesPostgres, versioned } from './column-rules.js';

/*
 * Documented information (policies, procedures, records and the AI policy among them) with
 * numbered versions and an approval step, and the AI objectives with their KPI history.
 * A document version is approved by someone other than its author, and only one draft may be
 * open per document; both rules hold in the schema as well as in the service.
 */

const documentKinds = ['policy', 'procedure', 'plan', 'record', 'report', 'other'];
const documentStatuses = ['draft', 'approved', 'retired'];
const versionStatuses = ['draft', 'approved'];
const confidentialityLevels = ['public', 'internal', 'restricted'];
const objectiveDirections = ['at_least', 'at_most', 'equal'];
const objectiveStatuses = ['planned', 'on_track', 'at_risk', 'achieved', 'missed'];

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = await usesPostgres(db);

  // documents.current_version_id and document_versions.document_id reference each other. SQLite
  // accepts a reference to a table created later; PostgreSQL gets the constraint once both exist.
  await versioned(db.schema.createTable('documents'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('is_ai_policy', 'integer', (col) => col.notNull())
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.notNull().references('people.id'))
    .addColumn('review_interval_months', 'integer', (col) => col.notNull())
    .addColumn('next_review_date', 'varchar(10)')
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('retention_months', 'integer', (col) => col.notNull())
    .addColumn('confidentiality', 'varchar(16)', (col) => col.notNull())
    .addColumn('current_version_id', 'varchar(64)', (col) => (isPostgres ? col : col.references('document_versions.id')))
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('retired_at', 'varchar(32)')
    .addColumn('retired_by', 'varchar(64)')
    .addColumn('retirement_reason', 'text')
    .addCheckConstraint('documents_title_not_blank', notBlank('title'))
    .addCheckConstraint('documents_kind', oneOf('kind', documentKinds))
    .addCheckConstraint('documents_is_ai_policy', isBoolean('is_ai_policy'))
    .addCheckConstraint('documents_ai_policy_kind', sql`is_ai_policy = 0 or kind = 'policy'`)
    .addCheckConstraint('documents_review_interval', sql`review_interval_months between 1 and 60`)
    .addCheckConstraint('documents_retention', sql`retention_months between 1 and 1200`)
    .addCheckConstraint('documents_confidentiality', oneOf('confidentiality', confidentialityLevels))
    .addCheckConstraint('documents_status', oneOf('status', documentStatuses))
    .addCheckConstraint(
      'documents_status_fields',
      sql`(status = 'draft' and current_version_id is null and retired_at is null)
        or (status = 'approved' and current_version_id is not null and next_review_date is not null and retired_at is null)
        or (status = 'retired' and retired_at is not null and retired_by is not null)`,
    )
    .execute();
  // At most one document in force is the AI policy; a retired one keeps its flag as history.
  await db.schema
    .createIndex('documents_one_ai_policy')
    .on('documents')
    .column('is_ai_policy')
    .unique()
    .where(sql.ref('is_ai_policy'), '=', 1)
    .where(sql.ref('status'), '<>', 'retired')
    .execute();
  await db.schema.createIndex('documents_next_review_date').on('documents').column('next_review_date').execute();
  await db.schema.createIndex('documents_owner').on('documents').column('owner_person_id').execute();

  await versioned(db.schema.createTable('document_versions'))
    .addColumn('document_id', 'varchar(64)', (col) => col.notNull().references('documents.id'))
    .addColumn('number', 'integer', (col) => col.notNull().check(sql`number >= 1`))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('change_summary', 'text', (col) => col.notNull())
    .addColumn('author_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('editor_ids', 'text', (col) => col.notNull())
    .addColumn('evidence_id', 'varchar(64)', (col) => col.references('evidence.id'))
    .addColumn('based_on_id', 'varchar(64)', (col) => col.references('document_versions.id'))
    .addColumn('approved_by', 'varchar(64)')
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('approval_comment', 'text')
    .addUniqueConstraint('document_versions_number', ['document_id', 'number'])
    .addCheckConstraint('document_versions_status', oneOf('status', versionStatuses))
    .addCheckConstraint('document_versions_summary_not_blank', notBlank('change_summary'))
    .addCheckConstraint(
      'document_versions_approval',
      sql`(status = 'draft' and approved_by is null and approved_at is null)
        or (status = 'approved' and approved_by is not null and approved_at is not null and approved_by <> author_id)`,
    )
    .execute();
  // At most one open draft per document: a partial unique index over the draft rows.
  await db.schema
    .createIndex('document_versions_one_draft')
    .on('document_versions')
    .column('document_id')
    .unique()
    .where(sql.ref('status'), '=', 'draft')
    .execute();
  await db.schema.createIndex('document_versions_evidence').on('document_versions').column('evidence_id').execute();

  if (isPostgres) {
    await db.schema
      .alterTable('documents')
      .addForeignKeyConstraint('documents_current_version', ['current_version_id'], 'document_versions', ['id'])
      .execute();
  }

  await db.schema
    .createTable('document_links')
    .addColumn('document_id', 'varchar(64)', (col) => col.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('catalogue_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addPrimaryKeyConstraint('document_links_key', ['document_id', 'catalogue_ref'])
    .execute();
  await db.schema.createIndex('document_links_ref').on('document_links').column('catalogue_ref').execute();

  await versioned(db.schema.createTable('objectives'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('metric_name', 'text', (col) => col.notNull())
    .addColumn('target_value', 'double precision', (col) => col.notNull())
    .addColumn('unit', 'varchar(40)', (col) => col.notNull())
    .addColumn('direction', 'varchar(16)', (col) => col.notNull())
    .addColumn('current_value', 'double precision')
    .addColumn('measured_at', 'varchar(32)')
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.notNull().references('people.id'))
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('objectives_title_not_blank', notBlank('title'))
    .addCheckConstraint('objectives_metric_not_blank', notBlank('metric_name'))
    .addCheckConstraint('objectives_direction', oneOf('direction', objectiveDirections))
    .addCheckConstraint('objectives_status', oneOf('status', objectiveStatuses))
    .addCheckConstraint(
      'objectives_measurement',
      sql`(current_value is null and measured_at is null) or (current_value is not null and measured_at is not null)`,
    )
    .execute();
  await db.schema.createIndex('objectives_due_date').on('objectives').column('due_date').execute();
  await db.schema.createIndex('objectives_owner').on('objectives').column('owner_person_id').execute();

  await db.schema
    .createTable('objective_links')
    .addColumn('objective_id', 'varchar(64)', (col) => col.notNull().references('objectives.id').onDelete('cascade'))
    .addColumn('catalogue_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addPrimaryKeyConstraint('objective_links_key', ['objective_id', 'catalogue_ref'])
    .execute();
  await db.schema.createIndex('objective_links_ref').on('objective_links').column('catalogue_ref').execute();

  await db.schema
    .createTable('objective_ai_systems')
    .addColumn('objective_id', 'varchar(64)', (col) => col.notNull().references('objectives.id').onDelete('cascade'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('objective_ai_systems_key', ['objective_id', 'ai_system_id'])
    .execute();
  await db.schema.createIndex('objective_ai_systems_system').on('objective_ai_systems').column('ai_system_id').execute();

  await db.schema
    .createTable('objective_measurements')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('objective_id', 'varchar(64)', (col) => col.notNull().references('objectives.id').onDelete('cascade'))
    .addColumn('value', 'double precision', (col) => col.notNull())
    .addColumn('measured_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull())
    .addColumn('recorded_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('recorded_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('objective_measurements_objective').on('objective_measurements').columns(['objective_id', 'measured_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['objective_measurements', 'objective_ai_systems', 'objective_links', 'objectives', 'document_links']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  // The two document tables reference each other, so the cycle is broken before either is dropped.
  if (await usesPostgres(db)) {
    await sql`alter table if exists documents drop constraint if exists documents_current_version`.execute(db);
  } else {
    await sql`update documents set current_version_id = null`.execute(db);
  }
  await db.schema.dropTable('document_versions').ifExists().execute();
  await db.schema.dropTable('documents').ifExists().execute();
}
