import type { OrganizationRole } from '../ai-systems/ai-system.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { isUniqueViolation } from '../platform/database/errors.js';
import type { ClassificationTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError, notFound, versionMismatch } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { pageBounds, type PageOf } from '../platform/pagination.js';
import { parseWith } from '../platform/validation.js';
import { readEffectiveSettings } from './classification-settings.service.js';
import {
  findAiSystemName,
  findClassificationRow,
  findCurrentRow,
  findDraftRow,
  findOpenReviewRow,
  loadCatalogueObligations,
  nextClassificationNumber,
  queryClassifications,
  readClassificationInputs,
  toClassification,
  toClassificationRow,
  toSummary,
} from './classification.repository.js';
import {
  ApproveClassification,
  ClassificationListQuery,
  ClassificationRequest,
  type AiSystemClassification,
  type Classification,
  type ClassificationSummary,
  type QuestionnaireResponse,
} from './classification.schemas.js';
import { classify, type ClassificationResult } from './classify.js';
import { changedInputs, type ClassificationInputs } from './inputs.js';
import { closeOpenReview, reviewOf } from './reevaluation.service.js';
import { loadClassificationRules } from './rule-files.js';

/**
 * Use cases of classifications. A draft is computed from questionnaire answers and the AI system
 * as it is at that moment. Approval by a risk owner who did not compute it makes it the
 * system's current classification and freezes it, so the next change starts a new draft.
 */

export interface ChangeOptions {
  expectedVersion?: number;
  reason?: string | null;
}

export function getQuestionnaire(caller: Caller): QuestionnaireResponse {
  authorize(caller, 'register.read');
  const rules = loadClassificationRules();
  const strip = <T extends { questions: unknown[]; rules: { id: string; citation: string; title: string; summary: string; when?: unknown }[] }>(section: T) => ({
    questions: section.questions as QuestionnaireResponse['sections'][number]['questions'],
    rules: section.rules.map(({ id, citation, title, summary, when }) => ({ id, citation, title, summary, ...(when === undefined ? {} : { when }) })),
  });
  return {
    sections: [
      { id: 'eu-ai-act', questionnaire: rules.euAiAct.questionnaire, ...strip(rules.euAiAct) },
      { id: 'gdpr', questionnaire: rules.gdpr.questionnaire, ...strip(rules.gdpr) },
    ],
    impact: {
      ...rules.impact.impactRules,
      factors: rules.impact.factors.map((factor) => ({
        id: factor.id,
        text: factor.text,
        ...(factor.help ? { help: factor.help } : {}),
        source: factor.source,
        options: factor.options.map((option) => ({ id: option.id, label: option.label })),
      })),
    },
  };
}

interface Computed {
  role: OrganizationRole;
  roleSource: Classification['roleSource'];
  inputs: ClassificationInputs;
  result: ClassificationResult;
}

/** Runs the engine over the answers and the AI system as it is now. Throws 404 for an unknown system, 400 for bad answers. */
async function compute(db: Db, aiSystemId: string, request: ClassificationRequest): Promise<Computed> {
  const inputs = await readClassificationInputs(db, aiSystemId);
  if (!inputs) throw notFound('AI system', aiSystemId);
  const role = request.role ?? (inputs.organizationRole as OrganizationRole);
  const settings = await readEffectiveSettings(db);
  const catalogue = await loadCatalogueObligations(db);
  const result = classify(loadClassificationRules(), settings.impact, catalogue, { answers: request.answers, role, autonomy: inputs.autonomy });
  return { role, roleSource: request.role === undefined ? 'ai_system' : 'request', inputs, result };
}

/** Computes a classification without storing anything, so that answers can be tried out. */
export async function previewClassification(ctx: ServiceContext, caller: Caller, aiSystemId: string, request: ClassificationRequest) {
  authorize(caller, 'register.read');
  const parsed = parseWith(ClassificationRequest, request);
  const computed = await compute(ctx.database.db, aiSystemId, parsed);
  return { aiSystemId, ...computed };
}

export async function createClassificationDraft(ctx: ServiceContext, caller: Caller, aiSystemId: string, request: ClassificationRequest, reason?: string | null): Promise<Classification> {
  authorize(caller, 'classification.write');
  const parsed = parseWith(ClassificationRequest, request);
  return writeTransaction(ctx.database, (trx) => insertClassificationDraft(trx, caller, ctx.clock.now(), aiSystemId, parsed, reason ?? null));
}

/** Computes and stores a draft inside the caller's write transaction, with its audit event. The rules are those of createClassificationDraft. */
export async function insertClassificationDraft(trx: Db, caller: Caller, now: Date, aiSystemId: string, request: ClassificationRequest, reason: string | null = null): Promise<Classification> {
  authorize(caller, 'classification.write');
  const parsed = parseWith(ClassificationRequest, request);
  const computed = await compute(trx, aiSystemId, parsed);
  const open = await findDraftRow(trx, aiSystemId);
  if (open) throw draftOpen(open);

  const timestamp = toTimestamp(now);
  const classification: Classification = {
    id: newId(),
    aiSystemId,
    number: await nextClassificationNumber(trx, aiSystemId),
    status: 'draft',
    role: computed.role,
    roleSource: computed.roleSource,
    answers: parsed.answers as Classification['answers'],
    inputs: computed.inputs,
    result: computed.result,
    ...resultColumns(computed.result),
    stale: false,
    staleSince: null,
    staleInputs: [],
    createdBy: caller.userId,
    authors: [caller.userId],
    approvedBy: null,
    approvedAt: null,
    approvalComment: null,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  try {
    await trx.insertInto('classifications').values(toClassificationRow(classification)).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Another draft classification of this AI system was started at the same moment; reload its classification');
    throw error;
  }
  await appendAuditEvent(trx, caller, now, { action: 'classification.created', recordId: classification.id, after: classification, reason });
  return classification;
}

/** Recomputes a draft from new answers and the AI system as it is now, which also clears its stale flag. */
export async function recomputeClassificationDraft(
  ctx: ServiceContext,
  caller: Caller,
  id: string,
  request: ClassificationRequest,
  options: ChangeOptions = {},
): Promise<Classification> {
  authorize(caller, 'classification.write');
  const parsed = parseWith(ClassificationRequest, request);
  return writeTransaction(ctx.database, async (trx) => {
    const row = await loadDraftForChange(trx, id, options.expectedVersion);
    const computed = await compute(trx, row.ai_system_id, parsed);
    const before = toClassification(row);
    const now = ctx.clock.now();
    const after: Classification = {
      ...before,
      role: computed.role,
      roleSource: computed.roleSource,
      answers: parsed.answers as Classification['answers'],
      inputs: computed.inputs,
      result: computed.result,
      ...resultColumns(computed.result),
      stale: false,
      staleSince: null,
      staleInputs: [],
      authors: before.authors.includes(caller.userId) ? before.authors : [...before.authors, caller.userId],
      version: before.version + 1,
      updatedAt: toTimestamp(now),
    };
    await trx.updateTable('classifications').set(toClassificationRow(after)).where('id', '=', id).where('version', '=', row.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'classification.updated', recordId: id, before, after, reason: options.reason ?? null });
    return after;
  });
}

export async function deleteClassificationDraft(ctx: ServiceContext, caller: Caller, id: string, options: ChangeOptions = {}): Promise<void> {
  authorize(caller, 'classification.write');
  await writeTransaction(ctx.database, async (trx) => {
    const row = await loadDraftForChange(trx, id, options.expectedVersion);
    await trx.deleteFrom('classifications').where('id', '=', id).execute();
    await appendAuditEvent(trx, caller, ctx.clock.now(), { action: 'classification.deleted', recordId: id, before: toClassification(row), reason: options.reason ?? null });
  });
}

/**
 * Approves a draft: it becomes the AI system's current classification, the one before it is
 * superseded, and an open review of the system is closed. The approver needs
 * classification.approve and must not be among the draft's authors. A draft whose inputs
 * changed since it was computed must be recomputed first.
 */
export async function approveClassification(ctx: ServiceContext, caller: Caller, id: string, input: ApproveClassification, options: ChangeOptions = {}): Promise<Classification> {
  authorize(caller, 'classification.approve');
  parseWith(ApproveClassification, input);
  return writeTransaction(ctx.database, (trx) => approveClassificationIn(trx, caller, ctx.clock.now(), id, input, options));
}

/** Approves a draft inside the caller's write transaction, with its audit events. The rules are those of approveClassification. */
export async function approveClassificationIn(trx: Db, caller: Caller, now: Date, id: string, input: ApproveClassification, options: ChangeOptions = {}): Promise<Classification> {
  authorize(caller, 'classification.approve');
  const parsed = parseWith(ApproveClassification, input);
  const row = await loadDraftForChange(trx, id, options.expectedVersion);
  const before = toClassification(row);
  const name = (await findAiSystemName(trx, row.ai_system_id)) ?? row.ai_system_id;
  if (before.authors.includes(caller.userId)) {
    throw new AppError(
      'FORBIDDEN',
      `${caller.username} computed draft classification ${row.number} of "${name}", so may not approve it; a risk owner who did not draft it must approve it`,
    );
  }
  const inputs = await readClassificationInputs(trx, row.ai_system_id);
  const changed = inputs ? changedInputs(before.inputs, inputs, { roleFromAiSystem: before.roleSource === 'ai_system' }) : [];
  const staleInputs = [...new Set([...before.staleInputs, ...changed])];
  if (before.stale || changed.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Draft classification ${row.number} of "${name}" is stale: ${staleInputs.join(', ')} changed after it was computed; recompute it with PUT /api/classifications/${id} before approval`,
    );
  }

  const reason = options.reason ?? null;
  const current = await findCurrentRow(trx, row.ai_system_id);
  const timestamp = toTimestamp(now);
  if (current) {
    const superseded: ClassificationTable = { ...current, status: 'superseded', version: current.version + 1, updated_at: timestamp };
    await trx.updateTable('classifications').set(superseded).where('id', '=', current.id).where('version', '=', current.version).execute();
    await appendAuditEvent(trx, caller, now, { action: 'classification.superseded', recordId: current.id, before: toSummary(current, name), after: toSummary(superseded, name), reason });
  }

  const after: Classification = {
    ...before,
    status: 'approved',
    approvedBy: caller.userId,
    approvedAt: timestamp,
    approvalComment: parsed.comment?.trim() || null,
    version: before.version + 1,
    updatedAt: timestamp,
  };
  await trx.updateTable('classifications').set(toClassificationRow(after)).where('id', '=', id).where('version', '=', row.version).execute();
  await appendAuditEvent(trx, caller, now, { action: 'classification.approved', recordId: id, before, after, reason });
  await closeOpenReview(trx, caller, now, row.ai_system_id, id, reason);
  return after;
}

export async function getClassification(ctx: ServiceContext, caller: Caller, id: string): Promise<Classification> {
  authorize(caller, 'register.read');
  const row = await findClassificationRow(ctx.database.db, id);
  if (!row) throw notFound('classification', id);
  return toClassification(row);
}

export async function listClassifications(ctx: ServiceContext, caller: Caller, query: ClassificationListQuery): Promise<PageOf<ClassificationSummary>> {
  authorize(caller, 'register.read');
  const parsed = parseWith(ClassificationListQuery, query);
  const { limit, offset } = pageBounds(parsed);
  const { rows, total } = await queryClassifications(ctx.database.db, parsed, limit, offset);
  return { items: rows.map((row) => toSummary(row, row.ai_system_name)), total, limit, offset };
}

/** Returns the classification an AI system shows: the approved one in force with its stale flag, the open draft and the open review. */
export async function getAiSystemClassification(ctx: ServiceContext, caller: Caller, aiSystemId: string): Promise<AiSystemClassification> {
  authorize(caller, 'register.read');
  const db = ctx.database.db;
  const name = await findAiSystemName(db, aiSystemId);
  if (name === undefined) throw notFound('AI system', aiSystemId);
  const [current, draft, review] = await Promise.all([findCurrentRow(db, aiSystemId), findDraftRow(db, aiSystemId), findOpenReviewRow(db, aiSystemId)]);
  return {
    aiSystemId,
    current: current ? toSummary(current, name) : null,
    openDraft: draft ? toSummary(draft, name) : null,
    openReview: review ? await reviewOf(db, review, ctx.clock.now()) : null,
  };
}

function resultColumns(result: ClassificationResult): Pick<Classification, 'tier' | 'impactLevel' | 'dpiaRequired' | 'art22Applies'> {
  return { tier: result.euAiAct.tier, impactLevel: result.impact.level, dpiaRequired: result.gdpr.dpiaRequired, art22Applies: result.gdpr.art22Applies };
}

async function loadDraftForChange(trx: Db, id: string, expectedVersion: number | undefined): Promise<ClassificationTable> {
  const row = await findClassificationRow(trx, id);
  if (!row) throw notFound('classification', id);
  if (row.status !== 'draft') {
    throw new AppError(
      'CONFLICT',
      `Classification ${row.number} was approved on ${row.approved_at ?? 'an earlier date'} and cannot change; start a new draft with POST /api/ai-systems/${row.ai_system_id}/classifications`,
    );
  }
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionMismatch('classification', id, expectedVersion, row.version);
  return row;
}

function draftOpen(open: ClassificationTable): AppError {
  return new AppError(
    'CONFLICT',
    `Draft classification ${open.number} of this AI system is still open; recompute it with PUT /api/classifications/${open.id} or discard it with DELETE /api/classifications/${open.id}`,
  );
}
