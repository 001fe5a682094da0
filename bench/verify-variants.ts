import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { SeededDatabase } from './seed.js';
import type { RangeResult, RangeTask, VariantName } from './verify-variants.worker.js';

/*
 * What a faster `custos audit verify` could gain, measured on the seeded SQLite database. Each
 * variant splits the sequence range evenly over its worker threads, and each thread reads its
 * range with one streaming statement instead of batches through Kysely. The variants:
 * - read only: reading the rows, the floor for any design.
 * - current envelope: the real hashEvent per event, and the link to its predecessor.
 * - digest envelope: a hypothetical envelope with the SHA-256 digests of before and after in
 *   place of their escaped text. That would change the chain format, and it is not implemented.
 * Links across range boundaries are checked here after the workers finish.
 */

const variants: VariantName[] = ['read only', 'current envelope', 'digest envelope'];

async function runVariant(file: string, lastSeq: number, variant: VariantName, threads: number): Promise<{ seconds: number; results: RangeResult[] }> {
  const started = performance.now();
  const perThread = Math.ceil(lastSeq / threads);
  const entry = new URL('./verify-variants.worker.ts', import.meta.url).href;
  const results = await Promise.all(
    Array.from({ length: threads }, (_, index) => {
      const task: RangeTask = { entry, file, firstSeq: index * perThread + 1, lastSeq: Math.min(lastSeq, (index + 1) * perThread), variant };
      return new Promise<RangeResult>((resolve, reject) => {
        const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: task });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  return { seconds: (performance.now() - started) / 1000, results };
}

function countMismatches(variant: VariantName, results: RangeResult[]): number {
  let mismatches = results.reduce((sum, result) => sum + result.mismatches, 0);
  if (variant === 'read only') return mismatches;
  for (let index = 1; index < results.length; index += 1) {
    if (results[index]!.firstPreviousHash !== results[index - 1]!.lastHash) mismatches += 1;
  }
  return mismatches;
}

export async function benchmarkVerifyVariants(seeded: SeededDatabase, log: (line: string) => void): Promise<void> {
  const file = path.join(seeded.dataDir, 'custos.db');
  const connection = new BetterSqlite3(file, { readonly: true });
  const { lastSeq } = connection.prepare('select max(seq) as lastSeq from audit_events').get() as { lastSeq: number };
  connection.close();

  for (const variant of variants) {
    for (const threads of [1, 2]) {
      const { seconds, results } = await runVariant(file, lastSeq, variant, threads);
      const events = results.reduce((sum, result) => sum + result.events, 0);
      const mismatches = countMismatches(variant, results);
      log(`${variant.padEnd(18)} ${threads} thread${threads === 1 ? ' ' : 's'}  ${seconds.toFixed(2).padStart(6)} s  (${events} events, ${mismatches} mismatches)`);
    }
  }
}
