import { Type } from '@sinclair/typebox';
import {
  AiSystemListQuery,
  AiSystemWithClassification,
  CreateAiSystem,
  LifecycleTransition,
  LifecycleTransitionRequest,
  UpdateAiSystem,
} from '../../ai-systems/ai-system.schemas.js';
import {
  changeLifecycleStage,
  createAiSystem,
  deleteAiSystem,
  getAiSystem,
  listAiSystems,
  listLifecycleTransitions,
  updateAiSystem,
} from '../../ai-systems/ai-systems.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['AI systems'];

export const aiSystemRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/ai-systems',
    {
      schema: {
        tags,
        summary: 'List AI systems with filters, sorting and pagination, each with its current classification and stale flag',
        querystring: AiSystemListQuery,
        response: { 200: Page(AiSystemWithClassification), ...commonErrors },
      },
    },
    async (request) => listAiSystems(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/ai-systems',
    {
      schema: {
        tags,
        summary: 'Register an AI system',
        body: CreateAiSystem,
        querystring: ReasonQuery,
        response: { 201: AiSystemWithClassification, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createAiSystem(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/ai-systems/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/ai-systems/:id',
    {
      schema: { tags, summary: 'Read one AI system', params: IdParams, response: { 200: AiSystemWithClassification, 404: ErrorResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const system = await getAiSystem(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(system.version));
      return system;
    },
  );

  app.patch(
    '/api/ai-systems/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of an AI system; send If-Match with the ETag you read to avoid lost updates',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateAiSystem,
        response: { 200: AiSystemWithClassification, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateAiSystem(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/ai-systems/:id',
    {
      schema: {
        tags,
        summary: 'Remove an AI system from the register (the audit trail keeps its history)',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteAiSystem(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/ai-systems/:id/lifecycle-transitions',
    {
      schema: {
        tags,
        summary: 'Move an AI system to another lifecycle stage, with the reason',
        params: IdParams,
        body: LifecycleTransitionRequest,
        response: { 201: Type.Object({ aiSystem: AiSystemWithClassification, transition: LifecycleTransition }), ...changeErrors },
      },
    },
    async (request, reply) => {
      const result = await changeLifecycleStage(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
      });
      void reply.status(201).header('etag', etagOf(result.aiSystem.version));
      return result;
    },
  );

  app.get(
    '/api/ai-systems/:id/lifecycle-transitions',
    {
      schema: {
        tags,
        summary: 'List the lifecycle transitions of an AI system, oldest first',
        params: IdParams,
        response: { 200: Type.Array(LifecycleTransition), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listLifecycleTransitions(ctx, callerOf(request), request.params.id),
  );
};
