import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { AppError } from '../../src/platform/errors.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve('custos-data'),
      databaseUrl: undefined,
      databaseSchema: 'public',
      host: 'localhost',
      port: 4242,
      logLevel: 'info',
      bodyLimitBytes: 1_048_576,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets a flag win over its environment variable', () => {
    const config = loadConfig({ CUSTOS_PORT: '5000', CUSTOS_DATA_DIR: '/env' }, { port: '6000', dataDir: '/flag' });
    expect(config.port).toBe(6000);
    expect(config.dataDir).toBe('/flag');
  });

  it('reports every invalid setting at once', () => {
    let caught: unknown;
    try {
      loadConfig({
        CUSTOS_PORT: 'eighty',
        CUSTOS_DATABASE_URL: 'mysql://db/custos',
        CUSTOS_LOG_LEVEL: 'loud',
        CUSTOS_ADMIN_PASSWORD: 'short',
        CUSTOS_DATABASE_SCHEMA: 'Robert; drop table',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.details.map((detail) => detail.path).sort()).toEqual([
      'CUSTOS_ADMIN_PASSWORD',
      'CUSTOS_DATABASE_SCHEMA',
      'CUSTOS_DATABASE_URL',
      'CUSTOS_LOG_LEVEL',
      'CUSTOS_PORT',
    ]);
    expect(error.message).toContain('CUSTOS_PORT "eighty" is not an integer from 0 to 65535');
  });
});
