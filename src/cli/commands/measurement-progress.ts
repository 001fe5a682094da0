import type { ScanProgress } from '../../measurement/data/index.js';
import type { PolicyCheck } from '../../measurement/policy/policy.js';
import { AppError } from '../../platform/errors.js';

/** The DuckDB flags shared by `custos check` and `custos measure`. */
export interface EngineFlags {
  threads?: string;
  memoryLimit?: string;
}

export function engineOptions(flags: EngineFlags): { threads?: number; memoryLimit?: string } {
  const options: { threads?: number; memoryLimit?: string } = {};
  if (flags.threads !== undefined) {
    const threads = Number(flags.threads);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) {
      throw new AppError('VALIDATION_FAILED', `Invalid --threads "${flags.threads}"; give a whole number from 1 to 256`);
    }
    options.threads = threads;
  }
  if (flags.memoryLimit !== undefined) {
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(flags.memoryLimit.trim())) {
      throw new AppError('VALIDATION_FAILED', `Invalid --memory-limit "${flags.memoryLimit}"; give a size such as 512MB or 2GB`);
    }
    options.memoryLimit = flags.memoryLimit.trim();
  }
  return options;
}

export interface ProgressPrinter {
  readonly onProgress: (progress: ScanProgress) => void;
  readonly onCheck: (check: PolicyCheck, index: number, total: number) => void;
  /** Clears the progress line. */
  readonly done: () => void;
}

/**
 * Shows how far a measurement is on one line of a terminal, rewritten in place. When the stream
 * is not a terminal (a CI log, a pipe) it prints nothing, so that logs stay free of progress noise.
 */
export function progressPrinter(stream: NodeJS.WriteStream): ProgressPrinter {
  if (!stream.isTTY) return { onProgress: () => undefined, onCheck: () => undefined, done: () => undefined };
  let checkLabel = '';
  let shown = false;
  const show = (text: string) => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r${text.slice(0, width).padEnd(width)}`);
    shown = true;
  };
  return {
    onProgress(progress) {
      show(`${checkLabel}${progress.task}: ${progress.percentage.toFixed(0)} %`);
    },
    onCheck(check, index, total) {
      checkLabel = `check ${index + 1}/${total} ${check.id}: `;
      show(`${checkLabel}running`);
    },
    done() {
      if (shown) stream.write(`\r${' '.repeat(Math.max(20, (stream.columns ?? 80) - 1))}\r`);
    },
  };
}
