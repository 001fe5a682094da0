import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, validationFailed, type ErrorDetail } from '../platform/errors.js';
import { formatDescriptions } from '../platform/formats.js';
import { isSecretPath, joinReasons, notBlankPattern } from '../platform/validation.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  /** The offending value; present because the validators run Ajv with `verbose`. */
  data?: unknown;
}

/** Fields that clients read but never write, with what to do instead. */
const readOnlyFieldHints: Record<string, string> = {
  id: 'is assigned by the server; remove it',
  version: 'is kept by the server; send the version you read as the If-Match header instead',
  createdAt: 'is set by the server; remove it',
  updatedAt: 'is set by the server; remove it',
  lifecycleStage: 'changes only through POST /api/ai-systems/{id}/lifecycle-transitions, which records the reason; remove it here',
};

function quote(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Explains one Ajv issue in plain words, without the value. */
function explain(issue: AjvIssue): string {
  const params = issue.params;
  switch (issue.keyword) {
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${String(params.allowedValue)}`;
    case 'pattern':
      return params.pattern === notBlankPattern ? 'must not be blank' : `must match the pattern ${String(params.pattern)}`;
    case 'format':
      return formatDescriptions[String(params.format)] ?? `must be a valid ${String(params.format)}`;
    case 'minProperties':
      return `must contain at least ${String(params.limit)} field${params.limit === 1 ? '' : 's'} to change`;
    case 'uniqueItems':
      return `must not repeat an item (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case 'minLength':
      return `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minimum':
      return `must be ${String(params.limit)} or more`;
    case 'maximum':
      return `must be ${String(params.limit)} or less`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'type':
      return `must be ${params.type === 'integer' ? 'an integer' : `of type ${String(params.type)}`}`;
    default:
      return issue.message ?? `fails the ${issue.keyword} rule`;
  }
}

/** Turns one Ajv issue into a detail whose path points at the offending field and quotes the value received. */
function toDetail(issue: AjvIssue, part: string): ErrorDetail {
  const base = issue.instancePath || '';
  const prefix = part === 'body' ? '' : `${part}:`;
  if (issue.keyword === 'required') {
    return { path: `${prefix}${base}/${String(issue.params.missingProperty)}`, message: 'is required' };
  }
  if (issue.keyword === 'additionalProperties') {
    const field = String(issue.params.additionalProperty);
    return { path: `${prefix}${base}/${field}`, message: readOnlyFieldHints[field] ?? 'is not a known field; remove it' };
  }
  const path = `${prefix}${base || '/'}`;
  const message = explain(issue);
  const showValue = issue.data !== undefined && typeof issue.data !== 'object' && !isSecretPath(path);
  return { path, message: showValue ? `${message} (received ${quote(issue.data)})` : message };
}

/**
 * Ajv reports a failed union (anyOf) as one issue per alternative plus the anyOf issue itself,
 * all on the same path. Each such path is folded into one detail: the allowed values for a
 * union of literals, else the reasons of the alternatives other than null, joined by "or".
 * When only the null alternative failed on the path itself, the other alternative failed in its
 * fields, whose details explain the problem, so the union adds no detail.
 */
function foldUnions(issues: AjvIssue[], part: string): ErrorDetail[] {
  const details = issues.map((issue) => toDetail(issue, part));
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
    const reasons =
      literals.length > 0
        ? [`must be one of ${literals.join(', ')}`]
        : alternatives.filter((other) => !(other.keyword === 'type' && other.params.type === 'null')).map(explain);
    if (reasons.length === 0 && hasDetailBelow(details, detail.path)) return;
    const nullable = alternatives.some((other) => other.keyword === 'type' && other.params.type === 'null') && literals.length === 0;
    const message = reasons.length > 0 ? joinReasons(reasons, nullable) : detail.message;
    const data = issue.data;
    const showValue = data !== undefined && typeof data !== 'object' && !isSecretPath(detail.path);
    folded.push({ path: detail.path, message: showValue ? `${message} (received ${quote(data)})` : message });
  });
  return folded;
}

function hasDetailBelow(details: readonly ErrorDetail[], path: string): boolean {
  const parent = path.endsWith('/') ? path : `${path}/`;
  return details.some((detail) => detail.path.startsWith(parent));
}

/** Maps a thrown value to a catalogue error; anything unrecognized becomes INTERNAL with no raw text. */
export function toAppError(error: unknown, requestId: string, bodyLimitBytes: number): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validationContext?: string };

  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    return validationFailed(foldUnions(fastifyError.validation as unknown as AjvIssue[], part));
  }

  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', `The request body is larger than the ${bodyLimitBytes} bytes the server accepts; send a smaller body or raise CUSTOS_BODY_LIMIT_BYTES`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body has a content type this route does not accept; send application/json');
    case 'FST_ERR_BAD_URL':
      return new AppError('VALIDATION_FAILED', 'The URL is malformed; check its percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('VALIDATION_FAILED', 'A path parameter is too long; ids are at most 64 characters');
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', 'The request is malformed; check its headers and body against /api/docs');
  }
  return new AppError('INTERNAL', `An internal error occurred; the server log has the details under request id ${requestId}`);
}

export function registerErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, request.id, bodyLimitBytes);
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
