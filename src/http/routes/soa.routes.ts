import { Type } from '@sinclair/typebox';
import {
  approveSoaVersion,
  createSoaDraft,
  discardSoaDraft,
  diffSoaVersions,
  exportSoa,
  getCurrentSoaVersion,
  getSoaEntry,
  getSoaVersion,
  listSoaEntries,
  listSoaVersions,
  updateSoaDraft,
  updateSoaEntry,
} from '../../statement-of-applicability/soa.service.js';
import {
  ApproveSoa,
  CreateSoaDraft,
  SoaDiff,
  SoaEntry,
  SoaEntryListQuery,
  SoaExportQuery,
  SoaVersion,
  SoaVersionListQuery,
  UpdateSoaDraft,
  UpdateSoaEntry,
} from '../../statement-of-applicability/soa.schemas.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { treatMissingBodyAsEmpty } from '../input-checks.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['statement of applicability'];

const EntryParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    ref: Type.String({ minLength: 3, maxLength: 200, description: 'Catalogue ref of the control, URL-encoded, for example iso42001:A.6.2.4' }),
  },
  { additionalProperties: false },
);
const DiffQuery = Type.Object(
  { against: Type.String({ minLength: 1, maxLength: 64, description: 'Id of the older version to compare with' }) },
  { additionalProperties: false },
);

export const soaRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/soa/versions',
    { schema: { tags, summary: 'List Statement of Applicability versions, newest first', querystring: SoaVersionListQuery, response: { 200: Page(SoaVersion), ...commonErrors } } },
    async (request) => listSoaVersions(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/soa/versions',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary: 'Start a draft, copied from the latest approved version unless basedOn says otherwise; one draft may be open at a time',
        body: CreateSoaDraft,
        querystring: ReasonQuery,
        response: { 201: SoaVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createSoaDraft(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/soa/versions/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/soa/current',
    { schema: { tags, summary: 'Read the latest approved version, or the open draft when none is approved', response: { 200: SoaVersion, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const version = await getCurrentSoaVersion(ctx, callerOf(request));
      void reply.header('etag', etagOf(version.version));
      return version;
    },
  );

  app.get(
    '/api/soa/versions/:id',
    { schema: { tags, summary: 'Read one version with its counts and authors', params: IdParams, response: { 200: SoaVersion, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const version = await getSoaVersion(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(version.version));
      return version;
    },
  );

  app.patch(
    '/api/soa/versions/:id',
    {
      schema: { tags, summary: 'Rename a draft', params: IdParams, querystring: ReasonQuery, body: UpdateSoaDraft, response: { 200: SoaVersion, ...changeErrors } },
    },
    async (request, reply) => {
      const updated = await updateSoaDraft(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/soa/versions/:id',
    { schema: { tags, summary: 'Discard a draft; approved versions cannot be deleted', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } } },
    async (request, reply) => {
      await discardSoaDraft(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/soa/versions/:id/approve',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary: 'Approve and freeze a draft; the approver must not have started or edited it, and every control must be decided',
        params: IdParams,
        querystring: ReasonQuery,
        body: ApproveSoa,
        response: { 200: SoaVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const approved = await approveSoaVersion(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(approved.version));
      return approved;
    },
  );

  app.get(
    '/api/soa/versions/:id/diff',
    {
      schema: {
        tags,
        summary: 'Show what changed between an older version (against) and this one, control by control',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: SoaDiff, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => diffSoaVersions(ctx, callerOf(request), request.query.against, request.params.id),
  );

  app.get(
    '/api/soa/versions/:id/entries',
    {
      schema: {
        tags,
        summary: 'List the controls of a version in catalogue order, with decision, justification, status, owner and evidence',
        params: IdParams,
        querystring: SoaEntryListQuery,
        response: { 200: Page(SoaEntry), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listSoaEntries(ctx, callerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/soa/versions/:id/entries/:ref',
    { schema: { tags, summary: 'Read one control of a version', params: EntryParams, response: { 200: SoaEntry, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const entry = await getSoaEntry(ctx, callerOf(request), request.params.id, request.params.ref);
      void reply.header('etag', etagOf(entry.version));
      return entry;
    },
  );

  app.patch(
    '/api/soa/versions/:id/entries/:ref',
    {
      schema: {
        tags,
        summary: 'Decide or change one control of a draft; send If-Match with the ETag of the entry you read',
        params: EntryParams,
        querystring: ReasonQuery,
        body: UpdateSoaEntry,
        response: { 200: SoaEntry, ...changeErrors },
      },
    },
    async (request, reply) => {
      const entry = await updateSoaEntry(ctx, callerOf(request), request.params.id, request.params.ref, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(entry.version));
      return entry;
    },
  );

  app.get(
    '/api/soa/versions/:id/export',
    {
      schema: {
        tags,
        summary: 'Download a version as CSV, XLSX (one sheet, one row per control) or printable HTML',
        params: IdParams,
        querystring: SoaExportQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file' }), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const exported = await exportSoa(ctx, callerOf(request), request.params.id, request.query.format);
      void reply
        .header('content-type', exported.mediaType)
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .header('x-content-type-options', 'nosniff');
      return reply.send(exported.content);
    },
  );
};
