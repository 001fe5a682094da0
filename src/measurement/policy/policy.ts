import type { MetricFamily, MetricName, Task } from './metric-names.js';
import type { dataRoles, favourableOutcomes, fileFormats, RiskTier, severities, spcCharts } from './policy-schema.js';

/**
 * A measurement policy after parsing: every default filled in, every reference between fields
 * checked, and data file paths resolved against the policy file's folder. The file format is
 * described by PolicyFileSchema in policy-schema.ts.
 */

export type DataRole = (typeof dataRoles)[number];
export type FileFormat = (typeof fileFormats)[number];
export type Severity = (typeof severities)[number];
export type FavourableOutcome = (typeof favourableOutcomes)[number];
export type SpcChart = (typeof spcCharts)[number];
export type ScalarValue = string | number | boolean;
export type ParameterValue = ScalarValue | readonly ScalarValue[] | Readonly<Record<string, number>>;

export interface CsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
  /** Names of the columns in order, or null to use the header's. */
  readonly columns: readonly string[] | null;
  readonly nullValues: readonly string[];
  readonly skipRows: number;
  readonly encoding: 'utf-8' | 'utf-16' | 'latin-1';
}

/** A drift reference given as a profile that `custos measure profile` wrote, instead of a data file. */
export interface ReferenceProfileFile {
  /** The path as the policy wrote it. */
  readonly profile: string;
  /** The path resolved against the policy file's folder. */
  readonly path: string;
  /** The registered dataset version the profiled file is. */
  readonly dataset: { readonly dataset: string; readonly version: string } | null;
}

export interface DataFile {
  readonly role: DataRole;
  /** The path as the policy wrote it. */
  readonly file: string;
  /** The path resolved against the policy file's folder. */
  readonly path: string;
  readonly format: FileFormat;
  /** Reading options of a CSV file; null for the other formats. */
  readonly csv: CsvOptions | null;
  /** The registered dataset version the file is, by id or name and id or label. */
  readonly dataset: { readonly dataset: string; readonly version: string } | null;
  /** Per column, values replaced before measuring; a null target makes the value missing. */
  readonly recode: Readonly<Record<string, Readonly<Record<string, ScalarValue | null>>>>;
}

export interface EvaluationData extends DataFile {
  readonly role: 'evaluation';
  readonly task: Task;
  /**
   * For binary classification, `positive` lists the values of the positive class; null otherwise.
   * `allowAbsentPositive` accepts listed values that the file lacks, as long as one occurs.
   */
  readonly label: { readonly column: string; readonly positive: readonly ScalarValue[] | null; readonly allowAbsentPositive: boolean };
  readonly prediction: { readonly column: string; readonly positive: readonly ScalarValue[] | null; readonly allowAbsentPositive: boolean } | null;
  /** The probability of the positive class, or of each class label for multiclass. */
  readonly score: { readonly column: string } | { readonly columns: Readonly<Record<string, string>> } | null;
  readonly sensitive: readonly string[];
  readonly missingSensitive: 'group' | 'error';
}

/** The condition a value must meet: strict or inclusive bound, or an inclusive interval. */
export type Threshold =
  | { readonly operator: '<' | '<=' | '>' | '>='; readonly value: number }
  | { readonly operator: 'between'; readonly min: number; readonly max: number };

/** A group by its value of each attribute in the check's `by`, in the order of `by`. */
export type GroupSelector = Readonly<Record<string, string>>;

export interface PolicyCheck {
  readonly id: string;
  readonly metric: MetricName;
  readonly family: MetricFamily;
  readonly description: string | null;
  /** The data file the check reads: evaluation for model metrics, current for drift (against reference). */
  readonly data: DataRole;
  /** Columns of a drift or quality check; null means every column of the file. A drift check names its reference columns here. */
  readonly columns: readonly string[] | null;
  /** Drift checks: the current file's name of each reference column it names differently; empty otherwise. */
  readonly columnMapping: Readonly<Record<string, string>>;
  /** Sets of sensitive attributes; each set forms groups by the intersection of its attributes. */
  readonly by: readonly (readonly string[])[];
  /** Groups the per-group outcomes are restricted to; null means every group. */
  readonly groups: readonly GroupSelector[] | null;
  /** Every parameter of the metric, defaults filled in; parameters without a default and not given are absent. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly threshold: Threshold;
  readonly severity: Severity;
  /** Fairness checks: the prediction that benefits the person (default positive); null for the other families. */
  readonly favourableOutcome: FavourableOutcome | null;
  /** Location of the check in the policy file, for messages. */
  readonly source: { readonly pointer: string; readonly line: number | null };
}

export interface MeasurementPolicy {
  readonly name: string;
  readonly description: string | null;
  /** Id or name of the AI system. */
  readonly aiSystem: string;
  readonly modelVersion: { readonly model: string; readonly version: string } | null;
  readonly data: {
    readonly evaluation: EvaluationData | null;
    /** The reference data file; null when the reference is a stored profile (`referenceProfile`). */
    readonly reference: DataFile | null;
    readonly referenceProfile: ReferenceProfileFile | null;
    readonly current: DataFile | null;
  };
  readonly settings: {
    /** Null leaves the measurement engine's default. */
    readonly minGroupSize: number | null;
    readonly confidenceLevel: number;
    readonly bootstrapResamples: number | null;
    readonly seed: number | null;
  };
  readonly monitoring: MonitoringSettings;
  /** Checks of every run. */
  readonly checks: readonly PolicyCheck[];
  /** Extra checks for an AI system classified in the tier. */
  readonly tierChecks: Readonly<Partial<Record<RiskTier, readonly PolicyCheck[]>>>;
}

/** Settings for watching stored KPI series: the control charts applied and the tasks a breach opens. */
export interface MonitoringSettings {
  readonly charts: readonly SpcChart[];
  readonly taskDueDays: number;
  /** Earliest points of a series that set the centre line and sigma of the baseline charts. */
  readonly baselineLength: number;
}

export const defaultSpcCharts: readonly SpcChart[] = ['shewhart', 'cusum', 'ewma'];
export const defaultTaskDueDays = 14;
/** The same default as defaultBaselineLength of the control charts in core/spc.ts. */
export const defaultBaselineLength = 20;
export const defaultMonitoring: MonitoringSettings = { charts: defaultSpcCharts, taskDueDays: defaultTaskDueDays, baselineLength: defaultBaselineLength };
export const defaultConfidenceLevel = 0.95;

/**
 * Returns the checks to run for an AI system: the policy's checks, then the extra checks of
 * each tier the system is classified in (its impact level and its EU AI Act tier).
 */
export function checksForTiers(policy: MeasurementPolicy, tiers: readonly RiskTier[]): PolicyCheck[] {
  const extra = [...new Set(tiers)].flatMap((tier) => policy.tierChecks[tier] ?? []);
  return [...policy.checks, ...extra];
}
