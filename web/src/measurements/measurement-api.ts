import { api, apiPath, type Page } from '../api/client';

/** Shapes of the measurement endpoints, as the API documents them, and the parts of a stored report the views read. */

export type RunKind = 'check' | 'fairness' | 'performance' | 'calibration' | 'drift' | 'quality';
export type RunResult = 'passed' | 'passed_with_warnings' | 'failed';
export type CheckResult = 'passed' | 'failed' | 'undefined';
export type ApiNumber = number | 'Infinity' | '-Infinity';

export interface RunFile {
  role: 'evaluation' | 'reference' | 'current';
  fileName: string;
  format: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  datasetVersionId: string | null;
}

export interface RunSummary {
  id: string;
  aiSystemId: string;
  modelVersionId: string | null;
  kind: RunKind;
  policyName: string | null;
  policySha256: string | null;
  engineVersion: string;
  startedAt: string;
  finishedAt: string;
  runBy: string;
  result: RunResult;
  counts: { outcomes: number; passed: number; failed: number; undefined: number };
  resultSha256: string;
  recordedAt: string;
  files: RunFile[];
}

export interface RunListItem extends RunSummary {
  aiSystemName: string;
  modelName: string | null;
  modelVersionLabel: string | null;
  runByName: string;
}

export type Threshold = { operator: '<' | '<=' | '>' | '>='; value: number } | { operator: 'between'; min: number; max: number };

export interface MeasurementValue {
  position: number;
  checkId: string;
  family: 'fairness' | 'performance' | 'calibration' | 'drift' | 'quality';
  metric: string;
  parameters: Record<string, unknown>;
  column: string | null;
  group: string | null;
  value: ApiNumber | null;
  undefinedReason: string | null;
  warnings: string[];
  threshold: Threshold;
  severity: 'error' | 'warning';
  result: CheckResult;
}

export interface MeasurementRun extends RunSummary {
  policyText: string | null;
  values: MeasurementValue[];
  report: StoredReport;
}

/** A value of the measurement core: defined with a number, or undefined with the reason. */
export type Measured = { defined: true; value: number | string; warnings: string[] } | { defined: false; reason: string; warnings: string[] };

export interface StoredReport {
  format?: string;
  results?: { fairness?: Record<string, unknown>; performance?: Record<string, unknown>; calibration?: Record<string, unknown>; drift?: Record<string, unknown>; quality?: Record<string, unknown> };
  outcomes?: { checkId: string; column: string | null; group: string | null; message: string }[];
}

export interface MonitoringTask {
  id: string;
  aiSystemId: string;
  aiSystemName: string;
  kind: 'retraining' | 'review';
  status: 'open' | 'done';
  metric: string;
  column: string | null;
  group: string | null;
  chart: string;
  rule: string;
  runId: string;
  dueDate: string;
  overdue: boolean;
  openedAt: string;
  closedAt: string | null;
  resolution: string | null;
  version: number;
}

export interface SpcBreach {
  chart: string;
  rule: string;
  runId: string;
  measuredAt: string;
  value: number;
  side: 'above' | 'below';
}

export type ShewhartChart =
  | { defined: true; centre: number; sigma: number; limits: { lower: number; upper: number }; baseline: { length: number } }
  | { defined: false; reason: string };

export interface KpiSeries {
  parameters: Record<string, unknown>;
  column: string | null;
  group: string | null;
  points: { runId: string; measuredAt: string; checkId: string; value: ApiNumber | null; undefinedReason: string | null; result: CheckResult }[];
  charts: Record<string, unknown>;
  breaches: SpcBreach[];
}

export interface KpiReport {
  aiSystemId: string;
  metric: string;
  family: string;
  baselineLength: number;
  series: KpiSeries[];
}

export interface RunFilters {
  aiSystemId?: string;
  kind?: RunKind;
  result?: RunResult;
  limit: number;
  offset: number;
}

export const listRuns = (filters: RunFilters) => api<Page<RunListItem>>(apiPath('/measurements', { ...filters }));
export const readRun = (id: string) => api<MeasurementRun>(`/measurements/${encodeURIComponent(id)}`);
export const readRunNames = (id: string) => api<Page<RunListItem>>(apiPath('/measurements', { id }));
export const listOpenTasks = (aiSystemId?: string) => api<Page<MonitoringTask>>(apiPath('/monitoring-tasks', { status: 'open', limit: 100, aiSystemId }));
/** Closes an open task with what was done; the version goes as If-Match, so a task changed meanwhile gives 412. */
export const closeTask = (task: Pick<MonitoringTask, 'id' | 'version'>, resolution: string) =>
  api<MonitoringTask>(`/monitoring-tasks/${encodeURIComponent(task.id)}/close`, { method: 'POST', body: { resolution }, ifMatch: task.version });
export const readKpis = (aiSystemId: string, metric: string, query: { group?: string | undefined; column?: string | undefined; baselineLength?: number | undefined }) =>
  api<KpiReport>(apiPath(`/ai-systems/${encodeURIComponent(aiSystemId)}/kpis/${encodeURIComponent(metric)}`, query));
