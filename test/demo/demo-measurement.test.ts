import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/demo/load-demo.js';
import { getKpiReport, getMeasurementRun, listMeasurementRuns } from '../../src/measurement/measurements.service.js';
import { callerWith, testContext } from '../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.js';

const auditor = callerWith(['internal_auditor']);

describe.each(databaseKinds)('demo COMPAS measurement on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ReturnType<typeof testContext>;
  let compasId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    expect(await loadDemoIfEmpty(ctx)).toEqual({ aiSystems: 391 });
    const row = await database.db.selectFrom('ai_systems').select('id').where('name', '=', 'COMPAS recidivism risk assessment').executeTakeFirstOrThrow();
    compasId = row.id;
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  const gateRun = async () => {
    const runs = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'check', limit: 500 });
    return runs.items.find((run) => run.policyName === 'COMPAS fairness gate')!;
  };

  it('records the three policy runs and thirty replayed half months', async () => {
    const checks = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'check' });
    expect(checks.items.map((run) => run.policyName).sort()).toEqual(['COMPAS decile calibration', 'COMPAS fairness gate', 'COMPAS input drift, violence sample against the general sample']);
    const replayed = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'fairness', sort: 'finishedAt', limit: 100 });
    expect(replayed.total).toBe(30);
  });

  it('dates the replay as the half months before the gate', async () => {
    const gate = await gateRun();
    const replayed = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'fairness', sort: 'finishedAt', limit: 100 });
    const times = replayed.items.map((run) => new Date(run.finishedAt));
    for (const time of times) {
      expect(time.getUTCHours()).toBe(6);
      expect([1, 16]).toContain(time.getUTCDate());
    }
    // Consecutive half months: each run is 13 to 16 days after the one before.
    for (let index = 1; index < times.length; index += 1) {
      const days = (times[index]!.getTime() - times[index - 1]!.getTime()) / 86_400_000;
      expect(days, `run ${index}`).toBeGreaterThanOrEqual(13);
      expect(days, `run ${index}`).toBeLessThanOrEqual(16);
    }
    // The last replayed monitoring run finished before the gate started, less than a half month earlier.
    const lastGap = Date.parse(gate.startedAt) - times.at(-1)!.getTime();
    expect(lastGap).toBeGreaterThanOrEqual(0);
    expect(lastGap).toBeLessThan(16 * 86_400_000);
  });

  it('states the screening window of each replay', async () => {
    const replayed = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'fairness', sort: 'finishedAt', limit: 100 });
    const first = await getMeasurementRun(ctx, auditor, replayed.items[0]!.id);
    const last = await getMeasurementRun(ctx, auditor, replayed.items[29]!.id);
    const keys = (run: typeof first) => Object.keys((run.report as { results: { fairness: Record<string, unknown> } }).results.fairness);
    expect(keys(first)).toEqual(['race, defendants screened 2013-01-01 to 2013-01-15']);
    expect(keys(last)).toEqual(['race, defendants screened 2014-03-16 to 2014-03-31']);
    const monitored = new Date(replayed.items[29]!.finishedAt);
    monitored.setUTCDate(monitored.getUTCDate() - 1);
    const note = (Object.values((last.report as { results: { fairness: Record<string, { replay: string }> } }).results.fairness)[0]!).replay;
    expect(note).toMatch(new RegExp(`recorded as the monitoring of \\d{4}-\\d{2}-(01|16) to ${monitored.toISOString().slice(0, 10)}\\.$`));
  });

  it('records the fairness gate as a failed run', async () => {
    const run = await gateRun();
    expect(run.policyName).toBe('COMPAS fairness gate');
    expect(run.result).toBe('failed');
    expect(run.modelVersionId).not.toBeNull();
    expect(run.files).toHaveLength(1);
    expect(run.files[0]!.rowCount).toBe(7214);
  });

  it('stores the ProPublica false positive rates', async () => {
    const summary = await gateRun();
    const run = await getMeasurementRun(ctx, auditor, summary.id);
    const rate = (group: string) => run.values.find((value) => value.checkId === 'false-positive-rate' && value.group === `race=${group}`);
    expect(rate('African-American')?.value).toBeCloseTo(805 / (805 + 990), 12);
    expect(rate('African-American')?.result).toBe('failed');
    expect(rate('Caucasian')?.value).toBeCloseTo(349 / (349 + 1139), 12);
    expect(rate('Caucasian')?.result).toBe('passed');
  });

  it('links the registered dataset version by fingerprint', async () => {
    const summary = await gateRun();
    const version = await database.db.selectFrom('dataset_versions').select(['id', 'sha256']).where('version_label', '=', 'propublica-bafff5d').executeTakeFirstOrThrow();
    expect(summary.files[0]!.sha256).toBe(version.sha256);
    expect(summary.files[0]!.datasetVersionId).toBe(version.id);
  });

  it('adds the replayed half months up to the gate over the whole file', async () => {
    const replayed = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'fairness', sort: 'finishedAt', limit: 100 });
    let negatives = 0;
    let falsePositives = 0;
    for (const summary of replayed.items) {
      const run = await getMeasurementRun(ctx, auditor, summary.id);
      const [measurement] = Object.values((run.report as { results: { fairness: Record<string, { groups: { name: string; counts: { falsePositives: number; trueNegatives: number } }[] }> } }).results.fairness);
      const group = measurement!.groups.find((candidate) => candidate.name === 'race=African-American')!;
      negatives += group.counts.falsePositives + group.counts.trueNegatives;
      falsePositives += group.counts.falsePositives;
      const stored = run.values.find((value) => value.group === 'race=African-American')!;
      expect(stored.value).toBeCloseTo(group.counts.falsePositives / (group.counts.falsePositives + group.counts.trueNegatives), 12);
    }
    // The sample keeps a defendant screened after March 2014 almost only when they reoffended:
    // of the 1,795 African-American actual negatives, one true negative was screened later.
    expect(falsePositives).toBe(805);
    expect(negatives).toBe(805 + 990 - 1);
  });

  it('charts the replayed rate series', async () => {
    const report = await getKpiReport(ctx, auditor, compasId, 'false_positive_rate', { group: 'race=African-American' });
    expect(report.series).toHaveLength(1);
    const [series] = report.series;
    // 30 replayed half months and the gate over the whole file.
    expect(series!.points).toHaveLength(31);
    expect(series!.charts['shewhart']).toMatchObject({ defined: true });
  });

  it('records calibration and drift runs', async () => {
    const checks = await listMeasurementRuns(ctx, auditor, compasId, { kind: 'check' });
    const calibration = await getMeasurementRun(ctx, auditor, checks.items.find((run) => run.policyName === 'COMPAS decile calibration')!.id);
    const ece = calibration.values.find((value) => value.metric === 'expected_calibration_error')!;
    // The lowest decile read as 0.05 contains defendants of whom 21 % reoffended, so the reading is far off.
    expect(ece.value).toBeGreaterThan(0.1);
    expect(ece.result).toBe('failed');
    const drift = await getMeasurementRun(ctx, auditor, checks.items.find((run) => run.policyName!.startsWith('COMPAS input drift'))!.id);
    expect(drift.result).toBe('passed');
    expect(drift.files.map((file) => file.role).sort()).toEqual(['current', 'reference']);
    expect(drift.values.filter((value) => value.metric === 'jensen_shannon')).toHaveLength(10);
  });
});
