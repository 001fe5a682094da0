import type { FastifyInstance } from 'fastify';
import { validationFailed } from '../platform/errors.js';
import { findUnsafeText } from '../platform/text-safety.js';

/**
 * Rejects path parameters, query values and JSON bodies that contain text no database can store
 * (NUL characters, unpaired surrogates) before schema validation runs, naming each place.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...findUnsafeText(request.params, 'params:'),
      ...findUnsafeText(request.query, 'querystring:'),
      ...(isJson(request.body) ? findUnsafeText(request.body) : []),
    ];
    if (problems.length > 0) throw validationFailed(problems);
  });
}

function isJson(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !ArrayBuffer.isView(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';
}

/**
 * Route hook for actions whose body has only optional fields, such as approving a draft: a
 * request sent without a body is treated as one with an empty JSON object.
 */
export async function treatMissingBodyAsEmpty(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
