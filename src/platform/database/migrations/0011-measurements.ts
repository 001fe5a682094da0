import { sql, type Kysely } from 'kysely';
import { notBlank, oneOf, versioned } from './column-rules.js';

/*
 * Measurements (ISO/IEC 42001 clause 9.1): runs of the measurement engine for an AI system,
 * the data files each run read with their SHA-256 fingerprints, one row per measured value so
 * that a KPI series of one system is one indexed query, and the monitoring tasks that a breach
 * of a statistical process control rule opens for the system's owner.
 *
 * Runs and values are never changed after they are recorded. A run keeps its AI system, model
 * version and dataset versions from being deleted (no cascade), so that every stored figure
 * can be traced to what it measured. Enumerations are spelled out here, so that this migration
 * keeps creating the same schema when the code's lists grow.
 */

const runKinds = ['check', 'fairness', 'performance', 'calibration', 'drift', 'quality'];
const runResults = ['passed', 'passed_with_warnings', 'failed'];
const dataRoles = ['evaluation', 'reference', 'current'];
const fileFormats = ['csv', 'parquet', 'jsonl'];
const families = ['fairness', 'performance', 'calibration', 'drift', 'quality'];
const operators = ['<', '<=', '>', '>=', 'between'];
const severities = ['error', 'warning'];
const checkResults = ['passed', 'failed', 'undefined'];
const taskKinds = ['retraining', 'review'];
const taskStatuses = ['open', 'done'];
const charts = ['shewhart', 'cusum', 'ewma', 'page_hinkley'];

const isSha256 = (column: string) => sql`length(${sql.ref(column)}) = 64 and lower(${sql.ref(column)}) = ${sql.ref(column)}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('measurement_runs')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id'))
    .addColumn('model_version_id', 'varchar(64)', (col) => col.references('model_versions.id'))
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('policy_name', 'text')
    .addColumn('policy_sha256', 'varchar(64)')
    .addColumn('policy_text', 'text')
    .addColumn('engine_version', 'varchar(64)', (col) => col.notNull())
    .addColumn('started_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('finished_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('run_by', 'varchar(64)', (col) => col.notNull())
    .addColumn('result', 'varchar(24)', (col) => col.notNull())
    .addColumn('outcome_count', 'integer', (col) => col.notNull().check(sql`outcome_count >= 0`))
    .addColumn('passed_count', 'integer', (col) => col.notNull().check(sql`passed_count >= 0`))
    .addColumn('failed_count', 'integer', (col) => col.notNull().check(sql`failed_count >= 0`))
    .addColumn('undefined_count', 'integer', (col) => col.notNull().check(sql`undefined_count >= 0`))
    .addColumn('result_json', 'text', (col) => col.notNull())
    .addColumn('result_sha256', 'varchar(64)', (col) => col.notNull())
    .addColumn('recorded_at', 'varchar(32)', (col) => col.notNull())
    .addCheckConstraint('measurement_runs_kind', oneOf('kind', runKinds))
    .addCheckConstraint('measurement_runs_result', oneOf('result', runResults))
    .addCheckConstraint('measurement_runs_engine_version_not_blank', notBlank('engine_version'))
    .addCheckConstraint('measurement_runs_finished_after_start', sql`finished_at >= started_at`)
    .addCheckConstraint('measurement_runs_counts', sql`passed_count + failed_count + undefined_count = outcome_count`)
    .addCheckConstraint('measurement_runs_result_sha256', isSha256('result_sha256'))
    // A policy is stored whole or not at all, and a policy check always has one.
    .addCheckConstraint(
      'measurement_runs_policy',
      sql`(policy_name is null and policy_sha256 is null and policy_text is null and kind <> 'check')
        or (policy_name is not null and policy_sha256 is not null and policy_text is not null and ${isSha256('policy_sha256')})`,
    )
    .execute();
  // Lists of a system's runs read newest first; the id breaks ties like the list endpoint does.
  await db.schema.createIndex('measurement_runs_system_finished').on('measurement_runs').columns(['ai_system_id', 'finished_at', 'id']).execute();
  await db.schema.createIndex('measurement_runs_model_version').on('measurement_runs').column('model_version_id').execute();

  await db.schema
    .createTable('measurement_run_files')
    .addColumn('run_id', 'varchar(64)', (col) => col.notNull().references('measurement_runs.id').onDelete('cascade'))
    .addColumn('role', 'varchar(16)', (col) => col.notNull())
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('format', 'varchar(16)', (col) => col.notNull())
    .addColumn('sha256', 'varchar(64)', (col) => col.notNull())
    .addColumn('size_bytes', 'bigint', (col) => col.notNull().check(sql`size_bytes >= 0`))
    .addColumn('row_count', 'bigint', (col) => col.notNull().check(sql`row_count >= 0`))
    .addColumn('dataset_version_id', 'varchar(64)', (col) => col.references('dataset_versions.id'))
    .addPrimaryKeyConstraint('measurement_run_files_pk', ['run_id', 'role'])
    .addCheckConstraint('measurement_run_files_role', oneOf('role', dataRoles))
    .addCheckConstraint('measurement_run_files_format', oneOf('format', fileFormats))
    .addCheckConstraint('measurement_run_files_sha256', isSha256('sha256'))
    .addCheckConstraint('measurement_run_files_name_not_blank', notBlank('file_name'))
    .execute();
  await db.schema.createIndex('measurement_run_files_dataset_version').on('measurement_run_files').column('dataset_version_id').execute();
  await db.schema.createIndex('measurement_run_files_sha256').on('measurement_run_files').column('sha256').execute();

  await db.schema
    .createTable('measurement_values')
    .addColumn('run_id', 'varchar(64)', (col) => col.notNull().references('measurement_runs.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull().check(sql`position >= 0`))
    // The system and time of the run, repeated here so that a KPI series is read from one index.
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id'))
    .addColumn('measured_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('check_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('family', 'varchar(16)', (col) => col.notNull())
    .addColumn('metric', 'varchar(64)', (col) => col.notNull())
    .addColumn('parameters', 'text', (col) => col.notNull())
    .addColumn('column_name', 'text')
    .addColumn('group_name', 'text')
    // Hex SHA-256 of the canonical JSON [parameters, column, group]: a short key for the indexes,
    // because PostgreSQL rejects btree entries over about 2,700 bytes and the texts can be longer.
    .addColumn('series_key', 'varchar(64)', (col) => col.notNull())
    .addColumn('value', 'double precision')
    .addColumn('undefined_reason', 'text')
    .addColumn('warnings', 'text', (col) => col.notNull())
    .addColumn('threshold_operator', 'varchar(8)', (col) => col.notNull())
    .addColumn('threshold_value', 'double precision')
    .addColumn('threshold_min', 'double precision')
    .addColumn('threshold_max', 'double precision')
    .addColumn('severity', 'varchar(8)', (col) => col.notNull())
    .addColumn('result', 'varchar(16)', (col) => col.notNull())
    .addPrimaryKeyConstraint('measurement_values_pk', ['run_id', 'position'])
    .addCheckConstraint('measurement_values_family', oneOf('family', families))
    .addCheckConstraint('measurement_values_severity', oneOf('severity', severities))
    .addCheckConstraint('measurement_values_result', oneOf('result', checkResults))
    .addCheckConstraint('measurement_values_check_id_not_blank', notBlank('check_id'))
    .addCheckConstraint('measurement_values_series_key', isSha256('series_key'))
    // A value is a number or undefined with its reason, and only an undefined value has the result undefined.
    .addCheckConstraint('measurement_values_value_or_reason', sql`(value is null) <> (undefined_reason is null)`)
    .addCheckConstraint('measurement_values_undefined_result', sql`(value is null) = (result = 'undefined')`)
    .addCheckConstraint(
      'measurement_values_threshold',
      sql`(threshold_operator = 'between' and threshold_value is null and threshold_min is not null and threshold_max is not null and threshold_min <= threshold_max)
        or (${oneOf('threshold_operator', operators.filter((operator) => operator !== 'between'))} and threshold_value is not null and threshold_min is null and threshold_max is null)`,
    )
    .execute();
  // One value per check, column and group in a run (a check's parameters are fixed).
  await db.schema.createIndex('measurement_values_unique_target').unique().on('measurement_values').columns(['run_id', 'check_id', 'series_key']).execute();
  // The KPI series of one metric of one system, per parameters, column and group, in time order.
  await db.schema.createIndex('measurement_values_kpi').on('measurement_values').columns(['ai_system_id', 'metric', 'series_key', 'measured_at']).execute();

  await versioned(db.schema.createTable('monitoring_tasks'))
    .addColumn('ai_system_id', 'varchar(64)', (col) => col.notNull().references('ai_systems.id'))
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('status', 'varchar(8)', (col) => col.notNull())
    .addColumn('metric', 'varchar(64)', (col) => col.notNull())
    .addColumn('parameters', 'text', (col) => col.notNull())
    .addColumn('column_name', 'text')
    .addColumn('group_name', 'text')
    .addColumn('chart', 'varchar(16)', (col) => col.notNull())
    .addColumn('rule', 'varchar(64)', (col) => col.notNull())
    .addColumn('run_id', 'varchar(64)', (col) => col.notNull().references('measurement_runs.id'))
    .addColumn('breach', 'text', (col) => col.notNull())
    .addColumn('assigned_role', 'varchar(32)', (col) => col.notNull())
    .addColumn('owner_person_id', 'varchar(64)', (col) => col.references('people.id').onDelete('set null'))
    .addColumn('due_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('opened_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('closed_by', 'varchar(64)')
    .addColumn('resolution', 'text')
    .addCheckConstraint('monitoring_tasks_kind', oneOf('kind', taskKinds))
    .addCheckConstraint('monitoring_tasks_status', oneOf('status', taskStatuses))
    .addCheckConstraint('monitoring_tasks_chart', oneOf('chart', charts))
    .addCheckConstraint('monitoring_tasks_rule_not_blank', notBlank('rule'))
    .addCheckConstraint(
      'monitoring_tasks_closed',
      sql`(status = 'open' and closed_at is null and closed_by is null and resolution is null)
        or (status = 'done' and closed_at is not null and closed_by is not null and resolution is not null and ${notBlank('resolution')})`,
    )
    .execute();
  // At most one open task per system, metric, chart and rule: a partial unique index over open tasks.
  await db.schema
    .createIndex('monitoring_tasks_one_open')
    .on('monitoring_tasks')
    .columns(['ai_system_id', 'metric', 'chart', 'rule'])
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await db.schema.createIndex('monitoring_tasks_status_due').on('monitoring_tasks').columns(['status', 'due_date', 'id']).execute();
  await db.schema.createIndex('monitoring_tasks_system').on('monitoring_tasks').columns(['ai_system_id', 'opened_at']).execute();
  await db.schema.createIndex('monitoring_tasks_run').on('monitoring_tasks').column('run_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['monitoring_tasks', 'measurement_values', 'measurement_run_files', 'measurement_runs']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
