import { sql, type Kysely } from 'kysely';
import { notBlank, oneOf, versioned } from './column-rules.js';

/*
 * Threat models and red-team records. Each AI system has at most one threat model: its assets,
 * and scenarios that pick a threat from the catalogue's threat library, aim it at one or more of
 * those assets and link the risks it produces. Red-team exercises and independent reviews hold
 * findings with a severity and a status, linked to the risks they test or raise, the threats
 * they concern and the evidence behind them.
 */

const threatModelStatuses = ['draft', 'reviewed'];
const assetKinds = [
  'model',
  'training_data',
  'evaluation_data',
  'input_data',
  'inference_api',
  'prompt',
  'output',
  'pipeline',
  'retrieval_index',
  'agent_tool',
  'infrastructure',
  'other',
];
const exerciseKinds = ['red_team', 'independent_review'];
const performerTypes = ['internal', 'third_party'];
const findingSeverities = ['low', 'medium', 'high', 'critical'];
const findingStatuses = ['open', 'accepted', 'remediated', 'closed'];
const findingRiskRelations = ['tests', 'raises'];

export async function up(db: Kysely<any>): Promise<void> {
  await versioned(db.schema.createTable('threat_models'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().unique().references('ai_systems.id'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('edited_by', 'text', (col) => col.notNull())
    .addColumn('reviewed_by', 'varchar(64)')
    .addColumn('reviewed_at', 'varchar(32)')
    .addColumn('reviewed_version', 'integer')
    .addColumn('review_comment', 'text')
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('threat_models_title_not_blank', notBlank('title'))
    .addCheckConstraint('threat_models_status', oneOf('status', threatModelStatuses))
    .addCheckConstraint(
      'threat_models_review',
      sql`(reviewed_by is null and reviewed_at is null and reviewed_version is null)
        or (reviewed_by is not null and reviewed_at is not null and reviewed_version is not null)`,
    )
    .addCheckConstraint('threat_models_reviewed_status', sql`status = 'draft' or (reviewed_by is not null and reviewed_version = version)`)
    .execute();

  await db.schema
    .createTable('threat_model_assets')
    .addColumn('threat_model_id', 'varchar(64)', (col) => col.notNull().references('threat_models.id').onDelete('cascade'))
    .addColumn('asset_key', 'varchar(40)', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'varchar(24)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('threat_model_assets_key', ['threat_model_id', 'asset_key'])
    .addCheckConstraint('threat_model_assets_name_not_blank', notBlank('name'))
    .addCheckConstraint('threat_model_assets_kind', oneOf('kind', assetKinds))
    .execute();

  await db.schema
    .createTable('threat_scenarios')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('threat_model_id', 'varchar(64)', (col) => col.notNull().references('threat_models.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('threat_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('likelihood_note', 'text', (col) => col.notNull())
    .addColumn('impact_note', 'text', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addCheckConstraint('threat_scenarios_title_not_blank', notBlank('title'))
    .execute();
  await db.schema.createIndex('threat_scenarios_model').on('threat_scenarios').columns(['threat_model_id', 'position']).execute();
  await db.schema.createIndex('threat_scenarios_threat').on('threat_scenarios').column('threat_ref').execute();

  // The composite reference keeps an asset from being removed while a scenario targets it.
  await db.schema
    .createTable('threat_scenario_assets')
    .addColumn('scenario_id', 'varchar(64)', (col) => col.notNull().references('threat_scenarios.id').onDelete('cascade'))
    .addColumn('threat_model_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('asset_key', 'varchar(40)', (col) => col.notNull())
    .addPrimaryKeyConstraint('threat_scenario_assets_key', ['scenario_id', 'asset_key'])
    .addForeignKeyConstraint('threat_scenario_assets_asset', ['threat_model_id', 'asset_key'], 'threat_model_assets', ['threat_model_id', 'asset_key'])
    .execute();
  await db.schema.createIndex('threat_scenario_assets_asset').on('threat_scenario_assets').columns(['threat_model_id', 'asset_key']).execute();

  await db.schema
    .createTable('threat_scenario_risks')
    .addColumn('scenario_id', 'varchar(64)', (col) => col.notNull().references('threat_scenarios.id').onDelete('cascade'))
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addPrimaryKeyConstraint('threat_scenario_risks_key', ['scenario_id', 'risk_id'])
    .execute();
  await db.schema.createIndex('threat_scenario_risks_risk').on('threat_scenario_risks').column('risk_id').execute();

  await versioned(db.schema.createTable('red_team_exercises'))
    .addColumn('kind', 'varchar(24)', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.references('ai_systems.id'))
    .addColumn('started_on', 'varchar(10)', (col) => col.notNull())
    .addColumn('ended_on', 'varchar(10)')
    .addColumn('performer_type', 'varchar(16)', (col) => col.notNull())
    .addColumn('performer_name', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('next_finding_number', 'integer', (col) => col.notNull().check(sql`next_finding_number >= 1`))
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addCheckConstraint('red_team_exercises_kind', oneOf('kind', exerciseKinds))
    .addCheckConstraint('red_team_exercises_title_not_blank', notBlank('title'))
    .addCheckConstraint('red_team_exercises_scope_not_blank', notBlank('scope'))
    .addCheckConstraint('red_team_exercises_performer_type', oneOf('performer_type', performerTypes))
    .addCheckConstraint('red_team_exercises_performer_not_blank', notBlank('performer_name'))
    .addCheckConstraint('red_team_exercises_dates', sql`ended_on is null or ended_on >= started_on`)
    .execute();
  await db.schema.createIndex('red_team_exercises_system').on('red_team_exercises').column('ai_system_id').execute();

  await versioned(db.schema.createTable('red_team_findings'))
    .addColumn('exercise_id', 'varchar(64)', (col) => col.notNull().references('red_team_exercises.id'))
    .addColumn('number', 'integer', (col) => col.notNull().check(sql`number >= 1`))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('severity', 'varchar(16)', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull())
    .addColumn('resolution', 'text', (col) => col.notNull())
    .addColumn('created_by', 'varchar(64)', (col) => col.notNull())
    .addUniqueConstraint('red_team_findings_number', ['exercise_id', 'number'])
    .addCheckConstraint('red_team_findings_title_not_blank', notBlank('title'))
    .addCheckConstraint('red_team_findings_severity', oneOf('severity', findingSeverities))
    .addCheckConstraint('red_team_findings_status', oneOf('status', findingStatuses))
    .addCheckConstraint('red_team_findings_resolution', sql`status in ('open', 'closed') or length(trim(resolution)) > 0`)
    .execute();
  await db.schema.createIndex('red_team_findings_status').on('red_team_findings').columns(['status', 'severity']).execute();

  await db.schema
    .createTable('red_team_finding_risks')
    .addColumn('finding_id', 'varchar(64)', (col) => col.notNull().references('red_team_findings.id').onDelete('cascade'))
    .addColumn('risk_id', 'varchar(64)', (col) => col.notNull().references('risks.id'))
    .addColumn('relation', 'varchar(16)', (col) => col.notNull())
    .addPrimaryKeyConstraint('red_team_finding_risks_key', ['finding_id', 'risk_id'])
    .addCheckConstraint('red_team_finding_risks_relation', oneOf('relation', findingRiskRelations))
    .execute();
  await db.schema.createIndex('red_team_finding_risks_risk').on('red_team_finding_risks').column('risk_id').execute();

  await db.schema
    .createTable('red_team_finding_threats')
    .addColumn('finding_id', 'varchar(64)', (col) => col.notNull().references('red_team_findings.id').onDelete('cascade'))
    .addColumn('catalogue_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addPrimaryKeyConstraint('red_team_finding_threats_key', ['finding_id', 'catalogue_ref'])
    .execute();
  await db.schema.createIndex('red_team_finding_threats_ref').on('red_team_finding_threats').column('catalogue_ref').execute();

  await db.schema
    .createTable('red_team_finding_evidence')
    .addColumn('finding_id', 'varchar(64)', (col) => col.notNull().references('red_team_findings.id').onDelete('cascade'))
    .addColumn('evidence_id', 'varchar(64)', (col) => col.notNull().references('evidence.id'))
    .addPrimaryKeyConstraint('red_team_finding_evidence_key', ['finding_id', 'evidence_id'])
    .execute();
  await db.schema.createIndex('red_team_finding_evidence_evidence').on('red_team_finding_evidence').column('evidence_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'red_team_finding_evidence',
    'red_team_finding_threats',
    'red_team_finding_risks',
    'red_team_findings',
    'red_team_exercises',
    'threat_scenario_risks',
    'threat_scenario_assets',
    'threat_scenarios',
    'threat_model_assets',
    'threat_models',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
