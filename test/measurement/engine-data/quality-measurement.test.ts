import { beforeAll, describe, expect, it } from 'vitest';

import type { DataSet } from '../../../src/measurement/data/index.js';
import { measureQuality, type QualityMeasurement } from '../../../src/measurement/engine/quality-measurement.js';
import type { ColumnQualityResult } from '../../../src/measurement/engine/quality-columns.js';
import { appErrorOf, open, qualityRows, reasonOf, useDataEngine, useFixtureFolder, valueOf } from './support.js';

const engine = useDataEngine();
const writeCsv = useFixtureFolder();

function columnOf(measurement: QualityMeasurement, name: string): ColumnQualityResult {
  const column = measurement.columns.find((candidate) => candidate.column === name);
  if (column === undefined) throw new Error(`no column ${name}`);
  return column;
}

describe('measureQuality', () => {
  let dataSet: DataSet;
  beforeAll(async () => {
    dataSet = await open(engine(), writeCsv('quality.csv', qualityRows));
  });

  it('measures every column without a schema', async () => {
    const measurement = await measureQuality(engine(), dataSet);
    expect(measurement.rowCount).toBe(10);
    expect(measurement.columns.map((column) => column.column)).toEqual(dataSet.columnNames());

    const age = columnOf(measurement, 'age');
    expect([age.missing, age.distinct]).toEqual([1, 8]);
    expect(valueOf(age.completeness)).toBe(0.9);
    expect(reasonOf(age.typeConformance)).toBe('the schema declares no type for the column');
    expect(reasonOf(age.rangeViolationShare)).toBe('the schema declares no minimum or maximum for the column');
    expect(age.rangeViolations).toBeNull();

    expect(columnOf(measurement, 'flag').constant).toEqual({ defined: true, value: true, warnings: [] });
    const tier = columnOf(measurement, 'tier');
    expect(valueOf(tier.mostFrequentShare)).toBe(0.9);
    expect(tier.almostConstant).toMatchObject({ defined: true, value: false });
    expect(measurement.duplicates.rows).toEqual({ rowCount: 10, duplicateRows: 1, duplicatedGroups: 1 });
    expect(valueOf(measurement.duplicates.assessment.duplicateRowShare)).toBe(0.1);
  });

  it('checks columns against a declared schema', async () => {
    const measurement = await measureQuality(engine(), dataSet, {
      columns: ['age', 'status', 'visits', 'tier'],
      schema: [
        { name: 'age', type: 'integer', minimum: 0, maximum: 120 },
        { name: 'status', type: 'string', allowedValues: ['active', 'inactive'] },
        { name: 'visits', type: 'integer' },
      ],
      thresholds: { minimumCompleteness: 0.95, maximumRangeViolationShare: 0.1, minimumTypeConformance: 0.95, almostConstantShare: 0.9, maximumDuplicateRowShare: 0 },
      keyColumns: ['id'],
    });

    const age = columnOf(measurement, 'age');
    expect([age.rangeViolations, age.typeViolations]).toEqual([2, 0]);
    expect(valueOf(age.rangeViolationShare)).toBeCloseTo(2 / 9, 15);
    expect(age.checks.map((check) => [check.check, check.passed])).toEqual([
      ['completeness', false],
      ['type-conformance', true],
      ['range-violation-share', false],
    ]);

    const status = columnOf(measurement, 'status');
    expect([status.domainViolations, status.domainViolationExample]).toEqual([1, 'unknown']);
    expect(valueOf(status.domainViolationShare)).toBe(0.1);

    const visits = columnOf(measurement, 'visits');
    expect([visits.dataType, visits.typeViolations, visits.typeViolationExample]).toEqual(['VARCHAR', 1, 'n/a']);
    expect(valueOf(visits.typeConformance)).toBe(0.9);
    expect(visits.checks.find((check) => check.check === 'type-conformance')?.passed).toBe(false);

    // Tier declares nothing, so only the thresholds that need no declaration apply to it.
    const tier = columnOf(measurement, 'tier');
    expect(tier.checks.map((check) => check.check)).toEqual(['completeness']);
    expect(tier.almostConstant).toMatchObject({ defined: true, value: true });

    expect(measurement.duplicates.keys).toMatchObject({ keyColumns: ['id'], rowCount: 10, missingKey: 0, duplicateRows: 1, example: ['7'], exampleCount: 2 });
    expect(measurement.duplicates.assessment.checks).toEqual([{ check: 'duplicate-row-share', value: { defined: true, value: 0.1, warnings: [] }, comparison: '<=', threshold: 0, passed: false }]);
  });

  it('measures agreement between annotators', async () => {
    const measurement = await measureQuality(engine(), dataSet, { columns: [], duplicateRows: false, annotators: { columns: ['a1', 'a2', 'a3'] } });
    const agreement = measurement.agreement;
    expect(agreement?.labels).toEqual(['cat', 'dog']);
    expect(agreement?.items).toBe(10);
    // a1 and a2 agree on 8 of 10 items; each says dog 6 times: (0.8 - 0.52) / (1 - 0.52).
    expect(agreement?.cohenKappa[0]).toMatchObject({ first: 'a1', second: 'a2', items: 10 });
    expect(valueOf(agreement?.cohenKappa[0]?.kappa)).toBeCloseTo(0.28 / 0.48, 14);
    expect(agreement?.cohenKappa.map((pair) => [pair.first, pair.second, pair.items])).toEqual([
      ['a1', 'a2', 10],
      ['a1', 'a3', 9],
      ['a2', 'a3', 9],
    ]);
    // From the coincidence matrix of Krippendorff's definition, computed apart in Python.
    expect(valueOf(agreement?.krippendorffAlpha)).toBeCloseTo(0.46153846153846156, 14);
    expect(measurement.duplicates.rows).toBeNull();
    expect(reasonOf(measurement.duplicates.assessment.duplicateRowShare)).toBe('duplicate rows were not counted');
  });

  it('rejects an ordinal level for text labels without an order', async () => {
    const error = await appErrorOf(() => measureQuality(engine(), dataSet, { columns: [], annotators: { columns: ['a1', 'a2'], level: 'ordinal' } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('pass the order of the labels');
    const ordered = await measureQuality(engine(), dataSet, { columns: [], annotators: { columns: ['a1', 'a2'], level: 'ordinal', order: ['cat', 'dog'], weights: 'linear' } });
    expect(valueOf(ordered.agreement?.krippendorffAlpha)).toBeGreaterThan(0);
  });

  it('compares a column with population shares', async () => {
    const measurement = await measureQuality(engine(), dataSet, {
      columns: [],
      representativeness: [{ column: 'status', population: { active: 0.5, inactive: 0.5 }, maximumDistance: 0.1, minimumRatio: 0.5 }],
    });
    const [status] = measurement.representativeness;
    expect(valueOf(status?.distance)).toBeCloseTo(0.2, 15);
    expect(valueOf(status?.minimumRatio)).toBeCloseTo(0.6, 15);
    expect(status?.minimumRatioLabel).toBe('inactive');
    expect(status?.checks.map((check) => [check.check, check.passed])).toEqual([
      ['representativeness-distance', false],
      ['representativeness-ratio', true],
    ]);
  });

  it('measures protected attributes in training data', async () => {
    const measurement = await measureQuality(engine(), dataSet, {
      columns: [],
      protectedAttributes: { attributes: [{ column: 'sex', referenceShares: { F: 0.6, M: 0.4 } }], label: { column: 'hired', positive: [1] } },
    });
    const [sex] = measurement.protectedAttributes;
    const groups = sex?.representation?.groups ?? [];
    expect(groups.map((group) => [group.group, group.count, group.flagged])).toEqual([
      ['M', 6, true],
      ['F', 4, true],
    ]);
    expect(valueOf(groups[1]?.ratio)).toBeCloseTo(0.4 / 0.6, 15);

    const rates = sex?.labelRate;
    expect(rates?.groups.map((group) => [group.group, group.size, valueOf(group.labelRate)])).toEqual([
      ['F', 4, 0.25],
      ['M', 6, 4 / 6],
    ]);
    expect(valueOf(rates?.disparity.betweenGroups.ratio)).toBeCloseTo(0.375, 15);
    expect(rates?.flagged).toBe(true);
  });

  it('rejects shares that sum above 1', async () => {
    const error = await appErrorOf(() => measureQuality(engine(), dataSet, { columns: [], protectedAttributes: { attributes: [{ column: 'sex', referenceShares: { F: 60, M: 40 } }] } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('must lie in [0, 1]');
  });

  it('rejects a schema column the file lacks', async () => {
    const error = await appErrorOf(() => measureQuality(engine(), dataSet, { schema: [{ name: 'salary', type: 'number' }] }));
    expect(error.message).toContain('"salary" is not in');
  });

  it('reports an empty file without made-up shares', async () => {
    const empty = await open(engine(), writeCsv('quality-empty.csv', ['a,b']));
    const measurement = await measureQuality(engine(), empty);
    expect(measurement.rowCount).toBe(0);
    expect(reasonOf(measurement.columns[0]?.completeness)).toBe('the column has no rows');
    expect(measurement.columns[0]?.constant).toEqual({ defined: false, reason: 'the column has no rows', warnings: [] });
    expect(reasonOf(measurement.duplicates.assessment.duplicateRowShare)).toBe('the dataset has no rows');
  });
});
