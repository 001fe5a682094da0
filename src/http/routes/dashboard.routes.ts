import { getDashboard } from '../../dashboard/dashboard.service.js';
import { DashboardSummary, RiskFacets, RiskHeatmap, RiskHeatmapQuery } from '../../dashboard/dashboard.schemas.js';
import { getRiskFacets, getRiskHeatmap } from '../../dashboard/risk-heatmap.service.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { commonErrors } from '../schemas.js';

const tags = ['dashboard'];

export const dashboardRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/dashboard',
    {
      schema: {
        tags,
        summary: 'Summarize the management system in one read: AI systems by stage and tier, the risk heatmap, SoA progress, maturity, overdue items and failed measurements',
        description: 'Each count is the total of the list endpoint it names, so a panel can link to that list with the same filter.',
        response: { 200: DashboardSummary, ...commonErrors },
      },
    },
    async (request) => getDashboard(ctx, callerOf(request)),
  );

  app.get(
    '/api/dashboard/risk-heatmap',
    {
      schema: {
        tags,
        summary: 'Count the risks that match the filters of GET /api/risks per likelihood × impact cell of the active matrix',
        querystring: RiskHeatmapQuery,
        response: { 200: RiskHeatmap, ...commonErrors },
      },
    },
    async (request) => getRiskHeatmap(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/dashboard/risk-facets',
    {
      schema: { tags, summary: 'List the AI systems and owners that have risks, and every risk category, each with its number of risks', response: { 200: RiskFacets, ...commonErrors } },
    },
    async (request) => getRiskFacets(ctx, callerOf(request)),
  );
};
