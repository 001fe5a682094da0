import { isMetricName, metricFamilies, metricNames, metricsOfFamily, type MetricName } from './metric-names.js';

/** Suggestions for names a policy author mistyped: metric names, keys, parameters and choices. */

/** Short names in common use, mapped to the name in this vocabulary, for suggestions only. */
const commonAbbreviations: Readonly<Record<string, MetricName>> = {
  tpr: 'true_positive_rate',
  fpr: 'false_positive_rate',
  fnr: 'false_negative_rate',
  tnr: 'true_negative_rate',
  ppv: 'positive_predictive_value',
  npv: 'negative_predictive_value',
  fdr: 'false_discovery_rate',
  for: 'false_omission_rate',
  sensitivity: 'true_positive_rate',
  specificity: 'true_negative_rate',
  auc: 'roc_auc',
  average_precision: 'pr_auc',
  ece: 'expected_calibration_error',
  brier: 'brier_score',
  js: 'jensen_shannon',
  jsd: 'jensen_shannon',
  kolmogorov_smirnov: 'ks',
  disparate_impact: 'demographic_parity_ratio',
  statistical_parity_difference: 'demographic_parity_difference',
  kappa: 'cohen_kappa',
  // scikit-learn's function names.
  average_precision_score: 'pr_auc',
  brier_score_loss: 'brier_score',
  mean_absolute_error: 'mae',
  root_mean_squared_error: 'rmse',
  mean_absolute_percentage_error: 'mape',
};

/**
 * Suggests up to three metric names for an unknown one: the name a common abbreviation stands
 * for, else the names within a small edit distance (Levenshtein, at most a third of the length).
 */
export function closestMetricNames(unknown: string): MetricName[] {
  const normalized = unknown.trim().toLowerCase().replace(/[\s-]+/g, '_');
  // scikit-learn names most metrics with a _score suffix: accuracy_score, f1_score, roc_auc_score.
  for (const candidate of [normalized, normalized.replace(/_score$/, '')]) {
    if (isMetricName(candidate)) return [candidate];
    const abbreviation = commonAbbreviations[candidate];
    if (abbreviation) return [abbreviation];
  }
  return closestNames(normalized, metricNames);
}

/** Tells what to write instead of an unknown metric name: the closest names, else every name by family. */
export function describeUnknownMetric(unknown: string): string {
  const suggestions = closestMetricNames(unknown);
  if (suggestions.length > 0) return `did you mean ${suggestions.join(' or ')}?`;
  return `the metrics are ${describeVocabulary()}`;
}

/** Lists every metric name by family: "fairness: selection_rate, …; performance: accuracy, …". */
export function describeVocabulary(): string {
  return metricFamilies.map((family) => `${family}: ${metricsOfFamily(family).join(', ')}`).join('; ');
}

/**
 * Returns up to three candidates nearest to `name` by edit distance, sorted alphabetically.
 * Candidates further than max(2, a third of the name's length) are never suggested.
 */
export function closestNames<T extends string>(name: string, candidates: readonly T[]): T[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const near = candidates.map((candidate) => ({ candidate, distance: editDistance(name, candidate) })).filter(({ distance }) => distance <= limit);
  const nearest = Math.min(...near.map(({ distance }) => distance));
  return near
    .filter(({ distance }) => distance === nearest)
    .map(({ candidate }) => candidate)
    .sort()
    .slice(0, 3);
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
