import type { ChangeOptions } from '../people/change-options.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, validationFailed, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { parseWith } from '../platform/validation.js';
import { findThresholdProblems } from './appetite.js';
import { evaluateAppetite, reconcileEscalation } from './appetite-evaluation.js';
import { findAppetiteRow, findAppetiteRows, findCategoryRow, findCategoryRows, toCategoryRow, toRiskCategory } from './categories.repository.js';
import { maxScoreOf } from './matrix.js';
import { findActiveMatrix } from './matrices.repository.js';
import { CreateRiskCategory, SetRiskAppetite, UpdateErmMapping, UpdateRiskCategory, type ErmMapping, type RiskCategory } from './risk-settings.schemas.js';
import type { Risk } from './risk.schemas.js';
import { findRiskRowsByCategory, loadRiskLookups, toRisk, toRiskRow } from './risks.repository.js';

/**
 * Use cases of risk categories: the built-in ethical, legal and operational ones and the
 * organization's own, each with an escalation path, an optional appetite and the ERM category it
 * maps to. A change of appetite judges every risk of the category again in the same transaction.
 */

export async function listCategories(ctx: ServiceContext, caller: Caller): Promise<RiskCategory[]> {
  authorize(caller, 'register.read');
  return loadCategories(ctx.database.db);
}

async function loadCategories(db: Db): Promise<RiskCategory[]> {
  const [rows, appetites, matrix] = await Promise.all([findCategoryRows(db), findAppetiteRows(db), findActiveMatrix(db)]);
  const scaleMax = maxScoreOf(matrix);
  return rows.map((row) => toRiskCategory(row, appetites.get(row.id), scaleMax));
}

export async function getCategory(ctx: ServiceContext, caller: Caller, id: string): Promise<RiskCategory> {
  authorize(caller, 'register.read');
  const category = await findCategory(ctx.database.db, id);
  if (!category) throw notFound('risk category', id);
  return category;
}

async function findCategory(db: Db, id: string): Promise<RiskCategory | undefined> {
  const row = await findCategoryRow(db, id);
  if (!row) return undefined;
  const [appetite, matrix] = await Promise.all([findAppetiteRow(db, id), findActiveMatrix(db)]);
  return toRiskCategory(row, appetite, maxScoreOf(matrix));
}

export async function createCategory(ctx: ServiceContext, caller: Caller, input: CreateRiskCategory, reason?: string | null): Promise<RiskCategory> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(CreateRiskCategory, input);
  return writeTransaction(ctx.database, async (trx) => {
    if (await findCategoryRow(trx, parsed.id)) {
      throw new AppError('CONFLICT', `A risk category with key "${parsed.id}" already exists; choose another key or change that category with PATCH /api/risks/categories/${parsed.id}`);
    }
    const now = ctx.clock.now();
    const timestamp = toTimestamp(now);
    const category: RiskCategory = {
      id: parsed.id,
      label: parsed.label.trim(),
      description: parsed.description?.trim() ?? '',
      builtin: false,
      escalation: parsed.escalation,
      ermCategory: parsed.ermCategory?.trim() ?? null,
      appetite: null,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await trx.insertInto('risk_categories').values(toCategoryRow(category)).execute();
    await appendAuditEvent(trx, caller, now, { action: 'risk_category.created', recordId: category.id, after: category, reason: reason ?? null });
    return category;
  });
}

export async function updateCategory(ctx: ServiceContext, caller: Caller, id: string, patch: UpdateRiskCategory, options: ChangeOptions = {}): Promise<RiskCategory> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(UpdateRiskCategory, patch);
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadCategoryForChange(trx, id, options.expectedVersion);
    const now = ctx.clock.now();
    const after: RiskCategory = {
      ...before,
      label: parsed.label?.trim() ?? before.label,
      description: parsed.description?.trim() ?? before.description,
      escalation: parsed.escalation ?? before.escalation,
      ermCategory: parsed.ermCategory === undefined ? before.ermCategory : (parsed.ermCategory?.trim() ?? null),
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await trx.updateTable('risk_categories').set(toCategoryRow(after)).where('id', '=', id).where('version', '=', before.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'risk_category.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

/**
 * States or changes a category's appetite as a maximum score on the active matrix's scale, and
 * judges the category's risks again: those that cross the threshold are flagged or cleared, and
 * their escalations open or resolve.
 */
export async function setAppetite(ctx: ServiceContext, caller: Caller, categoryId: string, input: SetRiskAppetite, options: ChangeOptions = {}): Promise<RiskCategory> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(SetRiskAppetite, input);
  return writeTransaction(ctx.database, (trx) => applyAppetite(trx, caller, ctx.clock.now(), categoryId, parsed, options));
}

/** Sets a category's appetite inside the caller's write transaction, as setAppetite does. */
export async function applyAppetite(trx: Db, caller: Caller, now: Date, categoryId: string, input: SetRiskAppetite, options: ChangeOptions = {}): Promise<RiskCategory> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(SetRiskAppetite, input);
  const before = await loadCategoryForChange(trx, categoryId, options.expectedVersion);
  const matrix = await findActiveMatrix(trx);
  const problems = findThresholdProblems(parsed.maxScore, maxScoreOf(matrix), '/maxScore');
  if (problems.length > 0) throw validationFailed(problems);

  const timestamp = toTimestamp(now);
  const existing = await findAppetiteRow(trx, categoryId);
  const appetiteRow = {
    id: existing?.id ?? newId(),
    category_id: categoryId,
    statement: parsed.statement.trim(),
    max_score: parsed.maxScore,
    set_by: caller.userId,
    version: (existing?.version ?? 0) + 1,
    created_at: existing?.created_at ?? timestamp,
    updated_at: timestamp,
  };
  if (existing) await trx.updateTable('risk_appetites').set(appetiteRow).where('id', '=', existing.id).execute();
  else await trx.insertInto('risk_appetites').values(appetiteRow).execute();

  const after = await bumpCategory(trx, before, timestamp);
  const reason = options.reason ?? null;
  await appendAuditEvent(trx, caller, now, { action: 'risk_appetite.set', recordId: categoryId, before, after, reason });
  await reevaluateCategory(trx, caller, now, categoryId, reason);
  return after;
}

/** Withdraws a category's appetite; its risks are then no longer beyond appetite. */
export async function removeAppetite(ctx: ServiceContext, caller: Caller, categoryId: string, options: ChangeOptions = {}): Promise<RiskCategory> {
  authorize(caller, 'risks.configure');
  return writeTransaction(ctx.database, async (trx) => {
    const before = await loadCategoryForChange(trx, categoryId, options.expectedVersion);
    if (!before.appetite) throw new AppError('NOT_FOUND', `Risk category "${categoryId}" has no appetite to remove; set one with PUT /api/risks/categories/${categoryId}/appetite`);
    const now = ctx.clock.now();
    await trx.deleteFrom('risk_appetites').where('category_id', '=', categoryId).execute();
    const after = await bumpCategory(trx, before, toTimestamp(now));
    const reason = options.reason ?? null;
    await appendAuditEvent(trx, caller, now, { action: 'risk_appetite.removed', recordId: categoryId, before, after, reason });
    await reevaluateCategory(trx, caller, now, categoryId, reason);
    return after;
  });
}

async function bumpCategory(trx: Db, before: RiskCategory, timestamp: string): Promise<RiskCategory> {
  await trx.updateTable('risk_categories').set({ version: before.version + 1, updated_at: timestamp }).where('id', '=', before.id).where('version', '=', before.version).execute();
  return (await findCategory(trx, before.id))!;
}

/** Flags or clears the category's risks whose standing against the appetite changed. */
async function reevaluateCategory(trx: Db, caller: Caller, now: Date, categoryId: string, reason: string | null): Promise<void> {
  const rows = await findRiskRowsByCategory(trx, categoryId);
  if (rows.length === 0) return;
  const lookups = await loadRiskLookups(trx);
  for (const row of rows) {
    const before: Risk = toRisk(row, lookups);
    const beyond = await evaluateAppetite(trx, before);
    if (beyond === before.beyondAppetite) continue;
    const after: Risk = { ...before, beyondAppetite: beyond, version: before.version + 1, updatedAt: toTimestamp(now) };
    await trx.updateTable('risks').set(toRiskRow(after)).where('id', '=', row.id).where('version', '=', row.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'risk.updated', recordId: row.id, before, after, reason: reason ?? 'The appetite of its category changed.' });
    await reconcileEscalation(trx, caller, now, before, after, reason);
  }
}

export async function getErmMapping(ctx: ServiceContext, caller: Caller): Promise<ErmMapping> {
  authorize(caller, 'register.read');
  const categories = await loadCategories(ctx.database.db);
  return { mappings: categories.map((category) => ({ category: category.id, label: category.label, ermCategory: category.ermCategory })) };
}

/** Changes the ERM category of the listed categories, all or none; each changed category is audited. */
export async function updateErmMapping(ctx: ServiceContext, caller: Caller, input: UpdateErmMapping, reason?: string | null): Promise<ErmMapping> {
  authorize(caller, 'risks.configure');
  const parsed = parseWith(UpdateErmMapping, input);
  await writeTransaction(ctx.database, async (trx) => {
    const categories = new Map((await loadCategories(trx)).map((category) => [category.id, category]));
    const seen = new Set<string>();
    const problems = parsed.mappings.flatMap((mapping, index) => {
      if (!categories.has(mapping.category)) {
        return [{ path: `/mappings/${index}/category`, message: `no risk category "${mapping.category}" exists; use one of ${[...categories.keys()].join(', ')}` }];
      }
      if (seen.has(mapping.category)) return [{ path: `/mappings/${index}/category`, message: `category "${mapping.category}" is listed twice; list each category once` }];
      seen.add(mapping.category);
      return [];
    });
    if (problems.length > 0) throw validationFailed(problems);

    const now = ctx.clock.now();
    for (const mapping of parsed.mappings) {
      const before = categories.get(mapping.category)!;
      const ermCategory = mapping.ermCategory?.trim() ?? null;
      if (ermCategory === before.ermCategory) continue;
      const after: RiskCategory = { ...before, ermCategory, version: before.version + 1, updatedAt: toTimestamp(now) };
      await trx.updateTable('risk_categories').set(toCategoryRow(after)).where('id', '=', before.id).where('version', '=', before.version).execute();
      await appendAuditEvent(trx, caller, now, { action: 'risk_category.updated', recordId: before.id, before, after, reason: reason ?? null });
    }
  });
  return getErmMapping(ctx, caller);
}

async function loadCategoryForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<RiskCategory> {
  const category = await findCategory(trx, id);
  if (!category) throw notFound('risk category', id);
  if (expectedVersion !== undefined && category.version !== expectedVersion) throw versionMismatch('risk category', id, expectedVersion, category.version);
  return category;
}
