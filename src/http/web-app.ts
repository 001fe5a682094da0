import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The browser may run only the app's own scripts and talk only to this server. Mantine sets
 * style attributes at run time, hence the inline styles; ECharts draws on canvas.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web app from `webDir` at `/`: hashed files under /assets/ are cached for a
 * year, and every other path outside /api/ gets index.html so that the app's own router can
 * draw it. Without a build, `/` answers 503 with the command that makes one.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => {
      void reply.status(503).type('text/plain; charset=utf-8');
      return `The custos web app is not built in ${webDir}. Run "npm run build", or use the API at /api/docs.\n`;
    });
    return;
  }
  const indexHtml = fs.readFileSync(indexFile);

  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    // The build does not change while the server runs, so each file gets its own route at start.
    wildcard: false,
    index: false,
    serveDotFiles: false,
    setHeaders: (response, filePath) => {
      const immutable = filePath.startsWith(path.join(webDir, 'assets') + path.sep);
      void response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      void response.header('x-content-type-options', 'nosniff');
    },
  });

  const sendIndex = async (request: { url: string }, reply: import('fastify').FastifyReply) => {
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
      return reply.callNotFound();
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(indexHtml);
  };
  app.get('/', { schema: { hide: true } }, sendIndex);
  app.get('/*', { schema: { hide: true } }, sendIndex);
}
