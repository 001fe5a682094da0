import { PassThrough } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { AuditEvent, AuditEventQuery, VerifyAuditRequest, exportAuditTrail, listAuditEvents, verifyAuditTrail } from '../../platform/audit/audit.service.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { commonErrors } from '../schemas.js';

const tags = ['audit trail'];

const ChainVerification = Type.Object({
  ok: Type.Boolean(),
  eventsChecked: Type.Integer(),
  headSeq: Type.Integer(),
  headHash: Type.String(),
  failure: Type.Union([
    Type.Object({
      seq: Type.Integer(),
      kind: Type.Union([Type.Literal('edited'), Type.Literal('deleted'), Type.Literal('inserted'), Type.Literal('reordered')]),
      message: Type.String(),
    }),
    Type.Null(),
  ]),
});

export const auditRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/audit-events',
    {
      schema: { tags, summary: 'List audit events, newest first, with filters', querystring: AuditEventQuery, response: { 200: Page(AuditEvent), ...commonErrors } },
    },
    async (request) => listAuditEvents(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/audit-events/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the hash chain and report the first tampered event, if any; with an anchor, also check a hash kept elsewhere',
        body: VerifyAuditRequest,
        response: { 200: ChainVerification, ...commonErrors },
      },
      // The body is optional: a request without one verifies the chain without an anchor.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => verifyAuditTrail(ctx, callerOf(request), request.body),
  );

  app.get(
    '/api/audit-events/export',
    {
      schema: { tags, summary: 'Download every event as JSON Lines with its hash, for verification elsewhere', produces: ['application/x-ndjson'] },
    },
    async (request, reply) => {
      const stream = new PassThrough();
      const exported = exportAuditTrail(ctx, callerOf(request), stream);
      void reply.header('content-type', 'application/x-ndjson').header('content-disposition', 'attachment; filename="custos-audit-events.jsonl"');
      exported.then(
        () => stream.end(),
        (error: unknown) => {
          request.log.error({ err: error }, 'audit export failed while streaming');
          stream.destroy(error as Error);
        },
      );
      return reply.send(stream);
    },
  );
};
