import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank, oneOf, usesPostgres, versioned } from './column-rules.js';

/*
 * The foundation schema: organization, people, the AI system register, models, datasets,
 * accounts and the audit trail. Enumerations are spelled out here rather than imported, so
 * that this migration keeps creating the same schema when the code's lists grow later.
 */

const roles = [
  'administrator',
  'ai_system_owner',
  'risk_owner',
  'validator',
  'approver',
  'data_protection_officer',
  'internal_auditor',
  'oversight_board_member',
];
const lifecycleStages = ['concept', 'design', 'development', 'validation', 'pilot', 'production', 'retired'];
const environments = ['development', 'staging', 'production'];

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = await usesPostgres(db);

  await versioned(db.schema.createTable('organization'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('scope_statement', 'text', (col) => col.notNull())
    .addColumn('scope_boundaries', 'text', (col) => col.notNull())
    .addCheckConstraint('organization_name_not_blank', notBlank('name'))
    // The AIMS belongs to one organization, so the table holds one row with a fixed id.
    .addCheckConstraint('organization_single_row', sql`id = 'organization'`)
    .execute();

  await versioned(db.schema.createTable('interested_parties'))
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('category', 'varchar(32)', (col) => col.notNull())
    .addColumn('relevant_requirements', 'text', (col) => col.notNull())
    .addColumn('addressed_through', 'text', (col) => col.notNull())
    .addCheckConstraint('interested_parties_name_not_blank', notBlank('name'))
    .addCheckConstraint(
      'interested_parties_category',
      oneOf('category', ['regulator', 'customer', 'affected_person', 'employee', 'supplier', 'partner', 'investor', 'civil_society', 'other']),
    )
    .execute();

  await versioned(db.schema.createTable('people'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'varchar(320)', (col) => col.unique())
    .addColumn('job_title', 'text', (col) => col.notNull())
    .addColumn('reports_to_id', 'varchar(64)', (col) => col.references('people.id').onDelete('set null'))
    .addColumn('is_board_member', 'integer', (col) => col.notNull())
    .addCheckConstraint('people_name_not_blank', notBlank('name'))
    .addCheckConstraint('people_is_board_member', isBoolean('is_board_member'))
    .addCheckConstraint('people_not_own_manager', sql`reports_to_id is null or reports_to_id <> id`)
    .execute();
  await db.schema.createIndex('people_reports_to').on('people').column('reports_to_id').execute();
  await db.schema.createIndex('people_name').on('people').column('name').execute();

  await versioned(db.schema.createTable('teams'))
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('chair_id', 'varchar(64)', (col) => col.references('people.id').onDelete('set null'))
    .addCheckConstraint('teams_name_not_blank', notBlank('name'))
    .addCheckConstraint('teams_kind', oneOf('kind', ['team', 'committee', 'board']))
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'varchar(64)', (col) => col.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('person_id', 'varchar(64)', (col) => col.notNull().references('people.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'person_id'])
    .execute();
  await db.schema.createIndex('team_members_person').on('team_members').column('person_id').execute();

  await versioned(db.schema.createTable('ai_systems'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('intended_use', 'text', (col) => col.notNull())
    .addColumn('foreseeable_misuse', 'text', (col) => col.notNull())
    .addColumn('business_unit', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'varchar(64)', (col) => col.references('people.id').onDelete('set null'))
    .addColumn('lifecycle_stage', 'varchar(16)', (col) => col.notNull())
    .addColumn('organization_role', 'varchar(16)', (col) => col.notNull())
    .addColumn('deployment_environments', 'text', (col) => col.notNull())
    .addColumn('autonomy', 'varchar(24)', (col) => col.notNull())
    .addColumn('affected_groups', 'text', (col) => col.notNull())
    .addColumn('decision_domain', 'text', (col) => col.notNull())
    .addColumn('in_scope', 'integer', (col) => col.notNull())
    .addColumn('scope_justification', 'text', (col) => col.notNull())
    .addColumn('legal_basis', 'text', (col) => col.notNull())
    .addColumn('impact_assessment_status', 'varchar(16)', (col) => col.notNull())
    .addColumn('published_at', 'varchar(32)')
    .addColumn('source_url', 'text')
    .addColumn('external_id', 'text')
    .addCheckConstraint('ai_systems_name_not_blank', notBlank('name'))
    .addCheckConstraint('ai_systems_business_unit_not_blank', notBlank('business_unit'))
    .addCheckConstraint('ai_systems_lifecycle_stage', oneOf('lifecycle_stage', lifecycleStages))
    .addCheckConstraint('ai_systems_organization_role', oneOf('organization_role', ['provider', 'deployer', 'importer', 'distributor']))
    .addCheckConstraint('ai_systems_autonomy', oneOf('autonomy', ['human_in_the_loop', 'human_on_the_loop', 'autonomous']))
    .addCheckConstraint('ai_systems_impact_assessment_status', oneOf('impact_assessment_status', ['completed', 'not_completed', 'unknown']))
    .addCheckConstraint('ai_systems_in_scope', isBoolean('in_scope'))
    .execute();
  await db.schema.createIndex('ai_systems_business_unit_name').unique().on('ai_systems').columns(['business_unit', 'name']).execute();
  // One index per sort key of the list endpoint, ending in id because the list breaks ties by id:
  // a page deep in the list then reads the index in order instead of sorting the whole table.
  await db.schema.createIndex('ai_systems_name').on('ai_systems').columns(['name', 'id']).execute();
  await db.schema.createIndex('ai_systems_lifecycle_stage').on('ai_systems').columns(['lifecycle_stage', 'name', 'id']).execute();
  await db.schema.createIndex('ai_systems_business_unit').on('ai_systems').columns(['business_unit', 'id']).execute();
  await db.schema.createIndex('ai_systems_created_at').on('ai_systems').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('ai_systems_updated_at').on('ai_systems').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('ai_systems_owner').on('ai_systems').column('owner_id').execute();

  await db.schema
    .createTable('lifecycle_transitions')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addColumn('from_stage', 'varchar(16)', (col) => col.notNull())
    .addColumn('to_stage', 'varchar(16)', (col) => col.notNull())
    .addColumn('actor_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('occurred_at', 'varchar(32)', (col) => col.notNull())
    .addCheckConstraint('lifecycle_transitions_from_stage', oneOf('from_stage', lifecycleStages))
    .addCheckConstraint('lifecycle_transitions_to_stage', oneOf('to_stage', lifecycleStages))
    .addCheckConstraint('lifecycle_transitions_reason_not_blank', notBlank('reason'))
    .execute();
  await db.schema.createIndex('lifecycle_transitions_system').on('lifecycle_transitions').columns(['ai_system_id', 'occurred_at']).execute();

  await versioned(db.schema.createTable('role_assignments'))
    .addColumn('person_id', 'varchar(64)', (col) => col.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'varchar(32)', (col) => col.notNull())
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.references('ai_systems.id').onDelete('cascade'))
    .addCheckConstraint('role_assignments_role', oneOf('role', roles))
    .execute();
  // Two partial indexes because NULLs never collide in a unique index on either database.
  await db.schema
    .createIndex('role_assignments_unique_organization')
    .unique()
    .on('role_assignments')
    .columns(['person_id', 'role'])
    .where(sql.ref('ai_system_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('role_assignments_unique_system')
    .unique()
    .on('role_assignments')
    .columns(['person_id', 'role', 'ai_system_id'])
    .where(sql.ref('ai_system_id'), 'is not', null)
    .execute();

  await versioned(db.schema.createTable('raci_assignments'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addColumn('activity', 'text', (col) => col.notNull())
    .addColumn('responsibility', 'varchar(16)', (col) => col.notNull())
    .addColumn('person_id', 'varchar(64)', (col) => col.references('people.id').onDelete('cascade'))
    .addColumn('team_id', 'varchar(64)', (col) => col.references('teams.id').onDelete('cascade'))
    .addCheckConstraint('raci_assignments_responsibility', oneOf('responsibility', ['responsible', 'accountable', 'consulted', 'informed']))
    .addCheckConstraint('raci_assignments_one_party', sql`(person_id is null) <> (team_id is null)`)
    .addCheckConstraint('raci_assignments_activity_not_blank', notBlank('activity'))
    .execute();
  // RACI allows exactly one accountable party per activity. Activities compare ignoring case,
  // so "Model validation" and "model validation" are one activity.
  await db.schema
    .createIndex('raci_assignments_one_accountable')
    .unique()
    .on('raci_assignments')
    .expression(sql`ai_system_id, lower(activity)`)
    .where(sql.ref('responsibility'), '=', 'accountable')
    .execute();
  // A party holds each responsibility for an activity at most once. One index per kind of party,
  // because NULLs never collide in a unique index.
  await db.schema
    .createIndex('raci_assignments_unique_person')
    .unique()
    .on('raci_assignments')
    .expression(sql`ai_system_id, lower(activity), responsibility, person_id`)
    .where(sql.ref('person_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('raci_assignments_unique_team')
    .unique()
    .on('raci_assignments')
    .expression(sql`ai_system_id, lower(activity), responsibility, team_id`)
    .where(sql.ref('team_id'), 'is not', null)
    .execute();

  await versioned(db.schema.createTable('third_party_components'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('vendor', 'text', (col) => col.notNull())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('licence', 'text', (col) => col.notNull())
    .addColumn('component_version', 'text', (col) => col.notNull())
    .addColumn('source_url', 'text')
    .addCheckConstraint('third_party_components_kind', oneOf('kind', ['model', 'dataset']))
    .addCheckConstraint('third_party_components_name_not_blank', notBlank('name'))
    .addCheckConstraint('third_party_components_vendor_not_blank', notBlank('vendor'))
    .addCheckConstraint('third_party_components_licence_not_blank', notBlank('licence'))
    .addCheckConstraint('third_party_components_version_not_blank', notBlank('component_version'))
    .execute();
  await db.schema
    .createIndex('third_party_components_unique')
    .unique()
    .on('third_party_components')
    .columns(['vendor', 'name', 'component_version'])
    .execute();

  await versioned(db.schema.createTable('models'))
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('third_party_component_id', 'varchar(64)', (col) => col.references('third_party_components.id').onDelete('restrict'))
    .addCheckConstraint('models_name_not_blank', notBlank('name'))
    .execute();
  await db.schema.createIndex('models_component').on('models').column('third_party_component_id').execute();

  // Versions restrict the deletion of their model or dataset, so that each version's removal is
  // audited on its own rather than vanishing in a cascade.
  await versioned(db.schema.createTable('model_versions'))
    .addColumn('model_id', 'varchar(64)', (col) => col.notNull().references('models.id').onDelete('restrict'))
    .addColumn('version_label', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addCheckConstraint('model_versions_label_not_blank', notBlank('version_label'))
    .addUniqueConstraint('model_versions_unique_label', ['model_id', 'version_label'])
    .execute();

  await versioned(db.schema.createTable('datasets'))
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('contains_personal_data', 'integer', (col) => col.notNull())
    .addColumn('third_party_component_id', 'varchar(64)', (col) => col.references('third_party_components.id').onDelete('restrict'))
    .addCheckConstraint('datasets_name_not_blank', notBlank('name'))
    .addCheckConstraint('datasets_contains_personal_data', isBoolean('contains_personal_data'))
    .execute();
  await db.schema.createIndex('datasets_component').on('datasets').column('third_party_component_id').execute();

  await versioned(db.schema.createTable('dataset_versions'))
    .addColumn('dataset_id', 'varchar(64)', (col) => col.notNull().references('datasets.id').onDelete('restrict'))
    .addColumn('version_label', 'text', (col) => col.notNull())
    .addColumn('sha256', 'varchar(64)', (col) => col.notNull())
    .addColumn('size_bytes', 'bigint', (col) => col.notNull())
    .addColumn('location', 'text', (col) => col.notNull())
    .addCheckConstraint('dataset_versions_label_not_blank', notBlank('version_label'))
    .addCheckConstraint('dataset_versions_sha256_hex', sql`length(sha256) = 64 and lower(sha256) = sha256`)
    .addCheckConstraint('dataset_versions_size', sql`size_bytes >= 0`)
    .addUniqueConstraint('dataset_versions_unique_label', ['dataset_id', 'version_label'])
    .execute();
  await db.schema.createIndex('dataset_versions_sha256').on('dataset_versions').column('sha256').execute();

  await db.schema
    .createTable('model_training_data')
    .addColumn('model_version_id', 'varchar(64)', (col) => col.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('dataset_version_id', 'varchar(64)', (col) => col.notNull().references('dataset_versions.id').onDelete('restrict'))
    .addColumn('purpose', 'varchar(16)', (col) => col.notNull())
    .addPrimaryKeyConstraint('model_training_data_pk', ['model_version_id', 'dataset_version_id', 'purpose'])
    .addCheckConstraint('model_training_data_purpose', oneOf('purpose', ['training', 'validation', 'test']))
    .execute();
  await db.schema.createIndex('model_training_data_dataset_version').on('model_training_data').column('dataset_version_id').execute();

  await db.schema
    .createTable('ai_system_model_versions')
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id').onDelete('cascade'))
    .addColumn('model_version_id', 'varchar(64)', (col) => col.notNull().references('model_versions.id').onDelete('restrict'))
    .addColumn('environment', 'varchar(16)', (col) => col.notNull())
    .addPrimaryKeyConstraint('ai_system_model_versions_pk', ['ai_system_id', 'model_version_id', 'environment'])
    .addCheckConstraint('ai_system_model_versions_environment', oneOf('environment', environments))
    .execute();
  await db.schema.createIndex('ai_system_model_versions_model_version').on('ai_system_model_versions').column('model_version_id').execute();

  await versioned(db.schema.createTable('users'))
    .addColumn('username', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('person_id', 'varchar(64)', (col) => col.references('people.id').onDelete('set null'))
    .addColumn('active', 'integer', (col) => col.notNull())
    .addCheckConstraint('users_active', isBoolean('active'))
    .addCheckConstraint('users_username_format', sql`length(username) between 1 and 64`)
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
    .addCheckConstraint('user_roles_role', oneOf('role', roles))
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(32)', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)')
    .addColumn('revoked_at', 'varchar(32)')
    .addCheckConstraint('api_tokens_role', oneOf('role', roles))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    // On SQLite an INTEGER PRIMARY KEY is the row id itself, so reading in sequence order walks
    // the table directly instead of a separate index.
    .addColumn('seq', isPostgres ? 'bigint' : 'integer', (col) => col.primaryKey().check(sql`seq >= 1`))
    .addColumn('occurred_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('actor_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('action', 'varchar(64)', (col) => col.notNull())
    .addColumn('record_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('record_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('reason', 'text')
    .addColumn('request_id', 'varchar(128)')
    .addColumn('previous_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('hash', 'varchar(64)', (col) => col.notNull().unique())
    .execute();
  await db.schema.createIndex('audit_events_record').on('audit_events').columns(['record_type', 'record_id', 'seq']).execute();
  // Sign-in throttling counts recent failures by action and time.
  await db.schema.createIndex('audit_events_action_time').on('audit_events').columns(['action', 'occurred_at']).execute();

  if (isPostgres) {
    // The application never updates or deletes an event; on PostgreSQL the database refuses too.
    await sql`
      create or replace function custos_reject_audit_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = 'P0001';
      end
      $$`.execute(db);
    await sql`create trigger audit_events_no_update_or_delete before update or delete on audit_events
      for each row execute function custos_reject_audit_change()`.execute(db);
    await sql`create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function custos_reject_audit_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = [
    'audit_events',
    'sessions',
    'api_tokens',
    'user_roles',
    'users',
    'ai_system_model_versions',
    'model_training_data',
    'dataset_versions',
    'datasets',
    'model_versions',
    'models',
    'third_party_components',
    'raci_assignments',
    'role_assignments',
    'lifecycle_transitions',
    'ai_systems',
    'team_members',
    'teams',
    'people',
    'interested_parties',
    'organization',
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  if (await usesPostgres(db)) {
    await sql`drop function if exists custos_reject_audit_change()`.execute(db);
  }
}
