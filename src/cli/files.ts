import fs from 'node:fs';
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

/** Writes `content` to the file named by `option`, replacing what was there. */
export function writeOutputFile(file: string, content: string, option: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (error) {
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }
}

/**
 * Opens the file named by `option` before any output is produced, so that a wrong path fails at
 * once with a plain message, then lets `produce` write to it and closes it. When writing fails
 * halfway, the partial file is removed rather than left to look like a complete export.
 */
export async function writeToOutputFile<T>(file: string, option: string, produce: (output: Writable) => Promise<T>): Promise<T> {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, 'w');
  } catch (error) {
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }

  const output = fs.createWriteStream(file, { fd: descriptor });
  // Listening from the start turns a later write error, such as a full disk, into a rejection.
  const written = finished(output);
  written.catch(() => undefined);
  try {
    const result = await produce(output);
    output.end();
    await written;
    return result;
  } catch (error) {
    output.destroy();
    fs.rmSync(file, { force: true });
    throw fileError(error, `Cannot write to "${file}"`, 'write', `check ${option}`);
  }
}

function fileError(error: unknown, failed: string, access: 'read' | 'write', fix: string): unknown {
  if (!isSystemError(error)) return error;
  const reason = describeFileFailure(error.code, access) ?? `error ${error.code}`;
  return new AppError('VALIDATION_FAILED', `${failed}: ${reason}; ${fix}`, [], { cause: error });
}
