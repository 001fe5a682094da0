import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSystem } from '../../src/ai-systems/ai-systems.service.js';
import { storeAiaAnswers } from '../../src/impact-assessments/canada-aia.service.js';
import { approveImpactAssessmentIn, insertImpactAssessment } from '../../src/impact-assessments/impact-assessments.service.js';
import { insertImpact } from '../../src/impact-assessments/impacts.service.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

const author = callerWith(['risk_owner'], 'author');
const approver = callerWith(['approver'], 'approver');

const content = {
  scope: 'Bail decisions',
  systemDescription: 'Risk scale',
  systemCapabilities: 'Decile scores',
  purpose: 'Inform judges',
  intendedUses: 'Advisory input',
  unintendedUses: 'Sole basis for detention',
  dataDescription: 'Criminal history',
  dataQuality: 'Checked monthly',
  algorithmAndModel: 'Regression',
  deploymentEnvironment: 'Courts',
  interestedParties: [{ name: 'Defendants', interest: 'Fair decisions' }],
  measures: 'Training of judges',
};

describe.each(databaseKinds)('impact assessment in one transaction on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let aiSystemId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    const system = await createAiSystem(ctx, callerWith(['administrator']), {
      name: 'Recidivism risk scale',
      purpose: 'Scores the risk that a defendant reoffends',
      businessUnit: 'Courts',
      lifecycleStage: 'production',
      organizationRole: 'deployer',
    });
    aiSystemId = system.id;
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  const countRows = async (table: 'impact_assessments' | 'impact_assessment_impacts' | 'audit_events'): Promise<number> =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total);

  it('rolls back every step when one fails', async () => {
    const before = await Promise.all([countRows('impact_assessments'), countRows('impact_assessment_impacts'), countRows('audit_events')]);
    const failed = writeTransaction(database, async (trx) => {
      const assessment = await insertImpactAssessment(trx, author, ctx.clock.now(), { aiSystemId, ...content });
      await insertImpact(trx, author, ctx.clock.now(), assessment.id, {
        affectedParty: 'Defendants',
        affectedScope: 'individual',
        description: 'More consistent decisions',
        nature: 'benefit',
        occurrence: 'foreseeable',
        origin: 'intended_use',
        severity: 'limited',
        likelihood: 'possible',
      });
      await storeAiaAnswers(trx, author, ctx.clock.now(), assessment.id, { answers: { riskProfile1: 'not-a-choice' } });
    });
    await expect(failed).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await Promise.all([countRows('impact_assessments'), countRows('impact_assessment_impacts'), countRows('audit_events')])).toEqual(before);
  });

  it('writes, answers and approves in one transaction', async () => {
    const approved = await writeTransaction(database, async (trx) => {
      const assessment = await insertImpactAssessment(trx, author, ctx.clock.now(), { aiSystemId, ...content });
      await insertImpact(trx, author, ctx.clock.now(), assessment.id, {
        affectedParty: 'Defendants',
        affectedScope: 'group',
        description: 'More pretrial detention after false positives',
        nature: 'harm',
        occurrence: 'actual',
        origin: 'intended_use',
        severity: 'severe',
        likelihood: 'likely',
        reversibility: 'hard_to_reverse',
        measures: 'Quarterly error-rate review',
      });
      await storeAiaAnswers(trx, author, ctx.clock.now(), assessment.id, { answers: { projectDetailsPhase: 'item2', riskProfile1: 'item1-3' } });
      return approveImpactAssessmentIn(trx, approver, ctx.clock.now(), assessment.id, {});
    });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: approver.userId, authorId: author.userId });
    expect(approved.impacts).toHaveLength(1);
    expect(approved.canadaAia?.answeredQuestions).toBe(2);
  });
});
