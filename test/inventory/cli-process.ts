import { spawn } from 'node:child_process';
import { repositoryRoot } from '../support/server-process.js';
import type { TestDatabase } from '../support/databases.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `custos` CLI from the TypeScript sources through tsx against a test database,
 * with no CUSTOS_ variable inherited from the developer's shell.
 */
export function runCli(database: TestDatabase, args: readonly string[]): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CUSTOS_')) env[key] = value;
  }
  env.CUSTOS_DATA_DIR = database.settings.dataDir;
  env.CUSTOS_DATABASE_SCHEMA = database.settings.databaseSchema;
  if (database.settings.databaseUrl) env.CUSTOS_DATABASE_URL = database.settings.databaseUrl;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
