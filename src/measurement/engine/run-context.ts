import type { DataEngine, DataSet } from '../data/index.js';
import type { MetricFamily } from '../policy/metric-names.js';
import type { DataRole, MeasurementPolicy, PolicyCheck } from '../policy/policy.js';
import type { CheckOutcome } from '../reports/run-outcome.js';
import type { ReferenceProfile } from './drift-profile.js';

/**
 * What a check evaluator may use while a policy runs: the DuckDB engine, the policy's data files
 * opened once, and a memo so that checks over the same measurement (three fairness checks over
 * one grouping, say) share a single scan.
 */
export interface RunContext {
  readonly engine: DataEngine;
  readonly policy: MeasurementPolicy;
  /** Opens the data file of a role on first use and returns the same data set afterwards. */
  dataSet(role: DataRole): Promise<DataSet>;
  /** Reads and checks the policy's reference profile on first use; null when the reference is a data file. */
  referenceProfile(): Promise<{ readonly profile: ReferenceProfile; readonly file: string } | null>;
  /** Computes a value once per run and key. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Stores the full results of a family under a key, for the run's JSON report. */
  addResult(family: MetricFamily, key: string, result: unknown): void;
  /** Warnings for the whole run, such as values left out of a scan. */
  warn(message: string): void;
}

/** Evaluates one check of a policy into one outcome per column and group it covers. */
export type CheckEvaluator = (context: RunContext, check: PolicyCheck) => Promise<CheckOutcome[]>;
