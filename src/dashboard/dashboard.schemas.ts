import { Type, type Static } from '@sinclair/typebox';
import { lifecycleStages } from '../ai-systems/ai-system.js';
import { euAiActTiers } from '../classification/eu-ai-act.js';
import { runKinds } from '../measurement/measurement.schemas.js';
import { literalUnion } from '../platform/validation.js';
import { ratingKinds, RiskListQuery } from '../risks/risk.schemas.js';

/** Schemas of the dashboard summary and of the risk heatmap and filter options that the risk register shows. */

const count = (description: string) => Type.Integer({ minimum: 0, description });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});
const date = Type.String({ format: 'date' });
const timestamp = Type.String({ format: 'date-time' });

const Level = Type.Object({ level: Type.Integer({ minimum: 1 }), label: Type.String() }, { additionalProperties: false });

export const HeatmapCell = Type.Object(
  {
    likelihood: Type.Integer({ minimum: 1 }),
    impact: Type.Integer({ minimum: 1 }),
    band: Type.String({ description: 'Key of the band the active matrix gives the cell' }),
    count: count('Risks rated in this cell'),
  },
  { additionalProperties: false },
);

export const RiskHeatmap = Type.Object(
  {
    rating: literalUnion(ratingKinds, { description: 'The rating the cells count: current is the residual rating, else the inherent one' }),
    matrixNumber: Type.Integer({ minimum: 1, description: 'Version of the active matrix whose axes and bands the cells use' }),
    likelihoodLevels: Type.Array(Level, { description: 'Likelihood levels from lowest to highest' }),
    impactLevels: Type.Array(Level, { description: 'Impact levels from lowest to highest' }),
    bands: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), order: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), {
      description: 'Bands from lowest to highest',
    }),
    cells: Type.Array(HeatmapCell, { description: 'Every cell of the active matrix, row by row from likelihood 1, zero counts included' }),
    total: count('Risks that match the filters'),
    unrated: count('Matching risks without the rating, which no cell counts'),
    offMatrix: count('Matching risks rated on an older, larger matrix whose levels fall outside the active one, which no cell counts'),
  },
  { $id: 'RiskHeatmap', additionalProperties: false },
);
export type RiskHeatmap = Static<typeof RiskHeatmap>;

/** The filters of GET /api/risks without paging and sorting. */
export const RiskHeatmapQuery = Type.Omit(RiskListQuery, ['limit', 'offset', 'sort'], { additionalProperties: false });
export type RiskHeatmapQuery = Static<typeof RiskHeatmapQuery>;

const FacetValue = Type.Object(
  { id: Type.String(), name: Type.String(), count: count('Risks with this value') },
  { additionalProperties: false },
);

export const RiskFacets = Type.Object(
  {
    aiSystems: Type.Array(FacetValue, { description: 'AI systems that have risks, by name' }),
    owners: Type.Array(FacetValue, { description: 'People who own risks, by name' }),
    categories: Type.Array(FacetValue, { description: 'Every risk category, with its label as name; the id is the category key' }),
  },
  { $id: 'RiskFacets', additionalProperties: false },
);
export type RiskFacets = Static<typeof RiskFacets>;

const SoaGroupProgress = Type.Object(
  {
    ref: Type.String({ description: 'Catalogue ref of the Annex A group, such as iso42001:A.6' }),
    itemId: Type.String({ description: 'The group, such as A.6' }),
    title: Type.String(),
    controls: count('Controls in the group'),
    applicable: count('Controls decided applicable'),
    excluded: count('Controls decided excluded'),
    undecided: count('Controls not decided yet'),
    notStarted: count('Applicable controls not started'),
    planned: count('Applicable controls planned'),
    partiallyImplemented: count('Applicable controls partially implemented'),
    implemented: count('Applicable controls implemented'),
  },
  { additionalProperties: false },
);

const MaturityRow = Type.Object(
  {
    ref: Type.String(),
    itemId: Type.String({ description: 'The clause or Annex A group, such as 6 or A.6' }),
    title: Type.String(),
    weightedMean: nullable(Type.Number(), 'Mean maturity weighted by item weight; null when no item has a level'),
    level: nullable(Type.Integer(), 'Whole maturity level the weighted mean reaches'),
    percentOfTarget: nullable(Type.Number()),
  },
  { additionalProperties: false },
);

const ItemList = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Array(item, { maxItems: 5, description: 'The first five, most urgent first' });

export const DashboardSummary = Type.Object(
  {
    asOf: Type.String({ format: 'date', description: 'Today (UTC), the day that decides what is overdue' }),
    aiSystems: Type.Object(
      {
        total: count('AI systems in the register'),
        byLifecycleStage: Type.Array(Type.Object({ stage: literalUnion(lifecycleStages), count: count('AI systems at this stage') }, { additionalProperties: false }), {
          description: 'Every lifecycle stage in lifecycle order, zero counts included',
        }),
        byTier: Type.Array(
          Type.Object(
            { tier: nullable(literalUnion(euAiActTiers), 'EU AI Act tier of the approved classification; null for systems without one'), count: count('AI systems in this tier') },
            { additionalProperties: false },
          ),
          { description: 'Every tier from prohibited to minimal, then the systems not classified' },
        ),
        staleClassifications: count('AI systems whose approved classification is stale'),
      },
      { additionalProperties: false },
    ),
    risks: Type.Object(
      {
        heatmap: RiskHeatmap,
        beyondAppetite: count('Risks whose current score is above their category appetite'),
        escalated: count('Risks with an open escalation'),
      },
      { additionalProperties: false },
    ),
    soa: nullable(
      Type.Object(
        {
          versionId: Type.String(),
          number: Type.Integer({ minimum: 1 }),
          status: Type.String({ description: 'draft or approved' }),
          title: Type.String(),
          groups: Type.Array(SoaGroupProgress, { description: 'Annex A groups A.2 to A.10 in catalogue order' }),
        },
        { additionalProperties: false },
      ),
      'The version GET /api/soa/current returns (the latest approved, else the open draft), or null when there is none',
    ),
    maturity: nullable(
      Type.Object(
        {
          assessmentId: Type.String(),
          title: Type.String(),
          completedAt: timestamp,
          targetLevel: Type.Integer(),
          clauses: Type.Array(MaturityRow, { description: 'Clauses 4 to 10' }),
          annexAGroups: Type.Array(MaturityRow, { description: 'Annex A groups A.2 to A.10' }),
        },
        { additionalProperties: false },
      ),
      'Maturity from the latest completed gap assessment, or null when none is completed',
    ),
    overdue: Type.Object(
      {
        classificationReviews: Type.Object(
          {
            open: count('Open reviews of stale classifications'),
            overdue: count('Open reviews past their due date'),
            items: ItemList(Type.Object({ id: Type.String(), aiSystemId: Type.String(), aiSystemName: Type.String(), dueDate: date, overdue: Type.Boolean() }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        treatments: Type.Object(
          {
            overdue: count('Treatments planned or in progress past their due date'),
            risks: count('Risks with such a treatment, as GET /api/risks?treatment=overdue counts them'),
            items: ItemList(
              Type.Object(
                { id: Type.String(), riskId: Type.String(), riskTitle: Type.String(), description: Type.String(), dueDate: date, status: Type.String() },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        escalations: Type.Object(
          {
            overdue: count('Open escalations past their due date'),
            items: ItemList(Type.Object({ id: Type.String(), riskId: Type.String(), riskTitle: Type.String(), dueDate: date, escalateToRole: Type.String() }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        evidence: Type.Object(
          {
            withinDays: Type.Integer({ description: 'Days ahead that count as expiring' }),
            due: count('Evidence expired or expiring within withinDays days, as GET /api/evidence/review-due counts it'),
            expired: count('Evidence whose validity has ended'),
            items: ItemList(Type.Object({ id: Type.String(), title: Type.String(), validUntil: date, daysRemaining: Type.Integer(), expired: Type.Boolean() }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        documents: Type.Object(
          {
            withinDays: Type.Integer({ description: 'Days ahead that count as due' }),
            due: count('Documents in force due for review within withinDays days or overdue, as GET /api/documents/review-due counts them'),
            overdue: count('Documents in force whose review date has passed'),
            items: ItemList(Type.Object({ id: Type.String(), title: Type.String(), nextReviewDate: date, daysUntilReview: Type.Integer(), overdue: Type.Boolean() }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    measurements: Type.Object(
      {
        failedRuns: count('Measurement runs whose result is failed'),
        latestFailed: ItemList(
          Type.Object(
            {
              id: Type.String(),
              aiSystemId: Type.String(),
              aiSystemName: Type.String(),
              kind: literalUnion(runKinds),
              policyName: nullable(Type.String()),
              finishedAt: timestamp,
              failed: count('Checks that failed'),
              outcomes: count('Checks in the run'),
            },
            { additionalProperties: false },
          ),
        ),
        monitoringTasks: Type.Object(
          {
            open: count('Open monitoring tasks opened by control chart breaches'),
            overdue: count('Open monitoring tasks past their due date'),
            items: ItemList(
              Type.Object(
                { id: Type.String(), aiSystemId: Type.String(), aiSystemName: Type.String(), kind: Type.String(), metric: Type.String(), dueDate: date, overdue: Type.Boolean() },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'DashboardSummary', additionalProperties: false },
);
export type DashboardSummary = Static<typeof DashboardSummary>;
