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
 *   month from January 2013 to March 2014, recorded as if monitoring had run at the end of each
 *   half month, so that the KPI series has 30 points for its control charts. Each replayed run
 *   states its window in its report. The replay stops at March 2014 because ProPublica's sample
 *   keeps a defendant screened later only when they reoffended, so later windows have almost no
 *   actual negatives.
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
  const replay = scan.windows.map((window) => {
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
  /** When monitoring at the window's end would have run: 06:00 UTC on the day after it. */
  readonly finishedAt: string;
  readonly groups: readonly GroupConfusion[];
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
        ...windowBounds(from),
        groups: [...races.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([race, list]) => ({ key: [race], counts: sumCounts(list) })),
      }));
    return { counts, windows };
  } finally {
    await engine.close();
  }
}

/** The last day of a half-month window starting on `from` (the 1st or the 16th), and when its monitoring would have run. */
function windowBounds(from: string): { from: string; to: string; finishedAt: string } {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  const lastDay = day === 1 ? 15 : new Date(Date.UTC(year, month, 0)).getUTCDate();
  const to = `${from.slice(0, 8)}${String(lastDay).padStart(2, '0')}`;
  const finishedAt = new Date(Date.UTC(year, month - 1, lastDay + 1, 6, 0, 0)).toISOString();
  return { from, to, finishedAt };
}

/**
 * One replayed run: the fairness measurement of the defendants screened in a half month, judged
 * with the gate's false positive rate check.
 */
function replayedWindowRun(gate: RecordMeasurementRun, evaluationFile: RecordMeasurementRun['files'][number], window: WindowCounts, measurement: FairnessMeasurement): RecordMeasurementRun {
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
          replay: `Replayed by the demo: the rows of ${path.basename(compasDataFile)} whose compas_screening_date is from ${period}, as monitoring at the end of that half month would have measured them.`,
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
