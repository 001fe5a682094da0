import { Type } from '@sinclair/typebox';
import {
  CreateObjective,
  Measurement,
  MeasurementListQuery,
  Objective,
  ObjectiveListQuery,
  RecordedMeasurement,
  RecordMeasurement,
  UpdateObjective,
} from '../../objectives/objective.schemas.js';
import {
  createObjective,
  deleteObjective,
  getObjective,
  listMeasurements,
  listObjectives,
  recordMeasurement,
  updateObjective,
} from '../../objectives/objectives.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['objectives'];

export const objectiveRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/objectives',
    {
      schema: { tags, summary: 'List AI objectives with filters, sorting and pagination', querystring: ObjectiveListQuery, response: { 200: Page(Objective), ...commonErrors } },
    },
    async (request) => listObjectives(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/objectives',
    {
      schema: {
        tags,
        summary: 'Set an AI objective with a measurable target, an owner and a due date',
        body: CreateObjective,
        querystring: ReasonQuery,
        response: { 201: Objective, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createObjective(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/objectives/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/objectives/:id',
    { schema: { tags, summary: 'Read one AI objective', params: IdParams, response: { 200: Objective, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const objective = await getObjective(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(objective.version));
      return objective;
    },
  );

  app.patch(
    '/api/objectives/:id',
    {
      schema: {
        tags,
        summary: 'Change an AI objective, its target or its links; KPI values are recorded as measurements. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateObjective,
        response: { 200: Objective, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateObjective(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/objectives/:id',
    {
      schema: { tags, summary: 'Remove an AI objective with its measurement history', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteObjective(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/objectives/:id/measurements',
    {
      schema: {
        tags,
        summary: 'List the KPI values recorded for an objective, oldest first unless sorted by -measuredAt',
        params: IdParams,
        querystring: MeasurementListQuery,
        response: { 200: Page(Measurement), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listMeasurements(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/objectives/:id/measurements',
    {
      schema: {
        tags,
        summary: 'Record a KPI value; the latest value by measuredAt becomes the current one and shows whether the target is met',
        params: IdParams,
        querystring: ReasonQuery,
        body: RecordMeasurement,
        response: { 201: RecordedMeasurement, ...changeErrors },
      },
    },
    async (request, reply) => {
      const recorded = await recordMeasurement(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(201).header('etag', etagOf(recorded.objective.version));
      return recorded;
    },
  );
};
