import { Type } from '@sinclair/typebox';
import {
  CloseMonitoringTask,
  KpiQuery,
  KpiReport,
  MeasurementRun,
  MeasurementRunListQuery,
  MeasurementRunSummary,
  MonitoringTask,
  MonitoringTaskListQuery,
} from '../../measurement/measurement.schemas.js';
import { getKpiReport, getMeasurementRun, listMeasurementRuns } from '../../measurement/measurements.service.js';
import { closeMonitoringTask, getMonitoringTask, listMonitoringTasks } from '../../measurement/monitoring-tasks.service.js';
import { AllMeasurementRunsQuery, listAllMeasurementRuns, MeasurementRunListItem } from '../../measurement/measurement-runs.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['measurements'];

const KpiParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    metric: Type.String({ minLength: 1, maxLength: 100, description: 'A metric name of the policy vocabulary, such as false_positive_rate or psi' }),
  },
  { additionalProperties: false },
);

/** Registers measurement runs, KPI series with their control charts, and monitoring tasks. Runs are recorded by the CLI, not over HTTP. */
export const measurementRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/ai-systems/:id/measurements',
    {
      schema: {
        tags,
        summary: 'List the measurement runs of an AI system, newest first, with filters by kind, result, model version and time',
        params: IdParams,
        querystring: MeasurementRunListQuery,
        response: { 200: Page(MeasurementRunSummary), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listMeasurementRuns(ctx, callerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/measurements',
    {
      schema: {
        tags,
        summary: 'List the measurement runs of every AI system, newest first, with the names of the system, model version and who ran it; filters by system, kind, result and time',
        querystring: AllMeasurementRunsQuery,
        response: { 200: Page(MeasurementRunListItem), ...commonErrors },
      },
    },
    async (request) => listAllMeasurementRuns(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/measurements/:id',
    {
      schema: {
        tags,
        summary: 'Read one measurement run: its data files with SHA-256 fingerprints, the policy it ran, every value and the full JSON report',
        params: IdParams,
        response: { 200: MeasurementRun, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getMeasurementRun(ctx, callerOf(request), request.params.id),
  );

  app.get(
    '/api/ai-systems/:id/kpis/:metric',
    {
      schema: {
        tags,
        summary: 'Read the KPI series of one metric of an AI system, one per parameters, column and group, with Shewhart, CUSUM and EWMA charts and their breaches',
        params: KpiParams,
        querystring: KpiQuery,
        response: { 200: KpiReport, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getKpiReport(ctx, callerOf(request), request.params.id, request.params.metric, request.query),
  );

  app.get(
    '/api/monitoring-tasks',
    {
      schema: {
        tags,
        summary: 'List retraining and review tasks opened by control chart breaches, open ones first by due date',
        querystring: MonitoringTaskListQuery,
        response: { 200: Page(MonitoringTask), ...commonErrors },
      },
    },
    async (request) => listMonitoringTasks(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/monitoring-tasks/:id',
    {
      schema: { tags, summary: 'Read one monitoring task with the breach that opened it', params: IdParams, response: { 200: MonitoringTask, 404: ErrorResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const task = await getMonitoringTask(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(task.version));
      return task;
    },
  );

  app.post(
    '/api/monitoring-tasks/:id/close',
    {
      schema: {
        tags,
        summary: 'Close an open monitoring task with its resolution; a closed task gives 409. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: CloseMonitoringTask,
        response: { 200: MonitoringTask, ...changeErrors },
      },
    },
    async (request, reply) => {
      const closed = await closeMonitoringTask(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(closed.version));
      return closed;
    },
  );
};
