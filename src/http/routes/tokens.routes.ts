import { ApiTokenListQuery, ListedApiToken, listApiTokens } from '../../users/token-listing.service.js';
import { ApiToken, CreateApiToken, IssuedApiToken, createApiToken, revokeApiToken } from '../../users/tokens.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams } from '../schemas.js';

const tags = ['API tokens'];

export const tokenRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: "List API tokens, newest first: the caller's own, or everyone's for administrators; never the tokens themselves",
        querystring: ApiTokenListQuery,
        response: { 200: Page(ListedApiToken), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listApiTokens(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Issue an API token bound to a user and one of their roles; the token is shown once',
        body: CreateApiToken,
        response: { 201: IssuedApiToken, ...changeErrors },
      },
    },
    async (request, reply) => {
      const issued = await createApiToken(ctx, callerOf(request), request.body);
      void reply.status(201);
      return issued;
    },
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 200: ApiToken, ...changeErrors } } },
    async (request) => revokeApiToken(ctx, callerOf(request), request.params.id),
  );
};
