import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

import type { Measured } from '../../../src/measurement/core/measured.js';
import { DataEngine, openDataSet, type DataFileSpec, type DataSet } from '../../../src/measurement/data/index.js';
import type { ColumnDriftResult, DriftMeasurement } from '../../../src/measurement/engine/drift-measurement.js';
import { AppError } from '../../../src/platform/errors.js';

export const adultTrainPath = 'examples/adult/adult.csv';
export const adultTestPath = 'examples/adult/adult.test';

/** How the two Adult splits are read alike: "?" is missing, the test split uses ", " and labels ending with ".". */
export const adultTrainSpec: DataFileSpec = { path: adultTrainPath, csv: { nullStrings: ['?'] } };
export const adultTestSpec: DataFileSpec = {
  path: adultTestPath,
  csv: { delimiter: ', ', nullStrings: ['?'] },
  recode: { Y: { '>50K.': '>50K', '<=50K.': '<=50K' } },
};

/** Opens one data engine for a test file and closes it after the file's last test. */
export function useDataEngine(): () => DataEngine {
  let engine: DataEngine | null = null;
  beforeAll(async () => {
    engine = await DataEngine.create({ threads: 2, memoryLimit: '512MB' });
  });
  afterAll(() => engine?.close());
  return () => {
    if (engine === null) throw new Error('The data engine is not open yet');
    return engine;
  };
}

/** A folder for the CSV fixtures of one test file, removed after its last test. */
export function useFixtureFolder(): (name: string, lines: readonly string[]) => string {
  let folder: string | null = null;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-engine-data-'));
  });
  afterAll(() => {
    if (folder !== null) fs.rmSync(folder, { recursive: true, force: true });
  });
  return (name, lines) => {
    if (folder === null) throw new Error('The fixture folder is not created yet');
    const file = path.join(folder, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
}

export function open(engine: DataEngine, spec: DataFileSpec | string): Promise<DataSet> {
  return openDataSet(engine, typeof spec === 'string' ? { path: spec } : spec);
}

export function columnOf(measurement: DriftMeasurement, name: string): ColumnDriftResult {
  const column = measurement.columns.find((candidate) => candidate.column === name);
  if (column === undefined) throw new Error(`no column ${name} among ${measurement.columns.map((candidate) => candidate.column).join(', ')}`);
  return column;
}

/** Returns a defined value, failing the test with the reason when it is undefined. */
export function valueOf(measured: Measured | null | undefined): number {
  if (measured === null || measured === undefined) throw new Error('the value is absent');
  if (!measured.defined) throw new Error(`the value is undefined: ${measured.reason}`);
  return measured.value;
}

export function reasonOf(measured: Measured | null | undefined): string {
  if (measured === null || measured === undefined) throw new Error('the value is absent');
  if (measured.defined) throw new Error(`the value is defined: ${measured.value}`);
  return measured.reason;
}

/** Runs `action` and returns the AppError it raises, failing when it raises none or another error. */
export async function appErrorOf(action: () => Promise<unknown>): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected an AppError, but the action succeeded');
}

/**
 * Ten rows: row 8 repeats row 7 (so id 7 repeats too), age has one missing value and two values
 * outside 0 to 120, status one value outside active and inactive, visits one value that is no
 * integer, flag one value throughout, tier nine of ten the same. a1, a2 and a3 are three
 * annotators (a3 left row 4 unlabelled); sex and hired are a protected attribute and a label.
 */
export const qualityRows = [
  'id,age,status,visits,flag,tier,a1,a2,a3,sex,hired',
  '1,34,active,3,x,gold,dog,dog,dog,F,1',
  '2,45,inactive,4,x,gold,cat,cat,cat,M,0',
  '3,,active,5,x,gold,dog,cat,dog,M,1',
  '4,130,active,n/a,x,gold,cat,cat,,F,0',
  '5,-2,unknown,7,x,gold,dog,dog,dog,M,1',
  '6,28,active,8,x,gold,cat,cat,cat,M,1',
  '7,51,inactive,9,x,gold,dog,dog,cat,F,0',
  '7,51,inactive,9,x,gold,dog,dog,cat,F,0',
  '9,39,active,10,x,gold,cat,dog,cat,M,0',
  '10,62,active,11,x,silver,dog,dog,dog,M,1',
];

