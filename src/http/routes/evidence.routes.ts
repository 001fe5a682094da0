import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { openEvidenceContent } from '../../evidence/evidence-content.service.js';
import { linkEvidence, unlinkEvidence } from '../../evidence/evidence-links.service.js';
import { evidenceTooLarge } from '../../evidence/evidence-store.js';
import { filePartName, replaceEvidenceFile, uploadEvidence, type UploadPart } from '../../evidence/evidence-upload.service.js';
import { deleteEvidence, getEvidence, listEvidence, listReviewDue, updateEvidence } from '../../evidence/evidence.service.js';
import { Evidence, EvidenceLink, EvidenceListQuery, LinkEvidence, LinkTargetType, NewEvidence, ReviewDueEvidence, ReviewDueQuery, UpdateEvidence } from '../../evidence/evidence.schemas.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { Page } from '../../platform/pagination.js';
import type { App, RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';
import { validatorCompiler } from '../validator.js';

const tags = ['evidence'];

/** Headers that describe the file in a download, and that an error response must not keep. */
const fileHeaders = ['content-type', 'content-length', 'content-disposition', 'repr-digest'];

const LinkParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    targetType: LinkTargetType,
    targetId: Type.String({ minLength: 1, maxLength: 200, description: 'Id of the target, URL-encoded; a catalogue ref such as iso42001:A.6.2.4 for catalogue items' }),
  },
  { additionalProperties: false },
);

export const evidenceRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/evidence',
    {
      schema: {
        tags,
        summary: 'List evidence with filters (kind, confidentiality, linked target, expiry, text), sorting and pagination',
        querystring: EvidenceListQuery,
        response: { 200: Page(Evidence), ...commonErrors },
      },
    },
    async (request) => listEvidence(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/evidence/review-due',
    {
      schema: {
        tags,
        summary: 'List evidence whose validity ends within withinDays days (30 unless given) or has ended, soonest first, with the days remaining',
        querystring: ReviewDueQuery,
        response: { 200: Page(ReviewDueEvidence), ...commonErrors },
      },
    },
    async (request) => listReviewDue(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/evidence/upload-limit',
    {
      schema: {
        tags,
        summary: 'Read the largest evidence file the server accepts, so that a client can check a file before it sends it',
        description: 'The limit is set by CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES. POST /api/evidence and PUT /api/evidence/{id}/file reject a larger file with 413.',
        response: {
          200: Type.Object(
            { maxFileBytes: Type.Integer({ minimum: 1, description: 'Largest file size accepted, in bytes' }) },
            { additionalProperties: false },
          ),
          ...commonErrors,
        },
      },
    },
    async () => ({ maxFileBytes: ctx.config.evidenceUploadLimitBytes }),
  );

  app.get(
    '/api/evidence/:id',
    { schema: { tags, summary: 'Read the metadata and links of evidence', params: IdParams, response: { 200: Evidence, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const evidence = await getEvidence(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(evidence.version));
      return evidence;
    },
  );

  app.get(
    '/api/evidence/:id/content',
    {
      schema: {
        tags,
        summary: 'Download the current file of evidence, as an attachment with the media type its uploader declared',
        description:
          'Restricted evidence is only for administrators, internal auditors, data protection officers, oversight board members and its uploader. ' +
          'The Repr-Digest header carries the SHA-256; a file that no longer matches it ends the connection before its last bytes.',
        params: IdParams,
        response: { 200: Type.String({ format: 'binary', description: 'The bytes of the file' }), 404: ErrorResponse, 500: ErrorResponse, ...commonErrors },
      },
      // A file found altered before its first byte was sent fails with a JSON error, which must not go out under the file's headers.
      onError: async (_request, reply) => {
        for (const header of fileHeaders) reply.removeHeader(header);
      },
    },
    async (request, reply) => {
      const content = await openEvidenceContent(ctx, callerOf(request), request.params.id);
      const { evidence } = content;
      void reply
        // Sent as an attachment with nosniff, so that a browser never renders what an uploader declared as HTML.
        .header('content-type', evidence.mediaType)
        .header('content-length', String(content.sizeBytes))
        .header('content-disposition', contentDisposition(evidence.fileName))
        .header('x-content-type-options', 'nosniff')
        // A browser that opens the file anyway runs none of its scripts and loads nothing else.
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .header('repr-digest', `sha-256=:${Buffer.from(evidence.sha256, 'hex').toString('base64')}:`);
      // Fastify streams a Readable as it is; the 200 schema above only documents the bytes in OpenAPI.
      return reply.send(content.stream as unknown as string);
    },
  );

  app.patch(
    '/api/evidence/:id',
    {
      schema: {
        tags,
        summary: 'Change the metadata of evidence; send If-Match with the ETag you read. Replace the file with PUT /api/evidence/{id}/file',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateEvidence,
        response: { 200: Evidence, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateEvidence(ctx, callerOf(request), request.params.id, request.body, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/evidence/:id',
    {
      schema: {
        tags,
        summary: 'Remove evidence that has no links and no assessment answer cites; its file stays in the store, named by the audit trail',
        params: IdParams,
        querystring: ReasonQuery,
        response: { 204: Type.Null(), ...changeErrors },
      },
    },
    async (request, reply) => {
      await deleteEvidence(ctx, callerOf(request), request.params.id, {
        expectedVersion: parseIfMatch(request.headers['if-match']),
        reason: request.query.reason ?? null,
      });
      void reply.status(204);
      return null;
    },
  );

  app.post(
    '/api/evidence/:id/links',
    {
      schema: {
        tags,
        summary: 'Link evidence to a catalogue item (clause or control), an AI system, an assessment or a document',
        params: IdParams,
        querystring: ReasonQuery,
        body: LinkEvidence,
        response: { 201: EvidenceLink, ...changeErrors },
      },
    },
    async (request, reply) => {
      const link = await linkEvidence(ctx, callerOf(request), request.params.id, request.body, request.query.reason ?? null);
      void reply.status(201);
      return link;
    },
  );

  app.delete(
    '/api/evidence/:id/links/:targetType/:targetId',
    {
      schema: { tags, summary: 'Remove a link from evidence', params: LinkParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } },
    },
    async (request, reply) => {
      const { id, targetType, targetId } = request.params;
      await unlinkEvidence(ctx, callerOf(request), id, targetType, targetId, request.query.reason ?? null);
      void reply.status(204);
      return null;
    },
  );

  registerUploads(app, ctx);
};

/** The multipart limits: metadata fields stay small, and one file part at most. */
const formLimits = { fields: 16, fieldSize: 64 * 1024, fieldNameSize: 100, files: 1, parts: 24, headerPairs: 20 };

/** Room in a multipart body beside the file: 16 fields of at most 64 KiB each and all part headers fit in 2 MiB. */
const multipartOverheadBytes = 2 * 1024 * 1024;

/**
 * Registers the two routes that take multipart/form-data in a plugin scope of their own, so that
 * the multipart parser and its limits apply nowhere else. Each file part is passed to the
 * service as a stream, which writes it to the store's temporary area as it arrives.
 */
function registerUploads(app: App, ctx: ServiceContext): void {
  const limitBytes = ctx.config.evidenceUploadLimitBytes;
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // preservePath keeps the file name exactly as sent, so that a name with a directory is rejected rather than shortened.
    await scope.register(multipart, { preservePath: true, throwFileSizeLimit: false, limits: { ...formLimits, fileSize: limitBytes + 1 } });
    scope.addContentTypeParser('*', (request, _payload, done) => {
      done(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type "${request.headers['content-type'] ?? ''}" is not accepted here; send multipart/form-data with the metadata fields and a file part named "${filePartName}", for example curl -F file=@report.pdf`,
        ),
      );
    });
    // The body schemas below only document the form in OpenAPI; the parts are checked by the service.
    scope.setValidatorCompiler((route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route)));
    // A response sent before the body was read in full closes the connection, so that the client stops sending.
    scope.addHook('onSend', async (request, reply) => {
      if (!request.raw.readableEnded) void reply.header('connection', 'close');
    });

    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    const limitNote = `The file may be up to CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES (now ${limitBytes} bytes).`;

    typed.post(
      '/api/evidence',
      {
        schema: {
          tags,
          summary: 'Upload evidence: metadata fields and one file part, streamed into the content-addressed evidence store',
          description:
            `Send multipart/form-data, for example \`curl -F title=… -F kind=report -F file=@report.pdf\`. ${limitNote} ` +
            'The file name is kept as metadata only and must not contain a path, control characters or more than 255 bytes. ' +
            'The escapes %22, %0A and %0D that browsers and curl apply to a file name are decoded.',
          consumes: ['multipart/form-data'],
          body: Type.Composite([NewEvidence, Type.Object({ [filePartName]: Type.String({ format: 'binary', description: 'The evidence file, with its file name' }) })]),
          querystring: ReasonQuery,
          response: { 201: Evidence, 413: ErrorResponse, 415: ErrorResponse, ...changeErrors },
        },
      },
      async (request, reply) => {
        const parts = receiveParts(request, limitBytes);
        const created = await translateUploadErrors(() => uploadEvidence(ctx, callerOf(request), parts, request.query.reason ?? null));
        void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/evidence/${created.id}`);
        return created;
      },
    );

    typed.put(
      '/api/evidence/:id/file',
      {
        schema: {
          tags,
          summary: 'Replace the file of evidence; send If-Match with the ETag you read. The previous file stays in the store',
          description: `Send multipart/form-data with one file part named "${filePartName}" and no other field. ${limitNote}`,
          consumes: ['multipart/form-data'],
          body: Type.Object({ [filePartName]: Type.String({ format: 'binary', description: 'The new evidence file, with its file name' }) }),
          params: IdParams,
          querystring: ReasonQuery,
          response: { 200: Evidence, 413: ErrorResponse, 415: ErrorResponse, ...changeErrors },
        },
      },
      async (request, reply) => {
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const parts = receiveParts(request, limitBytes);
        const replaced = await translateUploadErrors(() =>
          replaceEvidenceFile(ctx, callerOf(request), request.params.id, parts, { expectedVersion, reason: request.query.reason ?? null }),
        );
        void reply.header('etag', etagOf(replaced.version));
        return replaced;
      },
    );
  });
}

/**
 * Turns the request's multipart parts into the service's upload parts, lazily, so that the
 * service reads nothing before it has checked the caller. A declared body far larger than the
 * limit fails before any part is read.
 */
async function* receiveParts(request: FastifyRequest, limitBytes: number): AsyncGenerator<UploadPart> {
  if (!request.isMultipart()) {
    throw new AppError('VALIDATION_FAILED', `The request has no body; send multipart/form-data with a file part named "${filePartName}"`);
  }
  if (Number(request.headers['content-length'] ?? 0) > limitBytes + multipartOverheadBytes) throw evidenceTooLarge(limitBytes);

  for await (const part of request.parts()) {
    if (part.type === 'file') {
      yield { kind: 'file', fieldName: part.fieldname, fileName: decodeFormFileName(part.filename), mediaType: part.mimetype, stream: part.file };
    } else {
      const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      yield { kind: 'field', name: part.fieldname, value, truncated: part.valueTruncated };
    }
  }
}

/**
 * Undoes the escaping that browsers (HTML's multipart/form-data encoding) and curl since 7.81
 * apply to a file name: `"` is sent as %22, line feed as %0A and carriage return as %0D, and
 * nothing else is escaped. A name with a line break then reaches the file name check as it is.
 * NOTE: a name that really contains the text "%22" cannot be told apart and becomes `"`.
 */
export function decodeFormFileName(fileName: string): string {
  return fileName.replace(/%(22|0A|0D)/gi, (_escape, code: string) => String.fromCharCode(Number.parseInt(code, 16)));
}

/** Maps the multipart parser's errors, which reach the service through the parts and the file stream, to catalogue errors. */
async function translateUploadErrors<T>(upload: () => Promise<T>): Promise<T> {
  try {
    return await upload();
  } catch (error) {
    throw describeMultipartError(error) ?? error;
  }
}

function describeMultipartError(error: unknown): AppError | undefined {
  if (error instanceof AppError || !(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_FILES_LIMIT':
      return new AppError('VALIDATION_FAILED', `The form contains more than one file; send exactly one file part, named "${filePartName}"`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('VALIDATION_FAILED', `The form contains more than ${formLimits.fields} fields; send only the metadata fields and the file part "${filePartName}"`);
    case 'FST_PROTO_VIOLATION':
      return new AppError('VALIDATION_FAILED', 'A form field is named __proto__ or another name the server rejects; rename it');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new AppError('VALIDATION_FAILED', 'A form field declares Content-Type application/json but is not valid JSON; send metadata fields as plain text');
    case 'FST_MP_PREMATURE_CLOSE':
      return new AppError('VALIDATION_FAILED', 'The upload ended before the multipart body was complete; send it again');
  }
  // Busboy reports a malformed body with plain messages and no code.
  if (/multipart|boundary|part terminated|malformed/i.test(error.message)) {
    return new AppError('VALIDATION_FAILED', `The multipart body is malformed (${error.message}); send multipart/form-data as a browser or curl -F does`);
  }
  return undefined;
}

/**
 * Builds a Content-Disposition that always downloads. The quoted name is an ASCII fallback for
 * old clients; filename* carries the exact name in UTF-8 (RFC 6266, RFC 8187).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
