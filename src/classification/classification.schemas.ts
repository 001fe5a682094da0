import { Type, type Static } from '@sinclair/typebox';
import { organizationRoles } from '../ai-systems/ai-system.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion } from '../platform/schema-building.js';
import { euAiActTiers, highRiskRoutes } from './eu-ai-act.js';
import { impactFactorSources, impactLevels } from './impact.js';
import { watchedInputs } from './inputs.js';

/** Schemas of the classification API: questionnaire, classifications, review tasks and settings. */

export const classificationStatuses = ['draft', 'approved', 'superseded'] as const;
export const reviewStatuses = ['open', 'done'] as const;
export const roleSources = ['request', 'ai_system'] as const;

const Role = literalUnion(organizationRoles, { description: `The organization's role for the system: one of ${organizationRoles.join(', ')}` });
const Tier = literalUnion(euAiActTiers, { description: `EU AI Act tier: one of ${euAiActTiers.join(', ')}` });
const ImpactLevel = literalUnion(impactLevels, { description: `Internal impact level: one of ${impactLevels.join(', ')}` });
const WatchedInput = literalUnion(watchedInputs);
const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AnswerValue = Type.Union([Type.String({ maxLength: 80 }), Type.Array(Type.String({ maxLength: 80 }), { maxItems: 40 })]);
export const AnswersSchema = Type.Record(Type.String({ maxLength: 80 }), AnswerValue, {
  description: 'Question id to option id, or to a list of option ids for a multiple-choice question; GET /api/classification/questionnaire lists both',
  maxProperties: 100,
});

export const ClassificationRequest = Type.Object(
  {
    // The values are checked by the questionnaire rather than here, so that an answer of the wrong
    // type gets the same message, naming the question and its options, as an unknown option.
    answers: Type.Record(Type.String(), Type.Unknown(), { description: AnswersSchema.description, maxProperties: 100 }),
    role: Type.Optional(Role),
  },
  { $id: 'ClassificationRequest', additionalProperties: false },
);
export type ClassificationRequest = Static<typeof ClassificationRequest>;

export const ApproveClassification = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000, description: 'Note kept with the approval' })) },
  { $id: 'ApproveClassification', additionalProperties: false },
);
export type ApproveClassification = Static<typeof ApproveClassification>;

const TraceAnswer = Type.Object(
  {
    question: Type.String(),
    options: Type.Array(Type.String()),
    labels: Type.Array(Type.String()),
    cites: Type.Array(Type.String(), { description: 'Legal points the chosen options stand for, such as "Annex I point 11"' }),
  },
  { additionalProperties: false },
);

const TraceEntry = Type.Object(
  {
    rule: Type.String(),
    citation: Type.String({ description: 'Article or annex point, such as "Annex III 6(d)"' }),
    title: Type.String(),
    summary: Type.String(),
    effect: Type.String(),
    answers: Type.Array(TraceAnswer, { description: 'The answers that fired the rule' }),
    dependsOn: Type.Array(Type.String(), { description: 'Earlier rules whose firing this rule read' }),
    overriddenBy: Type.Union([Type.String(), Type.Null()], { description: 'The rule that set this one aside, such as the Art 6(3) derogation' }),
  },
  { additionalProperties: false },
);

const Obligation = Type.Object(
  {
    ref: Type.String({ description: 'Catalogue ref, such as eu-ai-act:Art 26(1)' }),
    title: Type.String(),
    role: Type.String(),
    because: Type.Array(Type.String(), { description: 'Citations of the rules, or the tier, that bring the obligation' }),
  },
  { additionalProperties: false },
);

const RuleSource = Type.Object({ id: Type.String(), version: Type.String(), sha256: Type.String() }, { additionalProperties: false });

export const ClassificationResult = Type.Object(
  {
    euAiAct: Type.Object(
      {
        tier: Tier,
        tierLabel: Type.String(),
        highRiskRoutes: Type.Array(literalUnion(highRiskRoutes)),
        annexIiiDerogationApplied: Type.Boolean(),
        transparencyDuties: Type.Array(Type.String(), { description: 'Art 50 duties, which apply on top of any tier' }),
        generalPurposeModel: Type.Object({ provider: Type.Boolean(), systemicRisk: Type.Boolean() }, { additionalProperties: false }),
        role: Type.String(),
        trace: Type.Array(TraceEntry),
        obligations: Type.Array(Obligation),
      },
      { additionalProperties: false },
    ),
    gdpr: Type.Object(
      {
        dpiaRequired: Type.Boolean(),
        art22Applies: Type.Boolean(),
        art22Ground: NullableString,
        art22WithoutGround: Type.Boolean(),
        trace: Type.Array(TraceEntry),
        obligations: Type.Array(Obligation),
      },
      { additionalProperties: false },
    ),
    impact: Type.Object(
      {
        level: ImpactLevel,
        points: Type.Integer(),
        maxPoints: Type.Integer(),
        thresholds: Type.Object({ high: Type.Integer(), critical: Type.Integer() }, { additionalProperties: false }),
        levelFromPoints: ImpactLevel,
        contributions: Type.Array(
          Type.Object({ factor: Type.String(), option: Type.String(), label: Type.String(), points: Type.Integer() }, { additionalProperties: false }),
        ),
        escalations: Type.Array(
          Type.Object({ rule: Type.String(), level: ImpactLevel, summary: Type.String(), answers: Type.Array(TraceAnswer) }, { additionalProperties: false }),
        ),
        configuration: Type.Object(
          { source: literalUnion(['built-in', 'organization'] as const), settingsNumber: Type.Union([Type.Integer(), Type.Null()]) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    rules: Type.Object({ euAiAct: RuleSource, gdpr: RuleSource, impact: RuleSource }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const ClassificationInputs = Type.Object(
  {
    aiSystemVersion: Type.Integer(),
    purpose: Type.String(),
    decisionDomain: Type.String(),
    dataSources: Type.Array(
      Type.Object(
        {
          modelVersionId: Type.String(),
          datasetId: Type.String(),
          datasetName: Type.String(),
          datasetVersionId: Type.String(),
          versionLabel: Type.String(),
          purpose: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    deploymentEnvironments: Type.Array(Type.String()),
    modelVersions: Type.Array(
      Type.Object(
        { modelVersionId: Type.String(), modelName: Type.String(), versionLabel: Type.String(), environment: Type.String() },
        { additionalProperties: false },
      ),
    ),
    affectedGroups: Type.Array(Type.String()),
    autonomy: Type.String(),
    organizationRole: Type.String(),
  },
  { additionalProperties: false, description: 'The AI system facts the classification used' },
);

const staleFields = {
  stale: Type.Boolean({ description: 'True once an input the classification used has changed' }),
  staleSince: NullableTimestamp,
  staleInputs: Type.Array(WatchedInput, { description: 'The inputs that changed since the classification was computed' }),
};

/**
 * A classification's tier, impact level and stale flag, as other records embed it. An AI system
 * embeds its current classification, and an impact assessment the classification it relies on.
 */
export const LinkedClassification = Type.Object(
  {
    id: Type.String(),
    number: Type.Integer({ minimum: 1, description: 'Version number of the classification for its AI system' }),
    status: literalUnion(classificationStatuses),
    tier: Tier,
    impactLevel: ImpactLevel,
    ...staleFields,
  },
  { additionalProperties: false },
);
export type LinkedClassification = Static<typeof LinkedClassification>;

/** A preview: the result of the answers against the AI system as it is now, with nothing stored. */
export const ClassificationPreview = Type.Object(
  { aiSystemId: Type.String(), role: Role, roleSource: literalUnion(roleSources), inputs: ClassificationInputs, result: ClassificationResult },
  { $id: 'ClassificationPreview', additionalProperties: false },
);

export const Classification = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    number: Type.Integer({ minimum: 1, description: 'Version number of the classification for its AI system' }),
    status: literalUnion(classificationStatuses),
    role: Role,
    roleSource: literalUnion(roleSources, { description: 'request when the role was sent with the answers, ai_system when it was taken from the organizationRole of the AI system' }),
    answers: AnswersSchema,
    inputs: ClassificationInputs,
    result: ClassificationResult,
    tier: Tier,
    impactLevel: ImpactLevel,
    dpiaRequired: Type.Boolean(),
    art22Applies: Type.Boolean(),
    ...staleFields,
    createdBy: Type.String(),
    authors: Type.Array(Type.String(), { description: 'User ids of everyone who computed the draft; none of them may approve it' }),
    approvedBy: NullableString,
    approvedAt: NullableTimestamp,
    approvalComment: NullableString,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Classification', additionalProperties: false },
);
export type Classification = Static<typeof Classification>;

/** A classification without its answers, inputs and result, for lists and for the AI system view. */
export const ClassificationSummary = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    aiSystemName: Type.String(),
    number: Type.Integer(),
    status: literalUnion(classificationStatuses),
    role: Role,
    tier: Tier,
    impactLevel: ImpactLevel,
    dpiaRequired: Type.Boolean(),
    art22Applies: Type.Boolean(),
    ...staleFields,
    createdBy: Type.String(),
    approvedBy: NullableString,
    approvedAt: NullableTimestamp,
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ClassificationSummary = Static<typeof ClassificationSummary>;

export const ClassificationListQuery = Type.Object(
  {
    ...PageQuery,
    aiSystemId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(literalUnion(classificationStatuses, { description: 'approved lists the current classification of each AI system' })),
    tier: Type.Optional(Tier),
    impactLevel: Type.Optional(ImpactLevel),
    stale: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ClassificationListQuery = Static<typeof ClassificationListQuery>;

const RiskOwner = Type.Object({ personId: Type.String(), name: Type.String(), scope: literalUnion(['ai_system', 'organization'] as const) }, { additionalProperties: false });

export const ClassificationReview = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    aiSystemName: Type.String(),
    classificationId: Type.String({ description: 'The stale classification under review' }),
    status: literalUnion(reviewStatuses),
    assignedRole: Type.String(),
    riskOwners: Type.Array(RiskOwner, { description: 'People holding the risk owner role for the system, else for the whole organization' }),
    dueDate: Type.String({ format: 'date' }),
    overdue: Type.Boolean({ description: 'True while the review is open after its due date' }),
    changedInputs: Type.Array(WatchedInput),
    openedAt: Timestamp,
    closedAt: NullableTimestamp,
    closedBy: NullableString,
    closedByClassificationId: NullableString,
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ClassificationReview = Static<typeof ClassificationReview>;

export const ReviewListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(literalUnion(reviewStatuses)),
    aiSystemId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    overdue: Type.Optional(Type.Boolean({ description: 'true lists the open reviews past their due date' })),
  },
  { additionalProperties: false },
);
export type ReviewListQuery = Static<typeof ReviewListQuery>;

export const AiSystemClassification = Type.Object(
  {
    aiSystemId: Type.String(),
    current: Type.Union([ClassificationSummary, Type.Null()], { description: 'The approved classification in force, or null; check its stale flag' }),
    openDraft: Type.Union([ClassificationSummary, Type.Null()]),
    openReview: Type.Union([ClassificationReview, Type.Null()]),
  },
  { $id: 'AiSystemClassification', additionalProperties: false },
);
export type AiSystemClassification = Static<typeof AiSystemClassification>;

/** A condition of an escalation rule; classification/FORMAT.md describes its forms. */
const ConditionValue = Type.Unknown({ description: 'A condition such as { "question": "harm-severity", "is": "severe" }; see classification/FORMAT.md' });

export const ImpactConfigurationSchema = Type.Object(
  {
    points: Type.Record(Type.String({ maxLength: 80 }), Type.Record(Type.String({ maxLength: 80 }), Type.Integer()), {
      description: 'Points per factor and option: every factor and option of the built-in rules, 0 to 100 each',
    }),
    thresholds: Type.Object({ high: Type.Integer(), critical: Type.Integer() }, { additionalProperties: false, description: 'Lowest total for high and for critical' }),
    escalations: Type.Array(
      Type.Object(
        { id: Type.String({ maxLength: 80 }), level: literalUnion(['high', 'critical'] as const), summary: Type.String({ minLength: 1, maxLength: 600 }), when: ConditionValue },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export const UpdateClassificationSettings = Type.Object(
  {
    reviewDueDays: Type.Integer({ minimum: 1, maximum: 365, description: 'Days from a stale finding to the due date of its review' }),
    impactConfiguration: Type.Union([ImpactConfigurationSchema, Type.Null()], { description: 'The organization impact rules, or null to use the built-in rules' }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { $id: 'UpdateClassificationSettings', additionalProperties: false },
);
export type UpdateClassificationSettings = Static<typeof UpdateClassificationSettings>;

export const ClassificationSettings = Type.Object(
  {
    number: Type.Union([Type.Integer(), Type.Null()], { description: 'The stored settings version in force, or null when none was ever stored' }),
    reviewDueDays: Type.Integer(),
    impactSource: literalUnion(['built-in', 'organization'] as const),
    impactConfiguration: ImpactConfigurationSchema,
    builtInImpactConfiguration: ImpactConfigurationSchema,
    comment: NullableString,
    createdBy: NullableString,
    createdAt: NullableTimestamp,
  },
  { $id: 'ClassificationSettings', additionalProperties: false },
);
export type ClassificationSettings = Static<typeof ClassificationSettings>;

const QuestionOption = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    fires: Type.Optional(Type.Array(Type.String())),
    exclusive: Type.Optional(Type.Boolean()),
    cites: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Question = Type.Object(
  {
    id: Type.String(),
    text: Type.String(),
    help: Type.Optional(Type.String()),
    kind: literalUnion(['single', 'multiple'] as const),
    askWhen: Type.Optional(Type.Unknown()),
    options: Type.Array(QuestionOption),
  },
  { additionalProperties: false },
);
const Rule = Type.Object(
  { id: Type.String(), citation: Type.String(), title: Type.String(), summary: Type.String(), when: Type.Optional(Type.Unknown()) },
  { additionalProperties: false },
);
const Header = Type.Object(
  { id: Type.String(), title: Type.String(), version: Type.String(), regulation: Type.String(), source: Type.String(), notice: Type.String() },
  { additionalProperties: false },
);

export const QuestionnaireResponse = Type.Object(
  {
    sections: Type.Array(
      Type.Object(
        { id: literalUnion(['eu-ai-act', 'gdpr'] as const), questionnaire: Header, questions: Type.Array(Question), rules: Type.Array(Rule) },
        { additionalProperties: false },
      ),
    ),
    impact: Type.Object(
      {
        id: Type.String(),
        title: Type.String(),
        version: Type.String(),
        notice: Type.String(),
        factors: Type.Array(
          Type.Object(
            {
              id: Type.String(),
              text: Type.String(),
              help: Type.Optional(Type.String()),
              source: literalUnion(impactFactorSources),
              options: Type.Array(Type.Object({ id: Type.String(), label: Type.String() }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'ClassificationQuestionnaire', additionalProperties: false },
);
export type QuestionnaireResponse = Static<typeof QuestionnaireResponse>;
