import { Type, type Static } from '@sinclair/typebox';
import { CatalogueRef } from '../catalogue/catalogue.schemas.js';
import { SortQuery } from '../platform/listing.js';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import {
  confidentialityLevels,
  documentedInformationStates,
  documentKinds,
  documentStatuses,
  documentVersionStatuses,
  maxContentBytes,
  retentionLimits,
  reviewIntervalLimits,
} from './document.js';

/** Schemas of documents, their versions, the documented information register and the review-due list. */

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const nullable = <T extends ReturnType<typeof Type.String>>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

export const DocumentKind = literalUnion(documentKinds, { description: `What the document is: one of ${documentKinds.join(', ')}` });
export const DocumentStatus = literalUnion(documentStatuses, {
  description: 'draft until a version is first approved, approved while a version is in force, retired once withdrawn',
});
export const DocumentVersionStatus = literalUnion(documentVersionStatuses, { description: 'draft while it may change; approved once frozen' });
export const Confidentiality = literalUnion(confidentialityLevels, { description: `Who may see the document: one of ${confidentialityLevels.join(', ')}` });

const documentFields = {
  title: Type.String({ maxLength: 300, pattern: notBlankPattern, description: 'Title of the document' }),
  kind: DocumentKind,
  isAiPolicy: Type.Boolean({ description: 'Marks the AI policy (clause 5.2); only a document of kind policy may carry it, and only one document in force' }),
  ownerPersonId: recordId('Id of the person who owns the document and answers for its reviews'),
  reviewIntervalMonths: Type.Integer({
    ...reviewIntervalLimits,
    description: `Months between reviews, ${reviewIntervalLimits.minimum} to ${reviewIntervalLimits.maximum}; each approval sets the next review date this far ahead`,
  }),
  retentionMonths: Type.Integer({
    ...retentionLimits,
    description: `Months a version is kept after it is superseded or the document retired, ${retentionLimits.minimum} to ${retentionLimits.maximum}`,
  }),
  confidentiality: Confidentiality,
  catalogueRefs: Type.Array(CatalogueRef, {
    maxItems: 200,
    uniqueItems: true,
    description: 'Clauses, controls and obligations the document serves, for example iso42001:5.2 and iso42001:A.2.2',
  }),
};

export const Document = Type.Object(
  {
    id: Type.String(),
    ...documentFields,
    nextReviewDate: nullable(Type.String({ format: 'date' }), 'Day the next review is due (YYYY-MM-DD), or null before the first approval'),
    status: DocumentStatus,
    currentVersionId: nullable(Type.String(), 'The approved version in force'),
    currentVersionNumber: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Number of the approved version in force' }),
    createdBy: Type.String({ description: 'User id of the user who registered the document' }),
    retiredAt: nullable(Type.String({ format: 'date-time' }), 'When the document was withdrawn'),
    retiredBy: nullable(Type.String(), 'User id of the user who withdrew it'),
    retirementReason: nullable(Type.String(), 'Why it was withdrawn'),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Document', additionalProperties: false },
);
export type Document = Static<typeof Document>;

export const CreateDocument = Type.Object(
  {
    title: documentFields.title,
    kind: documentFields.kind,
    isAiPolicy: Type.Optional(documentFields.isAiPolicy),
    ownerPersonId: documentFields.ownerPersonId,
    reviewIntervalMonths: documentFields.reviewIntervalMonths,
    retentionMonths: documentFields.retentionMonths,
    confidentiality: Type.Optional(
      literalUnion(confidentialityLevels, { description: `Who may see the document: one of ${confidentialityLevels.join(', ')}; defaults to internal` }),
    ),
    catalogueRefs: Type.Optional(documentFields.catalogueRefs),
  },
  { $id: 'CreateDocument', additionalProperties: false },
);
export type CreateDocument = Static<typeof CreateDocument>;

export const UpdateDocument = Type.Partial(
  Type.Object({
    ...documentFields,
    nextReviewDate: nullable(
      Type.String({ format: 'date' }),
      'Day the next review is due (YYYY-MM-DD); null only clears it on a document without an approved version',
    ),
  }),
  { $id: 'UpdateDocument', additionalProperties: false, minProperties: 1 },
);
export type UpdateDocument = Static<typeof UpdateDocument>;

export const RetireDocument = Type.Object(
  { reason: Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'Why the document is withdrawn; kept with it and in the audit trail' }) },
  { $id: 'RetireDocument', additionalProperties: false },
);
export type RetireDocument = Static<typeof RetireDocument>;

export const documentSortKeys = ['title', 'nextReviewDate', 'createdAt', 'updatedAt'] as const;
export type DocumentSortKey = (typeof documentSortKeys)[number];

export const DocumentListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text searched for in the title, ignoring case' })),
    kind: Type.Optional(DocumentKind),
    status: Type.Optional(DocumentStatus),
    ownerPersonId: Type.Optional(Type.String({ maxLength: 64 })),
    catalogueRef: Type.Optional(Type.String({ maxLength: 200, description: 'Only documents linked to this catalogue item' })),
    isAiPolicy: Type.Optional(Type.Boolean()),
    sort: Type.Optional(SortQuery(documentSortKeys, 'title')),
  },
  { additionalProperties: false },
);
export type DocumentListQuery = Static<typeof DocumentListQuery>;

const versionFields = {
  content: Type.String({
    maxLength: maxContentBytes,
    description: `Text of the version; Markdown is kept as plain text. At most ${maxContentBytes} bytes of UTF-8`,
  }),
  changeSummary: Type.String({ maxLength: 2_000, pattern: notBlankPattern, description: 'What this version changes' }),
  evidenceId: nullable(recordId('Evidence id'), 'Evidence record that holds a file rendering of this version, such as a signed PDF'),
};

const versionMetadata = {
  id: Type.String(),
  documentId: Type.String(),
  number: Type.Integer({ minimum: 1, description: 'Version number, 1, 2, 3 … within the document' }),
  status: DocumentVersionStatus,
  changeSummary: Type.String(),
  evidenceId: versionFields.evidenceId,
  authorId: Type.String({ description: 'User id of the author who started the draft' }),
  editorIds: Type.Array(Type.String(), { description: 'User ids of everyone else who edited the draft; neither they nor the author may approve it' }),
  basedOnId: nullable(Type.String(), 'The approved version this draft started from'),
  approvedBy: nullable(Type.String(), 'User id of the approver'),
  approvedAt: nullable(Type.String({ format: 'date-time' }), 'When the version was approved'),
  approvalComment: nullable(Type.String(), 'Note kept with the approval'),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const DocumentVersion = Type.Object({ ...versionMetadata, content: Type.String() }, { $id: 'DocumentVersion', additionalProperties: false });
export type DocumentVersion = Static<typeof DocumentVersion>;

/** A version without its content, as lists show it. */
export const DocumentVersionSummary = Type.Object(versionMetadata, { $id: 'DocumentVersionSummary', additionalProperties: false });
export type DocumentVersionSummary = Static<typeof DocumentVersionSummary>;

export const CreateDocumentVersion = Type.Object(
  {
    content: Type.Optional(
      Type.String({
        maxLength: maxContentBytes,
        description: `Text of the draft, at most ${maxContentBytes} bytes of UTF-8; when left out, the draft starts from the text of the current approved version`,
      }),
    ),
    changeSummary: versionFields.changeSummary,
    evidenceId: Type.Optional(versionFields.evidenceId),
  },
  { $id: 'CreateDocumentVersion', additionalProperties: false },
);
export type CreateDocumentVersion = Static<typeof CreateDocumentVersion>;

export const UpdateDocumentVersion = Type.Partial(Type.Object(versionFields), { $id: 'UpdateDocumentVersion', additionalProperties: false, minProperties: 1 });
export type UpdateDocumentVersion = Static<typeof UpdateDocumentVersion>;

export const ApproveDocumentVersion = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2_000, description: 'Note kept with the approval' })) },
  { $id: 'ApproveDocumentVersion', additionalProperties: false },
);
export type ApproveDocumentVersion = Static<typeof ApproveDocumentVersion>;

export const ApprovedDocumentVersion = Type.Object(
  { document: Document, version: DocumentVersionSummary },
  { $id: 'ApprovedDocumentVersion', additionalProperties: false },
);
export type ApprovedDocumentVersion = Static<typeof ApprovedDocumentVersion>;

export const DocumentVersionListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(DocumentVersionStatus), sort: Type.Optional(SortQuery(['number'] as const, 'number')) },
  { additionalProperties: false },
);
export type DocumentVersionListQuery = Static<typeof DocumentVersionListQuery>;

export const DocumentedInformationState = literalUnion(documentedInformationStates, {
  description:
    'missing: no document in force is linked and custos holds no record for the item; draft_only: linked documents exist but none is approved; records_only: no approved document, but custos holds current records for the item (an approved Statement of Applicability, AI objectives or valid evidence); approved: an approved document is within its review date; review_overdue: every approved document is past its review date; not_applicable: the current approved Statement of Applicability excludes the control',
});

/** A record other than a document that serves as documented information for an item. */
export const RegisterRecord = Type.Object(
  {
    type: literalUnion(['statement_of_applicability', 'objective', 'evidence'] as const),
    id: Type.String(),
    title: Type.String(),
    current: Type.Boolean({ description: 'False for evidence whose validity has ended' }),
  },
  { additionalProperties: false },
);
export type RegisterRecord = Static<typeof RegisterRecord>;

/** A document as the register shows it beside a required item. */
export const RegisterDocument = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    kind: DocumentKind,
    status: DocumentStatus,
    currentVersionNumber: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    nextReviewDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    reviewOverdue: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RegisterDocument = Static<typeof RegisterDocument>;

export const DocumentedInformationItem = Type.Object(
  {
    ref: Type.String(),
    itemId: Type.String(),
    title: Type.String(),
    kind: Type.String({ description: 'Kind of catalogue item: clause, control …' }),
    required: Type.String({ description: 'The documented information the item requires, in our own summary' }),
    state: DocumentedInformationState,
    documents: Type.Array(RegisterDocument, { description: 'Every document linked to the item, retired ones included' }),
    records: Type.Array(RegisterRecord, { description: 'Other records custos holds for the item' }),
  },
  { $id: 'DocumentedInformationItem', additionalProperties: false },
);
export type DocumentedInformationItem = Static<typeof DocumentedInformationItem>;

export const DocumentedInformationSummary = Type.Object(
  {
    total: Type.Integer({ minimum: 0 }),
    missing: Type.Integer({ minimum: 0 }),
    draftOnly: Type.Integer({ minimum: 0 }),
    recordsOnly: Type.Integer({ minimum: 0 }),
    approved: Type.Integer({ minimum: 0 }),
    reviewOverdue: Type.Integer({ minimum: 0 }),
    notApplicable: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type DocumentedInformationSummary = Static<typeof DocumentedInformationSummary>;

export const DocumentedInformationRegister = Type.Object(
  {
    frameworkId: Type.String(),
    asOf: Type.String({ format: 'date', description: 'The day (UTC) the states were worked out for' }),
    summary: DocumentedInformationSummary,
    items: Type.Array(DocumentedInformationItem),
  },
  { $id: 'DocumentedInformationRegister', additionalProperties: false },
);
export type DocumentedInformationRegister = Static<typeof DocumentedInformationRegister>;

export const DocumentedInformationQuery = Type.Object(
  {
    framework: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'iso42001', description: 'Framework whose requirements are listed; defaults to iso42001' })),
    state: Type.Optional(literalUnion(documentedInformationStates, { description: 'Only items in this state; the summary still counts every item' })),
  },
  { additionalProperties: false },
);
export type DocumentedInformationQuery = Static<typeof DocumentedInformationQuery>;

export const ReviewDueQuery = Type.Object(
  {
    ...PageQuery,
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30, description: 'Days ahead to look, 0 to 3650; overdue reviews are always listed' })),
  },
  { additionalProperties: false },
);
export type ReviewDueQuery = Static<typeof ReviewDueQuery>;

export const ReviewDueEntry = Type.Object(
  {
    document: Document,
    daysUntilReview: Type.Integer({ description: 'Days from today to the next review date; negative when overdue' }),
    overdue: Type.Boolean(),
  },
  { $id: 'ReviewDueEntry', additionalProperties: false },
);
export type ReviewDueEntry = Static<typeof ReviewDueEntry>;

export const ReviewDuePage = Type.Object(
  {
    asOf: Type.String({ format: 'date', description: 'Today (UTC)' }),
    until: Type.String({ format: 'date', description: 'Last day of the window' }),
    items: Type.Array(ReviewDueEntry),
    total: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ReviewDuePage', additionalProperties: false },
);
export type ReviewDuePage = Static<typeof ReviewDuePage>;
