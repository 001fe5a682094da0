import { Type, type Static } from '@sinclair/typebox';
import { roles } from '../platform/auth/roles.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion } from '../platform/validation.js';

/**
 * Schemas of role assignments, which record the AIMS role a person has for the whole
 * organization or for one AI system. They record responsibility only. What a user may do in
 * custos follows from the roles of their user account and API tokens.
 */

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const AimsRole = literalUnion(roles, { description: `Role: one of ${roles.join(', ')}` });

export const RoleAssignment = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    role: AimsRole,
    aiSystemId: Type.Union([Type.String(), Type.Null()], { description: 'The AI system the role is held for; null when it is held for the whole organization' }),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RoleAssignment', additionalProperties: false },
);
export type RoleAssignment = Static<typeof RoleAssignment>;

export const CreateRoleAssignment = Type.Object(
  {
    personId: Id,
    role: AimsRole,
    aiSystemId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Leave out or null for a role held for the whole organization' })),
  },
  { $id: 'CreateRoleAssignment', additionalProperties: false },
);
export type CreateRoleAssignment = Static<typeof CreateRoleAssignment>;

export const roleAssignmentSortKeys = ['role', 'createdAt'] as const;
export type RoleAssignmentSortKey = (typeof roleAssignmentSortKeys)[number];

export const RoleAssignmentListQuery = Type.Object(
  {
    ...PageQuery,
    personId: Type.Optional(Type.String({ maxLength: 64 })),
    role: Type.Optional(AimsRole),
    aiSystemId: Type.Optional(Type.String({ maxLength: 64, description: 'Only roles held for this AI system' })),
    organizationWide: Type.Optional(Type.Boolean({ description: 'true: only roles held for the whole organization; false: only roles held for one AI system' })),
    sort: Type.Optional(SortQuery(roleAssignmentSortKeys, 'role')),
  },
  { additionalProperties: false },
);
export type RoleAssignmentListQuery = Static<typeof RoleAssignmentListQuery>;
