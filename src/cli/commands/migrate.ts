import type { Command } from 'commander';
import { openDatabase } from '../../platform/database/connection.js';
import { migrateToLatest } from '../../platform/database/migrate.js';
import { loadConfig } from '../../platform/config.js';
import type { GlobalOptions } from '../runtime.js';

export function migrateCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date (serve does this too)')
    .action(async () => {
      const options = globals();
      const config = loadConfig(process.env, { dataDir: options.dataDir, databaseUrl: options.databaseUrl });
      const database = await openDatabase(config);
      try {
        const applied = await migrateToLatest(database.db);
        process.stdout.write(
          applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : `The ${database.kind} database at ${database.location} is up to date\n`,
        );
      } finally {
        await database.close();
      }
    });
}
