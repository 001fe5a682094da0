import { Type } from '@sinclair/typebox';
import { Page } from '../../platform/pagination.js';
import { acceptRisk, getAuthorities, listAcceptances, replaceAuthorities } from '../../risks/acceptances.service.js';
import { createCategory, getCategory, getErmMapping, listCategories, removeAppetite, setAppetite, updateCategory, updateErmMapping } from '../../risks/categories.service.js';
import { getEscalation, listEscalations, resolveEscalation } from '../../risks/escalations.service.js';
import { getActiveMatrix, getMatrix, listMatrices, replaceMatrix } from '../../risks/matrices.service.js';
import { exportRegister, importRegister, ImportRegisterRequest, RegisterExportQuery, RegisterImportReport } from '../../risks/register-file.service.js';
import {
  AcceptanceAuthorities,
  CategoryParams,
  CreateRiskCategory,
  ErmMapping,
  ReplaceAcceptanceAuthorities,
  ReplaceRiskMatrix,
  RiskCategory,
  RiskMatrix,
  SetRiskAppetite,
  UpdateErmMapping,
  UpdateRiskCategory,
} from '../../risks/risk-settings.schemas.js';
import {
  Acceptance,
  AcceptedRisk,
  AcceptRisk,
  CreateRisk,
  CreateTreatment,
  Escalation,
  EscalationListQuery,
  ResolveEscalation,
  Risk,
  RiskListQuery,
  Treatment,
  TreatmentParams,
  UpdateRisk,
  UpdateTreatment,
} from '../../risks/risk.schemas.js';
import { createRisk, getRisk, listRisks, updateRisk } from '../../risks/risks.service.js';
import { createTreatment, deleteTreatment, getTreatment, listTreatments, updateTreatment } from '../../risks/treatments.service.js';
import type { RouteModule } from '../app.js';
import { callerOf } from '../authentication.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { changeErrors, commonErrors, ErrorResponse, IdParams, ReasonQuery } from '../schemas.js';

const tags = ['risks'];

/** Options of a change from the request: the If-Match version and the reason for the audit trail. */
function changeOptions(request: { headers: Record<string, string | string[] | undefined>; query: { reason?: string } }) {
  return { expectedVersion: parseIfMatch(request.headers['if-match']), reason: request.query.reason ?? null };
}

export const riskRoutes: RouteModule = (app, ctx) => {
  registerSettingsRoutes(app, ctx);
  registerEscalationRoutes(app, ctx);
  registerFileRoutes(app, ctx);

  app.get(
    '/api/risks',
    { schema: { tags, summary: 'List risks of AI systems and of the organization, with filters, sorting and pagination', querystring: RiskListQuery, response: { 200: Page(Risk), ...commonErrors } } },
    async (request) => listRisks(ctx, callerOf(request), request.query),
  );

  app.post(
    '/api/risks',
    {
      schema: {
        tags,
        summary: 'Add a risk with its source, objective and category; ratings are placed on the active matrix and judged against the appetite',
        body: CreateRisk,
        querystring: ReasonQuery,
        response: { 201: Risk, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createRisk(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/risks/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/risks/:id',
    { schema: { tags, summary: 'Read one risk', params: IdParams, response: { 200: Risk, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const risk = await getRisk(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(risk.version));
      return risk;
    },
  );

  app.patch(
    '/api/risks/:id',
    {
      schema: {
        tags,
        summary: 'Change a risk, rate it again or set its status. Send If-Match with the ETag you read',
        params: IdParams,
        querystring: ReasonQuery,
        body: UpdateRisk,
        response: { 200: Risk, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await updateRisk(ctx, callerOf(request), request.params.id, request.body, changeOptions(request));
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.get(
    '/api/risks/:id/treatments',
    { schema: { tags, summary: 'List the treatments of a risk', params: IdParams, response: { 200: Type.Array(Treatment), 404: ErrorResponse, ...commonErrors } } },
    async (request) => listTreatments(ctx, callerOf(request), request.params.id),
  );

  app.post(
    '/api/risks/:id/treatments',
    {
      schema: {
        tags,
        summary: 'Plan a treatment with an option, linked controls, an owner, a due date and a success metric',
        params: IdParams,
        querystring: ReasonQuery,
        body: CreateTreatment,
        response: { 201: Treatment, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await createTreatment(ctx, callerOf(request), request.params.id, request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/risks/${request.params.id}/treatments/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/risks/:id/treatments/:treatmentId',
    { schema: { tags, summary: 'Read one treatment', params: TreatmentParams, response: { 200: Treatment, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const treatment = await getTreatment(ctx, callerOf(request), request.params.id, request.params.treatmentId);
      void reply.header('etag', etagOf(treatment.version));
      return treatment;
    },
  );

  app.patch(
    '/api/risks/:id/treatments/:treatmentId',
    {
      schema: { tags, summary: 'Change a treatment, its controls or its status', params: TreatmentParams, querystring: ReasonQuery, body: UpdateTreatment, response: { 200: Treatment, ...changeErrors } },
    },
    async (request, reply) => {
      const updated = await updateTreatment(ctx, callerOf(request), request.params.id, request.params.treatmentId, request.body, changeOptions(request));
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/risks/:id/treatments/:treatmentId',
    { schema: { tags, summary: 'Remove a treatment from a risk', params: TreatmentParams, querystring: ReasonQuery, response: { 204: Type.Null(), ...changeErrors } } },
    async (request, reply) => {
      await deleteTreatment(ctx, callerOf(request), request.params.id, request.params.treatmentId, changeOptions(request));
      void reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/risks/:id/acceptances',
    { schema: { tags, summary: 'List the acceptances of a risk, newest first', params: IdParams, response: { 200: Type.Array(Acceptance), 404: ErrorResponse, ...commonErrors } } },
    async (request) => listAcceptances(ctx, callerOf(request), request.params.id),
  );

  app.post(
    '/api/risks/:id/acceptances',
    {
      schema: {
        tags,
        summary: "Accept the residual risk; the caller's role needs authority for its band (GET /api/risks/acceptance-authorities)",
        params: IdParams,
        querystring: ReasonQuery,
        body: AcceptRisk,
        response: { 201: AcceptedRisk, ...changeErrors },
      },
    },
    async (request, reply) => {
      const accepted = await acceptRisk(ctx, callerOf(request), request.params.id, request.body, changeOptions(request));
      void reply.status(201).header('etag', etagOf(accepted.risk.version));
      return accepted;
    },
  );
};

function registerSettingsRoutes(app: Parameters<RouteModule>[0], ctx: Parameters<RouteModule>[1]): void {
  app.get(
    '/api/risks/matrix',
    { schema: { tags, summary: 'Read the active likelihood × impact matrix with its labels, definitions and bands', response: { 200: RiskMatrix, ...commonErrors } } },
    async (request, reply) => {
      const matrix = await getActiveMatrix(ctx, callerOf(request));
      void reply.header('etag', etagOf(matrix.number));
      return matrix;
    },
  );

  app.put(
    '/api/risks/matrix',
    {
      schema: {
        tags,
        summary: 'Calibrate a new matrix version (3 to 5 levels per axis, a band for every cell) and make it the active one; send If-Match with the ETag of the active matrix',
        querystring: ReasonQuery,
        body: ReplaceRiskMatrix,
        response: { 201: RiskMatrix, ...changeErrors },
      },
    },
    async (request, reply) => {
      const created = await replaceMatrix(ctx, callerOf(request), request.body, changeOptions(request));
      void reply.status(201).header('etag', etagOf(created.number));
      return created;
    },
  );

  app.get(
    '/api/risks/matrices',
    { schema: { tags, summary: 'List every matrix version, newest first', response: { 200: Type.Array(RiskMatrix), ...commonErrors } } },
    async (request) => listMatrices(ctx, callerOf(request)),
  );

  app.get(
    '/api/risks/matrices/:id',
    { schema: { tags, summary: 'Read one matrix version, such as the one an older rating used', params: IdParams, response: { 200: RiskMatrix, 404: ErrorResponse, ...commonErrors } } },
    async (request) => getMatrix(ctx, callerOf(request), request.params.id),
  );

  app.get(
    '/api/risks/categories',
    { schema: { tags, summary: 'List risk categories with their appetite, escalation path and ERM category', response: { 200: Type.Array(RiskCategory), ...commonErrors } } },
    async (request) => listCategories(ctx, callerOf(request)),
  );

  app.post(
    '/api/risks/categories',
    {
      schema: { tags, summary: "Add one of the organization's own risk categories with its escalation path", querystring: ReasonQuery, body: CreateRiskCategory, response: { 201: RiskCategory, ...changeErrors } },
    },
    async (request, reply) => {
      const created = await createCategory(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(201).header('etag', etagOf(created.version)).header('location', `/api/risks/categories/${created.id}`);
      return created;
    },
  );

  app.get(
    '/api/risks/categories/:category',
    { schema: { tags, summary: 'Read one risk category', params: CategoryParams, response: { 200: RiskCategory, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const category = await getCategory(ctx, callerOf(request), request.params.category);
      void reply.header('etag', etagOf(category.version));
      return category;
    },
  );

  app.patch(
    '/api/risks/categories/:category',
    {
      schema: { tags, summary: 'Change a category, its escalation path or its ERM category', params: CategoryParams, querystring: ReasonQuery, body: UpdateRiskCategory, response: { 200: RiskCategory, ...changeErrors } },
    },
    async (request, reply) => {
      const updated = await updateCategory(ctx, callerOf(request), request.params.category, request.body, changeOptions(request));
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.put(
    '/api/risks/categories/:category/appetite',
    {
      schema: {
        tags,
        summary: "State a category's appetite as a maximum score (likelihood × impact) on the active matrix; its risks are judged again",
        params: CategoryParams,
        querystring: ReasonQuery,
        body: SetRiskAppetite,
        response: { 200: RiskCategory, ...changeErrors },
      },
    },
    async (request, reply) => {
      const updated = await setAppetite(ctx, callerOf(request), request.params.category, request.body, changeOptions(request));
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.delete(
    '/api/risks/categories/:category/appetite',
    { schema: { tags, summary: "Withdraw a category's appetite", params: CategoryParams, querystring: ReasonQuery, response: { 200: RiskCategory, ...changeErrors } } },
    async (request, reply) => {
      const updated = await removeAppetite(ctx, callerOf(request), request.params.category, changeOptions(request));
      void reply.header('etag', etagOf(updated.version));
      return updated;
    },
  );

  app.get(
    '/api/risks/erm-mapping',
    { schema: { tags, summary: "Read the mapping of custos's risk categories to the organization's ERM categories", response: { 200: ErmMapping, ...commonErrors } } },
    async (request) => getErmMapping(ctx, callerOf(request)),
  );

  app.put(
    '/api/risks/erm-mapping',
    { schema: { tags, summary: 'Change the ERM category of the listed risk categories', querystring: ReasonQuery, body: UpdateErmMapping, response: { 200: ErmMapping, ...changeErrors } } },
    async (request) => updateErmMapping(ctx, callerOf(request), request.body, request.query.reason),
  );

  app.get(
    '/api/risks/acceptance-authorities',
    { schema: { tags, summary: 'Read which role may accept residual risk up to which band', response: { 200: AcceptanceAuthorities, ...commonErrors } } },
    async (request) => getAuthorities(ctx, callerOf(request)),
  );

  app.put(
    '/api/risks/acceptance-authorities',
    {
      schema: { tags, summary: 'Replace the acceptance authority table; bands are named by key on the active matrix', querystring: ReasonQuery, body: ReplaceAcceptanceAuthorities, response: { 200: AcceptanceAuthorities, ...changeErrors } },
    },
    async (request) => replaceAuthorities(ctx, callerOf(request), request.body, request.query.reason),
  );
}

function registerEscalationRoutes(app: Parameters<RouteModule>[0], ctx: Parameters<RouteModule>[1]): void {
  app.get(
    '/api/risks/escalations',
    { schema: { tags, summary: 'List escalations of risks beyond appetite, earliest due first; overdue=true lists the open ones past their due date', querystring: EscalationListQuery, response: { 200: Page(Escalation), ...commonErrors } } },
    async (request) => listEscalations(ctx, callerOf(request), request.query),
  );

  app.get(
    '/api/risks/escalations/:id',
    { schema: { tags, summary: 'Read one escalation', params: IdParams, response: { 200: Escalation, 404: ErrorResponse, ...commonErrors } } },
    async (request, reply) => {
      const escalation = await getEscalation(ctx, callerOf(request), request.params.id);
      void reply.header('etag', etagOf(escalation.version));
      return escalation;
    },
  );

  app.post(
    '/api/risks/escalations/:id/resolve',
    {
      schema: { tags, summary: 'Record the decision on an escalation; only the role it names may', params: IdParams, querystring: ReasonQuery, body: ResolveEscalation, response: { 200: Escalation, ...changeErrors } },
    },
    async (request, reply) => {
      const resolved = await resolveEscalation(ctx, callerOf(request), request.params.id, request.body, changeOptions(request));
      void reply.header('etag', etagOf(resolved.version));
      return resolved;
    },
  );
}

function registerFileRoutes(app: Parameters<RouteModule>[0], ctx: Parameters<RouteModule>[1]): void {
  app.get(
    '/api/risks/export',
    {
      schema: {
        tags,
        summary: 'Download the whole risk register as CSV or XLSX, with the ERM category of each risk',
        querystring: RegisterExportQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const exported = await exportRegister(ctx, callerOf(request), request.query.format);
      void reply
        .header('content-type', exported.mediaType)
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .header('x-content-type-options', 'nosniff');
      return reply.send(exported.content);
    },
  );

  app.post(
    '/api/risks/import',
    {
      schema: {
        tags,
        summary: 'Import a risk register file (CSV, or XLSX as base64) with the columns of the export: all rows or none',
        description: 'A row whose Id names a risk changes it; other rows add risks. A 400 lists every problem with its row number and column.',
        querystring: ReasonQuery,
        body: ImportRegisterRequest,
        response: { 200: RegisterImportReport, 201: RegisterImportReport, ...changeErrors },
      },
    },
    async (request, reply) => {
      const report = await importRegister(ctx, callerOf(request), request.body, request.query.reason);
      void reply.status(report.dryRun ? 200 : 201);
      return report;
    },
  );
}
