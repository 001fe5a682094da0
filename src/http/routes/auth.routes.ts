import { Type } from '@sinclair/typebox';
import { ApiToken, CreateApiToken, IssuedApiToken, createApiToken, revokeApiToken } from '../../users/tokens.service.js';
import { SignInRequest, signIn, signOut } from '../../users/sessions.service.js';
import { CreateUser, User, createUser, getUserById, listUsers } from '../../users/users.service.js';
import type { RouteModule } from '../app.js';
import { callerOf, sessionCookieName } from '../authentication.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams } from '../schemas.js';

export const authRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with username and password; sets an httpOnly session cookie',
        security: [],
        body: SignInRequest,
        response: { 200: Type.Object({ user: User, expiresAt: Type.String() }), 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const session = await signIn(ctx, request.body, request.id);
      void reply.setCookie(sessionCookieName, session.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        expires: new Date(session.expiresAt),
      });
      return { user: session.user, expiresAt: session.expiresAt };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags: ['authentication'], summary: 'End the current session', response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      const sessionId = request.cookies[sessionCookieName];
      if (sessionId) await signOut(ctx, callerOf(request), sessionId);
      void reply.clearCookie(sessionCookieName, { path: '/' }).status(204);
      return null;
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['authentication'], summary: 'The signed-in user and the roles this request acts with', response: { 200: Type.Object({ user: User, actingRoles: Type.Array(Type.String()) }), ...commonErrors } } },
    async (request) => {
      const caller = callerOf(request);
      return { user: await getUserById(ctx.database.db, caller.userId), actingRoles: [...caller.roles] };
    },
  );

  app.get(
    '/api/users',
    { schema: { tags: ['users'], summary: 'List user accounts (administrators only)', response: { 200: Type.Array(User), ...commonErrors } } },
    async (request) => listUsers(ctx, callerOf(request)),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Create a user account (administrators only)', body: CreateUser, response: { 201: User, ...changeErrors } } },
    async (request, reply) => {
      const user = await createUser(ctx, callerOf(request), request.body);
      void reply.status(201);
      return user;
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['users'],
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
    { schema: { tags: ['users'], summary: 'Revoke an API token', params: IdParams, response: { 200: ApiToken, ...changeErrors } } },
    async (request) => revokeApiToken(ctx, callerOf(request), request.params.id),
  );
};
