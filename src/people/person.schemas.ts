import '../platform/formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { notBlankPattern } from '../platform/validation.js';

/** Schemas of people and their reporting lines as the API and the CLI see them. */

const PersonId = Type.String({ minLength: 1, maxLength: 64 });

const editableFields = {
  name: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'Full name' }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()], {
    description: 'Work email address, unique and compared ignoring case; stored in lower case',
  }),
  jobTitle: Type.String({ maxLength: 200, description: 'Job title or position' }),
  reportsToId: Type.Union([PersonId, Type.Null()], { description: 'Id of the person this person reports to; null at the top of a reporting line' }),
  isBoardMember: Type.Boolean({ description: "Whether the person sits on the organization's governing board (top management, clause 5)" }),
};

const personProperties = {
  id: Type.String(),
  ...editableFields,
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const Person = Type.Object(personProperties, { $id: 'Person', additionalProperties: false });
export type Person = Static<typeof Person>;

/** The same shape without an $id, for embedding more than once in one response (Ajv rejects a repeated $id). */
const EmbeddedPerson = Type.Object(personProperties, { additionalProperties: false });

export const CreatePerson = Type.Object(
  {
    name: editableFields.name,
    email: Type.Optional(editableFields.email),
    jobTitle: Type.Optional(editableFields.jobTitle),
    reportsToId: Type.Optional(editableFields.reportsToId),
    isBoardMember: Type.Optional(editableFields.isBoardMember),
  },
  { $id: 'CreatePerson', additionalProperties: false },
);
export type CreatePerson = Static<typeof CreatePerson>;

export const UpdatePerson = Type.Partial(Type.Object(editableFields), { $id: 'UpdatePerson', additionalProperties: false, minProperties: 1 });
export type UpdatePerson = Static<typeof UpdatePerson>;

export const ReportingLine = Type.Object(
  {
    person: EmbeddedPerson,
    chain: Type.Array(EmbeddedPerson, { description: "The person's manager, that manager's manager and so on, ending at the first board member or at the top" }),
    reachesBoard: Type.Boolean({ description: 'Whether the person is a board member or the chain ends at one' }),
  },
  { $id: 'ReportingLine', additionalProperties: false },
);
export type ReportingLine = Static<typeof ReportingLine>;

export const personSortKeys = ['name', 'email', 'jobTitle', 'createdAt', 'updatedAt'] as const;
export type PersonSortKey = (typeof personSortKeys)[number];

export const PersonListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name, email and job title, ignoring case' })),
    reportsToId: Type.Optional(Type.String({ maxLength: 64, description: 'Only the direct reports of this person' })),
    isBoardMember: Type.Optional(Type.Boolean()),
    sort: Type.Optional(SortQuery(personSortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type PersonListQuery = Static<typeof PersonListQuery>;

/**
 * At most this many ids per name lookup. It covers the largest page of a register screen, and
 * 200 UUIDs keep the request line under Node's default 16 KiB header limit.
 */
export const maxNameLookupIds = 200;

export const PersonNamesQuery = Type.Object(
  {
    ids: Type.Array(PersonId, {
      minItems: 1,
      maxItems: maxNameLookupIds,
      description: `Person ids to look up, repeating the parameter (ids=a&ids=b), 1 to ${maxNameLookupIds}`,
    }),
  },
  { additionalProperties: false },
);
export type PersonNamesQuery = Static<typeof PersonNamesQuery>;

/** A person's display name without contact data, for showing owners to every role that reads the register. */
export const PersonName = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'PersonName', additionalProperties: false });
export type PersonName = Static<typeof PersonName>;
