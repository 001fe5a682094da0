import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LinkedClassification } from '../classification/classification.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import {
  affectedScopes,
  impactAssessmentStatuses,
  impactLikelihoods,
  impactNatures,
  impactOccurrences,
  impactOrigins,
  impactReversibilities,
  impactSeverities,
  maxTextLength,
} from './impact-assessment.js';

/** Schemas of impact assessments, their impacts, their completeness report and the Canada AIA answers and score. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const text = (description: string) => Type.String({ maxLength: maxTextLength, description: `${description}; at most ${maxTextLength} characters` });
const nullable = <T extends TSchema>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

export const ImpactAssessmentStatus = literalUnion(impactAssessmentStatuses, { description: 'draft while it may change; approved once frozen' });
export const AffectedScope = literalUnion(affectedScopes, { description: `Who the impact falls on: one of ${affectedScopes.join(', ')}` });
export const ImpactNature = literalUnion(impactNatures, { description: 'benefit or harm' });
export const ImpactOccurrence = literalUnion(impactOccurrences, { description: 'actual when observed, foreseeable when reasonably expected' });
export const ImpactOrigin = literalUnion(impactOrigins, { description: `What gives rise to the impact: one of ${impactOrigins.join(', ')}` });
export const ImpactSeverity = literalUnion(impactSeverities, { description: `Severity of a harm or size of a benefit, least to most: ${impactSeverities.join(', ')}` });
export const ImpactLikelihood = literalUnion(impactLikelihoods, { description: `Least to most likely: ${impactLikelihoods.join(', ')}` });
export const ImpactReversibility = literalUnion(impactReversibilities, { description: `How far a harm can be undone: one of ${impactReversibilities.join(', ')}` });

export const InterestedPartyEntry = Type.Object(
  {
    name: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'The party, for example "defendants" or "the court"' }),
    interest: Type.String({ maxLength: 2_000, description: 'What the party expects or stands to gain or lose' }),
  },
  { additionalProperties: false },
);

/** The content of an assessment, as ISO/IEC 42005 clause 6 and EU AI Act Art 27(1) list it. */
const contentFields = {
  scope: text('6.2: what the assessment covers and what it leaves out'),
  systemDescription: text('6.3.1: description of the AI system'),
  systemCapabilities: text('6.3.2: its functionalities and capabilities'),
  purpose: text('6.3.3: its purpose'),
  intendedUses: text('6.3.4: its intended uses'),
  unintendedUses: text('6.3.5: unintended uses and reasonably foreseeable misuse'),
  dataDescription: text('6.4: the data the system uses'),
  dataQuality: text('6.4: the quality of that data and how it is assured'),
  algorithmAndModel: text('6.5: the algorithm and model'),
  deploymentEnvironment: text('6.6: where and how the system is deployed'),
  interestedParties: Type.Array(InterestedPartyEntry, { maxItems: 200, description: '6.7: the relevant interested parties' }),
  measures: text('6.9: measures that address harms and benefits across the impacts'),
  deployerProcesses: text("Art 27(1)(a): the deployer's processes in which the system is used"),
  periodOfUse: text('Art 27(1)(b): the period over which the system is used'),
  frequencyOfUse: text('Art 27(1)(b): how often it is used'),
  affectedCategories: Type.Array(Type.String({ maxLength: 300, pattern: notBlankPattern }), {
    maxItems: 100,
    uniqueItems: true,
    description: 'Art 27(1)(c): categories of natural persons and groups likely to be affected',
  }),
  humanOversightMeasures: text('Art 27(1)(e): the human oversight measures'),
  riskMaterialisationMeasures: text('Art 27(1)(f): the measures taken if the risks materialise'),
  internalGovernance: text('Art 27(1)(f): the internal governance arrangements for that case'),
  complaintMechanisms: text('Art 27(1)(f): the complaint mechanisms'),
};

const linkFields = {
  title: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'Title of the assessment' }),
  fria: Type.Boolean({ description: 'The record also serves as the fundamental rights impact assessment of EU AI Act Art 27, so approval needs the Art 27(1)(a)-(f) content' }),
  classificationId: nullable(recordId('Classification id'), 'The classification of the AI system the assessment relies on'),
  riskIds: Type.Array(recordId('Risk id'), { maxItems: 500, uniqueItems: true, description: 'Risks of the register the assessment links to: risks of the same AI system or of the whole organization' }),
};

export const Impact = Type.Object(
  {
    id: Type.String(),
    assessmentId: Type.String(),
    position: Type.Integer({ minimum: 1, description: 'Place in the list of impacts, 1, 2, 3 …' }),
    affectedParty: Type.String({ description: 'The person, group or part of society affected' }),
    affectedScope: AffectedScope,
    description: Type.String(),
    nature: ImpactNature,
    occurrence: ImpactOccurrence,
    origin: ImpactOrigin,
    severity: ImpactSeverity,
    likelihood: ImpactLikelihood,
    reversibility: nullable(ImpactReversibility, 'How far the impact can be undone; required for a harm'),
    measures: Type.String({ description: 'Measures that address this impact' }),
    residualSeverity: nullable(ImpactSeverity, 'Severity once the measures apply'),
    residualLikelihood: nullable(ImpactLikelihood, 'Likelihood once the measures apply'),
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ImpactAssessmentImpact', additionalProperties: false },
);
export type Impact = Static<typeof Impact>;

const impactFields = {
  affectedParty: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'The person, group or part of society affected, for example "defendants awaiting a bail decision"' }),
  affectedScope: AffectedScope,
  description: Type.String({ maxLength: maxTextLength, pattern: notBlankPattern, description: 'What the impact is' }),
  nature: ImpactNature,
  occurrence: ImpactOccurrence,
  origin: ImpactOrigin,
  severity: ImpactSeverity,
  likelihood: ImpactLikelihood,
  reversibility: nullable(ImpactReversibility, 'How far the impact can be undone; required for a harm, may be null for a benefit'),
  measures: text('Measures that address this impact; required for a harm before approval'),
  residualSeverity: nullable(ImpactSeverity, 'Severity once the measures apply; send together with residualLikelihood'),
  residualLikelihood: nullable(ImpactLikelihood, 'Likelihood once the measures apply; send together with residualSeverity'),
};

export const CreateImpact = Type.Object(
  {
    affectedParty: impactFields.affectedParty,
    affectedScope: impactFields.affectedScope,
    description: impactFields.description,
    nature: impactFields.nature,
    occurrence: impactFields.occurrence,
    origin: impactFields.origin,
    severity: impactFields.severity,
    likelihood: impactFields.likelihood,
    reversibility: Type.Optional(impactFields.reversibility),
    measures: Type.Optional(impactFields.measures),
    residualSeverity: Type.Optional(impactFields.residualSeverity),
    residualLikelihood: Type.Optional(impactFields.residualLikelihood),
  },
  { $id: 'CreateImpactAssessmentImpact', additionalProperties: false },
);
export type CreateImpact = Static<typeof CreateImpact>;

export const UpdateImpact = Type.Partial(Type.Object(impactFields), { $id: 'UpdateImpactAssessmentImpact', additionalProperties: false, minProperties: 1 });
export type UpdateImpact = Static<typeof UpdateImpact>;

export const CanadaAiaStatus = Type.Object(
  {
    answeredQuestions: Type.Integer({ minimum: 0 }),
    answeredAt: Type.String({ format: 'date-time' }),
    templateSha256: Type.String({ description: 'SHA-256 of the questionnaire file the answers were checked against' }),
  },
  { additionalProperties: false },
);

const metadataFields = {
  id: Type.String(),
  aiSystemId: Type.String(),
  number: Type.Integer({ minimum: 1, description: 'Version number, 1, 2, 3 … within the AI system' }),
  status: ImpactAssessmentStatus,
  title: Type.String(),
  fria: Type.Boolean(),
  classificationId: nullable(Type.String(), 'The classification the assessment relies on'),
  classification: nullable(
    LinkedClassification,
    'Tier, impact level and stale flag of that classification as they are now, or null without one. A stale classification blocks approval.',
  ),
  basedOnId: nullable(Type.String(), 'The approved version this draft was copied from'),
  riskIds: Type.Array(Type.String()),
  authorId: Type.String({ description: 'User id of the author who started the draft' }),
  editorIds: Type.Array(Type.String(), { description: 'User ids of everyone else who changed the draft; neither they nor the author may approve it' }),
  approvedBy: nullable(Type.String(), 'User id of the approver'),
  approvedAt: nullable(Type.String({ format: 'date-time' }), 'When the version was approved'),
  approvalComment: nullable(Type.String(), 'Note kept with the approval'),
  canadaAia: nullable(CanadaAiaStatus, 'The stored Canada AIA answers, or null before any'),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const ImpactAssessment = Type.Object(
  { ...metadataFields, ...contentFields, impacts: Type.Array(Impact, { description: '6.8: actual and reasonably foreseeable impacts, in order' }) },
  { $id: 'ImpactAssessment', additionalProperties: false },
);
export type ImpactAssessment = Static<typeof ImpactAssessment>;

/** An assessment without its content, as lists show it. */
export const ImpactAssessmentSummary = Type.Object(
  { ...metadataFields, impactCount: Type.Integer({ minimum: 0 }) },
  { $id: 'ImpactAssessmentSummary', additionalProperties: false },
);
export type ImpactAssessmentSummary = Static<typeof ImpactAssessmentSummary>;

export const CreateImpactAssessment = Type.Object(
  {
    aiSystemId: recordId('The AI system assessed'),
    title: Type.Optional(linkFields.title),
    fria: Type.Optional(linkFields.fria),
    classificationId: Type.Optional(linkFields.classificationId),
    riskIds: Type.Optional(linkFields.riskIds),
    ...Type.Partial(Type.Object(contentFields)).properties,
  },
  { $id: 'CreateImpactAssessment', additionalProperties: false },
);
export type CreateImpactAssessment = Static<typeof CreateImpactAssessment>;

export const UpdateImpactAssessment = Type.Partial(Type.Object({ ...linkFields, ...contentFields }), {
  $id: 'UpdateImpactAssessment',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateImpactAssessment = Static<typeof UpdateImpactAssessment>;

export const CreateRevision = Type.Object(
  { title: Type.Optional(linkFields.title) },
  { $id: 'CreateImpactAssessmentRevision', additionalProperties: false },
);
export type CreateRevision = Static<typeof CreateRevision>;

export const ApproveImpactAssessment = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2_000, description: 'Note kept with the approval' })) },
  { $id: 'ApproveImpactAssessment', additionalProperties: false },
);
export type ApproveImpactAssessment = Static<typeof ApproveImpactAssessment>;

export const impactAssessmentSortKeys = ['number', 'createdAt', 'updatedAt'] as const;
export type ImpactAssessmentSortKey = (typeof impactAssessmentSortKeys)[number];

export const ImpactAssessmentListQuery = Type.Object(
  {
    ...PageQuery,
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only assessments of this AI system' })),
    status: Type.Optional(ImpactAssessmentStatus),
    fria: Type.Optional(Type.Boolean({ description: 'Only assessments that do (true) or do not (false) serve as a FRIA' })),
    riskId: Type.Optional(Type.String({ maxLength: 64, description: 'Only assessments linked to this risk' })),
    sort: Type.Optional(SortQuery(impactAssessmentSortKeys, 'createdAt')),
  },
  { additionalProperties: false },
);
export type ImpactAssessmentListQuery = Static<typeof ImpactAssessmentListQuery>;

export const CompletenessItem = Type.Object(
  {
    ref: Type.String({ description: 'The ISO/IEC 42005 clause 6 section (6.2 … 6.9) or the EU AI Act point, for example Art 27(1)(c)' }),
    title: Type.String(),
    complete: Type.Boolean(),
    missing: Type.Array(Type.String(), { description: 'What is missing, each naming the field to fill in' }),
  },
  { additionalProperties: false },
);

export const Completeness = Type.Object(
  {
    assessmentId: Type.String(),
    status: ImpactAssessmentStatus,
    fria: Type.Boolean(),
    readyForApproval: Type.Boolean({ description: 'True when every item below is complete' }),
    iso42005: Type.Array(CompletenessItem, { description: 'The sections of ISO/IEC 42005 clause 6' }),
    fundamentalRights: nullable(Type.Array(CompletenessItem), 'The points of EU AI Act Art 27(1), or null when the record does not serve as a FRIA'),
  },
  { $id: 'ImpactAssessmentCompleteness', additionalProperties: false },
);
export type Completeness = Static<typeof Completeness>;

/* Canada AIA */

const AiaAnswerValue = Type.Union([Type.String(), Type.Array(Type.String())], {
  description: 'The value of a choice, a list of values for a checkbox question, or text for a text question',
});

export const PutAiaAnswers = Type.Object(
  {
    // Values are checked by the service against the form, so that a wrong one is named with its allowed values.
    answers: Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
      maxProperties: 500,
      description: 'Answers by question name; this set replaces any stored before',
    }),
  },
  { $id: 'PutCanadaAiaAnswers', additionalProperties: false },
);
export type PutAiaAnswers = Static<typeof PutAiaAnswers>;

export const AiaAnswers = Type.Object(
  {
    assessmentId: Type.String(),
    assessmentVersion: Type.Integer({ minimum: 1, description: "The assessment's version, which its ETag and If-Match name" }),
    templateSha256: nullable(Type.String(), 'SHA-256 of the questionnaire file the answers were checked against'),
    answeredAt: nullable(Type.String({ format: 'date-time' }), 'When the answers were last stored'),
    answers: Type.Record(Type.String(), AiaAnswerValue),
  },
  { $id: 'CanadaAiaAnswers', additionalProperties: false },
);
export type AiaAnswers = Static<typeof AiaAnswers>;

export const AiaScore = Type.Object(
  {
    assessmentId: Type.String(),
    templateSha256: Type.String(),
    answeredAt: Type.String({ format: 'date-time' }),
    rawImpactScore: Type.Number({ description: 'Sum of the points of the answers to impact questions' }),
    maxImpactScore: Type.Number({ description: 'Most points the impact questions can give' }),
    mitigationScore: Type.Number({ description: 'Sum of the points of the answers to mitigation questions' }),
    maxMitigationScore: Type.Number({ description: 'Most points the mitigation questions of the answered project phase can give' }),
    mitigationReductionApplied: Type.Boolean({ description: 'True when the mitigation score reached 80 % of its maximum, so the impact score is the raw score less 15 %' }),
    impactScore: Type.Number({ description: 'The raw impact score, reduced by 15 % (rounded) when the mitigation score reached 80 % of its maximum' }),
    impactPercent: Type.Number({ description: 'impactScore as a percentage of maxImpactScore' }),
    impactLevel: literalUnion(['I', 'II', 'III', 'IV'] as const, { description: 'Up to 25 % level I, up to 50 % II, up to 75 % III, above that IV' }),
    unansweredQuestions: Type.Array(Type.String(), { description: 'Scored questions these answers show that have no answer yet' }),
    contributions: Type.Array(
      Type.Object(
        {
          question: Type.String(),
          scoreKind: literalUnion(['impact', 'mitigation'] as const),
          answer: AiaAnswerValue,
          points: Type.Number(),
        },
        { additionalProperties: false },
      ),
      { description: 'Every answer that adds points, in the order of the form' },
    ),
  },
  { $id: 'CanadaAiaScore', additionalProperties: false },
);
export type AiaScore = Static<typeof AiaScore>;

const LocalizedText = Type.Object({ en: Type.String(), fr: Type.String() }, { additionalProperties: false });

export const AiaTemplateQuestion = Type.Object(
  {
    name: Type.String(),
    type: literalUnion(['radiogroup', 'checkbox', 'dropdown', 'text', 'comment'] as const),
    title: LocalizedText,
    scoreKind: literalUnion(['impact', 'mitigation', 'unscored'] as const),
    visibleIf: nullable(Type.String(), 'The SurveyJS condition under which the question is asked, or null when its page always asks it'),
    maxPoints: Type.Number(),
    choices: Type.Array(Type.Object({ value: Type.String(), text: LocalizedText, points: Type.Number() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const AiaTemplate = Type.Object(
  {
    id: Type.Literal('canada-aia'),
    title: Type.String(),
    source: Type.String({ description: 'Where the questionnaire file comes from' }),
    licence: Type.String(),
    templateSha256: Type.String(),
    maxImpactScore: Type.Number(),
    scoring: Type.Object(
      {
        levelUpperBoundsPercent: Type.Array(Type.Number(), { description: 'Upper bounds of levels I, II and III as a share of the maximum impact score' }),
        mitigationThresholdPercent: Type.Number(),
        mitigationReductionPercent: Type.Number(),
      },
      { additionalProperties: false },
    ),
    counts: Type.Object(
      {
        pages: Type.Integer(),
        questions: Type.Integer(),
        choiceQuestions: Type.Integer(),
        impactQuestions: Type.Integer(),
        mitigationQuestions: Type.Integer(),
        choices: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    pages: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          title: LocalizedText,
          visibleIf: nullable(Type.String(), 'The SurveyJS condition under which the page is shown'),
          questions: Type.Array(AiaTemplateQuestion),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'CanadaAiaTemplate', additionalProperties: false },
);
export type AiaTemplate = Static<typeof AiaTemplate>;
