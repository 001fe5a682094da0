import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

import { AppError } from '../../../src/platform/errors.js';
import { DataEngine, type DataEngineOptions } from '../../../src/measurement/data/index.js';

export const compasPath = 'examples/compas/compas-scores-two-years.csv';
export const adultTrainPath = 'examples/adult/adult.csv';
export const adultTestPath = 'examples/adult/adult.test';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Opens one data engine for a test file and closes it after the file's last test. */
export function useDataEngine(options: DataEngineOptions = { threads: 2, memoryLimit: '512MB' }): () => DataEngine {
  let engine: DataEngine | null = null;
  beforeAll(async () => {
    engine = await DataEngine.create(options);
  });
  afterAll(() => engine?.close());
  return () => {
    if (engine === null) throw new Error('The data engine is not open yet');
    return engine;
  };
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
