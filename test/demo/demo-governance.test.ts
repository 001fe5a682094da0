import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/assessments/answers.service.js';
import { listAssessments } from '../../src/assessments/assessments.service.js';
import { listRemediationActions } from '../../src/assessments/remediation-actions.service.js';
import { getScores } from '../../src/assessments/results.service.js';
import { readDemoGovernance } from '../../src/demo/demo-governance-files.js';
import { examplesDirectory, loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { getDocumentedInformationRegister } from '../../src/documents/documented-information.service.js';
import { listDocuments } from '../../src/documents/documents.service.js';
import { listEvidence, listReviewDue } from '../../src/evidence/evidence.service.js';
import { verifyEvidenceFiles } from '../../src/evidence/evidence-verify.service.js';
import { listObjectives } from '../../src/objectives/objectives.service.js';
import { createPerson } from '../../src/people/people.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { openDatabase } from '../../src/platform/database/connection.js';
import { exportSoa, getCurrentSoaVersion, readEntries } from '../../src/statement-of-applicability/soa.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { countRows } from '../inventory/inventory-fixtures.js';

const reader = callerWith(['internal_auditor']);

/** The maturity levels a control may have in the gap assessment, given its implementation status in the SoA. */
const levelsForStatus: Record<string, number[]> = {
  implemented: [3, 4, 5],
  partially_implemented: [2],
  planned: [1],
  not_started: [0],
};

async function countGovernanceRows(database: TestDatabase) {
  const count = async (table: 'people' | 'soa_versions' | 'documents' | 'document_versions' | 'assessments' | 'evidence' | 'evidence_links' | 'objectives' | 'objective_measurements' | 'remediation_actions') => {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  };
  return {
    people: await count('people'),
    soaVersions: await count('soa_versions'),
    documents: await count('documents'),
    documentVersions: await count('document_versions'),
    assessments: await count('assessments'),
    remediationActions: await count('remediation_actions'),
    evidence: await count('evidence'),
    evidenceLinks: await count('evidence_links'),
    objectives: await count('objectives'),
    measurements: await count('objective_measurements'),
  };
}

describe.each(databaseKinds)('demo governance records on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('approves a fully decided SoA', async () => {
    const version = await getCurrentSoaVersion(ctx, reader);
    expect(version.status).toBe('approved');
    expect(version.createdBy).toBe('system');
    expect(version.approvedBy).toBe('demo-approver');
    expect(version.counts.controls).toBe(38);
    expect(version.counts.undecided).toBe(0);
    expect(version.counts.excluded).toBeGreaterThanOrEqual(2);
    expect(version.counts.excluded).toBeLessThanOrEqual(4);
    for (const status of ['implemented', 'partiallyImplemented', 'planned', 'notStarted'] as const) {
      expect(version.counts[status], status).toBeGreaterThan(0);
    }
  });

  it('justifies every SoA decision', async () => {
    const entries = await readEntries(database.db, (await getCurrentSoaVersion(ctx, reader)).id);
    expect(entries).toHaveLength(38);
    const excluded = entries.filter((entry) => entry.decision === 'excluded');
    expect(excluded.map((entry) => entry.controlRef)).toEqual(['iso42001:A.7.2', 'iso42001:A.10.4']);
    for (const entry of entries) {
      expect(entry.justification.length, entry.controlRef).toBeGreaterThan(40);
      if (entry.decision === 'applicable') {
        expect(entry.basis.length, entry.controlRef).toBeGreaterThan(0);
        expect(entry.ownerName, entry.controlRef).not.toBeNull();
      }
    }
    const logs = entries.find((entry) => entry.controlRef === 'iso42001:A.6.2.8')!;
    expect(logs.requirementRefs).toEqual(['eu-ai-act:Art 12', 'eu-ai-act:Art 26(6)']);
    expect(logs.evidence.map((evidence) => evidence.title)).toEqual(['Event log retention settings']);
  });

  it('exports the SoA to XLSX with 38 rows', async () => {
    const exported = await exportSoa(ctx, reader, undefined, 'xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const controls: string[] = [];
    sheet.eachRow((row, number) => {
      if (number > 1) controls.push(String(row.getCell(1).value));
    });
    expect(controls).toHaveLength(38);
    expect(controls.every((control) => /^A\.\d+\.\d+(\.\d+)?$/.test(control))).toBe(true);
  });

  it('completes the gap assessment', async () => {
    const assessments = await listAssessments(ctx, reader, {});
    expect(assessments.total).toBe(1);
    const assessment = assessments.items[0]!;
    expect(assessment.status).toBe('completed');

    const scores = await getScores(ctx, reader, assessment.id);
    expect(scores.clauses.map((row) => row.itemId)).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    expect(scores.annexAGroups.map((row) => row.itemId)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
    expect(scores.overall.itemCount).toBe(70);
    expect(scores.overall.unansweredCount).toBe(0);
    expect(scores.overall.notApplicableCount).toBe(2);
    for (const row of [...scores.clauses, ...scores.annexAGroups]) expect(row.weightedMean, row.itemId ?? '').not.toBeNull();
  });

  it('matches maturity to SoA status', async () => {
    const assessment = (await listAssessments(ctx, reader, {})).items[0]!;
    const answers = await listAnswers(ctx, reader, assessment.id, { limit: 100 });
    const entries = new Map((await readEntries(database.db, (await getCurrentSoaVersion(ctx, reader)).id)).map((entry) => [entry.controlRef, entry]));
    const controls = answers.items.filter((answer) => answer.kind === 'control');
    expect(controls).toHaveLength(38);
    for (const answer of controls) {
      const entry = entries.get(answer.ref)!;
      if (entry.decision === 'excluded') {
        expect(answer.notApplicable, answer.ref).toBe(true);
        expect(answer.notApplicableReason, answer.ref).toContain(entry.justification);
      } else {
        expect(levelsForStatus[entry.implementationStatus!], `${answer.ref} is ${entry.implementationStatus}`).toContain(answer.maturity);
      }
    }
  });

  it('raises remediation actions with owners', async () => {
    const assessment = (await listAssessments(ctx, reader, {})).items[0]!;
    const actions = await listRemediationActions(ctx, reader, assessment.id, {});
    expect(actions.total).toBe(3);
    const today = ctx.clock.now().toISOString().slice(0, 10);
    for (const action of actions.items) {
      expect(action.ownerPersonId).not.toBe('');
      expect(action.dueDate > today, action.itemRef).toBe(true);
      expect(action.gap, action.itemRef).toBeGreaterThan(0);
    }
  });

  it('registers the approved AI policy', async () => {
    const register = await getDocumentedInformationRegister(ctx, reader);
    const policy = register.items.find((item) => item.ref === 'iso42001:5.2')!;
    expect(policy.state).toBe('approved');
    expect(policy.documents.map((document) => document.title)).toEqual(['AI policy']);
    expect(register.items.find((item) => item.ref === 'iso42001:9.2.2')!.state).toBe('draft_only');
    expect(register.summary.missing).toBeLessThan(register.summary.total);

    // Records other than documents count too: the approved SoA, the objectives, and exclusions.
    const soaItem = register.items.find((item) => item.ref === 'iso42001:6.1.3')!;
    expect(soaItem.records.map((record) => record.type)).toContain('statement_of_applicability');
    expect(soaItem.state).not.toBe('missing');
    expect(register.items.find((item) => item.ref === 'iso42001:6.2')!.state).toBe('records_only');
    expect(register.items.find((item) => item.ref === 'iso42001:A.7.2')!.state).toBe('not_applicable');

    const documents = await listDocuments(ctx, reader, { isAiPolicy: true });
    expect(documents.items).toHaveLength(1);
    expect(documents.items[0]).toMatchObject({ kind: 'policy', status: 'approved', currentVersionNumber: 1 });
    expect(documents.items[0]!.catalogueRefs).toEqual(expect.arrayContaining(['iso42001:5.2', 'iso42001:A.2.2']));
    const version = await database.db.selectFrom('document_versions').selectAll().where('document_id', '=', documents.items[0]!.id).executeTakeFirstOrThrow();
    expect(version.approved_by).toBe('demo-approver');
    expect(version.author_id).toBe('system');
  });

  it('stores intact evidence files', async () => {
    const evidence = await listEvidence(ctx, reader, {});
    expect(evidence.total).toBe(4);
    const verification = await verifyEvidenceFiles(ctx, reader);
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
    expect(verification.recordsChecked).toBe(4);
  });

  it('links the validation to COMPAS', async () => {
    const compas = await database.db.selectFrom('ai_systems').select('id').where('name', '=', 'COMPAS recidivism risk assessment').executeTakeFirstOrThrow();
    const linked = await listEvidence(ctx, reader, { linkedTo: `ai_system:${compas.id}` });
    expect(linked.items.map((item) => item.title)).toEqual(['COMPAS validation summary, quarterly']);
  });

  it('lists expiring evidence as review due', async () => {
    const due = await listReviewDue(ctx, reader, { withinDays: 30 });
    expect(due.items.map((item) => [item.title, item.daysRemaining])).toEqual([['COMPAS validation summary, quarterly', 10]]);
  });

  it('measures the AI objectives', async () => {
    const objectives = await listObjectives(ctx, reader, {});
    expect(objectives.total).toBe(2);
    for (const objective of objectives.items) {
      expect(objective.currentValue, objective.title).not.toBeNull();
      expect(objective.targetMet, objective.title).toBe(false);
    }
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('loads governance records once', async () => {
    const before = await countGovernanceRows(database);
    expect(before).toMatchObject({ people: 6, soaVersions: 1, documents: 3, assessments: 1, evidence: 4, objectives: 2, measurements: 3 });
    expect(await loadDemoIfEmpty(testContext(database))).toBeNull();
    expect(await countGovernanceRows(database)).toEqual(before);
  });

  it('skips governance when people exist', async () => {
    const other = await openTestDatabase(kind);
    try {
      const otherCtx = testContext(other);
      await createPerson(otherCtx, callerWith(['administrator']), { name: 'Existing person' });
      expect(await loadDemoIfEmpty(otherCtx)).toEqual({ aiSystems: 391 });
      expect(await countGovernanceRows(other)).toMatchObject({ people: 1, soaVersions: 0, documents: 0, assessments: 0, evidence: 0, objectives: 0 });
      expect((await verifyAuditChain(other.db)).ok).toBe(true);
    } finally {
      await other.cleanup();
    }
  });

  // better-sqlite3 blocks a second connection in the same process; demo-processes.test.ts covers
  // two processes on both databases.
  it.skipIf(kind === 'sqlite')('loads governance once for two connections', async () => {
    const shared = await openTestDatabase(kind);
    const second = await openDatabase({ ...shared.settings });
    try {
      const results = await Promise.all([loadDemoIfEmpty(testContext(shared)), loadDemoIfEmpty(testContext({ ...shared, ...second }))]);
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await countGovernanceRows(shared)).toMatchObject({ people: 6, soaVersions: 1, assessments: 1, evidence: 4, measurements: 3 });
      expect((await countRows(shared.db)).aiSystems).toBe(391);
      expect((await verifyEvidenceFiles(testContext(shared), reader)).ok).toBe(true);
    } finally {
      await second.close();
      await shared.cleanup();
    }
  });
});

describe('demo governance files', () => {
  it('decide each Annex A control once', () => {
    const refs = Object.keys(readDemoGovernance().soa.entries);
    expect(refs).toHaveLength(38);
    expect(refs.filter((ref) => !/^iso42001:A\.\d+\.\d+(\.\d+)?$/.test(ref))).toEqual([]);
  });

  it('answer every item not excluded', () => {
    const data = readDemoGovernance();
    const excluded = Object.entries(data.soa.entries).filter(([, entry]) => entry.decision === 'excluded');
    expect(Object.keys(data.gapAssessment.answers).length + excluded.length).toBe(70);
  });

  it('give the AI policy 400 to 800 words', () => {
    const policy = readDemoGovernance().documents.find((document) => document.isAiPolicy)!;
    const words = policy.text.split(/\s+/).filter((word) => /\w/.test(word)).length;
    expect(words).toBeGreaterThanOrEqual(400);
    expect(words).toBeLessThanOrEqual(800);
  });

  // The validation summary states figures computed from the COMPAS data; this recomputes them with
  // the record selection the summary describes.
  it('state COMPAS figures that the data gives', () => {
    const records = parse(fs.readFileSync(path.join(examplesDirectory, 'compas/compas-scores-two-years.csv')), { columns: true, relax_column_count: true }) as Record<string, string>[];
    const selected = records.filter(
      (record) =>
        record.days_b_screening_arrest !== '' &&
        Math.abs(Number(record.days_b_screening_arrest)) <= 30 &&
        record.is_recid !== '-1' &&
        record.c_charge_degree !== 'O' &&
        record.score_text !== 'N/A',
    );
    const falsePositiveRate = (race: string) => {
      const negatives = selected.filter((record) => record.race === race && record.two_year_recid === '0');
      return (100 * negatives.filter((record) => record.score_text !== 'Low').length) / negatives.length;
    };
    const african = falsePositiveRate('African-American');
    const caucasian = falsePositiveRate('Caucasian');

    const summary = fs.readFileSync(path.join(examplesDirectory, 'governance/evidence/compas-validation-summary.md'), 'utf8');
    expect(summary).toContain(`Records kept: ${selected.length.toLocaleString('en-US')} of ${records.length.toLocaleString('en-US')}`);
    expect(summary).toContain(`| African-American | 3,175 | 52.3 % | ${african.toFixed(1)} % |`);
    expect(summary).toContain(`| Caucasian | 2,103 | 39.1 % | ${caucasian.toFixed(1)} % |`);
    expect(summary).toContain(`| ${(african - caucasian).toFixed(1)} points | no |`);

    const fairness = readDemoGovernance().objectives.find((objective) => objective.aiSystems?.includes('compas'))!;
    expect(fairness.measurements[0]!.value).toBe(Number((african - caucasian).toFixed(1)));
  });
});
