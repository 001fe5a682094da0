import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../platform/errors.js';
import { describeFileFailure, isSystemError } from './system-errors.js';

/**
 * Files named on the command line. A path that cannot be read or written is an input error
 * (exit code 2) that names the file, the reason and the option that gave it.
 */

/** Reads a whole file. `role` names what the file is for in messages, as in "the inventory file". */
export function readInputFile(file: string, role: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw fileError(error, `Cannot read the ${role} "${file}"`, 'read', 'check the path');
  }
}

const sqliteHeader = Buffer.from('SQLite format 3\u0000', 'latin1');

function isSqliteDatabase(file: string): boolean {
  try {
    const descriptor = fs.openSync(file, 'r');
    try {
      const start = Buffer.alloc(sqliteHeader.length);
      fs.readSync(descriptor, start, 0, start.length, 0);
      return start.equals(sqliteHeader);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    return false;
  }
}

/**
 * Rejects an output path that is a SQLite database or one of its -wal, -shm or -journal files,
 * such as custos's own custos.db: an export written there would destroy the database.
 */
function ensureNotDatabase(file: string, option: string): void {
  const database = file.replace(/-(wal|shm|journal)$/, '');
  if (isSqliteDatabase(file) || (database !== file && isSqliteDatabase(database))) {
    throw new AppError('VALIDATION_FAILED', `${option} "${file}" is a SQLite database file, which an export would destroy; choose another file`);
  }
}

/** Returns a path beside the target, renamed over it only once the output is complete. */
function temporaryPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/**
 * Writes `content` to the file named by `option`. The content goes to a temporary file first and
 * replaces the target only when complete, so a failure leaves any existing file as it was.
 */
export function writeOutputFile(file: string, content: string | Uint8Array, option: string): void {
  ensureNotDatabase(file, option);
  const temporary = temporaryPathFor(file);
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }
}

/**
 * Opens a temporary file beside the one named by `option` before any output is produced, so that
 * a wrong path fails at once with a plain message, then lets `produce` write to it and renames it
 * over the target. When writing fails halfway, the temporary file is removed and any existing
 * target is left as it was.
 */
export async function writeToOutputFile<T>(file: string, option: string, produce: (output: Writable) => Promise<T>): Promise<T> {
  ensureNotDatabase(file, option);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new AppError('VALIDATION_FAILED', `Cannot write to "${file}": it is a directory; check ${option}`);
  }
  const temporary = temporaryPathFor(file);
  let descriptor: number;
  try {
    descriptor = fs.openSync(temporary, 'w');
  } catch (error) {
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }

  const output = fs.createWriteStream(temporary, { fd: descriptor });
  // Listening from the start turns a later write error, such as a full disk, into a rejection.
  const written = finished(output);
  written.catch(() => undefined);
  try {
    const result = await produce(output);
    output.end();
    await written;
    fs.renameSync(temporary, file);
    return result;
  } catch (error) {
    output.destroy();
    fs.rmSync(temporary, { force: true });
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }
}

function fileError(error: unknown, failed: string, access: 'read' | 'write', fix: string): unknown {
  if (!isSystemError(error)) return error;
  const reason = describeFileFailure(error.code, access) ?? `error ${error.code}`;
  return new AppError('VALIDATION_FAILED', `${failed}: ${reason}; ${fix}`, [], { cause: error });
}
