import { fireRules, type ChosenOptions, type FiredRule, type Question, type RuleBase, type TraceAnswer } from './questionnaire.js';

/**
 * The EU AI Act tier of an AI system from the questionnaire's answers: prohibited, high-risk,
 * transparency obligations or minimal, the rules that fired, and the obligations that follow for
 * the organization's role. Pure: the caller passes the rules and the catalogue's obligations.
 */

export const euAiActTiers = ['prohibited', 'high-risk', 'transparency', 'minimal'] as const;
export type EuAiActTier = (typeof euAiActTiers)[number];

/** Routes to high-risk: Art 6(1) with Annex I, or Art 6(2) with Annex III. */
export const highRiskRoutes = ['annex-i', 'annex-iii'] as const;
export type HighRiskRoute = (typeof highRiskRoutes)[number];

/** The roles the catalogue's EU AI Act obligations name; gpai-provider is reached through answers, not chosen. */
export const obligationRoles = ['provider', 'deployer', 'importer', 'distributor', 'gpai-provider'] as const;
export type ObligationRole = (typeof obligationRoles)[number];

/**
 * Picks catalogue obligations: those whose `appliesTo` attribute lists the tag, or those named in
 * `refs` (item ids of the eu-ai-act framework), less `except`, and only those whose `roles`
 * attribute lists the organization's role, or `asRole` when the answers establish another role.
 */
export interface ObligationSelector {
  appliesTo?: string;
  refs?: string[];
  except?: string[];
  asRole?: ObligationRole;
}

export type EuRuleEffect =
  | { kind: 'tier'; tier: Exclude<EuAiActTier, 'minimal'>; route?: HighRiskRoute }
  | { kind: 'derogation'; route: 'annex-iii' }
  | { kind: 'obligations' };

export interface EuAiActRule extends RuleBase {
  effect: EuRuleEffect;
  obligations?: ObligationSelector[];
  /** When present, the rule's obligations count only if the result is one of these tiers. */
  obligationsForTiers?: EuAiActTier[];
}

export interface TierDefinition {
  id: EuAiActTier;
  label: string;
  summary: string;
  obligations?: ObligationSelector[];
}

export interface QuestionnaireHeader {
  id: string;
  title: string;
  version: string;
  regulation: string;
  source: string;
  notice: string;
}

export interface EuAiActQuestionnaire {
  questionnaire: QuestionnaireHeader;
  tiers: TierDefinition[];
  questions: Question[];
  rules: EuAiActRule[];
}

/** A catalogue item as the obligation selection needs it. */
export interface CatalogueObligation {
  ref: string;
  frameworkId: string;
  itemId: string;
  title: string;
  assessable: boolean;
  position: number;
  roles: string[];
  appliesTo: string[];
}

export interface TraceEntry {
  rule: string;
  citation: string;
  title: string;
  summary: string;
  /** Effect of the rule on the result, in words. */
  effect: string;
  answers: TraceAnswer[];
  dependsOn: string[];
  /** The rule that set this one aside, such as the Art 6(3) derogation for an Annex III point. */
  overriddenBy: string | null;
}

export interface Obligation {
  ref: string;
  title: string;
  role: string;
  /** Citations of the fired rules, or the tier, that bring the obligation. */
  because: string[];
}

export interface EuAiActResult {
  tier: EuAiActTier;
  tierLabel: string;
  highRiskRoutes: HighRiskRoute[];
  annexIiiDerogationApplied: boolean;
  /** Citations of the Art 50 duties that apply; they may apply on top of any tier. */
  transparencyDuties: string[];
  generalPurposeModel: { provider: boolean; systemicRisk: boolean };
  role: string;
  trace: TraceEntry[];
  obligations: Obligation[];
}

export const euAiActFrameworkId = 'eu-ai-act';

export function evaluateEuAiAct(questionnaire: EuAiActQuestionnaire, chosen: ChosenOptions, role: string, catalogue: readonly CatalogueObligation[]): EuAiActResult {
  const fired = fireRules(questionnaire.questions, questionnaire.rules, chosen);
  const derogation = fired.find((entry) => entry.rule.effect.kind === 'derogation');

  const overriddenBy = (entry: FiredRule<EuAiActRule>): string | null => {
    const effect = entry.rule.effect;
    return derogation && effect.kind === 'tier' && effect.route === 'annex-iii' ? derogation.rule.id : null;
  };
  const effective = fired.filter((entry) => overriddenBy(entry) === null);
  const reached = new Set(effective.flatMap((entry) => (entry.rule.effect.kind === 'tier' ? [entry.rule.effect.tier] : [])));
  const tier = euAiActTiers.find((candidate) => reached.has(candidate as Exclude<EuAiActTier, 'minimal'>)) ?? 'minimal';
  const tierDefinition = questionnaire.tiers.find((definition) => definition.id === tier)!;

  const routes = highRiskRoutes.filter((route) =>
    effective.some((entry) => entry.rule.effect.kind === 'tier' && entry.rule.effect.tier === 'high-risk' && entry.rule.effect.route === route),
  );
  const transparencyDuties = effective.filter((entry) => entry.rule.effect.kind === 'tier' && entry.rule.effect.tier === 'transparency').map((entry) => entry.rule.citation);

  const selections: { selector: ObligationSelector; because: string }[] = [];
  for (const selector of tierDefinition.obligations ?? []) selections.push({ selector, because: `${tierDefinition.label} tier` });
  for (const entry of effective) {
    if (entry.rule.obligationsForTiers && !entry.rule.obligationsForTiers.includes(tier)) continue;
    for (const selector of entry.rule.obligations ?? []) selections.push({ selector, because: entry.rule.citation });
  }
  const obligations = selectObligations(selections, role, catalogue);

  return {
    tier,
    tierLabel: tierDefinition.label,
    highRiskRoutes: routes,
    annexIiiDerogationApplied: derogation !== undefined,
    transparencyDuties,
    generalPurposeModel: {
      provider: obligations.some((obligation) => obligation.role === 'gpai-provider'),
      systemicRisk: effective.some((entry) => entry.rule.obligations?.some((selector) => selector.appliesTo === 'gpai-systemic-risk')),
    },
    role,
    trace: fired.map((entry) => ({
      rule: entry.rule.id,
      citation: entry.rule.citation,
      title: entry.rule.title,
      summary: entry.rule.summary,
      effect: describeEffect(entry.rule),
      answers: entry.answers,
      dependsOn: entry.dependsOn,
      overriddenBy: overriddenBy(entry),
    })),
    obligations,
  };
}

function describeEffect(rule: EuAiActRule): string {
  const effect = rule.effect;
  if (effect.kind === 'derogation') return 'sets aside the high-risk tier that Annex III points give';
  if (effect.kind === 'obligations') return 'adds obligations';
  if (effect.tier === 'high-risk') return `high-risk${effect.route === 'annex-i' ? ' through Annex I' : effect.route === 'annex-iii' ? ' through Annex III' : ''}`;
  if (effect.tier === 'transparency') return 'transparency obligations';
  return effect.tier;
}

/**
 * Resolves obligation selectors against the catalogue, merging duplicates, in catalogue order.
 * Only assessable items count, so a heading such as Art 26 is never listed beside its paragraphs.
 * Throws when a selector names an item the catalogue lacks: the rule files and the catalogue
 * ship together, so that is a defect, not an input error.
 */
export function selectObligations(
  selections: readonly { selector: ObligationSelector; because: string }[],
  role: string,
  catalogue: readonly CatalogueObligation[],
): Obligation[] {
  const items = catalogue.filter((item) => item.frameworkId === euAiActFrameworkId);
  const byItemId = new Map(items.map((item) => [item.itemId, item]));
  const chosen = new Map<string, { item: CatalogueObligation; role: string; because: string[] }>();

  for (const { selector, because } of selections) {
    const missing = [...(selector.refs ?? []), ...(selector.except ?? [])].filter((id) => !byItemId.has(id));
    if (missing.length > 0) throw new Error(`The classification rules name EU AI Act items missing from the catalogue: ${missing.join(', ')}`);

    const actingRole = selector.asRole ?? role;
    const candidates = selector.refs
      ? selector.refs.map((id) => byItemId.get(id)!)
      : items.filter((item) => selector.appliesTo !== undefined && item.appliesTo.includes(selector.appliesTo));
    for (const item of candidates) {
      if (!item.assessable || selector.except?.includes(item.itemId) || !item.roles.includes(actingRole)) continue;
      const entry = chosen.get(item.ref) ?? { item, role: actingRole, because: [] };
      if (!entry.because.includes(because)) entry.because.push(because);
      chosen.set(item.ref, entry);
    }
  }

  return [...chosen.values()]
    .sort((a, b) => a.item.position - b.item.position)
    .map((entry) => ({ ref: entry.item.ref, title: entry.item.title, role: entry.role, because: entry.because }));
}
