import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { notBlankPattern } from '../platform/validation.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns one Ajv issue into a detail whose path points at the offending field. */
function toDetail(issue: AjvIssue, part: string): ErrorDetail {
  const base = issue.instancePath || '';
  const prefix = part === 'body' ? '' : `${part}:`;
  switch (issue.keyword) {
    case 'required':
      return { path: `${prefix}${base}/${String(issue.params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${prefix}${base}/${String(issue.params.additionalProperty)}`, message: 'is not a known field; remove it' };
    case 'enum':
      return { path: `${prefix}${base || '/'}`, message: `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      if (issue.params.pattern === notBlankPattern) return { path: `${prefix}${base || '/'}`, message: 'must not be blank' };
      return { path: `${prefix}${base || '/'}`, message: issue.message ?? 'has the wrong format' };
    case 'const':
      return { path: `${prefix}${base || '/'}`, message: `must be ${String(issue.params.allowedValue)}` };
    default:
      return { path: `${prefix}${base || '/'}`, message: issue.message ?? `fails the ${issue.keyword} rule` };
  }
}

/**
 * Ajv reports a failed union (anyOf) as one issue per alternative plus the anyOf issue itself,
 * all on the same path. Each such path is folded into one detail: the allowed values for a
 * union of literals, else the messages of the alternatives other than null, joined by "or".
 */
function foldUnions(details: ErrorDetail[], issues: AjvIssue[]): ErrorDetail[] {
  const unionPaths = new Set(issues.flatMap((issue, index) => (issue.keyword === 'anyOf' ? [details[index]!.path] : [])));
  const folded: ErrorDetail[] = [];
  const done = new Set<string>();

  issues.forEach((issue, index) => {
    const detail = details[index]!;
    if (!unionPaths.has(detail.path)) {
      folded.push(detail);
      return;
    }
    if (done.has(detail.path)) return;
    done.add(detail.path);

    const alternatives = issues.filter((other, otherIndex) => other.keyword !== 'anyOf' && details[otherIndex]!.path === detail.path);
    const literals = alternatives.filter((other) => other.keyword === 'const').map((other) => String(other.params.allowedValue));
    if (literals.length > 0) {
      folded.push({ path: detail.path, message: `must be one of ${literals.join(', ')}` });
      return;
    }
    const messages = alternatives
      .filter((other) => !(other.keyword === 'type' && other.params.type === 'null'))
      .map((other) => toDetail(other, 'body').message);
    const unique = [...new Set(messages)];
    folded.push({ path: detail.path, message: unique.length > 0 ? unique.join(' or ') : detail.message });
  });
  return folded;
}

/** Maps a thrown value to a catalogue error; anything unrecognized becomes INTERNAL with no raw text. */
export function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validationContext?: string };

  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    const issues = fastifyError.validation as unknown as AjvIssue[];
    const details = foldUnions(issues.map((issue) => toDetail(issue, part)), issues);
    return validationFailed(details);
  }

  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', `The request body is larger than the server accepts; send a smaller body or raise CUSTOS_BODY_LIMIT_BYTES`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body has a content type the server does not accept; send application/json');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('INVALID_JSON', `The request body is not valid JSON (${error.message}); send a JSON object`);
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', 'The request is malformed; check its headers and body against /api/docs');
  }
  return new AppError('INTERNAL', `An internal error occurred; the server log has the details under request id ${requestId}`);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, request.id);
    if (appError.status >= 500) {
      request.log.error({ err: error, code: appError.code }, 'request failed');
    } else {
      request.log.info({ code: appError.code, status: appError.status, details: appError.details }, appError.message);
    }
    void reply.status(appError.status).send(appError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const appError = new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /api/docs for the API`);
    request.log.info({ code: appError.code, status: 404 }, appError.message);
    void reply.status(404).send(appError.toBody());
  });
}
