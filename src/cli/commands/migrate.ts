import type { Command } from 'commander';
import { loadConfig } from '../../platform/config.js';
import { connectDatabase } from '../database-access.js';
import type { GlobalOptions } from '../runtime.js';

export function migrateCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date (serve does this too)')
    .action(async () => {
      const options = globals();
      const config = loadConfig(process.env, { dataDir: options.dataDir, databaseUrl: options.databaseUrl });
      const { database, appliedMigrations } = await connectDatabase(config, options, 'create');
      try {
        process.stdout.write(
          appliedMigrations.length > 0
            ? `Applied ${appliedMigrations.length} migration(s): ${appliedMigrations.join(', ')}\n`
            : `The ${database.kind} database at ${database.location} is up to date\n`,
        );
      } finally {
        await database.close();
      }
    });
}
