import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank, oneOf, versioned } from './column-rules.js';

/*
 * AI system impact assessments (ISO/IEC 42001 clauses 6.1.4 and 8.4, control A.5): one numbered
 * series of versions per AI system, with the content ISO/IEC 42005 clause 6 lists, the impacts as
 * rows, links to risks, the fundamental rights content of EU AI Act Art 27(1) when the record
 * also serves as a FRIA, and the answers to the Government of Canada's AIA questionnaire.
 *
 * A version is approved by someone other than its author, and an AI system has at most one open
 * draft; both rules hold in the schema as well as in the service. classification_id has no
 * foreign key because the classification records are kept by another area whose table the
 * service checks for at run time.
 */

const statuses = ['draft', 'approved'];
const affectedScopes = ['individual', 'group', 'society'];
const natures = ['benefit', 'harm'];
const occurrences = ['actual', 'foreseeable'];
const origins = ['intended_use', 'misuse', 'failure'];
const severities = ['negligible', 'limited', 'significant', 'severe'];
const likelihoods = ['rare', 'unlikely', 'possible', 'likely', 'certain'];
const reversibilities = ['reversible', 'hard_to_reverse', 'irreversible'];

const contentColumns = [
  'scope',
  'system_description',
  'system_capabilities',
  'purpose',
  'intended_uses',
  'unintended_uses',
  'data_description',
  'data_quality',
  'algorithm_and_model',
  'deployment_environment',
  'measures',
  'deployer_processes',
  'period_of_use',
  'frequency_of_use',
  'human_oversight_measures',
  'risk_materialisation_measures',
  'internal_governance',
  'complaint_mechanisms',
];

export async function up(db: Kysely<any>): Promise<void> {
  let assessments = versioned(db.schema.createTable('impact_assessments'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id'))
    .addColumn('number', 'integer', (col) => col.notNull().check(sql`number >= 1`))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('fria', 'integer', (col) => col.notNull())
    .addColumn('classification_id', 'varchar(64)')
    .addColumn('based_on_id', 'varchar(64)', (col) => col.references('impact_assessments.id'))
    .addColumn('interested_parties', 'text', (col) => col.notNull())
    .addColumn('affected_categories', 'text', (col) => col.notNull());
  for (const column of contentColumns) assessments = assessments.addColumn(column, 'text', (col) => col.notNull());
  await assessments
    .addColumn('aia_answers', 'text')
    .addColumn('aia_template_sha256', 'varchar(64)')
    .addColumn('aia_answered_at', 'varchar(32)')
    .addColumn('author_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('editor_ids', 'text', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(64)')
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('approval_comment', 'text')
    .addUniqueConstraint('impact_assessments_number', ['ai_system_id', 'number'])
    .addCheckConstraint('impact_assessments_status', oneOf('status', statuses))
    .addCheckConstraint('impact_assessments_title_not_blank', notBlank('title'))
    .addCheckConstraint('impact_assessments_fria', isBoolean('fria'))
    .addCheckConstraint(
      'impact_assessments_aia',
      sql`(aia_answers is null and aia_template_sha256 is null and aia_answered_at is null)
        or (aia_answers is not null and aia_template_sha256 is not null and aia_answered_at is not null)`,
    )
    .addCheckConstraint(
      'impact_assessments_approval',
      sql`(status = 'draft' and approved_by is null and approved_at is null)
        or (status = 'approved' and approved_by is not null and approved_at is not null and approved_by <> author_id)`,
    )
    .execute();
  // At most one open draft per AI system: a partial unique index over the draft rows.
  await db.schema
    .createIndex('impact_assessments_one_draft')
    .on('impact_assessments')
    .column('ai_system_id')
    .unique()
    .where(sql.ref('status'), '=', 'draft')
    .execute();
  await db.schema.createIndex('impact_assessments_classification').on('impact_assessments').column('classification_id').execute();

  await versioned(db.schema.createTable('impact_assessment_impacts'))
    .addColumn('assessment_id', 'varchar(64)', (col) => col.notNull().references('impact_assessments.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull().check(sql`position >= 1`))
    .addColumn('affected_party', 'text', (col) => col.notNull())
    .addColumn('affected_scope', 'varchar(16)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('nature', 'varchar(16)', (col) => col.notNull())
    .addColumn('occurrence', 'varchar(16)', (col) => col.notNull())
    .addColumn('origin', 'varchar(16)', (col) => col.notNull())
    .addColumn('severity', 'varchar(16)', (col) => col.notNull())
    .addColumn('likelihood', 'varchar(16)', (col) => col.notNull())
    .addColumn('reversibility', 'varchar(16)')
    .addColumn('measures', 'text', (col) => col.notNull())
    .addColumn('residual_severity', 'varchar(16)')
    .addColumn('residual_likelihood', 'varchar(16)')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('impact_assessment_impacts_party_not_blank', notBlank('affected_party'))
    .addCheckConstraint('impact_assessment_impacts_description_not_blank', notBlank('description'))
    .addCheckConstraint('impact_assessment_impacts_scope', oneOf('affected_scope', affectedScopes))
    .addCheckConstraint('impact_assessment_impacts_nature', oneOf('nature', natures))
    .addCheckConstraint('impact_assessment_impacts_occurrence', oneOf('occurrence', occurrences))
    .addCheckConstraint('impact_assessment_impacts_origin', oneOf('origin', origins))
    .addCheckConstraint('impact_assessment_impacts_severity', oneOf('severity', severities))
    .addCheckConstraint('impact_assessment_impacts_likelihood', oneOf('likelihood', likelihoods))
    .addCheckConstraint('impact_assessment_impacts_reversibility', sql`reversibility is null or ${oneOf('reversibility', reversibilities)}`)
    .addCheckConstraint('impact_assessment_impacts_harm_reversibility', sql`nature = 'benefit' or reversibility is not null`)
    .addCheckConstraint(
      'impact_assessment_impacts_residual',
      sql`(residual_severity is null and residual_likelihood is null)
        or (residual_severity is not null and residual_likelihood is not null
          and ${oneOf('residual_severity', severities)} and ${oneOf('residual_likelihood', likelihoods)})`,
    )
    .execute();
  await db.schema.createIndex('impact_assessment_impacts_assessment').on('impact_assessment_impacts').columns(['assessment_id', 'position']).execute();

  // No cascade from risks: a risk named in an assessment must be unlinked before it can go.
  await db.schema
    .createTable('impact_assessment_risks')
    .addColumn('assessment_id', 'varchar(64)', (col) => col.notNull().references('impact_assessments.id').onDelete('cascade'))
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addPrimaryKeyConstraint('impact_assessment_risks_key', ['assessment_id', 'risk_id'])
    .execute();
  await db.schema.createIndex('impact_assessment_risks_risk').on('impact_assessment_risks').column('risk_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['impact_assessment_risks', 'impact_assessment_impacts', 'impact_assessments']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
