import fs from 'node:fs';
import path from 'node:path';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { allEvidenceRows } from './evidence.repository.js';
import type { EvidenceStore } from './evidence-store.js';
import { evidenceStoreOf } from './evidence-store.js';

/**
 * Checks the evidence store against the records. The current file of every evidence record must
 * exist and hash to the recorded SHA-256 and size. Every earlier file that the audit trail names
 * (replaced files, files of deleted evidence) must exist too, and every other file in the store
 * must still hash to its own name.
 */

export type FileProblemKind = 'missing' | 'altered' | 'unreadable';

export interface EvidenceFileProblem {
  kind: FileProblemKind;
  /** The evidence whose current file this is, or null for an earlier version or deleted evidence. */
  evidenceId: string | null;
  title: string | null;
  expectedSha256: string;
  /** The recorded size, or null when no record names the file. */
  expectedSizeBytes: number | null;
  path: string;
  /** Description of what was found instead: no file, another hash and size, or the error that stopped reading. */
  found: string;
}

export interface EvidenceVerification {
  ok: boolean;
  recordsChecked: number;
  /** Distinct files hashed: current files plus earlier ones. */
  filesChecked: number;
  /** Files in the store that are no record's current file. */
  earlierFilesChecked: number;
  problems: EvidenceFileProblem[];
}

type Measurement = { sha256: string; sizeBytes: number } | { missing: true } | { error: string };

export async function verifyEvidenceFiles(ctx: ServiceContext, caller: Caller): Promise<EvidenceVerification> {
  authorize(caller, 'register.read');
  const store = evidenceStoreOf(ctx.config);
  const measured = new Map<string, Measurement>();
  const problems: EvidenceFileProblem[] = [];
  let recordsChecked = 0;

  for await (const row of allEvidenceRows(ctx.database.db)) {
    recordsChecked += 1;
    let measurement = measured.get(row.sha256);
    if (!measurement) {
      measurement = await measure(store, row.sha256);
      measured.set(row.sha256, measurement);
    }
    const sizeBytes = Number(row.size_bytes);
    const problem = describeProblem(measurement, row.sha256, sizeBytes);
    if (problem) {
      problems.push({ ...problem, evidenceId: row.id, title: row.title, expectedSha256: row.sha256, expectedSizeBytes: sizeBytes, path: store.pathOf(row.sha256) });
    }
  }

  let earlierFilesChecked = 0;
  // Files replaced or left by deleted evidence are named in the audit trail, so a lost one shows
  // up even though no record names it any more.
  for (const earlier of await earlierFilesInAuditTrail(ctx)) {
    if (measured.has(earlier.sha256)) continue;
    earlierFilesChecked += 1;
    const measurement = await measure(store, earlier.sha256);
    measured.set(earlier.sha256, measurement);
    const problem = describeProblem(measurement, earlier.sha256, earlier.sizeBytes);
    if (problem) {
      problems.push({ ...problem, evidenceId: earlier.evidenceId, title: earlier.title, expectedSha256: earlier.sha256, expectedSizeBytes: earlier.sizeBytes, path: store.pathOf(earlier.sha256) });
    }
  }

  for await (const sha256 of storedHashes(store)) {
    if (measured.has(sha256)) continue;
    earlierFilesChecked += 1;
    const measurement = await measure(store, sha256);
    measured.set(sha256, measurement);
    const problem = describeProblem(measurement, sha256, null);
    if (problem) problems.push({ ...problem, evidenceId: null, title: null, expectedSha256: sha256, expectedSizeBytes: null, path: store.pathOf(sha256) });
  }

  const filesChecked = [...measured.values()].filter((measurement) => !('missing' in measurement)).length;
  return { ok: problems.length === 0, recordsChecked, filesChecked, earlierFilesChecked, problems };
}

interface EarlierFile {
  evidenceId: string;
  title: string | null;
  sha256: string;
  sizeBytes: number | null;
}

/** Reads the files that replaced or deleted evidence had, from the `before` image of those audit events. */
async function earlierFilesInAuditTrail(ctx: ServiceContext): Promise<EarlierFile[]> {
  const events = await ctx.database.db
    .selectFrom('audit_events')
    .select(['record_id', 'before_json'])
    .where('action', 'in', ['evidence.file_replaced', 'evidence.deleted'])
    .orderBy('seq')
    .execute();
  const files: EarlierFile[] = [];
  for (const event of events) {
    if (event.before_json === null) continue;
    const before = JSON.parse(event.before_json) as { sha256?: unknown; sizeBytes?: unknown; title?: unknown };
    if (typeof before.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(before.sha256)) continue;
    files.push({
      evidenceId: event.record_id,
      title: typeof before.title === 'string' ? before.title : null,
      sha256: before.sha256,
      sizeBytes: typeof before.sizeBytes === 'number' ? before.sizeBytes : null,
    });
  }
  return files;
}

function describeProblem(measurement: Measurement, expectedSha256: string, expectedSizeBytes: number | null): { kind: FileProblemKind; found: string } | undefined {
  if ('missing' in measurement) return { kind: 'missing', found: 'no file' };
  if ('error' in measurement) return { kind: 'unreadable', found: measurement.error };
  const sizeMatches = expectedSizeBytes === null || measurement.sizeBytes === expectedSizeBytes;
  if (measurement.sha256 === expectedSha256 && sizeMatches) return undefined;
  return { kind: 'altered', found: `sha256 ${measurement.sha256}, ${measurement.sizeBytes} bytes` };
}

async function measure(store: EvidenceStore, sha256: string): Promise<Measurement> {
  try {
    return (await store.measure(sha256)) ?? { missing: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: `the file cannot be read (${code ?? (error as Error).message})` };
  }
}

/** Hashes named by the files in the store's `sha256/<xx>/` directories; other files are not evidence and are skipped. */
async function* storedHashes(store: EvidenceStore): AsyncGenerator<string> {
  const base = path.join(store.root, 'sha256');
  let prefixes: fs.Dirent[];
  try {
    prefixes = await fs.promises.readdir(base, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const prefix of prefixes.filter((entry) => entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const directory = await fs.promises.opendir(path.join(base, prefix.name));
    for await (const entry of directory) {
      if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name) && entry.name.startsWith(prefix.name)) yield entry.name;
    }
  }
}
