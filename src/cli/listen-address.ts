import net from 'node:net';
import { AppError } from '../platform/errors.js';
import { describeNetworkFailure, isSystemError } from './system-errors.js';

/** Checks of the address `custos serve` listens on, and plain messages for a failed listen. */

/** One label of a host name (RFC 1123): letters, digits and inner hyphens, 1 to 63 characters. */
const hostLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Tells whether `host` is an IP address or a well-formed host name. A name whose last label is
 * all digits is rejected, as RFC 3696 section 2 rules out numeric top-level domains, so a
 * mistyped address such as 8.8.8.8.8 fails here instead of being sent to a DNS server.
 */
export function isListenHost(host: string): boolean {
  if (net.isIP(host) !== 0) return true;
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.replace(/\.$/, '').split('.');
  if (!labels.every((label) => hostLabel.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** Throws an input error unless `host`, given by `setting` (--host or CUSTOS_HOST), is an IP address or a well-formed host name. */
export function checkListenHost(host: string, setting: string): void {
  if (isListenHost(host)) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `${setting} "${host}" is not an IP address or host name; give an address of this machine such as 127.0.0.1, ::1 or 0.0.0.0 (all interfaces), or a name such as localhost`,
  );
}

/**
 * Describes why the server could not listen on `host` and `port`, naming the option to change,
 * or returns the error unchanged when it is not a system error about the address.
 */
export function describeListenFailure(error: unknown, host: string, port: number): unknown {
  if (!isSystemError(error)) return error;
  const at = `${host} port ${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new AppError('VALIDATION_FAILED', `Port ${port} on ${host} is already in use; stop the program that uses it or choose another port with --port (or CUSTOS_PORT)`, [], {
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new AppError('VALIDATION_FAILED', `Listening on ${at} is not permitted; choose a port above 1023 with --port (or CUSTOS_PORT)`, [], { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN': {
      const reason = describeNetworkFailure(error.code)!;
      return new AppError('VALIDATION_FAILED', `Cannot listen on ${at}: ${reason}; give an address of this machine with --host (or CUSTOS_HOST), such as 127.0.0.1 or 0.0.0.0`, [], {
        cause: error,
      });
    }
    default:
      return error;
  }
}
