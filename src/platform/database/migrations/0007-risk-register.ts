import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank, oneOf, versioned } from './column-rules.js';

/*
 * The risk register: likelihood × impact matrices with the organization's calibration, risk
 * categories with their appetite, escalation path and ERM mapping, the risks themselves with an
 * inherent and a residual rating, treatments linked to controls, escalations of risks beyond
 * appetite, the acceptance authority of each role and the acceptances of residual risk.
 *
 * The migration also seeds a default 5 × 5 matrix, the built-in categories (ethical, legal,
 * operational) with an escalation path each, and a default acceptance authority per role, so
 * the register works on first use. All of it can be changed through the API.
 */

const riskStatuses = ['identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed'];
const matrixStatuses = ['active', 'superseded'];
const treatmentOptions = ['avoid', 'modify', 'share', 'retain'];
const treatmentStatuses = ['planned', 'in_progress', 'completed', 'cancelled'];
const escalationStatuses = ['open', 'resolved'];
const escalationOutcomes = ['risk_accepted', 'treatment_planned', 'appetite_revised', 'back_within_appetite', 'risk_closed', 'other'];
const roleNames = ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'oversight_board_member'];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('risk_matrices'))
    .addColumn('number', 'integer', (col) => col.notNull().unique().check(sql`number >= 1`))
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('likelihood_size', 'integer', (col) => col.notNull())
    .addColumn('impact_size', 'integer', (col) => col.notNull())
    .addColumn('likelihood_levels', 'text', (col) => col.notNull())
    .addColumn('impact_levels', 'text', (col) => col.notNull())
    .addColumn('bands', 'text', (col) => col.notNull())
    .addColumn('cells', 'text', (col) => col.notNull())
    .addColumn('change_summary', 'text', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('risk_matrices_status', oneOf('status', matrixStatuses))
    .addCheckConstraint('risk_matrices_likelihood_size', sql`likelihood_size between 3 and 5`)
    .addCheckConstraint('risk_matrices_impact_size', sql`impact_size between 3 and 5`)
    .addCheckConstraint('risk_matrices_summary_not_blank', notBlank('change_summary'))
    .execute();
  // Exactly one matrix rates new risks: a partial unique index over the active row.
  await db.schema.createIndex('risk_matrices_one_active').on('risk_matrices').column('status').unique().where(sql.ref('status'), '=', 'active').execute();

  await versioned(db.schema.createTable('risk_categories'))
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('is_builtin', 'integer', (col) => col.notNull())
    .addColumn('escalate_to_role', 'varchar(40)', (col) => col.notNull())
    .addColumn('escalation_deadline_days', 'integer', (col) => col.notNull())
    .addColumn('erm_category', 'text')
    .addCheckConstraint('risk_categories_id_format', sql`length(id) between 2 and 40`)
    .addCheckConstraint('risk_categories_label_not_blank', notBlank('label'))
    .addCheckConstraint('risk_categories_is_builtin', isBoolean('is_builtin'))
    .addCheckConstraint('risk_categories_escalation_role', oneOf('escalate_to_role', roleNames))
    .addCheckConstraint('risk_categories_escalation_days', sql`escalation_deadline_days between 1 and 365`)
    .execute();

  await versioned(db.schema.createTable('risk_appetites'))
    .addColumn('category_id', 'varchar(64)', (col) => col.notNull().unique().references('risk_categories.id'))
    .addColumn('statement', 'text', (col) => col.notNull())
    .addColumn('max_score', 'integer', (col) => col.notNull().check(sql`max_score >= 1`))
    .addColumn('set_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('risk_appetites_statement_not_blank', notBlank('statement'))
    .execute();

  await versioned(db.schema.createTable('risks'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.references('ai_systems.id'))
    .addColumn('risk_source_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('threat', 'text')
    .addColumn('objective_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('category_id', 'varchar(64)', (col) => col.notNull().references('risk_categories.id'))
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.notNull().references('people.id'))
    .addColumn('inherent_likelihood', 'integer')
    .addColumn('inherent_impact', 'integer')
    .addColumn('inherent_band', 'varchar(40)')
    .addColumn('inherent_matrix_id', 'varchar(64)', (col) => col.references('risk_matrices.id'))
    .addColumn('residual_likelihood', 'integer')
    .addColumn('residual_impact', 'integer')
    .addColumn('residual_band', 'varchar(40)')
    .addColumn('residual_matrix_id', 'varchar(64)', (col) => col.references('risk_matrices.id'))
    .addColumn('status', 'varchar(24)', (col) => col.notNull())
    .addColumn('beyond_appetite', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('risks_title_not_blank', notBlank('title'))
    .addCheckConstraint('risks_status', oneOf('status', riskStatuses))
    .addCheckConstraint('risks_beyond_appetite', isBoolean('beyond_appetite'))
    .addCheckConstraint(
      'risks_inherent_rating',
      sql`(inherent_likelihood is null and inherent_impact is null and inherent_band is null and inherent_matrix_id is null)
        or (inherent_likelihood between 1 and 5 and inherent_impact between 1 and 5 and inherent_band is not null and inherent_matrix_id is not null)`,
    )
    .addCheckConstraint(
      'risks_residual_rating',
      sql`(residual_likelihood is null and residual_impact is null and residual_band is null and residual_matrix_id is null)
        or (residual_likelihood between 1 and 5 and residual_impact between 1 and 5 and residual_band is not null and residual_matrix_id is not null)`,
    )
    // A residual rating presupposes an inherent one, and an unrated risk can only be identified.
    .addCheckConstraint('risks_residual_after_inherent', sql`residual_likelihood is null or inherent_likelihood is not null`)
    .addCheckConstraint('risks_rated_status', sql`status in ('identified', 'closed') or inherent_likelihood is not null`)
    .execute();
  await db.schema.createIndex('risks_ai_system').on('risks').column('ai_system_id').execute();
  await db.schema.createIndex('risks_category').on('risks').column('category_id').execute();
  await db.schema.createIndex('risks_owner').on('risks').column('owner_person_id').execute();
  await db.schema.createIndex('risks_status').on('risks').column('status').execute();

  await versioned(db.schema.createTable('risk_treatments'))
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addColumn('option', 'varchar(16)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.notNull().references('people.id'))
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('success_metric', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('risk_treatments_option', oneOf('option', treatmentOptions))
    .addCheckConstraint('risk_treatments_status', oneOf('status', treatmentStatuses))
    .addCheckConstraint('risk_treatments_description_not_blank', notBlank('description'))
    .addCheckConstraint('risk_treatments_metric_not_blank', notBlank('success_metric'))
    .addCheckConstraint('risk_treatments_completion', sql`(status = 'completed') = (completed_at is not null)`)
    .execute();
  await db.schema.createIndex('risk_treatments_risk').on('risk_treatments').column('risk_id').execute();
  await db.schema.createIndex('risk_treatments_due_date').on('risk_treatments').column('due_date').execute();

  await db.schema
    .createTable('risk_treatment_controls')
    .addColumn('treatment_id', 'varchar(64)', (col) => col.notNull().references('risk_treatments.id').onDelete('cascade'))
    .addColumn('catalogue_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addPrimaryKeyConstraint('risk_treatment_controls_key', ['treatment_id', 'catalogue_ref'])
    .execute();
  await db.schema.createIndex('risk_treatment_controls_ref').on('risk_treatment_controls').column('catalogue_ref').execute();

  await versioned(db.schema.createTable('risk_escalations'))
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addColumn('category_id', 'varchar(64)', (col) => col.notNull().references('risk_categories.id'))
    .addColumn('score', 'integer', (col) => col.notNull())
    .addColumn('max_score', 'integer', (col) => col.notNull())
    .addColumn('band', 'varchar(40)', (col) => col.notNull())
    .addColumn('escalate_to_role', 'varchar(40)', (col) => col.notNull())
    .addColumn('opened_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('resolved_at', 'varchar(32)')
    .addColumn('resolved_by', 'varchar(64)')
    .addColumn('outcome', 'varchar(32)')
    .addColumn('resolution_note', 'text')
    .addCheckConstraint('risk_escalations_status', oneOf('status', escalationStatuses))
    .addCheckConstraint('risk_escalations_role', oneOf('escalate_to_role', roleNames))
    .addCheckConstraint('risk_escalations_outcome', sql`outcome is null or ${oneOf('outcome', escalationOutcomes)}`)
    .addCheckConstraint(
      'risk_escalations_resolution',
      sql`(status = 'open' and resolved_at is null and resolved_by is null and outcome is null and resolution_note is null)
        or (status = 'resolved' and resolved_at is not null and resolved_by is not null and outcome is not null and resolution_note is not null)`,
    )
    .execute();
  // At most one open escalation per risk.
  await db.schema
    .createIndex('risk_escalations_one_open')
    .on('risk_escalations')
    .column('risk_id')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema.createIndex('risk_escalations_due_date').on('risk_escalations').columns(['status', 'due_date']).execute();

  await db.schema
    .createTable('risk_acceptance_authorities')
    .addColumn('role', 'varchar(40)', (col) => col.primaryKey())
    .addColumn('max_band_order', 'integer', (col) => col.notNull().check(sql`max_band_order >= 1`))
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('risk_acceptance_authorities_role', oneOf('role', roleNames))
    .execute();

  await db.schema
    .createTable('risk_acceptances')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addColumn('matrix_id', 'varchar(64)', (col) => col.notNull().references('risk_matrices.id'))
    .addColumn('likelihood', 'integer', (col) => col.notNull())
    .addColumn('impact', 'integer', (col) => col.notNull())
    .addColumn('band', 'varchar(40)', (col) => col.notNull())
    .addColumn('band_order', 'integer', (col) => col.notNull())
    .addColumn('accepted_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('accepted_by_username', 'varchar(200)', (col) => col.notNull())
    .addColumn('authority_role', 'varchar(40)', (col) => col.notNull())
    .addColumn('rationale', 'text', (col) => col.notNull())
    .addColumn('review_date', 'varchar(10)')
    .addColumn('accepted_at', 'varchar(32)', (col) => col.notNull())
    .addCheckConstraint('risk_acceptances_rationale_not_blank', notBlank('rationale'))
    .addCheckConstraint('risk_acceptances_role', oneOf('authority_role', roleNames))
    .execute();
  await db.schema.createIndex('risk_acceptances_risk').on('risk_acceptances').columns(['risk_id', 'accepted_at']).execute();

  await seedDefaults(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'risk_acceptances',
    'risk_acceptance_authorities',
    'risk_escalations',
    'risk_treatment_controls',
    'risk_treatments',
    'risks',
    'risk_appetites',
    'risk_categories',
    'risk_matrices',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

/*
 * The default calibration. Likelihood and impact use five levels each; a cell's band follows
 * from its score (likelihood × impact): 1–4 low, 5–9 medium, 10–15 high, 16–25 critical.
 * The labels and definitions are custos's own wording.
 */
const defaultLikelihood = [
  { level: 1, label: 'Remote', definition: 'Not expected during the life of the system; no occurrence known in comparable systems.' },
  { level: 2, label: 'Unlikely', definition: 'Could happen, but not expected in a given year; seen rarely in comparable systems.' },
  { level: 3, label: 'Possible', definition: 'May happen in a given year; has happened in comparable systems.' },
  { level: 4, label: 'Likely', definition: 'Expected to happen in a given year, possibly more than once.' },
  { level: 5, label: 'Expected', definition: 'Happens routinely or is already happening.' },
];
const defaultImpact = [
  { level: 1, label: 'Negligible', definition: 'No noticeable effect on people, obligations or operations.' },
  { level: 2, label: 'Minor', definition: 'Limited, quickly reversible effect on a few people or on one process.' },
  { level: 3, label: 'Moderate', definition: 'Noticeable harm to individuals or a reportable breach of an obligation; reversible with effort.' },
  { level: 4, label: 'Major', definition: 'Serious harm to individuals or groups, regulatory action or a prolonged outage.' },
  { level: 5, label: 'Severe', definition: 'Irreversible harm to people or fundamental rights, or a threat to the organization itself.' },
];
const defaultBands = [
  { key: 'low', label: 'Low', order: 1 },
  { key: 'medium', label: 'Medium', order: 2 },
  { key: 'high', label: 'High', order: 3 },
  { key: 'critical', label: 'Critical', order: 4 },
];

function defaultBandForScore(score: number): string {
  if (score <= 4) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 15) return 'high';
  return 'critical';
}

async function seedDefaults(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  // cells[likelihood - 1][impact - 1] is the band key of that cell.
  const cells = defaultLikelihood.map((likelihood) => defaultImpact.map((impact) => defaultBandForScore(likelihood.level * impact.level)));
  await db
    .insertInto('risk_matrices')
    .values({
      id: randomUUID(),
      version: 1,
      created_at: now,
      updated_at: now,
      number: 1,
      status: 'active',
      likelihood_size: 5,
      impact_size: 5,
      likelihood_levels: JSON.stringify(defaultLikelihood),
      impact_levels: JSON.stringify(defaultImpact),
      bands: JSON.stringify(defaultBands),
      cells: JSON.stringify(cells),
      change_summary: 'Default 5 × 5 matrix installed with custos.',
      created_by: 'system',
    })
    .execute();

  const categories = [
    { id: 'ethical', label: 'Ethical', description: 'Unfair, opaque or harmful outcomes for people and groups, and misuse of the system.' },
    { id: 'legal', label: 'Legal', description: 'Breaches of laws, regulations, contracts and other obligations the organization has.' },
    { id: 'operational', label: 'Operational', description: 'Failures of the system, its data, its suppliers or the processes around it.' },
  ];
  await db
    .insertInto('risk_categories')
    .values(
      categories.map((category) => ({
        ...category,
        version: 1,
        created_at: now,
        updated_at: now,
        is_builtin: 1,
        escalate_to_role: 'oversight_board_member',
        escalation_deadline_days: 14,
        erm_category: null,
      })),
    )
    .execute();

  // Up to which band (by order in the active matrix) a role may accept a residual risk.
  const authorities = [
    { role: 'risk_owner', max_band_order: 2 },
    { role: 'approver', max_band_order: 3 },
    { role: 'oversight_board_member', max_band_order: 4 },
  ];
  await db
    .insertInto('risk_acceptance_authorities')
    .values(authorities.map((authority) => ({ ...authority, updated_at: now, updated_by: 'system' })))
    .execute();
}
