import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorDetail } from './errors.js';

/** Settings read once at start-up from flags and environment variables, validated and frozen. */
export interface Config {
  readonly dataDir: string;
  /** `postgres://…` to run on PostgreSQL; absent for the embedded SQLite database. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL schema of custos's tables, `public` unless set. */
  readonly databaseSchema: string;
  readonly host: string;
  readonly port: number;
  readonly adminPassword: string | undefined;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /** Largest dataset file accepted by an upload, which streams through the hash instead of the JSON parser. */
  readonly datasetUploadLimitBytes: number;
  /** Largest evidence file accepted by an upload, which streams through the hash into the evidence store. */
  readonly evidenceUploadLimitBytes: number;
  readonly sessionTtlHours: number;
  /** Folder of the built web app served at `/`; the build's own output unless set. */
  readonly webDir: string;
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Values given on the command line; each one wins over its environment variable. */
export interface ConfigFlags {
  dataDir?: string;
  databaseUrl?: string;
  port?: string;
  host?: string;
  logLevel?: string;
}

/** One row per setting; the README's configuration table lists the same variables. */
export const environmentVariables = {
  dataDir: 'CUSTOS_DATA_DIR',
  databaseUrl: 'CUSTOS_DATABASE_URL',
  databaseSchema: 'CUSTOS_DATABASE_SCHEMA',
  host: 'CUSTOS_HOST',
  port: 'CUSTOS_PORT',
  adminPassword: 'CUSTOS_ADMIN_PASSWORD',
  logLevel: 'CUSTOS_LOG_LEVEL',
  bodyLimitBytes: 'CUSTOS_BODY_LIMIT_BYTES',
  datasetUploadLimitBytes: 'CUSTOS_DATASET_UPLOAD_LIMIT_BYTES',
  evidenceUploadLimitBytes: 'CUSTOS_EVIDENCE_UPLOAD_LIMIT_BYTES',
  sessionTtlHours: 'CUSTOS_SESSION_TTL_HOURS',
  webDir: 'CUSTOS_WEB_DIR',
} as const;

const defaults = {
  dataDir: './custos-data',
  host: 'localhost',
  port: 4242,
  logLevel: 'info' as LogLevel,
  bodyLimitBytes: 1_048_576,
  datasetUploadLimitBytes: 2_147_483_648,
  evidenceUploadLimitBytes: 268_435_456,
  sessionTtlHours: 12,
  // Two folders up from both src/platform and dist/platform is the package root.
  webDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
};

const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Builds the configuration from flags and environment, reporting every invalid setting at once.
 * Throws AppError INVALID_CONFIGURATION.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const problems: ErrorDetail[] = [];
  const read = (key: keyof typeof environmentVariables, flag?: string): string | undefined => {
    const value = flag ?? env[environmentVariables[key]];
    return value === undefined || value === '' ? undefined : value;
  };

  const integer = (key: keyof typeof environmentVariables, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({
        path: environmentVariables[key],
        message: `"${raw}" is not an integer from ${min} to ${max}`,
      });
      return fallback;
    }
    return value;
  };

  const databaseUrl = read('databaseUrl', flags.databaseUrl);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push({
      path: environmentVariables.databaseUrl,
      message: 'must start with postgres:// or postgresql://; leave it unset to use the embedded SQLite database',
    });
  }

  const databaseSchema = read('databaseSchema') ?? 'public';
  if (!schemaNamePattern.test(databaseSchema)) {
    problems.push({
      path: environmentVariables.databaseSchema,
      message: `"${databaseSchema}" is not a plain schema name (lower-case letters, digits and _, at most 63 characters)`,
    });
  }

  const logLevel = read('logLevel', flags.logLevel) ?? defaults.logLevel;
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    problems.push({ path: environmentVariables.logLevel, message: `"${logLevel}" is not one of ${logLevels.join(', ')}` });
  }

  const adminPassword = read('adminPassword');
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push({ path: environmentVariables.adminPassword, message: 'must be at least 12 characters long' });
  }

  const config: Config = {
    dataDir: path.resolve(read('dataDir', flags.dataDir) ?? defaults.dataDir),
    databaseUrl,
    databaseSchema,
    host: read('host', flags.host) ?? defaults.host,
    port: integer('port', read('port', flags.port), defaults.port, 0, 65535),
    adminPassword,
    logLevel: logLevel as LogLevel,
    bodyLimitBytes: integer('bodyLimitBytes', read('bodyLimitBytes'), defaults.bodyLimitBytes, 1024, 1_073_741_824),
    datasetUploadLimitBytes: integer(
      'datasetUploadLimitBytes',
      read('datasetUploadLimitBytes'),
      defaults.datasetUploadLimitBytes,
      1024,
      1_099_511_627_776,
    ),
    evidenceUploadLimitBytes: integer(
      'evidenceUploadLimitBytes',
      read('evidenceUploadLimitBytes'),
      defaults.evidenceUploadLimitBytes,
      1024,
      1_099_511_627_776,
    ),
    sessionTtlHours: integer('sessionTtlHours', read('sessionTtlHours'), defaults.sessionTtlHours, 1, 24 * 90),
    webDir: path.resolve(read('webDir') ?? defaults.webDir),
  };

  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new AppError('INVALID_CONFIGURATION', `Invalid configuration: ${list}`, problems);
  }
  return Object.freeze(config);
}
