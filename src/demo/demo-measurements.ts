import path from 'node:path';
import type { Caller } from '../platform/auth/caller.js';
import type { Db } from '../platform/database/connection.js';
import type { RecordMeasurementRun } from '../measurement/measurement.schemas.js';
import { insertMeasurementRun } from '../measurement/measurements.service.js';
import { readPolicyFile } from '../measurement/policy/parse-policy.js';
import { checkRunInput } from '../measurement/run-input.js';

/** The demo's measurement policy: ProPublica's error-rate comparison of the COMPAS scale. */
const compasPolicyFile = 'compas/fairness-policy.yaml';

/**
 * Runs the COMPAS fairness policy over the demo's data file, before the demo's write transaction
 * starts, so that the DuckDB scan does not hold the write lock.
 */
export async function prepareDemoMeasurement(examplesDirectory: string): Promise<RecordMeasurementRun> {
  const contents = readPolicyFile(path.join(examplesDirectory, compasPolicyFile));
  // Loaded here, not at the top, so that commands which never load the demo skip DuckDB's native module.
  const { runPolicy } = await import('../measurement/engine/run-policy.js');
  // One thread and a small memory limit: the file has 7,214 rows, and a server starting up should not compete with itself.
  const run = await runPolicy(contents.policy, contents.policy.aiSystem, { threads: 1, memoryLimit: '256MB' });
  return checkRunInput(contents, run.outcome, run.files);
}

/** Records the prepared run; the AI system, model version and dataset version it names must exist in `trx`. */
export async function insertDemoMeasurement(trx: Db, caller: Caller, now: Date, input: RecordMeasurementRun): Promise<void> {
  await insertMeasurementRun(trx, caller, now, input);
}
