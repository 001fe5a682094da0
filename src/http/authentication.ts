import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../platform/auth/caller.js';
import type { ServiceContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { authenticateSession } from '../users/sessions.service.js';
import { authenticateToken } from '../users/tokens.service.js';

export const sessionCookieName = 'custos_session';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/**
 * Routes that respond without credentials, by the route pattern the router matched, so that a
 * percent-encoded URL cannot pass as a public one. Unmatched URLs get 404 with no data.
 */
function isPublic(route: string | undefined): boolean {
  if (route === undefined) return true;
  return (
    route === '/api/health' ||
    route === '/api/openapi.json' ||
    route === '/api/auth/sign-in' ||
    route === '/api/docs' ||
    route.startsWith('/api/docs/') ||
    !route.startsWith('/api/')
  );
}

/**
 * Resolves the caller from a bearer token or the session cookie before any route runs.
 * Requests to protected routes without valid credentials end here with 401.
 */
export function registerAuthentication(app: FastifyInstance, ctx: ServiceContext): void {
  app.decorateRequest('caller', null);

  app.addHook('onRequest', async (request) => {
    request.caller = await resolveCaller(ctx, request);
    if (!request.caller && !isPublic(request.routeOptions.url)) {
      throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token as "Authorization: Bearer <token>"; create a token with `custos token create`');
    }
    // A read-only caller gets 403 before the body is parsed, so it learns nothing from the
    // validation of a change it may not make. The services check the same on their first line.
    if (request.caller && isChange(request.method, request.routeOptions.url) && isReadOnly(request.caller)) {
      throw new AppError('FORBIDDEN', `${request.caller.username} holds only read-only roles (${request.caller.roles.join(', ')}) and may not change records`);
    }
  });
}

async function resolveCaller(ctx: ServiceContext, request: FastifyRequest): Promise<Caller | null> {
  const now = ctx.clock.now();
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const caller = match ? await authenticateToken(ctx.database.db, match[1]!, now, request.id) : undefined;
    if (!caller) {
      throw new AppError('UNAUTHENTICATED', 'The API token is unknown, revoked or expired; create a new one with `custos token create`');
    }
    return caller;
  }
  const sessionId = request.cookies[sessionCookieName];
  if (sessionId) {
    return (await authenticateSession(ctx.database.db, sessionId, now, request.id)) ?? null;
  }
  return null;
}

/** Routes reached with POST or DELETE that only read, or that concern the caller's own credentials. */
const readOrOwnCredentialRoutes = new Set(['/api/audit-events/verify', '/api/auth/sign-in', '/api/auth/sign-out', '/api/tokens', '/api/tokens/:id']);

function isChange(method: string, route: string | undefined): boolean {
  return route !== undefined && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && !readOrOwnCredentialRoutes.has(route);
}

/** Tells whether every role of the caller only reads; today that is the internal auditor. */
function isReadOnly(caller: Caller): boolean {
  return caller.roles.length > 0 && caller.roles.every((role) => role === 'internal_auditor');
}

/** Returns the authenticated caller; routes behind the hook always have one. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) {
    throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token as "Authorization: Bearer <token>"');
  }
  return request.caller;
}
