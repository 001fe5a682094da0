import type { Command } from 'commander';
import YAML from 'yaml';
import { organizationRoles, type OrganizationRole } from '../../ai-systems/ai-system.js';
import type { ClassificationInputs } from '../../classification/inputs.js';
import type { ClassificationResult } from '../../classification/classify.js';
import type { ClassificationSummary } from '../../classification/classification.schemas.js';
import { createClassificationDraft, getAiSystemClassification, previewClassification } from '../../classification/classifications.service.js';
import type { TraceEntry } from '../../classification/eu-ai-act.js';
import type { Db } from '../../platform/database/connection.js';
import { AppError } from '../../platform/errors.js';
import { readInputFile } from '../files.js';
import { cliCaller, openExistingContext, type GlobalOptions } from '../runtime.js';

interface ClassifyOptions {
  answers: string;
  role?: string;
  json?: boolean;
  save?: boolean;
  reason?: string;
}

/** Registers `custos classify`, which runs the classification questionnaire's rules for one AI system. */
export function registerClassifyCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('classify')
    .description('Classify an AI system from a file of questionnaire answers: EU AI Act tier with the rules that fired, obligations for the role, GDPR triggers and impact level')
    .argument('<system>', 'id or name of the AI system')
    .requiredOption('--answers <file>', 'YAML or JSON file that maps question ids to option ids (GET /api/classification/questionnaire lists them; classification/examples has samples)')
    .option('--role <role>', `the organization's role for the obligations: ${organizationRoles.join(', ')} (default: the role recorded for the system)`)
    .option('--json', 'print the result as JSON')
    .option('--save', 'store the result as a draft classification, which a risk owner other than the CLI user then approves')
    .option('--reason <text>', 'with --save: why the classification is drafted; stored in the audit trail')
    .action(async (system: string, options: ClassifyOptions) => {
      const role = parseRole(options.role);
      const answers = readAnswers(options.answers);
      const ctx = await openExistingContext(globals());
      try {
        const caller = cliCaller();
        const target = await resolveAiSystem(ctx.database.db, system);
        const request = { answers, ...(role ? { role } : {}) };
        if (options.save) {
          const draft = await createClassificationDraft(ctx, caller, target.id, request, options.reason ?? null);
          if (options.json) {
            process.stdout.write(`${JSON.stringify(draft, null, 2)}\n`);
            return;
          }
          process.stdout.write(renderClassification(target.name, target.id, draft.inputs, draft.result));
          process.stdout.write(renderCurrentClassification((await getAiSystemClassification(ctx, caller, target.id)).current));
          process.stdout.write(`\nSaved as draft classification ${draft.number} (id ${draft.id}); a risk owner other than ${caller.username} must approve it.\n`);
          return;
        }
        const preview = await previewClassification(ctx, caller, target.id, request);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
          return;
        }
        process.stdout.write(renderClassification(target.name, target.id, preview.inputs, preview.result));
        process.stdout.write(renderCurrentClassification((await getAiSystemClassification(ctx, caller, target.id)).current));
        process.stdout.write('\nNothing was stored; add --save to record this as a draft classification.\n');
      } finally {
        await ctx.close();
      }
    });
}

function parseRole(value: string | undefined): OrganizationRole | undefined {
  if (value === undefined) return undefined;
  const role = organizationRoles.find((candidate) => candidate === value.trim().toLowerCase());
  if (!role) throw new AppError('VALIDATION_FAILED', `Invalid --role "${value}"; use one of ${organizationRoles.join(', ')}`);
  return role;
}

/** Reads the answers file: a YAML (or JSON) mapping of question ids to option ids. */
function readAnswers(file: string): Record<string, unknown> {
  const text = readInputFile(file, 'answers file').toString('utf8');
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `The answers file "${file}" is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('VALIDATION_FAILED', `The answers file "${file}" must map question ids to option ids, such as "annex-iii-use: [none]"; see classification/examples`);
  }
  return parsed as Record<string, unknown>;
}

/** Finds a system by id, else by its exact name, which must then be unique across business units. */
async function resolveAiSystem(db: Db, system: string): Promise<{ id: string; name: string }> {
  const byId = await db.selectFrom('ai_systems').select(['id', 'name']).where('id', '=', system).executeTakeFirst();
  if (byId) return byId;
  const byName = await db.selectFrom('ai_systems').select(['id', 'name', 'business_unit']).where('name', '=', system).orderBy('business_unit').execute();
  if (byName.length === 1) return byName[0]!;
  if (byName.length === 0) {
    throw new AppError('NOT_FOUND', `No AI system has the id or name "${system}"; check the spelling, or list the systems with GET /api/ai-systems`);
  }
  throw new AppError(
    'VALIDATION_FAILED',
    `${byName.length} AI systems are named "${system}"; give the id of the one to classify`,
    byName.map((row) => ({ path: row.id, message: `business unit ${row.business_unit}` })),
  );
}

/** Renders a classification result as plain text for the terminal. */
export function renderClassification(name: string, id: string, inputs: ClassificationInputs, result: ClassificationResult): string {
  const lines: string[] = [];
  const eu = result.euAiAct;
  // The routes explain a high-risk tier only; a prohibited practice outranks them.
  const routes = eu.tier === 'high-risk' && eu.highRiskRoutes.length > 0 ? ` through ${eu.highRiskRoutes.map((route) => (route === 'annex-i' ? 'Annex I' : 'Annex III')).join(' and ')}` : '';
  lines.push(`AI system: ${name} (${id}), version ${inputs.aiSystemVersion}`);
  lines.push(`EU AI Act tier: ${eu.tier}${routes}`);
  if (eu.annexIiiDerogationApplied) lines.push('  The Art 6(3) derogation sets aside the Annex III points below.');
  if (eu.transparencyDuties.length > 0 && eu.tier !== 'transparency') lines.push(`  Transparency duties also apply: ${eu.transparencyDuties.join(', ')}`);
  lines.push('', 'Rules that fired:');
  lines.push(...renderTrace(eu.trace));

  lines.push('', `Obligations for the ${eu.role} (${eu.obligations.length}):`);
  for (const obligation of eu.obligations) {
    const role = obligation.role === eu.role ? '' : ` [as ${obligation.role}]`;
    lines.push(`  ${obligation.ref.padEnd(26)} ${obligation.title}${role}  (${obligation.because.join('; ')})`);
  }

  const gdpr = result.gdpr;
  lines.push('', `GDPR: DPIA ${gdpr.dpiaRequired ? 'required' : 'not required'}; Art 22 ${gdpr.art22Applies ? 'applies' : 'does not apply'}`);
  if (gdpr.art22Ground) lines.push(`  Ground for the automated decision: ${gdpr.art22Ground}`);
  if (gdpr.art22WithoutGround) lines.push('  No Art 22(2) ground: the decision needs meaningful human review');
  lines.push(...renderTrace(gdpr.trace));

  const impact = result.impact;
  lines.push(
    '',
    `Internal impact level: ${impact.level} (${impact.points} of ${impact.maxPoints} points; high from ${impact.thresholds.high}, critical from ${impact.thresholds.critical}; ${impact.configuration.source} rules)`,
  );
  for (const contribution of impact.contributions) lines.push(`  ${contribution.factor} = ${contribution.option}: ${contribution.points} point(s)`);
  for (const escalation of impact.escalations) lines.push(`  escalation ${escalation.rule}: at least ${escalation.level}. ${escalation.summary}`);
  return `${lines.join('\n')}\n`;
}

/** Renders the approved classification in force as text, so that the terminal shows whether it is stale next to the new result. */
export function renderCurrentClassification(current: ClassificationSummary | null): string {
  if (!current) return '\nApproved classification in force: none\n';
  // A CHECK constraint keeps staleSince set on every stale classification.
  const state = current.stale
    ? `stale since ${current.staleSince!} because ${current.staleInputs.join(', ')} changed; approve a new classification to replace it`
    : 'up to date';
  return `\nApproved classification in force: ${current.number} (${current.tier}, impact level ${current.impactLevel}), ${state}\n`;
}

function renderTrace(trace: readonly TraceEntry[]): string[] {
  const lines: string[] = [];
  for (const entry of trace) {
    const overridden = entry.overriddenBy ? ` (set aside by ${entry.overriddenBy})` : '';
    lines.push(`  ${entry.citation.padEnd(26)} ${entry.title}: ${entry.effect}${overridden}`);
    for (const answer of entry.answers) {
      const cites = answer.cites.length > 0 ? ` [${answer.cites.join(', ')}]` : '';
      lines.push(`      ${answer.question}: ${answer.options.join(', ')}${cites}`);
    }
  }
  return lines;
}
