import { Type } from '@sinclair/typebox';
import { CreateRoleAssignment, RoleAssignment, RoleAssignmentListQuery } from '../../people/role-assignment.schemas.js';
import { createRoleAssignment, deleteRoleAssignment, getRoleAssignment, listRoleAssignments } from '../../people/role-assignments.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['people'];

export const roleAssignmentRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/role-assignments',
    {
      schema: {
        tags,
        summary: 'List who holds which AIMS role, for the organization or for one AI system',
        querystring: RoleAssignmentListQuery,
        response: { 200: Page(RoleAssignment), ...commonErrors },
      },
    },
    async (request) => listRoleAssignments(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/role-assignments',
    {
      schema: {
        tags,
        summary: 'Give a person a role, for the whole organization or for one AI system',
        body: CreateRoleAssignment,
        querystring: ReasonQuery,
        response: { 201: RoleAssignment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRoleAssignment(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/role-assignments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/role-assignments/:id',
    { schema: { tags, summary: 'Read one role assignment', params: IdParams, response: { 200: RoleAssignment, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const assignment = await getRoleAssignment(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(assignment.version));
      return assignment;
    },
  );

  app.delete(
    '/api/role-assignments/:id',
    {
      schema: {
        tags,
        summary: 'Take a role from a person (the audit trail keeps the assignment)',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteRoleAssignment(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
