import { Type } from '@sinclair/typebox';
import { CreateRaciAssignment, RaciAssignment, RaciListQuery } from '../../people/raci-assignment.schemas.js';
import { createRaciAssignment, deleteRaciAssignment, getRaciAssignment, listRaciAssignments } from '../../people/raci-assignments.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['people'];

export const raciRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/ai-systems/:id/raci',
    {
      schema: {
        tags,
        summary: 'List the RACI assignments of an AI system with filters, sorting and pagination',
        params: IdParams,
        querystring: RaciListQuery,
        response: { 200: Page(RaciAssignment), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listRaciAssignments(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/ai-systems/:id/raci',
    {
      schema: {
        tags,
        summary: 'Make a person or a team responsible, accountable, consulted or informed for an activity; one accountable party per activity',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateRaciAssignment,
        response: { 201: RaciAssignment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRaciAssignment(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/raci-assignments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/raci-assignments/:id',
    { schema: { tags, summary: 'Read one RACI assignment', params: IdParams, response: { 200: RaciAssignment, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const assignment = await getRaciAssignment(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(assignment.version));
      return assignment;
    },
  );

  app.delete(
    '/api/raci-assignments/:id',
    {
      schema: {
        tags,
        summary: 'Remove a RACI assignment (the audit trail keeps it)',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteRaciAssignment(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
