import type { ErrorDetail } from '../platform/errors.js';
import { checkCondition, holds, questionsReadBy, type ChosenOptions, type Condition, type Question, type TraceAnswer } from './questionnaire.js';

/**
 * The internal impact level of an AI system (low, high or critical). Each factor's option scores
 * points; the total reaches a level through two thresholds; escalation rules then set a minimum
 * level where their condition holds. The factors and their options are fixed by the rules file,
 * while points, thresholds and escalations form the configuration an organization may replace.
 * Pure: no storage, no files.
 */

export const impactLevels = ['low', 'high', 'critical'] as const;
export type ImpactLevel = (typeof impactLevels)[number];

/** Where a factor's value comes from: an answer, or the autonomy field of the AI system. */
export const impactFactorSources = ['answer', 'ai-system-autonomy'] as const;
export type ImpactFactorSource = (typeof impactFactorSources)[number];

export interface ImpactFactor {
  id: string;
  text: string;
  help?: string;
  source: ImpactFactorSource;
  options: { id: string; label: string; points: number }[];
}

export interface ImpactEscalation {
  id: string;
  level: Exclude<ImpactLevel, 'low'>;
  summary: string;
  when: Condition;
}

/** The part of the rules an organization may replace: points per option, thresholds and escalations. */
export interface ImpactConfiguration {
  points: Record<string, Record<string, number>>;
  thresholds: { high: number; critical: number };
  escalations: ImpactEscalation[];
}

export interface ImpactRulesFile {
  impactRules: { id: string; title: string; version: string; notice: string };
  factors: ImpactFactor[];
  thresholds: { high: number; critical: number };
  escalations: ImpactEscalation[];
}

export interface ImpactContribution {
  factor: string;
  option: string;
  label: string;
  points: number;
}

export interface ImpactResult {
  level: ImpactLevel;
  points: number;
  maxPoints: number;
  thresholds: { high: number; critical: number };
  /** The level the points alone reach, before escalations. */
  levelFromPoints: ImpactLevel;
  contributions: ImpactContribution[];
  escalations: { rule: string; level: ImpactLevel; summary: string; answers: TraceAnswer[] }[];
}

/** Returns the configuration the rules file itself sets. */
export function defaultImpactConfiguration(rules: ImpactRulesFile): ImpactConfiguration {
  const points: ImpactConfiguration['points'] = {};
  for (const factor of rules.factors) points[factor.id] = Object.fromEntries(factor.options.map((option) => [option.id, option.points]));
  return { points, thresholds: { ...rules.thresholds }, escalations: rules.escalations };
}

/** Returns the factors as single-choice questions, so that answers and conditions are checked like any other. */
export function impactQuestions(factors: readonly ImpactFactor[]): Question[] {
  return factors.map((factor) => ({
    id: factor.id,
    text: factor.text,
    ...(factor.help ? { help: factor.help } : {}),
    kind: 'single' as const,
    options: factor.options.map((option) => ({ id: option.id, label: option.label })),
  }));
}

/** Scores the factors; `values` contains one option id per factor, from the answers or from the AI system record. */
export function evaluateImpact(factors: readonly ImpactFactor[], configuration: ImpactConfiguration, values: ChosenOptions): ImpactResult {
  const questions = impactQuestions(factors);
  const contributions = factors.map((factor): ImpactContribution => {
    const option = values.get(factor.id)?.[0];
    const known = factor.options.find((candidate) => candidate.id === option);
    if (!known) throw new Error(`No value for impact factor ${factor.id}`);
    return { factor: factor.id, option: known.id, label: known.label, points: configuration.points[factor.id]![known.id]! };
  });
  const points = contributions.reduce((sum, contribution) => sum + contribution.points, 0);
  const maxPoints = factors.reduce((sum, factor) => sum + Math.max(...factor.options.map((option) => configuration.points[factor.id]![option.id]!)), 0);
  let levelFromPoints: ImpactLevel = 'low';
  if (points >= configuration.thresholds.high) levelFromPoints = 'high';
  if (points >= configuration.thresholds.critical) levelFromPoints = 'critical';

  const byId = new Map(questions.map((question) => [question.id, question]));
  const escalations = configuration.escalations
    .filter((escalation) => holds(escalation.when, values, new Set(), byId))
    .map((escalation) => ({
      rule: escalation.id,
      level: escalation.level,
      summary: escalation.summary,
      answers: questionsReadBy(escalation.when).map((id) => {
        const option = values.get(id)![0]!;
        return { question: id, options: [option], labels: [byId.get(id)!.options.find((candidate) => candidate.id === option)!.label], cites: [] };
      }),
    }));

  const rank = (level: ImpactLevel) => impactLevels.indexOf(level);
  const level = escalations.reduce<ImpactLevel>((highest, escalation) => (rank(escalation.level) > rank(highest) ? escalation.level : highest), levelFromPoints);
  return { level, points, maxPoints, thresholds: configuration.thresholds, levelFromPoints, contributions, escalations };
}

/**
 * Checks a configuration against the factors: points for exactly the known options, whole
 * numbers from 0 to 100; thresholds with 1 <= high < critical; escalations with unique ids whose
 * conditions name known factors and options. Returns every problem, with JSON pointers under
 * `prefix`.
 */
export function checkImpactConfiguration(factors: readonly ImpactFactor[], configuration: ImpactConfiguration, prefix = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const factorIds = new Set(factors.map((factor) => factor.id));
  for (const factor of factors) {
    const given = configuration.points[factor.id];
    const path = `${prefix}/points/${factor.id}`;
    if (given === undefined) {
      problems.push({ path, message: `is missing; give points for each option: ${factor.options.map((option) => option.id).join(', ')}` });
      continue;
    }
    for (const option of factor.options) {
      const value = given[option.id];
      if (value === undefined) problems.push({ path: `${path}/${option.id}`, message: 'is missing; give the points for this option, 0 to 100' });
      else if (!Number.isInteger(value) || value < 0 || value > 100) problems.push({ path: `${path}/${option.id}`, message: `must be a whole number from 0 to 100 (received ${JSON.stringify(value)})` });
    }
    for (const key of Object.keys(given)) {
      if (!factor.options.some((option) => option.id === key)) {
        problems.push({ path: `${path}/${key}`, message: `is not an option of factor ${factor.id}; its options are ${factor.options.map((option) => option.id).join(', ')}` });
      }
    }
  }
  for (const key of Object.keys(configuration.points)) {
    if (!factorIds.has(key)) problems.push({ path: `${prefix}/points/${key}`, message: `is not an impact factor; the factors are ${[...factorIds].join(', ')}` });
  }

  const { high, critical } = configuration.thresholds;
  if (!Number.isInteger(high) || high < 1) problems.push({ path: `${prefix}/thresholds/high`, message: `must be a whole number of at least 1 (received ${JSON.stringify(high)})` });
  if (!Number.isInteger(critical) || critical <= high) {
    problems.push({ path: `${prefix}/thresholds/critical`, message: `must be a whole number greater than the high threshold ${high} (received ${JSON.stringify(critical)})` });
  }

  const questions = new Map(impactQuestions(factors).map((question) => [question.id, question]));
  const seen = new Set<string>();
  configuration.escalations.forEach((escalation, index) => {
    const path = `${prefix}/escalations/${index}`;
    if (seen.has(escalation.id)) problems.push({ path: `${path}/id`, message: `"${escalation.id}" is used by an earlier escalation; give each a unique id` });
    seen.add(escalation.id);
    problems.push(...checkCondition(escalation.when, `${path}/when`, questions, undefined));
  });
  return problems;
}
