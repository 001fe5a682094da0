import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { answersWorth, baseAnswers, maxPointsOf, pointsOfAnswers, pointsOfValue, readForm, type AnswerSet } from './canada-aia-form.js';

/*
 * The expected scores here are worked out by hand from the points in the form's choice values,
 * with the published rules: the impact score is the raw impact score less 15 % (rounded) once the
 * mitigation score reaches 80 % of its maximum (0.8 × 77 = 61.6, so 62 points), and the level is
 * I up to 25 % of the maximum impact score of 167 (41.75), II up to 50 % (83.5), III up to 75 %
 * (125.25) and IV above.
 */

const form = readForm();

/**
 * A recidivism risk tool bought from a vendor and used by courts, in its implementation phase.
 * Each row is [question, value, points of that value].
 */
const recidivismToolAnswers: [string, string | string[], number][] = [
  ['projectDetailsPhase', 'item2', 0],
  ['businessDrivers5', 'item2-1', 1],
  ['businessDrivers9', 'item1-0', 0],
  ['riskProfile1', 'item1-3', 3],
  ['riskProfile2', 'item1-3', 3],
  ['riskProfile3', 'item2-0', 0],
  ['riskProfile4', 'item4-4', 4],
  ['riskProfile7', 'item2-0', 0],
  ['riskProfile8', 'item1-1', 1],
  ['riskProfile10', 'item2-0', 0],
  ['projectAuthority1', 'item2-0', 0],
  ['aboutSystem3', 'item4-1', 1],
  ['aboutSystem4', 'item4-1', 1],
  ['aboutSystem5', 'item3-2', 2],
  ['aboutSystem5B', 'item2-0', 0],
  ['aboutSystem6', 'item1-0', 0],
  ['aboutSystem7', 'item1-0', 0],
  ['aboutSystem8', 'item1-0', 0],
  ['aboutSystem9', 'item1-0', 0],
  ['aboutSystem10A', 'item1-0', 0],
  ['aboutSystem11', 'item1-1', 1],
  ['aboutAlgorithm1', 'item1-1', 1],
  ['aboutAlgorithm2', 'item1-3', 3],
  ['aboutAlgorithm3', ['item2-1'], 1],
  ['aboutAlgorithm4', ['item2-1'], 1],
  ['aboutAlgorithm5', 'item1-0', 0],
  ['aboutAlgorithm8', 'item2-0', 0],
  ['aboutAlgorithm9', 'item2-0', 0],
  ['aboutAlgorithm11', 'item2-2', 2],
  ['decisionSector1', ['item8-1'], 1],
  ['impact30', 'item2-2', 2],
  ['impact3', 'item1-4', 4],
  ['impact4A', 'item2-0', 0],
  ['impact22', 'item1-2', 2],
  ['impact5', 'item1-2', 2],
  ['impact6', 'item3-3', 3],
  ['impact7', 'item3-3', 3],
  ['impact9', 'item4-4', 4],
  ['impact24', 'item3-3', 3],
  ['impact11', 'item2-2', 2],
  ['impact13', 'item2-2', 2],
  ['impact15', 'item1-1', 1],
  ['impact18', 'item4-2', 2],
  ['impact19I', 'item2-1', 1],
  ['impact23', 'item1-1', 1],
  ['impact26', 'item5-0', 0],
  ['impact28', 'item4-4', 4],
  ['aboutDataSource1', 'item1-2', 2],
  ['aboutDataSource9', 'item1-0', 0],
  ['aboutDataSource10', 'item1-2', 2],
  ['aboutDataSource11', 'item1-0', 0],
  ['aboutDataSource14', ['item4-3'], 3],
  ['aboutDataSource15', 'item3-1', 1],
  ['aboutDataSource16', 'item3-1', 1],
  ['aboutDataSource2', 'item4-3', 3],
  ['aboutDataSource17', 'item1-0', 0],
  ['aboutDataSource3', 'item1-1', 1],
  ['aboutDataSource4', 'item1-2', 2],
  ['aboutDataSource5', 'item2-0', 0],
  ['aboutDataSource6', 'item1-4', 4],
  ['aboutDataSource7', 'item4-4', 4],
  ['aboutDataSource8', 'item1-1', 1],
  ['aboutDataSourceType1', 'item2-0', 0],
  ['aboutDataSourceType3', 'item2-0', 0],
  ['projectDetailsDescription', 'Scores the risk that a defendant reoffends, for bail and sentencing decisions.', 0],
];

/** Mitigation answers of the implementation phase worth 2 + 3 + 1 + 2 + 2 + 2 + 2 + 2 = 16 points. */
const weakMitigation: [string, string, number][] = [
  ['consultationImplementation1', 'item1-2', 2],
  ['dataQualityImplementation1', 'item1-3', 3],
  ['dataQualityImplementation3', 'item1-1', 1],
  ['fairnessImplementation2', 'item1-2', 2],
  ['fairnessImplementation3', 'item1-2', 2],
  ['privacyImplementation1', 'item1-2', 2],
  ['privacyImplementation2', 'item1-2', 2],
  ['privacyImplementation9', 'item1-2', 2],
];

const toAnswers = (rows: readonly [string, string | string[], number][]): AnswerSet => Object.fromEntries(rows.map(([question, value]) => [question, value]));
const sumOf = (rows: readonly [string, string | string[], number][]): number => rows.reduce((sum, [, , points]) => sum + points, 0);

describe.each(databaseKinds)('Canada AIA scoring API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let aiSystemId: string;
  let assessmentId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
    const system = await server.as('administrator')('POST', '/api/ai-systems', {
      body: {
        name: 'Recidivism risk scale',
        purpose: 'Scores the risk that a defendant reoffends',
        businessUnit: 'Courts',
        lifecycleStage: 'production',
        organizationRole: 'deployer',
        deploymentEnvironments: ['production'],
        autonomy: 'human_in_the_loop',
        affectedGroups: ['defendants'],
        decisionDomain: 'criminal_justice',
      },
    });
    expect(system.statusCode).toBe(201);
    aiSystemId = system.json().id;
    const assessment = await server.as('risk_owner')('POST', '/api/impact-assessments', { body: { aiSystemId } });
    expect(assessment.statusCode).toBe(201);
    assessmentId = assessment.json().id;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const putAnswers = (answers: AnswerSet) => server.as('risk_owner')('PUT', `/api/impact-assessments/${assessmentId}/canada-aia/answers`, { body: { answers } });

  async function scoreOf(answers: AnswerSet) {
    const stored = await putAnswers(answers);
    expect(stored.statusCode, stored.body).toBe(200);
    const score = await server.as('internal_auditor')('GET', `/api/impact-assessments/${assessmentId}/canada-aia/score`);
    expect(score.statusCode, score.body).toBe(200);
    return score.json();
  }

  it('serves the form with its counts', async () => {
    const response = await server.as('internal_auditor')('GET', '/api/impact-assessments/templates/canada-aia');
    expect(response.statusCode).toBe(200);
    const template = response.json();
    expect(template.counts).toEqual({ pages: 18, questions: 295, choiceQuestions: 162, impactQuestions: 70, mitigationQuestions: 90, choices: 568 });
    expect(template.maxImpactScore).toBe(167);
    expect(template.scoring).toEqual({ levelUpperBoundsPercent: [25, 50, 75], mitigationThresholdPercent: 80, mitigationReductionPercent: 15 });
    const riskProfile4 = template.pages.flatMap((page: { questions: unknown[] }) => page.questions).find((question: { name: string }) => question.name === 'riskProfile4');
    expect(riskProfile4).toMatchObject({ type: 'radiogroup', scoreKind: 'impact', maxPoints: 4 });
    expect(riskProfile4.choices.map((choice: { points: number }) => choice.points)).toEqual([0, 0, 4, 4]);
    expect(riskProfile4.title.fr).not.toBe(riskProfile4.title.en);
  });

  it('scores a known answer set for a recidivism tool', async () => {
    // The table's points must be the ones the form gives those values.
    for (const [question, value, points] of recidivismToolAnswers) {
      const formQuestion = form.questions.find((candidate) => candidate.name === question);
      expect(formQuestion, question).toBeDefined();
      const values = typeof value === 'string' ? [value] : value;
      if (formQuestion!.choices.length > 0) {
        for (const single of values) expect(formQuestion!.choices.map((choice) => choice.value), question).toContain(single);
        expect(values.reduce((sum, single) => sum + pointsOfValue(single), 0), question).toBe(points);
      }
    }
    const answers = toAnswers(recidivismToolAnswers);
    expect(sumOf(recidivismToolAnswers)).toBe(86);
    expect(pointsOfAnswers(answers, 'impact', form.questions)).toBe(86);

    const withoutMitigation = await scoreOf(answers);
    expect(withoutMitigation).toMatchObject({
      rawImpactScore: 86,
      maxImpactScore: 167,
      mitigationScore: 0,
      maxMitigationScore: 77,
      mitigationReductionApplied: false,
      impactScore: 86,
      // 86 / 167 = 51.50 %, above a half: level III.
      impactPercent: 51.5,
      impactLevel: 'III',
    });
    expect(withoutMitigation.contributions.filter((entry: { scoreKind: string }) => entry.scoreKind === 'impact')).toHaveLength(
      recidivismToolAnswers.filter(([, , points]) => points > 0).length,
    );

    const weak = await scoreOf({ ...answers, ...toAnswers(weakMitigation) });
    expect(sumOf(weakMitigation)).toBe(16);
    expect(weak).toMatchObject({ rawImpactScore: 86, mitigationScore: 16, mitigationReductionApplied: false, impactScore: 86, impactLevel: 'III' });
  });

  it('lowers the known answer set to level II with strong mitigation', async () => {
    const implementationQuestions = form.questions.filter((question) => question.page.endsWith('Implementation'));
    // All implementation-phase mitigation questions at their highest choice, which is what
    // shows their follow-up questions too: 77 points, at least 62.
    const strong: AnswerSet = {};
    for (const question of implementationQuestions) {
      if (question.choices.length === 0 || maxPointsOf(question) === 0) continue;
      strong[question.name] = question.type === 'checkbox' ? question.choices.map((choice) => choice.value) : question.choices.reduce((best, choice) => (choice.points > best.points ? choice : best)).value;
    }
    expect(pointsOfAnswers(strong, 'mitigation', form.questions)).toBe(77);

    const score = await scoreOf({ ...toAnswers(recidivismToolAnswers), ...strong });
    // 86 × 0.85 = 73.1, rounded 73; 73 / 167 = 43.71 %, at most a half: level II.
    expect(score).toMatchObject({ rawImpactScore: 86, mitigationScore: 77, maxMitigationScore: 77, mitigationReductionApplied: true, impactScore: 73, impactPercent: 43.71, impactLevel: 'II' });
    // Questions the answers show but leave open are listed; those they hide are not.
    expect(score.unansweredQuestions).toEqual(expect.arrayContaining(['businessDrivers1', 'businessDrivers11', 'aboutSystem1']));
    for (const hidden of ['aboutAlgorithm8A', 'impact27', 'riskProfile9', 'consultationDesign1']) expect(score.unansweredQuestions).not.toContain(hidden);
  });

  const boundaries: { name: string; raw: number; mitigation: number; impactScore: number; level: string }[] = [
    { name: 'no points', raw: 0, mitigation: 0, impactScore: 0, level: 'I' },
    { name: 'top of level I', raw: 41, mitigation: 0, impactScore: 41, level: 'I' },
    { name: 'bottom of level II', raw: 42, mitigation: 0, impactScore: 42, level: 'II' },
    { name: 'top of level II', raw: 83, mitigation: 0, impactScore: 83, level: 'II' },
    { name: 'bottom of level III', raw: 84, mitigation: 0, impactScore: 84, level: 'III' },
    { name: 'top of level III', raw: 125, mitigation: 0, impactScore: 125, level: 'III' },
    { name: 'bottom of level IV', raw: 126, mitigation: 0, impactScore: 126, level: 'IV' },
    // Mitigation of 61 is below 61.6, so no reduction.
    { name: 'mitigation just short of 80 %', raw: 42, mitigation: 61, impactScore: 42, level: 'II' },
    // 42 × 0.85 = 35.7, rounded 36.
    { name: 'mitigation at 80 %', raw: 42, mitigation: 62, impactScore: 36, level: 'I' },
    // 48 × 0.85 = 40.8 → 41; 49 × 0.85 = 41.65 → 42.
    { name: 'reduced top of level I', raw: 48, mitigation: 62, impactScore: 41, level: 'I' },
    { name: 'reduced bottom of level II', raw: 49, mitigation: 62, impactScore: 42, level: 'II' },
    // 98 × 0.85 = 83.3 → 83; 99 × 0.85 = 84.15 → 84.
    { name: 'reduced top of level II', raw: 98, mitigation: 62, impactScore: 83, level: 'II' },
    { name: 'reduced bottom of level III', raw: 99, mitigation: 62, impactScore: 84, level: 'III' },
    // 147 × 0.85 = 124.95 → 125; 148 × 0.85 = 125.8 → 126.
    { name: 'reduced top of level III', raw: 147, mitigation: 62, impactScore: 125, level: 'III' },
    { name: 'reduced bottom of level IV', raw: 148, mitigation: 62, impactScore: 126, level: 'IV' },
    // 10 × 0.85 = 8.5, which rounds up to 9.
    { name: 'reduction rounding a half up', raw: 10, mitigation: 62, impactScore: 9, level: 'I' },
  ];

  it.each(boundaries)('scores $name', async ({ raw, mitigation, impactScore, level }) => {
    const impact = answersWorth(raw, 'impact', form.questions);
    const mitigating = answersWorth(mitigation, 'mitigation', form.questions);
    const answers = { ...baseAnswers, ...impact.answers, ...mitigating.answers };
    expect(pointsOfAnswers(answers, 'impact', form.questions)).toBe(raw);
    expect(pointsOfAnswers(answers, 'mitigation', form.questions)).toBe(mitigation);

    const score = await scoreOf(answers);
    expect(score.rawImpactScore).toBe(raw);
    expect(score.mitigationScore).toBe(mitigation);
    expect(score.maxMitigationScore).toBe(77);
    expect(score.mitigationReductionApplied).toBe(mitigation >= 62);
    expect(score.impactScore).toBe(impactScore);
    expect(score.impactLevel).toBe(level);
  });

  it('scores every impact question at its maximum', async () => {
    const answers: AnswerSet = { ...baseAnswers };
    for (const question of form.questions) {
      if (!question.panel.endsWith('-RS') || maxPointsOf(question) === 0) continue;
      answers[question.name] = question.type === 'checkbox' ? question.choices.map((choice) => choice.value) : question.choices.reduce((best, choice) => (choice.points > best.points ? choice : best)).value;
    }
    expect(pointsOfAnswers(answers, 'impact', form.questions)).toBe(167);
    const score = await scoreOf(answers);
    expect(score).toMatchObject({ rawImpactScore: 167, impactScore: 167, impactPercent: 100, impactLevel: 'IV' });
  });

  it('rejects a value that is not a choice and stores nothing', async () => {
    const stored = await putAnswers({ ...baseAnswers, riskProfile1: 'item1-3' });
    expect(stored.statusCode).toBe(200);
    expect(stored.headers.etag).toBe(`"${stored.json().assessmentVersion}"`);
    const before = await server.as('administrator')('GET', `/api/impact-assessments/${assessmentId}`);
    const events = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();

    const bad = await putAnswers({ ...baseAnswers, riskProfile1: 'item3-9', riskProfile2: 'item1-3' });
    expect(bad.statusCode).toBe(400);
    const error = bad.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ path: '/answers/riskProfile1', message: '"item3-9" is not a choice of question riskProfile1; allowed values: item1-3 (Yes), item2-0 (No)' }]);

    const checkbox = await putAnswers({ ...baseAnswers, decisionSector1: 'item8-1' });
    expect(checkbox.statusCode).toBe(400);
    expect(checkbox.json().error.details[0].path).toBe('/answers/decisionSector1');
    expect(checkbox.json().error.details[0].message).toContain('takes a non-empty list of distinct values among: item1-1');

    const unknown = await putAnswers({ ...baseAnswers, riskProfile99: 'item1-3' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].message).toContain('"riskProfile99" is not a question of the Canada AIA form');

    // A mitigation answer of the implementation phase while the design phase is answered.
    const hidden = await putAnswers({ ...baseAnswers, consultationImplementation1: 'item1-2' });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.details[0].message).toContain('is shown only when {projectDetailsPhase} = "item2"');

    const stale = await server.as('risk_owner')('PUT', `/api/impact-assessments/${assessmentId}/canada-aia/answers`, {
      body: { answers: baseAnswers },
      headers: { 'if-match': `"${before.json().version - 1}"` },
    });
    expect(stale.statusCode).toBe(412);

    const after = await server.as('administrator')('GET', `/api/impact-assessments/${assessmentId}`);
    expect(after.json()).toEqual(before.json());
    const answers = await server.as('administrator')('GET', `/api/impact-assessments/${assessmentId}/canada-aia/answers`);
    expect(answers.json().answers).toEqual({ ...baseAnswers, riskProfile1: 'item1-3' });
    const eventsAfter = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    expect(Number(eventsAfter.total)).toBe(Number(events.total));
  });

  it('keeps the audit chain intact', async () => {
    const answered = await database.db.selectFrom('audit_events').select('after_json').where('action', '=', 'impact_assessment.aia_answered').where('record_id', '=', assessmentId).execute();
    expect(answered.length).toBeGreaterThan(boundaries.length);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
