import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { adjustableClock, type AdjustableClock } from '../risks/fixtures.js';

interface Page<T = unknown> {
  items: T[];
  total: number;
}

interface RiskItem {
  id: string;
  aiSystemId: string | null;
  inherent: { likelihood: number; impact: number; band: { key: string } } | null;
  residual: { likelihood: number; impact: number; band: { key: string } } | null;
}

interface TreatmentItem {
  status: string;
  dueDate: string;
}

describe.each(databaseKinds)('dashboard API on %s', (kind) => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: AdjustableClock;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clock = adjustableClock();
    const ctx = testContext(database, clock);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
    // Half a year on, treatments, evidence and reviews of the demo fall due.
    clock.advanceDays(180);
    server = await startTestServer(ctx);
  }, 180_000);
  afterAll(async () => {
    await server?.app.close();
    await database?.cleanup();
  });

  const read = async <T = Page>(url: string): Promise<T> => {
    const response = await server.as('internal_auditor')('GET', url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json() as T;
  };
  const totalOf = async (url: string) => (await read<Page>(url)).total;
  const allRisks = async (query = '') => (await read<Page<RiskItem>>(`/api/risks?limit=500${query}`)).items;

  it('counts AI systems as the register lists them', async () => {
    const summary = await read<{ aiSystems: { total: number; byLifecycleStage: { stage: string; count: number }[]; byTier: { tier: string | null; count: number }[]; staleClassifications: number } }>(
      '/api/dashboard',
    );
    const { aiSystems } = summary;
    expect(aiSystems.total).toBe(391);
    expect(aiSystems.total).toBe(await totalOf('/api/ai-systems?limit=1'));
    for (const { stage, count } of aiSystems.byLifecycleStage) {
      expect(count, stage).toBe(await totalOf(`/api/ai-systems?limit=1&lifecycleStage=${stage}`));
    }
    expect(aiSystems.byLifecycleStage.reduce((sum, entry) => sum + entry.count, 0)).toBe(aiSystems.total);

    let classified = 0;
    for (const { tier, count } of aiSystems.byTier) {
      if (tier === null) continue;
      expect(count, tier).toBe(await totalOf(`/api/ai-systems?limit=1&classificationTier=${tier}`));
      classified += count;
    }
    expect(aiSystems.byTier.find((entry) => entry.tier === 'high-risk')!.count).toBeGreaterThanOrEqual(1);
    expect(aiSystems.byTier.find((entry) => entry.tier === null)!.count).toBe(aiSystems.total - classified);
    expect(aiSystems.staleClassifications).toBe(await totalOf('/api/ai-systems?limit=1&classificationStale=true'));
  });

  it('counts each heatmap cell as the risk list filters it', async () => {
    const { risks } = await read<{ risks: { heatmap: HeatmapBody; beyondAppetite: number; escalated: number } }>('/api/dashboard');
    const { heatmap } = risks;
    const riskTotal = await totalOf('/api/risks?limit=1');
    expect(riskTotal).toBeGreaterThanOrEqual(3);
    expect(heatmap.total).toBe(riskTotal);
    expect(heatmap.cells).toHaveLength(25);
    const cellSum = heatmap.cells.reduce((sum, cell) => sum + cell.count, 0);
    expect(cellSum + heatmap.unrated + heatmap.offMatrix).toBe(riskTotal);
    expect(cellSum).toBeGreaterThanOrEqual(1);

    const items = await allRisks();
    for (const cell of heatmap.cells) {
      const expected = items.filter((risk) => {
        const current = risk.residual ?? risk.inherent;
        return current?.likelihood === cell.likelihood && current.impact === cell.impact;
      }).length;
      expect(cell.count, `cell ${cell.likelihood}×${cell.impact}`).toBe(expected);
      if (cell.count > 0) expect(await totalOf(`/api/risks?limit=1&likelihood=${cell.likelihood}&impact=${cell.impact}`)).toBe(cell.count);
    }
    expect(heatmap.unrated).toBe(items.filter((risk) => !risk.inherent).length);
    expect(risks.beyondAppetite).toBe(await totalOf('/api/risks?limit=1&beyondAppetite=true'));
    expect(risks.escalated).toBe(await totalOf('/api/risks?limit=1&escalated=true'));
  });

  it('counts the inherent rating when asked', async () => {
    const heatmap = await read<HeatmapBody>('/api/dashboard/risk-heatmap?rating=inherent');
    const items = await allRisks();
    for (const cell of heatmap.cells) {
      const expected = items.filter((risk) => risk.inherent?.likelihood === cell.likelihood && risk.inherent.impact === cell.impact).length;
      expect(cell.count, `inherent cell ${cell.likelihood}×${cell.impact}`).toBe(expected);
    }
    const residualOnly = await read<HeatmapBody>('/api/dashboard/risk-heatmap?rating=residual');
    expect(residualOnly.unrated).toBe(items.filter((risk) => !risk.residual).length);
  });

  it('filters the heatmap as the risk list', async () => {
    const facets = await read<{ aiSystems: { id: string; count: number }[]; categories: { id: string; count: number }[]; owners: { id: string; count: number }[] }>(
      '/api/dashboard/risk-facets',
    );
    const riskTotal = await totalOf('/api/risks?limit=1');
    expect(facets.categories.reduce((sum, entry) => sum + entry.count, 0)).toBe(riskTotal);
    expect(facets.owners.reduce((sum, entry) => sum + entry.count, 0)).toBe(riskTotal);
    expect(facets.aiSystems.reduce((sum, entry) => sum + entry.count, 0)).toBe(await totalOf('/api/risks?limit=1&scope=ai_system'));

    for (const category of facets.categories) {
      const heatmap = await read<HeatmapBody>(`/api/dashboard/risk-heatmap?category=${category.id}`);
      expect(heatmap.total, category.id).toBe(category.count);
      expect(heatmap.total, category.id).toBe(await totalOf(`/api/risks?limit=1&category=${category.id}`));
    }
    const system = facets.aiSystems[0]!;
    expect((await read<HeatmapBody>(`/api/dashboard/risk-heatmap?aiSystemId=${system.id}`)).total).toBe(system.count);
  });

  it('filters risks by treatment state and escalation', async () => {
    const items = await allRisks();
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    const expected = { none: new Set<string>(), open: new Set<string>(), overdue: new Set<string>(), completed: new Set<string>() };
    for (const risk of items) {
      const treatments = (await read<TreatmentItem[]>(`/api/risks/${risk.id}/treatments`)).filter((treatment) => treatment.status !== 'cancelled');
      const unfinished = treatments.filter((treatment) => treatment.status === 'planned' || treatment.status === 'in_progress');
      if (treatments.length === 0) expected.none.add(risk.id);
      if (unfinished.length > 0) expected.open.add(risk.id);
      if (unfinished.some((treatment) => treatment.dueDate < today)) expected.overdue.add(risk.id);
      if (treatments.length > 0 && unfinished.length === 0) expected.completed.add(risk.id);
    }
    expect(expected.overdue.size).toBeGreaterThanOrEqual(1);
    for (const [state, ids] of Object.entries(expected)) {
      const listed = await allRisks(`&treatment=${state}`);
      expect(new Set(listed.map((risk) => risk.id)), state).toEqual(ids);
    }

    const openEscalations = await read<Page<{ riskId: string }>>('/api/risks/escalations?status=open&limit=500');
    const escalated = await allRisks('&escalated=true');
    expect(new Set(escalated.map((risk) => risk.id))).toEqual(new Set(openEscalations.items.map((escalation) => escalation.riskId)));
    expect((await allRisks('&escalated=false')).length).toBe(items.length - escalated.length);
  });

  it('counts overdue items as their lists do', async () => {
    const { overdue } = await read<{ overdue: OverdueBody }>('/api/dashboard');
    expect(overdue.treatments.risks).toBe(await totalOf('/api/risks?limit=1&treatment=overdue'));
    expect(overdue.treatments.overdue).toBeGreaterThanOrEqual(overdue.treatments.risks);
    expect(overdue.treatments.items.length).toBe(Math.min(5, overdue.treatments.overdue));
    const dueDates = overdue.treatments.items.map((item) => item.dueDate);
    expect(dueDates).toEqual([...dueDates].sort());

    expect(overdue.escalations.overdue).toBe(await totalOf('/api/risks/escalations?limit=1&overdue=true'));
    expect(overdue.classificationReviews.open).toBe(await totalOf('/api/classification-reviews?limit=1&status=open'));
    expect(overdue.classificationReviews.overdue).toBe(await totalOf('/api/classification-reviews?limit=1&overdue=true'));
    expect(overdue.evidence.due).toBe(await totalOf('/api/evidence/review-due?limit=1&withinDays=30'));
    const evidence = await read<Page<{ expired: boolean }>>('/api/evidence/review-due?limit=500&withinDays=30');
    expect(overdue.evidence.expired).toBe(evidence.items.filter((item) => item.expired).length);
    expect(overdue.documents.due).toBe(await totalOf('/api/documents/review-due?limit=1&withinDays=30'));
    const documents = await read<Page<{ overdue: boolean }>>('/api/documents/review-due?limit=500&withinDays=30');
    expect(overdue.documents.overdue).toBe(documents.items.filter((item) => item.overdue).length);
  });

  it('shows SoA progress and maturity of the documents they come from', async () => {
    const summary = await read<{ soa: SoaBody; maturity: MaturityBody | null }>('/api/dashboard');
    const current = await read<{ id: string; number: number }>('/api/soa/current');
    expect(summary.soa).not.toBeNull();
    expect(summary.soa!.versionId).toBe(current.id);
    expect(summary.soa!.groups.map((group) => group.itemId)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
    const entries = await read<Page<{ groupRef: string | null; decision: string; implementationStatus: string | null }>>(`/api/soa/versions/${current.id}/entries?limit=500`);
    for (const group of summary.soa!.groups) {
      const inGroup = entries.items.filter((entry) => entry.groupRef === group.ref);
      expect(group.controls, group.itemId).toBe(inGroup.length);
      expect(group.applicable, group.itemId).toBe(inGroup.filter((entry) => entry.decision === 'applicable').length);
      expect(group.implemented, group.itemId).toBe(inGroup.filter((entry) => entry.implementationStatus === 'implemented').length);
      expect(group.applicable + group.excluded + group.undecided).toBe(group.controls);
    }
    expect(summary.soa!.groups.reduce((sum, group) => sum + group.controls, 0)).toBe(38);

    const trend = await read<Page<{ assessmentId: string; clauses: { itemId: string; weightedMean: number | null }[] }>>('/api/assessments/trend?limit=500');
    const latest = trend.items.at(-1);
    expect(summary.maturity?.assessmentId).toBe(latest?.assessmentId);
    if (latest) {
      expect(summary.maturity!.clauses.map((row) => [row.itemId, row.weightedMean])).toEqual(latest.clauses.map((row) => [row.itemId, row.weightedMean]));
    }
  });

  it('lists the failed measurement runs and open monitoring tasks', async () => {
    const { measurements } = await read<{ measurements: MeasurementsBody }>('/api/dashboard');
    const systems = await read<Page<{ id: string }>>('/api/ai-systems?limit=1&q=COMPAS');
    const compasFailed = await totalOf(`/api/ai-systems/${systems.items[0]!.id}/measurements?limit=1&result=failed`);
    // The demo measures only the COMPAS tool, so its failed runs are all the failed runs.
    expect(measurements.failedRuns).toBe(compasFailed);
    expect(measurements.failedRuns).toBeGreaterThanOrEqual(1);
    expect(measurements.latestFailed[0]!.aiSystemName).toMatch(/COMPAS/);
    expect(measurements.monitoringTasks.open).toBe(await totalOf('/api/monitoring-tasks?limit=1&status=open'));
  });

  it('rejects a level outside the matrix and an unknown treatment state', async () => {
    const level = await server.as('internal_auditor')('GET', '/api/dashboard/risk-heatmap?likelihood=9');
    expect(level.statusCode).toBe(400);
    expect(level.json().error.code).toBe('VALIDATION_FAILED');
    expect(level.json().error.details[0].path).toMatch(/likelihood/);
    const state = await server.as('internal_auditor')('GET', '/api/risks?treatment=late');
    expect(state.statusCode).toBe(400);
    expect(state.json().error.details[0].path).toMatch(/treatment/);
  });

  it('refuses a caller who is not signed in', async () => {
    expect((await server.anonymous('GET', '/api/dashboard')).statusCode).toBe(401);
    expect((await server.anonymous('GET', '/api/dashboard/risk-heatmap')).statusCode).toBe(401);
  });
});

interface HeatmapBody {
  cells: { likelihood: number; impact: number; band: string; count: number }[];
  total: number;
  unrated: number;
  offMatrix: number;
}

interface OverdueBody {
  classificationReviews: { open: number; overdue: number };
  treatments: { overdue: number; risks: number; items: { dueDate: string }[] };
  escalations: { overdue: number };
  evidence: { due: number; expired: number };
  documents: { due: number; overdue: number };
}

interface SoaBody {
  versionId: string;
  groups: { ref: string; itemId: string; controls: number; applicable: number; excluded: number; undecided: number; implemented: number }[];
}

interface MaturityBody {
  assessmentId: string;
  clauses: { itemId: string; weightedMean: number | null }[];
}

interface MeasurementsBody {
  failedRuns: number;
  latestFailed: { aiSystemName: string }[];
  monitoringTasks: { open: number };
}
