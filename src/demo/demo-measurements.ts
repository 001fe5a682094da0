import path from 'node:path';
import type { Caller } from '../platform/auth/caller.js';
import type { Db } from '../platform/database/connection.js';
import type { ConfusionCounts, GroupConfusion } from '../measurement/core/aggregates.js';
import { sumCounts } from '../measurement/core/fairness.js';
import type { FairnessCounts, FairnessMeasurement, FairnessMeasurementOptions } from '../measurement/engine/fairness-measurement.js';
import type { RecordMeasurementRun } from '../measurement/measurement.schemas.js';
import { insertMeasurementRun } from '../measurement/measurements.service.js';
import { readPolicyFile } from '../measurement/policy/parse-policy.js';
import { defaultMonitoring } from '../measurement/policy/policy.js';
import { judgeCheck, type CheckOutcome, type RunOutcome } from '../measurement/reports/run-outcome.js';
import { checkRunInput } from '../measurement/run-input.js';
import { custosVersion } from '../platform/version.js';

/**
 * The demo's measurement runs of the COMPAS system, so that each view of the web app shows real
 * figures to a new user:
 * - the fairness gate: ProPublica's error-rate comparison (`compas/fairness-policy.yaml`);
 * - the calibration of the decile score (`compas/calibration-policy.yaml`);
 * - input drift between ProPublica's violence sample and the general sample (`compas/drift-policy.yaml`);
 * - a replay of monitoring: the false positive rates of the defendants screened in each half
 *   month from January 2013 to March 2014, so that the KPI series has 30 points for its control
 *   charts. The replay stops at March 2014 because ProPublica's sample keeps a defendant
 *   screened later only when they reoffended, so later windows have almost no actual negatives.
 *   The replayed runs stand for the monitoring of the half months before the demo loads, and
 *   are dated so: on a time axis the series then leads up to the gate run, instead of lying
 *   years before it. Each replayed run states its screening window and its monitoring window in its
 *   report.
 */

const policyFiles = ['compas/fairness-policy.yaml', 'compas/calibration-policy.yaml', 'compas/drift-policy.yaml'] as const;
const compasDataFile = 'compas/compas-scores-two-years.csv';
const replayedGroups = ['African-American', 'Caucasian'] as const;
/** The last screening day replayed; see above. */
const lastReplayedDay = '2014-03-31';

/** Runs, in the order they are recorded: the replayed windows first, oldest first, then the policy runs. */
export type DemoMeasurementRuns = readonly RecordMeasurementRun[];

/**
 * Runs the demo's policies and the replay over the example files, before the demo's
 * write transaction starts, so that the DuckDB scans do not hold the write lock. The four scans
 * run side by side, each on one thread with a small memory limit, because a server starting up
 * should not compete with itself for long.
 */
export async function prepareDemoMeasurement(examplesDirectory: string): Promise<DemoMeasurementRuns> {
  // Loaded here, not at the top, so that commands which never load the demo skip DuckDB's native module.
  const { runPolicy } = await import('../measurement/engine/run-policy.js');
  const engineOptions = { threads: 1, memoryLimit: '256MB' };
  const policyRuns = Promise.all(
    policyFiles.map(async (file) => {
      const contents = readPolicyFile(path.join(examplesDirectory, file));
      const run = await runPolicy(contents.policy, contents.policy.aiSystem, engineOptions);
      return checkRunInput(contents, run.outcome, run.files);
    }),
  );
  const [runs, scan] = await Promise.all([policyRuns, countWindows(path.join(examplesDirectory, compasDataFile), engineOptions)]);
  const { summarizeFairness } = await import('../measurement/engine/fairness-measurement.js');
  const gate = runs[0]!;
  const evaluationFile = gate.files.find((file) => file.role === 'evaluation')!;
  const monitoringWindowOf = monitoringWindowShift(scan.windows, new Date(gate.outcome.startedAt));
  const replay = scan.windows.map((screening) => {
    const window = { ...screening, ...monitoringWindowOf(screening.from) };
    const counts: FairnessCounts = {
      ...scan.counts,
      file: path.basename(compasDataFile),
      grouped: { attributes: replayOptions.sensitive, groups: window.groups },
      overall: sumCounts(window.groups.map((group) => group.counts)),
    };
    return replayedWindowRun(gate, evaluationFile, window, summarizeFairness(counts, replayOptions));
  });
  return [...replay, ...runs];
}

/** Records the prepared runs in order; the AI system, model version and dataset version they name must exist in `trx`. */
export async function insertDemoMeasurement(trx: Db, caller: Caller, now: Date, runs: DemoMeasurementRuns): Promise<void> {
  for (const run of runs) await insertMeasurementRun(trx, caller, now, run);
}

interface WindowCounts {
  /** First and last screening day of the window, YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  readonly groups: readonly GroupConfusion[];
}

/** A screening window with the monitoring window that the demo records it as. */
interface ReplayedWindow extends WindowCounts {
  /** First and last day of the monitoring window, YYYY-MM-DD. */
  readonly monitoredFrom: string;
  readonly monitoredTo: string;
  /** When monitoring at the end of the monitoring window would have run: 06:00 UTC on the day after it. */
  readonly finishedAt: string;
}

const replayOptions: FairnessMeasurementOptions = {
  label: { column: 'two_year_recid', positive: [1] },
  prediction: { column: 'score_text', positive: ['Medium', 'High'] },
  sensitive: ['race'],
};

/**
 * Counts the confusion cells per screening day and race in one scan of the COMPAS file, and adds
 * the days up into half months: the 1st to the 15th, and the 16th to the month's end.
 */
async function countWindows(file: string, engineOptions: { threads: number; memoryLimit: string }): Promise<{ counts: FairnessCounts; windows: WindowCounts[] }> {
  const { DataEngine, openDataSet } = await import('../measurement/data/index.js');
  const { countFairness } = await import('../measurement/engine/fairness-measurement.js');
  const engine = await DataEngine.create(engineOptions);
  try {
    const dataSet = await openDataSet(engine, { path: file, format: 'csv' });
    const counts = await countFairness(engine, dataSet, { ...replayOptions, sensitive: ['compas_screening_date', ...replayOptions.sensitive] });
    const byWindow = new Map<string, Map<string, ConfusionCounts[]>>();
    for (const group of counts.grouped.groups) {
      const [day, race] = group.key;
      // The file has no missing screening date or race; a missing one would not belong to a window.
      if (day === null || day === undefined || race === null || race === undefined || day > lastReplayedDay) continue;
      const start = `${day.slice(0, 8)}${Number(day.slice(8, 10)) <= 15 ? '01' : '16'}`;
      const races = byWindow.get(start) ?? new Map<string, ConfusionCounts[]>();
      races.set(race, [...(races.get(race) ?? []), group.counts]);
      byWindow.set(start, races);
    }
    const windows = [...byWindow.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, races]) => ({
        from,
        to: windowBounds(halfMonthIndex(from)).to,
        groups: [...races.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([race, list]) => ({ key: [race], counts: sumCounts(list) })),
      }));
    return { counts, windows };
  } finally {
    await engine.close();
  }
}

/** Hour of the day (UTC) at which a replayed monitoring run finishes, on the day after its window. */
const monitoringHour = 6;

/**
 * Numbers the half months in a row: 24 × year + 2 × (month − 1), plus 1 for the second half.
 * Takes a YYYY-MM-DD day or an instant, read in UTC.
 */
function halfMonthIndex(day: string | Date): number {
  const [year, month, date] =
    typeof day === 'string' ? (day.split('-').map(Number) as [number, number, number]) : [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  return year * 24 + (month - 1) * 2 + (date >= 16 ? 1 : 0);
}

/** Returns the first and last day of a numbered half month (the 1st to the 15th, or the 16th to the month's end), and when its monitoring would have run. */
function windowBounds(index: number): { from: string; to: string; finishedAt: string } {
  const year = Math.floor(index / 24);
  const month = Math.floor((index % 24) / 2) + 1;
  const firstDay = index % 2 === 0 ? 1 : 16;
  const lastDay = firstDay === 1 ? 15 : new Date(Date.UTC(year, month, 0)).getUTCDate();
  const prefix = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-`;
  return {
    from: `${prefix}${String(firstDay).padStart(2, '0')}`,
    to: `${prefix}${String(lastDay).padStart(2, '0')}`,
    finishedAt: new Date(Date.UTC(year, month - 1, lastDay + 1, monitoringHour, 0, 0)).toISOString(),
  };
}

/**
 * Moves the screening windows by whole half months so that the last one becomes the half month
 * whose monitoring run finished last before `anchor`. The windows keep their order and spacing.
 */
function monitoringWindowShift(windows: readonly WindowCounts[], anchor: Date): (from: string) => Omit<ReplayedWindow, keyof WindowCounts> {
  // The half month before the one that contains (anchor − monitoring hour) ran its monitoring at or before the anchor.
  const lastMonitored = halfMonthIndex(new Date(anchor.getTime() - monitoringHour * 3_600_000)) - 1;
  const lastScreened = windows.length === 0 ? lastMonitored : halfMonthIndex(windows.at(-1)!.from);
  const shift = lastMonitored - lastScreened;
  return (from) => {
    const bounds = windowBounds(halfMonthIndex(from) + shift);
    return { monitoredFrom: bounds.from, monitoredTo: bounds.to, finishedAt: bounds.finishedAt };
  };
}

/**
 * One replayed run: the fairness measurement of the defendants screened in a half month, judged
 * with the gate's false positive rate check.
 */
function replayedWindowRun(gate: RecordMeasurementRun, evaluationFile: RecordMeasurementRun['files'][number], window: ReplayedWindow, measurement: FairnessMeasurement): RecordMeasurementRun {
  const period = `${window.from} to ${window.to}`;
  const finishedAt = window.finishedAt;
  const check = {
    id: 'false-positive-rate',
    family: 'fairness',
    metric: 'false_positive_rate',
    parameters: {},
    threshold: { operator: '<=', value: 0.3 },
    severity: 'error',
  } as const;
  const outcomes: CheckOutcome[] = replayedGroups.map((race) => {
    const group = measurement.groups.find((candidate) => candidate.name === `race=${race}`);
    const value = group?.rates.falsePositiveRate?.value ?? { defined: false as const, reason: `no ${race} defendant was screened from ${period}`, warnings: [] };
    return judgeCheck(check, { group: `race=${race}` }, value);
  });
  const outcome: RunOutcome = {
    policyName: null,
    aiSystemName: gate.outcome.aiSystemName,
    startedAt: finishedAt,
    finishedAt,
    engineVersion: custosVersion,
    outcomes,
    results: {
      fairness: {
        [`race, defendants screened ${period}`]: {
          ...measurement,
          file: path.basename(compasDataFile),
          replay: `Replayed by the demo: the rows of ${path.basename(compasDataFile)} whose compas_screening_date is from ${period}, recorded as the monitoring of ${window.monitoredFrom} to ${window.monitoredTo}.`,
        },
      },
    },
  };
  return {
    aiSystem: gate.aiSystem,
    modelVersion: gate.modelVersion ?? null,
    kind: 'fairness',
    policy: null,
    monitoring: { charts: [...defaultMonitoring.charts], taskDueDays: defaultMonitoring.taskDueDays, baselineLength: defaultMonitoring.baselineLength },
    files: [evaluationFile],
    outcome: outcome as RecordMeasurementRun['outcome'],
  };
}
