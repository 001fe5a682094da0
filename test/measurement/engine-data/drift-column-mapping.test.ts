import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { runPolicy } from '../../../src/measurement/engine/run-policy.js';
import { formatPolicyProblem, parsePolicy } from '../../../src/measurement/policy/parse-policy.js';
import type { MeasurementPolicy } from '../../../src/measurement/policy/policy.js';
import type { CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { appErrorOf, useFixtureFolder } from './support.js';

const writeCsv = useFixtureFolder();

/** 400 rows per file: score shifts by half a standard deviation, segment moves from a to b. */
function writeSamples(currentHeader: string): { reference: string; current: string } {
  const random = new Xoshiro128StarStar(7);
  const rows = (shift: number, bShare: number) =>
    Array.from({ length: 400 }, (_, index) => `${(sampleStandardNormal(random) + shift).toFixed(6)},${index / 400 < bShare ? 'b' : 'a'}`);
  const reference = writeCsv('reference.csv', ['score,segment', ...rows(0, 0.3)]);
  const current = writeCsv(`current-${currentHeader.replace(',', '-')}.csv`, [currentHeader, ...rows(0.5, 0.6)]);
  return { reference, current };
}

function policyFor(files: { reference: string; current: string }, columns: string): MeasurementPolicy {
  const text = `policyFormat: 1
name: Drift with renamed columns
aiSystem: Test system
data:
  reference: { file: ${path.basename(files.reference)} }
  current: { file: ${path.basename(files.current)} }
checks:
  - id: score-psi
    metric: psi
    columns: ${columns}
    threshold: { operator: "<", value: 0.2 }
  - id: share
    metric: dataset_drift_share
    threshold: { operator: "<", value: 0.5 }
`;
  const result = parsePolicy(text, { baseDirectory: path.dirname(files.reference) });
  if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
  return result.policy;
}

function comparable(outcomes: readonly CheckOutcome[]): unknown[] {
  return outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result, outcome.value]);
}

describe('drift checks with a column mapping', () => {
  it('compares mapped columns like same-named ones', async () => {
    const renamed = policyFor(writeSamples('score_v2,segment_code'), '{ score: score_v2, segment: segment_code }');
    const sameNames = policyFor(writeSamples('score,segment'), '[score, segment]');

    const mapped = await runPolicy(renamed, 'Test system', { threads: 2 });
    const plain = await runPolicy(sameNames, 'Test system', { threads: 2 });

    expect(comparable(mapped.outcome.outcomes)).toEqual(comparable(plain.outcome.outcomes));
    expect(mapped.outcome.outcomes.map((outcome) => [outcome.checkId, outcome.column, outcome.result])).toEqual([
      ['score-psi', 'score', 'failed'],
      ['score-psi', 'segment', 'failed'],
      ['share', null, 'failed'],
    ]);
    const drift = mapped.outcome.results.drift as Record<string, unknown> | undefined;
    const measurement = drift?.['measurement'] as { settings: { columnMapping: Record<string, string> }; onlyInCurrent: string[] };
    expect(measurement.settings.columnMapping).toEqual({ score: 'score_v2', segment: 'segment_code' });
    expect(measurement.onlyInCurrent).toEqual([]);
  });

  it('names the columns of the file for an unknown current column', async () => {
    const files = writeSamples('score_v2,segment_code');
    const error = await appErrorOf(() => runPolicy(policyFor(files, '{ score: score_v3 }'), 'Test system', { threads: 2 }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(`The column "score_v3" is not in "${files.current}"; the file has 2 columns: score_v2, segment_code`);
  });

  it('names the columns of the file for an unknown reference column', async () => {
    const files = writeSamples('score_v2,segment_code');
    const error = await appErrorOf(() => runPolicy(policyFor(files, '{ scores: score_v2 }'), 'Test system', { threads: 2 }));
    expect(error.message).toBe(`The column "scores" is not in "${files.reference}"; the file has 2 columns: score, segment`);
  });
});
