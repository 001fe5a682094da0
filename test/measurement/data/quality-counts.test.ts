import { describe, expect, it } from 'vitest';

import {
  annotatorLabelCounts,
  annotatorPairMatrix,
  columnQualityCounts,
  duplicateKeyCounts,
  duplicateRowCounts,
  openDataSet,
  type DeclaredColumn,
} from '../../../src/measurement/data/index.js';
import { appErrorOf, compasPath, fixture, useDataEngine } from './support.js';

const engine = useDataEngine();

const schema: DeclaredColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'age', type: 'integer', minimum: 0, maximum: 120 },
  { name: 'status', type: 'string', allowedValues: ['active', 'retired'] },
  { name: 'joined', type: 'date' },
  { name: 'score', type: 'number', minimum: 0, maximum: 1 },
];

describe('columnQualityCounts', () => {
  it('counts violations of a declared schema in values read as text', async () => {
    const quality = await openDataSet(engine(), { path: fixture('quality.csv'), csv: { allText: true } });
    const counts = await columnQualityCounts(engine(), quality, schema);
    const byColumn = new Map(counts.map((entry) => [entry.column, entry]));
    expect(byColumn.get('id')).toEqual({
      column: 'id',
      rowCount: 6,
      missing: 0,
      distinct: 5,
      typeViolations: 0,
      typeViolationExample: null,
      belowMinimum: 0,
      aboveMaximum: 0,
      notAllowed: 0,
      notAllowedExample: null,
      mostFrequent: { value: '4', count: 2 },
    });
    expect(byColumn.get('age')).toMatchObject({ missing: 1, distinct: 4, typeViolations: 1, typeViolationExample: 'abc', belowMinimum: 1, aboveMaximum: 2 });
    expect(byColumn.get('status')).toMatchObject({ notAllowed: 2, notAllowedExample: 'unknown', mostFrequent: { value: 'active', count: 3 } });
    expect(byColumn.get('joined')).toMatchObject({ missing: 2, typeViolations: 1, typeViolationExample: '2024-02-30' });
    expect(byColumn.get('score')).toMatchObject({ typeViolations: 1, typeViolationExample: 'x', aboveMaximum: 1, belowMinimum: 0 });
  });

  it('accepts columns DuckDB typed when the type fits', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    const [age, date] = await columnQualityCounts(engine(), compas, [
      { name: 'age', type: 'integer', minimum: 18 },
      { name: 'compas_screening_date', type: 'date' },
    ]);
    expect(age).toMatchObject({ rowCount: 7214, missing: 0, typeViolations: 0, belowMinimum: 0 });
    expect(date).toMatchObject({ typeViolations: 0, missing: 0 });
  });

  it('rejects a range on a string column', async () => {
    const quality = await openDataSet(engine(), { path: fixture('quality.csv'), csv: { allText: true } });
    const error = await appErrorOf(() => columnQualityCounts(engine(), quality, [{ name: 'status', type: 'string', minimum: 1 }]));
    expect(error.message).toBe('A range applies only to integer and number columns, but "status" is declared string');
  });
});

describe('duplicate counts', () => {
  it('counts rows equal in every column', async () => {
    const quality = await openDataSet(engine(), { path: fixture('quality.csv') });
    expect(await duplicateRowCounts(engine(), quality)).toEqual({ rowCount: 6, duplicateRows: 1, duplicatedGroups: 1 });
  });

  it('counts repeated keys and names the most repeated', async () => {
    const quality = await openDataSet(engine(), { path: fixture('quality.csv') });
    expect(await duplicateKeyCounts(engine(), quality, ['id'])).toEqual({
      keyColumns: ['id'],
      rowCount: 6,
      missingKey: 0,
      duplicateRows: 1,
      duplicatedKeys: 1,
      example: ['4'],
      exampleCount: 2,
    });
  });

  it('leaves keys with a missing part out', async () => {
    const quality = await openDataSet(engine(), { path: fixture('quality.csv') });
    const counts = await duplicateKeyCounts(engine(), quality, ['status', 'joined']);
    expect(counts).toMatchObject({ rowCount: 6, missingKey: 2, duplicateRows: 0, duplicatedKeys: 0, example: null, exampleCount: 0 });
  });

  it('finds no duplicate ids in COMPAS', async () => {
    const compas = await openDataSet(engine(), { path: compasPath });
    expect(await duplicateKeyCounts(engine(), compas, ['id'])).toMatchObject({ rowCount: 7214, duplicateRows: 0 });
  });
});

describe('annotator label counts', () => {
  it('counts label combinations and builds a pair matrix', async () => {
    const annotators = await openDataSet(engine(), { path: fixture('annotators.csv') });
    const counts = await annotatorLabelCounts(engine(), annotators, ['ann1', 'ann2', 'ann3']);
    expect(counts.labels).toEqual(['bird', 'cat', 'dog']);
    expect(counts.combinations.reduce((sum, combination) => sum + combination.count, 0)).toBe(5);
    expect(counts.combinations).toContainEqual({ labels: ['dog', 'dog', null], count: 1 });

    expect(annotatorPairMatrix(counts, 'ann1', 'ann2')).toEqual({
      labels: ['bird', 'cat', 'dog'],
      matrix: [
        [0, 0, 1],
        [0, 2, 1],
        [0, 0, 1],
      ],
    });
    expect(annotatorPairMatrix(counts, 'ann1', 'ann3').matrix).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [0, 0, 0],
    ]);
  });

  it('needs two annotators', async () => {
    const annotators = await openDataSet(engine(), { path: fixture('annotators.csv') });
    const error = await appErrorOf(() => annotatorLabelCounts(engine(), annotators, ['ann1']));
    expect(error.message).toBe('Agreement needs at least two annotator columns, not 1');
  });
});
