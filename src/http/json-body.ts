import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { AppError } from '../platform/errors.js';

/**
 * Replaces Fastify's JSON parser with one whose errors state what is wrong: where the syntax breaks,
 * or which forbidden key (`__proto__`, `constructor.prototype`) the body contains. Such keys are
 * rejected rather than dropped, so a client never believes a field was stored when it was not.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new AppError('INVALID_JSON', 'The request body is empty; send a JSON object with Content-Type: application/json'), undefined);
      return;
    }
    try {
      done(null, secureJsonParse.parse(text, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (/prototype property/i.test(reason)) {
        done(new AppError('INVALID_JSON', 'The JSON body contains the key "__proto__" or "constructor.prototype", which the server rejects; rename the key'), undefined);
        return;
      }
      done(new AppError('INVALID_JSON', `The request body is not valid JSON (${reason}); send a JSON object`), undefined);
    }
  });
}
