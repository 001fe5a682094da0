import { validationFailed } from '../platform/errors.js';
import { evaluateEuAiAct, type CatalogueObligation, type EuAiActQuestionnaire, type EuAiActResult } from './eu-ai-act.js';
import { evaluateGdpr, type GdprQuestionnaire, type GdprResult } from './gdpr.js';
import { evaluateImpact, impactQuestions, type ImpactConfiguration, type ImpactResult, type ImpactRulesFile } from './impact.js';
import { checkAnswers, type Question } from './questionnaire.js';

/**
 * The classification engine: checks the answers and runs the EU AI Act, GDPR and internal
 * impact rules over them. Pure: the rules, the configuration and the catalogue come in as values.
 */

/** Origin of a rule file: its id, version and the SHA-256 of its text. */
export interface RuleSource {
  id: string;
  version: string;
  sha256: string;
}

export interface ClassificationRules {
  euAiAct: EuAiActQuestionnaire;
  gdpr: GdprQuestionnaire;
  impact: ImpactRulesFile;
  sources: { euAiAct: RuleSource; gdpr: RuleSource; impact: RuleSource };
}

/** The impact configuration in force, and where it comes from. */
export interface EffectiveImpactConfiguration {
  configuration: ImpactConfiguration;
  /** `built-in` for the rules file, or `organization` for a stored settings version. */
  source: 'built-in' | 'organization';
  settingsNumber: number | null;
}

export interface ClassificationInput {
  answers: unknown;
  role: string;
  /** The autonomy field of the AI system, which the autonomy impact factor reads. */
  autonomy: string;
}

export interface ClassificationResult {
  euAiAct: EuAiActResult;
  gdpr: GdprResult;
  impact: ImpactResult & { configuration: { source: 'built-in' | 'organization'; settingsNumber: number | null } };
  rules: { euAiAct: RuleSource; gdpr: RuleSource; impact: RuleSource };
}

/** Lists every question a user answers, in the order they are asked: EU AI Act, GDPR, then impact factors. */
export function allQuestions(rules: ClassificationRules): Question[] {
  const answered = rules.impact.factors.filter((factor) => factor.source === 'answer');
  return [...rules.euAiAct.questions, ...rules.gdpr.questions, ...impactQuestions(answered)];
}

/**
 * Classifies from answers. Throws VALIDATION_FAILED listing every problem of the answers, each
 * at /answers/<question id>, before any rule runs.
 */
export function classify(
  rules: ClassificationRules,
  impactConfiguration: EffectiveImpactConfiguration,
  catalogue: readonly CatalogueObligation[],
  input: ClassificationInput,
): ClassificationResult {
  const fromAiSystem = new Map(
    rules.impact.factors
      .filter((factor) => factor.source === 'ai-system-autonomy')
      .map((factor) => [factor.id, `question ${factor.id} is not answered here: it is taken from the autonomy field of the AI system; change the AI system instead`]),
  );
  const { chosen, problems } = checkAnswers(allQuestions(rules), input.answers, fromAiSystem);
  if (problems.length > 0) throw validationFailed(problems);

  const impactValues = new Map(chosen);
  for (const factor of rules.impact.factors) {
    if (factor.source === 'ai-system-autonomy') impactValues.set(factor.id, [input.autonomy]);
  }

  return {
    euAiAct: evaluateEuAiAct(rules.euAiAct, chosen, input.role, catalogue),
    gdpr: evaluateGdpr(rules.gdpr, chosen, catalogue),
    impact: {
      ...evaluateImpact(rules.impact.factors, impactConfiguration.configuration, impactValues),
      configuration: { source: impactConfiguration.source, settingsNumber: impactConfiguration.settingsNumber },
    },
    rules: rules.sources,
  };
}
