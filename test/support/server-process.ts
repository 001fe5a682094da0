import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A `custos serve` process started from the TypeScript sources through tsx. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The last 64 KiB or so of what the process wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** Sends SIGTERM, waits for the exit, and sends SIGKILL when the process has not exited in time. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Environment variables for the server, on top of this process's environment without any CUSTOS_ variable. */
  env: Record<string, string>;
  startTimeoutMs?: number;
  /** Loads the demo organization into the empty database before listening, as `npm start` does. */
  demo?: boolean;
}

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const stopTimeoutMs = 5_000;
const keptOutputCharacters = 65_536;

/** Asks the kernel for a free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('The probe socket has no TCP port');
  return address.port;
}

/**
 * Starts `custos serve` (with `--no-demo` unless asked for the demo) on 127.0.0.1 and a free port, and resolves once GET /api/health
 * returns 200. Rejects with the process's output when it exits or does not respond in time, after
 * stopping the process.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', ...(options.demo ? [] : ['--no-demo'])],
    { cwd: repositoryRoot, env: { ...inheritedEnvironment(), CUSTOS_LOG_LEVEL: 'warn', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keptOutputCharacters);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const server: ServerProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    stop: () => stopProcess(child, exited),
  };

  try {
    await waitForHealth(url, exited, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}; server output:\n${output}`);
  }
  return server;
}

/** Copies this process's environment without CUSTOS_ settings, so that a developer's shell cannot redirect the server. */
export function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CUSTOS_')) env[key] = value;
  }
  return env;
}

async function waitForHealth(url: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`The server for ${url} exited before it responded to GET /api/health`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Connection refused until the server listens.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The server for ${url} did not respond to GET /api/health within ${timeoutMs} ms`);
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), stopTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}
