import type { FastifyInstance } from 'fastify';
import type { Command } from 'commander';
import { createLogger } from '../../platform/logger.js';
import { loadConfig } from '../../platform/config.js';
import { ensureAdministrator } from '../../users/first-start.js';
import { checkListenHost, describeListenFailure } from '../listen-address.js';
import { openContext, type CliContext, type GlobalOptions } from '../runtime.js';

export function registerServeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('Run the HTTP server: migrate the database, create the first administrator, load the demo into an empty database')
    .option('--port <port>', 'TCP port (default 4242, or CUSTOS_PORT)')
    .option('--host <host>', 'interface to listen on (default localhost, or CUSTOS_HOST)')
    .option('--no-demo', 'do not load the demo organization into an empty database')
    .action(async (options: { port?: string; host?: string; demo: boolean }) => {
      const flags = { ...(options.port ? { port: options.port } : {}), ...(options.host ? { host: options.host } : {}) };
      const config = loadConfig(process.env, { ...flags, dataDir: globals().dataDir, databaseUrl: globals().databaseUrl });
      checkListenHost(config.host, options.host ? '--host' : 'CUSTOS_HOST');
      const logger = createLogger(globals().verbose ? 'debug' : config.logLevel);
      const ctx = await openContext(globals(), flags, logger);

      const { server, administrator, demo } = await start(ctx, options.demo).catch(async (error: unknown) => {
        await ctx.close();
        throw error;
      });

      // With --port 0 the system picks the port, so the URL names the one actually bound.
      const port = boundPort(server) ?? ctx.config.port;
      const url = `http://${ctx.config.host}:${port}`;
      logger.info({ url, database: ctx.database.kind, location: ctx.database.location }, 'custos started');
      const lines = [``, `custos is running at ${url} (database: ${ctx.database.kind}, ${ctx.database.location})`, `API docs: ${url}/api/docs`];
      if (demo) lines.push(`Demo organization loaded: ${demo.aiSystems} AI systems from public algorithm registers and the COMPAS case`);
      if (administrator) {
        lines.push(
          administrator.generatedPassword
            ? `Administrator sign-in: username "${administrator.username}", password "${administrator.generatedPassword}" (shown once; set CUSTOS_ADMIN_PASSWORD to choose it)`
            : `Administrator sign-in: username "${administrator.username}" with the password from CUSTOS_ADMIN_PASSWORD`,
        );
      }
      lines.push(`API token: npx custos token create --user admin --role administrator`, ``);
      process.stdout.write(lines.join('\n') + '\n');

      const stop = async (signal: string) => {
        logger.info({ signal }, 'custos stopping');
        await server.close();
        await ctx.close();
        logger.info('custos stopped');
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}

/** Prepares the database (first administrator, demo) and listens; a failed listen closes the server and names the option to change. */
async function start(ctx: CliContext, withDemo: boolean) {
  // The HTTP server and the demo loader are loaded here, not at the top, so that the other
  // commands (audit verify among them) start without loading Fastify and its plugins.
  const { buildServer } = await import('../../http/server.js');
  const { loadDemoIfEmpty } = await import('../../demo/load-demo.js');
  const administrator = await ensureAdministrator(ctx);
  const demo = withDemo ? await loadDemoIfEmpty(ctx) : null;
  const server = await buildServer(ctx);
  try {
    await server.listen({ port: ctx.config.port, host: ctx.config.host });
  } catch (error) {
    await server.close();
    throw describeListenFailure(error, ctx.config.host, ctx.config.port);
  }
  return { server, administrator, demo };
}

function boundPort(server: FastifyInstance): number | undefined {
  const address = server.server.address();
  return typeof address === 'object' && address !== null ? address.port : undefined;
}
