import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError, validationFailed } from '../platform/errors.js';

declare const computedByCustos: unique symbol;

/**
 * The SHA-256 content fingerprint of a dataset file and its size. Only this module creates
 * one, from the bytes themselves, so a fingerprint cannot be typed in by hand.
 */
export interface Fingerprint {
  /** Lower-case hex SHA-256 of the bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly [computedByCustos]: true;
}

/**
 * Hashes a stream chunk by chunk as it arrives, so memory use stays at one chunk whatever the
 * size. Rejects with BODY_TOO_LARGE once more than `maxBytes` arrive, and then stops reading
 * without destroying the stream, so that an HTTP server can still send its response. Rejects
 * with VALIDATION_FAILED when the stream ends early or is empty.
 */
export function fingerprintStream(source: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<Fingerprint> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let sizeBytes = 0;

    const stop = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      sizeBytes += bytes.length;
      if (sizeBytes > maxBytes) {
        stop();
        source.pause();
        reject(uploadTooLarge(maxBytes));
        return;
      }
      hash.update(bytes);
    };
    const onEnd = (): void => {
      stop();
      if (sizeBytes === 0) {
        reject(validationFailed([{ path: '/', message: 'the dataset file is empty; send or name the file with its content' }]));
        return;
      }
      resolve({ sha256: hash.digest('hex'), sizeBytes } as Fingerprint);
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    // A stream that closes without 'end' was cut off, for example by a client that hung up.
    const onClose = (): void => {
      stop();
      reject(validationFailed([{ path: '/', message: `the file ended after ${sizeBytes} bytes, before it was complete; send it again` }]));
    };

    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    source.once('close', onClose);
  });
}

/** Hashes a local file as a stream. Throws VALIDATION_FAILED when the path names no readable, non-empty file. */
export async function fingerprintFile(filePath: string): Promise<Fingerprint> {
  let stats: fs.Stats;
  try {
    stats = await fs.promises.stat(filePath);
  } catch (error) {
    throw unreadable(filePath, error);
  }
  if (!stats.isFile()) {
    throw validationFailed([{ path: 'file', message: `"${filePath}" is not a regular file; name the dataset file itself` }]);
  }
  if (stats.size === 0) {
    throw validationFailed([{ path: 'file', message: `"${filePath}" is empty; a dataset version needs the file with its content` }]);
  }

  const stream = fs.createReadStream(filePath);
  try {
    return await fingerprintStream(stream);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable(filePath, error);
  } finally {
    stream.destroy();
  }
}

function unreadable(filePath: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return validationFailed([{ path: 'file', message: `no file exists at "${filePath}"; check the path` }]);
  }
  return validationFailed([{ path: 'file', message: `"${filePath}" could not be read (${code ?? 'unknown error'}); check that the file is readable` }]);
}

/** Creates the error for an upload larger than the configured limit. */
export function uploadTooLarge(maxBytes: number): AppError {
  return new AppError(
    'BODY_TOO_LARGE',
    `The dataset file is larger than the upload limit of ${maxBytes} bytes; raise CUSTOS_DATASET_UPLOAD_LIMIT_BYTES or register the file from disk with \`custos dataset add-version\``,
  );
}
