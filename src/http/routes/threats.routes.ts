import { Type } from '@sinclair/typebox';
import { Page } from '../../platform/pagination.js';
import { CreateLinkedRisk } from '../../threats/linked-risk.schemas.js';
import { createRiskFromFinding, createRiskFromScenario } from '../../threats/linked-risks.service.js';
import {
  CreateRedTeamExercise,
  CreateRedTeamFinding,
  FindingRiskCreated,
  RedTeamExercise,
  RedTeamExerciseListQuery,
  RedTeamFinding,
  RedTeamFindingListQuery,
  UpdateRedTeamExercise,
  UpdateRedTeamFinding,
} from '../../threats/red-team.schemas.js';
import { createExercise, deleteExercise, getExercise, listExercises, updateExercise } from '../../threats/red-team-exercises.service.js';
import { createFinding, deleteFinding, getFinding, listExerciseFindings, listFindings, updateFinding } from '../../threats/red-team-findings.service.js';
import { ScenarioFamily, ThreatLibraryPage, ThreatLibraryQuery } from '../../threats/threat-library.schemas.js';
import { listScenarioFamilies, listThreatLibrary } from '../../threats/threat-library.service.js';
import {
  CreateScenario,
  CreateThreatModel,
  ReviewThreatModel,
  ScenarioChange,
  ScenarioParams,
  ScenarioRiskCreated,
  ThreatModel,
  ThreatModelListQuery,
  UpdateScenario,
  UpdateThreatModel,
} from '../../threats/threat-model.schemas.js';
import { createThreatModel, deleteThreatModel, getThreatModel, listThreatModels, reviewThreatModel, updateThreatModel } from '../../threats/threat-models.service.js';
import { addScenario, removeScenario, updateScenario } from '../../threats/threat-scenarios.service.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const libraryTags = ['threat library'];
const modelTags = ['threat models'];
const redTeamTags = ['red teaming'];

/** The If-Match header of POST routes that change an existing record. PATCH and DELETE routes get it from the OpenAPI conventions. */
const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag of the version you read, for example "3"; a change to a newer version then fails with 412' })),
});

/** Registers the routes of the threat library, the threat models of AI systems, and red-team exercises and independent reviews with their findings. */
export const threatRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/threat-library',
    {
      schema: {
        tags: libraryTags,
        summary: 'List the threats of MITRE ATLAS and the OWASP Top 10 lists, with their scenario families, filtered by family, framework or text',
        querystring: ThreatLibraryQuery,
        response: { 200: ThreatLibraryPage, ...commonErrors },
      },
    },
    async (request) => listThreatLibrary(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/threat-library/families',
    { schema: { tags: libraryTags, summary: 'List the scenario families with the number of threats in each', response: { 200: Type.Array(ScenarioFamily), ...commonErrors } } },
    async (request) => listScenarioFamilies(ctx, callerOf(request)),
  );

  app.get(
    '/api/threat-models',
    {
      schema: { tags: modelTags, summary: 'List threat models with filters, sorting and pagination', querystring: ThreatModelListQuery, response: { 200: Page(ThreatModel), ...commonErrors } },
    },
    async (request) => listThreatModels(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/threat-models',
    {
      schema: {
        tags: modelTags,
        summary: 'Start the threat model of an AI system, with its assets and any first scenarios',
        body: CreateThreatModel,
        querystring: ReasonQuery,
        response: { 201: ThreatModel, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createThreatModel(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/threat-models/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/threat-models/:id',
    { schema: { tags: modelTags, summary: 'Read one threat model with its assets and scenarios', params: IdParams, response: { 200: ThreatModel, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const model = await getThreatModel(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(model.version));
      return model;
    },
  );

  app.patch(
    '/api/threat-models/:id',
    {
      schema: {
        tags: modelTags,
        summary: 'Change the title, scope or assets of a threat model; the model returns to draft. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateThreatModel,
        response: { 200: ThreatModel, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateThreatModel(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/threat-models/:id',
    {
      schema: {
        tags: modelTags,
        summary: 'Remove a threat model with its assets and scenarios; linked risks stay in the register',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteThreatModel(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/threat-models/:id/review',
    {
      schema: {
        tags: modelTags,
        summary: 'Mark the current version of a threat model as reviewed; the reviewer must not have changed it since its last review',
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: ReasonQuery,
        body: ReviewThreatModel,
        response: { 200: ThreatModel, ...changeErrors },
      },
    },
    async (request, reply) => {
      const reviewed = await reviewThreatModel(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(reviewed.version));
      return reviewed;
    },
  );

  app.post(
    '/api/threat-models/:id/scenarios',
    {
      schema: {
        tags: modelTags,
        summary: 'Add a scenario: a threat of the library aimed at assets of the model, with the risks it produces',
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: ReasonQuery,
        body: CreateScenario,
        response: { 201: ScenarioChange, ...changeErrors },
      },
    },
    async (request, reply) => {
      const change = await addScenario(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(201).header('etag', etagOf(change.threatModel.version));
      return change;
    },
  );

  app.patch(
    '/api/threat-models/:id/scenarios/:scenarioId',
    {
      schema: {
        tags: modelTags,
        summary: "Change a scenario, including its threat, assets and linked risks. Send If-Match with the threat model's ETag",
        params: ScenarioParams,
        querystring: ReasonQuery,
        body: UpdateScenario,
        response: { 200: ScenarioChange, ...changeErrors },
      },
    },
    async (request, reply) => {
      const change = await updateScenario(ctx, callerOf(request), request.params.id, request.params.scenarioId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(change.threatModel.version));
      return change;
    },
  );

  app.delete(
    '/api/threat-models/:id/scenarios/:scenarioId',
    {
      schema: {
        tags: modelTags,
        summary: 'Remove a scenario and return the changed threat model; linked risks stay in the register',
        params: ScenarioParams,
        querystring: ReasonQuery,
        response: { 200: ThreatModel, ...changeErrors },
      },
    },
    async (request, reply) => {
      const model = await removeScenario(ctx, callerOf(request), request.params.id, request.params.scenarioId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(model.version));
      return model;
    },
  );

  app.post(
    '/api/threat-models/:id/scenarios/:scenarioId/risks',
    {
      schema: {
        tags: modelTags,
        summary: "Raise a new risk of the register from a scenario and link it; needs risks.write too. Send If-Match with the threat model's ETag",
        params: ScenarioParams,
        headers: IfMatchHeaders,
        querystring: ReasonQuery,
        body: CreateLinkedRisk,
        response: { 201: ScenarioRiskCreated, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRiskFromScenario(ctx, callerOf(request), request.params.id, request.params.scenarioId, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(201).header('etag', etagOf(created.threatModel.version)).header('location', `/api/risks/${created.risk.id}`);
      return created;
    },
  );

  app.get(
    '/api/red-team-exercises',
    {
      schema: {
        tags: redTeamTags,
        summary: 'List red-team exercises and independent reviews with their finding counts',
        querystring: RedTeamExerciseListQuery,
        response: { 200: Page(RedTeamExercise), ...commonErrors },
      },
    },
    async (request) => listExercises(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/red-team-exercises',
    {
      schema: {
        tags: redTeamTags,
        summary: 'Record a red-team exercise or independent review: scope, AI system, dates and who performed it',
        body: CreateRedTeamExercise,
        querystring: ReasonQuery,
        response: { 201: RedTeamExercise, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createExercise(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/red-team-exercises/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/red-team-exercises/:id',
    { schema: { tags: redTeamTags, summary: 'Read one exercise or review', params: IdParams, response: { 200: RedTeamExercise, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const exercise = await getExercise(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(exercise.version));
      return exercise;
    },
  );

  app.patch(
    '/api/red-team-exercises/:id',
    {
      schema: {
        tags: redTeamTags,
        summary: 'Change an exercise or review. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateRedTeamExercise,
        response: { 200: RedTeamExercise, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateExercise(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/red-team-exercises/:id',
    {
      schema: { tags: redTeamTags, summary: 'Remove an exercise or review that has no findings', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      await deleteExercise(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/red-team-exercises/:id/findings',
    {
      schema: {
        tags: redTeamTags,
        summary: 'List the findings of one exercise or review',
        params: IdParams,
        querystring: RedTeamFindingListQuery,
        response: { 200: Page(RedTeamFinding), 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => listExerciseFindings(ctx, callerOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/red-team-exercises/:id/findings',
    {
      schema: {
        tags: redTeamTags,
        summary: 'Record a finding with its severity, the threats it concerns, the risks it tests or raises and its evidence',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateRedTeamFinding,
        response: { 201: RedTeamFinding, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createFinding(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/red-team-findings/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/red-team-findings',
    {
      schema: {
        tags: redTeamTags,
        summary: 'List findings across exercises, for example the open critical ones or those about one AI system',
        querystring: RedTeamFindingListQuery,
        response: { 200: Page(RedTeamFinding), ...commonErrors },
      },
    },
    async (request) => listFindings(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/red-team-findings/:id',
    { schema: { tags: redTeamTags, summary: 'Read one finding', params: IdParams, response: { 200: RedTeamFinding, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const finding = await getFinding(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(finding.version));
      return finding;
    },
  );

  app.patch(
    '/api/red-team-findings/:id',
    {
      schema: {
        tags: redTeamTags,
        summary: 'Change a finding, its status (open, accepted, remediated, closed) or its links. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateRedTeamFinding,
        response: { 200: RedTeamFinding, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateFinding(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.post(
    '/api/red-team-findings/:id/risks',
    {
      schema: {
        tags: redTeamTags,
        summary: "Raise a new risk of the register from a finding and list it among the risks the finding raised; needs risks.write too. Send If-Match with the finding's ETag",
        params: IdParams,
        headers: IfMatchHeaders,
        querystring: ReasonQuery,
        body: CreateLinkedRisk,
        response: { 201: FindingRiskCreated, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRiskFromFinding(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(201).header('etag', etagOf(created.finding.version)).header('location', `/api/risks/${created.risk.id}`);
      return created;
    },
  );

  app.delete(
    '/api/red-team-findings/:id',
    { schema: { tags: redTeamTags, summary: 'Remove a finding', params: IdParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } } },
    async (request, reply) => {
      await deleteFinding(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
