import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAiSystemClassification, getClassification } from '../../src/classification/classifications.service.js';
import { governanceDirectory } from '../../src/demo/demo-governance-files.js';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { getImpactAssessment, listImpactAssessments } from '../../src/impact-assessments/impact-assessments.service.js';
import { createPerson } from '../../src/people/people.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { listEscalations } from '../../src/risks/escalations.service.js';
import { listRisks } from '../../src/risks/risks.service.js';
import { listTreatments } from '../../src/risks/treatments.service.js';
import { getCurrentSoaVersion, readEntries } from '../../src/statement-of-applicability/soa.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

const reader = callerWith(['internal_auditor']);
const compasName = 'COMPAS recidivism risk assessment';

/** The register systems the demo classifies, with the tier and the citation their answers must produce. */
const registerSystems = [
  { name: 'GOV.UK Chat', tier: 'transparency', citation: 'Art 50(1)' },
  { name: 'Civil Service Verbal and Numerical Tests', tier: 'high-risk', citation: 'Annex III 4(a)' },
  { name: 'Living England', tier: 'minimal', citation: null },
  { name: 'Tidal Harmonic Analysis and Prediction', tier: 'minimal', citation: null },
] as const;

/** Reads a group's false positive rate, such as "42.3 %", from the results table of the COMPAS validation summary. */
function falsePositiveRate(summary: string, group: string): string {
  const row = summary.split('\n').find((line) => line.startsWith(`| ${group} |`));
  if (!row) throw new Error(`the validation summary has no row for ${group}`);
  return row.split('|')[4]!.trim();
}

async function countRiskAndImpactRows(database: TestDatabase) {
  const count = async (table: 'risks' | 'risk_treatments' | 'risk_escalations' | 'classifications' | 'impact_assessments' | 'impact_assessment_impacts') => {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  };
  return {
    risks: await count('risks'),
    treatments: await count('risk_treatments'),
    escalations: await count('risk_escalations'),
    classifications: await count('classifications'),
    impactAssessments: await count('impact_assessments'),
    impacts: await count('impact_assessment_impacts'),
  };
}

async function aiSystemIdNamed(database: TestDatabase, name: string): Promise<string> {
  const rows = await database.db.selectFrom('ai_systems').select('id').where('name', '=', name).execute();
  expect(rows, name).toHaveLength(1);
  return rows[0]!.id;
}

describe.each(databaseKinds)('demo risks, classifications and impact assessment on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ReturnType<typeof testContext>;
  let compasId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
    compasId = await aiSystemIdNamed(database, compasName);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('classifies COMPAS high-risk under Annex III 6(d)', async () => {
    const systemClassification = await getAiSystemClassification(ctx, reader, compasId);
    expect(systemClassification.current).not.toBeNull();
    expect(systemClassification.openDraft).toBeNull();
    const classification = await getClassification(ctx, reader, systemClassification.current!.id);
    expect(classification.status).toBe('approved');
    expect(classification.tier).toBe('high-risk');
    expect(classification.createdBy).toBe('system');
    expect(classification.approvedBy).toBe('demo-risk-owner');
    expect(classification.stale).toBe(false);
    const annexRule = classification.result.euAiAct.trace.find((entry) => entry.citation === 'Annex III 6(d)');
    expect(annexRule).toBeDefined();
    expect(annexRule!.overriddenBy).toBeNull();
    expect(classification.result.euAiAct.highRiskRoutes).toContain('annex-iii');
    expect(classification.dpiaRequired).toBe(true);
  });

  it('classifies register systems', async () => {
    for (const expected of registerSystems) {
      const systemClassification = await getAiSystemClassification(ctx, reader, await aiSystemIdNamed(database, expected.name));
      expect(systemClassification.current, expected.name).not.toBeNull();
      const classification = await getClassification(ctx, reader, systemClassification.current!.id);
      expect(classification.status, expected.name).toBe('approved');
      expect(classification.tier, expected.name).toBe(expected.tier);
      if (expected.citation !== null) {
        const citations = classification.result.euAiAct.trace.map((entry) => entry.citation);
        expect(citations, expected.name).toContain(expected.citation);
      }
    }
  });

  it('adds COMPAS risks with treatments and escalations', async () => {
    const risks = await listRisks(ctx, reader, { aiSystemId: compasId, limit: 100 });
    expect(risks.total).toBeGreaterThanOrEqual(3);
    for (const risk of risks.items) {
      const treatments = await listTreatments(ctx, reader, risk.id);
      expect(treatments.length, risk.title).toBeGreaterThanOrEqual(1);
    }
    const riskIds = new Set(risks.items.map((risk) => risk.id));
    const escalations = await listEscalations(ctx, reader, { limit: 100 });
    expect(escalations.items.filter((escalation) => riskIds.has(escalation.riskId)).length).toBeGreaterThanOrEqual(1);
  });

  it('shows the risks in the approved Statement of Applicability', async () => {
    const current = await getCurrentSoaVersion(ctx, reader);
    expect(current.status).toBe('approved');
    const entries = await readEntries(database.db, current.id);
    const withRisks = entries.filter((entry) => entry.linkedRisks.length > 0);
    expect(withRisks.length).toBeGreaterThan(0);
    expect(withRisks.map((entry) => entry.controlRef)).toContain('iso42001:A.7.4');
  });

  it('approves a COMPAS impact assessment linked to classification and risks', async () => {
    const assessments = await listImpactAssessments(ctx, reader, { aiSystemId: compasId });
    expect(assessments.total).toBe(1);
    const assessment = await getImpactAssessment(ctx, reader, assessments.items[0]!.id);
    expect(assessment.status).toBe('approved');
    expect(assessment.fria).toBe(true);
    expect(assessment.authorId).toBe('system');
    expect(assessment.approvedBy).toBe('demo-risk-owner');

    const classification = await getAiSystemClassification(ctx, reader, compasId);
    expect(assessment.classificationId).toBe(classification.current!.id);
    const risks = await listRisks(ctx, reader, { aiSystemId: compasId, limit: 100 });
    expect([...assessment.riskIds].sort()).toEqual(risks.items.map((risk) => risk.id).sort());

    expect(assessment.impacts.length).toBeGreaterThanOrEqual(3);
    expect(assessment.impacts.length).toBeLessThanOrEqual(5);
    expect(assessment.impacts.some((impact) => impact.nature === 'benefit')).toBe(true);
    for (const impact of assessment.impacts.filter((entry) => entry.nature === 'harm')) {
      expect(impact.measures.trim(), impact.affectedParty).not.toBe('');
    }
  });

  it('records the false positive rate gap as an impact', async () => {
    const summary = fs.readFileSync(path.join(governanceDirectory, 'evidence', 'compas-validation-summary.md'), 'utf8');
    const blackRate = falsePositiveRate(summary, 'African-American');
    const whiteRate = falsePositiveRate(summary, 'Caucasian');
    const assessments = await listImpactAssessments(ctx, reader, { aiSystemId: compasId });
    const assessment = await getImpactAssessment(ctx, reader, assessments.items[0]!.id);
    const disparity = assessment.impacts.find((impact) => impact.description.includes(blackRate));
    expect(disparity).toBeDefined();
    expect(disparity!.description).toContain(whiteRate);
    expect(disparity!.nature).toBe('harm');
    expect(disparity!.occurrence).toBe('actual');
    expect(disparity!.affectedScope).toBe('group');
  });

  it('audits every approval', async () => {
    const approvals = await database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('action', 'in', ['classification.approved', 'impact_assessment.approved'])
      .execute();
    const counts = await countRiskAndImpactRows(database);
    expect(approvals.filter((event) => event.action === 'classification.approved')).toHaveLength(counts.classifications);
    expect(approvals.filter((event) => event.action === 'impact_assessment.approved')).toHaveLength(counts.impactAssessments);
    for (const event of approvals) expect(event.actor_id).toBe('demo-risk-owner');
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('loads the records once', async () => {
    const before = await countRiskAndImpactRows(database);
    expect(before.classifications).toBe(registerSystems.length + 1);
    expect(before.impactAssessments).toBe(1);
    expect(await loadDemoIfEmpty(testContext(database))).toBeNull();
    expect(await countRiskAndImpactRows(database)).toEqual(before);
  });

  it('skips the records when people exist', async () => {
    const other = await openTestDatabase(kind);
    try {
      const otherCtx = testContext(other);
      await createPerson(otherCtx, callerWith(['administrator']), { name: 'Existing person' });
      expect(await loadDemoIfEmpty(otherCtx)).toEqual({ aiSystems: 391 });
      expect(await countRiskAndImpactRows(other)).toEqual({ risks: 0, treatments: 0, escalations: 0, classifications: 0, impactAssessments: 0, impacts: 0 });
      expect((await verifyAuditChain(other.db)).ok).toBe(true);
    } finally {
      await other.cleanup();
    }
  });
});
