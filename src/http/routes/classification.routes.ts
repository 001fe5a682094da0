import { Type } from '@sinclair/typebox';
import { getClassificationSettings, updateClassificationSettings } from '../../classification/classification-settings.service.js';
import {
  AiSystemClassification,
  ApproveClassification,
  Classification,
  ClassificationListQuery,
  ClassificationPreview,
  ClassificationRequest,
  ClassificationReview,
  ClassificationSettings,
  ClassificationSummary,
  QuestionnaireResponse,
  ReviewListQuery,
  UpdateClassificationSettings,
} from '../../classification/classification.schemas.js';
import {
  approveClassification,
  createClassificationDraft,
  deleteClassificationDraft,
  getAiSystemClassification,
  getClassification,
  getQuestionnaire,
  listClassifications,
  previewClassification,
  recomputeClassificationDraft,
} from '../../classification/classifications.service.js';
import { getClassificationReview, listClassificationReviews } from '../../classification/reevaluation.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { treatMissingBodyAsEmpty } from '../input-checks.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['classification'];

/** Registers the classification questionnaire, classifications of AI systems, their review tasks and the settings. */
export const classificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/classification/questionnaire',
    {
      schema: {
        tags,
        summary: 'Read the EU AI Act and GDPR questions with their allowed options and rules, and the impact factors',
        response: { 200: QuestionnaireResponse, ...commonErrors },
      },
    },
    async (request) => getQuestionnaire(callerOf(request)),
  );

  app.get(
    '/api/classification/settings',
    {
      schema: {
        tags,
        summary: 'Read the review period and the impact rules in force, with the built-in impact rules beside them',
        response: { 200: ClassificationSettings, ...commonErrors },
      },
    },
    async (request) => getClassificationSettings(ctx, callerOf(request)),
  );

  app.put(
    '/api/classification/settings',
    {
      schema: {
        tags,
        summary: "Store a new settings version: review period in days, and the organization's impact rules or null for the built-in ones",
        body: UpdateClassificationSettings,
        querystring: ReasonQuery,
        response: { 200: ClassificationSettings, ...changeErrors },
      },
    },
    async (request) => updateClassificationSettings(ctx, callerOf(request), request.body, request.query.reason),
  );

  app.post(
    '/api/ai-systems/:id/classification/preview',
    {
      schema: {
        tags,
        summary: 'Compute the classification for the answers against the AI system as it is now, storing nothing',
        params: IdParams,
        body: ClassificationRequest,
        response: { 200: ClassificationPreview, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => previewClassification(ctx, callerOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/ai-systems/:id/classification',
    {
      schema: {
        tags,
        summary: 'Read the current classification of an AI system with its stale flag, the open draft and the open review task',
        params: IdParams,
        response: { 200: AiSystemClassification, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getAiSystemClassification(ctx, callerOf(request), request.params.id),
  );

  app.post(
    '/api/ai-systems/:id/classifications',
    {
      schema: {
        tags,
        summary: 'Compute and store a draft classification of an AI system from questionnaire answers; one draft may be open per system',
        params: IdParams,
        body: ClassificationRequest,
        querystring: ReasonQuery,
        response: { 201: Classification, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createClassificationDraft(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/classifications/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/classifications',
    {
      schema: {
        tags,
        summary: 'List classifications with filters; status=approved lists the current classification of each AI system, stale=true those needing review',
        querystring: ClassificationListQuery,
        response: { 200: Page(ClassificationSummary), ...commonErrors },
      },
    },
    async (request) => listClassifications(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/classifications/:id',
    {
      schema: {
        tags,
        summary: 'Read one classification with its answers, the AI system facts it used, the rule traces and the obligations',
        params: IdParams,
        response: { 200: Classification, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const classification = await getClassification(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(classification.version));
      return classification;
    },
  );

  app.put(
    '/api/classifications/:id',
    {
      schema: {
        tags,
        summary: 'Recompute a draft from new answers and the AI system as it is now; send If-Match with the ETag you read',
        params: IdParams,
        body: ClassificationRequest,
        querystring: ReasonQuery,
        response: { 200: Classification, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await recomputeClassificationDraft(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/classifications/:id',
    {
      schema: { tags, summary: 'Discard a draft; approved classifications cannot be deleted', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteClassificationDraft(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/classifications/:id/approve',
    {
      preValidation: treatMissingBodyAsEmpty,
      schema: {
        tags,
        summary: 'Approve a draft, which becomes the current classification and closes the open review; the approver must not have drafted it',
        params: IdParams,
        body: ApproveClassification,
        querystring: ReasonQuery,
        response: { 200: Classification, ...changeErrors },
      },
    },
    async (request, reply) => {
      const approved = await approveClassification(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(approved.version));
      return approved;
    },
  );

  app.get(
    '/api/classification-reviews',
    {
      schema: {
        tags,
        summary: 'List review tasks of stale classifications, open ones first by due date',
        querystring: ReviewListQuery,
        response: { 200: Page(ClassificationReview), ...commonErrors },
      },
    },
    async (request) => listClassificationReviews(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/classification-reviews/:id',
    {
      schema: { tags, summary: 'Read one review task', params: IdParams, response: { 200: ClassificationReview, 404: ErrorResponse, ...commonErrors } },
    },
    async (request) => getClassificationReview(ctx, callerOf(request), request.params.id),
  );
};
