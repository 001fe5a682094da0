import { createHash } from 'node:crypto';
import type { CreateAiSystem } from '../ai-systems/ai-system.schemas.js';
import { insertAiSystems } from '../ai-systems/ai-systems.service.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { validationFailed, type AppError, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { applyMapping, findUnknownFields } from './apply-mapping.js';
import { readCsvRecords } from './csv-records.js';
import { identityMapping, parseMapping, sourcePathsOf, type InventoryMapping } from './inventory-mapping.js';
import type { InventoryFormat, SourceRecords } from './inventory-source.js';
import type { ImportReport } from './inventory.schemas.js';
import { findRecordProblems } from './record-problems.js';
import { readJsonRecords, readYamlRecords } from './structured-records.js';

/** An inventory file to import, with how to read it. */
export interface InventoryImport {
  content: string;
  format: InventoryFormat;
  /** The file name, shown in messages and recorded in the audit trail. */
  sourceName: string;
  /** A mapping as data (a parsed mapping file); without one, source fields are named like the AI system fields. */
  mapping?: unknown;
  delimiter?: string;
  dryRun?: boolean;
  reason?: string | null;
}

/** A file read, mapped and checked against the schema, ready to be written. */
export interface PreparedImport {
  sourceName: string;
  format: InventoryFormat;
  sha256: string;
  systems: CreateAiSystem[];
  /** Location of each system's record in the file, in the same order as `systems`. */
  locations: string[];
  problems: ErrorDetail[];
}

/**
 * Imports an inventory file as AI systems: all of them or, when any record has a problem, none.
 * Every problem in the file is reported at once, each with its line or record number and field.
 * Each system gets its ai_system.created event and the file one inventory.imported event.
 */
export async function importInventory(ctx: ServiceContext, caller: Caller, request: InventoryImport): Promise<ImportReport> {
  authorize(caller, 'ai_systems.write');
  const prepared = prepareInventoryImport(request);

  if (request.dryRun) {
    const problems = [...prepared.problems, ...(await findNameClashes(ctx.database.db, prepared))];
    if (problems.length > 0) throw importRejected(prepared.sourceName, problems);
    return reportOf(prepared, null, []);
  }

  return writeTransaction(ctx.database, (trx) => writePreparedImport(trx, caller, ctx.clock.now(), prepared, request.reason ?? null));
}

/** Reads, maps and checks a file without touching the database. Problems are returned, not thrown. */
export function prepareInventoryImport(request: InventoryImport): PreparedImport {
  const mapping = request.mapping === undefined ? identityMapping() : parseMapping(request.mapping);
  const source = readRecords(request, mapping);
  const problems: ErrorDetail[] = [...source.problems, ...findColumnProblems(source, mapping, request.sourceName)];

  const systems: CreateAiSystem[] = [];
  const locations: string[] = [];
  const firstLocationOf = new Map<string, string>();
  for (const record of source.records) {
    const mapped = applyMapping(mapping, record, request.format);
    const recordProblems = findRecordProblems(mapped, mapping, request.format);
    if (recordProblems.length > 0) {
      problems.push(...recordProblems);
      continue;
    }

    const system = mapped.candidate as CreateAiSystem;
    const key = nameKey(system.businessUnit, system.name);
    const earlier = firstLocationOf.get(key);
    if (earlier !== undefined) {
      problems.push({
        path: `${record.location}, name`,
        message: `"${system.name.trim()}" in business unit "${system.businessUnit.trim()}" repeats ${earlier}; names must be unique within a business unit`,
      });
      continue;
    }
    firstLocationOf.set(key, record.location);
    systems.push(system);
    locations.push(record.location);
  }

  if (source.records.length === 0 && problems.length === 0) {
    problems.push({ path: 'file', message: 'contains no records; expected at least one AI system' });
  }
  const sha256 = createHash('sha256').update(request.content, 'utf8').digest('hex');
  return { sourceName: request.sourceName, format: request.format, sha256, systems, locations, problems };
}

/**
 * Writes a prepared import inside the caller's write transaction, after checking its names
 * against the register under the write lock. Throws VALIDATION_FAILED, writing nothing, if the
 * file had problems or a name is taken.
 */
export async function writePreparedImport(trx: Db, caller: Caller, now: Date, prepared: PreparedImport, reason: string | null): Promise<ImportReport> {
  authorize(caller, 'ai_systems.write');
  const problems = [...prepared.problems, ...(await findNameClashes(trx, prepared))];
  if (problems.length > 0) throw importRejected(prepared.sourceName, problems);

  const importId = newId();
  const created = await insertAiSystems(trx, caller, now, prepared.systems, reason ?? `imported from ${prepared.sourceName}`);
  await appendAuditEvent(trx, caller, now, {
    action: 'inventory.imported',
    recordId: importId,
    after: {
      sourceName: prepared.sourceName,
      format: prepared.format,
      sha256: prepared.sha256,
      aiSystems: created.length,
      aiSystemIds: created.map((system) => system.id),
    },
    reason,
  });
  return reportOf(prepared, importId, created);
}

function readRecords(request: InventoryImport, mapping: InventoryMapping): SourceRecords {
  if (request.format === 'csv') return readCsvRecords(request.content, request.delimiter);
  if (request.format === 'json') return readJsonRecords(request.content, mapping.records);
  return readYamlRecords(request.content, mapping.records);
}

/** Checks a CSV header against the fields the mapping reads, once for the whole file. */
function findColumnProblems(source: SourceRecords, mapping: InventoryMapping, sourceName: string): ErrorDetail[] {
  if (!source.columns || source.columns.length === 0) return [];
  if (mapping.identity) return findUnknownFields(source.columns, 'line 1', 'column');

  const columns = new Set(source.columns);
  return sourcePathsOf(mapping)
    .filter(({ path }) => !columns.has(path))
    .map(({ field, path }) => ({
      path: `mapping fields.${field}`,
      message: `reads column "${path}", which the header of "${sourceName}" does not have; columns are ${source.columns!.join(', ')}`,
    }));
}

/** Finds systems whose name is already used in their business unit in the register. */
async function findNameClashes(db: Db, prepared: PreparedImport): Promise<ErrorDetail[]> {
  const clashes: ErrorDetail[] = [];
  const batchSize = 200;
  for (let start = 0; start < prepared.systems.length; start += batchSize) {
    const batch = prepared.systems.slice(start, start + batchSize);
    const rows = await db
      .selectFrom('ai_systems')
      .select(['name', 'business_unit'])
      .where('name', 'in', batch.map((system) => system.name.trim()))
      .execute();
    const existingKeys = new Set(rows.map((row) => nameKey(row.business_unit, row.name)));
    batch.forEach((system, index) => {
      if (!existingKeys.has(nameKey(system.businessUnit, system.name))) return;
      clashes.push({
        path: `${prepared.locations[start + index]}, name`,
        message: `an AI system named "${system.name.trim()}" already exists in business unit "${system.businessUnit.trim()}"; rename it in the file or leave it out`,
      });
    });
  }
  return clashes;
}

function nameKey(businessUnit: string, name: string): string {
  return `${businessUnit.trim()}\u0000${name.trim()}`;
}

function importRejected(sourceName: string, problems: ErrorDetail[]): AppError {
  const sorted = [...problems].sort((a, b) => positionOf(a.path) - positionOf(b.path));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return validationFailed(sorted, `"${sourceName}" has ${count}; nothing was imported. Fix the file and import it again`);
}

/** Orders problems about the file and the mapping first, then by line or record number. */
function positionOf(path: string): number {
  const match = /^(?:line|record) (\d+)/.exec(path);
  return match ? Number(match[1]) : 0;
}

function reportOf(prepared: PreparedImport, importId: string | null, created: { id: string; name: string; businessUnit: string }[]): ImportReport {
  return {
    importId,
    sourceName: prepared.sourceName,
    format: prepared.format,
    sha256: prepared.sha256,
    dryRun: importId === null,
    aiSystems: importId === null ? prepared.systems.length : created.length,
    created: created.map(({ id, name, businessUnit }) => ({ id, name, businessUnit })),
  };
}
