import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { openDataSet, type DataEngine, type DataSet } from '../../../src/measurement/data/index.js';
import { dataCheckEvaluators } from '../../../src/measurement/engine/data-checks.js';
import type { DriftMeasurement } from '../../../src/measurement/engine/drift-measurement.js';
import type { ReferenceProfile } from '../../../src/measurement/engine/drift-profile.js';
import { parseReferenceProfile } from '../../../src/measurement/engine/drift-profile-file.js';
import type { RunContext } from '../../../src/measurement/engine/run-context.js';
import { metricDefinitions, metricsOfFamily, type MetricFamily } from '../../../src/measurement/policy/metric-names.js';
import { parsePolicy, formatPolicyProblem } from '../../../src/measurement/policy/parse-policy.js';
import type { DataRole, MeasurementPolicy, PolicyCheck } from '../../../src/measurement/policy/policy.js';
import { runResultOf, type CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { appErrorOf, qualityRows, useDataEngine, useFixtureFolder } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

/** A RunContext like the policy runner's, recording how often each memo key was computed. */
class TestRunContext implements RunContext {
  readonly results: Partial<Record<MetricFamily, Record<string, unknown>>> = {};
  readonly computed = new Map<string, number>();
  readonly warnings: string[] = [];
  private readonly opened = new Map<DataRole, Promise<DataSet>>();
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(
    readonly engine: DataEngine,
    readonly policy: MeasurementPolicy,
  ) {}

  dataSet(role: DataRole): Promise<DataSet> {
    let dataSet = this.opened.get(role);
    if (dataSet === undefined) {
      const file = this.policy.data[role];
      if (file === null) throw new Error(`the policy has no ${role} file`);
      dataSet = openDataSet(this.engine, { path: file.path, format: file.format, csv: { delimiter: file.csv?.delimiter ?? ',', nullStrings: file.csv?.nullValues ?? [''] } });
      this.opened.set(role, dataSet);
    }
    return dataSet;
  }

  async referenceProfile(): Promise<{ profile: ReferenceProfile; file: string } | null> {
    const declared = this.policy.data.referenceProfile;
    return declared === null ? null : { profile: parseReferenceProfile(fs.readFileSync(declared.path, 'utf8'), declared.profile), file: declared.profile };
  }

  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.memos.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      this.computed.set(key, (this.computed.get(key) ?? 0) + 1);
      value = compute();
      this.memos.set(key, value);
    }
    return value;
  }

  addResult(family: MetricFamily, key: string, result: unknown): void {
    (this.results[family] ??= {})[key] = JSON.parse(JSON.stringify(result));
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

function parsed(text: string, folder: string): MeasurementPolicy {
  const result = parsePolicy(text, { baseDirectory: folder });
  if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
  return result.policy;
}

async function evaluateAll(context: TestRunContext): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const check of context.policy.checks) {
    const evaluator = dataCheckEvaluators[check.family as 'drift' | 'quality'];
    outcomes.push(...(await evaluator(context, check)));
  }
  return outcomes;
}

function summary(outcomes: readonly CheckOutcome[]): [string, string | null, string][] {
  return outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result]);
}

/** 300 reference and 300 current rows: income shifts by 0.8 standard deviations, region keeps its shares, fixed is constant in the reference. */
function driftFiles(): string {
  const reference = new Xoshiro128StarStar(31);
  const current = new Xoshiro128StarStar(32);
  const referenceRows = Array.from({ length: 300 }, (_, index) => `${50 + 10 * sampleStandardNormal(reference)},${['north', 'south', 'east'][index % 3]},1,${20 + (index % 60)}`);
  const currentRows = Array.from({ length: 300 }, (_, index) => `${58 + 10 * sampleStandardNormal(current)},${['north', 'south', 'east'][(index + 1) % 3]},${1 + (index % 2)},${index === 0 ? 15 : index === 1 ? 120 : 20 + (index % 60)}`);
  writeCsv('drift-reference.csv', ['income,region,fixed,age', ...referenceRows]);
  return path.dirname(writeCsv('drift-current.csv', ['income,region,fixed,age', ...currentRows]));
}

const driftPolicy = `policyFormat: 1
name: Data gate
aiSystem: Loan scoring
data:
  reference: { file: drift-reference.csv }
  current: { file: drift-current.csv }
checks:
  - id: ks-income
    metric: ks
    columns: [income]
    threshold: { operator: ">=", value: 0.05 }
  - id: psi-all
    metric: psi
    parameters: { bins: 5 }
    threshold: { operator: "<", value: 0.2 }
  - id: chi-region
    metric: chi_square
    columns: [region]
    threshold: { operator: ">=", value: 0.05 }
  - id: share
    metric: dataset_drift_share
    threshold: { operator: "<", value: 0.5 }
  - id: wasserstein-fixed
    metric: wasserstein_normalized
    columns: [fixed]
    threshold: { operator: "<", value: 0.1 }
    severity: warning
  - id: ages
    metric: range_violations
    columns: [age]
    parameters: { minimum: 18, maximum: 100 }
    threshold: { operator: "<=", value: 0 }
`;

describe('data check evaluators for drift', () => {
  it('evaluates a policy with one shared measurement', async () => {
    const context = new TestRunContext(engine(), parsed(driftPolicy, driftFiles()));
    const outcomes = await evaluateAll(context);

    expect(summary(outcomes)).toEqual([
      ['ks-income', 'income', 'failed'],
      ['psi-all', 'income', 'failed'],
      ['psi-all', 'region', 'passed'],
      ['psi-all', 'fixed', 'failed'],
      ['psi-all', 'age', 'passed'],
      ['chi-region', 'region', 'passed'],
      ['share', null, 'failed'],
      ['wasserstein-fixed', 'fixed', 'undefined'],
      ['ages', 'age', 'failed'],
    ]);
    expect(runResultOf(outcomes)).toBe('failed');
    expect(context.computed.get('drift:current')).toBe(1);

    const share = outcomes.find((outcome) => outcome.checkId === 'share');
    // income and fixed drift by their default tests, region and age do not, and 0.5 is not below 0.5.
    expect(share?.value).toEqual({ defined: true, value: 0.5, warnings: [] });
    const wasserstein = outcomes.find((outcome) => outcome.checkId === 'wasserstein-fixed');
    expect(wasserstein?.message).toContain('standard deviation 0');
    expect(wasserstein?.severity).toBe('warning');
    expect(outcomes.find((outcome) => outcome.checkId === 'ages')?.value).toEqual({ defined: true, value: 2, warnings: [] });
    expect(outcomes[0]?.parameters).toEqual({ value: 'p_value', method: 'auto' });

    const drift = context.results.drift as Record<string, unknown>;
    expect(Object.keys(drift).sort()).toEqual(['check:chi-region', 'check:ks-income', 'check:psi-all', 'check:wasserstein-fixed', 'measurement']);
    const measurement = drift['measurement'] as DriftMeasurement;
    expect(measurement.columns.map((column) => column.column)).toEqual(['income', 'region', 'fixed', 'age']);
    expect(Object.keys(measurement.metrics)).toHaveLength(4);
    const psi = drift['check:psi-all'] as { bins: { labels: string[] } | null }[];
    expect(psi[0]?.bins?.labels).toHaveLength(7);
    expect(context.results.quality).toBeDefined();
  });

  it('rejects a metric on a column of the wrong type', async () => {
    const policy = parsed(driftPolicy.replace('columns: [income]', 'columns: [region]'), driftFiles());
    const context = new TestRunContext(engine(), policy);
    const check = policy.checks[0] as PolicyCheck;
    const error = await appErrorOf(() => dataCheckEvaluators.drift(context, check));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('The check "ks-income" (line 8) applies ks to column "region", which is categorical, but ks needs a numerical column; name another column or use a metric for categorical columns');
  });

  it('measures a check the policy does not list on its own', async () => {
    const policy = parsed(driftPolicy, driftFiles());
    const context = new TestRunContext(engine(), policy);
    const extra: PolicyCheck = { ...(policy.checks[0] as PolicyCheck), id: 'ks-age', columns: ['age'], parameters: { value: 'statistic', method: 'exact' } };
    await dataCheckEvaluators.drift(context, policy.checks[0] as PolicyCheck);
    const [outcome] = await dataCheckEvaluators.drift(context, extra);
    expect(outcome?.column).toBe('age');
    expect(outcome?.value.defined).toBe(true);
    expect(context.computed.get('drift:current:ks-age')).toBe(1);
  });
});

const qualityPolicy = `policyFormat: 1
name: Training data gate
aiSystem: Hiring assistant
data:
  current: { file: quality.csv }
checks:
  - id: complete
    metric: completeness
    threshold: { operator: ">=", value: 0.95 }
  - id: visits-integer
    metric: type_conformance
    columns: [visits]
    parameters: { type: integer }
    threshold: { operator: ">=", value: 0.95 }
  - id: age-range
    metric: range_violations
    columns: [age]
    parameters: { minimum: 0, maximum: 120, measure: share }
    threshold: { operator: "<=", value: 0.25 }
  - id: status-domain
    metric: domain_violations
    columns: [status]
    parameters: { allowed: [active, inactive] }
    threshold: { operator: "<=", value: 0 }
  - id: duplicates
    metric: duplicate_rows
    threshold: { operator: "<=", value: 0 }
  - id: unique-id
    metric: duplicate_keys
    columns: [id]
    parameters: { measure: share }
    threshold: { operator: "<=", value: 0.2 }
  - id: flag-varies
    metric: constant
    columns: [flag, tier]
    threshold: { operator: ">=", value: 2 }
  - id: tier-spread
    metric: almost_constant
    columns: [tier]
    threshold: { operator: "<", value: 0.95 }
  - id: kappa
    metric: cohen_kappa
    columns: [a1, a2]
    threshold: { operator: ">=", value: 0.6 }
  - id: alpha
    metric: krippendorff_alpha
    columns: [a1, a2, a3]
    threshold: { operator: ">=", value: 0.4 }
  - id: status-shares
    metric: representativeness
    columns: [status]
    parameters: { population: { active: 0.5, inactive: 0.5 } }
    threshold: { operator: ">=", value: 0.8 }
  - id: status-distance
    metric: representativeness
    columns: [status]
    parameters: { population: { active: 0.5, inactive: 0.5 }, measure: total_variation }
    threshold: { operator: "<=", value: 0.25 }
`;

describe('data check evaluators for quality', () => {
  it('evaluates every quality metric', async () => {
    const folder = path.dirname(writeCsv('quality.csv', qualityRows));
    const context = new TestRunContext(engine(), parsed(qualityPolicy, folder));
    const outcomes = await evaluateAll(context);

    const complete = outcomes.filter((outcome) => outcome.checkId === 'complete');
    expect(complete).toHaveLength(11);
    expect(complete.filter((outcome) => outcome.result === 'failed').map((outcome) => outcome.column)).toEqual(['age', 'a3']);
    expect(summary(outcomes.filter((outcome) => outcome.checkId !== 'complete'))).toEqual([
      ['visits-integer', 'visits', 'failed'],
      ['age-range', 'age', 'passed'],
      ['status-domain', 'status', 'failed'],
      ['duplicates', null, 'failed'],
      ['unique-id', 'id', 'passed'],
      ['flag-varies', 'flag', 'failed'],
      ['flag-varies', 'tier', 'passed'],
      ['tier-spread', 'tier', 'passed'],
      ['kappa', 'a1, a2', 'failed'],
      ['alpha', 'a1, a2, a3', 'passed'],
      ['status-shares', 'status', 'failed'],
      ['status-distance', 'status', 'passed'],
    ]);
    const value = (id: string) => outcomes.find((outcome) => outcome.checkId === id)?.value;
    expect(value('visits-integer')).toEqual({ defined: true, value: 0.9, warnings: [] });
    expect(value('age-range')).toEqual({ defined: true, value: 2 / 9, warnings: [] });
    expect(value('status-domain')).toEqual({ defined: true, value: 1, warnings: [] });
    expect(value('unique-id')).toEqual({ defined: true, value: 0.1, warnings: [] });
    expect(value('status-shares')).toMatchObject({ defined: true });
    expect(context.computed.get('quality:current:columns')).toBe(1);
    expect(context.computed.get('quality:current:data-set')).toBe(1);
    expect(Object.keys(context.results.quality ?? {})).toContain('columns:current');
  });

  it('rejects a range check on a text column', async () => {
    const folder = path.dirname(writeCsv('quality.csv', qualityRows));
    const policy = parsed(qualityPolicy.replace('columns: [age]\n    parameters: { minimum: 0', 'columns: [status]\n    parameters: { minimum: 0'), folder);
    const check = policy.checks.find((candidate) => candidate.id === 'age-range') as PolicyCheck;
    const error = await appErrorOf(() => dataCheckEvaluators.quality(new TestRunContext(engine(), policy), check));
    expect(error.message).toBe('The check "age-range" (line 15) applies to column "status", which contains VARCHAR values, but range_violations needs a numerical column; name another column');
  });
});

describe('data check evaluators', () => {
  const columnsOf: Readonly<Record<string, string>> = {
    cohen_kappa: '[a1, a2]',
    krippendorff_alpha: '[a1, a2, a3]',
    duplicate_keys: '[id]',
    representativeness: '[status]',
    range_violations: '[age]',
  };
  const parametersOf: Readonly<Record<string, string>> = {
    type_conformance: '{ type: integer }',
    range_violations: '{ minimum: 0 }',
    domain_violations: '{ allowed: [active] }',
    representativeness: '{ population: { active: 1 } }',
  };

  /** Writes a check of `metric` on fixture columns of a type it accepts, with its required parameters. */
  function checkOf(metric: string): string {
    const definition = metricDefinitions[metric as keyof typeof metricDefinitions];
    let columns = columnsOf[metric] ?? null;
    if (columns === null && definition.family === 'drift' && definition.scope === 'column') {
      columns = (definition.columnTypes as readonly string[]).includes('numerical') ? '[income]' : '[region]';
    }
    return [
      `  - metric: ${metric}`,
      ...(definition.family === 'quality' ? ['    data: current'] : []),
      ...(columns === null ? [] : [`    columns: ${columns}`]),
      ...(parametersOf[metric] === undefined ? [] : [`    parameters: ${parametersOf[metric]}`]),
      '    threshold: { operator: ">=", value: 0 }',
    ].join('\n');
  }

  it('evaluates every drift and quality metric', async () => {
    const folder = driftFiles();
    writeCsv('drift-current.csv', [
      'income,region,fixed,age,id,status,a1,a2,a3',
      ...Array.from({ length: 40 }, (_, index) => `${index * 1.5},${['north', 'south'][index % 2]},1,${20 + index},${index % 30},${index % 4 === 0 ? 'active' : 'inactive'},${index % 2},${index % 3 === 0 ? 1 : 0},${index % 5 === 0 ? 1 : 0}`),
    ]);
    writeCsv('drift-reference.csv', ['income,region,fixed,age', ...Array.from({ length: 40 }, (_, index) => `${index},${['north', 'south'][index % 3 === 0 ? 0 : 1]},1,${30 + index}`)]);
    const metrics = [...metricsOfFamily('drift'), ...metricsOfFamily('quality')];
    const text = ['policyFormat: 1', 'name: Every metric', 'aiSystem: Test', 'data:', '  reference: { file: drift-reference.csv }', '  current: { file: drift-current.csv }', 'checks:', ...metrics.map(checkOf)].join('\n');
    const context = new TestRunContext(engine(), parsed(text, folder));
    const outcomes = await evaluateAll(context);

    expect(new Set(outcomes.map((outcome) => outcome.metric))).toEqual(new Set(metrics));
    const undefinedOutcomes = outcomes.filter((outcome) => !outcome.value.defined).map((outcome) => [outcome.metric, outcome.column]);
    expect(undefinedOutcomes).toEqual([]);
  });
});
