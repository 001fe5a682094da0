import { describe, expect, it } from 'vitest';

import { sampleStandardNormal, Xoshiro128StarStar } from '../../../src/measurement/core/random.js';
import { materializeDataSet } from '../../../src/measurement/data/index.js';
import { measureDrift, type DriftMeasurement } from '../../../src/measurement/engine/drift-measurement.js';
import { columnOf, open, useDataEngine, useFixtureFolder } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

/**
 * Rows of a file with every kind of column that the in-place scan handles on its own path:
 * continuous values with infinite, NaN and missing ones, whole numbers, a column with at most 5
 * distinct values and a date column. The categorical column has more than 100 categories (so some
 * share "(other)"), missing values and categories on one side only.
 */
function rows(seed: number, count: number, current: boolean): string[] {
  const random = new Xoshiro128StarStar(seed);
  const lines = ['x,age,level,city,day'];
  for (let index = 0; index < count; index++) {
    const normal = sampleStandardNormal(random) + (current ? 0.6 : 0);
    let x = String(normal);
    if (index % 997 === 0) x = 'inf';
    else if (index % 991 === 0) x = '-inf';
    else if (index % 983 === 0) x = 'nan';
    else if (index % 101 === 0) x = '';
    const age = 18 + Math.floor(random.nextDouble() * (current ? 80 : 70));
    const level = 1 + Math.floor(random.nextDouble() * (current ? 4 : 3));
    const city = index % 50 === 0 ? '' : `city${Math.floor(Math.pow(random.nextDouble(), 2) * 150) + (current ? 20 : 0)}`;
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random.nextDouble() * 365) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${x},${age},${level},${city},${day}`);
  }
  return lines;
}

/** The parts of a report that must not depend on whether the current file was loaded first. */
function comparable(measurement: DriftMeasurement): unknown {
  return {
    rows: [measurement.reference.rows, measurement.current.rows],
    datasetDrift: measurement.datasetDrift,
    columns: measurement.columns.map((column) => ({
      ...column,
      // Above 1,000 distinct values both paths estimate with HyperLogLog, each in its own way.
      distinctCount: column.distinctCount !== null && column.distinctCount > 1000 ? 'estimate' : column.distinctCount,
      reason: column.reason.replace(/about \d+ distinct values \(estimated\)/, 'about N distinct values (estimated)'),
    })),
  };
}

describe('measureDrift reading the current file in place', () => {
  it('equals the report on a loaded file', async () => {
    const referenceFile = writeCsv('streamed-reference.csv', rows(1, 6000, false));
    const currentFile = writeCsv('streamed-current.csv', rows(2, 5000, true));
    // DuckDB's type detection reads a column with "nan" in it as text, so the type is declared.
    const typed = (path: string) => open(engine(), { path, csv: { columnTypes: { x: 'DOUBLE' } } });
    const reference = await typed(referenceFile);

    const inPlace = await measureDrift(engine(), reference, await typed(currentFile));
    const loadedCurrent = await materializeDataSet(engine(), await typed(currentFile));
    const loaded = await measureDrift(engine(), reference, loadedCurrent);

    expect(comparable(inPlace)).toEqual(comparable(loaded));
    expect(inPlace.current.rows).toBe(5000);
    expect(columnOf(inPlace, 'x').drifted).toBe(true);
    expect(columnOf(inPlace, 'x').excluded?.current).toEqual({ missing: 49, positiveInfinity: 6, negativeInfinity: 5, notANumber: 5 });
    expect(columnOf(inPlace, 'city').distributions?.labels).toContain('(other)');
  });

  it('tests few large values as categories', async () => {
    const reference = await open(engine(), writeCsv('few-reference.csv', rows(3, 3000, false)));
    const current = await open(engine(), writeCsv('few-current.csv', rows(4, 3000, true)));
    const measurement = await measureDrift(engine(), reference, current);
    const level = columnOf(measurement, 'level');

    expect(level.test).toBe('jensen-shannon');
    expect(level.distinctCount).toBe(4);
    expect([...(level.distributions?.labels ?? [])].sort()).toEqual(['1', '2', '3', '4']);
    expect(level.drifted).toBe(true);
  });

  it('gives the same bin edges on every run', async () => {
    // Beyond 100,000 reference rows the edges come from a sample, which must not change between runs.
    const random = new Xoshiro128StarStar(5);
    const lines = ['x'];
    for (let index = 0; index < 250_000; index++) lines.push(String(sampleStandardNormal(random)));
    const referenceFile = writeCsv('sampled-reference.csv', lines);
    const current = ['x'];
    for (let index = 0; index < 2000; index++) current.push(String(sampleStandardNormal(random) + 0.5));
    const currentFile = writeCsv('sampled-current.csv', current);

    const labels: (readonly string[] | undefined)[] = [];
    for (let run = 0; run < 3; run++) {
      const measurement = await measureDrift(engine(), await open(engine(), referenceFile), await open(engine(), currentFile));
      labels.push(columnOf(measurement, 'x').distributions?.labels);
    }

    expect(labels[0]).toHaveLength(12);
    expect(labels[1]).toEqual(labels[0]);
    expect(labels[2]).toEqual(labels[0]);
  });
});
