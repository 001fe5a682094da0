import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { Risk } from '../risks/risk.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { exerciseKinds, findingSeverities, findingStatuses, performerTypes } from './red-team.js';

/** Schemas of red-team exercises, independent reviews and their findings. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const nonBlank = (maxLength: number, description: string) => Type.String({ maxLength, pattern: notBlankPattern, description });
const idList = (description: string) => Type.Array(recordId(description), { maxItems: 100, uniqueItems: true });

export const ExerciseKind = literalUnion(exerciseKinds, { description: 'red_team (adversarial testing) or independent_review (assessment by someone outside the development team)' });
export const PerformerType = literalUnion(performerTypes, { description: 'internal (a team of the organization) or third_party' });
export const FindingSeverity = literalUnion(findingSeverities, { description: `Severity: one of ${findingSeverities.join(', ')}` });
export const FindingStatus = literalUnion(findingStatuses, { description: `Status: one of ${findingStatuses.join(', ')}` });

const exerciseFields = {
  kind: ExerciseKind,
  title: nonBlank(300, 'Name of the exercise or review'),
  scope: nonBlank(10_000, 'What was challenged, how, and what was out of scope'),
  aiSystemId: Type.Union([recordId('The AI system challenged'), Type.Null()], { description: 'The AI system challenged, or null for the whole AI management system' }),
  startedOn: Type.String({ format: 'date', description: 'First day of the exercise (YYYY-MM-DD)' }),
  endedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Last day of the exercise (YYYY-MM-DD), or null while it runs' }),
  performerType: PerformerType,
  performerName: nonBlank(300, 'The internal team, or the name of the third party, that performed it'),
  summary: Type.String({ maxLength: 20_000, description: 'Overall conclusions; may be empty until the exercise ends' }),
};

export const FindingCounts = Type.Object(
  { open: Type.Integer(), accepted: Type.Integer(), remediated: Type.Integer(), closed: Type.Integer() },
  { additionalProperties: false, description: 'Findings of the exercise per status' },
);

export const RedTeamExercise = Type.Object(
  {
    id: Type.String(),
    ...exerciseFields,
    findingCounts: FindingCounts,
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RedTeamExercise', additionalProperties: false },
);
export type RedTeamExercise = Static<typeof RedTeamExercise>;

export const CreateRedTeamExercise = Type.Object(
  {
    kind: exerciseFields.kind,
    title: exerciseFields.title,
    scope: exerciseFields.scope,
    aiSystemId: Type.Optional(exerciseFields.aiSystemId),
    startedOn: exerciseFields.startedOn,
    endedOn: Type.Optional(exerciseFields.endedOn),
    performerType: exerciseFields.performerType,
    performerName: exerciseFields.performerName,
    summary: Type.Optional(exerciseFields.summary),
  },
  { $id: 'CreateRedTeamExercise', additionalProperties: false },
);
export type CreateRedTeamExercise = Static<typeof CreateRedTeamExercise>;

export const UpdateRedTeamExercise = Type.Partial(Type.Object(exerciseFields), { $id: 'UpdateRedTeamExercise', additionalProperties: false, minProperties: 1 });
export type UpdateRedTeamExercise = Static<typeof UpdateRedTeamExercise>;

export const exerciseSortKeys = ['startedOn', 'title', 'createdAt', 'updatedAt'] as const;
export type ExerciseSortKey = (typeof exerciseSortKeys)[number];

export const RedTeamExerciseListQuery = Type.Object(
  {
    ...PageQuery,
    kind: Type.Optional(ExerciseKind),
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only exercises that challenged this AI system' })),
    performerType: Type.Optional(PerformerType),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title, scope and performer, ignoring case' })),
    sort: Type.Optional(SortQuery(exerciseSortKeys, 'startedOn')),
  },
  { additionalProperties: false },
);
export type RedTeamExerciseListQuery = Static<typeof RedTeamExerciseListQuery>;

const findingFields = {
  title: nonBlank(300, 'Short statement of the finding'),
  description: Type.String({ maxLength: 20_000, description: 'What was found, how it was shown and what it affects' }),
  severity: FindingSeverity,
  status: FindingStatus,
  resolution: Type.String({ maxLength: 10_000, description: 'Why the finding is accepted, or how it was remediated; required for those statuses' }),
  threatRefs: Type.Array(CatalogueRef, { maxItems: 100, uniqueItems: true, description: 'Threat library items the finding concerns, for example mitre-atlas:AML.T0051' }),
  testedRiskIds: idList('Risks of the register the exercise put to the test'),
  raisedRiskIds: idList('Risks the finding revealed'),
  evidenceIds: idList('Evidence records that document the finding, such as the test report'),
};

export const RedTeamFinding = Type.Object(
  {
    id: Type.String(),
    exerciseId: Type.String(),
    aiSystemId: Type.Union([Type.String(), Type.Null()], { description: 'The AI system of the exercise' }),
    number: Type.Integer({ minimum: 1, description: 'Number of the finding within its exercise' }),
    ...findingFields,
    createdBy: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RedTeamFinding', additionalProperties: false },
);
export type RedTeamFinding = Static<typeof RedTeamFinding>;

export const CreateRedTeamFinding = Type.Object(
  {
    title: findingFields.title,
    description: Type.Optional(findingFields.description),
    severity: findingFields.severity,
    status: Type.Optional(literalUnion(['open', 'accepted', 'remediated'] as const, { description: 'Status to start in: open (the default), accepted or remediated' })),
    resolution: Type.Optional(findingFields.resolution),
    threatRefs: Type.Optional(findingFields.threatRefs),
    testedRiskIds: Type.Optional(findingFields.testedRiskIds),
    raisedRiskIds: Type.Optional(findingFields.raisedRiskIds),
    evidenceIds: Type.Optional(findingFields.evidenceIds),
  },
  { $id: 'CreateRedTeamFinding', additionalProperties: false },
);
export type CreateRedTeamFinding = Static<typeof CreateRedTeamFinding>;

export const UpdateRedTeamFinding = Type.Partial(Type.Object(findingFields), { $id: 'UpdateRedTeamFinding', additionalProperties: false, minProperties: 1 });
export type UpdateRedTeamFinding = Static<typeof UpdateRedTeamFinding>;

export const findingSortKeys = ['number', 'severity', 'status', 'createdAt', 'updatedAt'] as const;
export type FindingSortKey = (typeof findingSortKeys)[number];

export const RedTeamFindingListQuery = Type.Object(
  {
    ...PageQuery,
    exerciseId: Type.Optional(Type.String({ maxLength: 64, description: 'Only findings of this exercise' })),
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only findings of exercises on this AI system' })),
    severity: Type.Optional(FindingSeverity),
    status: Type.Optional(FindingStatus),
    threatRef: Type.Optional(Type.String({ maxLength: 200, description: 'Only findings that concern this threat library item' })),
    riskId: Type.Optional(Type.String({ maxLength: 64, description: 'Only findings that test or raised this risk' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title and description, ignoring case' })),
    sort: Type.Optional(SortQuery(findingSortKeys, 'createdAt')),
  },
  { additionalProperties: false },
);
export type RedTeamFindingListQuery = Static<typeof RedTeamFindingListQuery>;

export const FindingRiskCreated = Type.Object(
  { finding: RedTeamFinding, risk: Risk },
  { $id: 'FindingRiskCreated', additionalProperties: false, description: 'The new risk, and the finding that now lists it among the risks it raised' },
);
export type FindingRiskCreated = Static<typeof FindingRiskCreated>;
