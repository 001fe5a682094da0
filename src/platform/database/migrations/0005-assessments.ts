import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank, oneOf, versioned } from './column-rules.js';

/*
 * Gap and maturity assessments: the assessment, one answer per catalogue item in its scope, the
 * evidence each answer cites, and the remediation actions raised from its gaps. The rules that
 * keep an answer consistent (a level or a not-applicable mark, never both) hold in the schema as
 * well as in the service.
 */

const modes = ['gap', 'mock_audit'];
const statuses = ['in_progress', 'completed'];
const efforts = ['small', 'medium', 'large'];
const findings = ['conformity', 'observation', 'minor_nonconformity', 'major_nonconformity', 'opportunity_for_improvement'];
const actionStatuses = ['open', 'in_progress', 'done'];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('assessments'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('mode', 'varchar(16)', (col) => col.notNull())
    .addColumn('include_organization_controls', 'integer', (col) => col.notNull())
    .addColumn('target_level', 'integer', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('lead_assessor_person_id', 'varchar(64)', (col) => col.references('people.id'))
    .addColumn('sample_size', 'integer')
    .addColumn('sample_seed', 'bigint')
    .addColumn('started_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('assessments_title_not_blank', notBlank('title'))
    .addCheckConstraint('assessments_mode', oneOf('mode', modes))
    .addCheckConstraint('assessments_status', oneOf('status', statuses))
    .addCheckConstraint('assessments_include_organization_controls', isBoolean('include_organization_controls'))
    .addCheckConstraint('assessments_target_level', sql`target_level between 1 and 5`)
    .addCheckConstraint(
      'assessments_sample',
      sql`(mode = 'gap' and sample_size is null and sample_seed is null) or (mode = 'mock_audit' and sample_size >= 1 and sample_seed between 0 and 4294967295)`,
    )
    .addCheckConstraint(
      'assessments_completion',
      sql`(status = 'in_progress' and completed_at is null) or (status = 'completed' and completed_at is not null)`,
    )
    .execute();
  await db.schema.createIndex('assessments_completed').on('assessments').columns(['status', 'completed_at']).execute();
  await db.schema.createIndex('assessments_lead_assessor').on('assessments').column('lead_assessor_person_id').execute();

  await db.schema
    .createTable('assessment_answers')
    .addColumn('assessment_id', 'varchar(64)', (col) => col.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('item_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('section_ref', 'varchar(200)')
    .addColumn('catalogue_weight', 'integer', (col) => col.notNull())
    .addColumn('weight_override', 'integer')
    .addColumn('maturity', 'integer')
    .addColumn('not_applicable', 'integer', (col) => col.notNull())
    .addColumn('not_applicable_reason', 'text')
    .addColumn('comment', 'text', (col) => col.notNull())
    .addColumn('effort', 'varchar(8)')
    .addColumn('finding', 'varchar(32)')
    .addColumn('finding_text', 'text', (col) => col.notNull())
    .addColumn('answered_by', 'varchar(64)')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('assessment_answers_key', ['assessment_id', 'item_ref'])
    .addCheckConstraint('assessment_answers_maturity', sql`maturity is null or maturity between 0 and 5`)
    .addCheckConstraint('assessment_answers_catalogue_weight', sql`catalogue_weight between 1 and 3`)
    .addCheckConstraint('assessment_answers_weight_override', sql`weight_override is null or weight_override between 1 and 3`)
    .addCheckConstraint('assessment_answers_effort', sql`effort is null or ${oneOf('effort', efforts)}`)
    .addCheckConstraint('assessment_answers_finding', sql`finding is null or ${oneOf('finding', findings)}`)
    .addCheckConstraint('assessment_answers_not_applicable_flag', isBoolean('not_applicable'))
    .addCheckConstraint(
      'assessment_answers_not_applicable',
      sql`(not_applicable = 0 and not_applicable_reason is null) or (not_applicable = 1 and maturity is null and finding is null and ${notBlank('not_applicable_reason')})`,
    )
    .execute();
  await db.schema.createIndex('assessment_answers_order').on('assessment_answers').columns(['assessment_id', 'position']).execute();
  await db.schema.createIndex('assessment_answers_item').on('assessment_answers').column('item_ref').execute();

  await db.schema
    .createTable('assessment_answer_evidence')
    .addColumn('assessment_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('item_ref', 'varchar(200)', (col) => col.notNull())
    .addColumn('evidence_id', 'varchar(64)', (col) => col.notNull().references('evidence.id'))
    .addPrimaryKeyConstraint('assessment_answer_evidence_key', ['assessment_id', 'item_ref', 'evidence_id'])
    .addForeignKeyConstraint('assessment_answer_evidence_answer', ['assessment_id', 'item_ref'], 'assessment_answers', ['assessment_id', 'item_ref'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('assessment_answer_evidence_evidence').on('assessment_answer_evidence').column('evidence_id').execute();

  await versioned(db.schema.createTable('remediation_actions'))
    .addColumn('assessment_id', 'varchar(64)', (col) => col.notNull().references('assessments.id'))
    .addColumn('item_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.notNull().references('people.id'))
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('gap', 'integer', (col) => col.notNull())
    .addColumn('weight', 'integer', (col) => col.notNull())
    .addColumn('priority', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('done_at', 'varchar(32)')
    .addCheckConstraint('remediation_actions_title_not_blank', notBlank('title'))
    .addCheckConstraint('remediation_actions_status', oneOf('status', actionStatuses))
    .addCheckConstraint('remediation_actions_gap', sql`gap between 1 and 5 and weight between 1 and 3 and priority = gap * weight`)
    .addCheckConstraint('remediation_actions_done', sql`(status = 'done' and done_at is not null) or (status <> 'done' and done_at is null)`)
    .execute();
  await db.schema.createIndex('remediation_actions_assessment').on('remediation_actions').columns(['assessment_id', 'item_ref']).execute();
  await db.schema.createIndex('remediation_actions_owner').on('remediation_actions').column('owner_person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['remediation_actions', 'assessment_answer_evidence', 'assessment_answers', 'assessments']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
