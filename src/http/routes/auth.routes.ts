import { Type } from '@sinclair/typebox';
import { SignInRequest, signIn, signOut } from '../../users/sessions.service.js';
import { CreateUser, User, UserListQuery, UserName, UserNamesQuery, createUser, getUserById, listUserNames, listUsers } from '../../users/users.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf, sessionCookieName } from '../authentication.js';
import { permissionsOf } from '../../platform/auth/policy.js';
import { changeErrors, commonErrors, ErrorResponse } from '../schemas.js';

export const authRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with username and password; sets an httpOnly session cookie',
        security: [],
        body: SignInRequest,
        response: { 200: Type.Object({ user: User, expiresAt: Type.String() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const session = await signIn(ctx, request.body, request.id, request.ip);
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
    {
      schema: {
        tags: ['authentication'],
        summary: 'The signed-in user, the roles this request acts with and the permissions they grant',
        response: {
          200: Type.Object({
            user: User,
            actingRoles: Type.Array(Type.String()),
            permissions: Type.Array(Type.String(), { description: 'Names such as soa.write; a read-only caller has only *.read ones' }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { user: await getUserById(ctx.database.db, caller.userId), actingRoles: [...caller.roles], permissions: permissionsOf(caller) };
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List user accounts by username, with filters and pagination (administrators only)',
        querystring: UserListQuery,
        response: { 200: Page(User), ...commonErrors },
      },
    },
    async (request) => listUsers(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/users/names',
    {
      schema: {
        tags: ['users'],
        summary: 'Look up the display names of up to 200 users by id, for showing who acted. Every role that reads the register may call it',
        description:
          'Returns id and display name only, never the username, roles or account state, ordered by display name. Ids that name no account are left out, so a missing entry means the account does not exist.',
        querystring: UserNamesQuery,
        response: { 200: Type.Array(UserName), ...commonErrors },
      },
    },
    async (request) => listUserNames(ctx, callerOf(request), request.query),
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
};
