import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, type ClassificationResult, type EffectiveImpactConfiguration } from '../../src/classification/classify.js';
import { checkImpactConfiguration, defaultImpactConfiguration, evaluateImpact, type ImpactConfiguration } from '../../src/classification/impact.js';
import { changedInputs, type ClassificationInputs } from '../../src/classification/inputs.js';
import { classificationDirectory, loadClassificationRules, parseClassificationRules, ruleFileNames } from '../../src/classification/rule-files.js';
import { AppError } from '../../src/platform/errors.js';
import { catalogueObligations, exampleAnswers } from './rules-fixtures.js';

const rules = loadClassificationRules();
const catalogue = catalogueObligations();
const builtIn: EffectiveImpactConfiguration = { configuration: defaultImpactConfiguration(rules.impact), source: 'built-in', settingsNumber: null };

/** Answers for a system that falls under no rule, which each test changes where it needs to. */
const baseline = exampleAnswers('spam-filter');

function run(answers: Record<string, unknown>, role = 'deployer', autonomy = 'human_in_the_loop', impact = builtIn): ClassificationResult {
  return classify(rules, impact, catalogue, { answers, role, autonomy });
}

function citations(result: ClassificationResult): string[] {
  return result.euAiAct.trace.map((entry) => entry.citation);
}

function obligationIds(result: ClassificationResult): string[] {
  return result.euAiAct.obligations.map((obligation) => obligation.ref.replace('eu-ai-act:', ''));
}

function rejection(answers: Record<string, unknown>): AppError {
  try {
    run(answers);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the answers were accepted');
}

describe('shipped classification rules', () => {
  it('cover Art 5, Annex I and Annex III in full', () => {
    const question = (id: string) => rules.euAiAct.questions.find((candidate) => candidate.id === id)!;
    const choices = (id: string) => question(id).options.filter((option) => !option.exclusive);
    expect(choices('prohibited-practices')).toHaveLength(8);
    expect(choices('annex-iii-use')).toHaveLength(25);
    expect(choices('annex-i-product').filter((option) => option.fires?.includes('annex-i-section-a'))).toHaveLength(12);
    expect(choices('annex-i-product').filter((option) => option.fires?.includes('annex-i-section-b'))).toHaveLength(8);
    expect(choices('annex-i-product').map((option) => option.cites)).toEqual(Array.from({ length: 20 }, (_, index) => `Annex I point ${index + 1}`));

    const prohibited = rules.euAiAct.rules.filter((rule) => rule.effect.kind === 'tier' && rule.effect.tier === 'prohibited').map((rule) => rule.citation);
    expect(prohibited).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((point) => `Art 5(1)(${point})`));
    const annexIii = rules.euAiAct.rules.filter((rule) => rule.citation.startsWith('Annex III')).map((rule) => rule.citation.replace('Annex III ', ''));
    expect(annexIii).toEqual(['1(a)', '1(b)', '1(c)', '2(a)', '3(a)', '3(b)', '3(c)', '3(d)', '4(a)', '4(b)', '5(a)', '5(b)', '5(c)', '5(d)', '6(a)', '6(b)', '6(c)', '6(d)', '6(e)', '7(a)', '7(b)', '7(c)', '7(d)', '8(a)', '8(b)']);
  });

  it('name only catalogue items', () => {
    const known = new Set(catalogue.map((item) => item.ref));
    const euSelectors = [...rules.euAiAct.tiers.flatMap((tier) => tier.obligations ?? []), ...rules.euAiAct.rules.flatMap((rule) => rule.obligations ?? [])];
    const euRefs = euSelectors.flatMap((selector) => [...(selector.refs ?? []), ...(selector.except ?? [])]).map((id) => `eu-ai-act:${id}`);
    const gdprRefs = rules.gdpr.rules.flatMap((rule) => rule.refs ?? []).map((id) => `gdpr:${id}`);
    expect([...euRefs, ...gdprRefs].filter((ref) => !known.has(ref))).toEqual([]);
    const tags = new Set(catalogue.flatMap((item) => item.appliesTo));
    expect(euSelectors.flatMap((selector) => (selector.appliesTo ? [selector.appliesTo] : [])).filter((tag) => !tags.has(tag))).toEqual([]);
  });

  it('record the SHA-256 of each file', () => {
    expect(rules.sources.euAiAct).toMatchObject({ id: 'eu-ai-act', version: '2' });
    expect(rules.sources.euAiAct.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rules.sources.gdpr.sha256).not.toBe(rules.sources.euAiAct.sha256);
  });

  it('reject files with broken references', () => {
    const read = (name: string) => ({ file: name, text: fs.readFileSync(path.join(classificationDirectory, name), 'utf8') });
    const euAiAct = read(ruleFileNames.euAiAct);
    const broken = {
      file: euAiAct.file,
      text: euAiAct.text
        .replace('fires: [art-5-1-a]', 'fires: [art-5-1-z]')
        .replace('askWhen: { not: { question: annex-i-product, is: none } }', 'askWhen: { question: profiling, is: "yes" }'),
    };
    let error: AppError | undefined;
    try {
      parseClassificationRules({ euAiAct: broken, gdpr: read(ruleFileNames.gdpr), impact: read(ruleFileNames.impact) });
    } catch (thrown) {
      error = thrown as AppError;
    }
    expect(error?.code).toBe('INTERNAL');
    const messages = error!.details.map((detail) => detail.message);
    expect(messages).toContain('"art-5-1-z" is not a rule of this file');
    expect(messages).toContain('"profiling" is not a known question');
  });
});

describe('EU AI Act tier', () => {
  it('recidivism tool for courts is high-risk citing Annex III 6(d)', () => {
    const result = run(exampleAnswers('compas-recidivism'));
    expect(result.euAiAct.tier).toBe('high-risk');
    expect(result.euAiAct.highRiskRoutes).toEqual(['annex-iii']);
    const point = result.euAiAct.trace.find((entry) => entry.citation === 'Annex III 6(d)');
    expect(point?.answers).toEqual([
      { question: 'annex-iii-use', options: ['offending-risk-assessment'], labels: [expect.stringContaining('re-offends')], cites: [] },
    ]);
    expect(point?.overriddenBy).toBeNull();
    expect(obligationIds(result)).toContain('Art 26(1)');
    expect(obligationIds(result)).toContain('Art 27');
    expect(obligationIds(result)).toContain('Art 26(11)');
    // The court staff use the tool but are not subject to it, and it identifies no one biometrically.
    expect(obligationIds(result)).not.toContain('Art 26(7)');
    expect(obligationIds(result)).not.toContain('Art 26(10)');
  });

  it('social scoring for public benefits is prohibited citing Art 5(1)(c)', () => {
    const result = run(exampleAnswers('social-scoring'));
    expect(result.euAiAct.tier).toBe('prohibited');
    expect(citations(result)).toContain('Art 5(1)(c)');
    expect(citations(result)).toContain('Annex III 5(a)');
    expect(obligationIds(result)).toEqual(['Art 4', 'Art 5(1)(c)']);
  });

  it('customer-service chatbot has transparency obligations citing Art 50(1)', () => {
    const result = run(exampleAnswers('customer-service-chatbot'), 'provider');
    expect(result.euAiAct.tier).toBe('transparency');
    expect(result.euAiAct.tierLabel).toBe('Transparency obligations');
    expect(citations(result)).toEqual(['Art 50(1)', 'Art 4']);
    expect(result.euAiAct.transparencyDuties).toEqual(['Art 50(1)']);
    expect(obligationIds(result)).toEqual(['Art 4', 'Art 50(1)', 'Art 50(5)']);
  });

  it('spam filter is minimal', () => {
    const result = run(exampleAnswers('spam-filter'));
    expect(result.euAiAct.tier).toBe('minimal');
    expect(citations(result)).toEqual(['Art 4']);
    expect(obligationIds(result)).toEqual(['Art 4']);
  });

  it('narrow procedural task derogates from Annex III', () => {
    const result = run({ ...baseline, 'annex-iii-use': ['recruitment-and-selection'], 'art-6-3-conditions': ['narrow-procedural-task'], profiling: 'no', 'deployer-sector': 'other', 'workplace-use': 'no' }, 'provider');
    expect(result.euAiAct.tier).toBe('minimal');
    expect(result.euAiAct.annexIiiDerogationApplied).toBe(true);
    expect(result.euAiAct.trace.find((entry) => entry.citation === 'Annex III 4(a)')?.overriddenBy).toBe('art-6-3-derogation');
    expect(citations(result)).toContain('Art 6(3)');
    expect(obligationIds(result)).toEqual(['Art 4', 'Art 6', 'Art 49(2)']);
  });

  it('profiling keeps a derogated system high-risk', () => {
    const result = run({ ...baseline, 'annex-iii-use': ['recruitment-and-selection'], 'art-6-3-conditions': ['narrow-procedural-task'], profiling: 'yes', 'deployer-sector': 'other', 'workplace-use': 'no' }, 'provider');
    expect(result.euAiAct.tier).toBe('high-risk');
    expect(result.euAiAct.annexIiiDerogationApplied).toBe(false);
    expect(citations(result)).toContain('Art 6(3), third subparagraph');
    expect(citations(result)).not.toContain('Art 6(3)');
    expect(result.euAiAct.trace.find((entry) => entry.citation === 'Annex III 4(a)')?.overriddenBy).toBeNull();
    expect(obligationIds(result)).toContain('Art 9');
    expect(obligationIds(result)).not.toContain('Art 49(2)');
  });

  it('Annex I needs a third-party conformity assessment', () => {
    const withNotifiedBody = run({ ...baseline, 'annex-i-product': ['medical-devices'], 'annex-i-third-party-assessment': 'yes', 'workplace-use': 'no' }, 'provider');
    expect(withNotifiedBody.euAiAct.tier).toBe('high-risk');
    expect(withNotifiedBody.euAiAct.highRiskRoutes).toEqual(['annex-i']);
    const entry = withNotifiedBody.euAiAct.trace.find((candidate) => candidate.rule === 'annex-i-section-a')!;
    expect(entry.citation).toBe('Art 6(1) and Annex I Section A');
    expect(entry.answers.map((answer) => answer.cites)).toEqual([['Annex I point 11'], []]);

    const selfAssessed = run({ ...baseline, 'annex-i-product': ['medical-devices'], 'annex-i-third-party-assessment': 'no' }, 'provider');
    expect(selfAssessed.euAiAct.tier).toBe('minimal');
  });

  it('provider and deployer obligations differ', () => {
    const answers = { ...baseline, 'annex-iii-use': ['recruitment-and-selection'], 'art-6-3-conditions': ['none'], 'deployer-sector': 'other', 'workplace-use': 'no' };
    const provider = obligationIds(run(answers, 'provider'));
    const deployer = obligationIds(run(answers, 'deployer'));
    expect(provider).toEqual(expect.arrayContaining(['Art 9', 'Art 10', 'Art 11', 'Art 16(a)', 'Art 17(1)(a)', 'Art 43', 'Art 47', 'Art 48', 'Art 49(1)', 'Art 72', 'Art 73']));
    expect(provider.filter((id) => id.startsWith('Art 26'))).toEqual([]);
    expect(deployer).toEqual(expect.arrayContaining(['Art 26(1)', 'Art 26(2)', 'Art 26(6)', 'Art 86']));
    expect(deployer).not.toContain('Art 9');
    // A private deployer of a recruitment system owes no FRIA and no public registration.
    expect(deployer).not.toContain('Art 27');
    expect(deployer).not.toContain('Art 26(8)');
    expect(provider.filter((id) => deployer.includes(id))).toEqual(['Art 4', 'Art 25']);

    expect(obligationIds(run(answers, 'importer'))).toEqual(['Art 23', 'Art 25']);
    expect(obligationIds(run(answers, 'distributor'))).toEqual(['Art 24', 'Art 25']);
  });

  it('credit scoring needs a FRIA from any deployer', () => {
    const answers = { ...baseline, 'annex-iii-use': ['creditworthiness'], 'art-6-3-conditions': ['none'], 'deployer-sector': 'other', 'workplace-use': 'no' };
    const result = run(answers, 'deployer');
    expect(result.euAiAct.obligations.find((obligation) => obligation.ref === 'eu-ai-act:Art 27')?.because).toEqual(['Art 27(1)']);
  });

  it('reports transparency duties of a high-risk system', () => {
    const result = run(
      { ...baseline, 'annex-iii-use': ['emotion-recognition'], 'art-6-3-conditions': ['none'], 'deployer-sector': 'other', 'workplace-use': 'no', 'transparency-duties': ['emotion-recognition-or-biometric-categorisation'] },
      'deployer',
    );
    expect(result.euAiAct.tier).toBe('high-risk');
    expect(result.euAiAct.transparencyDuties).toEqual(['Art 50(3)']);
    expect(obligationIds(result)).toEqual(expect.arrayContaining(['Art 26(1)', 'Art 50(3)', 'Art 50(5)']));
  });

  it('general-purpose model with systemic risk carries Art 55', () => {
    const result = run({ ...baseline, 'general-purpose-model': 'own-model', 'general-purpose-model-systemic-risk': 'above-compute-threshold', 'general-purpose-model-open-licence': 'yes' }, 'provider');
    expect(result.euAiAct.generalPurposeModel).toEqual({ provider: true, systemicRisk: true });
    expect(citations(result)).toEqual(['Art 51', 'Art 53(1)', 'Art 4']);
    const gpai = result.euAiAct.obligations.filter((obligation) => obligation.role === 'gpai-provider').map((obligation) => obligation.ref.replace('eu-ai-act:', ''));
    expect(gpai).toEqual(['Art 52', 'Art 53(1)(a)', 'Art 53(1)(b)', 'Art 53(1)(c)', 'Art 53(1)(d)', 'Art 54', 'Art 55(1)(a)', 'Art 55(1)(b)', 'Art 55(1)(c)', 'Art 55(1)(d)']);
    // The tier stays minimal: duties on the model are not a tier of the system.
    expect(result.euAiAct.tier).toBe('minimal');
  });

  it('open-licence model without systemic risk is partly exempt', () => {
    const result = run({ ...baseline, 'general-purpose-model': 'own-model', 'general-purpose-model-systemic-risk': 'below-threshold', 'general-purpose-model-open-licence': 'yes' }, 'provider');
    expect(result.euAiAct.generalPurposeModel).toEqual({ provider: true, systemicRisk: false });
    expect(citations(result)).toEqual(['Art 53(2)', 'Art 4']);
    expect(obligationIds(result)).toEqual(['Art 4', 'Art 53(1)(c)', 'Art 53(1)(d)']);
  });
});

describe('EU AI Act deployer duties', () => {
  const deployerOf = (use: string, extra: Record<string, unknown> = {}) => ({
    ...baseline,
    'annex-iii-use': [use],
    'art-6-3-conditions': ['none'],
    'deployer-sector': 'other',
    'workplace-use': 'no',
    ...extra,
  });

  it('Art 26(7) only for employers at work', () => {
    const employer = run(deployerOf('worker-management', { 'workplace-use': 'yes' }));
    expect(employer.euAiAct.tier).toBe('high-risk');
    expect(employer.euAiAct.obligations.find((obligation) => obligation.ref === 'eu-ai-act:Art 26(7)')?.because).toEqual(['Art 26(7)']);
    expect(employer.euAiAct.trace.find((entry) => entry.citation === 'Art 26(7)')?.answers).toEqual([
      { question: 'workplace-use', options: ['yes'], labels: [expect.stringContaining('workers')], cites: [] },
    ]);

    const nonEmployer = run(deployerOf('worker-management'));
    expect(nonEmployer.euAiAct.tier).toBe('high-risk');
    expect(obligationIds(nonEmployer)).not.toContain('Art 26(7)');
    expect(obligationIds(nonEmployer)).toEqual(expect.arrayContaining(['Art 26(1)', 'Art 26(2)', 'Art 26(5)', 'Art 26(12)']));
    expect(citations(nonEmployer)).not.toContain('Art 26(7)');

    // Only deployers carry the duty, and only for a high-risk system.
    expect(obligationIds(run(deployerOf('worker-management', { 'workplace-use': 'yes' }), 'provider'))).not.toContain('Art 26(7)');
    const derogated = run(deployerOf('worker-management', { 'art-6-3-conditions': ['preparatory-task'], profiling: 'no', 'workplace-use': 'yes' }));
    expect(derogated.euAiAct.tier).toBe('minimal');
    expect(obligationIds(derogated)).not.toContain('Art 26(7)');
  });

  it('Art 26(7) asked for Annex I products', () => {
    const machinery = { ...baseline, 'annex-i-product': ['machinery'], 'annex-i-third-party-assessment': 'yes' };
    expect(rejection(machinery).details.map((detail) => detail.path)).toEqual(['/answers/workplace-use']);
    expect(obligationIds(run({ ...machinery, 'workplace-use': 'yes' }))).toContain('Art 26(7)');
    expect(obligationIds(run({ ...machinery, 'workplace-use': 'no' }))).not.toContain('Art 26(7)');

    // A minimal-risk system is not asked.
    expect(rejection({ ...baseline, 'workplace-use': 'no' }).details[0]!.path).toBe('/answers/workplace-use');
  });

  it('Art 26(10) only for post-remote identification', () => {
    const identification = deployerOf('remote-biometric-identification');
    expect(rejection(identification).details.map((detail) => detail.path)).toEqual(['/answers/post-remote-biometric-identification']);
    const investigation = run({ ...identification, 'post-remote-biometric-identification': 'yes' });
    expect(investigation.euAiAct.obligations.find((obligation) => obligation.ref === 'eu-ai-act:Art 26(10)')?.because).toEqual(['Art 26(10)']);
    expect(obligationIds(run({ ...identification, 'post-remote-biometric-identification': 'no' }))).not.toContain('Art 26(10)');
    expect(obligationIds(run(deployerOf('criminal-profiling')))).not.toContain('Art 26(10)');
    expect(rejection(deployerOf('criminal-profiling', { 'post-remote-biometric-identification': 'yes' })).details[0]!.path).toBe('/answers/post-remote-biometric-identification');
  });

  it('Art 26(8) and 26(11) only under Annex III', () => {
    const product = run({ ...baseline, 'annex-i-product': ['medical-devices'], 'annex-i-third-party-assessment': 'yes', 'workplace-use': 'no' });
    expect(product.euAiAct.tier).toBe('high-risk');
    expect(obligationIds(product)).toContain('Art 26(1)');
    expect(obligationIds(product)).not.toContain('Art 26(11)');

    // Annex III point 2 systems are safety components: no notice to people, no FRIA, no EU database entry.
    const infrastructure = run(deployerOf('critical-infrastructure-safety', { 'deployer-sector': 'public-authority' }));
    expect(infrastructure.euAiAct.tier).toBe('high-risk');
    expect(obligationIds(infrastructure)).toContain('Art 26(1)');
    for (const id of ['Art 26(8)', 'Art 26(11)', 'Art 27', 'Art 49(3)']) expect(obligationIds(infrastructure)).not.toContain(id);

    const benefits = run(deployerOf('public-benefits-eligibility', { 'deployer-sector': 'public-authority' }));
    expect(obligationIds(benefits)).toEqual(expect.arrayContaining(['Art 26(8)', 'Art 26(11)', 'Art 27', 'Art 49(3)']));
  });

  it('Art 27 only for public-service and credit deployers', () => {
    expect(obligationIds(run(deployerOf('education-admission', { 'deployer-sector': 'public-service-provider' })))).toContain('Art 27');
    expect(obligationIds(run(deployerOf('education-admission')))).not.toContain('Art 27');
    expect(obligationIds(run(deployerOf('life-health-insurance-pricing')))).toContain('Art 27');
    expect(obligationIds(run(deployerOf('life-health-insurance-pricing'), 'provider'))).not.toContain('Art 27');
  });
});

describe('GDPR triggers', () => {
  const gdpr = (answers: Record<string, unknown>) => run({ ...baseline, ...answers }).gdpr;

  it('requires a DPIA for an Art 35(3) case', () => {
    const result = gdpr({ 'art-35-3-cases': ['public-area-monitoring'] });
    expect(result.dpiaRequired).toBe(true);
    expect(result.trace.map((entry) => entry.citation)).toEqual(['GDPR Art 35(3)(c)']);
    expect(result.obligations.map((obligation) => obligation.ref)).toEqual(['gdpr:Art 35']);
  });

  it('requires a DPIA for two of nine criteria', () => {
    const two = gdpr({ 'wp248-criteria': ['large-scale', 'vulnerable-data-subjects'] });
    expect(two.dpiaRequired).toBe(true);
    expect(two.trace[0]).toMatchObject({ citation: 'GDPR Art 35(1) with WP248 rev.01', answers: [{ question: 'wp248-criteria', options: ['large-scale', 'vulnerable-data-subjects'] }] });
    expect(gdpr({ 'wp248-criteria': ['large-scale'] }).dpiaRequired).toBe(false);
    expect(gdpr({ 'wp248-criteria': ['none'] }).dpiaRequired).toBe(false);
  });

  it('needs no DPIA without personal data', () => {
    const result = gdpr({ 'personal-data': 'no', 'art-35-3-cases': undefined, 'wp248-criteria': undefined, 'decision-making': undefined });
    expect(result).toMatchObject({ dpiaRequired: false, art22Applies: false, trace: [] });
  });

  it('applies Art 22 to solely automated significant decisions', () => {
    const result = gdpr({ 'decision-making': 'solely-automated', 'decision-effects': 'similarly-significant-effect', 'art-22-exception': 'explicit-consent' });
    expect(result.art22Applies).toBe(true);
    expect(result.art22Ground).toBe('GDPR Art 22(2)(c)');
    expect(result.art22WithoutGround).toBe(false);
    expect(result.trace.map((entry) => entry.citation)).toEqual(['GDPR Art 22(1)', 'GDPR Art 22(2)(c)']);

    const withoutGround = gdpr({ 'decision-making': 'solely-automated', 'decision-effects': 'legal-effect', 'art-22-exception': 'none' });
    expect(withoutGround.art22WithoutGround).toBe(true);
    expect(gdpr({ 'decision-making': 'solely-automated', 'decision-effects': 'no-significant-effect' }).art22Applies).toBe(false);
    expect(gdpr({ 'decision-making': 'human-decides' }).art22Applies).toBe(false);
  });
});

describe('internal impact level', () => {
  it('explains the points and escalations', () => {
    const result = run(exampleAnswers('compas-recidivism')).impact;
    expect(result.contributions).toEqual([
      { factor: 'harm-severity', option: 'severe', label: expect.any(String), points: 5 },
      { factor: 'people-affected', option: 'up-to-1000000', label: expect.any(String), points: 2 },
      { factor: 'vulnerable-groups', option: 'mainly', label: expect.any(String), points: 3 },
      { factor: 'reversibility', option: 'reversible-with-effort', label: expect.any(String), points: 1 },
      { factor: 'autonomy', option: 'human_in_the_loop', label: expect.any(String), points: 0 },
      { factor: 'decision-domain', option: 'justice', label: expect.any(String), points: 3 },
    ]);
    expect(result.points).toBe(14);
    expect(result.maxPoints).toBe(19);
    expect(result.levelFromPoints).toBe('critical');
    expect(result.escalations.map((escalation) => escalation.rule)).toEqual(['liberty-and-rights-domain']);
    expect(result.level).toBe('critical');
  });

  it('escalation raises a low total', () => {
    const answers = { ...baseline, 'harm-severity': 'severe', reversibility: 'irreversible', 'people-affected': 'up-to-100', 'decision-domain': 'internal-operations' };
    const result = run(answers).impact;
    expect(result.points).toBe(8);
    expect(result.levelFromPoints).toBe('high');
    expect(result.level).toBe('critical');
    expect(result.escalations[0]).toMatchObject({
      rule: 'severe-and-irreversible',
      answers: [
        { question: 'harm-severity', options: ['severe'] },
        { question: 'reversibility', options: ['irreversible'] },
      ],
    });
  });

  it('reads autonomy from the AI system', () => {
    const inLoop = run(baseline, 'deployer', 'human_in_the_loop').impact;
    const autonomous = run(baseline, 'deployer', 'autonomous').impact;
    expect(autonomous.points - inLoop.points).toBe(2);
  });

  it('levels follow the thresholds', () => {
    const factors = rules.impact.factors;
    const configuration = defaultImpactConfiguration(rules.impact);
    const values = (overrides: Record<string, string>) =>
      new Map(factors.map((factor) => [factor.id, [overrides[factor.id] ?? factor.options[0]!.id]]));
    // 5 + 2 = 7 reaches high exactly; 5 + 3 + 3 + 1 = 12 reaches critical exactly.
    expect(evaluateImpact(factors, configuration, values({ 'harm-severity': 'severe', 'people-affected': 'up-to-1000000' })).level).toBe('high');
    expect(evaluateImpact(factors, configuration, values({ 'harm-severity': 'serious', 'people-affected': 'over-1000000' })).level).toBe('low');
    expect(
      evaluateImpact(factors, configuration, values({ 'harm-severity': 'severe', 'people-affected': 'over-1000000', reversibility: 'irreversible', autonomy: 'human_on_the_loop' })).levelFromPoints,
    ).toBe('critical');
  });

  it('uses an organization configuration', () => {
    const configuration: ImpactConfiguration = { ...defaultImpactConfiguration(rules.impact), thresholds: { high: 3, critical: 40 }, escalations: [] };
    const result = run(exampleAnswers('spam-filter'), 'deployer', 'autonomous', { configuration, source: 'organization', settingsNumber: 2 }).impact;
    expect(result.level).toBe('high');
    expect(result.configuration).toEqual({ source: 'organization', settingsNumber: 2 });
  });

  it('rejects a configuration that misses options', () => {
    const configuration = defaultImpactConfiguration(rules.impact);
    const broken: ImpactConfiguration = {
      points: { ...configuration.points, 'harm-severity': { negligible: 0, limited: 1, serious: 3 }, colour: { red: 1 } },
      thresholds: { high: 9, critical: 9 },
      escalations: [{ id: 'x', level: 'high', summary: 'x', when: { question: 'harm-severity', is: 'fatal' } }],
    };
    const problems = checkImpactConfiguration(rules.impact.factors, broken);
    expect(problems.map((problem) => problem.path)).toEqual(['/points/harm-severity/severe', '/points/colour', '/thresholds/critical', '/escalations/0/when']);
  });
});

describe('answer checks', () => {
  it('reject an option that is not allowed', () => {
    const error = rejection({ ...baseline, 'personal-data': 'maybe' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: '/answers/personal-data', message: '"maybe" is not an allowed option of question personal-data; choose one of: yes, no' }]);
  });

  it('reject an unknown option in a list', () => {
    const error = rejection({ ...baseline, 'annex-iii-use': ['none', 'fortune-telling'] });
    expect(error.details).toHaveLength(1);
    expect(error.details[0]!.path).toBe('/answers/annex-iii-use/1');
    expect(error.details[0]!.message).toMatch(/^"fortune-telling" is not an allowed option of question annex-iii-use; choose one or more of: none, remote-biometric-identification, /);
  });

  it('reject a missing or misplaced answer', () => {
    const { 'harm-severity': _removed, ...missing } = baseline;
    expect(rejection(missing).details).toEqual([
      { path: '/answers/harm-severity', message: 'question harm-severity is missing an answer; choose one of: negligible, limited, serious, severe' },
    ]);
    expect(rejection({ ...baseline, profiling: 'no' }).details).toEqual([
      { path: '/answers/profiling', message: 'question profiling is not asked because it applies only when annex-iii-use is not none and art-6-3-conditions is not none; remove this answer' },
    ]);
    expect(rejection({ ...baseline, 'annex-iii-use': ['creditworthiness'] }).details.map((detail) => detail.path)).toEqual(['/answers/art-6-3-conditions', '/answers/deployer-sector', '/answers/workplace-use']);
  });

  it('reject none combined with other options', () => {
    expect(rejection({ ...baseline, 'transparency-duties': ['none', 'deep-fakes'] }).details).toEqual([
      { path: '/answers/transparency-duties', message: 'option none of question transparency-duties cannot be combined with other options; choose it alone or leave it out' },
    ]);
  });

  it('reject unknown questions and fixed factors', () => {
    const details = rejection({ ...baseline, colour: 'blue', autonomy: 'autonomous' }).details;
    expect(details).toEqual([
      { path: '/answers/colour', message: '"colour" is not a question of the questionnaire; GET /api/classification/questionnaire lists the questions' },
      { path: '/answers/autonomy', message: 'question autonomy is not answered here: it is taken from the autonomy field of the AI system; change the AI system instead' },
    ]);
  });

  it('reject a value of the wrong type', () => {
    expect(rejection({ ...baseline, 'personal-data': true }).details[0]!.message).toBe(
      'question personal-data takes one option id as a string (received true); choose one of: yes, no',
    );
    expect(rejection({ ...baseline, 'annex-iii-use': [] }).details[0]!.path).toBe('/answers/annex-iii-use');
  });
});

describe('changed inputs', () => {
  const inputs: ClassificationInputs = {
    aiSystemVersion: 1,
    purpose: 'Score loan applications',
    decisionDomain: 'credit',
    dataSources: [{ modelVersionId: 'mv1', datasetId: 'd1', datasetName: 'Loans', datasetVersionId: 'dv1', versionLabel: '2025', purpose: 'training' }],
    deploymentEnvironments: ['staging', 'production'],
    modelVersions: [{ modelVersionId: 'mv1', modelName: 'Scorer', versionLabel: '1.0', environment: 'production' }],
    affectedGroups: ['applicants', 'guarantors'],
    autonomy: 'human_on_the_loop',
    organizationRole: 'deployer',
  };

  it('ignore order and names', () => {
    const reordered: ClassificationInputs = {
      ...inputs,
      aiSystemVersion: 7,
      deploymentEnvironments: ['production', 'staging'],
      affectedGroups: ['guarantors', 'applicants'],
      dataSources: [{ ...inputs.dataSources[0]!, datasetName: 'Renamed' }],
      modelVersions: [{ ...inputs.modelVersions[0]!, modelName: 'Renamed' }],
    };
    expect(changedInputs(inputs, reordered, { roleFromAiSystem: true })).toEqual([]);
  });

  it('list each changed input', () => {
    const changed: ClassificationInputs = {
      ...inputs,
      deploymentEnvironments: ['production'],
      modelVersions: [{ ...inputs.modelVersions[0]!, environment: 'staging' }],
      autonomy: 'autonomous',
      organizationRole: 'provider',
    };
    expect(changedInputs(inputs, changed, { roleFromAiSystem: true })).toEqual(['deploymentEnvironments', 'modelVersions', 'autonomy', 'organizationRole']);
    expect(changedInputs(inputs, changed, { roleFromAiSystem: false })).toEqual(['deploymentEnvironments', 'modelVersions', 'autonomy']);
  });
});
