import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import type { ClassificationSettingsTable } from '../platform/database/schema.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { validationFailed } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { findProblems, parseWith } from '../platform/validation.js';
import { UpdateClassificationSettings, type ClassificationSettings } from './classification.schemas.js';
import type { EffectiveImpactConfiguration } from './classify.js';
import { checkImpactConfiguration, defaultImpactConfiguration, type ImpactConfiguration } from './impact.js';
import { ConditionSchema } from './rule-files.js';
import { loadClassificationRules } from './rule-files.js';

/**
 * The organization's classification settings, stored as numbered versions. The highest number is
 * in force. A version sets the days a review of a stale classification has before it is due, and
 * the impact rules (points, thresholds, escalations) when the organization replaces the built-in ones.
 */

const conditionForms =
  'use { "question": factor, "is": option }, "isAny" or "includesOtherThan" with a list of options, or { "all": [...] }, { "any": [...] } or { "not": {...} } nested up to four levels';

/** Days from a stale finding to the due date of its review, while no settings were stored. */
export const defaultReviewDueDays = 30;

export interface EffectiveSettings {
  reviewDueDays: number;
  impact: EffectiveImpactConfiguration;
  row: ClassificationSettingsTable | undefined;
}

export async function readEffectiveSettings(db: Db): Promise<EffectiveSettings> {
  const row = await db.selectFrom('classification_settings').selectAll().orderBy('number', 'desc').limit(1).executeTakeFirst();
  const builtIn = defaultImpactConfiguration(loadClassificationRules().impact);
  if (!row) return { reviewDueDays: defaultReviewDueDays, impact: { configuration: builtIn, source: 'built-in', settingsNumber: null }, row };
  const stored = row.impact_configuration === null ? null : (JSON.parse(row.impact_configuration) as ImpactConfiguration);
  return {
    reviewDueDays: row.review_due_days,
    impact: stored ? { configuration: stored, source: 'organization', settingsNumber: row.number } : { configuration: builtIn, source: 'built-in', settingsNumber: null },
    row,
  };
}

export async function getClassificationSettings(ctx: ServiceContext, caller: Caller): Promise<ClassificationSettings> {
  authorize(caller, 'register.read');
  return toSettings(await readEffectiveSettings(ctx.database.db));
}

/**
 * Stores a new settings version. The impact configuration must give points for every factor and
 * option of the built-in rules, thresholds with 1 <= high < critical, and escalation conditions
 * over known factors and options; null returns to the built-in rules. Classifications already
 * computed keep the result they were computed with.
 */
export async function updateClassificationSettings(ctx: ServiceContext, caller: Caller, input: UpdateClassificationSettings, reason?: string | null): Promise<ClassificationSettings> {
  authorize(caller, 'classification.approve');
  const parsed = parseWith(UpdateClassificationSettings, input);
  if (parsed.impactConfiguration !== null) {
    const factors = loadClassificationRules().impact.factors;
    const conditionProblems = parsed.impactConfiguration.escalations.flatMap((escalation, index) =>
      findProblems(ConditionSchema, escalation.when).length === 0
        ? []
        : [{ path: `/impactConfiguration/escalations/${index}/when`, message: `is not a valid condition (received ${JSON.stringify(escalation.when).slice(0, 80)}); ${conditionForms}` }],
    );
    if (conditionProblems.length > 0) throw validationFailed(conditionProblems);
    const problems = checkImpactConfiguration(factors, parsed.impactConfiguration as ImpactConfiguration, '/impactConfiguration');
    if (problems.length > 0) throw validationFailed(problems);
  }

  return writeTransaction(ctx.database, async (trx) => {
    const before = await readEffectiveSettings(trx);
    const now = ctx.clock.now();
    const row: ClassificationSettingsTable = {
      id: newId(),
      number: (before.row?.number ?? 0) + 1,
      review_due_days: parsed.reviewDueDays,
      impact_configuration: parsed.impactConfiguration === null ? null : JSON.stringify(parsed.impactConfiguration),
      comment: parsed.comment?.trim() || null,
      created_by: caller.userId,
      created_at: toTimestamp(now),
    };
    await trx.insertInto('classification_settings').values(row).execute();
    const after = toSettings(await readEffectiveSettings(trx));
    await appendAuditEvent(trx, caller, now, { action: 'classification_settings.changed', recordId: row.id, before: toSettings(before), after, reason: reason ?? null });
    return after;
  });
}

function toSettings(settings: EffectiveSettings): ClassificationSettings {
  return {
    number: settings.row?.number ?? null,
    reviewDueDays: settings.reviewDueDays,
    impactSource: settings.impact.source,
    impactConfiguration: settings.impact.configuration,
    builtInImpactConfiguration: defaultImpactConfiguration(loadClassificationRules().impact),
    comment: settings.row?.comment ?? null,
    createdBy: settings.row?.created_by ?? null,
    createdAt: settings.row?.created_at ?? null,
  };
}
