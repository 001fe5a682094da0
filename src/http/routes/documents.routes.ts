import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { maxContentBytes } from '../../documents/document.js';
import {
  ApproveDocumentVersion,
  ApprovedDocumentVersion,
  CreateDocument,
  CreateDocumentVersion,
  Document,
  DocumentedInformationQuery,
  DocumentedInformationRegister,
  DocumentListQuery,
  DocumentVersion,
  DocumentVersionListQuery,
  DocumentVersionSummary,
  RetireDocument,
  ReviewDuePage,
  ReviewDueQuery,
  UpdateDocument,
  UpdateDocumentVersion,
} from '../../documents/document.schemas.js';
import {
  approveDocumentVersion,
  createDocumentVersion,
  deleteDocumentVersion,
  getDocumentVersion,
  listDocumentVersions,
  updateDocumentVersion,
} from '../../documents/document-versions.service.js';
import { getDocumentedInformationRegister, listDocumentsDueForReview } from '../../documents/documented-information.service.js';
import { createDocument, deleteDocument, getDocument, listDocuments, retireDocument, updateDocument } from '../../documents/documents.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { toAppError } from '../errors.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { treatMissingBodyAsEmpty } from '../input-checks.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['documents'];

const VersionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), versionId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

/**
 * Body limit of the routes that carry a version's text. A client may send the text with every
 * character escaped in JSON, which takes up to three times its UTF-8 size (Python's json.dumps
 * writes "é" as \u00e9), so the limit leaves room for that and for the other fields.
 */
function versionBodyLimit(configured: number): number {
  return Math.max(configured, 3 * maxContentBytes + 65_536);
}

/** Reports a too-large body with this route's own limit, and every other error as the server does. */
function versionErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const appError = toAppError(error, request.id, bodyLimit);
    if (appError.status >= 500) {
      request.log.error({ err: error, code: appError.code }, 'request failed');
    } else {
      request.log.info({ code: appError.code, status: appError.status, details: appError.details }, appError.message);
    }
    void reply.status(appError.status).send(appError.toBody());
  };
}

export const documentRoutes: RouteModule = (app, ctx) => {
  const bodyLimit = versionBodyLimit(ctx.config.bodyLimitBytes);
  const errorHandler = versionErrorHandler(bodyLimit);

  app.get(
    '/api/documented-information',
    {
      schema: {
        tags,
        summary: 'List every item of a framework that requires documented information, with its documents and whether they are approved and current',
        querystring: DocumentedInformationQuery,
        response: { 200: DocumentedInformationRegister, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getDocumentedInformationRegister(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/documents',
    { schema: { tags, summary: 'List documents with filters, sorting and pagination', querystring: DocumentListQuery, response: { 200: Page(Document), ...commonErrors } } },
    async (request) => listDocuments(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/documents/review-due',
    {
      schema: {
        tags,
        summary: 'List documents in force whose next review falls within the given number of days or has passed, earliest first',
        querystring: ReviewDueQuery,
        response: { 200: ReviewDuePage, ...commonErrors },
      },
    },
    async (request) => listDocumentsDueForReview(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/documents',
    { schema: { tags, summary: 'Register a document; add its text as a draft version', body: CreateDocument, querystring: ReasonQuery, response: { 201: Document, ...changeErrors } } },
    async (request, reply) => {
      const created = await createDocument(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/documents/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/documents/:id',
    { schema: { tags, summary: 'Read one document', params: IdParams, response: { 200: Document, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const document = await getDocument(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(document.version));
      return document;
    },
  );

  app.patch(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: 'Change the details, links or next review date of a document; send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateDocument,
        response: { 200: Document, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateDocument(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/documents/:id',
    {
      schema: {
        tags,
        summary: 'Remove a document that never had an approved version, with its drafts; retire any other',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteDocument(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/documents/:id/retire',
    {
      schema: {
        tags,
        summary: 'Withdraw a document from use, giving the reason; its versions are kept',
        params: IdParams,
        body: RetireDocument,
        response: { 200: Document, ...changeErrors },
      },
    },
    async (request, reply) => {
      const retired = await retireDocument(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
      });
      void reply.header('etag', etagOf(retired.version));
      return retired;
    },
  );

  app.get(
    '/api/documents/:id/versions',
    {
      schema: {
        tags,
        summary: 'List the versions of a document, without their text',
        params: IdParams,
        querystring: DocumentVersionListQuery,
        response: { 200: Page(DocumentVersionSummary), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listDocumentVersions(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/documents/:id/versions',
    {
      bodyLimit,
      errorHandler,
      schema: {
        tags,
        summary: 'Start the draft of the next version; without content it starts from the current approved version',
        params: IdParams,
        body: CreateDocumentVersion,
        querystring: ReasonQuery,
        response: { 201: DocumentVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createDocumentVersion(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/documents/${created.documentId}/versions/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/documents/:id/versions/:versionId',
    { schema: { tags, summary: 'Read one version with its text', params: VersionParams, response: { 200: DocumentVersion, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const version = await getDocumentVersion(ctx, callerOf(request), request.params.id, request.params.versionId);
      void reply.header('etag', etagOf(version.version));
      return version;
    },
  );

  app.patch(
    '/api/documents/:id/versions/:versionId',
    {
      bodyLimit,
      errorHandler,
      schema: {
        tags,
        summary: 'Edit a draft version; approved versions are frozen (409). Send If-Match with the ETag you read',
        params: VersionParams,
        querystring: ReasonQuery,
        body: UpdateDocumentVersion,
        response: { 200: DocumentVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateDocumentVersion(ctx, callerOf(request), request.params.id, request.params.versionId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/documents/:id/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'Discard a draft version; approved versions are kept',
        params: VersionParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteDocumentVersion(ctx, callerOf(request), request.params.id, request.params.versionId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/documents/:id/versions/:versionId/approve',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary:
          'Approve a draft version, freezing it and making it current; the approver must not have authored or edited it (403). Send If-Match with the ETag of the version you reviewed',
        params: VersionParams,
        body: ApproveDocumentVersion,
        response: { 200: ApprovedDocumentVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const approved = await approveDocumentVersion(ctx, callerOf(request), request.params.id, request.params.versionId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
      });
      void reply.header('etag', etagOf(approved.version.version));
      return approved;
    },
  );
};
