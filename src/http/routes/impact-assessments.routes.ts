import { Type } from '@sinclair/typebox';
import { getAiaAnswers, getAiaScore, getCanadaAiaTemplate, putAiaAnswers } from '../../impact-assessments/canada-aia.service.js';
import {
  AiaAnswers,
  AiaScore,
  AiaTemplate,
  ApproveImpactAssessment,
  Completeness,
  CreateImpact,
  CreateImpactAssessment,
  CreateRevision,
  Impact,
  ImpactAssessment,
  ImpactAssessmentListQuery,
  ImpactAssessmentSummary,
  PutAiaAnswers,
  UpdateImpact,
  UpdateImpactAssessment,
} from '../../impact-assessments/impact-assessment.schemas.js';
import {
  approveImpactAssessment,
  createImpactAssessment,
  createRevision,
  deleteImpactAssessment,
  getCompleteness,
  getImpactAssessment,
  listImpactAssessments,
  updateImpactAssessment,
} from '../../impact-assessments/impact-assessments.service.js';
import { createImpact, deleteImpact, getImpact, updateImpact } from '../../impact-assessments/impacts.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { treatMissingBodyAsEmpty } from '../input-checks.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['impact assessments'];

const ImpactParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), impactId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const impactAssessmentRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/impact-assessments/templates/canada-aia',
    {
      schema: {
        tags,
        summary: "Read the Government of Canada's Algorithmic Impact Assessment questionnaire: pages, questions, choices with their points, and the scoring figures",
        response: { 200: AiaTemplate, ...commonErrors },
      },
    },
    async (request) => getCanadaAiaTemplate(callerOf(request)),
  );

  app.get(
    '/api/impact-assessments',
    {
      schema: {
        tags,
        summary: 'List impact assessments without their content, with filters, sorting and pagination',
        querystring: ImpactAssessmentListQuery,
        response: { 200: Page(ImpactAssessmentSummary), ...commonErrors },
      },
    },
    async (request) => listImpactAssessments(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/impact-assessments',
    {
      schema: {
        tags,
        summary: 'Start the draft of an impact assessment of an AI system; an AI system has at most one open draft',
        body: CreateImpactAssessment,
        querystring: ReasonQuery,
        response: { 201: ImpactAssessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createImpactAssessment(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/impact-assessments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/impact-assessments/:id',
    { schema: { tags, summary: 'Read one impact assessment with its content and impacts', params: IdParams, response: { 200: ImpactAssessment, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const assessment = await getImpactAssessment(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(assessment.version));
      return assessment;
    },
  );

  app.patch(
    '/api/impact-assessments/:id',
    {
      schema: {
        tags,
        summary: 'Change the content, FRIA flag, classification or risk links of a draft; approved versions are frozen (409). Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateImpactAssessment,
        response: { 200: ImpactAssessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateImpactAssessment(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/impact-assessments/:id',
    {
      schema: {
        tags,
        summary: 'Discard a draft with its impacts; approved versions are kept',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteImpactAssessment(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/impact-assessments/:id/revisions',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary: 'Start the next version as a draft copied from this approved version, with its impacts, risk links and Canada AIA answers',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateRevision,
        response: { 201: ImpactAssessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRevision(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/impact-assessments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/impact-assessments/:id/completeness',
    {
      schema: {
        tags,
        summary: 'Report which sections of ISO/IEC 42005 clause 6 and, for a FRIA, which points of EU AI Act Art 27(1) are still missing',
        params: IdParams,
        response: { 200: Completeness, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getCompleteness(ctx, callerOf(request), request.params.id),
  );

  app.post(
    '/api/impact-assessments/:id/approve',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary:
          'Approve a complete draft, freezing it; the approver must not have authored or edited it (403), and missing content gives 409. Send If-Match with the ETag of the version you reviewed',
        params: IdParams,
        body: ApproveImpactAssessment,
        response: { 200: ImpactAssessment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const approved = await approveImpactAssessment(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
      });
      void reply.header('etag', etagOf(approved.version));
      return approved;
    },
  );

  app.post(
    '/api/impact-assessments/:id/impacts',
    {
      schema: {
        tags,
        summary: 'Add an impact (benefit or harm) to a draft',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateImpact,
        response: { 201: Impact, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createImpact(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/impact-assessments/${created.assessmentId}/impacts/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/impact-assessments/:id/impacts/:impactId',
    { schema: { tags, summary: 'Read one impact', params: ImpactParams, response: { 200: Impact, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const impact = await getImpact(ctx, callerOf(request), request.params.id, request.params.impactId);
      void reply.header('etag', etagOf(impact.version));
      return impact;
    },
  );

  app.patch(
    '/api/impact-assessments/:id/impacts/:impactId',
    {
      schema: {
        tags,
        summary: "Change an impact of a draft. Send If-Match with the impact's ETag",
        params: ImpactParams,
        querystring: ReasonQuery,
        body: UpdateImpact,
        response: { 200: Impact, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateImpact(ctx, callerOf(request), request.params.id, request.params.impactId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/impact-assessments/:id/impacts/:impactId',
    {
      schema: { tags, summary: 'Remove an impact from a draft', params: ImpactParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteImpact(ctx, callerOf(request), request.params.id, request.params.impactId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/impact-assessments/:id/canada-aia/answers',
    { schema: { tags, summary: 'Read the Canada AIA answers of an assessment', params: IdParams, response: { 200: AiaAnswers, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const answers = await getAiaAnswers(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(answers.assessmentVersion));
      return answers;
    },
  );

  app.put(
    '/api/impact-assessments/:id/canada-aia/answers',
    {
      schema: {
        tags,
        summary:
          "Replace the Canada AIA answers of a draft. A value that is not one of the question's choices, an unknown question or an answer to a question the other answers hide gives 400, and nothing is stored. Send If-Match with the assessment's ETag",
        params: IdParams,
        querystring: ReasonQuery,
        body: PutAiaAnswers,
        response: { 200: AiaAnswers, ...changeErrors },
      },
    },
    async (request, reply) => {
      const stored = await putAiaAnswers(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(stored.assessmentVersion));
      return stored;
    },
  );

  app.get(
    '/api/impact-assessments/:id/canada-aia/score',
    {
      schema: {
        tags,
        summary: 'Compute the raw impact score, mitigation score and impact level (I to IV) of the stored Canada AIA answers',
        params: IdParams,
        response: { 200: AiaScore, 404: ErrorResponse, 409: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getAiaScore(ctx, callerOf(request), request.params.id),
  );
};
