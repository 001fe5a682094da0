import { AiSystemControls, listAiSystemControls } from '../../ai-systems/ai-system-controls.service.js';
import { AiSystemFacets, getAiSystemFacets } from '../../ai-systems/ai-system-facets.service.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { commonErrors, ErrorResponse, IdParams } from '../schemas.js';

const tags = ['AI systems'];

/** Registers read-only views over the register that the web app's register and detail screens use. */
export const aiSystemViewRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/ai-systems/facets',
    {
      schema: {
        tags,
        summary: 'List the values the register can be filtered by (stages, business units, owners, tiers) with the number of AI systems for each',
        description: 'Each count equals the total of GET /api/ai-systems with that filter alone.',
        response: { 200: AiSystemFacets, ...commonErrors },
      },
    },
    async (request) => getAiSystemFacets(ctx, callerOf(request)),
  );

  app.get(
    '/api/ai-systems/:id/controls',
    {
      schema: {
        tags,
        summary: "List the controls that treatments of an AI system's risks carry out, with their decision, status and owner in the current Statement of Applicability",
        params: IdParams,
        response: { 200: AiSystemControls, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listAiSystemControls(ctx, callerOf(request), request.params.id),
  );
};
