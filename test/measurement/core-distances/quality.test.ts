import { describe, expect, it } from 'vitest';
import type { BinnedCounts } from '../../../src/measurement/core/aggregates.js';
import { assessColumnQuality, assessDatasetQuality, binnedRepresentativeness, categoryRepresentativeness, type ColumnQualityCounts } from '../../../src/measurement/core/quality.js';
import type { ColumnQualityCounts as DataLayerColumnCounts } from '../../../src/measurement/data/quality-counts.js';
import type { DuplicateKeyCounts as DataLayerKeyCounts, DuplicateRowCounts as DataLayerRowCounts } from '../../../src/measurement/data/duplicate-counts.js';
import { valueOf } from './reference-values.js';

function columnCounts(overrides: Partial<ColumnQualityCounts> = {}): ColumnQualityCounts {
  return {
    rowCount: 100,
    missing: 10,
    distinct: 12,
    typeViolations: 3,
    belowMinimum: 2,
    aboveMaximum: 3,
    notAllowed: 9,
    mostFrequent: { value: 'a', count: 40 },
    ...overrides,
  };
}

describe('assessColumnQuality', () => {
  it('computes the shares from the counts', () => {
    const quality = assessColumnQuality(columnCounts());
    expect(valueOf(quality.completeness)).toBe(0.9);
    expect(valueOf(quality.distinctShare)).toBeCloseTo(12 / 90, 14);
    expect(valueOf(quality.typeConformance)).toBeCloseTo(87 / 90, 14);
    expect(valueOf(quality.rangeViolationShare)).toBeCloseTo(5 / 90, 14);
    expect(valueOf(quality.domainViolationShare)).toBe(0.1);
    expect(valueOf(quality.mostFrequentShare)).toBeCloseTo(40 / 90, 14);
    expect(quality.constant).toEqual({ defined: true, value: false, warnings: [] });
    expect(quality.almostConstant).toEqual({ defined: true, value: false, warnings: [] });
    expect(quality.checks).toEqual([]);
  });

  it('accepts the counts of the data layer', () => {
    const counts: DataLayerColumnCounts = {
      column: 'age',
      rowCount: 10,
      missing: 1,
      distinct: 5,
      typeViolations: 1,
      typeViolationExample: 'n/a',
      belowMinimum: 1,
      aboveMaximum: 0,
      notAllowed: 0,
      notAllowedExample: null,
      mostFrequent: { value: '30', count: 4 },
    };
    expect(valueOf(assessColumnQuality(counts).typeConformance)).toBeCloseTo(8 / 9, 14);
    const rows: DataLayerRowCounts = { rowCount: 10, duplicateRows: 1, duplicatedGroups: 1 };
    const keys: DataLayerKeyCounts = { keyColumns: ['id'], rowCount: 10, missingKey: 1, duplicateRows: 2, duplicatedKeys: 1, example: ['7'], exampleCount: 3 };
    expect(valueOf(assessDatasetQuality(rows, keys).duplicateKeyShare)).toBe(0.2);
  });

  it('judges every given threshold', () => {
    const quality = assessColumnQuality(columnCounts(), {
      minimumCompleteness: 0.95,
      minimumTypeConformance: 0.9,
      maximumRangeViolationShare: 0.05,
      maximumDomainViolationShare: 0.1,
    });
    expect(quality.checks.map((check) => [check.check, check.comparison, check.threshold, check.passed])).toEqual([
      ['completeness', '>=', 0.95, false],
      ['type-conformance', '>=', 0.9, true],
      ['range-violation-share', '<=', 0.05, false],
      ['domain-violation-share', '<=', 0.1, true],
    ]);
  });

  it('passes a share equal to its threshold', () => {
    expect(assessColumnQuality(columnCounts(), { minimumCompleteness: 0.9 }).checks[0]?.passed).toBe(true);
  });

  it('finds a constant column', () => {
    const counts = columnCounts({ distinct: 1, mostFrequent: { value: 'x', count: 90 }, typeViolations: 0, belowMinimum: 0, aboveMaximum: 0, notAllowed: 0 });
    const quality = assessColumnQuality(counts, { allowConstant: false });
    expect(quality.constant).toMatchObject({ defined: true, value: true });
    expect(quality.almostConstant).toMatchObject({ defined: true, value: true });
    expect(quality.checks).toMatchObject([{ check: 'constant', comparison: '>=', threshold: 2, passed: false }]);
  });

  it('finds an almost-constant column at 95 % inclusive', () => {
    const withMostFrequent = (count: number) => columnCounts({ missing: 0, mostFrequent: { value: 'a', count } });
    expect(assessColumnQuality(withMostFrequent(95)).almostConstant).toMatchObject({ value: true });
    expect(assessColumnQuality(withMostFrequent(94)).almostConstant).toMatchObject({ value: false });
    expect(assessColumnQuality(withMostFrequent(80), { almostConstantShare: 0.8 }).almostConstant).toMatchObject({ value: true });
  });

  it('fails an almost-constant column when asked', () => {
    const quality = assessColumnQuality(columnCounts({ missing: 0, mostFrequent: { value: 'a', count: 97 } }), { allowAlmostConstant: false });
    expect(quality.checks).toMatchObject([{ check: 'almost-constant', comparison: '<', threshold: 0.95, passed: false }]);
  });

  it('leaves an all-missing column neither constant nor varying', () => {
    const quality = assessColumnQuality(
      { rowCount: 50, missing: 50, distinct: 0, typeViolations: 0, belowMinimum: 0, aboveMaximum: 0, notAllowed: 0, mostFrequent: null },
      { minimumCompleteness: 0.5, minimumTypeConformance: 0.9, allowConstant: false },
    );
    expect(valueOf(quality.completeness)).toBe(0);
    expect(quality.constant).toEqual({ defined: false, reason: 'all 50 values are missing', warnings: [] });
    expect(quality.almostConstant).toMatchObject({ defined: false, reason: 'all 50 values are missing' });
    expect(quality.typeConformance).toMatchObject({ defined: false, reason: 'all 50 values are missing' });
    expect(quality.checks.map((check) => [check.check, check.passed, check.reason])).toEqual([
      ['completeness', false, undefined],
      ['type-conformance', null, 'all 50 values are missing'],
      ['constant', null, 'all 50 values are missing'],
    ]);
  });

  it('leaves an empty column undefined', () => {
    const quality = assessColumnQuality({ rowCount: 0, missing: 0, distinct: 0, typeViolations: 0, belowMinimum: 0, aboveMaximum: 0, notAllowed: 0, mostFrequent: null });
    expect(quality.completeness).toMatchObject({ defined: false, reason: 'the column has no rows' });
    expect(quality.constant).toMatchObject({ defined: false, reason: 'the column has no rows' });
  });

  it('rejects contradictory counts with every problem', () => {
    expect(() => assessColumnQuality(columnCounts({ missing: 120, distinct: 1.5 }))).toThrow(
      'Invalid column quality counts: distinct must be an integer >= 0, received 1.5; missing 120 exceeds rowCount 100',
    );
    expect(() => assessColumnQuality(columnCounts({ missing: 95, distinct: 6, mostFrequent: null }))).toThrow(
      'Invalid column quality counts: distinct 6 exceeds the 5 non-missing values; belowMinimum + aboveMaximum 5 exceeds the 2 values of the declared type; notAllowed 9 exceeds the 5 non-missing values; mostFrequent is missing although 5 values are not missing',
    );
  });

  it('rejects a threshold outside 0..1', () => {
    expect(() => assessColumnQuality(columnCounts(), { minimumCompleteness: 95 })).toThrow('minimumCompleteness must be a share between 0 and 1, received 95');
  });
});

describe('assessDatasetQuality', () => {
  it('computes duplicate shares and checks', () => {
    const quality = assessDatasetQuality(
      { rowCount: 200, duplicateRows: 4 },
      { rowCount: 200, missingKey: 0, duplicateRows: 10 },
      { maximumDuplicateRowShare: 0.01, maximumDuplicateKeyShare: 0.05, maximumMissingKeyShare: 0 },
    );
    expect(valueOf(quality.duplicateRowShare)).toBe(0.02);
    expect(valueOf(quality.duplicateKeyShare)).toBe(0.05);
    expect(valueOf(quality.missingKeyShare)).toBe(0);
    expect(quality.checks.map((check) => [check.check, check.passed])).toEqual([
      ['duplicate-row-share', false],
      ['duplicate-key-share', true],
      ['missing-key-share', true],
    ]);
  });

  it('leaves key shares undefined without a key', () => {
    const quality = assessDatasetQuality({ rowCount: 10, duplicateRows: 0 }, undefined, { maximumDuplicateKeyShare: 0 });
    expect(quality.duplicateKeyShare).toMatchObject({ defined: false, reason: 'no key columns were given' });
    expect(quality.checks[0]).toMatchObject({ passed: null, reason: 'no key columns were given' });
  });

  it('leaves an empty dataset undefined', () => {
    expect(assessDatasetQuality({ rowCount: 0, duplicateRows: 0 }).duplicateRowShare).toMatchObject({ defined: false, reason: 'the dataset has no rows' });
  });

  it('rejects more duplicates than rows', () => {
    expect(() => assessDatasetQuality({ rowCount: 3, duplicateRows: 4 })).toThrow('Invalid dataset quality counts: duplicateRows 4 exceeds rowCount 3');
    expect(() => assessDatasetQuality({ rowCount: 3, duplicateRows: 0 }, { rowCount: 3, missingKey: 2, duplicateRows: 2 })).toThrow(
      'Invalid dataset quality counts: missingKey 2 and duplicate key rows 2 exceed the key row count 3',
    );
  });
});

describe('representativeness', () => {
  const population = new Map([
    ['female', 51],
    ['male', 49],
  ]);

  it('is the total variation distance by default', () => {
    const result = categoryRepresentativeness({ counts: new Map([['female', 30], ['male', 70]]), missing: 5 }, population, { maximumDistance: 0.1 });
    expect(result.measure).toBe('total-variation');
    expect(valueOf(result.distance)).toBeCloseTo(0.21, 14);
    expect(result.checks).toMatchObject([{ check: 'representativeness-distance', comparison: '<=', threshold: 0.1, passed: false }]);
    const female = result.bins.find((bin) => bin.label === 'female')!;
    expect(female.sampleShare).toBeCloseTo(0.3, 14);
    expect(female.referenceShare).toBeCloseTo(0.51, 14);
    expect(female.difference).toBeCloseTo(-0.21, 14);
  });

  it('reports the smallest ratio to the reference share', () => {
    const result = categoryRepresentativeness({ counts: new Map([['female', 30], ['male', 70]]), missing: 0 }, population, { minimumRatio: 0.8 });
    expect(valueOf(result.minimumRatio)).toBeCloseTo(0.3 / 0.51, 14);
    expect(result.minimumRatioLabel).toBe('female');
    expect(result.checks).toMatchObject([{ check: 'representativeness-ratio', comparison: '>=', threshold: 0.8, passed: false }]);
  });

  it('gives ratio 0 for a group absent from the sample', () => {
    const result = categoryRepresentativeness({ counts: new Map([['male', 10]]), missing: 0 }, population);
    expect(valueOf(result.minimumRatio)).toBe(0);
    expect(result.minimumRatioLabel).toBe('female');
  });

  it('lists categories absent from one side', () => {
    const result = categoryRepresentativeness({ counts: new Map([['female', 50], ['other', 50]]), missing: 0 }, population, { measure: 'hellinger' });
    expect(result.bins.map((bin) => bin.label).sort()).toEqual(['female', 'male', 'other']);
    expect(result.bins.find((bin) => bin.label === 'other')).toMatchObject({ referenceShare: 0, sampleShare: 0.5, ratio: null });
    expect(result.checks).toEqual([]);
  });

  it('keeps every category of a large reference', () => {
    const reference = new Map(Array.from({ length: 300 }, (_, i): [string, number] => [`region ${i}`, 1]));
    expect(categoryRepresentativeness({ counts: reference, missing: 0 }, reference).bins).toHaveLength(300);
  });

  it('compares binned numerical columns on shared edges', () => {
    const none = { missing: 0, positiveInfinity: 0, negativeInfinity: 0, notANumber: 0 };
    const reference: BinnedCounts = { edges: [18, 30, 50, 90], counts: [30, 40, 30], below: 0, above: 0, excluded: none };
    const sample: BinnedCounts = { edges: [18, 30, 50, 90], counts: [60, 30, 10], below: 0, above: 0, excluded: none };
    const result = binnedRepresentativeness(sample, reference, { measure: 'jensen-shannon' });
    expect(result.bins.map((bin) => bin.label)).toEqual(['< 18', '[18, 30)', '[30, 50)', '[50, 90]', '> 90']);
    expect(valueOf(result.distance)).toBeGreaterThan(0.2);
    expect(valueOf(result.minimumRatio)).toBeCloseTo(1 / 3, 14);
  });

  it('is undefined for an empty sample', () => {
    const result = categoryRepresentativeness({ counts: new Map(), missing: 3 }, population);
    expect(result.distance).toMatchObject({ defined: false, reason: 'the current sample has no counts in any bin' });
    expect(result.minimumRatio).toMatchObject({ defined: false, reason: 'the current sample has no counts in any bin' });
  });

  it('rejects an unknown measure', () => {
    expect(() => categoryRepresentativeness({ counts: new Map(), missing: 0 }, population, { measure: 'toString' as 'hellinger' })).toThrow(
      'Representativeness measure must be total-variation, jensen-shannon or hellinger, received toString',
    );
  });
});
