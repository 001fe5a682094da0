import os from 'node:os';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { genesisHash } from './chain.js';
import type { RangeRequest, RangeResult, WorkerMessage } from './verify-worker.js';

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
export async function checkSqliteChainInParallel(file: string, onChecked: (checked: number) => void = () => undefined): Promise<ParallelCheck | null> {
  // The sequence number is the row id, so min(seq) and max(seq) are read from the ends of the
  // table at once. A missing number shows up in its range as a gap.
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  let bounds: { first: number | null; head: number | null };
  try {
    bounds = connection.prepare('select min(seq) as first, max(seq) as head from audit_events').get() as { first: number | null; head: number | null };
  } finally {
    connection.close();
  }
  const headSeq = bounds.head ?? 0;
  if (headSeq < minimumEventsForWorkers) return null;
  // An event numbered below 1 (written with CHECK constraints switched off) lies outside every range.
  if (bounds.first !== 1) return { intact: false, headSeq, headHash: genesisHash };

  const threads = Math.min(maximumWorkers, Math.max(1, os.availableParallelism()));
  const size = Math.ceil(headSeq / threads);
  const ranges: RangeRequest[] = [];
  for (let fromSeq = 1; fromSeq <= headSeq; fromSeq += size) {
    ranges.push({ file, fromSeq, toSeq: Math.min(headSeq, fromSeq + size - 1) });
  }

  // Each worker reports the events it checked so far; the sum over the workers is the progress.
  const checkedByRange = ranges.map(() => 0);
  const results = await Promise.all(
    ranges.map((range, index) =>
      runWorker(range, (checked) => {
        checkedByRange[index] = checked;
        onChecked(checkedByRange.reduce((sum, value) => sum + value, 0));
      }),
    ),
  );
  let previousHash = genesisHash;
  for (const result of results) {
    if (!result.intact || result.firstPreviousHash !== previousHash) {
      return { intact: false, headSeq, headHash: genesisHash };
    }
    previousHash = result.lastHash!;
  }
  return { intact: true, headSeq, headHash: previousHash };
}

function runWorker(range: RangeRequest, onChecked: (checked: number) => void): Promise<RangeResult> {
  const worker = startWorker(range);
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onChecked(message.checked);
      else resolve(message.result);
    });
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
