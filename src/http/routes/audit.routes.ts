import { PassThrough } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { AuditEvent, AuditEventQuery, VerifyAuditRequest, exportAuditTrail, listAuditEvents, verifyAuditTrail } from '../../platform/audit/audit.service.js';
import type { ChainVerification as ChainVerificationResult, VerificationProgress } from '../../platform/audit/verify.js';
import { Page } from '../../platform/pagination.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { toAppError } from '../errors.js';
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

type VerificationLine =
  | ({ type: 'progress' } & VerificationProgress)
  | { type: 'result'; verification: ChainVerificationResult }
  | { type: 'error'; error: { code: string; message: string } };

/** True when the client lists application/x-ndjson in Accept, as a client that shows progress does. */
function wantsProgressLines(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'application/x-ndjson');
}

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
        description:
          'With Accept: application/x-ndjson the response streams JSON lines while the chain is checked: ' +
          '{"type":"progress","checked":n,"total":m} at the start and every few thousand events, then one ' +
          '{"type":"result","verification":{…}} with the body described here, or {"type":"error","error":{"code","message"}} when the check fails. ' +
          'Nothing is kept on the server between requests, so any instance can answer.',
        body: VerifyAuditRequest,
        response: { 200: ChainVerification, ...commonErrors },
        produces: ['application/json', 'application/x-ndjson'],
      },
      // The body is optional: a request without one verifies the chain without an anchor.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      if (!wantsProgressLines(request.headers.accept)) return verifyAuditTrail(ctx, callerOf(request), request.body);

      const stream = new PassThrough();
      const writeLine = (line: VerificationLine) => stream.write(`${JSON.stringify(line)}\n`);
      let started!: () => void;
      const firstProgress = new Promise<void>((resolve) => (started = resolve));
      const verification = verifyAuditTrail(ctx, callerOf(request), request.body, (progress) => {
        writeLine({ type: 'progress', ...progress });
        started();
      });
      // A rejected access check or request rejects before the first progress line, so it gets the
      // usual status and JSON error body; once the stream has started, a failure becomes its last line.
      await Promise.race([firstProgress, verification]);
      verification.then(
        (result) => {
          writeLine({ type: 'result', verification: result });
          stream.end();
        },
        (error: unknown) => {
          const appError = toAppError(error, request.id, 0);
          request.log.error({ err: error, code: appError.code }, 'audit chain verification failed while streaming progress');
          writeLine({ type: 'error', error: { code: appError.code, message: appError.message } });
          stream.end();
        },
      );
      void reply.header('content-type', 'application/x-ndjson').header('cache-control', 'no-store');
      // The reply is typed by the JSON schema; a stream is sent as it is, without serialization.
      return reply.send(stream as never);
    },
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
