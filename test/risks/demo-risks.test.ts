import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';
import { insertDemoRisks } from '../../src/risks/demo-risks.js';
import { listEscalations } from '../../src/risks/escalations.service.js';
import { listRisks } from '../../src/risks/risks.service.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createRiskFixtures } from './fixtures.js';

describe.each(databaseKinds)('demo risks on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startTestServer(testContext(database));
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  it('adds COMPAS risks with treatments and escalates those beyond appetite', async () => {
    const { ownerId, otherPersonId, systemId } = await createRiskFixtures(server);
    const ctx = testContext(database);
    const added = await writeTransaction(database, (trx) =>
      insertDemoRisks(trx, systemCaller, ctx.clock.now(), systemId, { riskOwnerId: ownerId, treatmentOwnerId: otherPersonId }, 'demo'),
    );
    expect(added).toBe(4);

    const risks = await listRisks(ctx, systemCaller, { aiSystemId: systemId });
    expect(risks.total).toBe(4);
    expect(risks.items.every((risk) => risk.status === 'treatment_planned')).toBe(true);
    expect(risks.items.filter((risk) => risk.beyondAppetite).map((risk) => risk.category).sort()).toEqual(['ethical', 'legal']);

    const escalations = await listEscalations(ctx, systemCaller, { status: 'open' });
    expect(escalations.total).toBe(2);

    const linked = await database.db.selectFrom('risk_treatment_controls').select('catalogue_ref').execute();
    expect(linked.map((row) => row.catalogue_ref)).toContain('iso42001:A.6.2.4');
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
