import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAiSystem } from '../../src/ai-systems/ai-systems.service.js';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { approveImpactAssessment, createRevision, listImpactAssessments } from '../../src/impact-assessments/impact-assessments.service.js';
import { AppError } from '../../src/platform/errors.js';
import { callerWith, testContext } from '../support/context.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

// The rule is in the impact assessment service; SQLite is enough to show it on the demo data.
describe('impact assessment approval on a stale classification', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('waits for a new classification', async () => {
    const ctx = testContext(database);
    await loadDemoIfEmpty(ctx);
    const compas = await database.db.selectFrom('ai_systems').select('id').where('name', '=', 'COMPAS recidivism risk assessment').executeTakeFirstOrThrow();
    const approved = (await listImpactAssessments(ctx, callerWith(['internal_auditor']), { aiSystemId: compas.id })).items[0]!;

    const revision = await createRevision(ctx, callerWith(['risk_owner'], 'reviser'), approved.id, {});
    await updateAiSystem(ctx, callerWith(['administrator'], 'admin'), compas.id, { deploymentEnvironments: ['production', 'staging'] });

    const failure = await approveImpactAssessment(ctx, callerWith(['approver'], 'checker'), revision.id, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('CONFLICT');
    expect((failure as AppError).message).toContain('which is stale because an input it used has changed');
  });
});
