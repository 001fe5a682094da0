import { Type } from '@sinclair/typebox';
import {
  CreateInterestedParty,
  InterestedParty,
  InterestedPartyListQuery,
  UpdateInterestedParty,
} from '../../organization/interested-party.schemas.js';
import {
  createInterestedParty,
  deleteInterestedParty,
  getInterestedParty,
  listInterestedParties,
  updateInterestedParty,
} from '../../organization/interested-parties.service.js';
import { AimsScope, Organization, PutOrganization } from '../../organization/organization.schemas.js';
import { getAimsScope, getOrganization, putOrganization } from '../../organization/organization.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['organization'];

export const organizationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/organization',
    { schema: { tags, summary: 'Read the organization profile and AIMS scope statement', response: { 200: Organization, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const organization = await getOrganization(ctx, callerOf(request));
      void reply.header('etag', etagOf(organization.version));
      return organization;
    },
  );

  app.put(
    '/api/organization',
    {
      schema: {
        tags,
        summary: 'Create the organization profile, or replace it; send If-Match with the ETag you read to avoid lost updates',
        body: PutOrganization,
        querystring: ReasonQuery,
        response: { 200: Organization, 201: Organization, ...changeErrors },
      },
    },
    async (request, reply) => {
      const { organization, created } = await putOrganization(ctx, callerOf(request), request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(created ? 201 : 200).header('etag', etagOf(organization.version));
      if (created) void reply.header('location', '/api/organization');
      return organization;
    },
  );

  app.get(
    '/api/organization/scope',
    {
      schema: {
        tags,
        summary: 'Read the AIMS scope: statement, boundaries, and the AI systems inside and outside it with their justifications',
        response: { 200: AimsScope, ...commonErrors },
      },
    },
    async (request) => getAimsScope(ctx, callerOf(request)),
  );

  app.get(
    '/api/interested-parties',
    {
      schema: {
        tags,
        summary: 'List interested parties with filters, sorting and pagination',
        querystring: InterestedPartyListQuery,
        response: { 200: Page(InterestedParty), ...commonErrors },
      },
    },
    async (request) => listInterestedParties(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/interested-parties',
    {
      schema: {
        tags,
        summary: 'Add an interested party with its relevant requirements',
        body: CreateInterestedParty,
        querystring: ReasonQuery,
        response: { 201: InterestedParty, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createInterestedParty(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/interested-parties/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/interested-parties/:id',
    { schema: { tags, summary: 'Read one interested party', params: IdParams, response: { 200: InterestedParty, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const party = await getInterestedParty(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(party.version));
      return party;
    },
  );

  app.patch(
    '/api/interested-parties/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of an interested party; send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateInterestedParty,
        response: { 200: InterestedParty, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateInterestedParty(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/interested-parties/:id',
    {
      schema: {
        tags,
        summary: 'Remove an interested party (the audit trail keeps its history)',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteInterestedParty(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );
};
