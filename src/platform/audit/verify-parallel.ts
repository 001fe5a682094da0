import os from 'node:os';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { genesisHash } from './chain.js';
import type { RangeRequest, RangeResult } from './verify-worker.js';

/** Below this many events one thread is as fast as starting workers. */
const minimumEventsForWorkers = 20_000;
const maximumWorkers = 4;

export interface ParallelCheck {
  intact: boolean;
  headSeq: number;
  headHash: string;
}

/**
 * Checks a SQLite audit trail on several threads, one range of sequence numbers each. Returns
 * null when the trail is too small to be worth it. A result that is not intact says only that
 * something is wrong; the sequential verifier then finds and classifies the first bad event.
 */
export async function checkSqliteChainInParallel(file: string): Promise<ParallelCheck | null> {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  let headSeq: number;
  let count: number;
  try {
    const row = connection.prepare('select max(seq) as head, count(*) as count from audit_events').get() as { head: number | null; count: number };
    headSeq = row.head ?? 0;
    count = row.count;
  } finally {
    connection.close();
  }
  if (count < minimumEventsForWorkers) return null;
  if (count !== headSeq) return { intact: false, headSeq, headHash: genesisHash };

  const threads = Math.min(maximumWorkers, Math.max(1, os.availableParallelism()));
  const size = Math.ceil(headSeq / threads);
  const ranges: RangeRequest[] = [];
  for (let fromSeq = 1; fromSeq <= headSeq; fromSeq += size) {
    ranges.push({ file, fromSeq, toSeq: Math.min(headSeq, fromSeq + size - 1) });
  }

  const results = await Promise.all(ranges.map(runWorker));
  let previousHash = genesisHash;
  for (const result of results) {
    if (!result.intact || result.firstPreviousHash !== previousHash) {
      return { intact: false, headSeq, headHash: genesisHash };
    }
    previousHash = result.lastHash!;
  }
  return { intact: true, headSeq, headHash: previousHash };
}

function runWorker(range: RangeRequest): Promise<RangeResult> {
  const worker = startWorker(range);
  return new Promise((resolve, reject) => {
    worker.once('message', (result: RangeResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The audit verification worker for events ${range.fromSeq} to ${range.toSeq} stopped with exit code ${code}`));
    });
  });
}

/**
 * Starts the worker from the compiled file, or, when custos runs from its TypeScript sources
 * (tests, development), through tsx, which worker threads do not inherit from the main thread.
 */
function startWorker(range: RangeRequest): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./verify-worker.js', import.meta.url), { workerData: range });
  }
  const source = new URL('./verify-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: range });
}
