import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { comparedFields, implementationStatuses, inclusionBases, soaDecisions, soaStatuses } from './soa.js';

/** Schemas of the Statement of Applicability API: versions, entries, differences and exports. */

const personId = Type.String({ minLength: 1, maxLength: 64, description: 'Id of a person in the people register' });

export const SoaCounts = Type.Object(
  {
    controls: Type.Integer(),
    undecided: Type.Integer(),
    applicable: Type.Integer(),
    excluded: Type.Integer(),
    notStarted: Type.Integer(),
    planned: Type.Integer(),
    partiallyImplemented: Type.Integer(),
    implemented: Type.Integer(),
  },
  { additionalProperties: false },
);

export const SoaVersion = Type.Object(
  {
    id: Type.String(),
    number: Type.Integer({ minimum: 1, description: 'Version number, 1, 2, 3 … in order of creation' }),
    status: literalUnion(soaStatuses),
    title: Type.String(),
    basedOnId: Type.Union([Type.String(), Type.Null()], { description: 'The version this draft was copied from' }),
    createdBy: Type.String({ description: 'User id of the author who started the draft' }),
    approvedBy: Type.Union([Type.String(), Type.Null()]),
    approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    approvalComment: Type.Union([Type.String(), Type.Null()]),
    authors: Type.Array(Type.String(), { description: 'User ids of everyone who wrote the version; none of them may approve it' }),
    counts: SoaCounts,
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SoaVersion', additionalProperties: false },
);
export type SoaVersion = Static<typeof SoaVersion>;

export const SoaVersionListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(literalUnion(soaStatuses)) },
  { additionalProperties: false },
);
export type SoaVersionListQuery = Static<typeof SoaVersionListQuery>;

export const CreateSoaDraft = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'Title; defaults to "Statement of Applicability v<number>"' })),
    basedOn: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: '`latest-approved` (the default when one exists) to copy the decisions of the latest approved version, `empty` to start undecided, or the id of a version to copy',
      }),
    ),
  },
  { $id: 'CreateSoaDraft', additionalProperties: false },
);
export type CreateSoaDraft = Static<typeof CreateSoaDraft>;

export const UpdateSoaDraft = Type.Object(
  { title: Type.String({ maxLength: 300, pattern: notBlankPattern }) },
  { $id: 'UpdateSoaDraft', additionalProperties: false },
);
export type UpdateSoaDraft = Static<typeof UpdateSoaDraft>;

export const ApproveSoa = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000, description: 'Note kept with the approval' })) },
  { $id: 'ApproveSoa', additionalProperties: false },
);
export type ApproveSoa = Static<typeof ApproveSoa>;

export const EvidenceSummary = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    validUntil: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const LinkedRisk = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    residualLevel: Type.Union([Type.String(), Type.Null()], { description: 'Label of the residual band, such as High; null until the residual risk is rated' }),
  },
  { additionalProperties: false },
);

export const SoaEntry = Type.Object(
  {
    soaVersionId: Type.String(),
    controlRef: Type.String(),
    frameworkId: Type.String(),
    controlId: Type.String(),
    controlTitle: Type.String(),
    groupRef: Type.Union([Type.String(), Type.Null()], { description: 'The Annex A group (A.2 … A.10) of the control; null for the organization\'s own controls' }),
    groupTitle: Type.Union([Type.String(), Type.Null()]),
    decision: literalUnion(soaDecisions),
    justification: Type.String(),
    basis: Type.Array(literalUnion(inclusionBases)),
    requirementRefs: Type.Array(Type.String()),
    implementationStatus: Type.Union([literalUnion(implementationStatuses), Type.Null()]),
    ownerPersonId: Type.Union([Type.String(), Type.Null()]),
    ownerName: Type.Union([Type.String(), Type.Null()]),
    notes: Type.String(),
    evidence: Type.Array(EvidenceSummary, { description: 'Evidence linked to the control' }),
    linkedRisks: Type.Array(LinkedRisk, { description: 'Risks whose treatments (not cancelled) link to the control, by title' }),
    changedBy: Type.Array(Type.String()),
    version: Type.Integer({ minimum: 1 }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SoaEntry', additionalProperties: false },
);
export type SoaEntry = Static<typeof SoaEntry>;

export const SoaEntryListQuery = Type.Object(
  {
    ...PageQuery,
    decision: Type.Optional(literalUnion(soaDecisions)),
    implementationStatus: Type.Optional(literalUnion(implementationStatuses)),
    framework: Type.Optional(Type.String({ maxLength: 64, description: 'iso42001 for Annex A, org for the organization\'s own controls' })),
    owner: Type.Optional(personId),
  },
  { additionalProperties: false },
);
export type SoaEntryListQuery = Static<typeof SoaEntryListQuery>;

export const UpdateSoaEntry = Type.Object(
  {
    decision: Type.Optional(literalUnion(soaDecisions)),
    justification: Type.Optional(Type.String({ maxLength: 10_000, description: 'Why the control is included (which risk treatment or requirement needs it) or excluded' })),
    basis: Type.Optional(Type.Array(literalUnion(inclusionBases), { maxItems: inclusionBases.length, uniqueItems: true, description: 'Grounds for including the control' })),
    requirementRefs: Type.Optional(Type.Array(CatalogueRef, { maxItems: 100, uniqueItems: true, description: 'Obligations that require the control, such as eu-ai-act:Art 10' })),
    implementationStatus: Type.Optional(Type.Union([literalUnion(implementationStatuses), Type.Null()])),
    ownerPersonId: Type.Optional(Type.Union([personId, Type.Null()])),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { $id: 'UpdateSoaEntry', additionalProperties: false, minProperties: 1 },
);
export type UpdateSoaEntry = Static<typeof UpdateSoaEntry>;

export const SoaDiff = Type.Object(
  {
    from: Type.Object({ id: Type.String(), number: Type.Integer(), status: literalUnion(soaStatuses) }, { additionalProperties: false }),
    to: Type.Object({ id: Type.String(), number: Type.Integer(), status: literalUnion(soaStatuses) }, { additionalProperties: false }),
    differences: Type.Array(
      Type.Object(
        {
          controlRef: Type.String(),
          controlTitle: Type.String(),
          change: literalUnion(['added', 'removed', 'changed'] as const),
          fields: Type.Array(Type.Object({ field: literalUnion(comparedFields), before: Type.Unknown(), after: Type.Unknown() }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'SoaDiff', additionalProperties: false },
);
export type SoaDiff = Static<typeof SoaDiff>;

export const soaExportFormats = ['csv', 'xlsx', 'html'] as const;
export type SoaExportFormat = (typeof soaExportFormats)[number];

export const SoaExportQuery = Type.Object({ format: literalUnion(soaExportFormats) }, { additionalProperties: false });
