import { sql, type Kysely } from 'kysely';
import { isBoolean, oneOf, versioned } from './column-rules.js';

/*
 * Classifications of AI systems (EU AI Act tier, GDPR triggers, internal impact level) as
 * numbered versions per system with an approval step, the review tasks opened when an input of
 * the current classification changes, and the organization's classification settings as
 * numbered versions. Each system has at most one open draft, one current (approved)
 * classification and one open review; partial unique indexes hold these rules in the schema too.
 *
 * Classifications and reviews go with their AI system when it is deleted; their history stays in
 * the audit trail.
 */

const statuses = ['draft', 'approved', 'superseded'];
const roles = ['provider', 'deployer', 'importer', 'distributor'];
const roleSources = ['request', 'ai_system'];
const tiers = ['prohibited', 'high-risk', 'transparency', 'minimal'];
const impactLevels = ['low', 'high', 'critical'];
const reviewStatuses = ['open', 'done'];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('classifications'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addColumn('number', 'integer', (col) => col.notNull().check(sql`number >= 1`))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('role', 'varchar(16)', (col) => col.notNull())
    .addColumn('role_source', 'varchar(16)', (col) => col.notNull())
    .addColumn('answers', 'text', (col) => col.notNull())
    .addColumn('inputs', 'text', (col) => col.notNull())
    .addColumn('result', 'text', (col) => col.notNull())
    .addColumn('tier', 'varchar(16)', (col) => col.notNull())
    .addColumn('impact_level', 'varchar(16)', (col) => col.notNull())
    .addColumn('dpia_required', 'integer', (col) => col.notNull())
    .addColumn('art22_applies', 'integer', (col) => col.notNull())
    .addColumn('stale', 'integer', (col) => col.notNull())
    .addColumn('stale_since', 'varchar(32)')
    .addColumn('stale_inputs', 'text', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('author_ids', 'text', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(64)')
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('approval_comment', 'text')
    .addUniqueConstraint('classifications_number', ['ai_system_id', 'number'])
    .addCheckConstraint('classifications_status', oneOf('status', statuses))
    .addCheckConstraint('classifications_role', oneOf('role', roles))
    .addCheckConstraint('classifications_role_source', oneOf('role_source', roleSources))
    .addCheckConstraint('classifications_tier', oneOf('tier', tiers))
    .addCheckConstraint('classifications_impact_level', oneOf('impact_level', impactLevels))
    .addCheckConstraint('classifications_dpia_required', isBoolean('dpia_required'))
    .addCheckConstraint('classifications_art22_applies', isBoolean('art22_applies'))
    .addCheckConstraint('classifications_stale', isBoolean('stale'))
    .addCheckConstraint('classifications_stale_since', sql`(stale = 0 and stale_since is null) or (stale = 1 and stale_since is not null)`)
    .addCheckConstraint(
      'classifications_approval',
      sql`(status = 'draft' and approved_by is null and approved_at is null)
        or (status <> 'draft' and approved_by is not null and approved_at is not null and approved_by <> created_by)`,
    )
    .execute();
  await db.schema.createIndex('classifications_one_draft').on('classifications').column('ai_system_id').unique().where(sql.ref('status'), '=', 'draft').execute();
  await db.schema.createIndex('classifications_one_current').on('classifications').column('ai_system_id').unique().where(sql.ref('status'), '=', 'approved').execute();
  await db.schema.createIndex('classifications_status_tier').on('classifications').columns(['status', 'tier']).execute();

  await versioned(db.schema.createTable('classification_reviews'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addColumn('classification_id', 'varchar(64)', (col) => col.notNull().references('classifications.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('assigned_role', 'varchar(40)', (col) => col.notNull())
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('changed_inputs', 'text', (col) => col.notNull())
    .addColumn('opened_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('closed_by', 'varchar(64)')
    .addColumn('closed_by_classification_id', 'varchar(64)', (col) => col.references('classifications.id').onDelete('set null'))
    .addCheckConstraint('classification_reviews_status', oneOf('status', reviewStatuses))
    .addCheckConstraint('classification_reviews_closed', sql`(status = 'open' and closed_at is null) or (status = 'done' and closed_at is not null)`)
    .execute();
  await db.schema
    .createIndex('classification_reviews_one_open')
    .on('classification_reviews')
    .column('ai_system_id')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema.createIndex('classification_reviews_status_due').on('classification_reviews').columns(['status', 'due_date']).execute();
  await db.schema.createIndex('classification_reviews_classification').on('classification_reviews').column('classification_id').execute();

  await db.schema
    .createTable('classification_settings')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('number', 'integer', (col) => col.notNull().unique().check(sql`number >= 1`))
    .addColumn('review_due_days', 'integer', (col) => col.notNull().check(sql`review_due_days between 1 and 365`))
    .addColumn('impact_configuration', 'text')
    .addColumn('comment', 'text')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['classification_settings', 'classification_reviews', 'classifications']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
