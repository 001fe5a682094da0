import { Type } from '@sinclair/typebox';
import {
  Answer,
  AnswerListQuery,
  Assessment,
  AssessmentListQuery,
  AssessmentScores,
  CreateAssessment,
  CreateRemediationAction,
  MaturityScale,
  RemediationAction,
  RemediationActionListQuery,
  RemediationPlanEntry,
  RemediationPlanQuery,
  TrendQuery,
  UpdateAnswer,
  UpdateAssessment,
  UpdateRemediationAction,
} from '../../assessments/assessment.schemas.js';
import { getAnswer, listAnswers, updateAnswer } from '../../assessments/answers.service.js';
import {
  completeAssessment,
  createAssessment,
  deleteAssessment,
  getAssessment,
  getMaturityScale,
  listAssessments,
  updateAssessment,
} from '../../assessments/assessments.service.js';
import { createRemediationAction, getRemediationAction, listRemediationActions, updateRemediationAction } from '../../assessments/remediation-actions.service.js';
import { getRemediationPlan, getScores, getTrend } from '../../assessments/results.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['assessments'];

const AnswerParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    ref: Type.String({ minLength: 3, maxLength: 200, description: 'Catalogue ref of the item, URL-encoded, for example iso42001:A.6.2.4' }),
  },
  { additionalProperties: false },
);
const ActionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), actionId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const assessmentRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/assessments/maturity-scale',
    { schema: { tags, summary: 'Read the maturity scale 0 to 5 with the criteria of each level', response: { 200: MaturityScale, ...commonErrors } } },
    async (request) => getMaturityScale(callerOf(request)),
  );

  app.get(
    '/api/assessments/trend',
    {
      schema: {
        tags,
        summary: 'List completed gap assessments in completion order, each with its scores per clause and Annex A group',
        querystring: TrendQuery,
        response: { 200: Page(AssessmentScores), ...commonErrors },
      },
    },
    async (request) => getTrend(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/assessments',
    { schema: { tags, summary: 'List assessments with their progress', querystring: AssessmentListQuery, response: { 200: Page(Assessment), ...commonErrors } } },
    async (request) => listAssessments(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/assessments',
    {
      schema: {
        tags,
        summary: 'Start a gap assessment over every clause leaf and control, or a mock audit over a seeded random sample of controls',
        body: CreateAssessment,
        querystring: ReasonQuery,
        response: { 201: Assessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createAssessment(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/assessments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/assessments/:id',
    { schema: { tags, summary: 'Read one assessment with its progress', params: IdParams, response: { 200: Assessment, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const assessment = await getAssessment(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(assessment.version));
      return assessment;
    },
  );

  app.patch(
    '/api/assessments/:id',
    {
      schema: {
        tags,
        summary: 'Change the title, description, target level or lead assessor of an assessment in progress; send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateAssessment,
        response: { 200: Assessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateAssessment(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/assessments/:id',
    {
      schema: {
        tags,
        summary: 'Discard an assessment in progress that has no remediation actions, with its answers',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteAssessment(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/assessments/:id/complete',
    {
      schema: {
        tags,
        summary: 'Complete an assessment whose items are all answered or marked not applicable, and freeze its answers',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 200: Assessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const completed = await completeAssessment(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(completed.version));
      return completed;
    },
  );

  app.get(
    '/api/assessments/:id/answers',
    {
      schema: {
        tags,
        summary: 'List the items of an assessment in questionnaire order with their answers',
        params: IdParams,
        querystring: AnswerListQuery,
        response: { 200: Page(Answer), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listAnswers(ctx, callerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/assessments/:id/answers/:ref',
    { schema: { tags, summary: 'Read the answer to one item', params: AnswerParams, response: { 200: Answer, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const answer = await getAnswer(ctx, callerOf(request), request.params.id, request.params.ref);
      void reply.header('etag', etagOf(answer.version));
      return answer;
    },
  );

  app.patch(
    '/api/assessments/:id/answers/:ref',
    {
      schema: {
        tags,
        summary: 'Answer one item: maturity level, comment, evidence, weight, effort, not-applicable mark or mock audit finding',
        params: AnswerParams,
        querystring: ReasonQuery,
        body: UpdateAnswer,
        response: { 200: Answer, ...changeErrors },
      },
    },
    async (request, reply) => {
      const answer = await updateAnswer(ctx, callerOf(request), request.params.id, request.params.ref, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(answer.version));
      return answer;
    },
  );

  app.get(
    '/api/assessments/:id/scores',
    {
      schema: {
        tags,
        summary: 'Roll up the maturity levels per clause and Annex A group, weighted, as a heatmap-ready table',
        params: IdParams,
        response: { 200: AssessmentScores, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getScores(ctx, callerOf(request), request.params.id),
  );

  app.get(
    '/api/assessments/:id/remediation-plan',
    {
      schema: {
        tags,
        summary: 'List the items below the target level by priority (gap times weight), then effort',
        params: IdParams,
        querystring: RemediationPlanQuery,
        response: { 200: Page(RemediationPlanEntry), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getRemediationPlan(ctx, callerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/assessments/:id/remediation-actions',
    {
      schema: {
        tags,
        summary: 'List the remediation actions raised from an assessment',
        params: IdParams,
        querystring: RemediationActionListQuery,
        response: { 200: Page(RemediationAction), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listRemediationActions(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/assessments/:id/remediation-actions',
    {
      schema: {
        tags,
        summary: 'Turn an item of the remediation plan into an action with an owner and a due date',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateRemediationAction,
        response: { 201: RemediationAction, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRemediationAction(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply
        .status(201)
        .header('etag', etagOf(created.version))
        .header('location', `/api/assessments/${created.assessmentId}/remediation-actions/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/assessments/:id/remediation-actions/:actionId',
    {
      schema: { tags, summary: 'Read one remediation action', params: ActionParams, response: { 200: RemediationAction, 404: ErrorResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const action = await getRemediationAction(ctx, callerOf(request), request.params.id, request.params.actionId);
      void reply.header('etag', etagOf(action.version));
      return action;
    },
  );

  app.patch(
    '/api/assessments/:id/remediation-actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Change a remediation action, including its status; send If-Match with the ETag you read',
        params: ActionParams,
        querystring: ReasonQuery,
        body: UpdateRemediationAction,
        response: { 200: RemediationAction, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateRemediationAction(ctx, callerOf(request), request.params.id, request.params.actionId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );
};
