import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { DataEngine, openDataSet } from '../../../src/measurement/data/index.js';
import { profileReference } from '../../../src/measurement/engine/drift-profile.js';
import { serializeReferenceProfile } from '../../../src/measurement/engine/drift-profile-file.js';
import { runPolicy } from '../../../src/measurement/engine/run-policy.js';
import { formatPolicyProblem, parsePolicy } from '../../../src/measurement/policy/parse-policy.js';
import type { MeasurementPolicy } from '../../../src/measurement/policy/policy.js';
import type { CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { checkRunInput } from '../../../src/measurement/run-input.js';
import { appErrorOf, useFixtureFolder } from './support.js';

const writeCsv = useFixtureFolder();

/** 3,000 reference and 2,000 current rows: score shifts by half a standard deviation, segment moves from a to b, a long-tailed amount keeps its distribution. */
function writeSamples(): { reference: string; current: string } {
  const random = new Xoshiro128StarStar(11);
  const rows = (count: number, shift: number, bShare: number) =>
    Array.from({ length: count }, (_, index) => `${(sampleStandardNormal(random) + shift).toFixed(6)},${index / count < bShare ? 'b' : 'a'},${Math.exp(sampleStandardNormal(random)).toFixed(4)}`);
  const reference = writeCsv('policy-reference.csv', ['score,segment,amount', ...rows(3000, 0, 0.3)]);
  const current = writeCsv('policy-current.csv', ['score,segment,amount', ...rows(2000, 0.5, 0.6)]);
  return { reference, current };
}

async function writeProfile(reference: string): Promise<string> {
  const engine = await DataEngine.create({ threads: 2 });
  try {
    const profile = await profileReference(engine, await openDataSet(engine, { path: reference }), 'test');
    const file = path.join(path.dirname(reference), 'policy-reference.profile.json');
    fs.writeFileSync(file, serializeReferenceProfile(profile));
    return file;
  } finally {
    await engine.close();
  }
}

function policyWith(referenceLine: string, folder: string, extraChecks = ''): MeasurementPolicy {
  const text = `policyFormat: 1
name: Drift from a profile
aiSystem: Test system
data:
  reference: ${referenceLine}
  current: { file: policy-current.csv }
checks:
  - id: score-ks
    metric: ks
    columns: [score]
    threshold: { operator: ">=", value: 0.05 }
  - id: psi-all
    metric: psi
    threshold: { operator: "<", value: 0.2 }
  - id: segment-chi
    metric: chi_square
    columns: [segment]
    threshold: { operator: ">=", value: 0.05 }
  - id: share
    metric: dataset_drift_share
    threshold: { operator: "<", value: 0.5 }
${extraChecks}`;
  const result = parsePolicy(text, { baseDirectory: folder });
  if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
  return result.policy;
}

function comparable(outcomes: readonly CheckOutcome[]): unknown[] {
  return outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result, outcome.value]);
}

describe('drift checks from a reference profile', () => {
  it('give the outcomes of the file', async () => {
    const files = writeSamples();
    const folder = path.dirname(files.reference);
    const profile = await writeProfile(files.reference);

    const fromFile = await runPolicy(policyWith('{ file: policy-reference.csv }', folder), 'Test system', { threads: 2 });
    const fromProfile = await runPolicy(policyWith(`{ profile: ${path.basename(profile)} }`, folder), 'Test system', { threads: 2 });

    expect(comparable(fromProfile.outcome.outcomes)).toEqual(comparable(fromFile.outcome.outcomes));
    expect(fromProfile.outcome.outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result])).toEqual([
      ['score-ks', 'score', 'failed'],
      ['psi-all', 'score', 'failed'],
      ['psi-all', 'segment', 'failed'],
      ['psi-all', 'amount', 'passed'],
      ['segment-chi', 'segment', 'failed'],
      ['share', null, 'failed'],
    ]);
  });

  it('record the profiled file', async () => {
    const files = writeSamples();
    const folder = path.dirname(files.reference);
    const profile = await writeProfile(files.reference);
    const run = await runPolicy(policyWith(`{ profile: ${path.basename(profile)} }`, folder), 'Test system', { threads: 2 });
    const direct = await runPolicy(policyWith('{ file: policy-reference.csv }', folder), 'Test system', { threads: 2 });

    const reference = run.files.find((file) => file.role === 'reference');
    expect(reference).toEqual({ ...direct.files.find((file) => file.role === 'reference'), profiled: { fileName: 'policy-reference.csv', format: 'csv' } });
    expect(run.files.map((file) => file.role).sort()).toEqual(['current', 'reference']);

    const policy = policyWith(`{ profile: ${path.basename(profile)}, dataset: { dataset: loans, version: train } }`, folder);
    const input = checkRunInput({ policy, fileName: 'policy.yaml', text: '', sha256: '0'.repeat(64) }, run.outcome, run.files);
    expect(input.files.find((file) => file.role === 'reference')).toEqual({
      role: 'reference',
      fileName: 'policy-reference.csv',
      format: 'csv',
      sha256: reference?.sha256,
      sizeBytes: reference?.sizeBytes,
      rowCount: 3000,
      dataset: { dataset: 'loans', version: 'train' },
    });
  });

  it('reject a missing profile', async () => {
    const files = writeSamples();
    const policy = policyWith('{ profile: no-such-profile.json }', path.dirname(files.reference));
    const error = await appErrorOf(() => runPolicy(policy, 'Test system', { threads: 2 }));
    expect(error.message).toContain('Cannot read the reference profile "no-such-profile.json" of data.reference.profile in the policy "Drift from a profile" (');
    expect(error.message).toContain(`no-such-profile.json): it does not exist; write it with custos measure profile <reference> --out ${path.join(path.dirname(files.reference), 'no-such-profile.json')}`);
  });

  it('name a column whose values the profile lacks', async () => {
    const random = new Xoshiro128StarStar(12);
    const reference = writeCsv('policy-large-reference.csv', ['score,segment,amount', ...Array.from({ length: 12_000 }, () => `${sampleStandardNormal(random)},a,1`)]);
    writeCsv('policy-current.csv', ['score,segment,amount', ...Array.from({ length: 2000 }, () => `${sampleStandardNormal(random)},a,1`)]);
    const profile = await writeProfile(reference);
    const policy = policyWith(`{ profile: ${path.basename(profile)} }`, path.dirname(reference));
    const error = await appErrorOf(() => runPolicy(policy, 'Test system', { threads: 2 }));
    expect(error.message).toContain('Column "score" needs every reference value for a test on values (KS, Anderson-Darling or Wasserstein)');
    expect(error.message).toContain('the reference has 12000 finite values and about 12000 distinct ones');
    expect(error.message).toContain('the metric jensen_shannon in a policy');
  });
});

describe('drift metrics from a reference profile', () => {
  it('run each metric on the columns of its checks', async () => {
    const random = new Xoshiro128StarStar(13);
    const rows = (count: number, shift: number) =>
      Array.from({ length: count }, () => `${(sampleStandardNormal(random) + shift).toFixed(6)},${18 + Math.floor(random.nextDouble() * 60)},1`);
    const reference = writeCsv('policy-pair-reference.csv', ['score,segment,amount', ...rows(12_000, 0)]);
    writeCsv('policy-current.csv', ['score,segment,amount', ...rows(3000, 0.3)]);
    const profile = await writeProfile(reference);
    const folder = path.dirname(reference);
    const pair = `  - id: segment-ks
    metric: ks
    columns: [segment]
    threshold: { operator: ">=", value: 0.05 }
  - id: score-js
    metric: jensen_shannon
    columns: [score]
    threshold: { operator: "<", value: 0.1 }
`;
    const policyOf = (reference: string) => {
      const text = `policyFormat: 1\nname: Pair\naiSystem: Test system\ndata:\n  reference: ${reference}\n  current: { file: policy-current.csv }\nchecks:\n${pair}`;
      const result = parsePolicy(text, { baseDirectory: folder });
      if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
      return result.policy;
    };

    const fromProfile = await runPolicy(policyOf(`{ profile: ${path.basename(profile)} }`), 'Test system', { threads: 2 });
    const fromFile = await runPolicy(policyOf(`{ file: ${path.basename(reference)} }`), 'Test system', { threads: 2 });
    expect(comparable(fromProfile.outcome.outcomes)).toEqual(comparable(fromFile.outcome.outcomes));
    expect(fromProfile.outcome.outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result])).toEqual([
      ['segment-ks', 'segment', 'passed'],
      ['score-js', 'score', 'failed'],
    ]);
  });
});
