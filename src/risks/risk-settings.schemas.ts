import { Type, type Static } from '@sinclair/typebox';
import { roles } from '../platform/auth/roles.js';
import { literalUnion, notBlankPattern } from '../platform/schema-building.js';
import { maxAxisSize, maxBands, minAxisSize } from './matrix.js';

/**
 * Schemas of the risk register's settings: the matrix and its calibration, the categories with
 * their appetite, escalation path and ERM category, and the acceptance authority of each role.
 */

/** Roles that can act on a risk. The internal auditor only reads, so it can neither decide nor accept. */
export const actingRoles = roles.filter((role) => role !== 'internal_auditor');
export const ActingRole = literalUnion(actingRoles, { description: `A role other than internal_auditor: ${actingRoles.join(', ')}` });

const label = (description: string) => Type.String({ maxLength: 80, pattern: notBlankPattern, description });
const bandKey = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$', description: 'Key of a band, such as high: lower-case letters, digits and _' });

const ScaleLevel = Type.Object(
  {
    level: Type.Integer({ minimum: 1, maximum: maxAxisSize }),
    label: Type.String(),
    definition: Type.String({ description: 'What the level means in this organization' }),
  },
  { additionalProperties: false },
);

const ScaleLevelInput = Type.Object(
  {
    label: label('Name of the level, such as Likely'),
    definition: Type.String({ maxLength: 1_000, description: 'What the level means in this organization, for example how often or how severe' }),
  },
  { additionalProperties: false },
);

export const Band = Type.Object(
  {
    key: Type.String(),
    label: Type.String(),
    order: Type.Integer({ minimum: 1, description: 'Rank of the band, 1 being the lowest' }),
  },
  { additionalProperties: false },
);

const Cell = Type.Object(
  {
    likelihood: Type.Integer({ minimum: 1, maximum: maxAxisSize }),
    impact: Type.Integer({ minimum: 1, maximum: maxAxisSize }),
    band: Type.String({ description: 'Key of the band the cell falls in' }),
  },
  { additionalProperties: false },
);

export const RiskMatrix = Type.Object(
  {
    id: Type.String(),
    number: Type.Integer({ minimum: 1, description: 'Matrix version, 1, 2, 3 … in order of creation; each rating records the one it used' }),
    status: literalUnion(['active', 'superseded'] as const),
    likelihoodLevels: Type.Array(ScaleLevel),
    impactLevels: Type.Array(ScaleLevel),
    bands: Type.Array(Band, { description: 'Bands from lowest to highest' }),
    cells: Type.Array(Cell, { description: 'The band of every cell, row by row from likelihood 1' }),
    maxScore: Type.Integer({ description: 'Highest score (likelihood × impact) on this matrix: the top of the appetite scale' }),
    changeSummary: Type.String(),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RiskMatrix', additionalProperties: false },
);
export type RiskMatrix = Static<typeof RiskMatrix>;

export const ReplaceRiskMatrix = Type.Object(
  {
    likelihoodLevels: Type.Array(ScaleLevelInput, { minItems: minAxisSize, maxItems: maxAxisSize, description: `Likelihood levels from lowest to highest, ${minAxisSize} to ${maxAxisSize}` }),
    impactLevels: Type.Array(ScaleLevelInput, { minItems: minAxisSize, maxItems: maxAxisSize, description: `Impact levels from lowest to highest, ${minAxisSize} to ${maxAxisSize}` }),
    bands: Type.Array(Type.Object({ key: bandKey, label: label('Name of the band, such as High') }, { additionalProperties: false }), {
      minItems: 2,
      maxItems: maxBands,
      description: 'Bands from lowest to highest',
    }),
    cells: Type.Array(Cell, { maxItems: maxAxisSize * maxAxisSize, description: 'The band of every cell: one entry per likelihood and impact pair' }),
    changeSummary: Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'Why the calibration changes' }),
  },
  { $id: 'ReplaceRiskMatrix', additionalProperties: false },
);
export type ReplaceRiskMatrix = Static<typeof ReplaceRiskMatrix>;

export const EscalationPath = Type.Object(
  {
    role: ActingRole,
    deadlineDays: Type.Integer({ minimum: 1, maximum: 365, description: 'Days the role has to decide on an escalated risk' }),
  },
  { additionalProperties: false, description: 'Who decides on a risk of this category beyond appetite, and by when' },
);

export const AppetiteStatement = Type.Object(
  {
    statement: Type.String({ description: "The organization's appetite for risks of this category, in words" }),
    maxScore: Type.Integer({ description: 'Highest score (likelihood × impact) within appetite' }),
    scaleMax: Type.Integer({ description: 'Top of the scale on the active matrix' }),
    setBy: Type.String({ description: 'User id of the user who set the appetite' }),
    version: Type.Integer({ minimum: 1 }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

const categoryKey = Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z][a-z0-9_-]*$', description: 'Key of the category, such as supply_chain' });
const ermCategory = Type.Union([Type.String({ maxLength: 200, pattern: notBlankPattern }), Type.Null()], {
  description: "The category of the organization's enterprise risk management (ERM) taxonomy that this category maps to",
});

export const RiskCategory = Type.Object(
  {
    id: Type.String(),
    label: Type.String(),
    description: Type.String(),
    builtin: Type.Boolean({ description: 'True for ethical, legal and operational' }),
    escalation: EscalationPath,
    ermCategory,
    appetite: Type.Union([AppetiteStatement, Type.Null()], { description: 'Null until an appetite is stated; then no risk of the category is beyond appetite' }),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RiskCategory', additionalProperties: false },
);
export type RiskCategory = Static<typeof RiskCategory>;

export const CreateRiskCategory = Type.Object(
  {
    id: categoryKey,
    label: label('Name of the category'),
    description: Type.Optional(Type.String({ maxLength: 2_000 })),
    escalation: EscalationPath,
    ermCategory: Type.Optional(ermCategory),
  },
  { $id: 'CreateRiskCategory', additionalProperties: false },
);
export type CreateRiskCategory = Static<typeof CreateRiskCategory>;

export const UpdateRiskCategory = Type.Object(
  {
    label: Type.Optional(label('Name of the category')),
    description: Type.Optional(Type.String({ maxLength: 2_000 })),
    escalation: Type.Optional(EscalationPath),
    ermCategory: Type.Optional(ermCategory),
  },
  { $id: 'UpdateRiskCategory', additionalProperties: false, minProperties: 1 },
);
export type UpdateRiskCategory = Static<typeof UpdateRiskCategory>;

export const SetRiskAppetite = Type.Object(
  {
    statement: Type.String({ maxLength: 5_000, pattern: notBlankPattern, description: "The organization's appetite for risks of this category, in words" }),
    maxScore: Type.Integer({ description: 'Highest score (likelihood × impact) within appetite, from 1 to the top of the active matrix (25 on a 5 × 5 matrix)' }),
  },
  { $id: 'SetRiskAppetite', additionalProperties: false },
);
export type SetRiskAppetite = Static<typeof SetRiskAppetite>;

export const CategoryParams = Type.Object({ category: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const ErmMapping = Type.Object(
  {
    mappings: Type.Array(
      Type.Object({ category: Type.String({ minLength: 1, maxLength: 64 }), label: Type.String(), ermCategory }, { additionalProperties: false }),
      { description: 'One entry per custos category' },
    ),
  },
  { $id: 'ErmMapping', additionalProperties: false },
);
export type ErmMapping = Static<typeof ErmMapping>;

export const UpdateErmMapping = Type.Object(
  {
    mappings: Type.Array(Type.Object({ category: Type.String({ minLength: 1, maxLength: 64 }), ermCategory }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 500,
      description: 'Categories whose ERM category changes; categories not listed keep theirs',
    }),
  },
  { $id: 'UpdateErmMapping', additionalProperties: false },
);
export type UpdateErmMapping = Static<typeof UpdateErmMapping>;

export const AcceptanceAuthority = Type.Object(
  {
    role: ActingRole,
    maxBand: Type.String({ description: 'Key of the highest band of the active matrix the role may accept' }),
    maxBandLabel: Type.String(),
    maxBandOrder: Type.Integer({ minimum: 1 }),
    updatedAt: Type.String({ format: 'date-time' }),
    updatedBy: Type.String(),
  },
  { additionalProperties: false },
);

export const AcceptanceAuthorities = Type.Object(
  { authorities: Type.Array(AcceptanceAuthority, { description: 'Roles that may accept residual risk; a role not listed may accept none' }) },
  { $id: 'AcceptanceAuthorities', additionalProperties: false },
);
export type AcceptanceAuthorities = Static<typeof AcceptanceAuthorities>;

export const ReplaceAcceptanceAuthorities = Type.Object(
  {
    authorities: Type.Array(Type.Object({ role: ActingRole, maxBand: bandKey }, { additionalProperties: false }), {
      maxItems: actingRoles.length,
      description: 'The whole table: each role with the highest band it may accept; roles not listed lose their authority',
    }),
  },
  { $id: 'ReplaceAcceptanceAuthorities', additionalProperties: false },
);
export type ReplaceAcceptanceAuthorities = Static<typeof ReplaceAcceptanceAuthorities>;
