import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateDataset,
  Dataset,
  DatasetListQuery,
  DatasetVersion,
  DatasetVersionListQuery,
  DatasetVersionUploadQuery,
  UpdateDataset,
} from '../../datasets/dataset.schemas.js';
import {
  addDatasetVersionFromUpload,
  deleteDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
} from '../../datasets/dataset-versions.service.js';
import { createDataset, deleteDataset, getDataset, listDatasets, updateDataset } from '../../datasets/datasets.service.js';
import { uploadTooLarge } from '../../datasets/fingerprint.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { Page } from '../../platform/pagination.js';
import type { App, RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { validatorCompiler } from '../validator.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['datasets'];

const VersionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), versionId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const datasetRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/datasets',
    { schema: { tags, summary: 'List datasets with filters, sorting and pagination', querystring: DatasetListQuery, response: { 200: Page(Dataset), ...commonErrors } } },
    async (request) => listDatasets(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/datasets',
    { schema: { tags, summary: 'Add a dataset to the inventory', body: CreateDataset, querystring: ReasonQuery, response: { 201: Dataset, ...changeErrors } } },
    async (request, reply) => {
      const created = await createDataset(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/datasets/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/datasets/:id',
    { schema: { tags, summary: 'Read one dataset', params: IdParams, response: { 200: Dataset, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const dataset = await getDataset(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(dataset.version));
      return dataset;
    },
  );

  app.patch(
    '/api/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of a dataset; send If-Match with the ETag you read to avoid lost updates',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateDataset,
        response: { 200: Dataset, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateDataset(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/datasets/:id',
    {
      schema: { tags, summary: 'Remove a dataset that has no versions left', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteDataset(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/datasets/:id/versions',
    {
      schema: {
        tags,
        summary: 'List the versions of a dataset with their fingerprints; filter by sha256 to find which version a file is',
        params: IdParams,
        querystring: DatasetVersionListQuery,
        response: { 200: Page(DatasetVersion), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listDatasetVersions(ctx, callerOf(request), request.params.id, request.query),
  );

  registerUpload(app, ctx);

  app.get(
    '/api/datasets/:id/versions/:versionId',
    { schema: { tags, summary: 'Read one dataset version', params: VersionParams, response: { 200: DatasetVersion, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const version = await getDatasetVersion(ctx, callerOf(request), request.params.id, request.params.versionId);
      void reply.header('etag', etagOf(version.version));
      return version;
    },
  );

  app.delete(
    '/api/datasets/:id/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'Remove a dataset version that no model version used',
        params: VersionParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteDatasetVersion(ctx, callerOf(request), request.params.id, request.params.versionId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};

/**
 * Registers the upload of a dataset version in a plugin scope of its own, so that only this
 * route accepts application/octet-stream and its size limit applies nowhere else. The parser
 * hands the request stream to the handler unread; the service streams it through the hash.
 */
function registerUpload(app: App, ctx: ServiceContext): void {
  const limitBytes = ctx.config.datasetUploadLimitBytes;
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/octet-stream', (request, payload, done) => {
      const encoding = request.headers['content-encoding'];
      if (encoding !== undefined && encoding !== 'identity') {
        done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not accepted here; send the dataset file uncompressed, because its fingerprint is computed from the bytes received`));
        return;
      }
      if (Number(request.headers['content-length'] ?? 0) > limitBytes) {
        done(uploadTooLarge(limitBytes));
        return;
      }
      done(null, payload);
    });
    scope.addContentTypeParser('*', (request, _payload, done) => {
      done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Content-Type "${request.headers['content-type'] ?? ''}" is not accepted here; send the dataset file as the body with Content-Type: application/octet-stream`));
    });
    // The body schema below only documents the upload in OpenAPI; the body is a stream, checked by the service.
    scope.setValidatorCompiler((route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route)));
    // A response sent before the body was read in full closes the connection, so that the client stops sending.
    scope.addHook('onSend', async (request, reply) => {
      if (request.body instanceof Readable && !request.body.readableEnded) void reply.header('connection', 'close');
    });

    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/datasets/:id/versions',
      {
        schema: {
          tags,
          summary: 'Add a version of a dataset by uploading its file; custos computes the SHA-256 fingerprint from the bytes and does not keep them',
          description:
            'Send the file as the raw body with Content-Type: application/octet-stream, for example `curl --data-binary @file.csv`. ' +
            `The body may be up to CUSTOS_DATASET_UPLOAD_LIMIT_BYTES (now ${limitBytes} bytes).`,
          consumes: ['application/octet-stream'],
          body: Type.String({ format: 'binary', description: 'The bytes of the dataset file' }),
          params: IdParams,
          querystring: DatasetVersionUploadQuery,
          response: { 201: DatasetVersion, 413: ErrorResponse, 415: ErrorResponse, ...changeErrors },
        },
      },
      async (request, reply) => {
        // The parser above passes on the request stream, whatever type the documentation schema declares.
        const body: unknown = request.body;
        if (!(body instanceof Readable)) {
          throw new AppError('VALIDATION_FAILED', 'The request has no body; send the dataset file as the body with Content-Type: application/octet-stream');
        }
        const created = await addDatasetVersionFromUpload(ctx, callerOf(request), request.params.id, request.query, body);
        void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/datasets/${created.datasetId}/versions/${created.id}`);
        return created;
      },
    );
  });
}
