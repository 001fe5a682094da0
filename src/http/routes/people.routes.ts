import { Type } from '@sinclair/typebox';
import { deletePerson } from '../../people/person-deletion.service.js';
import { createPerson, getPerson, getReportingLine, listPeople, listPersonNames, updatePerson } from '../../people/people.service.js';
import { CreatePerson, Person, PersonListQuery, PersonName, PersonNamesQuery, ReportingLine, UpdatePerson } from '../../people/person.schemas.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['people'];

export const peopleRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/people',
    {
      schema: { tags, summary: 'List people with filters, sorting and pagination', querystring: PersonListQuery, response: { 200: Page(Person), ...commonErrors } },
    },
    async (request) => listPeople(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/people/names',
    {
      schema: {
        tags,
        summary: 'Look up the names of up to 200 people by id, for showing owners. Every role that reads the register may call it',
        description:
          'Returns id and name only, never contact data, ordered by name. Ids that name nobody (such as a removed owner) are left out, so a missing entry means the person no longer exists.',
        querystring: PersonNamesQuery,
        response: { 200: Type.Array(PersonName), ...commonErrors },
      },
    },
    async (request) => listPersonNames(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/people',
    {
      schema: { tags, summary: 'Add a person', body: CreatePerson, querystring: ReasonQuery, response: { 201: Person, ...changeErrors } },
    },
    async (request, reply) => {
      const created = await createPerson(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/people/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/people/:id',
    { schema: { tags, summary: 'Read one person', params: IdParams, response: { 200: Person, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const person = await getPerson(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(person.version));
      return person;
    },
  );

  app.patch(
    '/api/people/:id',
    {
      schema: {
        tags,
        summary: 'Change fields of a person, including whom they report to; a reporting cycle is rejected with 409',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdatePerson,
        response: { 200: Person, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updatePerson(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/people/:id',
    {
      schema: {
        tags,
        summary: 'Remove a person who no longer carries responsibility; team memberships and user account links go with them',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deletePerson(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/people/:id/reporting-line',
    {
      schema: {
        tags,
        summary: "Read a person's reporting line, nearest manager first, up to board level",
        params: IdParams,
        response: { 200: ReportingLine, 404: ErrorResponse, ...commonErrors },
      },
    },
    async (request) => getReportingLine(ctx, callerOf(request), request.params.id),
  );
};
