import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { raciResponsibilities } from './raci.js';

/** Schemas of RACI assignments per AI system. Each names one party: a person or a team. */

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const RaciResponsibility = literalUnion(raciResponsibilities, { description: `One of ${raciResponsibilities.join(', ')}` });

export const RaciAssignment = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    activity: Type.String(),
    responsibility: RaciResponsibility,
    personId: Type.Union([Type.String(), Type.Null()]),
    teamId: Type.Union([Type.String(), Type.Null()]),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RaciAssignment', additionalProperties: false },
);
export type RaciAssignment = Static<typeof RaciAssignment>;

export const CreateRaciAssignment = Type.Object(
  {
    activity: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'The activity, for example "deployment approval"; compared ignoring case' }),
    responsibility: RaciResponsibility,
    personId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'The person; give exactly one of personId and teamId' })),
    teamId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'The team, committee or board; give exactly one of personId and teamId' })),
  },
  { $id: 'CreateRaciAssignment', additionalProperties: false },
);
export type CreateRaciAssignment = Static<typeof CreateRaciAssignment>;

export const raciSortKeys = ['activity', 'responsibility', 'createdAt'] as const;
export type RaciSortKey = (typeof raciSortKeys)[number];

export const RaciListQuery = Type.Object(
  {
    ...PageQuery,
    activity: Type.Optional(Type.String({ maxLength: 200, description: 'Only this activity, ignoring case' })),
    responsibility: Type.Optional(RaciResponsibility),
    personId: Type.Optional(Type.String({ maxLength: 64 })),
    teamId: Type.Optional(Type.String({ maxLength: 64 })),
    sort: Type.Optional(SortQuery(raciSortKeys, 'activity')),
  },
  { additionalProperties: false },
);
export type RaciListQuery = Static<typeof RaciListQuery>;
