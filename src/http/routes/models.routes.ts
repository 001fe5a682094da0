import { Type } from '@sinclair/typebox';
import {
  CreateModel,
  CreateModelVersion,
  LinkTrainingData,
  Model,
  ModelListQuery,
  ModelVersion,
  ModelVersionListQuery,
  TrainingDataEntry,
  TrainingDataLink,
  UnlinkTrainingDataQuery,
  UpdateModel,
  UpdateModelVersion,
} from '../../models/model.schemas.js';
import { createModelVersion, deleteModelVersion, getModelVersion, listModelVersions, updateModelVersion } from '../../models/model-versions.service.js';
import { createModel, deleteModel, getModel, listModels, updateModel } from '../../models/models.service.js';
import { addTrainingData, listTrainingData, removeTrainingData } from '../../models/training-data.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['models'];

const VersionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), versionId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const TrainingDataParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    versionId: Type.String({ minLength: 1, maxLength: 64 }),
    datasetVersionId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const modelRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/models',
    { schema: { tags, summary: 'List models with filters, sorting and pagination', querystring: ModelListQuery, response: { 200: Page(Model), ...commonErrors } } },
    async (request) => listModels(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/models',
    { schema: { tags, summary: 'Add a model to the inventory', body: CreateModel, querystring: ReasonQuery, response: { 201: Model, ...changeErrors } } },
    async (request, reply) => {
      const created = await createModel(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/models/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/models/:id',
    { schema: { tags, summary: 'Read one model', params: IdParams, response: { 200: Model, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const model = await getModel(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(model.version));
      return model;
    },
  );

  app.patch(
    '/api/models/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of a model; send If-Match with the ETag you read to avoid lost updates',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateModel,
        response: { 200: Model, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateModel(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/models/:id',
    {
      schema: { tags, summary: 'Remove a model that has no versions left', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteModel(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/models/:id/versions',
    {
      schema: {
        tags,
        summary: 'List the versions of a model',
        params: IdParams,
        querystring: ModelVersionListQuery,
        response: { 200: Page(ModelVersion), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listModelVersions(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/models/:id/versions',
    {
      schema: {
        tags,
        summary: 'Add a version to a model',
        params: IdParams,
        body: CreateModelVersion,
        querystring: ReasonQuery,
        response: { 201: ModelVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createModelVersion(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/models/${created.modelId}/versions/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/models/:id/versions/:versionId',
    { schema: { tags, summary: 'Read one model version', params: VersionParams, response: { 200: ModelVersion, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const version = await getModelVersion(ctx, callerOf(request), request.params.id, request.params.versionId);
      void reply.header('etag', etagOf(version.version));
      return version;
    },
  );

  app.patch(
    '/api/models/:id/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'Change the label or description of a model version; send If-Match with the ETag you read',
        params: VersionParams,
        querystring: ReasonQuery,
        body: UpdateModelVersion,
        response: { 200: ModelVersion, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateModelVersion(ctx, callerOf(request), request.params.id, request.params.versionId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/models/:id/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'Remove a model version that runs in no AI system, with its training data links',
        params: VersionParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteModelVersion(ctx, callerOf(request), request.params.id, request.params.versionId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/models/:id/versions/:versionId/training-data',
    {
      schema: {
        tags,
        summary: 'List the dataset versions a model version was trained, validated and tested on, with their fingerprints',
        params: VersionParams,
        response: { 200: Type.Array(TrainingDataEntry), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listTrainingData(ctx, callerOf(request), request.params.id, request.params.versionId),
  );

  app.post(
    '/api/models/:id/versions/:versionId/training-data',
    {
      schema: {
        tags,
        summary: 'Record that a model version was trained, validated or tested on a dataset version',
        params: VersionParams,
        body: LinkTrainingData,
        querystring: ReasonQuery,
        response: { 201: TrainingDataLink, ...changeErrors },
      },
    },
    async (request, reply) => {
      const link = await addTrainingData(ctx, callerOf(request), request.params.id, request.params.versionId, request.body, request.query.reason);
      void reply.status(201);
      return link;
    },
  );

  app.delete(
    '/api/models/:id/versions/:versionId/training-data/:datasetVersionId',
    {
      schema: {
        tags,
        summary: 'Remove the record that a model version used a dataset version for the given purpose',
        params: TrainingDataParams,
        querystring: UnlinkTrainingDataQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      const { id, versionId, datasetVersionId } = request.params;
      await removeTrainingData(ctx, callerOf(request), id, versionId, datasetVersionId, request.query.purpose, request.query.reason);
      void reply.status(204);
      return null;
    },
  );
};
