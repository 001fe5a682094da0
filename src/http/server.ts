import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceContext } from '../platform/context.js';
import { custosVersion } from '../platform/version.js';
import type { App, RouteModule } from './app.js';
import { registerAuthentication } from './authentication.js';
import { registerErrorHandling, toAppError } from './errors.js';
import { registerInputChecks } from './input-checks.js';
import { registerJsonBodyParser } from './json-body.js';
import { documentConventions } from './openapi-conventions.js';
import { validatorCompiler } from './validator.js';
import { routeModules } from './routes/index.js';
import { registerWebApp } from './web-app.js';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the HTTP server over the given services. The server keeps no state of its own between
 * requests, so several instances can share one PostgreSQL database behind a load balancer.
 */
export async function buildServer(ctx: ServiceContext, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  const fastify = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A caller's X-Request-Id is kept when it is a plain token, so logs can be joined across services.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    // Catalogue refs such as nist-ai-rmf:MEASURE 2.13 appear in paths and may be up to 200 characters.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // Errors raised before routing (a malformed URL, an overlong parameter) use the catalogue too.
    frameworkErrors: (error, request, reply) => {
      const appError = toAppError(error, request.id, ctx.config.bodyLimitBytes);
      request.log.info({ code: appError.code, status: appError.status }, appError.message);
      void (reply as FastifyReply).status(appError.status).send(appError.toBody());
    },
  });
  const app: App = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Only JSON bodies (and, on the dataset upload route, raw bytes) are accepted; text/plain gets 415.
  app.removeContentTypeParser('text/plain');
  registerJsonBodyParser(app);

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'custos API',
        version: custosVersion,
        description: 'The AI management system: AI system register, people and roles, models and datasets, and the audit trail.',
      },
      components: {
        securitySchemes: {
          bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `custos token create`' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'custos_session' },
        },
      },
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
    },
    transform: documentConventions,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerErrorHandling(app, ctx.config.bodyLimitBytes);
  registerAuthentication(app, ctx);
  registerInputChecks(app);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const register of [...routeModules, ...extraRoutes]) {
    register(app, ctx);
  }
  await registerWebApp(fastify, ctx.config.webDir);
  return fastify;
}
