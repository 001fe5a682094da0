import type { FastifySchema } from 'fastify';
import { ErrorResponse } from './schemas.js';

type RouteSchema = FastifySchema & { hide?: boolean; response?: Record<string, unknown> };

/**
 * Adds what every route shares to the OpenAPI document, so route files need not repeat it: the
 * If-Match header on changes, and the 413 and 415 responses of routes that take a body.
 */
export function documentConventions({ schema, url, route }: { schema: FastifySchema; url: string; route: { method: string | string[] } }): { schema: FastifySchema; url: string } {
  const routeSchema = schema as RouteSchema | undefined;
  if (!routeSchema || routeSchema.hide) return { schema, url };
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const changes = methods.some((method) => ['PATCH', 'PUT', 'DELETE'].includes(method));
  const documented: RouteSchema = { ...routeSchema };

  if (changes && !documented.headers) {
    documented.headers = {
      type: 'object',
      properties: {
        'if-match': {
          type: 'string',
          description: 'The ETag of the version you read, for example "3"; a change to a newer version then fails with 412 instead of overwriting it',
        },
      },
    };
  }
  if (documented.body && documented.response) {
    documented.response = { 413: ErrorResponse, 415: ErrorResponse, ...documented.response };
  }
  return { schema: documented, url };
}
