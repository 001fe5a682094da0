import { describe, expect, it } from 'vitest';

import { formatPolicyProblem, parsePolicy, type PolicyProblem } from '../../../src/measurement/policy/parse-policy.js';
import type { MeasurementPolicy } from '../../../src/measurement/policy/policy.js';

const baseDirectory = '/data/policies';

const header = `policyFormat: 1
name: Checks
aiSystem: Loan approval
data:
  evaluation:
    file: loans.csv
    task: binary_classification
    label: { column: repaid, positive: 1 }
    prediction: { column: approved, positive: 1 }
    sensitive: [sex]
  reference:
    file: train.csv
    csv: { columns: [age, income-per-year, workclass] }
  current:
    file: test.csv
    csv: { columns: [age, Y, work_class] }
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

describe('policy check ids', () => {
  it('reports repeated ids beside other problems', () => {
    const text = `${header}checks:
  - id: gate
    metric: acuracy
    threshold: { operator: ">=", value: 0.8 }
  - id: gate
    metric: accuracy
  - id: fpr
    metric: false_positive_rate
    threshold: { operator: "<=", value: 0.3 }
tiers:
  high-risk:
    - id: gate
      metric: selection_rate
      threshold: { operator: ">=", value: 0.1 }
    - id: fpr
      metric: false_positive_rate
      threshold: { operator: "<=", value: 30 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 19, pointer: '/checks/0/metric', message: 'is not a known metric; did you mean accuracy?' },
      { line: 21, pointer: '/checks/1/id', message: 'repeats the id of the check at line 18 (/checks/0); give each check its own id' },
      { line: 21, pointer: '/checks/1/threshold', message: 'is missing; add threshold: a mapping with the keys operator, value, min, max' },
      { line: 28, pointer: '/tiers/high-risk/0/id', message: 'repeats the id of the check at line 18 (/checks/0); give each check its own id' },
      { line: 31, pointer: '/tiers/high-risk/1/id', message: 'repeats the id of the check at line 23 (/checks/2); give each check its own id' },
      {
        line: 33,
        pointer: '/tiers/high-risk/1/threshold',
        message: 'names 30, but false_positive_rate lies from 0 to 1, so the check could never change its result; write shares as fractions (0.8 for 80 %)',
      },
    ]);
  });

  it('numbers generated ids around stated ones', () => {
    const policy = parseOk(`${header}checks:
  - { metric: accuracy, threshold: { operator: ">=", value: 0.8 } }
  - { id: accuracy-2, metric: accuracy, threshold: { operator: ">=", value: 0.7 } }
  - { metric: accuracy, threshold: { operator: ">=", value: 0.6 } }
`);
    expect(policy.checks.map((check) => check.id)).toEqual(['accuracy', 'accuracy-2', 'accuracy-3']);
  });
});

describe('policy favourableOutcome', () => {
  it('defaults to positive for fairness checks only', () => {
    const policy = parseOk(`${header}checks:
  - { id: ratio, metric: four_fifths, threshold: { operator: ">=", value: 0.8 } }
  - { id: risk, metric: four_fifths, favourableOutcome: negative, threshold: { operator: ">=", value: 0.8 } }
  - { id: accuracy, metric: accuracy, threshold: { operator: ">=", value: 0.8 } }
`);
    expect(policy.checks.map((check) => check.favourableOutcome)).toEqual(['positive', 'negative', null]);
  });

  it('rejects other values and other families', () => {
    const text = `${header}checks:
  - { id: ratio, metric: four_fifths, favourableOutcome: negativ, threshold: { operator: ">=", value: 0.8 } }
  - { id: accuracy, metric: accuracy, favourableOutcome: negative, threshold: { operator: ">=", value: 0.8 } }
`;
    expect(problemsOf(text)).toEqual([
      { line: 18, pointer: '/checks/0/favourableOutcome', message: 'must be one of positive, negative; did you mean negative?' },
      { line: 19, pointer: '/checks/1/favourableOutcome', message: 'applies to fairness checks only, and accuracy is a performance metric; remove favourableOutcome' },
    ]);
  });
});

describe('policy drift column mapping', () => {
  it('maps reference columns to current columns', () => {
    const policy = parseOk(`${header}checks:
  - id: label-drift
    metric: chi_square
    columns: { income-per-year: Y, workclass: work_class, age: age }
    threshold: { operator: ">=", value: 0.05 }
  - id: age-drift
    metric: psi
    columns: [age]
    threshold: { operator: "<", value: 0.2 }
`);
    const [mapped, listed] = policy.checks;
    expect(mapped?.columns).toEqual(['income-per-year', 'workclass', 'age']);
    expect(mapped?.columnMapping).toEqual({ 'income-per-year': 'Y', workclass: 'work_class' });
    expect(listed?.columns).toEqual(['age']);
    expect(listed?.columnMapping).toEqual({});
  });

  it('reports unknown, repeated and conflicting columns', () => {
    const text = `${header}checks:
  - id: label-drift
    metric: chi_square
    columns: { income: Y, workclass: Y }
    threshold: { operator: ">=", value: 0.05 }
  - id: work-drift
    metric: psi
    columns: { workclass: workclass_now, income-per-year: Y }
    threshold: { operator: "<", value: 0.2 }
  - id: work-drift-again
    metric: jensen_shannon
    columns: { workclass: work_class }
    threshold: { operator: "<", value: 0.1 }
  - id: completeness
    metric: completeness
    data: current
    columns: { age: age_years }
    threshold: { operator: ">=", value: 0.99 }
`;
    expect(problemsOf(text)).toEqual([
      { line: 20, pointer: '/checks/0/columns/income', message: 'names the column "income", which csv.columns of data.reference does not list' },
      { line: 20, pointer: '/checks/0/columns/workclass', message: 'maps to the current column "Y", which "income" maps to already; map each current column to one reference column' },
      { line: 24, pointer: '/checks/1/columns/workclass', message: 'names the column "workclass_now", which csv.columns of data.current does not list' },
      {
        line: 28,
        pointer: '/checks/2/columns/workclass',
        message:
          'maps "workclass" to "work_class", but the check at /checks/1 maps it to "workclass_now"; drift checks share one comparison of the two files, so map each reference column the same way',
      },
      { line: 33, pointer: '/checks/3/columns', message: 'maps reference columns to current columns, which only drift checks do; list the columns of completeness instead, such as columns: [age, income]' },
    ]);
  });
});
