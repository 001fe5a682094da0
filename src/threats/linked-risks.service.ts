import type { ChangeOptions } from '../people/change-options.js';
import type { Caller } from '../platform/auth/caller.js';
import { authorize } from '../platform/auth/policy.js';
import type { ServiceContext } from '../platform/context.js';
import { writeTransaction } from '../platform/database/transaction.js';
import { AppError } from '../platform/errors.js';
import { parseWith } from '../platform/validation.js';
import type { CreateRisk } from '../risks/risk.schemas.js';
import { insertRisk } from '../risks/risks.service.js';
import { CreateLinkedRisk } from './linked-risk.schemas.js';
import { changeFinding } from './red-team-findings.service.js';
import type { FindingRiskCreated } from './red-team.schemas.js';
import { findExercise, findFinding } from './red-team.repository.js';
import { loadThreatModelForChange } from './threat-model-changes.js';
import type { ScenarioRiskCreated } from './threat-model.schemas.js';
import { findThreatItems } from './threat-library.repository.js';
import { changeScenario } from './threat-scenarios.service.js';
import { maxLinkedRisks } from './threat-model.js';

/**
 * Raises new risks of the register from threat scenarios and red-team findings. The risk is
 * created by the risk register's own use case, with its checks, appetite evaluation and audit
 * event, and linked in the same transaction, so either both happen or neither does. The caller
 * needs risks.write as well as threats.write.
 */

export async function createRiskFromScenario(
  ctx: ServiceContext,
  caller: Caller,
  threatModelId: string,
  scenarioId: string,
  input: CreateLinkedRisk,
  options: ChangeOptions = {},
): Promise<ScenarioRiskCreated> {
  authorize(caller, 'threats.write');
  authorize(caller, 'risks.write');
  const parsed = parseWith(CreateLinkedRisk, input);
  return writeTransaction(ctx.database, async (trx) => {
    const model = await loadThreatModelForChange(trx, threatModelId, options.expectedVersion);
    const scenario = model.scenarios.find((entry) => entry.id === scenarioId);
    if (!scenario) {
      throw new AppError('NOT_FOUND', `The threat model "${model.title}" (${model.id}) has no scenario with id "${scenarioId}"; GET /api/threat-models/${model.id} lists its scenarios`);
    }
    ensureRoomForRisk(scenario.riskIds.length, `the scenario "${scenario.title}"`);

    const now = ctx.clock.now();
    const risk = await insertRisk(trx, caller, now, toCreateRisk(parsed, model.aiSystemId, scenario.title, `${scenario.threatTitle} (${scenario.threatRef})`), {
      reason: options.reason ?? null,
    });
    const change = await changeScenario(trx, caller, now, threatModelId, scenarioId, { riskIds: [...scenario.riskIds, risk.id] }, options);
    return { ...change, risk };
  });
}

export async function createRiskFromFinding(
  ctx: ServiceContext,
  caller: Caller,
  findingId: string,
  input: CreateLinkedRisk,
  options: ChangeOptions = {},
): Promise<FindingRiskCreated> {
  authorize(caller, 'threats.write');
  authorize(caller, 'risks.write');
  const parsed = parseWith(CreateLinkedRisk, input);
  return writeTransaction(ctx.database, async (trx) => {
    // changeFinding below checks the version the caller read, so this read only supplies defaults.
    const finding = await findFinding(trx, findingId);
    if (!finding) throw new AppError('NOT_FOUND', `No red-team finding with id "${findingId}" exists; check the id or list the findings`);
    ensureRoomForRisk(finding.raisedRiskIds.length, `finding ${finding.number} "${finding.title}"`);
    const exercise = (await findExercise(trx, finding.exerciseId))!;
    const threats = await findThreatItems(trx, finding.threatRefs);
    const threat = finding.threatRefs.map((ref) => `${threats.get(ref)?.title ?? ref} (${ref})`).join('; ') || `Finding ${finding.number} of "${exercise.title}"`;

    const now = ctx.clock.now();
    const risk = await insertRisk(trx, caller, now, toCreateRisk(parsed, exercise.aiSystemId, finding.title, threat), { reason: options.reason ?? null });
    const updated = await changeFinding(trx, caller, now, findingId, { raisedRiskIds: [...finding.raisedRiskIds, risk.id] }, options);
    return { finding: updated, risk };
  });
}

function toCreateRisk(input: CreateLinkedRisk, aiSystemId: string | null, defaultTitle: string, defaultThreat: string): CreateRisk {
  return {
    ...input,
    title: input.title ?? defaultTitle,
    aiSystemId,
    threat: input.threat === undefined ? defaultThreat.slice(0, 2_000) : input.threat,
  };
}

function ensureRoomForRisk(linked: number, owner: string): void {
  if (linked >= maxLinkedRisks) {
    throw new AppError('CONFLICT', `${owner} already links ${maxLinkedRisks} risks, the maximum; link the new risk to another record or unlink one first`);
  }
}
