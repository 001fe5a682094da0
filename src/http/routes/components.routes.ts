import { Type } from '@sinclair/typebox';
import {
  CreateThirdPartyComponent,
  ThirdPartyComponent,
  ThirdPartyComponentListQuery,
  UpdateThirdPartyComponent,
} from '../../components/third-party-component.schemas.js';
import {
  createThirdPartyComponent,
  deleteThirdPartyComponent,
  getThirdPartyComponent,
  listThirdPartyComponents,
  updateThirdPartyComponent,
} from '../../components/third-party-components.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['third-party components'];

export const componentRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/third-party-components',
    {
      schema: {
        tags,
        summary: 'List third-party models and datasets with filters, sorting and pagination',
        querystring: ThirdPartyComponentListQuery,
        response: { 200: Page(ThirdPartyComponent), ...commonErrors },
      },
    },
    async (request) => listThirdPartyComponents(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/third-party-components',
    {
      schema: {
        tags,
        summary: 'Record a model or dataset obtained from a vendor, with its licence and version',
        body: CreateThirdPartyComponent,
        querystring: ReasonQuery,
        response: { 201: ThirdPartyComponent, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createThirdPartyComponent(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/third-party-components/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/third-party-components/:id',
    {
      schema: { tags, summary: 'Read one third-party component', params: IdParams, response: { 200: ThirdPartyComponent, 404: ErrorResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const component = await getThirdPartyComponent(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(component.version));
      return component;
    },
  );

  app.patch(
    '/api/third-party-components/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of a third-party component; send If-Match with the ETag you read to avoid lost updates',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateThirdPartyComponent,
        response: { 200: ThirdPartyComponent, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateThirdPartyComponent(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/third-party-components/:id',
    {
      schema: {
        tags,
        summary: 'Remove a third-party component that no model or dataset points to',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteThirdPartyComponent(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
