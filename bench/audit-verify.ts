import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inheritedEnvironment, repositoryRoot } from '../test/support/server-process.js';
import type { SeededDatabase } from './seed.js';

/*
 * Wall-clock time of `custos audit verify` over the seeded database, as a whole process started
 * the way `npx custos` starts it (node bin/custos.js, which runs the compiled dist/). The
 * references hash the same trail exported as JSON Lines, the bytes an outside party would check:
 * once with `sha256sum` and once with Node.js's own SHA-256 (OpenSSL), which custos uses too.
 */

export interface AuditVerifyOptions {
  runs: number;
}

/** The target from the requirements: one million events within 5 s on a 2-core machine. */
const targetSeconds = 5;

/** Streams a file through node:crypto's SHA-256 in 1 MiB chunks and prints the digest. */
const nodeHashScript =
  "const hash = require('node:crypto').createHash('sha256');" +
  "require('node:fs').createReadStream(process.argv[1], { highWaterMark: 1 << 20 })" +
  ".on('data', (chunk) => hash.update(chunk)).on('end', () => console.log(hash.digest('hex')));";

interface Timed {
  seconds: number;
  stdout: string;
  exitCode: number | null;
}

async function timeProcess(command: string, args: string[]): Promise<Timed> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: repositoryRoot, env: inheritedEnvironment(), stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  return { seconds: (performance.now() - started) / 1000, stdout: stdout.trim(), exitCode };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function benchmarkAuditVerify(seeded: SeededDatabase, options: AuditVerifyOptions, log: (line: string) => void): Promise<void> {
  const cli = path.join(repositoryRoot, 'bin', 'custos.js');
  if (!fs.existsSync(path.join(repositoryRoot, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing; run `npm run build` first (`npm run bench` does)');
  }
  const dataDirArgs = ['--data-dir', seeded.dataDir];

  const exportFile = path.join(seeded.dataDir, 'audit-trail.jsonl');
  if (!fs.existsSync(exportFile)) {
    const exported = await timeProcess(process.execPath, [cli, ...dataDirArgs, 'audit', 'export', '-o', exportFile]);
    if (exported.exitCode !== 0) throw new Error(`custos audit export exited with ${exported.exitCode}`);
    log(`custos audit export wrote ${(fs.statSync(exportFile).size / 1e9).toFixed(2)} GB in ${exported.seconds.toFixed(2)} s`);
  }

  const verifyTimes: number[] = [];
  const sha256sumTimes: number[] = [];
  const nodeHashTimes: number[] = [];
  for (let run = 0; run < options.runs; run += 1) {
    const verified = await timeProcess(process.execPath, [cli, ...dataDirArgs, 'audit', 'verify']);
    if (verified.exitCode !== 0) throw new Error(`custos audit verify exited with ${verified.exitCode}: ${verified.stdout}`);
    verifyTimes.push(verified.seconds);
    log(`custos audit verify: ${verified.seconds.toFixed(2)} s (${verified.stdout})`);

    const sha256sum = await timeProcess('sha256sum', [exportFile]);
    if (sha256sum.exitCode !== 0) throw new Error(`sha256sum exited with ${sha256sum.exitCode}`);
    sha256sumTimes.push(sha256sum.seconds);
    const nodeHash = await timeProcess(process.execPath, ['-e', nodeHashScript, exportFile]);
    if (nodeHash.exitCode !== 0) throw new Error(`The node:crypto reference exited with ${nodeHash.exitCode}`);
    nodeHashTimes.push(nodeHash.seconds);
    log(`references over the export: sha256sum ${sha256sum.seconds.toFixed(2)} s, node:crypto SHA-256 ${nodeHash.seconds.toFixed(2)} s`);
  }

  const verifySeconds = median(verifyTimes);
  const nodeHashSeconds = median(nodeHashTimes);
  log('');
  log(
    `Median of ${options.runs} runs: custos audit verify ${verifySeconds.toFixed(2)} s, ` +
      `sha256sum ${median(sha256sumTimes).toFixed(2)} s, node:crypto SHA-256 ${nodeHashSeconds.toFixed(2)} s`,
  );
  log(`Ratio verify / node:crypto SHA-256 of the export: ${(verifySeconds / nodeHashSeconds).toFixed(2)}`);
  log(`Ratio verify / sha256sum of the export: ${(verifySeconds / median(sha256sumTimes)).toFixed(2)}`);
  log(`Target verify < ${targetSeconds} s: ${verifySeconds < targetSeconds ? 'met' : 'MISSED'} (${verifySeconds.toFixed(2)} s)`);
}
