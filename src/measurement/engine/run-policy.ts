import fs from 'node:fs';
import path from 'node:path';
import { fingerprintStream } from '../../datasets/fingerprint.js';
import { AppError } from '../../platform/errors.js';
import { custosVersion } from '../../platform/version.js';
import { DataEngine, describeDataSet, materializeDataSet, openDataSet, type DataFileSpec, type DataSet, type ProgressListener } from '../data/index.js';
import type { MetricFamily } from '../policy/metric-names.js';
import { checksForTiers, type DataFile, type DataRole, type EvaluationData, type MeasurementPolicy, type PolicyCheck } from '../policy/policy.js';
import type { RiskTier } from '../policy/policy-schema.js';
import type { CheckOutcome, RunOutcome } from '../reports/run-outcome.js';
import type { MeasuredFile } from '../run-input.js';
import { dataCheckEvaluators } from './data-checks.js';
import type { ReferenceProfile } from './drift-profile.js';
import { parseReferenceProfile } from './drift-profile-file.js';
import { modelCheckEvaluators } from './model-checks.js';
import type { CheckEvaluator, RunContext } from './run-context.js';

const evaluators: Record<MetricFamily, CheckEvaluator> = { ...modelCheckEvaluators, ...dataCheckEvaluators };

export interface PolicyRunOptions {
  /** Tiers the AI system is classified in; their extra checks run after the policy's own. */
  readonly tiers?: readonly RiskTier[];
  readonly onProgress?: ProgressListener;
  /** Called before each check, with its position, so a terminal can show how far the run is. */
  readonly onCheck?: (check: PolicyCheck, index: number, total: number) => void;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /** Clock for the run's start and finish times; tests pass a fixed one. */
  readonly now?: () => Date;
}

export interface PolicyRun {
  readonly outcome: RunOutcome;
  /** Fingerprint and row count of every data file the checks read. */
  readonly files: readonly MeasuredFile[];
  readonly warnings: readonly string[];
}

/**
 * Runs every check of a policy against its data files and returns the outcomes with the
 * fingerprints of the files read. Each file is opened once and shared by the checks that read
 * it. Nothing is stored here: the caller records the run, so that a run which fails half-way
 * leaves no trace. The core's RangeError (malformed input that slipped past the data layer)
 * becomes a VALIDATION_FAILED error naming the check.
 */
export async function runPolicy(policy: MeasurementPolicy, aiSystemName: string, options: PolicyRunOptions = {}): Promise<PolicyRun> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const checks = checksForTiers(policy, options.tiers ?? []);
  const engine = await DataEngine.create({
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  try {
    const opened = new Map<DataRole, Promise<DataSet>>();
    // Set by the first drift check that requests the profile. TypeScript does not follow an assignment in a closure, hence the holder object.
    const profileRead: { promise: Promise<{ profile: ReferenceProfile; file: string } | null> | null } = { promise: null };
    const memo = new Map<string, Promise<unknown>>();
    const results: Partial<Record<MetricFamily, Record<string, unknown>>> = {};
    const warnings: string[] = [];
    const context: RunContext = {
      engine,
      policy,
      dataSet(role) {
        let dataSet = opened.get(role);
        if (!dataSet) {
          dataSet = openPolicyFile(engine, policy, role);
          opened.set(role, dataSet);
        }
        return dataSet;
      },
      referenceProfile() {
        profileRead.promise ??= Promise.resolve().then(() => readPolicyProfile(policy));
        return profileRead.promise;
      },
      memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
        let value = memo.get(key) as Promise<T> | undefined;
        if (!value) {
          value = compute();
          memo.set(key, value);
        }
        return value;
      },
      addResult(family, key, result) {
        (results[family] ??= {})[key] = result;
      },
      warn(message) {
        if (!warnings.includes(message)) warnings.push(message);
      },
    };

    // A check that the data cannot serve (an absent group, a wrong column) is an input error. The
    // remaining checks still run, so that one run reports every such problem, and none is stored.
    const outcomes: CheckOutcome[] = [];
    const inputErrors: { check: PolicyCheck; error: AppError }[] = [];
    for (const [index, check] of checks.entries()) {
      options.onCheck?.(check, index, checks.length);
      try {
        outcomes.push(...(await evaluateCheck(context, check)));
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        if (!inputErrors.some((known) => known.error.message === error.message)) inputErrors.push({ check, error });
      }
    }
    if (inputErrors.length > 0) throw combinedInputError(policy.name, inputErrors);

    const files: MeasuredFile[] = [];
    for (const [role, dataSet] of opened) {
      files.push(await measuredFile(engine, role, await dataSet));
    }
    const read = await profileRead.promise;
    if (read) {
      const { reference } = read.profile;
      files.push({ role: 'reference', sha256: reference.sha256, sizeBytes: reference.sizeBytes, rowCount: reference.rows, profiled: { fileName: path.basename(reference.file), format: reference.format } });
    }
    for (const dataSet of opened.values()) warnings.push(...(await dataSet).warnings.filter((warning) => !warnings.includes(warning)));

    const outcome: RunOutcome = {
      policyName: policy.name,
      aiSystemName,
      startedAt,
      finishedAt: now().toISOString(),
      engineVersion: custosVersion,
      outcomes,
      results,
    };
    return { outcome, files, warnings };
  } finally {
    await engine.close();
  }
}

/** Returns the one input error as it is, or one error that lists each of several under the pointer of its check. */
function combinedInputError(policyName: string, errors: readonly { check: PolicyCheck; error: AppError }[]): AppError {
  if (errors.length === 1) return (errors[0] as { error: AppError }).error;
  const details = errors.map(({ check, error }) => {
    const path = error.details[0]?.path;
    return { path: path?.startsWith(check.source.pointer) ? path : check.source.pointer, message: error.message };
  });
  return new AppError('VALIDATION_FAILED', `The policy "${policyName}" has ${errors.length} checks that the data cannot serve; correct each problem listed below and run it again`, details);
}

async function evaluateCheck(context: RunContext, check: PolicyCheck): Promise<CheckOutcome[]> {
  try {
    return await evaluators[check.family](context, check);
  } catch (error) {
    if (error instanceof RangeError) {
      const where = check.source.line === null ? check.source.pointer : `line ${check.source.line}`;
      throw new AppError('VALIDATION_FAILED', `The check "${check.id}" (${where}) cannot be computed: ${error.message}`, [{ path: check.source.pointer, message: error.message }]);
    }
    throw error;
  }
}

/** Reads and checks the reference profile of a policy, or returns null when its reference is a data file. */
function readPolicyProfile(policy: MeasurementPolicy): { profile: ReferenceProfile; file: string } | null {
  const declared = policy.data.referenceProfile;
  if (declared === null) return null;
  let text: string;
  try {
    text = fs.readFileSync(declared.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new AppError(
      'VALIDATION_FAILED',
      `Cannot read the reference profile "${declared.profile}" of data.reference.profile in the policy "${policy.name}" (${declared.path}): ${reason}; write it with custos measure profile <reference> --out ${declared.path}`,
    );
  }
  return { profile: parseReferenceProfile(text, declared.profile), file: declared.profile };
}

/** Opens the data file the policy names for a role and loads it once, so that every check reuses the scan. */
async function openPolicyFile(engine: DataEngine, policy: MeasurementPolicy, role: DataRole): Promise<DataSet> {
  const file = policy.data[role];
  if (!file) {
    throw new AppError('VALIDATION_FAILED', `The policy "${policy.name}" has a check that reads data.${role}, but data.${role} is not declared; add it with the file to read`);
  }
  const dataSet = await openDataSet(engine, toFileSpec(file));
  // Every column the policy declares must exist, even one that no check of this run reads.
  if (file.role === 'evaluation') dataSet.requireColumns(declaredColumns(policy.data.evaluation!));
  return dataSet.format === 'csv' ? materializeDataSet(engine, dataSet) : dataSet;
}

function declaredColumns(evaluation: EvaluationData): string[] {
  const columns = [evaluation.label.column, ...evaluation.sensitive];
  if (evaluation.prediction) columns.push(evaluation.prediction.column);
  if (evaluation.score) columns.push(...('column' in evaluation.score ? [evaluation.score.column] : Object.values(evaluation.score.columns)));
  return [...new Set(columns)];
}

/** Translates a policy's data file into the data layer's file spec. */
export function toFileSpec(file: DataFile): DataFileSpec {
  const recode: Record<string, Record<string, string>> = {};
  for (const [column, table] of Object.entries(file.recode)) {
    recode[column] = {};
    for (const [from, to] of Object.entries(table)) {
      if (to === null) {
        throw new AppError(
          'VALIDATION_FAILED',
          `data.${file.role}.recode.${column} maps "${from}" to null; recoding to a missing value is not supported, so list "${from}" under csv.nullValues instead`,
        );
      }
      recode[column]![from] = String(to);
    }
  }
  if (file.csv && file.csv.encoding !== 'utf-8') {
    throw new AppError('VALIDATION_FAILED', `data.${file.role}.csv.encoding is ${file.csv.encoding}; only utf-8 files can be read, so convert the file to UTF-8 first`);
  }
  return {
    path: file.path,
    format: file.format,
    ...(file.csv
      ? {
          csv: {
            delimiter: file.csv.delimiter,
            quote: file.csv.quote,
            escape: file.csv.escape,
            header: file.csv.header,
            ...(file.csv.columns ? { columnNames: file.csv.columns } : {}),
            skipRows: file.csv.skipRows,
            nullStrings: file.csv.nullValues,
          },
        }
      : {}),
    recode,
  };
}

async function measuredFile(engine: DataEngine, role: DataRole, dataSet: DataSet): Promise<MeasuredFile> {
  const { sha256, sizeBytes } = await fingerprintStream(fs.createReadStream(dataSet.path));
  const { rowCount } = await describeDataSet(engine, dataSet);
  return { role, sha256, sizeBytes, rowCount };
}
