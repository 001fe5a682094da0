import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { modelCheckEvaluators } from '../../../src/measurement/engine/model-checks.js';
import type { MeasurementPolicy } from '../../../src/measurement/policy/policy.js';
import type { CheckOutcome } from '../../../src/measurement/reports/run-outcome.js';
import { appErrorOf, compasPath, parseOk, recordingContext, useDataEngine } from './support.js';

const engine = useDataEngine();

async function evaluateAll(policy: MeasurementPolicy): Promise<CheckOutcome[]> {
  const context = recordingContext(engine(), policy);
  const outcomes: CheckOutcome[] = [];
  for (const check of policy.checks) {
    const family = check.family;
    if (family !== 'fairness' && family !== 'performance' && family !== 'calibration') throw new Error(`unexpected family ${family}`);
    outcomes.push(...(await modelCheckEvaluators[family](context, check)));
  }
  return outcomes;
}

function compasPolicy(checks: string): MeasurementPolicy {
  const text = `policyFormat: 1
name: COMPAS groups
aiSystem: COMPAS recidivism risk assessment
data:
  evaluation:
    file: ${path.basename(compasPath)}
    task: binary_classification
    label: { column: two_year_recid, positive: 1 }
    prediction: { column: score_text, positive: [Medium, High] }
    sensitive: [race, sex]
checks:
${checks}`;
  return parseOk(text, path.dirname(compasPath));
}

const raceCounts = '"African-American" (3696 rows), "Caucasian" (2454 rows), "Hispanic" (637 rows), "Other" (377 rows), "Asian" (32 rows) and 1 more value';

describe('group filters that match no rows', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-absent-groups-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('rejects a fairness group value absent from its column', async () => {
    const policy = compasPolicy(`  - id: fpr
    metric: false_positive_rate
    by: [race]
    groups: [Caucasian, Martian]
    threshold: { operator: "<=", value: 0.3 }
`);
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(
      `The check "fpr" (line 12) selects the group race=Martian, but no measured row of "${path.resolve(compasPath)}" belongs to it: ` +
        `the value "Martian" does not occur in column "race"; the values found are ${raceCounts}; correct the group in groups, or remove it`,
    );
    expect(error.details).toEqual([{ path: '/checks/0/groups', message: error.message }]);
  });

  it('rejects a performance group value absent from its column', async () => {
    const policy = compasPolicy(`  - id: accuracy-by-sex
    metric: accuracy
    by: [sex]
    groups: [Male, female]
    threshold: { operator: ">=", value: 0.6 }
`);
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.message).toContain('selects the group sex=female, but no measured row');
    expect(error.message).toContain('the value "female" does not occur in column "sex"; the values found are "Male" (5819 rows), "Female" (1395 rows);');
  });

  it('names the intersection value that is absent', async () => {
    const policy = compasPolicy(`  - id: tpr
    metric: true_positive_rate
    by: [race, sex]
    groups: [{ race: Caucasian, sex: Male }, { race: Caucasian, sex: Unknown }]
    threshold: { operator: ">=", value: 0.3 }
`);
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.message).toContain('selects the group race=Caucasian, sex=Unknown');
    expect(error.message).toContain('the value "Unknown" does not occur in column "sex"');
  });

  it('names a combination of values that occur apart', async () => {
    fs.writeFileSync(path.join(folder, 'two-attributes.csv'), 'region,sex,label,prediction\nnorth,f,1,1\nnorth,f,0,0\nsouth,m,1,0\nsouth,m,0,1\nsouth,m,1,1\n');
    const policy = parseOk(
      `policyFormat: 1
name: Combinations
aiSystem: Test system
data:
  evaluation:
    file: two-attributes.csv
    task: binary_classification
    label: { column: label, positive: 1 }
    prediction: { column: prediction, positive: 1 }
    sensitive: [region, sex]
checks:
  - id: selection
    metric: selection_rate
    by: [region, sex]
    groups: [{ region: north, sex: m }]
    threshold: { operator: ">=", value: 0.1 }
`,
      folder,
    );
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.message).toContain(
      'every value occurs, but no row has region=north and sex=m together; the combinations found are "south & m" (3 rows), "north & f" (2 rows);',
    );
  });

  it('rejects the missing group when no value is missing', async () => {
    const policy = compasPolicy(`  - id: fpr
    metric: false_positive_rate
    by: [race]
    groups: ["(missing)"]
    threshold: { operator: "<=", value: 0.3 }
`);
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.message).toContain(`no row has a missing value in column "race"; the values found are ${raceCounts};`);
  });

  it('names the check of an absent reference group', async () => {
    const policy = compasPolicy(`  - id: parity
    metric: demographic_parity_ratio
    by: [race]
    parameters: { comparison: to_reference, reference: Martian }
    threshold: { operator: ">=", value: 0.8 }
`);
    const error = await appErrorOf(() => evaluateAll(policy));
    expect(error.message).toBe(
      `The reference group "Martian" of the check "parity" (line 12) has no measured rows in "${path.resolve(compasPath)}" when grouped by race: ` +
        `the value "Martian" does not occur in column "race"; the values found are ${raceCounts}; name a group that occurs, or use largest or most_favourable`,
    );
  });
});
