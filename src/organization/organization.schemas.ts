import { Type, type Static } from '@sinclair/typebox';
import { notBlankPattern } from '../platform/validation.js';

/** Schemas of the organization profile and the AIMS scope (ISO/IEC 42001 clause 4.3). */

const Boundary = Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'One organizational, physical or technical boundary of the AIMS' });

const profileFields = {
  name: Type.String({ maxLength: 200, pattern: notBlankPattern, description: 'Legal or common name of the organization' }),
  description: Type.String({ maxLength: 10_000, description: 'What the organization does, as context for the AIMS (clause 4.1)' }),
  scopeStatement: Type.String({ maxLength: 10_000, description: 'The AIMS scope as documented information (clause 4.3)' }),
  scopeBoundaries: Type.Array(Boundary, { maxItems: 100, uniqueItems: true, description: 'Boundaries and applicability of the AIMS' }),
};

export const Organization = Type.Object(
  {
    id: Type.String(),
    ...profileFields,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Organization', additionalProperties: false },
);
export type Organization = Static<typeof Organization>;

/** The whole profile. PUT replaces it, so every field is required and nothing is cleared by omission. */
export const PutOrganization = Type.Object(profileFields, { $id: 'PutOrganization', additionalProperties: false });
export type PutOrganization = Static<typeof PutOrganization>;

export const ScopedAiSystem = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    businessUnit: Type.String(),
    lifecycleStage: Type.String(),
    scopeJustification: Type.String({ description: 'Why the system is inside or outside the scope' }),
  },
  { additionalProperties: false },
);
export type ScopedAiSystem = Static<typeof ScopedAiSystem>;

const ScopedGroup = Type.Object(
  {
    count: Type.Integer({ minimum: 0 }),
    aiSystems: Type.Array(ScopedAiSystem, { description: 'Every system of the group, by name' }),
  },
  { additionalProperties: false },
);

export const AimsScope = Type.Object(
  {
    scopeStatement: Type.Union([Type.String(), Type.Null()], { description: 'Null until the organization profile is created with PUT /api/organization' }),
    scopeBoundaries: Type.Array(Type.String()),
    inScope: ScopedGroup,
    outOfScope: ScopedGroup,
  },
  { $id: 'AimsScope', additionalProperties: false },
);
export type AimsScope = Static<typeof AimsScope>;
