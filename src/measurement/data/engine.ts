import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance, type DuckDBConnection, type DuckDBMaterializedResult } from '@duckdb/node-api';

import { findMalformedCsvRecord, findMalformedJsonLine, translateDuckDbError, type ErrorContext } from './duckdb-errors.js';
import type { SqlParameters } from './sql-text.js';

/** How far a running query has got, as DuckDB estimates it. */
export interface ScanProgress {
  /** The query's purpose, for example `confusion counts of compas.csv`. */
  readonly task: string;
  /** 0 to 100. */
  readonly percentage: number;
  readonly rowsProcessed: number;
  readonly totalRows: number;
}

export type ProgressListener = (progress: ScanProgress) => void;

export interface DataEngineOptions {
  /**
   * DuckDB worker threads. Default: the number of CPUs Node reports (`os.availableParallelism()`),
   * because a check run should use the whole machine. A server that measures in the background
   * should pass fewer.
   */
  readonly threads?: number;
  /**
   * Memory DuckDB may use for its buffers, for example `1GB` or `512MB`. Default `1GB`, because
   * DuckDB's own default (80 % of RAM) can starve the Node process and a database server on the
   * same host. 1 GB fits two 1,000,000-row, 20-column CSV files loaded as tables (about 500 MB);
   * beyond the limit DuckDB spills to `temporaryDirectory` instead of failing.
   */
  readonly memoryLimit?: string;
  /** Folder DuckDB spills to. Default: a new folder under the system's temporary folder, removed on close. */
  readonly temporaryDirectory?: string;
  /** Receives progress of long scans; DuckDB reports none for the first moments of a query. */
  readonly onProgress?: ProgressListener;
  /** Milliseconds between progress reports. Default 250. */
  readonly progressIntervalMs?: number;
}

const defaultMemoryLimit = '1GB';
const defaultProgressIntervalMs = 250;

/**
 * One in-memory DuckDB database with one connection, through which the data layer runs its SQL.
 * Queries run one at a time in the order they were started. Close the engine when done: that
 * frees DuckDB's memory and removes its spill folder.
 */
export class DataEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private tableCount = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly memoryLimit: string,
    readonly threads: number,
    private readonly ownedTemporaryDirectory: string | null,
    private readonly onProgress: ProgressListener | null,
    private readonly progressIntervalMs: number,
  ) {}

  static async create(options: DataEngineOptions = {}): Promise<DataEngine> {
    const threads = options.threads ?? availableParallelism();
    const memoryLimit = options.memoryLimit ?? defaultMemoryLimit;
    const ownedTemporaryDirectory = options.temporaryDirectory === undefined ? mkdtempSync(join(tmpdir(), 'custos-duckdb-')) : null;
    const temporaryDirectory = options.temporaryDirectory ?? (ownedTemporaryDirectory as string);

    let instance: DuckDBInstance | null = null;
    try {
      instance = await DuckDBInstance.create(':memory:', {
        threads: String(threads),
        memory_limit: memoryLimit,
        temp_directory: temporaryDirectory,
        // Files are named by the caller; DuckDB must not fetch extensions or remote files.
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      const connection = await instance.connect();
      if (options.onProgress) {
        // Progress is tracked only while the progress bar is enabled; printing it stays off.
        await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0');
      }
      return new DataEngine(
        instance,
        connection,
        memoryLimit,
        threads,
        ownedTemporaryDirectory,
        options.onProgress ?? null,
        options.progressIntervalMs ?? defaultProgressIntervalMs,
      );
    } catch (error) {
      instance?.closeSync();
      if (ownedTemporaryDirectory !== null) rmSync(ownedTemporaryDirectory, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Runs one statement and returns its whole result. DuckDB errors become AppErrors that name the
   * file of whichever context DuckDB's message mentions, else the first.
   */
  run(task: string, sql: string, parameters: SqlParameters, contexts: readonly ErrorContext[]): Promise<DuckDBMaterializedResult> {
    const next = this.queue.then(() => this.runNow(task, sql, parameters, contexts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement and leaves DuckDB's errors untranslated, for callers that inspect them. */
  runUntranslated(task: string, sql: string, parameters: SqlParameters): Promise<DuckDBMaterializedResult> {
    const next = this.queue.then(() => this.runNow(task, sql, parameters, null));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement and returns its rows as plain objects; for small results only. */
  async rows(task: string, sql: string, parameters: SqlParameters, contexts: readonly ErrorContext[]): Promise<Record<string, unknown>[]> {
    const result = await this.run(task, sql, parameters, contexts);
    return result.getRowObjectsJS();
  }

  /** Returns a fresh name for a temporary table of this engine. */
  nextTableName(): string {
    this.tableCount += 1;
    return `custos_data_${this.tableCount}`;
  }

  /** Closes the connection and the database and removes the spill folder this engine created. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.ownedTemporaryDirectory !== null) rmSync(this.ownedTemporaryDirectory, { recursive: true, force: true });
  }

  private async runNow(
    task: string,
    sql: string,
    parameters: SqlParameters,
    contexts: readonly ErrorContext[] | null,
  ): Promise<DuckDBMaterializedResult> {
    if (this.closed) throw new Error('The data engine is closed; create a new one');
    const poller = this.startProgress(task);
    try {
      return await this.connection.run(sql, parameters.values);
    } catch (error) {
      if (contexts === null) throw error;
      const context = chooseContext(error, contexts);
      throw translateDuckDbError(error, context, await findMalformedJsonLine(error, context), await findMalformedCsvRecord(error, context));
    } finally {
      if (poller !== null) clearInterval(poller);
    }
  }

  private startProgress(task: string): NodeJS.Timeout | null {
    const listener = this.onProgress;
    if (listener === null) return null;
    let lastPercentage = -1;
    return setInterval(() => {
      const progress = this.connection.progress;
      // DuckDB reports -1, or 0 of 0 rows, until it can estimate the work.
      if (progress.percentage <= 0 || progress.total_rows_to_process === 0n || progress.percentage === lastPercentage) return;
      lastPercentage = progress.percentage;
      listener({
        task,
        percentage: progress.percentage,
        rowsProcessed: Number(progress.rows_processed),
        totalRows: Number(progress.total_rows_to_process),
      });
    }, this.progressIntervalMs);
  }
}

function chooseContext(error: unknown, contexts: readonly ErrorContext[]): ErrorContext {
  const message = error instanceof Error ? error.message : String(error);
  const named = contexts.find((context) => message.includes(context.path));
  const chosen = named ?? contexts[0];
  if (chosen === undefined) throw error;
  return chosen;
}
