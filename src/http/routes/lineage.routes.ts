import { Type } from '@sinclair/typebox';
import { deployModelVersion, withdrawModelVersion } from '../../models/deployments.service.js';
import { AiSystemLineage } from '../../models/lineage.schemas.js';
import { getAiSystemLineage } from '../../models/lineage.service.js';
import { Deployment, LinkModelVersion, UnlinkModelVersionQuery } from '../../models/model.schemas.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['lineage'];

const DeploymentParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), modelVersionId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

/** Registers the routes that record which model versions run in an AI system, and the read of its lineage. */
export const lineageRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/ai-systems/:id/lineage',
    {
      schema: {
        tags,
        summary: 'Read what runs in each environment of an AI system: model versions, their training, validation and test data with fingerprints, and third-party components',
        params: IdParams,
        response: { 200: AiSystemLineage, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getAiSystemLineage(ctx, callerOf(request), request.params.id),
  );

  app.post(
    '/api/ai-systems/:id/model-versions',
    {
      schema: {
        tags,
        summary: 'Record that a model version runs in an environment of an AI system',
        params: IdParams,
        body: LinkModelVersion,
        querystring: ReasonQuery,
        response: { 201: Deployment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const deployment = await deployModelVersion(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201);
      return deployment;
    },
  );

  app.delete(
    '/api/ai-systems/:id/model-versions/:modelVersionId',
    {
      schema: {
        tags,
        summary: 'Record that a model version no longer runs in the given environment of an AI system',
        params: DeploymentParams,
        querystring: UnlinkModelVersionQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await withdrawModelVersion(ctx, callerOf(request), request.params.id, request.params.modelVersionId, request.query.environment, request.query.reason);
      void reply.status(204);
      return null;
    },
  );
};
