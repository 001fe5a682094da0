/**
 * The fixed vocabulary of metrics a measurement policy may name. Each entry states the metric's
 * family, what one outcome is computed over, the data fields it reads, the tasks it applies to,
 * its parameters with their defaults, and the range its values lie in. A policy that names a
 * metric outside this list is rejected, with the closest names suggested.
 */

export const metricFamilies = ['fairness', 'performance', 'calibration', 'drift', 'quality'] as const;
export type MetricFamily = (typeof metricFamilies)[number];

/**
 * Scope of one outcome of a metric:
 * - `group`: one value per group of the sensitive attributes in `by` (a rate such as the false positive rate);
 * - `disparity`: one value per set of attributes in `by`, comparing its groups;
 * - `model`: one value over all rows, or one per group when the check sets `by`;
 * - `column`: one value per column of the check's data file;
 * - `dataset`: one value for the whole data file (or, for drift, the pair of files);
 * - `annotators`: one value over two or more label columns of the same items.
 */
export const metricScopes = ['group', 'disparity', 'model', 'column', 'dataset', 'annotators'] as const;
export type MetricScope = (typeof metricScopes)[number];

export const tasks = ['binary_classification', 'multiclass_classification', 'regression'] as const;
export type Task = (typeof tasks)[number];

/** Fields of the evaluation data that a metric reads. */
export type EvaluationField = 'label' | 'prediction' | 'score';

export const columnTypes = ['numerical', 'categorical'] as const;
export type ColumnType = (typeof columnTypes)[number];

export type ParameterSpec =
  | { readonly kind: 'choice'; readonly values: readonly string[]; readonly default: string | null; readonly description: string }
  | { readonly kind: 'integer'; readonly minimum: number; readonly maximum: number; readonly default: number | null; readonly description: string }
  | {
      readonly kind: 'number';
      readonly minimum: number;
      readonly maximum: number;
      readonly default: number | null;
      /** True when the parameter may be left out although it has no default. */
      readonly optional?: true;
      readonly description: string;
    }
  /** Free text, such as the name of a reference group. */
  | { readonly kind: 'text'; readonly default: string | null; readonly description: string }
  /** A non-empty list of text or numbers, such as the allowed values of a column. */
  | { readonly kind: 'values'; readonly default: null; readonly description: string }
  /** A mapping of category to share, the shares summing to 1. */
  | { readonly kind: 'shares'; readonly default: null; readonly description: string };

export interface MetricDefinition {
  readonly family: MetricFamily;
  readonly scope: MetricScope;
  readonly description: string;
  /** The closed interval the values lie in; a threshold outside it is reported as a mistake. */
  readonly range: readonly [number, number];
  /** Evaluation fields read; empty for metrics over any data file (drift, quality). */
  readonly needs: readonly EvaluationField[];
  /** Tasks the metric is defined for; empty when it does not depend on the task. */
  readonly tasks: readonly Task[];
  /** Column types a per-column metric accepts; the data layer checks them once types are known. */
  readonly columnTypes: readonly ColumnType[];
  /** Smallest and largest number of columns a check must name; null when `columns` is optional. */
  readonly columnCount: { readonly minimum: number; readonly maximum: number } | null;
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** A limitation the reports repeat beside every outcome of the metric. */
  readonly caveat: string | null;
}

const rateNames = [
  'selection_rate',
  'base_rate',
  'true_positive_rate',
  'false_positive_rate',
  'false_negative_rate',
  'true_negative_rate',
  'positive_predictive_value',
  'negative_predictive_value',
  'false_discovery_rate',
  'false_omission_rate',
] as const;
export type RateName = (typeof rateNames)[number];
export const groupRateNames: readonly RateName[] = rateNames;

const binary: readonly Task[] = ['binary_classification'];
const classification: readonly Task[] = ['binary_classification', 'multiclass_classification'];
const regression: readonly Task[] = ['regression'];
const both: readonly ColumnType[] = ['numerical', 'categorical'];
const unitInterval = [0, 1] as const;
const nonNegative = [0, Number.POSITIVE_INFINITY] as const;

const comparison: ParameterSpec = {
  kind: 'choice',
  values: ['between_groups', 'to_overall', 'to_reference'],
  default: 'between_groups',
  description: 'between_groups compares the largest and smallest group value; to_overall each group with the value over all rows; to_reference each group with the reference group',
};
const reference: ParameterSpec = {
  kind: 'text',
  default: 'largest',
  description: 'The reference group when comparison is to_reference: largest (most rows), most_favourable, or the name of a group',
};
const disparityParameters = { comparison, reference };
const testValue: ParameterSpec = {
  kind: 'choice',
  values: ['p_value', 'statistic'],
  default: 'p_value',
  description: 'Which number of the test the threshold applies to',
};
const binning: Readonly<Record<string, ParameterSpec>> = {
  bins: { kind: 'integer', minimum: 2, maximum: 1000, default: 10, description: 'Number of bins for a numerical column, not counting the extra bins for values outside the reference range' },
  binning: { kind: 'choice', values: ['quantile', 'equal_width'], default: 'quantile', description: 'Bin edges from quantiles of the reference sample, or equal widths over its range' },
  maxCategories: {
    kind: 'integer',
    minimum: 2,
    maximum: 100_000,
    default: 100,
    description: 'Categories kept by their count in both samples together; the rest are pooled as "other"',
  },
};
const average = (values: readonly string[], defaultValue: string): ParameterSpec => ({
  kind: 'choice',
  values,
  default: defaultValue,
  description: 'binary scores the positive class; macro averages the classes equally, micro pools all decisions, weighted weights classes by their support',
});
const countOrShare: ParameterSpec = { kind: 'choice', values: ['count', 'share'], default: 'count', description: 'Report the number of offending rows, or their share of all rows' };

function metric(definition: Partial<MetricDefinition> & Pick<MetricDefinition, 'family' | 'scope' | 'description'>): MetricDefinition {
  return { range: unitInterval, needs: [], tasks: [], columnTypes: [], columnCount: null, parameters: {}, caveat: null, ...definition };
}

function rate(description: string, needs: readonly EvaluationField[]): MetricDefinition {
  return metric({ family: 'fairness', scope: 'group', description, needs, tasks: binary });
}

/** Differences are absolute (0..1) and ratios folded so that the smaller value is on top (0..1). */
function disparity(description: string, needs: readonly EvaluationField[], extra: Readonly<Record<string, ParameterSpec>> = {}): MetricDefinition {
  return metric({ family: 'fairness', scope: 'disparity', description, needs, tasks: binary, parameters: { ...disparityParameters, ...extra } });
}

const oddsAggregation: ParameterSpec = {
  kind: 'choice',
  values: ['worst_case', 'mean'],
  default: 'worst_case',
  description: 'worst_case takes the larger of the true positive rate and false positive rate disparities; mean their average',
};
const rateParameter: ParameterSpec = { kind: 'choice', values: rateNames, default: null, description: 'The group rate to compare' };

export const metricDefinitions = {
  selection_rate: rate('Share of the group predicted positive: (TP + FP) / n', ['prediction']),
  base_rate: rate('Share of the group actually positive: (TP + FN) / n; the label rate of training data', ['label']),
  true_positive_rate: rate('TP / (TP + FN), also called recall or sensitivity; undefined for a group without actual positives', ['label', 'prediction']),
  false_positive_rate: rate('FP / (FP + TN); undefined for a group without actual negatives', ['label', 'prediction']),
  false_negative_rate: rate('FN / (TP + FN); undefined for a group without actual positives', ['label', 'prediction']),
  true_negative_rate: rate('TN / (FP + TN), also called specificity; undefined for a group without actual negatives', ['label', 'prediction']),
  positive_predictive_value: rate('TP / (TP + FP), also called precision; undefined for a group without predicted positives', ['label', 'prediction']),
  negative_predictive_value: rate('TN / (TN + FN); undefined for a group without predicted negatives', ['label', 'prediction']),
  false_discovery_rate: rate('FP / (TP + FP); undefined for a group without predicted positives', ['label', 'prediction']),
  false_omission_rate: rate('FN / (TN + FN); undefined for a group without predicted negatives', ['label', 'prediction']),

  demographic_parity_difference: disparity('Disparity of selection rates as a difference', ['prediction']),
  demographic_parity_ratio: disparity('Disparity of selection rates as a ratio, the smaller value over the larger', ['prediction']),
  equalized_odds_difference: disparity('Disparity of true positive rates and false positive rates as differences, combined by aggregation', ['label', 'prediction'], {
    aggregation: oddsAggregation,
  }),
  equalized_odds_ratio: disparity('Disparity of true positive rates and false positive rates as ratios, combined by aggregation', ['label', 'prediction'], {
    aggregation: { ...oddsAggregation, description: 'worst_case takes the smaller of the two ratios; mean their average' },
  }),
  equal_opportunity_difference: disparity('Disparity of true positive rates as a difference', ['label', 'prediction']),
  equal_opportunity_ratio: disparity('Disparity of true positive rates as a ratio', ['label', 'prediction']),
  predictive_parity_difference: disparity('Disparity of positive predictive values as a difference', ['label', 'prediction']),
  predictive_parity_ratio: disparity('Disparity of positive predictive values as a ratio', ['label', 'prediction']),
  rate_difference: disparity('Disparity of the group rate named by the rate parameter, as a difference', ['label', 'prediction'], { rate: rateParameter }),
  rate_ratio: disparity('Disparity of the group rate named by the rate parameter, as a ratio', ['label', 'prediction'], { rate: rateParameter }),
  four_fifths: metric({
    family: 'fairness',
    scope: 'disparity',
    description: 'Smallest selection rate of a group divided by the largest (the adverse impact ratio); the four-fifths rule asks for at least 0.8',
    needs: ['prediction'],
    tasks: binary,
    caveat:
      'The four-fifths rule is a rule of thumb of the US Uniform Guidelines on Employee Selection Procedures (29 CFR 1607.4(D)); a ratio above 0.8 does not show the absence of discrimination, and small groups make the ratio unstable',
  }),

  accuracy: metric({ family: 'performance', scope: 'model', description: 'Share of correct predictions', needs: ['label', 'prediction'], tasks: classification }),
  balanced_accuracy: metric({ family: 'performance', scope: 'model', description: 'Mean recall over the classes', needs: ['label', 'prediction'], tasks: classification }),
  precision: metric({
    family: 'performance',
    scope: 'model',
    description: 'TP / (TP + FP), averaged over classes by the average parameter',
    needs: ['label', 'prediction'],
    tasks: classification,
    parameters: { average: average(['binary', 'macro', 'micro', 'weighted'], 'binary') },
  }),
  recall: metric({
    family: 'performance',
    scope: 'model',
    description: 'TP / (TP + FN), averaged over classes by the average parameter',
    needs: ['label', 'prediction'],
    tasks: classification,
    parameters: { average: average(['binary', 'macro', 'micro', 'weighted'], 'binary') },
  }),
  f1: metric({
    family: 'performance',
    scope: 'model',
    description: 'Harmonic mean of precision and recall, averaged over classes by the average parameter',
    needs: ['label', 'prediction'],
    tasks: classification,
    parameters: { average: average(['binary', 'macro', 'micro', 'weighted'], 'binary') },
  }),
  roc_auc: metric({ family: 'performance', scope: 'model', description: 'Area under the ROC curve, ties counted as one half', needs: ['label', 'score'], tasks: binary }),
  pr_auc: metric({ family: 'performance', scope: 'model', description: 'Area under the precision-recall curve (average precision)', needs: ['label', 'score'], tasks: binary }),
  mae: metric({ family: 'performance', scope: 'model', description: 'Mean absolute error', needs: ['label', 'prediction'], tasks: regression, range: nonNegative }),
  rmse: metric({ family: 'performance', scope: 'model', description: 'Root mean squared error', needs: ['label', 'prediction'], tasks: regression, range: nonNegative }),
  mape: metric({
    family: 'performance',
    scope: 'model',
    description: 'Mean absolute percentage error as a fraction; undefined when any true value is 0, where the percentage error is infinite',
    needs: ['label', 'prediction'],
    tasks: regression,
    range: nonNegative,
  }),
  r2: metric({
    family: 'performance',
    scope: 'model',
    description: 'Coefficient of determination; undefined when the truth is constant',
    needs: ['label', 'prediction'],
    tasks: regression,
    range: [Number.NEGATIVE_INFINITY, 1],
  }),

  log_loss: metric({ family: 'calibration', scope: 'model', description: 'Mean negative log-likelihood of the labels under the scores (natural logarithm)', needs: ['label', 'score'], tasks: classification, range: nonNegative }),
  brier_score: metric({
    family: 'calibration',
    scope: 'model',
    description: 'Mean squared difference between score and outcome: 0..1 for binary scores, 0..2 summed over classes for multiclass',
    needs: ['label', 'score'],
    tasks: classification,
    range: [0, 2],
  }),
  expected_calibration_error: metric({
    family: 'calibration',
    scope: 'model',
    description: 'Mean gap between the observed positive rate and the mean score per bin, weighted by the rows in each bin',
    needs: ['label', 'score'],
    tasks: binary,
    parameters: {
      bins: { kind: 'integer', minimum: 2, maximum: 1000, default: 10, description: 'Number of score bins' },
      binning: { kind: 'choice', values: ['equal_width', 'equal_mass'], default: 'equal_width', description: 'Bins of equal width on [0, 1], or bins holding equal numbers of rows' },
    },
  }),

  ks: metric({ family: 'drift', scope: 'column', description: 'Two-sample Kolmogorov-Smirnov test', columnTypes: ['numerical'], parameters: { value: testValue, method: { kind: 'choice', values: ['auto', 'exact', 'asymptotic'], default: 'auto', description: 'How the p-value is computed' } } }),
  wasserstein: metric({ family: 'drift', scope: 'column', description: 'Wasserstein (earth mover) distance in the units of the column', columnTypes: ['numerical'], range: nonNegative }),
  wasserstein_normalized: metric({
    family: 'drift',
    scope: 'column',
    description: 'Wasserstein distance divided by the standard deviation of the reference sample; undefined for a constant reference',
    columnTypes: ['numerical'],
    range: nonNegative,
  }),
  psi: metric({ family: 'drift', scope: 'column', description: 'Population stability index over the bins', columnTypes: both, range: nonNegative, parameters: binning }),
  kl: metric({ family: 'drift', scope: 'column', description: 'Kullback-Leibler divergence of the current from the reference distribution (natural logarithm)', columnTypes: both, range: nonNegative, parameters: binning }),
  jensen_shannon: metric({ family: 'drift', scope: 'column', description: 'Jensen-Shannon distance with base-2 logarithms, 0..1', columnTypes: both, parameters: binning }),
  hellinger: metric({ family: 'drift', scope: 'column', description: 'Hellinger distance, 0..1', columnTypes: both, parameters: binning }),
  anderson_darling: metric({ family: 'drift', scope: 'column', description: 'k-sample Anderson-Darling test with k = 2', columnTypes: ['numerical'], range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY], parameters: { value: testValue } }),
  chi_square: metric({
    family: 'drift',
    scope: 'column',
    description: 'Chi-square test of homogeneity on the 2 × k table over the union of categories',
    columnTypes: ['categorical'],
    range: nonNegative,
    parameters: { value: testValue, maxCategories: binning.maxCategories! },
  }),
  g_test: metric({
    family: 'drift',
    scope: 'column',
    description: 'G-test (likelihood-ratio test) of homogeneity on the 2 × k table',
    columnTypes: ['categorical'],
    range: nonNegative,
    parameters: { value: testValue, maxCategories: binning.maxCategories! },
  }),
  total_variation: metric({ family: 'drift', scope: 'column', description: 'Total variation distance, half the sum of absolute share differences, 0..1', columnTypes: both, parameters: binning }),
  dataset_drift_share: metric({ family: 'drift', scope: 'dataset', description: 'Share of the columns whose default drift test finds drift' }),

  completeness: metric({ family: 'quality', scope: 'column', description: 'Share of rows whose value is present', columnTypes: both }),
  distinct_count: metric({ family: 'quality', scope: 'column', description: 'Number of distinct present values', columnTypes: both, range: nonNegative }),
  type_conformance: metric({
    family: 'quality',
    scope: 'column',
    description: 'Share of present values that parse as the declared type',
    columnTypes: both,
    parameters: { type: { kind: 'choice', values: ['integer', 'number', 'boolean', 'date', 'timestamp', 'text'], default: null, description: 'The declared type of the column' } },
  }),
  range_violations: metric({
    family: 'quality',
    scope: 'column',
    description: 'Present values below minimum or above maximum',
    columnTypes: ['numerical'],
    range: nonNegative,
    parameters: {
      minimum: { kind: 'number', minimum: Number.NEGATIVE_INFINITY, maximum: Number.POSITIVE_INFINITY, default: null, optional: true, description: 'Smallest allowed value; give minimum, maximum or both' },
      maximum: { kind: 'number', minimum: Number.NEGATIVE_INFINITY, maximum: Number.POSITIVE_INFINITY, default: null, optional: true, description: 'Largest allowed value; give minimum, maximum or both' },
      measure: countOrShare,
    },
  }),
  domain_violations: metric({
    family: 'quality',
    scope: 'column',
    description: 'Present values outside the allowed values',
    columnTypes: both,
    range: nonNegative,
    parameters: { allowed: { kind: 'values', default: null, description: 'The allowed values' }, measure: countOrShare },
  }),
  duplicate_rows: metric({ family: 'quality', scope: 'dataset', description: 'Rows equal in every column to an earlier row', range: nonNegative, parameters: { measure: countOrShare } }),
  duplicate_keys: metric({
    family: 'quality',
    scope: 'dataset',
    description: "Rows whose values in the key columns (the check's columns) repeat an earlier row",
    range: nonNegative,
    columnCount: { minimum: 1, maximum: 100 },
    parameters: { measure: countOrShare },
  }),
  constant: metric({ family: 'quality', scope: 'column', description: 'Number of distinct present values; a column with at most 1 is constant, so a check asks for at least 2', columnTypes: both, range: nonNegative }),
  almost_constant: metric({ family: 'quality', scope: 'column', description: 'Share of present values equal to the most frequent value', columnTypes: both }),
  cohen_kappa: metric({
    family: 'quality',
    scope: 'annotators',
    description: "Cohen's kappa between two annotators' labels of the same items",
    range: [-1, 1],
    columnCount: { minimum: 2, maximum: 2 },
    parameters: { weights: { kind: 'choice', values: ['none', 'linear', 'quadratic'], default: 'none', description: 'Weights for ordered categories' } },
  }),
  krippendorff_alpha: metric({
    family: 'quality',
    scope: 'annotators',
    description: "Krippendorff's alpha over two or more annotators' labels; missing labels are allowed",
    range: [-1, 1],
    columnCount: { minimum: 2, maximum: 1000 },
    parameters: { level: { kind: 'choice', values: ['nominal', 'ordinal', 'interval', 'ratio'], default: 'nominal', description: 'Level of measurement of the labels' } },
  }),
  representativeness: metric({
    family: 'quality',
    scope: 'column',
    description: 'Agreement of the shares of a categorical column with the shares of a reference population',
    columnTypes: ['categorical'],
    columnCount: { minimum: 1, maximum: 1 },
    range: nonNegative,
    parameters: {
      population: { kind: 'shares', default: null, description: 'Share of each category in the reference population, summing to 1' },
      measure: {
        kind: 'choice',
        values: ['min_ratio', 'total_variation'],
        default: 'min_ratio',
        description: 'min_ratio is the smallest ratio of a category share in the data to its share in the population; total_variation the distance between the two distributions',
      },
    },
  }),
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metricDefinitions;
export const metricNames = Object.keys(metricDefinitions) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(metricDefinitions, name);
}

export function metricsOfFamily(family: MetricFamily): MetricName[] {
  return metricNames.filter((name) => metricDefinitions[name].family === family);
}

/**
 * Returns the evaluation fields a check reads. The generic disparities read what their `rate`
 * parameter needs: base_rate only the label, selection_rate only the prediction.
 */
export function fieldsNeeded(name: MetricName, parameters: Readonly<Record<string, unknown>>): readonly EvaluationField[] {
  const rateParameter = parameters.rate;
  if ((name === 'rate_difference' || name === 'rate_ratio') && typeof rateParameter === 'string' && isMetricName(rateParameter)) {
    return metricDefinitions[rateParameter].needs;
  }
  return metricDefinitions[name].needs;
}
