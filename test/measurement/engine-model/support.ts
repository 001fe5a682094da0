import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

import type { Measured } from '../../../src/measurement/core/measured.js';
import { materializeDataSet, openDataSet, type DataEngine, type DataSet } from '../../../src/measurement/data/index.js';
import type { RunContext } from '../../../src/measurement/engine/run-context.js';
import type { MetricFamily } from '../../../src/measurement/policy/metric-names.js';
import { parsePolicy, formatPolicyProblem } from '../../../src/measurement/policy/parse-policy.js';
import type { DataRole, MeasurementPolicy } from '../../../src/measurement/policy/policy.js';

export { appErrorOf, compasPath, useDataEngine } from '../data/support.js';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export const fixtureDirectory = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Reads a CSV fixture into records of text, for computing expected values row by row. */
export function readRows(path: string): Record<string, string>[] {
  return parse(fs.readFileSync(path), { columns: true }) as Record<string, string>[];
}

/** Returns the value of a defined measure, failing the test with the reason when it is undefined. */
export function valueOf(measured: Measured | undefined): number {
  if (measured === undefined) throw new Error('expected a measured value, but there is none');
  if (!measured.defined) throw new Error(`expected a defined value, but it is undefined: ${measured.reason}`);
  return measured.value;
}

/** Rounds a share to a percentage with two decimals, as ProPublica's table shows it. */
export function percent(share: number): number {
  return Math.round(share * 10_000) / 100;
}

export function parseOk(text: string, baseDirectory: string = fixtureDirectory): MeasurementPolicy {
  const result = parsePolicy(text, { baseDirectory });
  if (!result.ok) throw new Error(result.problems.map((problem) => formatPolicyProblem('policy.yaml', problem)).join('\n'));
  return result.policy;
}

/** A run context over one engine, as the policy runner builds it, that also records what the evaluators did. */
export interface RecordingContext extends RunContext {
  /** Keys computed by `memo`, in order, each once. */
  readonly computed: string[];
  readonly results: Partial<Record<MetricFamily, Record<string, unknown>>>;
  /** Each addResult call as family and key. */
  readonly added: string[];
  readonly warnings: string[];
}

export function recordingContext(engine: DataEngine, policy: MeasurementPolicy): RecordingContext {
  const opened = new Map<DataRole, Promise<DataSet>>();
  const memo = new Map<string, Promise<unknown>>();
  const computed: string[] = [];
  const results: Partial<Record<MetricFamily, Record<string, unknown>>> = {};
  const added: string[] = [];
  const warnings: string[] = [];
  return {
    engine,
    policy,
    computed,
    results,
    added,
    warnings,
    dataSet(role) {
      let dataSet = opened.get(role);
      if (dataSet === undefined) {
        const file = policy.data[role];
        if (file === null) throw new Error(`the policy has no data.${role}`);
        // The fixtures are plain comma-separated files, so the path is all the data layer needs.
        dataSet = openDataSet(engine, { path: file.path }).then((opening) => materializeDataSet(engine, opening));
        opened.set(role, dataSet);
      }
      return dataSet;
    },
    // These fixtures give the reference as a data file.
    referenceProfile: () => Promise.resolve(null),
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let value = memo.get(key) as Promise<T> | undefined;
      if (value === undefined) {
        computed.push(key);
        value = compute();
        memo.set(key, value);
      }
      return value;
    },
    addResult(family, key, result) {
      added.push(`${family}: ${key}`);
      (results[family] ??= {})[key] = result;
    },
    warn(message) {
      if (!warnings.includes(message)) warnings.push(message);
    },
  };
}

/** Opens a data file and loads it into a table, as the policy runner does before several scans. */
export async function openMaterialized(engine: DataEngine, path: string): Promise<DataSet> {
  return materializeDataSet(engine, await openDataSet(engine, { path }));
}
