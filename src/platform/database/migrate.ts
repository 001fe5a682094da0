import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import * as catalogue from './migrations/0002-catalogue.js';
import * as statementOfApplicability from './migrations/0003-statement-of-applicability.js';
import * as evidence from './migrations/0004-evidence.js';
import * as assessments from './migrations/0005-assessments.js';
import * as documentsAndObjectives from './migrations/0006-documents-and-objectives.js';
import * as riskRegister from './migrations/0007-risk-register.js';
import * as classification from './migrations/0008-classification.js';
import * as threatModels from './migrations/0009-threat-models.js';
import * as impactAssessments from './migrations/0010-impact-assessments.js';
import * as measurements from './migrations/0011-measurements.js';
import { AppError } from '../errors.js';

/** Migrations in the order they run; names are stored in the database, so never rename one. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-catalogue': catalogue,
  '0003-statement-of-applicability': statementOfApplicability,
  '0004-evidence': evidence,
  '0005-assessments': assessments,
  '0006-documents-and-objectives': documentsAndObjectives,
  '0007-risk-register': riskRegister,
  '0008-classification': classification,
  '0009-threat-models': threatModels,
  '0010-impact-assessments': impactAssessments,
  '0011-measurements': measurements,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Applies every pending migration. Safe to run from several processes: Kysely takes a lock. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless it is given one. On PostgreSQL, a
  // second custos schema in the same database would otherwise make it skip creating its own.
  const schema = db.getExecutor().adapter instanceof PostgresAdapter ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new AppError(
      'INTERNAL',
      `Database migration ${failed?.migrationName ?? '(unknown)'} failed: ${describe(result.error)}`,
      [],
      { cause: result.error },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Kysely<any>): Promise<string | undefined> {
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema ?? undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
