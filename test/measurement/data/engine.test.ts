import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { DataEngine, groupedConfusionCounts, openDataSet, type ScanProgress } from '../../../src/measurement/data/index.js';
import { SqlParameters } from '../../../src/measurement/data/sql-text.js';

const scratch = mkdtempSync(join(tmpdir(), 'custos-engine-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('DataEngine', () => {
  it('applies the thread count and memory limit it is given', async () => {
    const engine = await DataEngine.create({ threads: 1, memoryLimit: '256MB' });
    try {
      const [row] = await engine.rows('settings', "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit", new SqlParameters(), []);
      expect(Number(row?.['threads'])).toBe(1);
      expect(String(row?.['memory_limit'])).toMatch(/^2\d\d\.\d MiB$/);
      expect(engine.threads).toBe(1);
      expect(engine.memoryLimit).toBe('256MB');
    } finally {
      engine.close();
    }
  });

  it('spills to its own folder and removes it on close', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('custos-duckdb-')));
    const engine = await DataEngine.create({ threads: 1 });
    const created = readdirSync(tmpdir()).filter((name) => name.startsWith('custos-duckdb-') && !before.has(name));
    expect(created).toHaveLength(1);
    const [row] = await engine.rows('settings', "SELECT current_setting('temp_directory') AS folder", new SqlParameters(), []);
    expect(String(row?.['folder'])).toBe(join(tmpdir(), created[0] as string));
    engine.close();
    expect(existsSync(join(tmpdir(), created[0] as string))).toBe(false);
  });

  it('rejects queries after close', async () => {
    const engine = await DataEngine.create({ threads: 1 });
    engine.close();
    await expect(engine.rows('late', 'SELECT 1', new SqlParameters(), [])).rejects.toThrow('The data engine is closed');
  });

  it('reports progress of a long scan', async () => {
    const path = join(scratch, 'many-rows.csv');
    const setup = await DataEngine.create({ threads: 2 });
    const parameters = new SqlParameters();
    await setup.run(
      'generate',
      `COPY (SELECT range % 7 AS grp, range % 2 AS label, (range % 3 = 0)::INTEGER AS prediction FROM range(3000000)) TO ${parameters.bind(path)} (HEADER)`,
      parameters,
      [],
    );
    setup.close();

    const reports: ScanProgress[] = [];
    const engine = await DataEngine.create({ threads: 2, onProgress: (progress) => reports.push(progress), progressIntervalMs: 5 });
    try {
      const dataSet = await openDataSet(engine, { path });
      const result = await groupedConfusionCounts(engine, dataSet, {
        label: { column: 'label', positive: [1] },
        prediction: { column: 'prediction', positive: [1] },
        sensitive: ['grp'],
      });
      expect(result.grouped.groups).toHaveLength(7);
    } finally {
      engine.close();
    }
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((report) => report.task === `confusion counts of ${path}` && report.percentage > 0 && report.percentage <= 100)).toBe(true);
    expect(reports.every((report, index) => index === 0 || report.percentage >= (reports[index - 1] as ScanProgress).percentage)).toBe(true);
  });
});
