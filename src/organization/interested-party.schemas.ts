import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { interestedPartyCategories } from './interested-party.js';

/** Schemas of interested parties (ISO/IEC 42001 clause 4.2) as the API and the CLI see them. */

export const InterestedPartyCategory = literalUnion(interestedPartyCategories, {
  description: `Kind of party: one of ${interestedPartyCategories.join(', ')}`,
});

const editableFields = {
  name: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'Name of the party, unique' }),
  category: InterestedPartyCategory,
  relevantRequirements: Type.Array(Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'One requirement of the party relevant to the AIMS' }), {
    maxItems: 100,
    uniqueItems: true,
  }),
  addressedThrough: Type.String({ maxLength: 10_000, description: 'How the AIMS addresses these requirements' }),
};

export const InterestedParty = Type.Object(
  {
    id: Type.String(),
    ...editableFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'InterestedParty', additionalProperties: false },
);
export type InterestedParty = Static<typeof InterestedParty>;

export const CreateInterestedParty = Type.Object(
  {
    name: editableFields.name,
    category: editableFields.category,
    relevantRequirements: Type.Optional(editableFields.relevantRequirements),
    addressedThrough: Type.Optional(editableFields.addressedThrough),
  },
  { $id: 'CreateInterestedParty', additionalProperties: false },
);
export type CreateInterestedParty = Static<typeof CreateInterestedParty>;

export const UpdateInterestedParty = Type.Partial(Type.Object(editableFields), {
  $id: 'UpdateInterestedParty',
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateInterestedParty = Static<typeof UpdateInterestedParty>;

export const interestedPartySortKeys = ['name', 'category', 'createdAt', 'updatedAt'] as const;
export type InterestedPartySortKey = (typeof interestedPartySortKeys)[number];

export const InterestedPartyListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name, requirements and how they are addressed, ignoring case' })),
    category: Type.Optional(InterestedPartyCategory),
    sort: Type.Optional(SortQuery(interestedPartySortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type InterestedPartyListQuery = Static<typeof InterestedPartyListQuery>;
