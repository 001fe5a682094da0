import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import YAML from 'yaml';
import { autonomyLevels } from '../ai-systems/ai-system.js';
import { AppError, type ErrorDetail } from '../platform/errors.js';
import { findProblems } from '../platform/validation.js';
import type { ClassificationRules, RuleSource } from './classify.js';
import { euAiActTiers, highRiskRoutes, obligationRoles, type EuAiActQuestionnaire } from './eu-ai-act.js';
import { gdprFindings, type GdprQuestionnaire } from './gdpr.js';
import { checkImpactConfiguration, defaultImpactConfiguration, impactFactorSources, impactLevels, type ImpactRulesFile } from './impact.js';
import { checkCondition, triggersByRule, type Question, type RuleBase } from './questionnaire.js';

/**
 * Reads the classification rules that ship in the repository's classification/ folder: the EU
 * AI Act and GDPR questionnaires and the internal impact rules, in the format
 * classification/FORMAT.md describes. Each file is checked in full, against its schema and then
 * for references between questions, options and rules, and a bad file is reported with every
 * problem.
 */

/** The repository's classification folder; src/classification and dist/classification are both two levels below it. */
export const classificationDirectory = fileURLToPath(new URL('../../classification/', import.meta.url));

export const ruleFileNames = {
  euAiAct: 'eu-ai-act-questionnaire.yaml',
  gdpr: 'gdpr-questionnaire.yaml',
  impact: 'internal-impact-rules.yaml',
} as const;

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,79}$', description: 'lower-case letters, digits, hyphens and underscores' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const strict = { additionalProperties: false } as const;

/**
 * Builds the schema of a condition nested at most `depth` levels through all, any and not. The
 * nesting is bounded rather than recursive because the validation messages compile each union
 * alternative on its own, which a self-reference would break.
 */
function conditionSchema(depth: number): TSchema {
  const leaves = [
    Type.Object({ always: Type.Literal(true) }, strict),
    Type.Object({ question: Id, is: Id }, strict),
    Type.Object({ question: Id, isAny: Type.Array(Id, { minItems: 1 }) }, strict),
    Type.Object({ question: Id, includesOtherThan: Type.Array(Id, { minItems: 1 }) }, strict),
    Type.Object({ question: Id, countAtLeast: Type.Integer({ minimum: 1 }) }, strict),
    Type.Object({ fired: Id }, strict),
  ];
  if (depth === 0) return Type.Union(leaves);
  const inner = conditionSchema(depth - 1);
  return Type.Union([
    ...leaves,
    Type.Object({ all: Type.Array(inner, { minItems: 1, maxItems: 30 }) }, strict),
    Type.Object({ any: Type.Array(inner, { minItems: 1, maxItems: 30 }) }, strict),
    Type.Object({ not: inner }, strict),
  ]);
}

/** A rule or escalation condition, nested up to four levels; classification/FORMAT.md describes each form. */
export const ConditionSchema = conditionSchema(4);

const OptionSchema = Type.Object(
  {
    id: Id,
    label: Text(400),
    fires: Type.Optional(Type.Array(Id, { minItems: 1 })),
    exclusive: Type.Optional(Type.Literal(true)),
    cites: Type.Optional(Text(100)),
  },
  strict,
);

const QuestionSchema = Type.Object(
  {
    id: Id,
    text: Text(400),
    help: Type.Optional(Text(600)),
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
    askWhen: Type.Optional(ConditionSchema),
    options: Type.Array(OptionSchema, { minItems: 2 }),
  },
  strict,
);

const HeaderSchema = Type.Object(
  { id: Id, title: Text(200), version: Text(40), regulation: Text(400), source: Text(500), notice: Text(2000) },
  strict,
);

const literals = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));

const SelectorSchema = Type.Object(
  {
    appliesTo: Type.Optional(Text(40)),
    refs: Type.Optional(Type.Array(Text(40), { minItems: 1 })),
    except: Type.Optional(Type.Array(Text(40), { minItems: 1 })),
    asRole: Type.Optional(literals(obligationRoles)),
  },
  strict,
);

const ruleFields = { id: Id, citation: Text(100), title: Text(200), summary: Text(600), when: Type.Optional(ConditionSchema) };

const EuAiActFileSchema = Type.Object(
  {
    questionnaire: HeaderSchema,
    tiers: Type.Array(
      Type.Object({ id: literals(euAiActTiers), label: Text(100), summary: Text(600), obligations: Type.Optional(Type.Array(SelectorSchema)) }, strict),
    ),
    questions: Type.Array(QuestionSchema, { minItems: 1 }),
    rules: Type.Array(
      Type.Object(
        {
          ...ruleFields,
          effect: Type.Union([
            Type.Object({ kind: Type.Literal('tier'), tier: literals(euAiActTiers.filter((tier) => tier !== 'minimal')), route: Type.Optional(literals(highRiskRoutes)) }, strict),
            Type.Object({ kind: Type.Literal('derogation'), route: Type.Literal('annex-iii') }, strict),
            Type.Object({ kind: Type.Literal('obligations') }, strict),
          ]),
          obligations: Type.Optional(Type.Array(SelectorSchema, { minItems: 1 })),
          obligationsForTiers: Type.Optional(Type.Array(literals(euAiActTiers), { minItems: 1 })),
        },
        strict,
      ),
      { minItems: 1 },
    ),
  },
  strict,
);

const GdprFileSchema = Type.Object(
  {
    questionnaire: HeaderSchema,
    questions: Type.Array(QuestionSchema, { minItems: 1 }),
    rules: Type.Array(
      Type.Object({ ...ruleFields, finding: literals(gdprFindings), refs: Type.Optional(Type.Array(Text(40), { minItems: 1 })) }, strict),
      { minItems: 1 },
    ),
  },
  strict,
);

export const EscalationSchema = Type.Object(
  { id: Id, level: literals(impactLevels.filter((level) => level !== 'low')), summary: Text(600), when: ConditionSchema },
  strict,
);

const ImpactFileSchema = Type.Object(
  {
    impactRules: Type.Object({ id: Id, title: Text(200), version: Text(40), notice: Text(2000) }, strict),
    factors: Type.Array(
      Type.Object(
        {
          id: Id,
          text: Text(400),
          help: Type.Optional(Text(600)),
          source: literals(impactFactorSources),
          options: Type.Array(Type.Object({ id: Id, label: Text(400), points: Type.Integer({ minimum: 0, maximum: 100 }) }, strict), { minItems: 2 }),
        },
        strict,
      ),
      { minItems: 1 },
    ),
    thresholds: Type.Object({ high: Type.Integer(), critical: Type.Integer() }, strict),
    escalations: Type.Array(EscalationSchema),
  },
  strict,
);

interface RuleFileText {
  file: string;
  text: string;
}

let cached: ClassificationRules | undefined;

/** Loads and checks the shipped rules once per process; later calls return the same rules. */
export function loadClassificationRules(): ClassificationRules {
  cached ??= readClassificationRules(classificationDirectory);
  return cached;
}

/** Reads and checks the three rule files in `directory`, throwing INTERNAL with every problem found. */
export function readClassificationRules(directory: string): ClassificationRules {
  const read = (name: string): RuleFileText => {
    const file = path.join(directory, name);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch (error) {
      throw new AppError('INTERNAL', `The classification rule file ${file} cannot be read (${(error as Error).message}); reinstall custos or restore the file`);
    }
  };
  return parseClassificationRules({ euAiAct: read(ruleFileNames.euAiAct), gdpr: read(ruleFileNames.gdpr), impact: read(ruleFileNames.impact) });
}

/** Parses and checks the three files' texts together, throwing one INTERNAL error that lists every problem. */
export function parseClassificationRules(texts: { euAiAct: RuleFileText; gdpr: RuleFileText; impact: RuleFileText }): ClassificationRules {
  const problems: ErrorDetail[] = [];
  const euAiAct = parseFile(texts.euAiAct, EuAiActFileSchema, problems) as EuAiActQuestionnaire | undefined;
  const gdpr = parseFile(texts.gdpr, GdprFileSchema, problems) as GdprQuestionnaire | undefined;
  const impact = parseFile(texts.impact, ImpactFileSchema, problems) as ImpactRulesFile | undefined;

  if (euAiAct) problems.push(...checkQuestionnaire(texts.euAiAct.file, euAiAct.questions, euAiAct.rules), ...checkEuAiAct(texts.euAiAct.file, euAiAct));
  if (gdpr) problems.push(...checkQuestionnaire(texts.gdpr.file, gdpr.questions, gdpr.rules));
  if (impact) problems.push(...checkImpactFile(texts.impact.file, impact));
  if (euAiAct && gdpr && impact) {
    const seen = new Map<string, string>();
    const all: [string, string][] = [
      ...euAiAct.questions.map((question): [string, string] => [question.id, texts.euAiAct.file]),
      ...gdpr.questions.map((question): [string, string] => [question.id, texts.gdpr.file]),
      ...impact.factors.map((factor): [string, string] => [factor.id, texts.impact.file]),
    ];
    for (const [id, file] of all) {
      if (seen.has(id)) problems.push({ path: `${file}: ${id}`, message: `question id is also used in ${seen.get(id)}; question ids must be unique across the files` });
      seen.set(id, file);
    }
  }
  if (problems.length > 0 || !euAiAct || !gdpr || !impact) {
    throw new AppError('INTERNAL', `The classification rule files have ${problems.length} problem(s); fix them and restart`, problems);
  }

  const source = (text: RuleFileText, id: string, version: string): RuleSource => ({ id, version, sha256: createHash('sha256').update(text.text).digest('hex') });
  return {
    euAiAct,
    gdpr,
    impact,
    sources: {
      euAiAct: source(texts.euAiAct, euAiAct.questionnaire.id, euAiAct.questionnaire.version),
      gdpr: source(texts.gdpr, gdpr.questionnaire.id, gdpr.questionnaire.version),
      impact: source(texts.impact, impact.impactRules.id, impact.impactRules.version),
    },
  };
}

function parseFile(text: RuleFileText, schema: TSchema, problems: ErrorDetail[]): Static<typeof schema> | undefined {
  let data: unknown;
  try {
    data = YAML.parse(text.text, { maxAliasCount: 0 });
  } catch (error) {
    problems.push({ path: text.file, message: `is not valid YAML: ${(error as Error).message}` });
    return undefined;
  }
  const found = findProblems(schema, data).map((problem) => ({ path: `${text.file}: ${problem.path}`, message: problem.message }));
  problems.push(...found);
  return found.length === 0 ? (data as Static<typeof schema>) : undefined;
}

/**
 * Checks the references inside one questionnaire: unique ids, exclusive options only in
 * multiple-choice questions, `askWhen` reading only earlier questions, `fires` naming rules,
 * `when` naming known questions and earlier rules, and every rule reachable.
 */
function checkQuestionnaire(file: string, questions: readonly Question[], rules: readonly RuleBase[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const earlierQuestions = new Map<string, Question>();
  const ruleIds = new Set(rules.map((rule) => rule.id));

  questions.forEach((question, index) => {
    const path = `${file}: /questions/${index}`;
    if (earlierQuestions.has(question.id)) problems.push({ path: `${path}/id`, message: `question id "${question.id}" is used twice` });
    const optionIds = question.options.map((option) => option.id);
    if (new Set(optionIds).size !== optionIds.length) problems.push({ path: `${path}/options`, message: `question ${question.id} lists an option id twice` });
    question.options.forEach((option, optionIndex) => {
      if (option.exclusive && question.kind !== 'multiple') problems.push({ path: `${path}/options/${optionIndex}`, message: 'exclusive applies only to multiple-choice questions' });
      for (const ruleId of option.fires ?? []) {
        if (!ruleIds.has(ruleId)) problems.push({ path: `${path}/options/${optionIndex}/fires`, message: `"${ruleId}" is not a rule of this file` });
      }
    });
    if (question.askWhen) problems.push(...checkCondition(question.askWhen, `${path}/askWhen`, earlierQuestions, undefined));
    earlierQuestions.set(question.id, question);
  });

  const triggers = triggersByRule(questions);
  const earlierRules = new Set<string>();
  rules.forEach((rule, index) => {
    const path = `${file}: /rules/${index}`;
    if (earlierRules.has(rule.id)) problems.push({ path: `${path}/id`, message: `rule id "${rule.id}" is used twice` });
    if (rule.when) problems.push(...checkCondition(rule.when, `${path}/when`, earlierQuestions, earlierRules));
    if (!triggers.has(rule.id) && rule.when === undefined) {
      problems.push({ path, message: `rule ${rule.id} can never fire: no option fires it and it has no when condition` });
    }
    earlierRules.add(rule.id);
  });
  return problems;
}

function checkEuAiAct(file: string, questionnaire: EuAiActQuestionnaire): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const tierIds = questionnaire.tiers.map((tier) => tier.id);
  if (JSON.stringify(tierIds) !== JSON.stringify(euAiActTiers)) {
    problems.push({ path: `${file}: /tiers`, message: `must list the tiers ${euAiActTiers.join(', ')} in this order (found ${tierIds.join(', ')})` });
  }
  const selectors = [
    ...questionnaire.tiers.flatMap((tier, index) => (tier.obligations ?? []).map((selector, at) => ({ selector, path: `/tiers/${index}/obligations/${at}` }))),
    ...questionnaire.rules.flatMap((rule, index) => (rule.obligations ?? []).map((selector, at) => ({ selector, path: `/rules/${index}/obligations/${at}` }))),
  ];
  for (const { selector, path: selectorPath } of selectors) {
    if ((selector.appliesTo === undefined) === (selector.refs === undefined)) {
      problems.push({ path: `${file}: ${selectorPath}`, message: 'must have either appliesTo or refs, not both and not neither' });
    }
  }
  return problems;
}

function checkImpactFile(file: string, rules: ImpactRulesFile): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const ids = rules.factors.map((factor) => factor.id);
  if (new Set(ids).size !== ids.length) problems.push({ path: `${file}: /factors`, message: 'lists a factor id twice' });
  rules.factors.forEach((factor, index) => {
    const optionIds = factor.options.map((option) => option.id);
    if (new Set(optionIds).size !== optionIds.length) problems.push({ path: `${file}: /factors/${index}/options`, message: `factor ${factor.id} lists an option id twice` });
    if (factor.source === 'ai-system-autonomy' && JSON.stringify([...optionIds].sort()) !== JSON.stringify([...autonomyLevels].sort())) {
      problems.push({ path: `${file}: /factors/${index}/options`, message: `a factor read from the AI system's autonomy must have exactly the options ${autonomyLevels.join(', ')}` });
    }
  });
  problems.push(...checkImpactConfiguration(rules.factors, defaultImpactConfiguration(rules)).map((problem) => ({ ...problem, path: `${file}: ${problem.path}` })));
  return problems;
}
