import { Type } from '@sinclair/typebox';
import { CreateAiSystem } from '../../ai-systems/ai-system.schemas.js';
import { exportInventory } from '../../inventory/inventory-export.service.js';
import { importInventory } from '../../inventory/inventory-import.service.js';
import { ExportInventoryQuery, ImportInventoryRequest, ImportReport } from '../../inventory/inventory.schemas.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { changeErrors, commonErrors, ReasonQuery } from '../schemas.js';

const tags = ['AI systems'];

export const inventoryRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/ai-systems/import',
    {
      schema: {
        tags,
        summary: 'Import an inventory file (CSV, JSON or YAML) as AI systems: all records or none',
        description: `Each record is mapped to the fields of ${CreateAiSystem.$id} and checked; a 400 lists every problem with its line or record number and field.`,
        body: ImportInventoryRequest,
        querystring: ReasonQuery,
        response: { 200: ImportReport, 201: ImportReport, ...changeErrors },
      },
    },
    async (request, reply) => {
      const { mapping, delimiter, sourceName, dryRun, ...file } = request.body;
      const report = await importInventory(ctx, callerOf(request), {
        ...file,
        sourceName: sourceName ?? `upload.${file.format}`,
        ...(mapping !== undefined ? { mapping } : {}),
        ...(delimiter !== undefined ? { delimiter } : {}),
        dryRun: dryRun === true,
        reason: request.query.reason ?? null,
      });
      void reply.status(report.dryRun ? 200 : 201);
      return report;
    },
  );

  app.get(
    '/api/ai-systems/export',
    {
      schema: {
        tags,
        summary: 'Download the whole AI system register as JSON, CSV or YAML',
        querystring: ExportInventoryQuery,
        produces: ['application/json', 'text/csv', 'application/yaml'],
        response: { 200: Type.String({ description: 'The register in the requested format' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'json';
      const exported = await exportInventory(ctx, callerOf(request), format);
      void reply
        .header('content-type', exported.mediaType)
        .header('content-disposition', `attachment; filename="custos-ai-systems.${format}"`)
        // The content is already serialized in its format; the default serializer would quote it as a JSON string.
        .serializer((payload: unknown) => payload as string);
      return exported.content;
    },
  );
};
