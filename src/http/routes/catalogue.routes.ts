import { Type } from '@sinclair/typebox';
import {
  CatalogueItem,
  CatalogueItemDetail,
  CatalogueItemListQuery,
  CreateOrganizationControl,
  Crosswalk,
  CrosswalkPair,
  CrosswalkPairQuery,
  Framework,
  UpdateOrganizationControl,
} from '../../catalogue/catalogue.schemas.js';
import {
  createOrganizationControl,
  deleteOrganizationControl,
  getCatalogueItem,
  getFramework,
  listCatalogueItems,
  listCrosswalkPairs,
  listCrosswalks,
  listFrameworks,
  updateOrganizationControl,
} from '../../catalogue/catalogue.service.js';
import { CoverageQuery, CoverageReport, OverlapQuery, OverlapReport } from '../../coverage/coverage.schemas.js';
import { reportCoverage, reportOverlap } from '../../coverage/coverage.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['catalogue'];

const RefParams = Type.Object(
  { ref: Type.String({ minLength: 3, maxLength: 200, description: 'Catalogue ref, URL-encoded, for example iso42001:A.6.2.4' }) },
  { additionalProperties: false },
);

export const catalogueRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/catalogue/frameworks',
    { schema: { tags, summary: 'List the frameworks in the catalogue, with item counts', response: { 200: Type.Array(Framework), ...commonErrors } } },
    async (request) => listFrameworks(ctx, callerOf(request)),
  );

  app.get(
    '/api/catalogue/frameworks/:id',
    { schema: { tags, summary: 'Read one framework', params: IdParams, response: { 200: Framework, 404: ErrorResponse, ...commonErrors } } },
    async (request) => getFramework(ctx, callerOf(request), request.params.id),
  );

  app.get(
    '/api/catalogue/items',
    {
      schema: {
        tags,
        summary: 'List catalogue items in document order, filtered by framework, kind, parent or text',
        querystring: CatalogueItemListQuery,
        response: { 200: Page(CatalogueItem), ...commonErrors },
      },
    },
    async (request) => listCatalogueItems(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/catalogue/items/:ref',
    {
      schema: {
        tags,
        summary: 'Read one item with its children and every crosswalk mapping to and from it',
        params: RefParams,
        response: { 200: CatalogueItemDetail, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const detail = await getCatalogueItem(ctx, callerOf(request), request.params.ref);
      void reply.header('etag', etagOf(detail.item.version));
      return detail;
    },
  );

  app.get(
    '/api/catalogue/crosswalks',
    { schema: { tags, summary: 'List the crosswalks between frameworks, with their sources and pair counts', response: { 200: Type.Array(Crosswalk), ...commonErrors } } },
    async (request) => listCrosswalks(ctx, callerOf(request)),
  );

  app.get(
    '/api/catalogue/crosswalks/:id/pairs',
    {
      schema: {
        tags,
        summary: 'List the pairs of one crosswalk, optionally only from or to one item',
        params: IdParams,
        querystring: CrosswalkPairQuery,
        response: { 200: Page(CrosswalkPair), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listCrosswalkPairs(ctx, callerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/catalogue/coverage',
    {
      schema: {
        tags,
        summary: "For each obligation of a framework, the ISO/IEC 42001 controls that meet it, their implementation status, and the gaps",
        querystring: CoverageQuery,
        response: { 200: CoverageReport, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => reportCoverage(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/catalogue/overlap',
    {
      schema: {
        tags,
        summary: 'For each control, the obligations of every framework it helps to meet, most widely useful first',
        querystring: OverlapQuery,
        response: { 200: OverlapReport, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => reportOverlap(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/catalogue/organization-controls',
    {
      schema: {
        tags,
        summary: "Define one of the organization's own controls; it joins the Statement of Applicability beside Annex A",
        body: CreateOrganizationControl,
        querystring: ReasonQuery,
        response: { 201: CatalogueItem, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createOrganizationControl(ctx, callerOf(request), request.body, request.query.reason);
      void reply
        .status(201)
        .header('etag', etagOf(created.version))
        .header('location', `/api/catalogue/items/${encodeURIComponent(created.ref)}`);
      return created;
    },
  );

  app.patch(
    '/api/catalogue/organization-controls/:ref',
    {
      schema: {
        tags,
        summary: "Change one of the organization's own controls; send If-Match with the ETag you read",
        params: RefParams,
        querystring: ReasonQuery,
        body: UpdateOrganizationControl,
        response: { 200: CatalogueItem, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateOrganizationControl(ctx, callerOf(request), request.params.ref, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/catalogue/organization-controls/:ref',
    {
      schema: {
        tags,
        summary: "Remove one of the organization's own controls that nothing links to",
        params: RefParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteOrganizationControl(ctx, callerOf(request), request.params.ref, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
