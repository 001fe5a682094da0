import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import { AppError } from '../errors.js';

/** Migrations in the order they run; names are stored in the database, so never rename one. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Applies every pending migration. Safe to run from several processes: Kysely takes a lock. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
