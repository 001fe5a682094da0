import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../src/measurement/core/measured.js';
import { getKpiReport, getMeasurementRun, insertMeasurementRun, listMeasurementRuns, recordMeasurementRun } from '../../../src/measurement/measurements.service.js';
import { closeMonitoringTask, listMonitoringTasks } from '../../../src/measurement/monitoring-tasks.service.js';
import { readPolicyFile } from '../../../src/measurement/policy/parse-policy.js';
import type { MonitoringSettings } from '../../../src/measurement/policy/policy.js';
import { judgeCheck } from '../../../src/measurement/reports/run-outcome.js';
import { checkRunInput } from '../../../src/measurement/run-input.js';
import { verifyAuditChain } from '../../../src/platform/audit/verify.js';
import type { ServiceContext } from '../../../src/platform/context.js';
import { writeTransaction } from '../../../src/platform/database/transaction.js';
import { callerWith, testContext } from '../../support/context.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { administrator, countStoredRows, engineer, outcomeOf, registerSystem, runInput, runOutcome, typicalOutcomes, type RegisteredSystem } from './fixtures.js';

const shewhartOnly: MonitoringSettings = { charts: ['shewhart'], taskDueDays: 7, baselineLength: 5 };
/** False positive rates of five stable runs: mean 0.412, sigma from the moving ranges 0.0177. */
const stableRates = [0.4, 0.42, 0.41, 0.43, 0.4];

describe.each(databaseKinds)('measurement runs on %s', (kind) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let system: RegisteredSystem;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    ctx = testContext(database);
    system = await registerSystem(ctx);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('records a run with files, values and audit event', async () => {
    const outcome = runOutcome([...typicalOutcomes(0.4485), outcomeOf('kl-age', 'kl', defined(Number.POSITIVE_INFINITY), { column: 'age', threshold: { operator: '<', value: 1 } })], '2026-02-01T09:00:00.000Z');
    const run = await recordMeasurementRun(ctx, engineer, runInput(system, outcome));

    expect(run.aiSystemId).toBe(system.aiSystemId);
    expect(run.modelVersionId).not.toBeNull();
    expect(run.result).toBe('failed');
    expect(run.counts).toEqual({ outcomes: 5, passed: 2, failed: 2, undefined: 1 });
    expect(run.runBy).toBe(engineer.userId);
    expect(run.files).toHaveLength(1);
    expect(run.files[0]).toMatchObject({ role: 'evaluation', sha256: system.datasetSha256, rowCount: 2 });
    expect(run.files[0]!.datasetVersionId).not.toBeNull();
    expect(run.values.map((value) => [value.checkId, value.group, value.column, value.value, value.result])).toEqual([
      ['fpr', 'race=African-American', null, 0.4485, 'failed'],
      ['fpr', 'race=Caucasian', null, 0.2345, 'passed'],
      ['fpr', 'race=Other', null, null, 'undefined'],
      ['psi-age', null, 'age', 0.05, 'passed'],
      ['kl-age', null, 'age', 'Infinity', 'failed'],
    ]);
    expect(run.values[2]!.undefinedReason).toBe('the group has no actual negatives');
    expect(run.values[3]!.parameters).toEqual({ bins: 10, binning: 'quantile', maxCategories: 100 });

    const stored = await database.db.selectFrom('measurement_runs').select(['result_json', 'result_sha256']).where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(createHash('sha256').update(stored.result_json).digest('hex')).toBe(stored.result_sha256);
    expect((run.report as { outcomes: { value: { value?: unknown } }[] }).outcomes[4]!.value.value).toBe('Infinity');

    const event = await database.db.selectFrom('audit_events').selectAll().where('record_id', '=', run.id).executeTakeFirstOrThrow();
    expect(event.action).toBe('measurement_run.recorded');
    expect(JSON.parse(event.after_json!)).toMatchObject({ id: run.id, resultSha256: stored.result_sha256, files: [{ sha256: system.datasetSha256 }] });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('records a policy run built from its file', async () => {
    const policyFile = path.join(path.dirname(system.datasetFile), 'gate.yaml');
    fs.writeFileSync(
      policyFile,
      `policyFormat: 1
name: Fairness gate
aiSystem: ${system.aiSystemName}
modelVersion: { model: ${system.modelName}, version: ${system.modelVersionLabel} }
monitoring: { charts: [cusum], taskDueDays: 3 }
data:
  evaluation:
    file: ./scores.csv
    dataset: { dataset: ${system.datasetName}, version: "${system.datasetVersionLabel}" }
    task: binary_classification
    label: { column: two_year_recid, positive: 1 }
    prediction: { column: score_text, positive: [Medium, High] }
    sensitive: [race]
checks:
  - id: fpr
    metric: false_positive_rate
    threshold: { operator: "<=", value: 0.3 }
`,
    );
    const contents = readPolicyFile(policyFile);
    const [check] = contents.policy.checks;
    const outcomes = [judgeCheck(check!, { group: 'race=Caucasian' }, defined(0.2345)), judgeCheck(check!, { group: 'race=African-American' }, defined(0.4485))];
    const input = checkRunInput(contents, runOutcome(outcomes, '2026-01-20T09:00:00.000Z'), [{ role: 'evaluation', sha256: system.datasetSha256, sizeBytes: system.datasetSize, rowCount: 2 }]);

    expect(input.monitoring).toEqual({ charts: ['cusum'], taskDueDays: 3, baselineLength: 20 });
    const run = await recordMeasurementRun(ctx, engineer, input);
    expect(run.policySha256).toBe(contents.sha256);
    expect(run.policyText).toBe(contents.text);
    expect(run.files).toEqual([expect.objectContaining({ fileName: 'scores.csv', format: 'csv', datasetVersionId: expect.any(String) })]);
    expect(run.values.map((value) => [value.group, value.result])).toEqual([
      ['race=Caucasian', 'passed'],
      ['race=African-American', 'failed'],
    ]);
  });

  it('stores long group names and parameter lists', async () => {
    const longGroup = `race=${'x'.repeat(3_990)}`;
    const allowed = Array.from({ length: 2_000 }, (_, index) => `category-${index}`);
    const outcomes = [
      outcomeOf('fpr', 'false_positive_rate', defined(0.2), { group: longGroup }),
      outcomeOf('domain', 'domain_violations', defined(0), { column: 'c'.repeat(1_000), threshold: { operator: '<=', value: 0 }, parameters: { allowed, measure: 'count' } }),
    ];
    const run = await recordMeasurementRun(ctx, engineer, runInput(system, runOutcome(outcomes, '2026-01-10T09:00:00.000Z')));

    expect(run.values.map((value) => value.group?.length ?? value.column?.length)).toEqual([3_995, 1_000]);
    expect((run.values[1]!.parameters.allowed as string[]).length).toBe(2_000);
    const report = await getKpiReport(ctx, engineer, system.aiSystemId, 'false_positive_rate', { group: longGroup });
    expect(report.series.map((series) => series.points.length)).toEqual([1]);
  });

  it('stores nothing when values repeat a check, column and group', async () => {
    const before = await countStoredRows(database.db);
    const outcomes = [...typicalOutcomes(0.41), outcomeOf('fpr', 'false_positive_rate', defined(0.5), { group: 'race=Caucasian' })];
    const recording = recordMeasurementRun(ctx, engineer, runInput(system, runOutcome(outcomes, '2026-02-02T09:00:00.000Z')));

    await expect(recording).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '/outcome/outcomes/4', message: 'repeats check fpr for the same column and group as /outcome/outcomes/1; each check has one value per column and group' }],
    });
    expect(await countStoredRows(database.db)).toEqual(before);
  });

  it('stores nothing when the transaction fails after the run', async () => {
    // Five stable runs and a spike, so that recording the spike also opens a task before the failure.
    const isolated = await registerSystem(ctx, 'Failing transaction system');
    for (const [index, rate] of stableRates.entries()) {
      await recordMeasurementRun(ctx, engineer, runInput(isolated, runOutcome(typicalOutcomes(rate), `2026-03-0${index + 1}T09:00:00.000Z`, 'Fairness gate', isolated.aiSystemName), shewhartOnly));
    }
    const before = await countStoredRows(database.db);

    const failing = writeTransaction(database, async (trx) => {
      const run = await insertMeasurementRun(trx, engineer, ctx.clock.now(), runInput(isolated, runOutcome(typicalOutcomes(0.6), '2026-03-09T09:00:00.000Z', 'Fairness gate', isolated.aiSystemName), shewhartOnly));
      expect(await trx.selectFrom('monitoring_tasks').select('id').where('run_id', '=', run.id).execute()).toHaveLength(1);
      throw new Error('the disk is full');
    });

    await expect(failing).rejects.toThrow('the disk is full');
    expect(await countStoredRows(database.db)).toEqual(before);
  });

  it('rejects a file whose fingerprint differs from its dataset version', async () => {
    const before = await countStoredRows(database.db);
    const input = runInput(system, runOutcome(typicalOutcomes(0.4), '2026-02-03T09:00:00.000Z'));
    const changed = { ...input, files: [{ ...input.files[0]!, sha256: 'a'.repeat(64) }] };

    await expect(recordMeasurementRun(ctx, engineer, changed)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          path: '/files/0/sha256',
          message: `the file "scores.csv" has SHA-256 ${'a'.repeat(64)}, but version "2016" of "${system.datasetName}" was registered with ${system.datasetSha256}; measure the registered file, or register this file as a new version`,
        },
      ],
    });
    expect(await countStoredRows(database.db)).toEqual(before);
  });

  it('lists every unresolved reference at once', async () => {
    const input = runInput(system, runOutcome(typicalOutcomes(0.4), '2026-02-03T09:00:00.000Z'));
    const unresolved = { ...input, aiSystem: 'No such system', modelVersion: { model: system.modelName, version: 'v9' } };

    await expect(recordMeasurementRun(ctx, engineer, unresolved)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        { path: '/aiSystem', message: 'no AI system has the id or name "No such system"; register it first or correct the name' },
        { path: '/modelVersion/version', message: `the model "${system.modelName}" has no version with the id or label "v9"; add the version first or correct the label` },
      ],
    });
  });

  it('rejects a value that is not a number', async () => {
    const outcomes = typicalOutcomes(0.4);
    const broken = [{ ...outcomes[0]!, value: { defined: true as const, value: Number.NaN, warnings: [] } }, ...outcomes.slice(1)];

    await expect(recordMeasurementRun(ctx, engineer, runInput(system, runOutcome(broken, '2026-02-04T09:00:00.000Z')))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '/outcome/outcomes/0/value/value', message: 'must be a number; a value that cannot be computed is { defined: false, reason } (received null)' }],
    });
  });

  it('rejects recording by the internal auditor', async () => {
    const auditor = callerWith(['internal_auditor'], 'auditor');
    await expect(recordMeasurementRun(ctx, auditor, runInput(system, runOutcome(typicalOutcomes(0.4), '2026-02-05T09:00:00.000Z')))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists runs newest first with filters and pages', async () => {
    // Three runs are stored: 2026-02-01 (every check), 2026-01-20 (the policy run) and 2026-01-10 (long texts, passed).
    const page = await listMeasurementRuns(ctx, engineer, system.aiSystemId, { limit: 1, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.items[0]!.startedAt).toBe('2026-02-01T09:00:00.000Z');
    const second = await listMeasurementRuns(ctx, engineer, system.aiSystemId, { limit: 1, offset: 1 });
    expect(second.items[0]!.startedAt).toBe('2026-01-20T09:00:00.000Z');
    expect((await listMeasurementRuns(ctx, engineer, system.aiSystemId, { sort: 'finishedAt' })).items[0]!.startedAt).toBe('2026-01-10T09:00:00.000Z');
    expect((await listMeasurementRuns(ctx, engineer, system.aiSystemId, { result: 'passed' })).total).toBe(1);
    expect((await listMeasurementRuns(ctx, engineer, system.aiSystemId, { kind: 'check', result: 'failed' })).total).toBe(2);
    expect((await listMeasurementRuns(ctx, engineer, system.aiSystemId, { finishedFrom: '2026-02-01T10:00:00+01:00' })).total).toBe(1);
    expect((await listMeasurementRuns(ctx, engineer, system.aiSystemId, { finishedBefore: '2026-02-01T09:00:00.000Z' })).total).toBe(2);
    await expect(listMeasurementRuns(ctx, engineer, 'no-such-system', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('opens exactly one task when a KPI breaches', async () => {
    const watched = await registerSystem(ctx, 'Watched system');
    const record = (rate: number, day: number) =>
      recordMeasurementRun(ctx, engineer, runInput(watched, runOutcome(typicalOutcomes(rate), `2026-04-${String(day).padStart(2, '0')}T09:00:00.000Z`, 'Fairness gate', watched.aiSystemName), shewhartOnly));
    const tasksOf = async () => (await listMonitoringTasks(ctx, engineer, { aiSystemId: watched.aiSystemId })).items;

    for (const [index, rate] of stableRates.entries()) await record(rate, index + 1);
    expect(await tasksOf()).toEqual([]);

    const spike = await record(0.6, 6);
    const [task, ...others] = await tasksOf();
    expect(others).toEqual([]);
    expect(task).toMatchObject({
      aiSystemId: watched.aiSystemId,
      kind: 'review',
      status: 'open',
      metric: 'false_positive_rate',
      group: 'race=African-American',
      column: null,
      chart: 'shewhart',
      rule: 'beyond-3-sigma',
      runId: spike.id,
      assignedRole: 'ai_system_owner',
      ownerPersonId: watched.ownerId,
      overdue: false,
    });
    expect(task!.breach).toMatchObject({ value: 0.6, side: 'above', runId: spike.id });

    const report = await getKpiReport(ctx, engineer, watched.aiSystemId, 'false_positive_rate', { group: 'race=African-American', baselineLength: 5 });
    expect(report.series).toHaveLength(1);
    expect(report.series[0]!.points.map((point) => point.value)).toEqual([...stableRates, 0.6]);
    expect(report.series[0]!.breaches.filter((breach) => breach.chart === 'shewhart')).toEqual([
      { chart: 'shewhart', rule: 'beyond-3-sigma', runId: spike.id, measuredAt: spike.finishedAt, value: 0.6, side: 'above' },
    ]);

    // A second spike breaches beyond-3-sigma again, which is already open, and completes two of three beyond 2 sigma.
    await record(0.6, 7);
    const rules = (await tasksOf()).map((open) => open.rule).sort();
    expect(rules).toEqual(['beyond-3-sigma', 'two-of-three-beyond-2-sigma']);

    // Once the first task is closed, the next breach of its rule opens a new one. The third
    // spike also completes four of five beyond 1 sigma, while two of three stays open.
    const closed = await closeMonitoringTask(ctx, callerWith(['ai_system_owner'], 'owner'), task!.id, { resolution: 'Retrained on the 2026 data' });
    expect(closed).toMatchObject({ status: 'done', resolution: 'Retrained on the 2026 data', closedBy: 'user-owner', version: 2 });
    await record(0.62, 8);
    const open = (await listMonitoringTasks(ctx, engineer, { aiSystemId: watched.aiSystemId, status: 'open' })).items.map((item) => item.rule).sort();
    expect(open).toEqual(['beyond-3-sigma', 'four-of-five-beyond-1-sigma', 'two-of-three-beyond-2-sigma']);
    expect((await listMonitoringTasks(ctx, engineer, { aiSystemId: watched.aiSystemId, status: 'done' })).items.map((item) => item.id)).toEqual([task!.id]);

    const events = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('record_type', '=', 'monitoring_task')
      .where('record_id', 'in', (await tasksOf()).map((item) => item.id))
      .execute();
    expect(events.map((event) => event.action).sort()).toEqual(['monitoring_task.closed', ...Array(4).fill('monitoring_task.opened')]);
  });

  it('shows undefined points in the KPI series but charts only numbers', async () => {
    const report = await getKpiReport(ctx, administrator, system.aiSystemId, 'false_positive_rate', { group: 'race=Other' });
    expect(report.series).toHaveLength(1);
    expect(report.series[0]!.points).toEqual([expect.objectContaining({ value: null, undefinedReason: 'the group has no actual negatives', result: 'undefined' })]);
    expect(report.series[0]!.charts.shewhart).toMatchObject({ defined: false });
  });

  it('reads one run and rejects an unknown metric', async () => {
    const [first] = (await listMeasurementRuns(ctx, engineer, system.aiSystemId, {})).items;
    const run = await getMeasurementRun(ctx, callerWith(['internal_auditor']), first!.id);
    expect(run.policyText).toContain('policyFormat: 1');
    await expect(getMeasurementRun(ctx, engineer, 'no-such-run')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getKpiReport(ctx, engineer, system.aiSystemId, 'fpr', {})).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '/metric', message: 'is not a known metric; did you mean false_positive_rate? (received "fpr")' }],
    });
  });
});
