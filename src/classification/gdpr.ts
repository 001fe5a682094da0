import type { CatalogueObligation, Obligation, QuestionnaireHeader, TraceEntry } from './eu-ai-act.js';
import { fireRules, type ChosenOptions, type Question, type RuleBase } from './questionnaire.js';

/**
 * GDPR triggers of an AI system from the questionnaire's answers: whether a data protection
 * impact assessment is required (Art 35) and whether Art 22 on solely automated decisions
 * applies. Pure: the caller passes the rules and the catalogue's GDPR articles.
 */

export const gdprFindings = ['dpia-required', 'art-22-applies', 'art-22-ground', 'art-22-no-ground'] as const;
export type GdprFinding = (typeof gdprFindings)[number];

export interface GdprRule extends RuleBase {
  finding: GdprFinding;
  /** Item ids of the gdpr framework that the finding brings, such as "Art 35". */
  refs?: string[];
}

export interface GdprQuestionnaire {
  questionnaire: QuestionnaireHeader;
  questions: Question[];
  rules: GdprRule[];
}

export interface GdprResult {
  dpiaRequired: boolean;
  art22Applies: boolean;
  /** Citation of the Art 22(2) ground relied on, or null; `art22WithoutGround` marks answers that named none. */
  art22Ground: string | null;
  art22WithoutGround: boolean;
  trace: TraceEntry[];
  obligations: Obligation[];
}

export const gdprFrameworkId = 'gdpr';

const findingEffects: Record<GdprFinding, string> = {
  'dpia-required': 'a DPIA is required',
  'art-22-applies': 'Art 22 applies',
  'art-22-ground': 'names the Art 22(2) ground for the automated decision',
  'art-22-no-ground': 'no Art 22(2) ground: the decision needs meaningful human review',
};

export function evaluateGdpr(questionnaire: GdprQuestionnaire, chosen: ChosenOptions, catalogue: readonly CatalogueObligation[]): GdprResult {
  const fired = fireRules(questionnaire.questions, questionnaire.rules, chosen);
  const items = new Map(catalogue.filter((item) => item.frameworkId === gdprFrameworkId).map((item) => [item.itemId, item]));

  const obligations = new Map<string, Obligation & { position: number }>();
  for (const { rule } of fired) {
    for (const id of rule.refs ?? []) {
      const item = items.get(id);
      if (!item) throw new Error(`The GDPR classification rules name an article missing from the catalogue: ${id}`);
      const entry = obligations.get(item.ref) ?? { ref: item.ref, title: item.title, role: 'controller', because: [], position: item.position };
      if (!entry.because.includes(rule.citation)) entry.because.push(rule.citation);
      obligations.set(item.ref, entry);
    }
  }

  const ground = fired.find((entry) => entry.rule.finding === 'art-22-ground');
  return {
    dpiaRequired: fired.some((entry) => entry.rule.finding === 'dpia-required'),
    art22Applies: fired.some((entry) => entry.rule.finding === 'art-22-applies'),
    art22Ground: ground ? ground.rule.citation : null,
    art22WithoutGround: fired.some((entry) => entry.rule.finding === 'art-22-no-ground'),
    trace: fired.map((entry) => ({
      rule: entry.rule.id,
      citation: entry.rule.citation,
      title: entry.rule.title,
      summary: entry.rule.summary,
      effect: findingEffects[entry.rule.finding],
      answers: entry.answers,
      dependsOn: entry.dependsOn,
      overriddenBy: null,
    })),
    obligations: [...obligations.values()].sort((a, b) => a.position - b.position).map(({ position: _position, ...obligation }) => obligation),
  };
}
