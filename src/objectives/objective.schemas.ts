import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { maxMagnitude, objectiveDirections, objectiveStatuses } from './objective.js';

/** Schemas of AI objectives and their KPI measurements. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const kpiNumber = (description: string) => Type.Number({ minimum: -maxMagnitude, maximum: maxMagnitude, description });

export const ObjectiveDirection = literalUnion(objectiveDirections, {
  description: 'How a KPI value meets the target: at_least (value >= target), at_most (value <= target) or equal',
});
export const ObjectiveStatus = literalUnion(objectiveStatuses, { description: `The owner's assessment: one of ${objectiveStatuses.join(', ')}` });

const objectiveFields = {
  title: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'What the objective sets out to achieve' }),
  description: Type.String({ maxLength: 10_000, description: 'Why the objective matters and how it will be reached' }),
  metricName: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'Name of the KPI that tracks the objective' }),
  targetValue: kpiNumber('Target value of the KPI'),
  unit: Type.String({ maxLength: 40, description: 'Unit of the KPI, such as %, days or incidents; empty for a plain count' }),
  direction: ObjectiveDirection,
  ownerPersonId: recordId('Id of the person who owns the objective'),
  dueDate: Type.String({ format: 'date', description: 'Day the objective is due (YYYY-MM-DD)' }),
  status: ObjectiveStatus,
  catalogueRefs: Type.Array(CatalogueRef, {
    maxItems: 200,
    uniqueItems: true,
    description: 'Clauses, controls and organizational objectives it serves, for example iso42001:6.2 and iso42001:C.2.5',
  }),
  aiSystemIds: Type.Array(recordId('AI system id'), { maxItems: 500, uniqueItems: true, description: 'AI systems the objective concerns' }),
};

export const Objective = Type.Object(
  {
    id: Type.String(),
    ...objectiveFields,
    currentValue: Type.Union([Type.Number(), Type.Null()], { description: 'Value of the latest measurement, or null before the first' }),
    measuredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the latest measurement was taken' }),
    targetMet: Type.Union([Type.Boolean(), Type.Null()], { description: 'Whether the current value meets the target; null before the first measurement' }),
    createdBy: Type.String({ description: 'User id of the user who set the objective' }),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Objective', additionalProperties: false },
);
export type Objective = Static<typeof Objective>;

export const CreateObjective = Type.Object(
  {
    title: objectiveFields.title,
    description: Type.Optional(objectiveFields.description),
    metricName: objectiveFields.metricName,
    targetValue: objectiveFields.targetValue,
    unit: Type.Optional(objectiveFields.unit),
    direction: objectiveFields.direction,
    ownerPersonId: objectiveFields.ownerPersonId,
    dueDate: objectiveFields.dueDate,
    status: Type.Optional(literalUnion(objectiveStatuses, { description: `The owner's assessment: one of ${objectiveStatuses.join(', ')}; defaults to planned` })),
    catalogueRefs: Type.Optional(objectiveFields.catalogueRefs),
    aiSystemIds: Type.Optional(objectiveFields.aiSystemIds),
  },
  { $id: 'CreateObjective', additionalProperties: false },
);
export type CreateObjective = Static<typeof CreateObjective>;

export const UpdateObjective = Type.Partial(Type.Object(objectiveFields), { $id: 'UpdateObjective', additionalProperties: false, minProperties: 1 });
export type UpdateObjective = Static<typeof UpdateObjective>;

export const objectiveSortKeys = ['title', 'dueDate', 'status', 'createdAt', 'updatedAt'] as const;
export type ObjectiveSortKey = (typeof objectiveSortKeys)[number];

export const ObjectiveListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title, description and metric name, ignoring case' })),
    status: Type.Optional(ObjectiveStatus),
    ownerPersonId: Type.Optional(Type.String({ maxLength: 64 })),
    catalogueRef: Type.Optional(Type.String({ maxLength: 200, description: 'Only objectives linked to this catalogue item' })),
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only objectives that concern this AI system' })),
    dueBefore: Type.Optional(Type.String({ format: 'date', description: 'Only objectives due on or before this day' })),
    targetMet: Type.Optional(Type.Boolean({ description: 'Only objectives whose current value meets (true) or misses (false) the target; unmeasured ones match neither' })),
    sort: Type.Optional(SortQuery(objectiveSortKeys, 'dueDate')),
  },
  { additionalProperties: false },
);
export type ObjectiveListQuery = Static<typeof ObjectiveListQuery>;

export const Measurement = Type.Object(
  {
    id: Type.String(),
    objectiveId: Type.String(),
    value: Type.Number(),
    measuredAt: Type.String({ format: 'date-time' }),
    note: Type.String(),
    recordedBy: Type.String({ description: 'User id of the user who recorded the value' }),
    recordedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Measurement', additionalProperties: false },
);
export type Measurement = Static<typeof Measurement>;

export const RecordMeasurement = Type.Object(
  {
    value: kpiNumber('Measured value of the KPI'),
    measuredAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the value was measured; defaults to now and may not lie in the future' })),
    note: Type.Optional(Type.String({ maxLength: 2_000, description: 'How the value was measured, or its source' })),
  },
  { $id: 'RecordMeasurement', additionalProperties: false },
);
export type RecordMeasurement = Static<typeof RecordMeasurement>;

export const RecordedMeasurement = Type.Object(
  { objective: Objective, measurement: Measurement },
  { $id: 'RecordedMeasurement', additionalProperties: false },
);
export type RecordedMeasurement = Static<typeof RecordedMeasurement>;

export const MeasurementListQuery = Type.Object(
  { ...PageQuery, sort: Type.Optional(SortQuery(['measuredAt'] as const, 'measuredAt')) },
  { additionalProperties: false },
);
export type MeasurementListQuery = Static<typeof MeasurementListQuery>;
