import path from 'node:path';
import type { RecordMeasurementRun } from './measurement.schemas.js';
import type { PolicyFileContents } from './policy/parse-policy.js';
import type { DataRole, FileFormat } from './policy/policy.js';
import type { RunOutcome } from './reports/run-outcome.js';

/** Facts the data layer records about a file it read: its fingerprint and its number of rows. */
export interface MeasuredFile {
  readonly role: DataRole;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly rowCount: number;
  /**
   * The data file a reference profile describes, recorded in place of the profile: its base name
   * and format as the profile states them. The fingerprint is that file's too.
   */
  readonly profiled?: { readonly fileName: string; readonly format: FileFormat };
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
      const profile = policy.data.referenceProfile;
      if (file.role === 'reference' && file.profiled !== undefined && profile !== null) {
        const { fileName, format } = file.profiled;
        return { role: file.role, fileName, format, sha256: file.sha256, sizeBytes: file.sizeBytes, rowCount: file.rowCount, dataset: profile.dataset };
      }
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
    outcome: withStorableMessages(outcome) as RecordMeasurementRun['outcome'],
  };
}

/** The longest warning or reason the store keeps, and the most warnings per value. */
const maxMessageLength = 4_000;
const maxWarnings = 100;

function shorten(text: string): string {
  if (text.length <= maxMessageLength) return text;
  const suffix = ` … (${text.length - (maxMessageLength - 40)} more characters)`;
  return text.slice(0, maxMessageLength - suffix.length) + suffix;
}

/**
 * Shortens warnings and reasons to what the store keeps, so that a run over thousands of groups
 * (whose warning lists every small group) is recorded instead of rejected. A JSON report file
 * that `custos check --json` writes keeps the full text, so its hash then differs from the stored one.
 */
function withStorableMessages(outcome: RunOutcome): RunOutcome {
  return {
    ...outcome,
    outcomes: outcome.outcomes.map((checkOutcome) => {
      const value = checkOutcome.value;
      const warnings = value.warnings.slice(0, maxWarnings).map(shorten);
      if (value.warnings.length > maxWarnings) warnings[maxWarnings - 1] = `${value.warnings.length - maxWarnings + 1} more warnings left out`;
      const stored = value.defined ? { ...value, warnings } : { ...value, reason: shorten(value.reason), warnings };
      return { ...checkOutcome, value: stored, ...(checkOutcome.group !== null ? { group: shorten(checkOutcome.group) } : {}) };
    }),
  };
}
