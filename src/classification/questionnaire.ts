import type { ErrorDetail } from '../platform/errors.js';

/**
 * Questions, options and rule conditions of the classification questionnaires, and the checks of
 * a set of answers against them. Pure: no storage, no files.
 */

export interface QuestionOption {
  id: string;
  label: string;
  /** Ids of the rules that choosing this option fires, subject to each rule's own condition. */
  fires?: string[];
  /** An option such as "none" that cannot be chosen together with another option. */
  exclusive?: boolean;
  /** The legal point the option itself refers to, such as "Annex I point 11", shown in the trace. */
  cites?: string;
}

export interface Question {
  id: string;
  text: string;
  help?: string;
  /** `single` takes one option id; `multiple` takes a list of option ids. */
  kind: 'single' | 'multiple';
  /** When present, the question is asked, and must be answered, only while this holds. */
  askWhen?: Condition;
  options: QuestionOption[];
}

/**
 * A condition over the answers and the rules fired so far. Question conditions are false for a
 * question that has no answer.
 */
export type Condition =
  | { always: true }
  | { question: string; is: string }
  | { question: string; isAny: string[] }
  | { question: string; includesOtherThan: string[] }
  | { question: string; countAtLeast: number }
  | { fired: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** An answer as a client sends it: one option id, or a list of them for a multiple-choice question. */
export type AnswerValue = string | string[];
export type Answers = Record<string, AnswerValue>;

/** Checked answers: each answered question with the option ids chosen, in the order given. */
export type ChosenOptions = ReadonlyMap<string, readonly string[]>;

export interface RuleBase {
  id: string;
  citation: string;
  title: string;
  summary: string;
  when?: Condition;
}

/** Evaluates a condition. `fired` contains the ids of the rules that have fired so far. */
export function holds(condition: Condition, chosen: ChosenOptions, fired: ReadonlySet<string> = new Set(), questions?: ReadonlyMap<string, Question>): boolean {
  if ('always' in condition) return true;
  if ('fired' in condition) return fired.has(condition.fired);
  if ('all' in condition) return condition.all.every((part) => holds(part, chosen, fired, questions));
  if ('any' in condition) return condition.any.some((part) => holds(part, chosen, fired, questions));
  if ('not' in condition) return !holds(condition.not, chosen, fired, questions);

  const options = chosen.get(condition.question);
  if (options === undefined) return false;
  if ('is' in condition) return options.includes(condition.is);
  if ('isAny' in condition) return options.some((option) => condition.isAny.includes(option));
  if ('includesOtherThan' in condition) return options.some((option) => !condition.includesOtherThan.includes(option));
  // Exclusive options such as "none" are not criteria, so they do not count.
  const exclusive = new Set(questions?.get(condition.question)?.options.filter((option) => option.exclusive).map((option) => option.id));
  return options.filter((option) => !exclusive.has(option)).length >= condition.countAtLeast;
}

/** Lists the questions a condition reads, in the order they appear in it. */
export function questionsReadBy(condition: Condition | undefined): string[] {
  if (condition === undefined || 'always' in condition || 'fired' in condition) return [];
  if ('all' in condition) return unique(condition.all.flatMap(questionsReadBy));
  if ('any' in condition) return unique(condition.any.flatMap(questionsReadBy));
  if ('not' in condition) return questionsReadBy(condition.not);
  return [condition.question];
}

/** Lists the rules a condition depends on through `fired`. */
export function rulesReadBy(condition: Condition | undefined): string[] {
  if (condition === undefined || 'always' in condition) return [];
  if ('fired' in condition) return [condition.fired];
  if ('all' in condition) return unique(condition.all.flatMap(rulesReadBy));
  if ('any' in condition) return unique(condition.any.flatMap(rulesReadBy));
  if ('not' in condition) return rulesReadBy(condition.not);
  return [];
}

/** Renders a condition as text for messages, such as `annex-iii-use is not none`. */
export function describeCondition(condition: Condition): string {
  if ('always' in condition) return 'always';
  if ('fired' in condition) return `rule ${condition.fired} fired`;
  if ('all' in condition) return condition.all.map(describeCondition).join(' and ');
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' or ')})`;
  if ('not' in condition) {
    const inner = condition.not;
    if ('question' in inner && 'is' in inner) return `${inner.question} is not ${inner.is}`;
    return `not ${describeCondition(inner)}`;
  }
  if ('is' in condition) return `${condition.question} is ${condition.is}`;
  if ('isAny' in condition) return `${condition.question} is one of ${condition.isAny.join(', ')}`;
  if ('includesOtherThan' in condition) return `${condition.question} includes an option other than ${condition.includesOtherThan.join(', ')}`;
  return `${condition.question} has at least ${condition.countAtLeast} options chosen`;
}

/**
 * Checks answers against the questions, in question order, and returns the chosen options with
 * every problem found. A question is asked when it has no `askWhen` or its `askWhen` holds for
 * the answers to the questions before it. Every asked question needs an answer, every answer
 * must name allowed options, and answers to questions not asked or not known are rejected.
 * `fixed` names questions whose value comes from elsewhere (such as the AI system record), with
 * the reason given when an answer names one of them.
 */
export function checkAnswers(
  questions: readonly Question[],
  answers: unknown,
  fixed: ReadonlyMap<string, string> = new Map(),
): { chosen: Map<string, string[]>; problems: ErrorDetail[] } {
  const chosen = new Map<string, string[]>();
  const problems: ErrorDetail[] = [];
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    problems.push({ path: '/answers', message: 'must be an object that maps question ids to option ids' });
    return { chosen, problems };
  }
  const given = answers as Record<string, unknown>;
  const byId = new Map(questions.map((question) => [question.id, question]));

  // Questions whose answer is missing or was rejected: whether a question that depends on them
  // is asked cannot be judged, so it is skipped rather than reported.
  const rejected = new Set<string>();
  for (const question of questions) {
    const path = `/answers/${question.id}`;
    const value = given[question.id];
    if (questionsReadBy(question.askWhen).some((id) => rejected.has(id))) {
      rejected.add(question.id);
      continue;
    }
    const asked = question.askWhen === undefined || holds(question.askWhen, chosen, new Set(), byId);
    if (!asked) {
      if (value !== undefined) {
        problems.push({ path, message: `question ${question.id} is not asked because it applies only when ${describeCondition(question.askWhen!)}; remove this answer` });
      }
      continue;
    }
    if (value === undefined) {
      problems.push({ path, message: `question ${question.id} is missing an answer; ${choiceHint(question)}` });
      rejected.add(question.id);
      continue;
    }
    const options = readOptions(question, value, path, problems);
    if (options) chosen.set(question.id, options);
    else rejected.add(question.id);
  }

  for (const key of Object.keys(given)) {
    if (byId.has(key)) continue;
    const reason = fixed.get(key);
    problems.push({
      path: `/answers/${key}`,
      message: reason ?? `"${key}" is not a question of the questionnaire; GET /api/classification/questionnaire lists the questions`,
    });
  }
  return { chosen, problems };
}

function readOptions(question: Question, value: unknown, path: string, problems: ErrorDetail[]): string[] | undefined {
  const allowed = new Map(question.options.map((option) => [option.id, option]));
  if (question.kind === 'single') {
    if (typeof value !== 'string') {
      problems.push({ path, message: `question ${question.id} takes one option id as a string (received ${JSON.stringify(value)}); ${choiceHint(question)}` });
      return undefined;
    }
    if (!allowed.has(value)) {
      problems.push({ path, message: `"${value}" is not an allowed option of question ${question.id}; ${choiceHint(question)}` });
      return undefined;
    }
    return [value];
  }

  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string')) {
    problems.push({ path, message: `question ${question.id} takes a non-empty list of option ids (received ${JSON.stringify(value)}); ${choiceHint(question)}` });
    return undefined;
  }
  const options = list as string[];
  let valid = true;
  options.forEach((option, index) => {
    if (!allowed.has(option)) {
      problems.push({ path: `${path}/${index}`, message: `"${option}" is not an allowed option of question ${question.id}; ${choiceHint(question)}` });
      valid = false;
    }
  });
  if (!valid) return undefined;
  if (new Set(options).size !== options.length) {
    problems.push({ path, message: `question ${question.id} names an option more than once; list each option once` });
    return undefined;
  }
  const exclusive = options.filter((option) => allowed.get(option)!.exclusive);
  if (exclusive.length > 0 && options.length > 1) {
    problems.push({ path, message: `option ${exclusive[0]} of question ${question.id} cannot be combined with other options; choose it alone or leave it out` });
    return undefined;
  }
  return options;
}

function choiceHint(question: Question): string {
  const ids = question.options.map((option) => option.id).join(', ');
  return question.kind === 'single' ? `choose one of: ${ids}` : `choose one or more of: ${ids}`;
}

/** One question a fired rule read, with the options that made it fire. */
export interface TraceAnswer {
  question: string;
  options: string[];
  labels: string[];
  /** Legal points the chosen options stand for, such as "Annex I point 11". */
  cites: string[];
}

export interface FiredRule<R extends RuleBase> {
  rule: R;
  answers: TraceAnswer[];
  /** Earlier rules whose firing the rule's condition read. */
  dependsOn: string[];
}

/**
 * Fires the rules in order. A rule that options point to fires when one of those options is
 * chosen and its `when`, if any, holds. A rule no option points to fires when its `when` holds.
 * A `when` may read only rules listed before it, which the file checks ensure.
 */
export function fireRules<R extends RuleBase>(questions: readonly Question[], rules: readonly R[], chosen: ChosenOptions): FiredRule<R>[] {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const triggers = triggersByRule(questions);
  const firedIds = new Set<string>();
  const fired: FiredRule<R>[] = [];

  for (const rule of rules) {
    const ruleTriggers = triggers.get(rule.id) ?? [];
    const chosenTriggers = ruleTriggers.filter((trigger) => chosen.get(trigger.question)?.includes(trigger.option));
    if (ruleTriggers.length > 0 && chosenTriggers.length === 0) continue;
    if (rule.when !== undefined && !holds(rule.when, chosen, firedIds, byId)) continue;
    if (ruleTriggers.length === 0 && rule.when === undefined) continue;

    firedIds.add(rule.id);
    const answers: TraceAnswer[] = [];
    for (const questionId of unique(chosenTriggers.map((trigger) => trigger.question))) {
      const options = chosenTriggers.filter((trigger) => trigger.question === questionId).map((trigger) => trigger.option);
      answers.push(traceAnswer(byId.get(questionId)!, options));
    }
    for (const questionId of questionsReadBy(rule.when)) {
      const options = chosen.get(questionId);
      if (options === undefined || answers.some((answer) => answer.question === questionId)) continue;
      answers.push(traceAnswer(byId.get(questionId)!, [...options]));
    }
    fired.push({ rule, answers, dependsOn: rulesReadBy(rule.when).filter((id) => firedIds.has(id)) });
  }
  return fired;
}

function traceAnswer(question: Question, options: string[]): TraceAnswer {
  const found = options.map((id) => question.options.find((option) => option.id === id)!);
  return {
    question: question.id,
    options,
    labels: found.map((option) => option.label),
    cites: found.flatMap((option) => (option.cites ? [option.cites] : [])),
  };
}

/** Maps each rule id to the question options that fire it. */
export function triggersByRule(questions: readonly Question[]): Map<string, { question: string; option: string }[]> {
  const triggers = new Map<string, { question: string; option: string }[]>();
  for (const question of questions) {
    for (const option of question.options) {
      for (const ruleId of option.fires ?? []) {
        const list = triggers.get(ruleId) ?? [];
        list.push({ question: question.id, option: option.id });
        triggers.set(ruleId, list);
      }
    }
  }
  return triggers;
}

/**
 * Checks that a condition names known questions and options, uses `countAtLeast` only on
 * multiple-choice questions, and reads through `fired` only the rules in `earlierRules`
 * (pass undefined where `fired` is not allowed at all).
 */
export function checkCondition(
  condition: Condition,
  path: string,
  questions: ReadonlyMap<string, Question>,
  earlierRules: ReadonlySet<string> | undefined,
): ErrorDetail[] {
  if ('always' in condition) return [];
  if ('fired' in condition) {
    if (earlierRules === undefined) return [{ path, message: 'fired is not allowed here; conditions here read answers only' }];
    if (!earlierRules.has(condition.fired)) return [{ path, message: `"${condition.fired}" is not a rule listed before this one` }];
    return [];
  }
  if ('all' in condition) return condition.all.flatMap((part, index) => checkCondition(part, `${path}/all/${index}`, questions, earlierRules));
  if ('any' in condition) return condition.any.flatMap((part, index) => checkCondition(part, `${path}/any/${index}`, questions, earlierRules));
  if ('not' in condition) return checkCondition(condition.not, `${path}/not`, questions, earlierRules);

  const question = questions.get(condition.question);
  if (!question) return [{ path: `${path}/question`, message: `"${condition.question}" is not a known question` }];
  const known = new Set(question.options.map((option) => option.id));
  let named: string[] = [];
  if ('is' in condition) named = [condition.is];
  if ('isAny' in condition) named = condition.isAny;
  if ('includesOtherThan' in condition) named = condition.includesOtherThan;
  const problems: ErrorDetail[] = named
    .filter((option) => !known.has(option))
    .map((option) => ({ path, message: `"${option}" is not an option of question ${question.id}; its options are ${[...known].join(', ')}` }));
  if ('countAtLeast' in condition && question.kind !== 'multiple') {
    problems.push({ path, message: `countAtLeast needs a multiple-choice question, and ${question.id} takes one option` });
  }
  return problems;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
