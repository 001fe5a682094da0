import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../platform/pagination.js';
import { notBlankPattern } from '../platform/schema-building.js';

/** Schemas of the catalogue API: frameworks, items, crosswalks and the organization's own controls. */

export const CatalogueRef = Type.String({
  minLength: 3,
  maxLength: 200,
  pattern: '^[a-z0-9][a-z0-9-]*:\\S(?:.*\\S)?$',
  description: 'Catalogue reference `<framework id>:<item id>`, for example `iso42001:A.6.2.4`',
});

export const Framework = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    edition: Type.String(),
    kind: Type.String({ description: 'standard, regulation, framework, or organization for the organization\'s own controls' }),
    publisher: Type.String(),
    source: Type.String(),
    notice: Type.String({ description: 'Copyright and licence note of the source' }),
    builtIn: Type.Boolean({ description: 'True for frameworks shipped with custos' }),
    contentHash: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the catalogue file last loaded' }),
    loadedAt: Type.String({ format: 'date-time' }),
    itemCount: Type.Integer(),
    assessableCount: Type.Integer({ description: 'Items an assessment answers: clause leaves, controls, subcategories, obligations' }),
  },
  { $id: 'Framework', additionalProperties: false },
);
export type Framework = Static<typeof Framework>;

const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.String())]);

export const CatalogueItem = Type.Object(
  {
    ref: Type.String(),
    frameworkId: Type.String(),
    itemId: Type.String(),
    parentRef: Type.Union([Type.String(), Type.Null()]),
    kind: Type.String(),
    title: Type.String(),
    summary: Type.String({ description: "custos's own summary of what the organization must have in place" }),
    evidenceGuidance: Type.String({ description: 'What an auditor looks for as evidence' }),
    documentedInformation: Type.Union([Type.String(), Type.Null()], { description: 'Documented information the item requires, or null' }),
    assessable: Type.Boolean(),
    weight: Type.Integer({ minimum: 1, maximum: 3, description: 'Risk weight that orders remediation of a gap' }),
    attributes: Type.Record(Type.String(), AttributeValue),
    position: Type.Integer(),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CatalogueItem', additionalProperties: false },
);
export type CatalogueItem = Static<typeof CatalogueItem>;

export const CatalogueItemListQuery = Type.Object(
  {
    ...PageQuery,
    framework: Type.Optional(Type.String({ maxLength: 64, description: 'Only items of this framework' })),
    kind: Type.Optional(Type.String({ maxLength: 40, description: 'Only items of this kind, such as clause or control' })),
    parent: Type.Optional(Type.String({ maxLength: 200, description: 'Only the direct children of this ref' })),
    assessable: Type.Optional(Type.Boolean({ description: 'Only assessable (true) or only heading (false) items' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text to find in the id, title or summary' })),
  },
  { additionalProperties: false },
);
export type CatalogueItemListQuery = Static<typeof CatalogueItemListQuery>;

export const Mapping = Type.Object(
  {
    crosswalkId: Type.String(),
    direction: Type.Union([Type.Literal('to'), Type.Literal('from')], {
      description: '`to`: this item maps to the other; `from`: the other item maps to this one',
    }),
    ref: Type.String(),
    frameworkId: Type.String(),
    itemId: Type.String(),
    title: Type.String(),
    kind: Type.String(),
  },
  { $id: 'Mapping', additionalProperties: false },
);
export type Mapping = Static<typeof Mapping>;

export const CatalogueItemDetail = Type.Object(
  {
    item: CatalogueItem,
    children: Type.Array(Type.Object({ ref: Type.String(), title: Type.String(), kind: Type.String() }, { additionalProperties: false })),
    mappings: Type.Array(Mapping),
  },
  { $id: 'CatalogueItemDetail', additionalProperties: false },
);
export type CatalogueItemDetail = Static<typeof CatalogueItemDetail>;

export const Crosswalk = Type.Object(
  {
    id: Type.String(),
    fromFrameworkId: Type.String(),
    toFrameworkId: Type.String(),
    title: Type.String(),
    edition: Type.String(),
    publisher: Type.String(),
    source: Type.String(),
    notes: Type.String(),
    contentHash: Type.String(),
    loadedAt: Type.String({ format: 'date-time' }),
    pairCount: Type.Integer(),
    fromItemCount: Type.Integer({ description: 'Distinct source items that have at least one pair' }),
  },
  { $id: 'Crosswalk', additionalProperties: false },
);
export type Crosswalk = Static<typeof Crosswalk>;

export const CrosswalkPair = Type.Object(
  { fromRef: Type.String(), fromTitle: Type.String(), toRef: Type.String(), toTitle: Type.String(), position: Type.Integer() },
  { $id: 'CrosswalkPair', additionalProperties: false },
);
export type CrosswalkPair = Static<typeof CrosswalkPair>;

export const CrosswalkPairQuery = Type.Object(
  {
    ...PageQuery,
    from: Type.Optional(Type.String({ maxLength: 200, description: 'Only pairs from this ref' })),
    to: Type.Optional(Type.String({ maxLength: 200, description: 'Only pairs to this ref' })),
  },
  { additionalProperties: false },
);
export type CrosswalkPairQuery = Static<typeof CrosswalkPairQuery>;

const nonBlank = (maxLength: number, description: string) => Type.String({ maxLength, pattern: notBlankPattern, description });

const organizationControlFields = {
  // The ref `org:<id>` is the audit record id, which has room for 64 characters.
  itemId: Type.String({
    minLength: 1,
    maxLength: 60,
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
    description: 'Identifier of the control, unique among the organization\'s controls, for example ORG-1',
  }),
  title: nonBlank(300, 'Short title'),
  summary: nonBlank(4000, 'What the control requires'),
  evidenceGuidance: Type.String({ maxLength: 4000, description: 'What shows that the control is in place' }),
  weight: Type.Integer({ minimum: 1, maximum: 3, description: 'Risk weight 1 (low) to 3 (high)' }),
};

export const CreateOrganizationControl = Type.Object(
  {
    itemId: organizationControlFields.itemId,
    title: organizationControlFields.title,
    summary: organizationControlFields.summary,
    evidenceGuidance: Type.Optional(organizationControlFields.evidenceGuidance),
    weight: Type.Optional(organizationControlFields.weight),
  },
  { $id: 'CreateOrganizationControl', additionalProperties: false },
);
export type CreateOrganizationControl = Static<typeof CreateOrganizationControl>;

export const UpdateOrganizationControl = Type.Object(
  {
    title: Type.Optional(organizationControlFields.title),
    summary: Type.Optional(organizationControlFields.summary),
    evidenceGuidance: Type.Optional(organizationControlFields.evidenceGuidance),
    weight: Type.Optional(organizationControlFields.weight),
  },
  { $id: 'UpdateOrganizationControl', additionalProperties: false, minProperties: 1 },
);
export type UpdateOrganizationControl = Static<typeof UpdateOrganizationControl>;
