import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConditionSyntaxError, parseCondition, questionsReadBy, type Condition } from './conditions.js';

/**
 * Reads the Government of Canada's Algorithmic Impact Assessment questionnaire, a SurveyJS form
 * (examples/templates/canada-aia/survey-enfr.json), into pages, questions and choices with points.
 *
 * The form encodes scoring in names, as the tool's README and scoring code (src/store.ts) use them:
 * - a choice value has the form `item<n>-<points>`, so "item3-4" is worth 4 points; a value
 *   without a numeric suffix ("item3", or the department codes "001") is worth 0;
 * - a question counts toward the raw impact score when its name, or else the name of the panel or
 *   page that contains it, ends in `-RS`, toward the mitigation score when it ends in `-MS`, and not
 *   at all when it ends in `-NS` or has no suffix;
 * - the most a single-choice question (radiogroup, dropdown) can add is its largest choice, and
 *   the most a checkbox question can add is the sum of all its choices.
 */

export const canadaAiaTemplateFile = fileURLToPath(new URL('../../../examples/templates/canada-aia/survey-enfr.json', import.meta.url));

export const choiceQuestionTypes = ['radiogroup', 'checkbox', 'dropdown'] as const;
export const textQuestionTypes = ['text', 'comment'] as const;
export type ChoiceQuestionType = (typeof choiceQuestionTypes)[number];
export type AiaQuestionType = ChoiceQuestionType | (typeof textQuestionTypes)[number];
export type ScoreKind = 'impact' | 'mitigation' | 'unscored';

/** Text in the two languages of the form; `default` in the file is English. */
export interface LocalizedText {
  en: string;
  fr: string;
}

export interface AiaChoice {
  value: string;
  text: LocalizedText;
  points: number;
}

export interface AiaQuestion {
  name: string;
  type: AiaQuestionType;
  title: LocalizedText;
  pageName: string;
  scoreKind: ScoreKind;
  /** The `visibleIf` expression as written in the file, or null when the question is always shown on its page. */
  visibleIf: string | null;
  condition: Condition | null;
  choices: AiaChoice[];
  /** Maximum points the question can add to its score; 0 for text questions. */
  maxPoints: number;
}

export interface AiaPage {
  name: string;
  title: LocalizedText;
  visibleIf: string | null;
  condition: Condition | null;
  questions: AiaQuestion[];
}

export interface AiaTemplate {
  /** SHA-256 of the file, in hex, stored with each answer set to record which form it belongs to. */
  sha256: string;
  pages: AiaPage[];
  questions: ReadonlyMap<string, AiaQuestion>;
  /** Sum of maxPoints over every impact question, whether or not a condition shows it. */
  maxImpactScore: number;
}

export class TemplateFormatError extends Error {}

/** Returns the points a choice value encodes: the number after its last hyphen, or 0. */
export function pointsOf(value: string): number {
  const hyphen = value.lastIndexOf('-');
  if (hyphen < 0) return 0;
  const suffix = value.slice(hyphen + 1).trim();
  const points = Number(suffix);
  return suffix === '' || !Number.isFinite(points) ? 0 : points;
}

function scoreKindOfName(name: string): ScoreKind | undefined {
  if (name.endsWith('-RS')) return 'impact';
  if (name.endsWith('-MS')) return 'mitigation';
  if (name.endsWith('-NS')) return 'unscored';
  return undefined;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function localized(value: unknown, fallback: string, path: string): LocalizedText {
  if (value === undefined) return { en: fallback, fr: fallback };
  if (typeof value === 'string') return { en: value, fr: value };
  if (isObject(value) && typeof value.default === 'string') {
    return { en: value.default, fr: typeof value.fr === 'string' ? value.fr : value.default };
  }
  throw new TemplateFormatError(`${path} must be text or an object with "default" and "fr" text`);
}

function compileCondition(value: unknown, path: string): { visibleIf: string | null; condition: Condition | null } {
  if (value === undefined) return { visibleIf: null, condition: null };
  if (typeof value !== 'string') throw new TemplateFormatError(`${path}.visibleIf must be text`);
  try {
    return { visibleIf: value, condition: parseCondition(value) };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) throw new TemplateFormatError(`${path}.visibleIf: ${error.message}`);
    throw error;
  }
}

/** Parses the SurveyJS JSON of the questionnaire, or throws TemplateFormatError naming the element at fault. */
export function parseAiaTemplate(fileContent: string): AiaTemplate {
  const json: unknown = JSON.parse(fileContent);
  if (!isObject(json) || !Array.isArray(json.pages)) throw new TemplateFormatError('the form must be an object with a "pages" array');

  const questions = new Map<string, AiaQuestion>();
  const pages: AiaPage[] = json.pages.map((page, pageIndex) => {
    const path = `pages[${pageIndex}]`;
    if (!isObject(page) || typeof page.name !== 'string') throw new TemplateFormatError(`${path} must be an object with a "name"`);
    const pageQuestions: AiaQuestion[] = [];
    collectQuestions(page, page.name, page.name, path, pageQuestions);
    for (const question of pageQuestions) {
      if (questions.has(question.name)) throw new TemplateFormatError(`${path} repeats the question name "${question.name}"`);
      questions.set(question.name, question);
    }
    return { name: page.name, title: localized(page.title, page.name, `${path}.title`), ...compileCondition(page.visibleIf, path), questions: pageQuestions };
  });

  // Every condition must read questions that exist, or it could never hold.
  for (const element of [...pages, ...questions.values()]) {
    for (const name of element.condition ? questionsReadBy(element.condition) : []) {
      if (!questions.has(name)) throw new TemplateFormatError(`the condition of "${element.name}" reads {${name}}, which is not a question of the form`);
    }
  }

  let maxImpactScore = 0;
  for (const question of questions.values()) if (question.scoreKind === 'impact') maxImpactScore += question.maxPoints;
  return { sha256: createHash('sha256').update(fileContent).digest('hex'), pages, questions, maxImpactScore };
}

/**
 * Walks the elements of a page or panel. `containerName` is the name of the direct parent, whose
 * suffix decides the score kind of a question whose own name has none.
 */
function collectQuestions(container: JsonObject, pageName: string, containerName: string, path: string, into: AiaQuestion[]): void {
  const elements = container.elements ?? [];
  if (!Array.isArray(elements)) throw new TemplateFormatError(`${path}.elements must be an array`);
  elements.forEach((element, index) => {
    const elementPath = `${path}.elements[${index}]`;
    if (!isObject(element) || typeof element.type !== 'string' || typeof element.name !== 'string') {
      throw new TemplateFormatError(`${elementPath} must be an object with a "type" and a "name"`);
    }
    const { type, name } = element;
    if (type === 'html') return;
    if (type === 'panel') {
      if (element.visibleIf !== undefined) throw new TemplateFormatError(`${elementPath} is a panel with a condition, which this reader does not support`);
      collectQuestions(element, pageName, name, `${elementPath}`, into);
      return;
    }
    if (!(choiceQuestionTypes as readonly string[]).includes(type) && !(textQuestionTypes as readonly string[]).includes(type)) {
      throw new TemplateFormatError(`${elementPath} ("${name}") has the type "${type}", which this reader does not support`);
    }

    const isChoice = (choiceQuestionTypes as readonly string[]).includes(type);
    const choices = isChoice ? readChoices(element, elementPath) : [];
    const values = choices.map((choice) => choice.points);
    const maxPoints = type === 'checkbox' ? values.reduce((sum, points) => sum + points, 0) : Math.max(0, ...values);
    into.push({
      name,
      type: type as AiaQuestionType,
      title: localized(element.title, name, `${elementPath}.title`),
      pageName,
      scoreKind: isChoice ? (scoreKindOfName(name) ?? scoreKindOfName(containerName) ?? 'unscored') : 'unscored',
      ...compileCondition(element.visibleIf, elementPath),
      choices,
      maxPoints,
    });
  });
}

function readChoices(element: JsonObject, path: string): AiaChoice[] {
  if (!Array.isArray(element.choices) || element.choices.length === 0) throw new TemplateFormatError(`${path}.choices must be a non-empty array`);
  for (const unsupported of ['hasOther', 'hasNone', 'choicesByUrl']) {
    if (element[unsupported] !== undefined) throw new TemplateFormatError(`${path} uses "${unsupported}", which this reader does not support`);
  }
  const seen = new Set<string>();
  return element.choices.map((choice, index) => {
    const choicePath = `${path}.choices[${index}]`;
    const value = typeof choice === 'string' ? choice : isObject(choice) && typeof choice.value === 'string' ? choice.value : undefined;
    if (value === undefined) throw new TemplateFormatError(`${choicePath} must be text or an object with a text "value"`);
    if (seen.has(value)) throw new TemplateFormatError(`${choicePath} repeats the value "${value}"`);
    seen.add(value);
    const text = typeof choice === 'string' ? { en: value, fr: value } : localized(choice.text, value, `${choicePath}.text`);
    return { value, text, points: pointsOf(value) };
  });
}

let cached: AiaTemplate | undefined;

/** Loads the questionnaire shipped in examples/, once per process. */
export function loadCanadaAiaTemplate(): AiaTemplate {
  cached ??= parseAiaTemplate(fs.readFileSync(canadaAiaTemplateFile, 'utf8'));
  return cached;
}
