import type { ErrorDetail } from '../../platform/errors.js';
import { evaluateCondition, type Answer, type Answers } from './conditions.js';
import type { AiaQuestion, AiaTemplate } from './survey-template.js';

/**
 * Checks and scores answers to the Canada AIA questionnaire the way the Government of Canada's
 * AIA tool does (canada-ca/aia-eia-js, src/store.ts, calculateFinalScore):
 *
 * - the raw impact score is the sum of the points of the chosen answers to impact questions, and
 *   the mitigation score the same over mitigation questions;
 * - when the mitigation score reaches 80 % of the maximum mitigation score, the impact score is
 *   the raw impact score reduced by 15 % and rounded to the nearest whole number (halves up);
 *   otherwise it is the raw impact score;
 * - the impact level follows from the impact score as a share of the maximum raw impact score:
 *   up to 25 % level I, up to 50 % level II, up to 75 % level III, above that level IV.
 *
 * The maximum raw impact score counts every impact question, including those a condition hides
 * (167 for the shipped form). The form asks its mitigation questions twice, once on pages for
 * the design phase and once on pages for the implementation phase, and shows one set according
 * to the project phase answered. The tool halves the total of both sets; here the maximum counts
 * the set on the pages that the answers show. The two agree because both sets carry the same
 * points (77 each in the shipped form).
 */

export const impactLevels = ['I', 'II', 'III', 'IV'] as const;
export type ImpactLevel = (typeof impactLevels)[number];

/** The scoring figures of the Government of Canada's AIA tool, as fractions. */
export const aiaScoring = {
  levelUpperBounds: [0.25, 0.5, 0.75],
  mitigationThreshold: 0.8,
  mitigationReduction: 0.15,
} as const;

/** Maximum length of an answer to a text question, in characters. */
export const maxTextAnswerLength = 10_000;

export interface AiaContribution {
  question: string;
  scoreKind: 'impact' | 'mitigation';
  answer: Answer;
  points: number;
}

export interface AiaScore {
  rawImpactScore: number;
  maxImpactScore: number;
  mitigationScore: number;
  maxMitigationScore: number;
  /** True when the mitigation score is at least 80 % of a maximum above 0. */
  mitigationReductionApplied: boolean;
  /** The raw impact score, reduced by 15 % when mitigationReductionApplied. */
  impactScore: number;
  /** impactScore as a percentage of maxImpactScore, rounded to two decimals. */
  impactPercent: number;
  impactLevel: ImpactLevel;
  /** Scored questions shown for these answers that have no answer yet. */
  unansweredQuestions: string[];
  /** Every answer that adds points, in form order. */
  contributions: AiaContribution[];
}

function pointer(name: string): string {
  return `/answers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Lists a question's choice values, each with the start of its English text. */
function describeChoices(question: AiaQuestion): string {
  const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 39).trimEnd()}…` : text);
  return question.choices.map((choice) => `${choice.value} (${clip(choice.text.en)})`).join(', ');
}

/** Tells whether a question is shown: its page's condition and its own both hold for the answers. */
export function isShown(template: AiaTemplate, question: AiaQuestion, answers: Answers): boolean {
  const page = template.pages.find((candidate) => candidate.name === question.pageName)!;
  if (page.condition && !evaluateCondition(page.condition, answers)) return false;
  return question.condition === null || evaluateCondition(question.condition, answers);
}

/**
 * Lists every problem of an answer set: unknown questions, values that are not among a
 * question's choices, and answers to questions that the other answers hide. Returns [] when the
 * set can be stored.
 */
export function checkAnswers(template: AiaTemplate, answers: Readonly<Record<string, unknown>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const wellFormed: Record<string, Answer> = {};

  for (const [name, value] of Object.entries(answers)) {
    const question = template.questions.get(name);
    if (!question) {
      problems.push({ path: pointer(name), message: `"${name}" is not a question of the Canada AIA form; GET /api/impact-assessments/templates/canada-aia lists the question names` });
      continue;
    }
    const problem = checkValue(question, value);
    if (problem) problems.push({ path: pointer(name), message: problem });
    else wellFormed[name] = value as Answer;
  }

  // Visibility is judged on the well-formed answers only, so one bad value is reported once.
  for (const name of Object.keys(wellFormed)) {
    const question = template.questions.get(name)!;
    const page = template.pages.find((candidate) => candidate.name === question.pageName)!;
    if (page.condition && !evaluateCondition(page.condition, wellFormed)) {
      problems.push({
        path: pointer(name),
        message: `question ${name} is not asked with these answers, because its page "${page.name}" is shown only when ${page.visibleIf}; remove the answer or change the answer it depends on`,
      });
    } else if (question.condition && !evaluateCondition(question.condition, wellFormed)) {
      problems.push({
        path: pointer(name),
        message: `question ${name} is not asked with these answers, because it is shown only when ${question.visibleIf}; remove the answer or change the answer it depends on`,
      });
    }
  }
  return problems;
}

function checkValue(question: AiaQuestion, value: unknown): string | undefined {
  if (question.type === 'text' || question.type === 'comment') {
    if (typeof value !== 'string' || value.trim() === '') return `question ${question.name} takes text; send a non-blank string, or leave the question out`;
    if (value.length > maxTextAnswerLength) return `question ${question.name} takes at most ${maxTextAnswerLength} characters, and the answer has ${value.length}`;
    return undefined;
  }

  const allowed = new Set(question.choices.map((choice) => choice.value));
  if (question.type === 'checkbox') {
    const valid =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => typeof item === 'string' && allowed.has(item)) &&
      new Set(value).size === value.length;
    if (valid) return undefined;
    return `${JSON.stringify(value)} is not a valid answer to question ${question.name}, which takes a non-empty list of distinct values among: ${describeChoices(question)}`;
  }
  if (typeof value === 'string' && allowed.has(value)) return undefined;
  return `${JSON.stringify(value)} is not a choice of question ${question.name}; allowed values: ${describeChoices(question)}`;
}

/** Returns the points an answer adds: the chosen choice's, or the sum over a checkbox's chosen choices. */
function pointsOfAnswer(question: AiaQuestion, answer: Answer): number {
  const chosen = typeof answer === 'string' ? [answer] : answer;
  return question.choices.filter((choice) => chosen.includes(choice.value)).reduce((sum, choice) => sum + choice.points, 0);
}

/**
 * Decides the level from the impact score. 0.25, 0.5 and 0.75 are exact in binary, so a score of
 * exactly a quarter of the maximum is level I without rounding error.
 */
export function impactLevelOf(impactScore: number, maxImpactScore: number): ImpactLevel {
  const [first, second, third] = aiaScoring.levelUpperBounds;
  if (impactScore <= maxImpactScore * first) return 'I';
  if (impactScore <= maxImpactScore * second) return 'II';
  if (impactScore <= maxImpactScore * third) return 'III';
  return 'IV';
}

/** Scores an answer set that checkAnswers accepted. */
export function scoreAnswers(template: AiaTemplate, answers: Answers): AiaScore {
  let rawImpactScore = 0;
  let mitigationScore = 0;
  let maxMitigationScore = 0;
  const unansweredQuestions: string[] = [];
  const contributions: AiaContribution[] = [];

  for (const page of template.pages) {
    const pageShown = page.condition === null || evaluateCondition(page.condition, answers);
    for (const question of page.questions) {
      if (question.scoreKind !== 'impact' && question.scoreKind !== 'mitigation') continue;
      if (question.scoreKind === 'mitigation' && pageShown) maxMitigationScore += question.maxPoints;
      const answer = answers[question.name];
      if (answer === undefined) {
        if (isShown(template, question, answers)) unansweredQuestions.push(question.name);
        continue;
      }
      const points = pointsOfAnswer(question, answer);
      if (question.scoreKind === 'impact') rawImpactScore += points;
      else mitigationScore += points;
      if (points !== 0) contributions.push({ question: question.name, scoreKind: question.scoreKind, answer, points });
    }
  }

  const mitigationReductionApplied = maxMitigationScore > 0 && mitigationScore >= aiaScoring.mitigationThreshold * maxMitigationScore;
  // 85 × score / 100 keeps integer scores exact, so a half (8.5 for 10) rounds up as Math.round does.
  const impactScore = mitigationReductionApplied ? Math.round((rawImpactScore * 85) / 100) : rawImpactScore;
  const maxImpactScore = template.maxImpactScore;
  return {
    rawImpactScore,
    maxImpactScore,
    mitigationScore,
    maxMitigationScore,
    mitigationReductionApplied,
    impactScore,
    impactPercent: maxImpactScore === 0 ? 0 : Math.round((impactScore / maxImpactScore) * 10_000) / 100,
    impactLevel: impactLevelOf(impactScore, maxImpactScore),
    unansweredQuestions,
    contributions,
  };
}
