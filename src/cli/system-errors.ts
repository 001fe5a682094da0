import { AppError } from '../platform/errors.js';

/**
 * Plain descriptions of Node's system errors (`error.code` such as ENOENT or EADDRINUSE), so the
 * CLI reports a missing directory or a busy port as an input error instead of raw exception text.
 */

export type SystemError = NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };

export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as SystemError).code === 'string' && /^E[A-Z_]+$/.test((error as SystemError).code!);
}

/**
 * Describes in words why a file could not be opened, or returns `undefined` for codes that are
 * not about files. Give `access` when it is known, because ENOENT on a write means that the
 * directory is missing.
 */
export function describeFileFailure(code: string | undefined, access?: 'read' | 'write'): string | undefined {
  switch (code) {
    case 'ENOENT':
      if (access === 'write') return 'its directory does not exist';
      return access === 'read' ? 'no such file' : 'no such file or directory';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EEXIST':
      return 'a file of that name is in the way of a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    default:
      return undefined;
  }
}

/** Describes in words why a network connection or listening socket failed, or returns `undefined` for other codes. */
export function describeNetworkFailure(code: string | undefined): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name cannot be resolved';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host cannot be reached';
    case 'EADDRINUSE':
      return 'the address is already in use';
    case 'EADDRNOTAVAIL':
      return 'the address does not belong to this machine';
    default:
      return undefined;
  }
}

/**
 * Turns a system error that reached the top of the CLI into an input error (exit code 2) naming
 * the file or address involved, or returns `undefined` when the code is not one listed here.
 * Commands that know which flag gave the value report it themselves, with the flag's name.
 */
export function systemErrorToAppError(error: SystemError): AppError | undefined {
  const fileReason = describeFileFailure(error.code);
  if (fileReason !== undefined && error.path !== undefined) {
    return new AppError('VALIDATION_FAILED', `Cannot use "${error.path}": ${fileReason}; check the path and its permissions`, [], { cause: error });
  }

  const networkReason = describeNetworkFailure(error.code);
  if (networkReason !== undefined) {
    const target = error.hostname ?? [error.address, error.port].filter((part) => part !== undefined).join(':');
    const where = target === '' ? '' : ` for ${target}`;
    return new AppError('VALIDATION_FAILED', `Network operation failed${where}: ${networkReason}; check the host, the port and that the other side is running`, [], {
      cause: error,
    });
  }
  return undefined;
}
