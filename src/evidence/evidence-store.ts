import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../platform/config.js';
import { AppError, validationFailed } from '../platform/errors.js';

/**
 * The content-addressed store of evidence files under `<data dir>/evidence`. A file lives at
 * `sha256/<first two hex digits>/<64 hex digits>`, a path computed from its bytes alone, so a
 * client's file name never reaches the file system and equal content is kept once. Uploads are
 * written to `tmp/` first and renamed into place only once complete and synced to disk.
 */

/** A complete upload in the temporary area, hashed as it was written. */
export interface StagedFile {
  readonly path: string;
  /** Lower-case hex SHA-256 of the bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** A stored file opened for reading, with the size the file system reports. */
export interface OpenedContent {
  readonly stream: Readable;
  readonly sizeBytes: number;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

export class EvidenceStore {
  constructor(readonly root: string) {}

  // NOTE: a process killed during an upload leaves its file in tmp/, and nothing removes such files yet.
  get temporaryDirectory(): string {
    return path.join(this.root, 'tmp');
  }

  /** Returns the path of the file with this hash. Throws INTERNAL for anything but 64 lower-case hex digits. */
  pathOf(sha256: string): string {
    if (!sha256Pattern.test(sha256)) {
      throw new AppError('INTERNAL', `"${sha256}" is not a SHA-256 hash; the evidence store names files only by the hash of their content`);
    }
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  /**
   * Streams `source` into a new file in the temporary area while hashing it, and syncs it to
   * disk. Fails with BODY_TOO_LARGE as soon as more than `maxBytes` arrive, and with
   * VALIDATION_FAILED for an empty file. On any failure the temporary file is removed.
   */
  async stage(source: Readable, maxBytes: number): Promise<StagedFile> {
    await fs.promises.mkdir(this.temporaryDirectory, { recursive: true, mode: 0o700 });
    const temporary = path.join(this.temporaryDirectory, `${randomUUID()}.upload`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sizeBytes += chunk.length;
        if (sizeBytes > maxBytes) {
          callback(evidenceTooLarge(maxBytes));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });

    try {
      // flush syncs the file to disk before the stream closes, so a placed file survives a crash.
      await pipeline(source, meter, fs.createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true }));
      if (sizeBytes === 0) throw validationFailed([{ path: '/file', message: 'the evidence file is empty; send the file with its content' }]);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
    return { path: temporary, sha256: hash.digest('hex'), sizeBytes };
  }

  /**
   * Moves a staged file to its place in the store, read-only, and syncs the directory so that the
   * rename survives a crash. When the same content is already stored, the rename replaces it
   * with identical bytes, so the store keeps one copy. Returns whether the file is new.
   */
  async place(staged: StagedFile): Promise<{ created: boolean }> {
    const target = this.pathOf(staged.sha256);
    const directory = path.dirname(target);
    await fs.promises.mkdir(directory, { recursive: true, mode: 0o700 });
    const existed = await exists(target);
    await fs.promises.chmod(staged.path, 0o400);
    await fs.promises.rename(staged.path, target);
    await syncDirectory(directory);
    return { created: !existed };
  }

  /** Removes a staged file that was not placed; does nothing when it is gone already. */
  async discard(staged: StagedFile): Promise<void> {
    await fs.promises.rm(staged.path, { force: true });
  }

  /** Removes a stored file, for a placement whose database transaction did not commit. */
  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  /** Opens a stored file for reading, or returns undefined when it is missing. */
  async open(sha256: string): Promise<OpenedContent | undefined> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.pathOf(sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const stats = await handle.stat();
      return { stream: handle.createReadStream(), sizeBytes: stats.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Hashes a stored file as it is now, or returns undefined when it is missing. */
  async measure(sha256: string): Promise<{ sha256: string; sizeBytes: number } | undefined> {
    const opened = await this.open(sha256);
    if (!opened) return undefined;
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
      sizeBytes += chunk.length;
      hash.update(chunk);
    }
    return { sha256: hash.digest('hex'), sizeBytes };
  }
}

export function evidenceStoreOf(config: Pick<Config, 'dataDir'>): EvidenceStore {
  return new EvidenceStore(path.join(config.dataDir, 'evidence'));
}

/** Creates the error for an evidence file larger than the configured limit. */
export function evidenceTooLarge(maxBytes: number): AppError {
  return new AppError(
    'BODY_TOO_LARGE',
    `The evidence file is larger than the upload limit of ${maxBytes} bytes; split or compress the file, or raise CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES`,
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Flushes a directory entry to disk. Platforms that cannot open a directory for syncing (Windows) skip it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
