import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { teamKinds } from './team.js';

/** Schemas of teams, committees and boards with their members and chair. */

const PersonId = Type.String({ minLength: 1, maxLength: 64 });

export const TeamKind = literalUnion(teamKinds, { description: `Kind of group: one of ${teamKinds.join(', ')}` });

const editableFields = {
  name: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'Name, unique across teams, committees and boards' }),
  kind: TeamKind,
  purpose: Type.String({ maxLength: 10_000, description: 'Mandate or terms of reference' }),
  chairId: Type.Union([PersonId, Type.Null()], { description: 'Id of the person who chairs or leads the group; must be a member' }),
  memberIds: Type.Array(PersonId, { maxItems: 1_000, uniqueItems: true, description: 'Ids of the members' }),
};

export const Team = Type.Object(
  {
    id: Type.String(),
    ...editableFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Team', additionalProperties: false },
);
export type Team = Static<typeof Team>;

export const CreateTeam = Type.Object(
  {
    name: editableFields.name,
    kind: editableFields.kind,
    purpose: Type.Optional(editableFields.purpose),
    chairId: Type.Optional(editableFields.chairId),
    memberIds: Type.Optional(editableFields.memberIds),
  },
  { $id: 'CreateTeam', additionalProperties: false },
);
export type CreateTeam = Static<typeof CreateTeam>;

/** Fields a PATCH may change; `memberIds` replaces the whole membership. */
export const UpdateTeam = Type.Partial(Type.Object(editableFields), { $id: 'UpdateTeam', additionalProperties: false, minProperties: 1 });
export type UpdateTeam = Static<typeof UpdateTeam>;

export const AddTeamMember = Type.Object({ personId: PersonId }, { $id: 'AddTeamMember', additionalProperties: false });
export type AddTeamMember = Static<typeof AddTeamMember>;

export const teamSortKeys = ['name', 'kind', 'createdAt', 'updatedAt'] as const;
export type TeamSortKey = (typeof teamSortKeys)[number];

export const TeamListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in name and purpose, ignoring case' })),
    kind: Type.Optional(TeamKind),
    memberId: Type.Optional(Type.String({ maxLength: 64, description: 'Only groups this person is a member of' })),
    sort: Type.Optional(SortQuery(teamSortKeys, 'name')),
  },
  { additionalProperties: false },
);
export type TeamListQuery = Static<typeof TeamListQuery>;
