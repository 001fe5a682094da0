import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { utcDate } from '../evidence/evidence.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { validationFailed, type ErrorDetail } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { literalUnion, parseWith } from '../platform/validation.js';
import { findActiveMatrix } from './matrices.repository.js';
import { findReferenceProblems, type RiskReferences } from './risk-checks.js';
import type { RegisterRow } from './register-columns.js';
import { registerFileName, registerFormats, registerMediaTypes, renderRegister, type RegisterFormat } from './register-export.js';
import { readRegisterFile, toImportedRisks, toRowProblem, type ImportedRisk } from './register-import.js';
import type { CreateRisk, Risk, UpdateRisk } from './risk.schemas.js';
import { findAllRiskRows, loadRiskLookups, toRisk } from './risks.repository.js';
import { applyRiskChange, findNewRiskProblems, findRisk, findRiskChangeProblems, insertRisk } from './risks.service.js';
import { findTreatments } from './treatments.repository.js';

/**
 * Export and import of the whole risk register as CSV or XLSX, for the organization's enterprise
 * risk management (ERM): each risk carries the ERM category its custos category maps to. An
 * import is all or nothing: every problem in the file is reported with its row and column, and
 * nothing is written while any remains.
 */

export const RegisterExportQuery = Type.Object({ format: literalUnion(registerFormats, { description: 'csv or xlsx' }) }, { additionalProperties: false });
export type RegisterExportQuery = Static<typeof RegisterExportQuery>;

export const ImportRegisterRequest = Type.Object(
  {
    format: literalUnion(registerFormats, { description: 'csv or xlsx' }),
    content: Type.String({ minLength: 1, description: 'The file: CSV as text, XLSX as base64; the server body limit (CUSTOS_BODY_LIMIT_BYTES) applies' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'Check the file and report what would change, writing nothing' })),
  },
  { $id: 'ImportRegisterRequest', additionalProperties: false },
);
export type ImportRegisterRequest = Static<typeof ImportRegisterRequest>;

export const RegisterImportReport = Type.Object(
  {
    format: literalUnion(registerFormats),
    sha256: Type.String({ description: 'SHA-256 of the file as received' }),
    rows: Type.Integer({ minimum: 0 }),
    created: Type.Array(Type.String(), { description: 'Ids of the risks added' }),
    updated: Type.Array(Type.String(), { description: 'Ids of the risks changed' }),
    unchanged: Type.Array(Type.String(), { description: 'Ids of the risks the file repeats as they are' }),
    dryRun: Type.Boolean(),
  },
  { $id: 'RegisterImportReport', additionalProperties: false },
);
export type RegisterImportReport = Static<typeof RegisterImportReport>;

export interface ExportedRegister {
  content: Buffer;
  mediaType: string;
  fileName: string;
  risks: number;
}

export async function exportRegister(ctx: ServiceContext, caller: Caller, format: RegisterFormat): Promise<ExportedRegister> {
  authorize(caller, 'register.read');
  parseWith(RegisterExportQuery, { format });
  const db = ctx.database.db;
  const rows = await loadRegisterRows(db);
  const now = ctx.clock.now();
  return { content: await renderRegister(rows, format, now), mediaType: registerMediaTypes[format], fileName: registerFileName(format, utcDate(now)), risks: rows.length };
}

async function loadRegisterRows(db: Db): Promise<RegisterRow[]> {
  const [riskRows, lookups] = await Promise.all([findAllRiskRows(db), loadRiskLookups(db)]);
  const risks = riskRows.map((row) => toRisk(row, lookups));
  const systemIds = [...new Set(risks.map((risk) => risk.aiSystemId).filter((id): id is string => id !== null))];
  const ownerIds = [...new Set(risks.map((risk) => risk.ownerPersonId))];
  const [systems, people, treatments] = await Promise.all([
    systemIds.length > 0 ? db.selectFrom('ai_systems').select(['id', 'name']).where('id', 'in', systemIds).execute() : [],
    ownerIds.length > 0 ? db.selectFrom('people').select(['id', 'name']).where('id', 'in', ownerIds).execute() : [],
    findTreatments(db, risks.map((risk) => risk.id)),
  ]);
  const systemNames = new Map(systems.map((row) => [row.id, row.name]));
  const personNames = new Map(people.map((row) => [row.id, row.name]));
  return risks.map((risk) => ({
    risk,
    aiSystemName: risk.aiSystemId ? (systemNames.get(risk.aiSystemId) ?? null) : null,
    ownerName: personNames.get(risk.ownerPersonId) ?? null,
    treatments: treatments.filter((treatment) => treatment.riskId === risk.id),
  }));
}

/** A checked row with what it does: add a risk, change one, or nothing. */
type PlannedRow = { kind: 'create'; imported: ImportedRisk } | { kind: 'update'; imported: ImportedRisk; before: Risk; patch: UpdateRisk } | { kind: 'unchanged'; imported: ImportedRisk; before: Risk };

/**
 * Imports a register file. A row whose id names an existing risk changes that risk. Any other
 * row adds a risk, keeping the id from the file when there is one. Each risk gets its own
 * risk.created or risk.updated event, and the file gets one risk_register.imported event.
 */
export async function importRegister(ctx: ServiceContext, caller: Caller, request: ImportRegisterRequest, reason?: string | null): Promise<RegisterImportReport> {
  authorize(caller, 'risks.write');
  const parsed = parseWith(ImportRegisterRequest, request);
  const content = parsed.format === 'csv' ? Buffer.from(parsed.content, 'utf8') : Buffer.from(parsed.content, 'base64');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const sheet = await readRegisterFile(content, parsed.format);
  if (sheet.problems.length > 0) throw importRejected(sheet.problems);
  const { risks, problems } = toImportedRisks(sheet.rows);


  return writeTransaction(ctx.database, async (trx) => {
    const plan = await planRows(trx, risks, problems);
    if (problems.length > 0) throw importRejected(problems);

    const report: RegisterImportReport = {
      format: parsed.format,
      sha256,
      rows: sheet.rows.length,
      created: [],
      updated: [],
      unchanged: [],
      dryRun: parsed.dryRun === true,
    };
    const now = ctx.clock.now();
    for (const step of plan) {
      if (step.kind === 'unchanged') {
        report.unchanged.push(step.before.id);
        continue;
      }
      if (step.kind === 'update') {
        if (!report.dryRun) await applyRiskChange(trx, caller, now, step.before, step.patch, reason ?? null);
        report.updated.push(step.before.id);
        continue;
      }
      const id = step.imported.id ?? newId();
      if (!report.dryRun) await insertRisk(trx, caller, now, step.imported.candidate, { id, reason: reason ?? null });
      report.created.push(id);
    }
    if (!report.dryRun) {
      await appendAuditEvent(trx, caller, now, { action: 'risk_register.imported', recordId: newId(), after: report, reason: reason ?? null });
    }
    return report;
  });
}

/** Checks every row against the register and decides what it does. Problems are appended to `problems`. */
async function planRows(trx: Db, risks: readonly ImportedRisk[], problems: ErrorDetail[]): Promise<PlannedRow[]> {
  const matrix = await findActiveMatrix(trx);
  const plan: PlannedRow[] = [];
  for (const imported of risks) {
    const rowProblem = (problem: ErrorDetail) => problems.push(toRowProblem(imported.row, problem));
    if (!imported.valid) {
      (await findReferenceProblems(trx, textReferences(imported.candidate))).forEach(rowProblem);
      continue;
    }
    const before = imported.id ? await findRisk(trx, imported.id) : undefined;
    if (imported.accepted && before?.status !== 'accepted') {
      problems.push({ path: `row ${imported.row}, Status`, message: 'accepted cannot be set by import; import the risk as treated and accept it with POST /api/risks/{id}/acceptances' });
    }
    if (!before) {
      (await findNewRiskProblems(trx, imported.candidate, matrix)).forEach(rowProblem);
      plan.push({ kind: 'create', imported });
      continue;
    }
    const patch = differences(before, imported.candidate);
    if (Object.keys(patch).length === 0) {
      plan.push({ kind: 'unchanged', imported, before });
      continue;
    }
    (await findRiskChangeProblems(trx, before, patch, matrix)).forEach(rowProblem);
    plan.push({ kind: 'update', imported, before, patch });
  }
  return plan;
}

/** Picks the references of a row that failed the schema, leaving out blank and mistyped ones. */
function textReferences(candidate: CreateRisk): RiskReferences {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' && value.length <= 200 ? value : undefined);
  return {
    ownerPersonId: text(candidate.ownerPersonId),
    aiSystemId: text(candidate.aiSystemId),
    riskSourceRef: text(candidate.riskSourceRef),
    objectiveRef: text(candidate.objectiveRef),
    category: text(candidate.category),
  };
}

/** Returns the fields of a row that differ from the stored risk. A rating with the same levels is kept as it is. */
function differences(before: Risk, row: CreateRisk): UpdateRisk {
  const patch: UpdateRisk = {};
  if (row.title.trim() !== before.title) patch.title = row.title;
  if ((row.description ?? '') !== before.description) patch.description = row.description ?? '';
  if ((row.aiSystemId ?? null) !== before.aiSystemId) patch.aiSystemId = row.aiSystemId ?? null;
  if (row.riskSourceRef !== before.riskSourceRef) patch.riskSourceRef = row.riskSourceRef;
  if ((row.threat ?? null) !== before.threat) patch.threat = row.threat ?? null;
  if (row.objectiveRef !== before.objectiveRef) patch.objectiveRef = row.objectiveRef;
  if (row.category !== before.category) patch.category = row.category;
  if (row.ownerPersonId !== before.ownerPersonId) patch.ownerPersonId = row.ownerPersonId;
  if (!sameLevels(before.inherent, row.inherent ?? null)) patch.inherent = row.inherent ?? null;
  if (!sameLevels(before.residual, row.residual ?? null)) patch.residual = row.residual ?? null;
  if (row.status !== undefined && row.status !== before.status) patch.status = row.status;
  return patch;
}

function sameLevels(stored: { likelihood: number; impact: number } | null, row: { likelihood: number; impact: number } | null): boolean {
  if (stored === null || row === null) return stored === row;
  return stored.likelihood === row.likelihood && stored.impact === row.impact;
}

function importRejected(unsorted: readonly ErrorDetail[]): Error {
  // Problems come from several passes over the rows; sorting by row keeps each row's together.
  const rowOf = (problem: ErrorDetail) => Number(/^row (\d+)/.exec(problem.path)?.[1] ?? 0);
  const problems = [...unsorted].sort((a, b) => rowOf(a) - rowOf(b));
  const rows = new Set(problems.map((problem) => problem.path.split(',')[0]));
  return validationFailed([...problems], `The risk register file was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${rows.size} place${rows.size === 1 ? '' : 's'}; nothing was written. Fix them and import the file again`);
}
