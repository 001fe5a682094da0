import { Type } from '@sinclair/typebox';
import { AddTeamMember, CreateTeam, Team, TeamListQuery, UpdateTeam } from '../../people/team.schemas.js';
import { addTeamMember, removeTeamMember } from '../../people/team-members.service.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from '../../people/teams.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['people'];

const MemberParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), personId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const teamRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/teams',
    {
      schema: {
        tags,
        summary: 'List teams, committees and boards with filters, sorting and pagination',
        querystring: TeamListQuery,
        response: { 200: Page(Team), ...commonErrors },
      },
    },
    async (request) => listTeams(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/teams',
    {
      schema: { tags, summary: 'Add a team, committee or board', body: CreateTeam, querystring: ReasonQuery, response: { 201: Team, ...changeErrors } },
    },
    async (request, reply) => {
      const created = await createTeam(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/teams/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/teams/:id',
    { schema: { tags, summary: 'Read one team with its members', params: IdParams, response: { 200: Team, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const team = await getTeam(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(team.version));
      return team;
    },
  );

  app.patch(
    '/api/teams/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of a team; memberIds replaces the whole membership',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateTeam,
        response: { 200: Team, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateTeam(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/teams/:id',
    {
      schema: {
        tags,
        summary: 'Remove a team that holds no RACI assignments (the audit trail keeps its history)',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteTeam(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/teams/:id/members',
    {
      schema: {
        tags,
        summary: 'Add one member to a team',
        params: IdParams,
        querystring: ReasonQuery,
        body: AddTeamMember,
        response: { 200: Team, ...changeErrors },
      },
    },
    async (request, reply) => {
      const team = await addTeamMember(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(team.version));
      return team;
    },
  );

  app.delete(
    '/api/teams/:id/members/:personId',
    {
      schema: {
        tags,
        summary: 'Remove one member from a team; the chair must be replaced first',
        params: MemberParams,
        querystring: ReasonQuery,
        response: { 200: Team, ...changeErrors },
      },
    },
    async (request, reply) => {
      const team = await removeTeamMember(ctx, callerOf(request), request.params.id, request.params.personId, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(team.version));
      return team;
    },
  );
};
