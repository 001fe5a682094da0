import { insertAssessment, recordCompletion } from '../assessments/assessments.service.js';
import { recordAnswer } from '../assessments/answers.service.js';
import { insertRemediationAction } from '../assessments/remediation-actions.service.js';
import { organizationFrameworkId } from '../catalogue/catalogue.js';
import { addDays, dayOf } from '../documents/document.js';
import { approveDocumentVersionIn, insertDocumentVersion } from '../documents/document-versions.service.js';
import { insertDocument } from '../documents/documents.service.js';
import { insertEvidenceLink } from '../evidence/evidence-links.service.js';
import { evidenceStoreOf, type EvidenceStore } from '../evidence/evidence-store.js';
import { insertEvidence, stageLocalFile, type ReceivedFile } from '../evidence/evidence-upload.service.js';
import { insertObjective, recordMeasurement } from '../objectives/objectives.service.js';
import { toPersonRow } from '../people/people.repository.js';
import type { Person } from '../people/person.schemas.js';
import { appendAuditEvent } from '../platform/audit/audit-trail.js';
import { systemCaller, type Caller } from '../platform/auth/caller.js';
import { toTimestamp } from '../platform/clock.js';
import type { ServiceContext } from '../platform/context.js';
import type { Db } from '../platform/database/connection.js';
import { newId } from '../platform/ids.js';
import { approveSoaVersionIn, insertSoaDraft, updateSoaEntryIn } from '../statement-of-applicability/soa.service.js';
import type { UpdateSoaEntry } from '../statement-of-applicability/soa.schemas.js';
import { readDemoGovernance, type DemoAiSystemKey, type DemoGovernanceData, type DemoPerson, type DemoSoaEntry } from './demo-governance-files.js';
import { insertDemoRiskAndImpact, type DemoRiskAndImpactCounts } from './demo-risk-and-impact.js';

/**
 * Loads the demo organization's AI management system records from examples/governance: people,
 * evidence files with their links, documents (the AI policy among them), an approved Statement of
 * Applicability, a completed gap assessment with remediation actions, and AI objectives. Then
 * demo-risk-and-impact.ts adds the risks, classifications and impact assessment. Records
 * are written through the services' in-transaction functions, so each is checked and audited as
 * an API call would be. The system user writes everything. `demoApprover` approves, except for
 * classifications and impact assessments, which `demoRiskOwner` approves.
 */

/** The second user who approves the demo's Statement of Applicability and documents, since an author may not approve their own work. */
export const demoApprover: Caller = Object.freeze({
  userId: 'demo-approver',
  username: 'demo approver',
  roles: ['approver'] as const,
  via: 'system' as const,
  requestId: null,
});

/** The demo's governance records, read and checked, with the evidence files staged in the store's temporary area. */
export interface PreparedGovernance {
  data: DemoGovernanceData;
  store: EvidenceStore;
  /** Staged evidence files by evidence key. */
  files: Map<string, ReceivedFile>;
}

/** Counts of the records that insertDemoGovernance added. */
export interface DemoGovernanceCounts {
  people: number;
  evidence: number;
  evidenceLinks: number;
  documents: number;
  approvedDocuments: number;
  soaControls: number;
  soaExcluded: number;
  assessmentAnswers: number;
  remediationActions: number;
  objectives: number;
  riskAndImpact: DemoRiskAndImpactCounts;
}

/** A KPI value to record once the transaction has committed. */
export interface PendingMeasurement {
  objectiveId: string;
  value: number;
  measuredAt: string;
  note: string;
}

export interface InsertedGovernance {
  counts: DemoGovernanceCounts;
  measurements: PendingMeasurement[];
}

const dayMs = 86_400_000;

/**
 * Reads and checks the governance files and stages the evidence files. The caller must call
 * discardDemoGovernance afterwards, whether the load succeeds or fails, to remove the staged
 * files that were not moved into the store.
 */
export async function prepareDemoGovernance(ctx: ServiceContext): Promise<PreparedGovernance> {
  const data = readDemoGovernance();
  const prepared: PreparedGovernance = { data, store: evidenceStoreOf(ctx.config), files: new Map() };
  try {
    for (const entry of data.evidence) {
      prepared.files.set(entry.key, await stageLocalFile(prepared.store, { path: entry.path, mediaType: entry.mediaType }, ctx.config.evidenceUploadLimitBytes));
    }
  } catch (error) {
    await discardDemoGovernance(prepared);
    throw error;
  }
  return prepared;
}

export async function discardDemoGovernance(prepared: PreparedGovernance): Promise<void> {
  for (const file of prepared.files.values()) await prepared.store.discard(file);
}

/**
 * Tells whether the database contains governance records or controls of the organization's own. The
 * demo adds its records only where there are none, because its Statement of Applicability decides
 * Annex A controls only and its emails and AI policy would clash with existing ones.
 */
export async function hasGovernanceRecords(db: Db): Promise<boolean> {
  const probes = [
    db.selectFrom('people').select('id').limit(1),
    db.selectFrom('soa_versions').select('id').limit(1),
    db.selectFrom('documents').select('id').limit(1),
    db.selectFrom('assessments').select('id').limit(1),
    db.selectFrom('evidence').select('id').limit(1),
    db.selectFrom('objectives').select('id').limit(1),
    db.selectFrom('catalogue_items').select('ref as id').where('framework_id', '=', organizationFrameworkId).limit(1),
  ];
  for (const probe of probes) {
    if ((await probe.executeTakeFirst()) !== undefined) return true;
  }
  return false;
}

/**
 * Writes the demo's governance records inside the caller's write transaction, or returns null
 * when the database already contains governance records. `aiSystems` maps the AI system keys the
 * files use to the ids of the systems just imported. The KPI measurements are returned, not
 * written, because recordMeasurement runs its own transaction: pass them to
 * recordDemoMeasurements after the commit.
 */
export async function insertDemoGovernance(
  trx: Db,
  now: Date,
  prepared: PreparedGovernance,
  aiSystems: Record<DemoAiSystemKey, string>,
  reason: string,
): Promise<InsertedGovernance | null> {
  if (await hasGovernanceRecords(trx)) return null;
  const { data } = prepared;
  const context: LoadContext = { trx, now, today: dayOf(now), reason, people: new Map(), evidence: new Map(), aiSystems };

  for (const person of data.people) context.people.set(person.key, await insertDemoPerson(context, person));
  const evidenceLinks = await insertDemoEvidence(context, prepared);
  const documents = await insertDemoDocuments(context, data);
  // Risks come before the Statement of Applicability: approval freezes each entry with the risks
  // whose treatments link to its control.
  const riskAndImpact = await insertDemoRiskAndImpact(trx, now, context.people, aiSystems, reason);
  const soa = await insertDemoSoa(context, data);
  const assessment = await insertDemoGapAssessment(context, data);
  const measurements = await insertDemoObjectives(context, data);

  return {
    counts: {
      people: context.people.size,
      evidence: context.evidence.size,
      evidenceLinks,
      documents: documents.total,
      approvedDocuments: documents.approved,
      soaControls: soa.controls,
      soaExcluded: soa.excluded,
      assessmentAnswers: assessment.answers,
      remediationActions: assessment.actions,
      objectives: data.objectives.length,
      riskAndImpact,
    },
    measurements,
  };
}

/** Records the KPI values that insertDemoGovernance returned, each in its own write transaction. */
export async function recordDemoMeasurements(ctx: ServiceContext, measurements: readonly PendingMeasurement[], reason: string): Promise<void> {
  for (const measurement of measurements) {
    await recordMeasurement(ctx, systemCaller, measurement.objectiveId, { value: measurement.value, measuredAt: measurement.measuredAt, note: measurement.note }, { reason });
  }
}

interface LoadContext {
  trx: Db;
  now: Date;
  /** The UTC day of `now`, from which the files' relative dates count. */
  today: string;
  reason: string;
  /** Person ids by key in people.yaml. */
  people: Map<string, string>;
  /** Evidence ids by key in evidence.yaml. */
  evidence: Map<string, string>;
  aiSystems: Record<DemoAiSystemKey, string>;
}

function personId(context: LoadContext, key: string): string {
  // readDemoGovernance has checked every key against people.yaml.
  return context.people.get(key)!;
}

function daysBefore(context: LoadContext, days: number): string {
  return toTimestamp(new Date(context.now.getTime() - days * dayMs));
}

/**
 * Inserts a person with the same record and audit event as createPerson, which runs its own
 * transaction and so cannot join the demo's.
 */
async function insertDemoPerson(context: LoadContext, entry: DemoPerson): Promise<string> {
  const timestamp = toTimestamp(context.now);
  const person: Person = {
    id: newId(),
    name: entry.name,
    email: entry.email.toLowerCase(),
    jobTitle: entry.jobTitle,
    reportsToId: entry.reportsTo === undefined ? null : personId(context, entry.reportsTo),
    isBoardMember: entry.boardMember ?? false,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  await context.trx.insertInto('people').values(toPersonRow(person)).execute();
  await appendAuditEvent(context.trx, systemCaller, context.now, { action: 'person.created', recordId: person.id, after: person, reason: context.reason });
  return person.id;
}

/** Inserts the evidence records, moves their files into the store and links them; returns the number of links. */
async function insertDemoEvidence(context: LoadContext, prepared: PreparedGovernance): Promise<number> {
  let links = 0;
  for (const entry of prepared.data.evidence) {
    const evidence = await insertEvidence(
      context.trx,
      systemCaller,
      context.now,
      prepared.store,
      prepared.files.get(entry.key)!,
      {
        title: entry.title,
        kind: entry.kind,
        description: entry.description,
        collectedAt: daysBefore(context, entry.collectedDaysAgo),
        collectedByPersonId: personId(context, entry.collectedBy),
        validUntil: entry.validUntilInDays === undefined ? null : addDays(context.today, entry.validUntilInDays),
        confidentiality: entry.confidentiality,
      },
      context.reason,
    );
    context.evidence.set(entry.key, evidence.id);

    const targets = [
      ...(entry.links.catalogueRefs ?? []).map((ref) => ({ targetType: 'catalogue_item' as const, targetId: ref })),
      ...(entry.links.aiSystems ?? []).map((system) => ({ targetType: 'ai_system' as const, targetId: context.aiSystems[system] })),
    ];
    for (const target of targets) {
      await insertEvidenceLink(context.trx, systemCaller, context.now, evidence.id, target, context.reason);
      links += 1;
    }
  }
  return links;
}

async function insertDemoDocuments(context: LoadContext, data: DemoGovernanceData): Promise<{ total: number; approved: number }> {
  let approved = 0;
  for (const entry of data.documents) {
    const document = await insertDocument(
      context.trx,
      systemCaller,
      context.now,
      {
        title: entry.title,
        kind: entry.kind,
        isAiPolicy: entry.isAiPolicy ?? false,
        ownerPersonId: personId(context, entry.owner),
        reviewIntervalMonths: entry.reviewIntervalMonths,
        retentionMonths: entry.retentionMonths,
        confidentiality: entry.confidentiality,
        catalogueRefs: entry.catalogueRefs,
      },
      context.reason,
    );
    const version = await insertDocumentVersion(context.trx, systemCaller, context.now, document.id, { content: entry.text, changeSummary: entry.changeSummary }, context.reason);
    if (entry.approve) {
      await approveDocumentVersionIn(context.trx, demoApprover, context.now, document.id, version.id, entry.approvalComment === undefined ? {} : { comment: entry.approvalComment });
      approved += 1;
    }
  }
  return { total: data.documents.length, approved };
}

/** Starts an empty draft, enters every decision of the file and has demoApprover approve it. */
async function insertDemoSoa(context: LoadContext, data: DemoGovernanceData): Promise<{ controls: number; excluded: number }> {
  const draft = await insertSoaDraft(context.trx, systemCaller, context.now, { title: data.soa.title, basedOn: 'empty' }, context.reason);
  for (const [ref, entry] of Object.entries(data.soa.entries)) {
    await updateSoaEntryIn(context.trx, systemCaller, context.now, draft.id, ref, soaPatch(context, entry), { reason: context.reason });
  }
  const approved = await approveSoaVersionIn(context.trx, demoApprover, context.now, draft.id, { comment: data.soa.approvalComment }, { reason: context.reason });
  return { controls: approved.counts.controls, excluded: approved.counts.excluded };
}

function soaPatch(context: LoadContext, entry: DemoSoaEntry): UpdateSoaEntry {
  const common = { justification: entry.justification, requirementRefs: entry.requirements ?? [], notes: entry.notes ?? '' };
  if (entry.decision === 'excluded') return { decision: 'excluded', ...common };
  return {
    decision: 'applicable',
    ...common,
    basis: entry.basis ?? [],
    // readDemoGovernance has checked that an applicable entry has a status and an owner.
    implementationStatus: entry.status!,
    ownerPersonId: personId(context, entry.owner!),
  };
}

/**
 * Creates the gap assessment, records an answer for every item and completes it, then raises the remediation
 * actions. Controls the Statement of Applicability excludes are marked not applicable with the
 * exclusion's justification.
 */
async function insertDemoGapAssessment(context: LoadContext, data: DemoGovernanceData): Promise<{ answers: number; actions: number }> {
  const file = data.gapAssessment;
  const assessment = await insertAssessment(
    context.trx,
    systemCaller,
    context.now,
    { title: file.title, description: file.description, mode: 'gap', targetLevel: file.targetLevel, leadAssessorPersonId: personId(context, file.leadAssessor) },
    context.reason,
  );

  let answers = 0;
  for (const [ref, answer] of Object.entries(file.answers)) {
    await recordAnswer(context.trx, systemCaller, context.now, assessment.id, ref, {
      maturity: answer.maturity,
      comment: answer.comment,
      ...(answer.effort !== undefined ? { effort: answer.effort } : {}),
      ...(answer.evidence !== undefined ? { evidenceIds: answer.evidence.map((key) => context.evidence.get(key)!) } : {}),
    }, { reason: context.reason });
    answers += 1;
  }
  for (const [ref, entry] of Object.entries(data.soa.entries)) {
    if (entry.decision !== 'excluded') continue;
    await recordAnswer(context.trx, systemCaller, context.now, assessment.id, ref, {
      notApplicable: true,
      notApplicableReason: `Excluded in the Statement of Applicability: ${entry.justification}`,
    }, { reason: context.reason });
    answers += 1;
  }
  await recordCompletion(context.trx, systemCaller, context.now, assessment.id, { reason: context.reason });

  for (const action of file.remediationActions) {
    await insertRemediationAction(
      context.trx,
      systemCaller,
      context.now,
      assessment.id,
      {
        itemRef: action.item,
        title: action.title,
        description: action.description,
        ownerPersonId: personId(context, action.owner),
        dueDate: addDays(context.today, action.dueInDays),
        status: action.status,
      },
      context.reason,
    );
  }
  return { answers, actions: file.remediationActions.length };
}

/** Inserts the objectives and returns their measurements, dated the given number of days before `now`. */
async function insertDemoObjectives(context: LoadContext, data: DemoGovernanceData): Promise<PendingMeasurement[]> {
  const measurements: PendingMeasurement[] = [];
  for (const entry of data.objectives) {
    const objective = await insertObjective(
      context.trx,
      systemCaller,
      context.now,
      {
        title: entry.title,
        description: entry.description,
        metricName: entry.metricName,
        targetValue: entry.targetValue,
        unit: entry.unit,
        direction: entry.direction,
        ownerPersonId: personId(context, entry.owner),
        dueDate: addDays(context.today, entry.dueInDays),
        status: entry.status,
        catalogueRefs: entry.catalogueRefs,
        aiSystemIds: (entry.aiSystems ?? []).map((system) => context.aiSystems[system]),
      },
      context.reason,
    );
    for (const measurement of entry.measurements) {
      measurements.push({ objectiveId: objective.id, value: measurement.value, measuredAt: daysBefore(context, measurement.daysAgo), note: measurement.note });
    }
  }
  return measurements;
}
