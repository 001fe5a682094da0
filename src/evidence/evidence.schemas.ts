import { Type, type Static } from '@sinclair/typebox';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { confidentialityLevels, evidenceKinds } from './evidence.js';
import { linkTargetTypes } from './link-targets.js';

/** Schemas of evidence, its links and its lists, as the API, the CLI and the services see them. */

const personId = Type.String({ minLength: 1, maxLength: 64, description: 'Id of a person in /api/people' });

const metadataFields = {
  title: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'What the evidence shows, for example "Bias test report, credit model 2.3"' }),
  kind: literalUnion(evidenceKinds, { description: `Kind of evidence: one of ${evidenceKinds.join(', ')}` }),
  description: Type.String({ maxLength: 10_000, description: 'What the file contains and what it demonstrates' }),
  collectedAt: Type.String({ format: 'date-time', description: 'When the evidence was produced or collected, with a time zone' }),
  collectedByPersonId: Type.Union([personId, Type.Null()], { description: 'The person who collected the evidence, or null' }),
  validUntil: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'Last day (YYYY-MM-DD) the evidence counts as current, or null when it does not expire',
  }),
  confidentiality: literalUnion(confidentialityLevels, {
    description: 'public, internal or restricted; the file of restricted evidence is only for administrators, internal auditors, data protection officers, the oversight board and its uploader',
  }),
};

export const LinkTargetType = literalUnion(linkTargetTypes, { description: `What the evidence supports: one of ${linkTargetTypes.join(', ')}` });

export const EvidenceLink = Type.Object(
  {
    targetType: LinkTargetType,
    targetId: Type.String({ description: 'Id of the target; a catalogue ref such as iso42001:A.6.2.4 for catalogue items' }),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String({ description: 'User id of the user who made the link' }),
  },
  { $id: 'EvidenceLink', additionalProperties: false },
);
export type EvidenceLink = Static<typeof EvidenceLink>;

/** The fields of an evidence record that change with its version; the audit trail records these. */
const recordFields = {
  id: Type.String(),
  ...metadataFields,
  sha256: Type.String({ description: 'Lower-case hex SHA-256 of the current file' }),
  sizeBytes: Type.Integer({ minimum: 0 }),
  mediaType: Type.String({ description: 'Media type the uploader declared for the file; served with downloads, never trusted otherwise' }),
  fileName: Type.String({ description: 'The file name the uploader sent, kept as metadata only' }),
  uploadedBy: Type.String({ description: 'User id of the user who uploaded the current file' }),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const EvidenceRecord = Type.Object(recordFields, { additionalProperties: false });
export type EvidenceRecord = Static<typeof EvidenceRecord>;

export const Evidence = Type.Object(
  {
    ...recordFields,
    links: Type.Array(EvidenceLink, { description: 'What the evidence supports; links do not change the version' }),
  },
  { $id: 'Evidence', additionalProperties: false },
);
export type Evidence = Static<typeof Evidence>;

/** The metadata sent with an upload, as form fields; the services parse it with this schema. */
export const NewEvidence = Type.Object(
  {
    title: metadataFields.title,
    kind: metadataFields.kind,
    description: Type.Optional(metadataFields.description),
    collectedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the evidence was produced or collected; the upload time when absent' })),
    collectedByPersonId: Type.Optional(metadataFields.collectedByPersonId),
    validUntil: Type.Optional(metadataFields.validUntil),
    confidentiality: Type.Optional(
      literalUnion(confidentialityLevels, { description: 'public, internal or restricted; internal when absent' }),
    ),
  },
  { additionalProperties: false },
);
export type NewEvidence = Static<typeof NewEvidence>;

export const newEvidenceFieldNames = Object.keys(NewEvidence.properties) as (keyof NewEvidence)[];

export const UpdateEvidence = Type.Partial(Type.Object(metadataFields), { $id: 'UpdateEvidence', additionalProperties: false, minProperties: 1 });
export type UpdateEvidence = Static<typeof UpdateEvidence>;

export const evidenceSortKeys = ['title', 'collectedAt', 'validUntil', 'createdAt', 'updatedAt'] as const;
export type EvidenceSortKey = (typeof evidenceSortKeys)[number];

export const EvidenceListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in title, description and file name, ignoring case' })),
    kind: Type.Optional(metadataFields.kind),
    confidentiality: Type.Optional(metadataFields.confidentiality),
    linkedTo: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 240,
        description: 'Only evidence linked to this target, as <target type>:<id>, for example catalogue_item:iso42001:A.6.2.4 or ai_system:<id>',
      }),
    ),
    expiresWithinDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3650, description: 'Only evidence whose validity ends within this many days from today, or has ended' }),
    ),
    sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Only evidence whose current file has this SHA-256' })),
    sort: Type.Optional(SortQuery(evidenceSortKeys, 'title')),
  },
  { additionalProperties: false },
);
export type EvidenceListQuery = Static<typeof EvidenceListQuery>;

export const ReviewDueQuery = Type.Object(
  {
    ...PageQuery,
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30, description: 'Days from today, 0 to 3650; 30 when absent' })),
  },
  { additionalProperties: false },
);
export type ReviewDueQuery = Static<typeof ReviewDueQuery>;

export const ReviewDueEvidence = Type.Object(
  {
    ...recordFields,
    validUntil: Type.String({ format: 'date' }),
    daysRemaining: Type.Integer({ description: 'Days from today to the last valid day: 0 on that day, negative once it has passed' }),
    expired: Type.Boolean(),
  },
  { $id: 'ReviewDueEvidence', additionalProperties: false },
);
export type ReviewDueEvidence = Static<typeof ReviewDueEvidence>;

export const LinkEvidence = Type.Object(
  {
    targetType: LinkTargetType,
    targetId: Type.String({ minLength: 1, maxLength: 200, description: 'Id of the target; a catalogue ref such as iso42001:A.6.2.4 for catalogue items' }),
  },
  { $id: 'LinkEvidence', additionalProperties: false },
);
export type LinkEvidence = Static<typeof LinkEvidence>;
