import { createHash } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { findEvidenceRow, toEvidenceRecord } from './evidence.repository.js';
import type { EvidenceRecord } from './evidence.schemas.js';
import { mayReadContent } from './evidence.service.js';
import { evidenceStoreOf } from './evidence-store.js';

/** Download of an evidence file, checked against its recorded hash as it streams. */

export interface EvidenceContent {
  readonly evidence: EvidenceRecord;
  /** The file's bytes; the stream fails before its last chunk when they do not match the recorded SHA-256. */
  readonly stream: Readable;
  readonly sizeBytes: number;
}

/**
 * Opens the current file of evidence for download. Restricted evidence is only for the roles
 * of `evidence.read_restricted` and the uploader of the file (FORBIDDEN otherwise). A file that
 * is missing from the store, or whose size differs from the record, fails before any byte is sent.
 */
export async function openEvidenceContent(ctx: ServiceContext, caller: Caller, id: string): Promise<EvidenceContent> {
  authorize(caller, 'register.read');
  const row = await findEvidenceRow(ctx.database.db, id);
  if (!row) throw notFound('evidence', id);
  const evidence = toEvidenceRecord(row);
  if (!mayReadContent(caller, evidence)) {
    throw new AppError(
      'FORBIDDEN',
      `The evidence "${evidence.title}" is restricted; its file is only for administrators, internal auditors, data protection officers, oversight board members and its uploader. Its metadata stays readable at GET /api/evidence/${id}`,
    );
  }

  const opened = await evidenceStoreOf(ctx.config).open(evidence.sha256);
  if (!opened || opened.sizeBytes !== evidence.sizeBytes) {
    opened?.stream.destroy();
    const found = opened ? `${opened.sizeBytes} bytes instead of ${evidence.sizeBytes}` : 'no file';
    ctx.logger.error({ evidenceId: id, sha256: evidence.sha256, found }, 'evidence file missing or altered');
    throw new AppError(
      'INTERNAL',
      `The file of evidence "${evidence.title}" (sha256 ${evidence.sha256}) is missing or altered in the evidence store (found ${found}); an administrator should run \`custos evidence verify\` and restore the file from a backup`,
    );
  }

  const checked = verifyWhileStreaming(evidence, (actual) =>
    ctx.logger.error({ evidenceId: id, expected: evidence.sha256, actual }, 'evidence file altered; download stopped before its last chunk'),
  );
  // Errors of the file reach `checked`, which the HTTP layer reports by closing the connection.
  return { evidence, stream: pipeline(opened.stream, checked, () => undefined), sizeBytes: opened.sizeBytes };
}

/**
 * Passes bytes through while hashing them, holding back the latest chunk. The held-back chunk
 * is sent only when the whole file matches the recorded SHA-256, and otherwise the stream fails.
 * A file that fits in one chunk then gets an error response instead of its bytes, and a larger
 * one ends short of its Content-Length, so no client receives an altered file as complete.
 */
function verifyWhileStreaming(evidence: EvidenceRecord, onMismatch: (actual: string) => void): Transform {
  const hash = createHash('sha256');
  let heldChunk: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      if (heldChunk) this.push(heldChunk);
      heldChunk = chunk;
      callback();
    },
    flush(callback) {
      const actual = hash.digest('hex');
      if (actual !== evidence.sha256) {
        onMismatch(actual);
        callback(
          new AppError(
            'INTERNAL',
            `The file of evidence "${evidence.title}" no longer matches its SHA-256 ${evidence.sha256}; an administrator should run \`custos evidence verify\` and restore the file from a backup`,
          ),
        );
        return;
      }
      if (heldChunk) this.push(heldChunk);
      callback();
    },
  });
}
