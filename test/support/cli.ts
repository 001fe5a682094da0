import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './databases.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliEntry = path.join(repositoryRoot, 'src/cli/main.ts');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The environment that points a CLI or server process at the test database. */
export function environmentFor(database: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTOS_DATA_DIR: database.settings.dataDir, CUSTOS_LOG_LEVEL: 'warn', ...extra };
  delete env.CUSTOS_DATABASE_URL;
  delete env.CUSTOS_DATABASE_SCHEMA;
  if (database.settings.databaseUrl) {
    env.CUSTOS_DATABASE_URL = database.settings.databaseUrl;
    env.CUSTOS_DATABASE_SCHEMA = database.settings.databaseSchema;
  }
  return env;
}

/** Runs the real CLI from source in a child process, as a user would run `npx custos`. */
export function runCli(database: TestDatabase, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
      cwd: repositoryRoot,
      env: environmentFor(database, extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}
