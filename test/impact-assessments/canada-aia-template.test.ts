import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, evaluateCondition, parseCondition } from '../../src/impact-assessments/canada-aia/conditions.js';
import { impactLevelOf } from '../../src/impact-assessments/canada-aia/scoring.js';
import { loadCanadaAiaTemplate, parseAiaTemplate, pointsOf, TemplateFormatError } from '../../src/impact-assessments/canada-aia/survey-template.js';
import { formFile, maxPointsOf, pointsOfValue, readForm } from './canada-aia-form.js';

describe('Canada AIA form reader', () => {
  const form = readForm();
  const template = loadCanadaAiaTemplate();
  const choiceQuestions = form.questions.filter((question) => question.choices.length > 0);

  it('reads every page, question and choice of the file', () => {
    expect(template.pages.map((page) => page.name)).toEqual(form.pages.map((page) => page.name));
    expect([...template.questions.keys()]).toEqual(form.questions.map((question) => question.name));
    // Counted in the file with a separate script: 18 pages, 295 questions (162 with choices), 568 choices.
    expect(template.pages).toHaveLength(18);
    expect(template.questions.size).toBe(295);
    expect([...template.questions.values()].filter((question) => question.choices.length > 0)).toHaveLength(162);
    expect([...template.questions.values()].reduce((sum, question) => sum + question.choices.length, 0)).toBe(568);
    expect(choiceQuestions.reduce((sum, question) => sum + question.choices.length, 0)).toBe(568);
  });

  it('sorts questions into impact and mitigation by panel suffix', () => {
    const impact = choiceQuestions.filter((question) => question.panel.endsWith('-RS')).map((question) => question.name);
    const mitigation = choiceQuestions.filter((question) => question.panel.endsWith('-MS')).map((question) => question.name);
    const questions = [...template.questions.values()];
    expect(questions.filter((question) => question.scoreKind === 'impact').map((question) => question.name)).toEqual(impact);
    expect(questions.filter((question) => question.scoreKind === 'mitigation').map((question) => question.name)).toEqual(mitigation);
    expect(impact).toHaveLength(70);
    // 45 on the design pages and the same 45 again on the implementation pages.
    expect(mitigation).toHaveLength(90);
    expect(template.questions.get('projectDetailsDepartment-NS')?.scoreKind).toBe('unscored');
    expect(template.questions.get('projectDetailsPhase')?.scoreKind).toBe('unscored');
    expect(template.questions.get('projectDetailsDescription')?.scoreKind).toBe('unscored');
  });

  it('takes the points of each choice from its value', () => {
    for (const question of form.questions) {
      const parsed = template.questions.get(question.name)!;
      expect(parsed.choices.map((choice) => [choice.value, choice.points])).toEqual(question.choices.map((choice) => [choice.value, choice.points]));
      expect(parsed.maxPoints).toBe(maxPointsOf(question));
    }
    expect(template.questions.get('riskProfile4')!.choices.map((choice) => choice.points)).toEqual([0, 0, 4, 4]);
    // A checkbox can add all its choices: 1 + 1 + 3 + 3 + 1 for the sharing of personal information.
    expect(template.questions.get('aboutDataSource14')!.maxPoints).toBe(9);
  });

  it('sums the maximum impact and mitigation scores', () => {
    const impactMax = choiceQuestions.filter((question) => question.panel.endsWith('-RS')).reduce((sum, question) => sum + maxPointsOf(question), 0);
    const designMax = choiceQuestions.filter((question) => question.panel.endsWith('-MS') && question.page.endsWith('Design')).reduce((sum, question) => sum + maxPointsOf(question), 0);
    const implementationMax = choiceQuestions
      .filter((question) => question.panel.endsWith('-MS') && question.page.endsWith('Implementation'))
      .reduce((sum, question) => sum + maxPointsOf(question), 0);
    expect(impactMax).toBe(167);
    expect(template.maxImpactScore).toBe(impactMax);
    // The Canadian tool halves the total of both phases; that equals either phase's own total.
    expect(designMax).toBe(77);
    expect(implementationMax).toBe(77);
  });

  it('parses every condition of the file', () => {
    const conditions = [...form.pages, ...form.questions].filter((element) => element.visibleIf !== undefined);
    expect(conditions).toHaveLength(124);
    const parsed = [...template.pages, ...template.questions.values()].filter((element) => element.condition !== null);
    expect(parsed).toHaveLength(124);
    expect(template.pages.find((page) => page.name === 'fairnessImplementation')?.visibleIf).toBe('{projectDetailsPhase} = "item2"');
  });

  it('reads points from the value suffix only', () => {
    expect(pointsOf('item1-4')).toBe(4);
    expect(pointsOf('item3')).toBe(0);
    expect(pointsOf('001')).toBe(0);
    expect(pointsOf('item2-')).toBe(0);
    expect(pointsOf('item2-x')).toBe(0);
    expect(pointsOfValue('item6-3')).toBe(3);
  });
});

describe('Canada AIA conditions', () => {
  it('matches a choice by value with =', () => {
    const condition = parseCondition('{impact18} = "item1-3"');
    expect(evaluateCondition(condition, { impact18: 'item1-3' })).toBe(true);
    expect(evaluateCondition(condition, { impact18: 'item2-0' })).toBe(false);
    expect(evaluateCondition(condition, {})).toBe(false);
  });

  it('tests a single choice for a substring with contains', () => {
    // The form shows aboutSystem3A when aboutSystem3 "contains" item2, and its value is "item2-0".
    const condition = parseCondition('{aboutSystem3} contains ["item2"]');
    expect(evaluateCondition(condition, { aboutSystem3: 'item2-0' })).toBe(true);
    expect(evaluateCondition(condition, { aboutSystem3: 'item3-1' })).toBe(false);
  });

  it('tests a checkbox answer for membership with contains', () => {
    const condition = parseCondition('{consultationDesign2} contains "item9"');
    expect(evaluateCondition(condition, { consultationDesign2: ['item2', 'item9'] })).toBe(true);
    expect(evaluateCondition(condition, { consultationDesign2: ['item2'] })).toBe(false);
    // Membership, not substring: "item9" is not among ["item19"].
    expect(evaluateCondition(condition, { consultationDesign2: ['item19'] })).toBe(false);
  });

  it('binds and tighter than or', () => {
    const condition = parseCondition('{a} = "1" or {b} = "1" and {c} = "1"');
    expect(evaluateCondition(condition, { a: '1' })).toBe(true);
    expect(evaluateCondition(condition, { b: '1' })).toBe(false);
    expect(evaluateCondition(condition, { b: '1', c: '1' })).toBe(true);
    const grouped = parseCondition('({a} = "1" or {b} = "1") and {c} = "1"');
    expect(evaluateCondition(grouped, { a: '1' })).toBe(false);
    expect(evaluateCondition(grouped, { a: '1', c: '1' })).toBe(true);
  });

  it('rejects syntax the reader does not support', () => {
    for (const text of ['{a} > 3', '{a} notempty', '{a} = "1" xor {b} = "2"', '{a} = "1" and', '({a} = "1"', '{a} = [1]']) {
      expect(() => parseCondition(text), text).toThrow(ConditionSyntaxError);
    }
  });
});

describe('Canada AIA form checks', () => {
  const page = (elements: unknown[]) => JSON.stringify({ pages: [{ name: 'p', elements: [{ type: 'panel', name: 'panel-RS', elements }] }] });

  it('rejects a question type it cannot read', () => {
    expect(() => parseAiaTemplate(page([{ type: 'matrix', name: 'q1' }]))).toThrow(TemplateFormatError);
  });

  it('rejects a condition on an unknown question', () => {
    const content = page([{ type: 'radiogroup', name: 'q1', choices: ['item1-1'], visibleIf: '{missing} = "x"' }]);
    expect(() => parseAiaTemplate(content)).toThrow(/reads \{missing\}/);
  });

  it('rejects a repeated question name', () => {
    const question = { type: 'radiogroup', name: 'q1', choices: ['item1-1'] };
    expect(() => parseAiaTemplate(page([question, question]))).toThrow(/repeats the question name "q1"/);
  });

  it('hashes the file it reads', async () => {
    const { createHash } = await import('node:crypto');
    expect(loadCanadaAiaTemplate().sha256).toBe(createHash('sha256').update(fs.readFileSync(formFile)).digest('hex'));
  });
});

describe('Canada AIA impact level', () => {
  it('puts each share of the maximum in its level', () => {
    // With a maximum of 100: up to 25 level I, up to 50 level II, up to 75 level III.
    expect([0, 25, 26, 50, 51, 75, 76, 100].map((score) => impactLevelOf(score, 100))).toEqual(['I', 'I', 'II', 'II', 'III', 'III', 'IV', 'IV']);
    // With the form's 167: a quarter is 41.75, a half 83.5, three quarters 125.25.
    expect([41, 42, 83, 84, 125, 126].map((score) => impactLevelOf(score, 167))).toEqual(['I', 'II', 'II', 'III', 'III', 'IV']);
  });
});
