import path from 'node:path';
import type { RecordMeasurementRun } from './measurement.schemas.js';
import type { PolicyFileContents } from './policy/parse-policy.js';
import type { DataRole } from './policy/policy.js';
import type { RunOutcome } from './reports/run-outcome.js';

/** Facts the data layer records about a file it read: its fingerprint and its number of rows. */
export interface MeasuredFile {
  readonly role: DataRole;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly rowCount: number;
}

/**
 * Builds the input that records a policy check run: the policy file whole, its monitoring
 * settings, and each data file with the name, format and dataset version the policy gives it.
 * Files are named relative to the policy file, as the policy writes them, so that a stored run
 * does not reveal the folders of the machine it ran on.
 */
export function checkRunInput(contents: PolicyFileContents, outcome: RunOutcome, files: readonly MeasuredFile[]): RecordMeasurementRun {
  const { policy } = contents;
  return {
    aiSystem: policy.aiSystem,
    modelVersion: policy.modelVersion,
    kind: 'check',
    policy: { name: policy.name, sha256: contents.sha256, text: contents.text },
    monitoring: { charts: [...policy.monitoring.charts], taskDueDays: policy.monitoring.taskDueDays, baselineLength: policy.monitoring.baselineLength },
    files: files.map((file) => {
      const declared = policy.data[file.role];
      if (!declared) throw new RangeError(`The policy "${policy.name}" has no data.${file.role}, so a ${file.role} file cannot be recorded for it`);
      return {
        role: file.role,
        fileName: path.normalize(declared.file),
        format: declared.format,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        rowCount: file.rowCount,
        dataset: declared.dataset,
      };
    }),
    outcome: outcome as RecordMeasurementRun['outcome'],
  };
}
