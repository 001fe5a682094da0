import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { custosVersion } from '../../platform/version.js';
import type { RouteModule } from '../app.js';

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Report that the server runs and reaches its database',
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgresql')]),
            version: Type.String(),
          }),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.database.db);
      return { status: 'ok' as const, database: ctx.database.kind, version: custosVersion };
    },
  );
};
