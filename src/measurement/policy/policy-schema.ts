import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { EuAiActTier } from '../../classification/eu-ai-act.js';
import type { ImpactLevel } from '../../classification/impact.js';
import { literalUnion } from '../../platform/validation.js';
import { metricNames, tasks } from './metric-names.js';

/**
 * The shape of a measurement policy file, as a JSON Schema built with TypeBox. The parser checks
 * a file against it first and then checks what a schema cannot express (metric names, parameters,
 * references between fields). `policyJsonSchema` is the same shape for documentation.
 */

export const policyFormatVersion = 1;
export const dataRoles = ['evaluation', 'reference', 'current'] as const;
export const fileFormats = ['csv', 'parquet', 'jsonl'] as const;
export const thresholdOperators = ['<', '<=', '>', '>=', 'between'] as const;
export const severities = ['error', 'warning'] as const;
/** The prediction that benefits the person: positive for a loan or a hire, negative for a risk score such as recidivism. */
export const favourableOutcomes = ['positive', 'negative'] as const;
/** The impact levels of the internal classification and the EU AI Act tiers. */
export const riskTiers = ['low', 'high', 'critical', 'prohibited', 'high-risk', 'transparency', 'minimal'] as const satisfies readonly (ImpactLevel | EuAiActTier)[];
export type RiskTier = (typeof riskTiers)[number];
export const spcCharts = ['shewhart', 'cusum', 'ewma', 'page_hinkley'] as const;

const strict = { additionalProperties: false } as const;
const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const ColumnName = Text(1_000, 'A column name as the data file spells it');
const Scalar = Type.Union([Type.String({ maxLength: 1_000 }), Type.Number(), Type.Boolean()]);
const ScalarOrList = Type.Union([Scalar, Type.Array(Scalar, { minItems: 1, maxItems: 1_000 })]);

const CsvOptions = Type.Object(
  {
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 4, description: 'Field separator, 1 to 4 characters such as "," or ", "; default ","' })),
    quote: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'Quote character; default "' })),
    escape: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'Escape character inside quotes; default the quote character' })),
    header: Type.Optional(Type.Boolean({ description: 'Whether the first row (after skipRows) names the columns; default true' })),
    columns: Type.Optional(Type.Array(ColumnName, { minItems: 1, maxItems: 10_000, description: 'Names of the columns in order; required without a header, else they replace the header names' })),
    nullValues: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'Cell texts that mean a missing value; default [""]' })),
    skipRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Lines to skip before the header or the first row; default 0' })),
    encoding: Type.Optional(literalUnion(['utf-8', 'utf-16', 'latin-1'] as const, { description: 'Text encoding; default utf-8' })),
  },
  { ...strict, description: 'How to read a CSV file' },
);

const AllowAbsentPositive = Type.Boolean({
  description: 'Binary classification: accept positive values that the file lacks, as long as one occurs; default false, which rejects an absent value as a likely misspelling',
});

const DatasetReference = Type.Object(
  {
    dataset: Text(200, 'Id or name of a registered dataset'),
    version: Text(200, 'Id or label of the dataset version the file is'),
  },
  { ...strict, description: 'The registered dataset version this file is; its SHA-256 fingerprint must match the file' },
);

const dataFileProperties = {
  file: Text(4_096, 'Path of the data file, relative to the policy file'),
  format: Type.Optional(literalUnion(fileFormats, { description: 'csv, parquet or jsonl; default from the extension (.csv, .tsv, .parquet, .jsonl, .ndjson)' })),
  csv: Type.Optional(CsvOptions),
  dataset: Type.Optional(DatasetReference),
  recode: Type.Optional(
    Type.Record(Type.String({ minLength: 1 }), Type.Record(Type.String(), Type.Union([Scalar, Type.Null()])), {
      description: 'Per column, values to replace before measuring: { column: { from: to } }; a null target makes the value missing',
    }),
  ),
};

const DataFile = Type.Object(dataFileProperties, strict);

const ReferenceData = Type.Object(
  {
    ...dataFileProperties,
    file: Type.Optional(Text(4_096, 'Path of the reference data file, relative to the policy file; or give profile instead')),
    profile: Type.Optional(
      Text(4_096, 'Path of a reference profile that custos measure profile wrote, relative to the policy file, instead of the reference file: drift checks then read only the current file'),
    ),
  },
  strict,
);

const EvaluationData = Type.Object(
  {
    ...dataFileProperties,
    task: literalUnion(tasks, { description: `The model's task: ${tasks.join(', ')}` }),
    label: Type.Object(
      {
        column: ColumnName,
        positive: Type.Optional(ScalarOrList),
        allowAbsentPositive: Type.Optional(AllowAbsentPositive),
      },
      { ...strict, description: 'The true outcome; for binary classification, positive names the value or values that count as the positive class' },
    ),
    prediction: Type.Optional(
      Type.Object(
        { column: ColumnName, positive: Type.Optional(ScalarOrList), allowAbsentPositive: Type.Optional(AllowAbsentPositive) },
        { ...strict, description: "The model's decision; for binary classification, positive names the value or values that count as a positive prediction" },
      ),
    ),
    score: Type.Optional(
      Type.Object(
        {
          column: Type.Optional(ColumnName),
          columns: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ColumnName, { description: 'Multiclass: the probability column of each class label' })),
        },
        { ...strict, description: 'Predicted probability of the positive class (column), or of each class (columns)' },
      ),
    ),
    sensitive: Type.Optional(Type.Array(ColumnName, { maxItems: 20, description: 'Columns holding sensitive attributes, such as race or sex' })),
    missingSensitive: Type.Optional(
      literalUnion(['group', 'error'] as const, { description: 'A missing sensitive value forms an explicit "missing" group (group, the default) or is an error' }),
    ),
  },
  { ...strict, description: 'The data a model is evaluated on: label, prediction or score, and sensitive attributes' },
);

const Threshold = Type.Object(
  {
    operator: literalUnion(thresholdOperators, { description: 'Quote the operators in YAML, for example operator: ">="' }),
    value: Type.Optional(Type.Number({ description: 'The bound for <, <=, > and >=' })),
    min: Type.Optional(Type.Number({ description: 'Lower bound for between, inclusive' })),
    max: Type.Optional(Type.Number({ description: 'Upper bound for between, inclusive' })),
  },
  { ...strict, description: 'The condition the value must meet for the check to pass' },
);

const GroupSelector = Type.Union([Type.String({ minLength: 1, maxLength: 1_000 }), Type.Record(Type.String({ minLength: 1 }), Type.String({ maxLength: 1_000 }))], {
  description: 'A group: its value of the one attribute in by, or a mapping of attribute to value for an intersection',
});

const ParameterValue = Type.Union([Scalar, Type.Array(Scalar, { maxItems: 10_000 }), Type.Record(Type.String(), Type.Number())]);

export const CheckSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$', description: 'Stable id of the check, unique in the policy; default the metric name with a number when it repeats' }),
    ),
    metric: Type.String({ minLength: 1, maxLength: 100, description: `One of ${metricNames.join(', ')}` }),
    description: Type.Optional(Text(2_000)),
    data: Type.Optional(literalUnion(dataRoles, { description: 'The data file a quality check reads; default evaluation, else current' })),
    columns: Type.Optional(
      Type.Union(
        [
          Type.Array(ColumnName, { minItems: 1, maxItems: 10_000, description: 'Columns of a drift or quality check; default every column' }),
          Type.Record(Type.String({ minLength: 1, maxLength: 1_000 }), ColumnName, {
            description: 'Drift checks only: each reference column mapped to the current column it is compared with, for columns the two files name differently',
          }),
        ],
        { description: 'Columns of a drift or quality check (default every column); a drift check may map reference columns to current columns instead' },
      ),
    ),
    by: Type.Optional(Type.Array(ColumnName, { minItems: 1, maxItems: 10, description: 'Sensitive attributes whose intersection forms the groups; default each sensitive attribute on its own' })),
    groups: Type.Optional(Type.Array(GroupSelector, { minItems: 1, maxItems: 1_000, description: 'Restrict per-group outcomes to these groups; default every group' })),
    parameters: Type.Optional(Type.Record(Type.String(), ParameterValue, { description: 'Settings of the metric; see its parameters in metric-names.ts' })),
    threshold: Threshold,
    severity: Type.Optional(literalUnion(severities, { description: 'error fails the run when the check fails (the default); warning only reports' })),
    favourableOutcome: Type.Optional(
      literalUnion(favourableOutcomes, {
        description: 'Fairness checks only: the prediction that benefits the person, which sets the most favourable reference group and the four-fifths rule; default positive',
      }),
    ),
  },
  strict,
);

const Checks = Type.Array(CheckSchema, { maxItems: 10_000 });

export const PolicyFileSchema = Type.Object(
  {
    policyFormat: Type.Literal(policyFormatVersion, { description: 'Version of this file format; 1' }),
    name: Text(200, 'Name of the policy, shown in reports'),
    description: Type.Optional(Text(4_000)),
    aiSystem: Text(200, 'Id or name of the AI system the policy measures'),
    modelVersion: Type.Optional(
      Type.Object({ model: Text(200, 'Id or name of the model'), version: Text(200, 'Id or label of the model version') }, { ...strict, description: 'The model version the predictions come from' }),
    ),
    data: Type.Object(
      {
        evaluation: Type.Optional(EvaluationData),
        reference: Type.Optional(ReferenceData),
        current: Type.Optional(DataFile),
      },
      { ...strict, description: 'The data files: evaluation for fairness, performance and calibration; reference and current for drift' },
    ),
    settings: Type.Optional(
      Type.Object(
        {
          minGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Groups with fewer rows are flagged as small; default the engine default' })),
          confidenceLevel: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Confidence level of the intervals; default 0.95' })),
          bootstrapResamples: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Bootstrap resamples for disparity intervals; 0 turns them off' })),
          seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'Seed of the bootstrap, so that a run can be repeated exactly' })),
        },
        strict,
      ),
    ),
    monitoring: Type.Optional(
      Type.Object(
        {
          charts: Type.Optional(Type.Array(literalUnion(spcCharts), { maxItems: spcCharts.length, description: 'Control charts applied to each stored KPI series; default shewhart, cusum and ewma' })),
          taskDueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'Days until a monitoring task opened by a breach is due; default 14' })),
          baselineLength: Type.Optional(
            Type.Integer({ minimum: 2, maximum: 1_000, description: 'Earliest runs of a KPI series that set the centre line and sigma of the Shewhart, CUSUM and EWMA charts; default 20' }),
          ),
        },
        strict,
      ),
    ),
    checks: Type.Optional(Checks),
    tiers: Type.Optional(
      Type.Object(
        {
          low: Type.Optional(Checks),
          high: Type.Optional(Checks),
          critical: Type.Optional(Checks),
          prohibited: Type.Optional(Checks),
          'high-risk': Type.Optional(Checks),
          transparency: Type.Optional(Checks),
          minimal: Type.Optional(Checks),
        },
        {
          ...strict,
          description: 'Extra checks by risk tier: an impact level (low, high, critical) or an EU AI Act tier (prohibited, high-risk, transparency, minimal)',
        },
      ),
    ),
  },
  strict,
);

export type PolicyFile = Static<typeof PolicyFileSchema>;
export type CheckInFile = Static<typeof CheckSchema>;

/** The JSON Schema (draft 2020-12 compatible keywords) of a policy file, for documentation and editors. */
export const policyJsonSchema: TSchema = PolicyFileSchema;
