import pino, { type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Paths whose values never reach a log line: credentials, session cookies and passwords in bodies. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'adminPassword',
  '*.adminPassword',
];

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'custos' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
