import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A reading of the Canada AIA form for tests that does not use the code under test: it walks the
 * JSON itself and takes a choice's points from the number after the last hyphen of its value.
 */

export const formFile = fileURLToPath(new URL('../../examples/templates/canada-aia/survey-enfr.json', import.meta.url));

export interface FormQuestion {
  name: string;
  type: string;
  page: string;
  panel: string;
  visibleIf: string | undefined;
  choices: { value: string; points: number }[];
}

export function pointsOfValue(value: string): number {
  const match = /-(\d+)$/.exec(value);
  return match ? Number(match[1]) : 0;
}

interface RawElement {
  type: string;
  name: string;
  visibleIf?: string;
  elements?: RawElement[];
  choices?: ({ value: string } | string)[];
}

export function readForm(): { pages: { name: string; visibleIf: string | undefined }[]; questions: FormQuestion[] } {
  const json = JSON.parse(fs.readFileSync(formFile, 'utf8')) as { pages: (RawElement & { elements?: RawElement[] })[] };
  const questions: FormQuestion[] = [];
  const walk = (elements: RawElement[], page: string, panel: string) => {
    for (const element of elements) {
      if (element.type === 'panel') walk(element.elements ?? [], page, element.name);
      else if (element.type !== 'html') {
        questions.push({
          name: element.name,
          type: element.type,
          page,
          panel,
          visibleIf: element.visibleIf,
          choices: (element.choices ?? []).map((choice) => {
            const value = typeof choice === 'string' ? choice : choice.value;
            return { value, points: pointsOfValue(value) };
          }),
        });
      }
    }
  };
  for (const page of json.pages) walk(page.elements ?? [], page.name, page.name);
  return { pages: json.pages.map((page) => ({ name: page.name, visibleIf: page.visibleIf })), questions };
}

/** Maximum points of a question: its largest choice, or the sum of a checkbox's choices. */
export function maxPointsOf(question: FormQuestion): number {
  const points = question.choices.map((choice) => choice.points);
  return question.type === 'checkbox' ? points.reduce((sum, value) => sum + value, 0) : Math.max(0, ...points);
}

export type AnswerSet = Record<string, string | string[]>;

/**
 * Conditional questions the greedy builder may answer, each with the answer its visibleIf in the
 * form needs. Read off the form by hand; the API rejects an answer to a hidden question, so a
 * mistake here fails the test loudly.
 */
const unlockedBy: Record<string, [string, string]> = {
  aboutAlgorithm8A: ['aboutAlgorithm8', 'item1-3'],
  aboutDataSource9: ['aboutDataSource1', 'item1-2'],
  aboutDataSource10: ['aboutDataSource1', 'item1-2'],
  aboutDataSource11: ['aboutDataSource1', 'item1-2'],
  aboutDataSource14: ['aboutDataSource1', 'item1-2'],
  // Shown when impact26 is one of its first four choices; the base answers choose "item1-0".
  impact27: ['impact26', 'item1-0'],
  aboutDataSourceType2: ['aboutDataSourceType1', 'item1-0'],
  dataQualityDesign2: ['dataQualityDesign1', 'item1-3'],
  dataQualityDesign4: ['dataQualityDesign3', 'item1-1'],
  dataQualityDesign7: ['dataQualityDesign5', 'item1-2'],
  dataQualityDesign9: ['dataQualityDesign8', 'item1-2'],
  fairnessDesign24A: ['fairnessDesign24', 'item1-2'],
};

/** Zero-point answers that every built set carries: the design phase, and the two answers that show impact27 and aboutDataSourceType2. */
export const baseAnswers: AnswerSet = { projectDetailsPhase: 'item1', impact26: 'item1-0', aboutDataSourceType1: 'item1-0' };

/**
 * Builds answers worth exactly `target` points from the questions of one panel suffix (-RS for
 * impact, -MS on design pages for mitigation), walking the form in order and taking, for each
 * question, the largest choice that still fits. Returns the answers and their points as this
 * reading of the form counts them.
 */
export function answersWorth(target: number, kind: 'impact' | 'mitigation', questions: readonly FormQuestion[]): { answers: AnswerSet; points: number } {
  const answers: AnswerSet = {};
  let remaining = target;
  for (const question of questions) {
    const counts = kind === 'impact' ? question.panel.endsWith('-RS') : question.panel.endsWith('-MS') && question.page.endsWith('Design');
    if (!counts || remaining === 0 || maxPointsOf(question) === 0) continue;
    if (question.visibleIf !== undefined) {
      const unlock = unlockedBy[question.name];
      if (!unlock) continue;
      const [controller, value] = unlock;
      const given = answers[controller] ?? baseAnswers[controller];
      if (given !== value) continue;
    }
    if (question.type === 'checkbox') {
      const chosen = [];
      for (const choice of question.choices) {
        if (choice.points > 0 && choice.points <= remaining) {
          chosen.push(choice.value);
          remaining -= choice.points;
        }
      }
      if (chosen.length > 0) answers[question.name] = chosen;
    } else {
      const fitting = question.choices.filter((choice) => choice.points <= remaining).sort((a, b) => b.points - a.points)[0];
      if (fitting && fitting.points > 0) {
        answers[question.name] = fitting.value;
        remaining -= fitting.points;
      }
    }
  }
  if (remaining !== 0) throw new Error(`could not build answers worth ${target} ${kind} points; ${remaining} left over`);
  return { answers, points: target - remaining };
}

/** Sums the points of an answer set as this reading of the form counts them, for one score kind. */
export function pointsOfAnswers(answers: AnswerSet, kind: 'impact' | 'mitigation', questions: readonly FormQuestion[]): number {
  let total = 0;
  for (const [name, answer] of Object.entries(answers)) {
    const question = questions.find((candidate) => candidate.name === name)!;
    const counts = kind === 'impact' ? question.panel.endsWith('-RS') : question.panel.endsWith('-MS');
    if (!counts) continue;
    const chosen = typeof answer === 'string' ? [answer] : answer;
    total += chosen.map(pointsOfValue).reduce((sum, value) => sum + value, 0);
  }
  return total;
}
