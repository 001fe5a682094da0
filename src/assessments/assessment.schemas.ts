import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { assessmentModes, assessmentStatuses, efforts, findingKinds, maxSampleSeed, remediationStatuses } from './assessment.js';
import { defaultTargetLevel, maxMaturityLevel, minMaturityLevel } from './maturity.js';

/** Schemas of gap assessments, mock audits, their answers, results and remediation actions. */

const nonBlank = (max: number, description: string) => Type.String({ maxLength: max, pattern: notBlankPattern, description });
const text = (max: number, description: string) => Type.String({ maxLength: max, description });
const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const nullable = <T extends TSchema>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

export const AssessmentMode = literalUnion(assessmentModes, {
  description: 'gap: every clause leaf and control in scope gets a maturity level; mock_audit: a seeded random sample of controls gets audit findings',
});
export const AssessmentStatus = literalUnion(assessmentStatuses, { description: 'in_progress while answers may change; completed once frozen' });
export const Effort = literalUnion(efforts, { description: `Rough effort to close the gap: one of ${efforts.join(', ')}` });
export const FindingKind = literalUnion(findingKinds, { description: `Audit finding on a sampled control: one of ${findingKinds.join(', ')}` });
export const RemediationStatus = literalUnion(remediationStatuses, { description: `Progress of the action: one of ${remediationStatuses.join(', ')}` });

const MaturityValue = Type.Integer({
  minimum: minMaturityLevel,
  maximum: maxMaturityLevel,
  description: `Maturity level ${minMaturityLevel} to ${maxMaturityLevel}; GET /api/assessments/maturity-scale lists the criteria of each`,
});
const TargetLevel = Type.Integer({ minimum: 1, maximum: maxMaturityLevel, description: `Maturity level the organization aims for, 1 to ${maxMaturityLevel}` });
const Weight = Type.Integer({ minimum: 1, maximum: 3, description: 'Risk weight 1 (low) to 3 (high)' });
const Timestamp = Type.String({ format: 'date-time' });

export const MaturityLevelDefinition = Type.Object(
  {
    level: Type.Integer({ minimum: minMaturityLevel, maximum: maxMaturityLevel }),
    name: Type.String(),
    criteria: Type.String({ description: 'What the assessor must see for an item to reach this level' }),
  },
  { $id: 'MaturityLevelDefinition', additionalProperties: false },
);

export const MaturityScale = Type.Object(
  { levels: Type.Array(MaturityLevelDefinition), defaultTargetLevel: Type.Integer() },
  { $id: 'MaturityScale', additionalProperties: false },
);
export type MaturityScale = Static<typeof MaturityScale>;

const Progress = Type.Object(
  {
    itemCount: Type.Integer({ minimum: 0, description: 'Items in scope: every answer row of the assessment' }),
    answeredCount: Type.Integer({ minimum: 0, description: 'Items with a maturity level (gap) or a finding (mock audit)' }),
    notApplicableCount: Type.Integer({ minimum: 0 }),
    unansweredCount: Type.Integer({ minimum: 0 }),
    findingCounts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Number of sampled controls per finding kind; empty for a gap assessment' }),
  },
  { additionalProperties: false },
);

const assessmentRecordFields = {
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  mode: AssessmentMode,
  includeOrganizationControls: Type.Boolean({ description: "Whether the organization's own controls are in scope beside ISO/IEC 42001" }),
  targetLevel: TargetLevel,
  status: AssessmentStatus,
  leadAssessorPersonId: nullable(Type.String(), 'Person who leads the assessment, or null'),
  sampleSize: nullable(Type.Integer({ minimum: 1 }), 'Number of controls a mock audit sampled; null for a gap assessment'),
  seed: nullable(Type.Integer({ minimum: 0, maximum: maxSampleSeed }), 'Seed of the mock audit sample; the same seed over the same controls draws the same sample'),
  startedAt: Timestamp,
  completedAt: nullable(Timestamp, 'When the assessment was completed and frozen, or null'),
  createdBy: Type.String({ description: 'User id of the creator' }),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** An assessment as the audit trail records it: without the progress figures, which move with every answer. */
export const AssessmentRecord = Type.Object(assessmentRecordFields, { additionalProperties: false });
export type AssessmentRecord = Static<typeof AssessmentRecord>;

export const Assessment = Type.Object({ ...assessmentRecordFields, progress: Progress }, { $id: 'Assessment', additionalProperties: false });
export type Assessment = Static<typeof Assessment>;

export const CreateAssessment = Type.Object(
  {
    title: nonBlank(200, 'Title of the assessment, for example "Readiness review before stage 1"'),
    description: Type.Optional(text(10_000, 'Purpose, scope notes and method')),
    mode: Type.Optional(AssessmentMode),
    includeOrganizationControls: Type.Optional(
      Type.Boolean({ description: "Put the organization's own controls (framework org) in scope beside ISO/IEC 42001; default false" }),
    ),
    targetLevel: Type.Optional({ ...TargetLevel, description: `${TargetLevel.description}; default ${defaultTargetLevel}` }),
    leadAssessorPersonId: Type.Optional(nullable(recordId('Person id'), 'Person who leads the assessment')),
    sampleSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: 'mock_audit only and required there: number of controls to sample, at most the controls in scope' }),
    ),
    seed: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: maxSampleSeed,
        description: `mock_audit only: seed of the sample, 0 to ${maxSampleSeed}; the server picks and records one when it is omitted`,
      }),
    ),
  },
  { $id: 'CreateAssessment', additionalProperties: false },
);
export type CreateAssessment = Static<typeof CreateAssessment>;

export const UpdateAssessment = Type.Object(
  {
    title: Type.Optional(CreateAssessment.properties.title),
    description: Type.Optional(text(10_000, 'Purpose, scope notes and method')),
    targetLevel: Type.Optional(TargetLevel),
    leadAssessorPersonId: Type.Optional(nullable(recordId('Person id'), 'Person who leads the assessment')),
  },
  { $id: 'UpdateAssessment', additionalProperties: false, minProperties: 1 },
);
export type UpdateAssessment = Static<typeof UpdateAssessment>;

export const assessmentSortKeys = ['startedAt', 'completedAt', 'title'] as const;
export type AssessmentSortKey = (typeof assessmentSortKeys)[number];

export const AssessmentListQuery = Type.Object(
  {
    ...PageQuery,
    mode: Type.Optional(AssessmentMode),
    status: Type.Optional(AssessmentStatus),
    sort: Type.Optional({ ...SortQuery(assessmentSortKeys, 'startedAt'), default: '-startedAt' }),
  },
  { additionalProperties: false },
);
export type AssessmentListQuery = Static<typeof AssessmentListQuery>;

export const Answer = Type.Object(
  {
    assessmentId: Type.String(),
    ref: Type.String({ description: 'Catalogue ref of the item' }),
    frameworkId: Type.String(),
    itemId: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    sectionRef: nullable(Type.String(), "Top-level clause or Annex A group the item rolls up into; null for the organization's own controls"),
    position: Type.Integer({ minimum: 0, description: 'Order of the item in the questionnaire' }),
    maturity: nullable(MaturityValue, 'Maturity level given, or null while unanswered or not applicable'),
    maturityName: nullable(Type.String(), 'Name of the level on the maturity scale'),
    notApplicable: Type.Boolean(),
    notApplicableReason: nullable(Type.String(), 'Why the item does not apply; set exactly when notApplicable is true'),
    comment: Type.String(),
    evidenceIds: Type.Array(Type.String(), { description: 'Evidence records that support the answer' }),
    catalogueWeight: Weight,
    weightOverride: nullable(Weight, 'Weight the assessor set for this item, or null to use the catalogue weight'),
    weight: { ...Weight, description: 'Effective weight used in the roll-up and the remediation plan' },
    effort: nullable(Effort, 'Rough effort to close the gap, or null'),
    finding: nullable(FindingKind, 'Mock audit finding, or null'),
    findingText: Type.String({ description: 'Statement of the finding' }),
    answeredBy: nullable(Type.String(), 'User id of whoever last changed the answer'),
    answeredAt: nullable(Timestamp, 'When the answer last changed'),
    version: Type.Integer({ minimum: 1 }),
    updatedAt: Timestamp,
  },
  { $id: 'AssessmentAnswer', additionalProperties: false },
);
export type Answer = Static<typeof Answer>;

export const UpdateAnswer = Type.Object(
  {
    maturity: Type.Optional(nullable(MaturityValue, 'Maturity level 0 to 5, or null to clear it')),
    comment: Type.Optional(text(10_000, 'What the assessor saw and why the level was given')),
    evidenceIds: Type.Optional(
      Type.Array(recordId('Evidence id'), { maxItems: 100, uniqueItems: true, description: 'The complete list of evidence ids the answer cites; replaces the stored list' }),
    ),
    weight: Type.Optional(nullable(Weight, 'Weight for this item in this assessment, or null to use the catalogue weight')),
    effort: Type.Optional(nullable(Effort, 'Rough effort to close the gap, or null')),
    notApplicable: Type.Optional(Type.Boolean({ description: 'Mark the item as not applicable (needs notApplicableReason), or clear the mark' })),
    notApplicableReason: Type.Optional(nullable(text(2_000, 'Why the item does not apply'), 'Why the item does not apply')),
    finding: Type.Optional(nullable(FindingKind, 'Mock audits only: the finding on the sampled control, or null to clear it')),
    findingText: Type.Optional(text(10_000, 'Statement of the finding; required for every finding except conformity')),
  },
  { $id: 'UpdateAnswer', additionalProperties: false, minProperties: 1 },
);
export type UpdateAnswer = Static<typeof UpdateAnswer>;

export const answerStates = ['unanswered', 'answered', 'not_applicable'] as const;

export const AnswerListQuery = Type.Object(
  {
    ...PageQuery,
    state: Type.Optional(literalUnion(answerStates, { description: `Only answers in this state: one of ${answerStates.join(', ')}` })),
    section: Type.Optional(Type.String({ maxLength: 200, description: 'Only the items of this top-level clause or Annex A group, for example iso42001:6' })),
    framework: Type.Optional(Type.String({ maxLength: 64, description: 'Only items of this framework: iso42001 or org' })),
  },
  { additionalProperties: false },
);
export type AnswerListQuery = Static<typeof AnswerListQuery>;

const ScoreRow = Type.Object(
  {
    ref: nullable(Type.String(), "Ref of the top-level clause or Annex A group; null for the row of the organization's own controls"),
    itemId: nullable(Type.String(), 'Identifier of the clause or group, such as 6 or A.6'),
    title: Type.String(),
    itemCount: Type.Integer({ minimum: 0 }),
    answeredCount: Type.Integer({ minimum: 0 }),
    notApplicableCount: Type.Integer({ minimum: 0 }),
    unansweredCount: Type.Integer({ minimum: 0 }),
    weightTotal: Type.Integer({ minimum: 0, description: 'Sum of the weights of the items with a maturity level' }),
    weightedMean: nullable(Type.Number(), 'Mean maturity weighted by item weight, rounded to 2 decimals; null when no item has a level'),
    percentOfTarget: nullable(Type.Number(), 'Weighted mean as a percentage of the target level, rounded to 1 decimal; above 100 when the row exceeds the target'),
    level: nullable(Type.Integer(), 'Whole maturity level the weighted mean reaches (rounded down)'),
    levelCounts: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 6, maxItems: 6, description: 'Number of items at each level; index n counts level n' }),
  },
  { additionalProperties: false },
);

export const AssessmentScores = Type.Object(
  {
    assessmentId: Type.String(),
    title: Type.String(),
    mode: AssessmentMode,
    status: AssessmentStatus,
    targetLevel: TargetLevel,
    completedAt: nullable(Timestamp, 'When the assessment was completed, or null'),
    overall: ScoreRow,
    clauses: Type.Array(ScoreRow, { description: 'One row per top-level clause, 4 to 10, in document order' }),
    annexAGroups: Type.Array(ScoreRow, { description: 'One row per Annex A group, A.2 to A.10; A.6.1 and A.6.2 roll into A.6' }),
    organizationControls: nullable(ScoreRow, "Row of the organization's own controls, or null when they are not in scope"),
  },
  { $id: 'AssessmentScores', additionalProperties: false },
);
export type AssessmentScores = Static<typeof AssessmentScores>;
export type ScoreRow = Static<typeof ScoreRow>;

export const TrendQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type TrendQuery = Static<typeof TrendQuery>;

const ActionSummary = Type.Object(
  { id: Type.String(), title: Type.String(), status: RemediationStatus, ownerPersonId: Type.String(), dueDate: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);

export const RemediationPlanEntry = Type.Object(
  {
    ref: Type.String(),
    itemId: Type.String(),
    title: Type.String(),
    sectionRef: nullable(Type.String(), 'Top-level clause or Annex A group'),
    maturity: MaturityValue,
    targetLevel: TargetLevel,
    gap: Type.Integer({ minimum: 1, description: 'Target level minus the level reached' }),
    weight: Weight,
    priority: Type.Integer({ minimum: 1, description: 'Gap times weight; the plan lists the highest first' }),
    effort: nullable(Effort, 'Rough effort to close the gap, or null when not estimated'),
    comment: Type.String(),
    actions: Type.Array(ActionSummary, { description: 'Remediation actions already raised for the item' }),
  },
  { $id: 'RemediationPlanEntry', additionalProperties: false },
);
export type RemediationPlanEntry = Static<typeof RemediationPlanEntry>;

export const RemediationPlanQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type RemediationPlanQuery = Static<typeof RemediationPlanQuery>;

export const RemediationAction = Type.Object(
  {
    id: Type.String(),
    assessmentId: Type.String(),
    itemRef: Type.String(),
    title: Type.String(),
    description: Type.String(),
    ownerPersonId: Type.String(),
    dueDate: Type.String({ format: 'date' }),
    status: RemediationStatus,
    gap: Type.Integer({ minimum: 1, description: 'Gap when the action was raised' }),
    weight: Weight,
    priority: Type.Integer({ minimum: 1, description: 'Gap times weight when the action was raised' }),
    createdBy: Type.String(),
    doneAt: nullable(Timestamp, 'When the status became done, or null'),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'RemediationAction', additionalProperties: false },
);
export type RemediationAction = Static<typeof RemediationAction>;

const actionFields = {
  title: nonBlank(200, 'What will be done'),
  description: text(10_000, 'Details of the work and how completion will be shown'),
  ownerPersonId: recordId('Person responsible for the action'),
  dueDate: Type.String({ format: 'date', description: 'Due date as YYYY-MM-DD' }),
  status: RemediationStatus,
};

export const CreateRemediationAction = Type.Object(
  {
    itemRef: { ...CatalogueRef, description: 'Ref of an item in the remediation plan, for example iso42001:A.6.2.4' },
    title: actionFields.title,
    description: Type.Optional(actionFields.description),
    ownerPersonId: actionFields.ownerPersonId,
    dueDate: actionFields.dueDate,
    status: Type.Optional(actionFields.status),
  },
  { $id: 'CreateRemediationAction', additionalProperties: false },
);
export type CreateRemediationAction = Static<typeof CreateRemediationAction>;

export const UpdateRemediationAction = Type.Partial(Type.Object(actionFields), { $id: 'UpdateRemediationAction', additionalProperties: false, minProperties: 1 });
export type UpdateRemediationAction = Static<typeof UpdateRemediationAction>;

export const remediationActionSortKeys = ['priority', 'dueDate', 'createdAt'] as const;
export type RemediationActionSortKey = (typeof remediationActionSortKeys)[number];

export const RemediationActionListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(RemediationStatus),
    ownerPersonId: Type.Optional(Type.String({ maxLength: 64 })),
    itemRef: Type.Optional(Type.String({ maxLength: 200 })),
    sort: Type.Optional({ ...SortQuery(remediationActionSortKeys, 'priority'), default: '-priority' }),
  },
  { additionalProperties: false },
);
export type RemediationActionListQuery = Static<typeof RemediationActionListQuery>;
