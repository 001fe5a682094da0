import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PageQuery } from '../platform/pagination.js';
import { literalUnion, notBlankPattern } from '../platform/validation.js';
import { metricFamilies, metricNames } from './policy/metric-names.js';
import { dataRoles, fileFormats, severities, spcCharts, thresholdOperators } from './policy/policy-schema.js';
import { checkResults, runResults } from './reports/run-outcome.js';

/** Schemas of measurement runs, their values, KPI series with control charts, and monitoring tasks. */

export const runKinds = ['check', 'fairness', 'performance', 'calibration', 'drift', 'quality'] as const;
export type RunKind = (typeof runKinds)[number];
export const taskKinds = ['retraining', 'review'] as const;
export const taskStatuses = ['open', 'done'] as const;

const recordId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {});
const Timestamp = Type.String({ format: 'date-time' });
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256' });
const Family = literalUnion(metricFamilies);
const Metric = literalUnion(metricNames);
const Parameters = Type.Record(Type.String(), Type.Unknown(), { description: 'The parameters of the metric, defaults included' });

/**
 * A number as the API writes it: JSON has no infinities, so a divergence that is infinite is
 * written as the string "Infinity" (or "-Infinity").
 */
const ApiNumber = Type.Union([Type.Number(), literalUnion(['Infinity', '-Infinity'] as const)]);

export const Threshold = Type.Union(
  [
    Type.Object({ operator: literalUnion(thresholdOperators.filter((operator) => operator !== 'between') as ['<', '<=', '>', '>=']), value: Type.Number() }, { additionalProperties: false }),
    Type.Object({ operator: Type.Literal('between'), min: Type.Number(), max: Type.Number() }, { additionalProperties: false }),
  ],
  { description: 'The condition the value must meet; between includes both bounds' },
);

/**
 * A measured value as a recorded run hands it in. The value is checked by the service rather than
 * here, because TypeBox rejects infinite numbers, which a divergence may legitimately be.
 */
const MeasuredInput = Type.Union([
  Type.Object({ defined: Type.Literal(true), value: Type.Unknown({ description: 'A number; NaN is rejected' }), warnings: Type.Array(Type.String({ maxLength: 4_000 }), { maxItems: 100 }) }, { additionalProperties: false }),
  Type.Object({ defined: Type.Literal(false), reason: Type.String({ minLength: 1, maxLength: 4_000 }), warnings: Type.Array(Type.String({ maxLength: 4_000 }), { maxItems: 100 }) }, { additionalProperties: false }),
]);

const CheckOutcomeInput = Type.Object(
  {
    checkId: Type.String({ minLength: 1, maxLength: 100, pattern: notBlankPattern }),
    family: Family,
    metric: Metric,
    parameters: Parameters,
    column: nullable(Type.String({ maxLength: 1_000 })),
    group: nullable(Type.String({ maxLength: 4_000 })),
    value: MeasuredInput,
    threshold: Threshold,
    severity: literalUnion(severities),
    result: literalUnion(checkResults),
    message: Type.String({ maxLength: 8_000 }),
  },
  { additionalProperties: false },
);

const RunOutcomeInput = Type.Object(
  {
    policyName: nullable(Type.String({ minLength: 1, maxLength: 200 })),
    aiSystemName: Type.String({ minLength: 1, maxLength: 200 }),
    startedAt: Timestamp,
    finishedAt: Timestamp,
    engineVersion: Type.String({ minLength: 1, maxLength: 64, pattern: notBlankPattern }),
    outcomes: Type.Array(CheckOutcomeInput, { maxItems: 1_000_000 }),
    results: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

const ModelVersionReference = Type.Object(
  { model: Type.String({ minLength: 1, maxLength: 200, description: 'Id or name of the model' }), version: Type.String({ minLength: 1, maxLength: 200, description: 'Id or label of the model version' }) },
  { additionalProperties: false },
);
const DatasetVersionReference = Type.Object(
  { dataset: Type.String({ minLength: 1, maxLength: 200, description: 'Id or name of the dataset' }), version: Type.String({ minLength: 1, maxLength: 200, description: 'Id or label of the dataset version' }) },
  { additionalProperties: false },
);

export const RecordMeasurementRun = Type.Object(
  {
    aiSystem: Type.String({ minLength: 1, maxLength: 200, description: 'Id or name of the AI system' }),
    modelVersion: Type.Optional(nullable(ModelVersionReference)),
    kind: literalUnion(runKinds),
    policy: Type.Optional(
      nullable(
        Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), sha256: Sha256, text: Type.String({ maxLength: 1_000_000 }) }, { additionalProperties: false }),
        'The policy file of a check run, stored whole so that the run can be repeated',
      ),
    ),
    monitoring: Type.Optional(
      Type.Object(
        {
          charts: Type.Array(literalUnion(spcCharts), { maxItems: spcCharts.length }),
          taskDueDays: Type.Integer({ minimum: 1, maximum: 365 }),
          baselineLength: Type.Integer({ minimum: 2, maximum: 1_000 }),
        },
        { additionalProperties: false },
      ),
    ),
    files: Type.Array(
      Type.Object(
        {
          role: literalUnion(dataRoles),
          fileName: Type.String({ minLength: 1, maxLength: 4_096, pattern: notBlankPattern }),
          format: literalUnion(fileFormats),
          sha256: Sha256,
          sizeBytes: Type.Integer({ minimum: 0 }),
          rowCount: Type.Integer({ minimum: 0 }),
          dataset: Type.Optional(nullable(DatasetVersionReference)),
        },
        { additionalProperties: false },
      ),
      { maxItems: dataRoles.length },
    ),
    outcome: RunOutcomeInput,
  },
  { additionalProperties: false },
);
export type RecordMeasurementRun = Static<typeof RecordMeasurementRun>;

export const MeasurementRunFile = Type.Object(
  {
    role: literalUnion(dataRoles),
    fileName: Type.String(),
    format: literalUnion(fileFormats),
    sha256: Sha256,
    sizeBytes: Type.Integer(),
    rowCount: Type.Integer(),
    datasetVersionId: nullable(Type.String(), 'The registered dataset version whose fingerprint the file has'),
  },
  { additionalProperties: false },
);

export const MeasurementRunSummary = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    modelVersionId: nullable(Type.String()),
    kind: literalUnion(runKinds),
    policyName: nullable(Type.String()),
    policySha256: nullable(Sha256),
    engineVersion: Type.String(),
    startedAt: Timestamp,
    finishedAt: Timestamp,
    runBy: Type.String({ description: 'User id of who ran it' }),
    result: literalUnion(runResults, { description: 'failed when a check of severity error failed or was undefined; passed_with_warnings when only warnings did' }),
    counts: Type.Object({ outcomes: Type.Integer(), passed: Type.Integer(), failed: Type.Integer(), undefined: Type.Integer() }, { additionalProperties: false }),
    resultSha256: Type.String({ description: 'SHA-256 of the stored JSON report, also in the audit trail' }),
    recordedAt: Timestamp,
    files: Type.Array(MeasurementRunFile),
  },
  { additionalProperties: false },
);
export type MeasurementRunSummary = Static<typeof MeasurementRunSummary>;

export const MeasurementValue = Type.Object(
  {
    position: Type.Integer(),
    checkId: Type.String(),
    family: Family,
    metric: Metric,
    parameters: Parameters,
    column: nullable(Type.String()),
    group: nullable(Type.String()),
    value: nullable(ApiNumber, 'The value, or null when it is undefined'),
    undefinedReason: nullable(Type.String()),
    warnings: Type.Array(Type.String()),
    threshold: Threshold,
    severity: literalUnion(severities),
    result: literalUnion(checkResults),
  },
  { additionalProperties: false },
);
export type MeasurementValue = Static<typeof MeasurementValue>;

export const MeasurementRun = Type.Object(
  {
    ...MeasurementRunSummary.properties,
    policyText: nullable(Type.String()),
    values: Type.Array(MeasurementValue),
    report: Type.Unknown({ description: 'The full JSON report: every outcome and the full results of each metric family' }),
  },
  { additionalProperties: false },
);
export type MeasurementRun = Static<typeof MeasurementRun>;

export const MeasurementRunListQuery = Type.Object(
  {
    ...PageQuery,
    kind: Type.Optional(literalUnion(runKinds)),
    result: Type.Optional(literalUnion(runResults)),
    modelVersionId: Type.Optional(recordId('Only runs of this model version')),
    finishedFrom: Type.Optional(Type.String({ format: 'date-time', description: 'Only runs finished at or after this instant' })),
    finishedBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Only runs finished before this instant' })),
    sort: Type.Optional(literalUnion(['-finishedAt', 'finishedAt'] as const, { description: 'finishedAt, or -finishedAt for newest first (the default)', default: '-finishedAt' })),
  },
  { additionalProperties: false },
);
export type MeasurementRunListQuery = Static<typeof MeasurementRunListQuery>;

export const KpiQuery = Type.Object(
  {
    column: Type.Optional(Type.String({ minLength: 1, maxLength: 1_000, description: 'Only the series of this column' })),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 4_000, description: 'Only the series of this group, written as attribute=value, joined by ", " for an intersection' })),
    finishedFrom: Type.Optional(Type.String({ format: 'date-time' })),
    finishedBefore: Type.Optional(Type.String({ format: 'date-time' })),
    baselineLength: Type.Optional(Type.Integer({ minimum: 2, maximum: 1_000, description: 'Earliest points that set the centre line and sigma; default 20' })),
  },
  { additionalProperties: false },
);
export type KpiQuery = Static<typeof KpiQuery>;

export const KpiPoint = Type.Object(
  {
    runId: Type.String(),
    measuredAt: Timestamp,
    checkId: Type.String(),
    value: nullable(ApiNumber),
    undefinedReason: nullable(Type.String()),
    result: literalUnion(checkResults),
  },
  { additionalProperties: false },
);

export const SpcBreachOfRun = Type.Object(
  {
    chart: literalUnion(spcCharts),
    rule: Type.String({ description: 'The rule that fired, such as beyond-3-sigma or cusum-upper' }),
    runId: Type.String(),
    measuredAt: Timestamp,
    value: Type.Number(),
    side: literalUnion(['above', 'below'] as const),
  },
  { additionalProperties: false },
);
export type SpcBreachOfRun = Static<typeof SpcBreachOfRun>;

const ChartResult = Type.Unknown({
  description: 'The chart as the control chart functions return it: { defined: true, centre, sigma, limits, points, breaches } or { defined: false, reason }; indexes count only the finite points',
});

export const KpiSeries = Type.Object(
  {
    parameters: Parameters,
    column: nullable(Type.String()),
    group: nullable(Type.String()),
    points: Type.Array(KpiPoint, { description: 'Every stored value in time order, undefined ones included' }),
    charts: Type.Record(Type.String(), ChartResult, { description: 'The control charts over the finite values of the series, by chart name: shewhart, cusum, ewma, page_hinkley' }),
    breaches: Type.Array(SpcBreachOfRun),
  },
  { additionalProperties: false },
);
export type KpiSeries = Static<typeof KpiSeries>;

export const KpiReport = Type.Object(
  {
    aiSystemId: Type.String(),
    metric: Metric,
    family: Family,
    baselineLength: Type.Integer(),
    series: Type.Array(KpiSeries),
  },
  { additionalProperties: false },
);
export type KpiReport = Static<typeof KpiReport>;

export const MonitoringTask = Type.Object(
  {
    id: Type.String(),
    aiSystemId: Type.String(),
    aiSystemName: Type.String(),
    kind: literalUnion(taskKinds, { description: 'retraining for performance, calibration and drift; review for fairness and data quality' }),
    status: literalUnion(taskStatuses),
    metric: Metric,
    parameters: Parameters,
    column: nullable(Type.String()),
    group: nullable(Type.String()),
    chart: literalUnion(spcCharts),
    rule: Type.String(),
    runId: Type.String({ description: 'The run whose value breached the rule' }),
    breach: Type.Unknown({ description: 'The breach: rule, value, side, time, and the limits of the chart' }),
    assignedRole: Type.String(),
    ownerPersonId: nullable(Type.String(), "The AI system's owner when the task opened"),
    dueDate: Type.String({ format: 'date' }),
    overdue: Type.Boolean({ description: 'True while the task is open after its due date' }),
    openedAt: Timestamp,
    closedAt: nullable(Timestamp),
    closedBy: nullable(Type.String()),
    resolution: nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type MonitoringTask = Static<typeof MonitoringTask>;

export const MonitoringTaskListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(literalUnion(taskStatuses)),
    kind: Type.Optional(literalUnion(taskKinds)),
    aiSystemId: Type.Optional(recordId('Only tasks of this AI system')),
    overdue: Type.Optional(Type.Boolean({ description: 'true lists the open tasks past their due date' })),
  },
  { additionalProperties: false },
);
export type MonitoringTaskListQuery = Static<typeof MonitoringTaskListQuery>;

export const CloseMonitoringTask = Type.Object(
  {
    resolution: Type.String({ minLength: 1, maxLength: 4_000, pattern: notBlankPattern, description: 'What was done: retrained, reviewed and accepted, data fixed …' }),
  },
  { $id: 'CloseMonitoringTask', additionalProperties: false },
);
export type CloseMonitoringTask = Static<typeof CloseMonitoringTask>;
