import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern, SortQuery } from '../platform/schema-building.js';
import { escalationOutcomes, escalationStatuses, manualOutcomes } from './escalation.js';
import { maxAxisSize } from './matrix.js';
import { riskStatuses, settableRiskStatuses, treatmentOptions, treatmentStatuses } from './risk.js';
import { ActingRole, Band } from './risk-settings.schemas.js';

/** Schemas of risks, their ratings, treatments, escalations and acceptances. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const personId = recordId('Id of a person in the people register');
const level = (axis: string) => Type.Integer({ minimum: 1, maximum: maxAxisSize, description: `${axis} level on the active matrix, from 1` });

export const RiskStatus = literalUnion(riskStatuses, { description: `One of ${riskStatuses.join(', ')}` });
const SettableRiskStatus = literalUnion(settableRiskStatuses, {
  description: `One of ${settableRiskStatuses.join(', ')}; accepted is reached through an acceptance`,
});

export const RatingInput = Type.Object({ likelihood: level('Likelihood'), impact: level('Impact') }, { additionalProperties: false });
export type RatingInput = Static<typeof RatingInput>;

export const RiskRating = Type.Object(
  {
    likelihood: Type.Integer({ minimum: 1 }),
    impact: Type.Integer({ minimum: 1 }),
    score: Type.Integer({ minimum: 1, description: 'likelihood × impact' }),
    band: Band,
    matrixId: Type.String(),
    matrixNumber: Type.Integer({ minimum: 1, description: 'Version of the matrix the rating used' }),
    onActiveMatrix: Type.Boolean({ description: 'False when the matrix has been recalibrated since; rate the risk again to use the new calibration' }),
  },
  { additionalProperties: false },
);
export type RiskRating = Static<typeof RiskRating>;

const riskFields = {
  title: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'Short name of the risk' }),
  description: Type.String({ maxLength: 10_000, description: 'What could happen, to whom, and why' }),
  aiSystemId: Type.Union([recordId('Id of the AI system the risk concerns'), Type.Null()], { description: 'The AI system the risk concerns, or null for an organization-wide risk' }),
  riskSourceRef: Type.String({ ...CatalogueRef, description: 'The risk source, an ISO/IEC 42001 Annex C item of kind risk-source such as iso42001:C.3.4' }),
  threat: Type.Union([Type.String({ maxLength: 2_000 }), Type.Null()], { description: 'The threat or event that could cause the risk' }),
  objectiveRef: Type.String({ ...CatalogueRef, description: 'The objective at stake, an Annex C item of kind organizational-objective such as iso42001:C.2.5' }),
  category: Type.String({ minLength: 1, maxLength: 64, description: "Key of a risk category: ethical, legal, operational or one of the organization's own" }),
  ownerPersonId: personId,
  inherent: Type.Union([RatingInput, Type.Null()], { description: 'Likelihood and impact before treatment, or null while unrated' }),
  residual: Type.Union([RatingInput, Type.Null()], { description: 'Likelihood and impact left after treatment, or null until assessed' }),
};

export const Risk = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    scope: literalUnion(['ai_system', 'organization'] as const, { description: 'ai_system when the risk concerns one AI system, organization otherwise' }),
    aiSystemId: Type.Union([Type.String(), Type.Null()]),
    riskSourceRef: Type.String(),
    threat: Type.Union([Type.String(), Type.Null()]),
    objectiveRef: Type.String(),
    category: Type.String(),
    ermCategory: Type.Union([Type.String(), Type.Null()], { description: "The category's mapping in the organization's ERM taxonomy" }),
    ownerPersonId: Type.String(),
    inherent: Type.Union([RiskRating, Type.Null()]),
    residual: Type.Union([RiskRating, Type.Null()]),
    status: RiskStatus,
    beyondAppetite: Type.Boolean({ description: "True when the current score (residual, else inherent) is above the category's appetite" }),
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Risk', additionalProperties: false },
);
export type Risk = Static<typeof Risk>;

export const CreateRisk = Type.Object(
  {
    title: riskFields.title,
    description: Type.Optional(riskFields.description),
    aiSystemId: Type.Optional(riskFields.aiSystemId),
    riskSourceRef: riskFields.riskSourceRef,
    threat: Type.Optional(riskFields.threat),
    objectiveRef: riskFields.objectiveRef,
    category: riskFields.category,
    ownerPersonId: riskFields.ownerPersonId,
    inherent: Type.Optional(riskFields.inherent),
    residual: Type.Optional(riskFields.residual),
    status: Type.Optional(SettableRiskStatus),
  },
  { $id: 'CreateRisk', additionalProperties: false },
);
export type CreateRisk = Static<typeof CreateRisk>;

export const UpdateRisk = Type.Partial(Type.Object({ ...riskFields, status: SettableRiskStatus }), { $id: 'UpdateRisk', additionalProperties: false, minProperties: 1 });
export type UpdateRisk = Static<typeof UpdateRisk>;

export const riskSortKeys = ['title', 'status', 'score', 'createdAt', 'updatedAt'] as const;

/** Ratings the level and band filters can apply to; current is the residual rating, else the inherent one. */
export const ratingKinds = ['current', 'inherent', 'residual'] as const;
export type RatingKind = (typeof ratingKinds)[number];

/**
 * States of a risk's treatments, ignoring cancelled ones: none planned; open (one planned or in
 * progress); overdue (one planned or in progress past its due date, UTC); completed (all done).
 */
export const treatmentStates = ['none', 'open', 'overdue', 'completed'] as const;
export type TreatmentState = (typeof treatmentStates)[number];
export type RiskSortKey = (typeof riskSortKeys)[number];

export const RiskListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title, description and threat, ignoring case' })),
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only risks of this AI system' })),
    scope: Type.Optional(literalUnion(['ai_system', 'organization'] as const, { description: 'Only risks of AI systems, or only organization-wide risks' })),
    category: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(RiskStatus),
    ownerPersonId: Type.Optional(Type.String({ maxLength: 64 })),
    beyondAppetite: Type.Optional(Type.Boolean()),
    rating: Type.Optional(literalUnion(ratingKinds, { description: 'Rating that likelihood, impact and band filter on: current (residual, else inherent; the default), inherent or residual' })),
    likelihood: Type.Optional(level('Likelihood')),
    impact: Type.Optional(level('Impact')),
    band: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Key of the band of the rating, such as high' })),
    treatment: Type.Optional(literalUnion(treatmentStates, { description: `State of the treatments, cancelled ones aside: one of ${treatmentStates.join(', ')}` })),
    escalated: Type.Optional(Type.Boolean({ description: 'true: only risks with an open escalation; false: only risks without one' })),
    sort: Type.Optional(SortQuery(riskSortKeys, 'title')),
  },
  { additionalProperties: false },
);
export type RiskListQuery = Static<typeof RiskListQuery>;

export const Treatment = Type.Object(
  {
    id: Type.String(),
    riskId: Type.String(),
    option: literalUnion(treatmentOptions),
    description: Type.String(),
    controlRefs: Type.Array(Type.String(), { description: 'Annex A controls and the organization\'s own controls that carry out the treatment' }),
    ownerPersonId: Type.String(),
    dueDate: Type.String({ format: 'date' }),
    successMetric: Type.String(),
    status: literalUnion(treatmentStatuses),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Treatment', additionalProperties: false },
);
export type Treatment = Static<typeof Treatment>;

const treatmentFields = {
  option: literalUnion(treatmentOptions, { description: `How the risk is treated: ${treatmentOptions.join(', ')}` }),
  description: Type.String({ maxLength: 10_000, pattern: notBlankPattern, description: 'What will be done' }),
  controlRefs: Type.Array(CatalogueRef, {
    maxItems: 100,
    uniqueItems: true,
    description: "Controls that carry out the treatment: Annex A (iso42001:A.x.y) or the organization's own (org:…); they show as linked risks in the Statement of Applicability",
  }),
  ownerPersonId: { ...personId, description: 'Id of the person who owns the treatment; required' },
  dueDate: Type.String({ format: 'date', description: 'Day the treatment is due (YYYY-MM-DD)' }),
  successMetric: Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'How the organization will know the treatment worked' }),
  status: literalUnion(treatmentStatuses, { description: `One of ${treatmentStatuses.join(', ')}` }),
};

export const CreateTreatment = Type.Object(
  {
    option: treatmentFields.option,
    description: treatmentFields.description,
    controlRefs: Type.Optional(treatmentFields.controlRefs),
    ownerPersonId: treatmentFields.ownerPersonId,
    dueDate: treatmentFields.dueDate,
    successMetric: treatmentFields.successMetric,
    status: Type.Optional(treatmentFields.status),
  },
  { $id: 'CreateTreatment', additionalProperties: false },
);
export type CreateTreatment = Static<typeof CreateTreatment>;

export const UpdateTreatment = Type.Partial(Type.Object(treatmentFields), { $id: 'UpdateTreatment', additionalProperties: false, minProperties: 1 });
export type UpdateTreatment = Static<typeof UpdateTreatment>;

export const TreatmentParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), treatmentId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const Escalation = Type.Object(
  {
    id: Type.String(),
    riskId: Type.String(),
    riskTitle: Type.String(),
    category: Type.String(),
    score: Type.Integer({ description: 'The score that was beyond appetite when the escalation opened' }),
    maxScore: Type.Integer({ description: "The category's appetite at that time" }),
    band: Type.String(),
    escalateToRole: ActingRole,
    openedBy: Type.String({ description: 'User id of the user whose change put the risk beyond appetite' }),
    openedAt: Type.String({ format: 'date-time' }),
    dueDate: Type.String({ format: 'date' }),
    status: literalUnion(escalationStatuses),
    overdue: Type.Boolean({ description: 'True while open after its due date' }),
    resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    resolvedBy: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.Union([literalUnion(escalationOutcomes), Type.Null()]),
    resolutionNote: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer({ minimum: 1 }),
  },
  { $id: 'Escalation', additionalProperties: false },
);
export type Escalation = Static<typeof Escalation>;

export const EscalationListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(literalUnion(escalationStatuses)),
    overdue: Type.Optional(Type.Boolean({ description: 'true: only open escalations past their due date; false: only those not overdue' })),
    role: Type.Optional(ActingRole),
    riskId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type EscalationListQuery = Static<typeof EscalationListQuery>;

export const ResolveEscalation = Type.Object(
  {
    outcome: literalUnion(manualOutcomes, { description: `The decision taken: ${manualOutcomes.join(', ')}. Accepting the risk goes through POST /api/risks/{id}/acceptances` }),
    note: Type.String({ maxLength: 5_000, pattern: notBlankPattern, description: 'What was decided and why' }),
  },
  { $id: 'ResolveEscalation', additionalProperties: false },
);
export type ResolveEscalation = Static<typeof ResolveEscalation>;

export const Acceptance = Type.Object(
  {
    id: Type.String(),
    riskId: Type.String(),
    matrixId: Type.String(),
    likelihood: Type.Integer(),
    impact: Type.Integer(),
    band: Type.String(),
    bandOrder: Type.Integer(),
    acceptedBy: Type.String({ description: 'User id of the approver' }),
    acceptedByUsername: Type.String(),
    authorityRole: ActingRole,
    rationale: Type.String(),
    reviewDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    acceptedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Acceptance', additionalProperties: false },
);
export type Acceptance = Static<typeof Acceptance>;

export const AcceptRisk = Type.Object(
  {
    rationale: Type.String({ maxLength: 5_000, pattern: notBlankPattern, description: 'Why the residual risk is acceptable' }),
    reviewDate: Type.Optional(Type.String({ format: 'date', description: 'Day the acceptance is to be reviewed (YYYY-MM-DD)' })),
  },
  { $id: 'AcceptRisk', additionalProperties: false },
);
export type AcceptRisk = Static<typeof AcceptRisk>;

export const AcceptedRisk = Type.Object({ risk: Risk, acceptance: Acceptance }, { $id: 'AcceptedRisk', additionalProperties: false });
export type AcceptedRisk = Static<typeof AcceptedRisk>;
