import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { formatPolicyProblem, parsePolicy, policyProblemsError, readPolicyFile, type PolicyProblem } from '../../../src/measurement/policy/parse-policy.js';
import { checksForTiers, type MeasurementPolicy } from '../../../src/measurement/policy/policy.js';
import { policyJsonSchema } from '../../../src/measurement/policy/policy-schema.js';

const baseDirectory = '/data/policies';

const compasPolicy = `policyFormat: 1
name: COMPAS fairness gate
aiSystem: COMPAS recidivism risk assessment
modelVersion: { model: COMPAS Risk of Recidivism scale, version: Broward County 2013-2014 }
data:
  evaluation:
    file: compas-scores-two-years.csv
    task: binary_classification
    label: { column: two_year_recid, positive: 1 }
    prediction: { column: score_text, positive: [Medium, High] }
    sensitive: [race, sex]
  reference:
    file: ../adult/adult.data
    format: csv
    csv: { delimiter: ", ", header: false, columns: [age, workclass, income] }
  current:
    file: ../adult/adult.test
    format: csv
    csv: { delimiter: ", ", header: false, skipRows: 1, columns: [age, workclass, income] }
    recode: { income: { ">50K.": ">50K", "<=50K.": "<=50K" } }
monitoring: { charts: [shewhart, page_hinkley], baselineLength: 8 }
checks:
  - id: fpr-by-race
    metric: false_positive_rate
    by: [race]
    groups: [African-American, Caucasian]
    threshold: { operator: "<=", value: 0.3 }
  - metric: equalized_odds_difference
    parameters: { aggregation: mean }
    threshold: { operator: "<", value: 0.1 }
    severity: warning
  - metric: psi
    columns: [age]
    threshold: { operator: "<", value: 0.2 }
  - metric: psi
    columns: [workclass]
    parameters: { maxCategories: 20 }
    threshold: { operator: "<", value: 0.2 }
  - metric: four_fifths
    by: [race, sex]
    threshold: { operator: between, min: 0.8, max: 1.25 }
tiers:
  high-risk:
    - metric: ks
      columns: [age]
      threshold: { operator: ">=", value: 0.05 }
`;

function parseOk(text: string): MeasurementPolicy {
  const result = parsePolicy(text, { baseDirectory });
  if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
  return result.policy;
}

function problemsOf(text: string): Pick<PolicyProblem, 'line' | 'pointer' | 'message'>[] {
  const result = parsePolicy(text, { baseDirectory });
  if (result.ok) throw new Error('the policy parsed without problems');
  return result.problems.map(({ line, pointer, message }) => ({ line, pointer, message }));
}

describe('measurement policy parsing', () => {
  it('resolves a complete policy with its defaults', () => {
    const policy = parseOk(compasPolicy);

    expect(policy.aiSystem).toBe('COMPAS recidivism risk assessment');
    expect(policy.modelVersion).toEqual({ model: 'COMPAS Risk of Recidivism scale', version: 'Broward County 2013-2014' });
    expect(policy.data.evaluation).toMatchObject({
      path: '/data/policies/compas-scores-two-years.csv',
      format: 'csv',
      csv: { delimiter: ',', quote: '"', escape: '"', header: true, columns: null, nullValues: [''], skipRows: 0, encoding: 'utf-8' },
      label: { column: 'two_year_recid', positive: [1] },
      prediction: { column: 'score_text', positive: ['Medium', 'High'] },
      score: null,
      missingSensitive: 'group',
    });
    expect(policy.data.current).toMatchObject({ path: '/data/adult/adult.test', csv: { delimiter: ', ', skipRows: 1 }, recode: { income: { '>50K.': '>50K', '<=50K.': '<=50K' } } });
    expect(policy.monitoring).toEqual({ charts: ['shewhart', 'page_hinkley'], taskDueDays: 14, baselineLength: 8 });
    expect(policy.settings).toEqual({ minGroupSize: null, confidenceLevel: 0.95, bootstrapResamples: null, seed: null });

    expect(policy.checks.map((check) => [check.id, check.family, check.data, check.severity, check.source.line])).toEqual([
      ['fpr-by-race', 'fairness', 'evaluation', 'error', 23],
      ['equalized_odds_difference', 'fairness', 'evaluation', 'warning', 28],
      ['psi', 'drift', 'current', 'error', 32],
      ['psi-2', 'drift', 'current', 'error', 35],
      ['four_fifths', 'fairness', 'evaluation', 'error', 39],
    ]);
    expect(policy.checks[0]!.groups).toEqual([{ race: 'African-American' }, { race: 'Caucasian' }]);
    expect(policy.checks[1]!.by).toEqual([['race'], ['sex']]);
    expect(policy.checks[1]!.parameters).toEqual({ aggregation: 'mean', comparison: 'between_groups' });
    expect(policy.checks[3]!.parameters).toEqual({ bins: 10, binning: 'quantile', maxCategories: 20 });
    expect(policy.checks[4]!.by).toEqual([['race', 'sex']]);
    expect(policy.checks[4]!.threshold).toEqual({ operator: 'between', min: 0.8, max: 1.25 });
  });

  it('adds the checks of the tiers a system is in', () => {
    const policy = parseOk(compasPolicy);
    expect(checksForTiers(policy, ['high', 'minimal']).map((check) => check.id)).toEqual(['fpr-by-race', 'equalized_odds_difference', 'psi', 'psi-2', 'four_fifths']);
    expect(checksForTiers(policy, ['high-risk', 'high-risk']).map((check) => check.id).at(-1)).toBe('ks');
  });

  it('lists every problem with its line', () => {
    const text = `policyFormat: 1
name: Broken policy
aiSystem: Recidivism risk scale
data:
  evaluation:
    file: scores.dat
    format: csv
    task: binary_classification
    label: { column: two_year_recid }
    prediction: { column: score_text, positive: High }
    sensitive: [race]
checks:
  - metric: fpr
    threshold: { operator: "<=", value: 0.3 }
  - metric: false_positive_rate
    by: [rase]
    thresold: { operator: "<=", value: 0.3 }
  - metric: f1
    parameters: { average: macr, bins: 3 }
    threshold: { operator: ">=", value: 80 }
  - metric: psi
    severity: fatal
    threshold: { operator: between, value: 1 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 9, pointer: '/data/evaluation/label', message: 'needs positive: the value or values of the positive class (for example positive: 1), because the task is binary_classification' },
      { line: 13, pointer: '/checks/0/metric', message: 'is not a known metric; did you mean false_positive_rate?' },
      { line: 15, pointer: '/checks/1/threshold', message: 'is missing; add threshold: a mapping with the keys operator, value, min, max' },
      {
        line: 16,
        pointer: '/checks/1/by/0',
        message: 'is not a sensitive attribute of data.evaluation; did you mean race?; add it to data.evaluation.sensitive, or name one of race',
      },
      {
        line: 17,
        pointer: '/checks/1/thresold',
        message: 'is not a known key; did you mean threshold? the keys allowed here are id, metric, description, data, columns, by, groups, parameters, threshold, severity, favourableOutcome',
      },
      { line: 19, pointer: '/checks/2/parameters/average', message: 'must be one of binary, macro, micro, weighted; did you mean macro?' },
      { line: 19, pointer: '/checks/2/parameters/bins', message: 'is not a parameter of f1; the parameters of f1 are average' },
      {
        line: 20,
        pointer: '/checks/2/threshold',
        message: 'names 80, but f1 lies from 0 to 1, so the check could never change its result; write shares as fractions (0.8 for 80 %)',
      },
      {
        line: 21,
        pointer: '/checks/3/metric',
        message: 'psi compares data.current with data.reference, but the policy has no data.reference; add data.reference with its file',
      },
      {
        line: 21,
        pointer: '/checks/3/metric',
        message: 'psi compares data.current with data.reference, but the policy has no data.current; add data.current with its file',
      },
      { line: 22, pointer: '/checks/3/severity', message: 'must be one of error, warning' },
      { line: 23, pointer: '/checks/3/threshold/max', message: 'is missing; between needs min and max, both inclusive' },
      { line: 23, pointer: '/checks/3/threshold/min', message: 'is missing; between needs min and max, both inclusive' },
      { line: 23, pointer: '/checks/3/threshold/value', message: 'does not apply to operator between; between takes min and max' },
    ]);
  });

  it('reports the received value and what is expected', () => {
    const result = parsePolicy(compasPolicy.replace('metric: four_fifths', 'metric: disparate_impact_ratio'), { baseDirectory });
    expect(result.ok).toBe(false);
    const [problem] = result.ok ? [] : result.problems;
    expect(problem).toMatchObject({ line: 39, column: 5, pointer: '/checks/4/metric', received: '"disparate_impact_ratio"' });
    expect(problem!.expected).toMatch(/^a metric name \(fairness: selection_rate, base_rate, .*; quality: completeness, .*representativeness\)$/);
    expect(formatPolicyProblem('policy.yaml', problem!)).toBe(`policy.yaml:39:5: /checks/4/metric ${problem!.message} (received "disparate_impact_ratio")`);
  });

  it('names every metric when none is close', () => {
    const [problem] = problemsOf(compasPolicy.replace('metric: four_fifths', 'metric: vibes'));
    expect(problem!.message).toBe(
      'is not a known metric; the metrics are fairness: selection_rate, base_rate, true_positive_rate, false_positive_rate, false_negative_rate, true_negative_rate, positive_predictive_value, negative_predictive_value, false_discovery_rate, false_omission_rate, demographic_parity_difference, demographic_parity_ratio, equalized_odds_difference, equalized_odds_ratio, equal_opportunity_difference, equal_opportunity_ratio, predictive_parity_difference, predictive_parity_ratio, rate_difference, rate_ratio, four_fifths; performance: accuracy, balanced_accuracy, precision, recall, f1, roc_auc, pr_auc, mae, rmse, mape, r2; calibration: log_loss, brier_score, expected_calibration_error; drift: ks, wasserstein, wasserstein_normalized, psi, kl, jensen_shannon, hellinger, anderson_darling, chi_square, g_test, total_variation, dataset_drift_share; quality: completeness, distinct_count, type_conformance, range_violations, domain_violations, duplicate_rows, duplicate_keys, constant, almost_constant, cohen_kappa, krippendorff_alpha, representativeness',
    );
  });

  it('suggests the vocabulary name for a scikit-learn name', () => {
    expect(problemsOf(compasPolicy.replace('metric: four_fifths', 'metric: roc_auc_score'))[0]!.message).toBe('is not a known metric; did you mean roc_auc?');
  });

  it('explains an unquoted >= once', () => {
    const text = compasPolicy.replace('threshold: { operator: between, min: 0.8, max: 1.25 }', 'threshold:\n      operator: >=\n      value: 0.8');
    expect(problemsOf(text)).toEqual([
      {
        line: 42,
        pointer: '',
        message: 'is not valid YAML: Block scalar header includes extra characters: >=. A value that starts with > or | must be quoted, for example operator: ">="',
      },
    ]);
  });

  it('rejects an empty file, repeated keys and an alias bomb', () => {
    expect(problemsOf('')).toEqual([{ line: 1, pointer: '', message: 'is empty; a policy is a mapping with policyFormat, name, aiSystem, data and checks' }]);
    const repeatedNameLine = compasPolicy.split('\n').length;
    expect(problemsOf(`${compasPolicy}name: Again\n`)).toEqual([{ line: repeatedNameLine, pointer: '', message: 'is not valid YAML: Map keys must be unique' }]);

    const lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let level = 1; level < 9; level++) lines.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
    expect(problemsOf(lines.join('\n'))).toEqual([
      {
        line: null,
        pointer: '',
        message: 'has aliases (*name) that expand to more than 100 copies of anchored values, which could exhaust memory; write the repeated values out in full',
      },
    ]);
  });

  it('checks references between data and checks', () => {
    const text = `policyFormat: 1
name: References
aiSystem: x
data:
  evaluation:
    file: scores.parquet
    csv: { delimiter: ";" }
    task: regression
    label: { column: y, positive: 1 }
    prediction: { column: y_hat }
    score: { column: p }
    sensitive: [sex, sex]
  current:
    file: now.csv
    csv: { header: false }
checks:
  - metric: accuracy
    threshold: { operator: ">=", value: 0.8 }
  - metric: mae
    columns: [y]
    groups: [Female]
    threshold: { operator: "<", value: 3 }
  - metric: selection_rate
    threshold: { operator: ">=", value: 0.1 }
  - metric: completeness
    data: reference
    threshold: { operator: ">=", value: 0.99 }
  - metric: cohen_kappa
    data: current
    columns: [rater_a]
    threshold: { operator: ">=", value: 0.6 }
  - metric: representativeness
    data: current
    columns: [sex]
    parameters: { population: { Female: 0.5, Male: 0.4 }, reference: Female }
    threshold: { operator: ">=", value: 0.8 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 7, pointer: '/data/evaluation/csv', message: "applies to CSV files only, and this file's format is parquet; remove csv, or set format: csv" },
      { line: 9, pointer: '/data/evaluation/label/positive', message: 'applies to binary classification only, and the task is regression; remove positive' },
      { line: 11, pointer: '/data/evaluation/score', message: 'applies to classification only; a regression model gives its value in prediction' },
      { line: 12, pointer: '/data/evaluation/sensitive/1', message: 'repeats the attribute "sex"; name each attribute once' },
      { line: 15, pointer: '/data/current/csv/header', message: 'is false, so the file has no column names; add columns: with the name of every column in order' },
      { line: 17, pointer: '/checks/0/metric', message: 'applies to binary_classification and multiclass_classification, and data.evaluation.task is regression' },
      { line: 20, pointer: '/checks/1/columns', message: 'does not apply to mae, which is computed over whole rows; use by to name sensitive attributes' },
      { line: 21, pointer: '/checks/1/groups', message: 'does not apply to mae' },
      { line: 23, pointer: '/checks/2/metric', message: 'applies to binary_classification, and data.evaluation.task is regression' },
      { line: 25, pointer: '/checks/3/metric', message: 'the check reads data.reference, but the policy has no data.reference; add data.reference with its file' },
      { line: 30, pointer: '/checks/4/columns', message: 'cohen_kappa needs exactly 2 columns here' },
      { line: 35, pointer: '/checks/5/parameters/population', message: 'must be shares that sum to 1 (these sum to 0.9)' },
      { line: 35, pointer: '/checks/5/parameters/reference', message: 'is not a parameter of representativeness; the parameters of representativeness are population, measure' },
    ]);
  });

  it('checks a reference given as a profile', () => {
    const text = `policyFormat: 1
name: Profiles
aiSystem: x
data:
  reference:
    file: train.csv
    profile: train.profile.json
    csv: { delimiter: ";" }
  current: { file: now.csv }
checks:
  - metric: psi
    threshold: { operator: "<", value: 0.2 }
  - metric: completeness
    data: reference
    threshold: { operator: ">=", value: 0.99 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 6, pointer: '/data/reference/file', message: 'is given beside profile; a reference is either a data file or a profile of one, so remove one of them' },
      {
        line: 8,
        pointer: '/data/reference/csv',
        message: 'applies to a reference data file, and this reference is a profile, which was read with its options when custos measure profile wrote it; remove csv',
      },
      { line: 14, pointer: '/checks/1/data', message: 'names data.reference, which is a profile of the reference file and contains no rows to check; give data.reference a file to check its quality' },
    ]);
  });

  it('resolves a reference profile', () => {
    const text = `policyFormat: 1
name: Profiles
aiSystem: x
data:
  reference: { profile: profiles/train.profile.json, dataset: { dataset: adult, version: train } }
  current: { file: now.csv }
checks:
  - metric: psi
    threshold: { operator: "<", value: 0.2 }
`;
    const policy = parseOk(text);
    expect(policy.data.reference).toBeNull();
    expect(policy.data.referenceProfile).toEqual({ profile: 'profiles/train.profile.json', path: path.join(baseDirectory, 'profiles/train.profile.json'), dataset: { dataset: 'adult', version: 'train' } });
    expect(policy.checks[0]?.data).toBe('current');
  });

  it('needs a file or a profile for the reference', () => {
    const text = `policyFormat: 1
name: Profiles
aiSystem: x
data:
  reference: { dataset: { dataset: adult, version: train } }
  current: { file: now.csv }
checks:
  - metric: psi
    threshold: { operator: "<", value: 0.2 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 5, pointer: '/data/reference', message: 'needs file, the reference data file, or profile, a profile of it that custos measure profile wrote' },
    ]);
  });

  it('matches its JSON Schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(policyJsonSchema);
    expect(validate(YAML.parse(compasPolicy))).toBe(true);
    expect(validate({ ...YAML.parse(compasPolicy), checks: [{ metric: 'psi' }] })).toBe(false);
  });

  it('reads a file with its fingerprint and reports a missing one', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-policy-'));
    const file = path.join(directory, 'policy.yaml');
    fs.writeFileSync(file, compasPolicy);
    try {
      const read = readPolicyFile(file);
      expect(read.sha256).toBe(createHash('sha256').update(compasPolicy).digest('hex'));
      expect(read.policy.data.evaluation!.path).toBe(path.join(directory, 'compas-scores-two-years.csv'));
      expect(() => readPolicyFile(path.join(directory, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining('does not exist') }));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('turns problems into one validation error with a detail each', () => {
    const result = parsePolicy(compasPolicy.replace('metric: four_fifths', 'metric: fpr'), { baseDirectory });
    const error = policyProblemsError('policy.yaml', result.ok ? [] : result.problems);
    expect(error.toBody()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The policy file "policy.yaml" has 1 problem; nothing was measured. Fix the file and run again',
        details: [{ path: 'policy.yaml line 39, /checks/4/metric', message: 'is not a known metric; did you mean false_positive_rate? (received "fpr")' }],
      },
    });
  });
});
