import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot } from '../test/support/server-process.js';
import { benchmarkAuditVerify } from './audit-verify.js';
import { benchmarkConcurrentLoad } from './concurrent-load.js';
import { benchmarkEvidenceUpload } from './evidence-upload.js';
import { benchmarkListLatency } from './list-latency.js';
import { benchmarkDrift, benchmarkFairness } from './measurement/benchmark.js';
import { benchmarkSoaExport } from './soa-export.js';
import { benchmarkVerifyVariants } from './verify-variants.js';
import { ensureSeeded } from './seed.js';
import { benchmarkFirstScreen, benchmarkRegister, firstRouteJavaScript } from './web-app.js';

/*
 * Runs the benchmarks that docs/benchmarks.md records. Usage:
 *   npm run bench -- [list|verify|verify-variants|load|evidence|soa|drift|fairness|web|all] [--systems N] [--events N] [--requests N] [--duration S] [--runs N] [--rows N] [--data-dir DIR]
 * The seeded database is kept in the data directory and reused while its size matches.
 */

const usage = 'usage: npm run bench -- [list|verify|verify-variants|load|evidence|soa|drift|fairness|web|all] [--systems N] [--events N] [--requests N] [--duration S] [--runs N] [--rows N] [--data-dir DIR]';
const benchmarks = ['list', 'verify', 'verify-variants', 'load', 'evidence', 'soa', 'drift', 'fairness', 'web', 'all'] as const;
type Benchmark = (typeof benchmarks)[number];

/** Prints a usage error and exits with 2, as the custos CLI does for usage errors. */
function exitWithUsage(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) exitWithUsage(`--${name} "${raw}" is not a positive integer`);
  return value;
}

const options = {
  systems: { type: 'string', default: '10000' },
  events: { type: 'string', default: '1000000' },
  requests: { type: 'string', default: '2000' },
  duration: { type: 'string', default: '30' },
  runs: { type: 'string', default: '3' },
  rows: { type: 'string' },
  'data-dir': { type: 'string', default: path.join(repositoryRoot, '.bench') },
} as const;
let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: typeof options }>>;
try {
  parsed = parseArgs({ allowPositionals: true, options });
} catch (error) {
  exitWithUsage((error as Error).message);
}
const { values, positionals } = parsed;

const selected = (positionals[0] ?? 'all') as Benchmark;
if (!benchmarks.includes(selected) || positionals.length > 1) {
  exitWithUsage(`Unknown benchmark "${positionals.join(' ')}"`);
}
const size = { systems: positiveInteger('systems', values.systems), events: positiveInteger('events', values.events) };
const dataDir = path.resolve(values['data-dir']);
const log = (line: string) => process.stdout.write(`${line}\n`);

log(`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown model'}), Node.js ${process.version}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);

if (!['load', 'evidence', 'soa', 'drift', 'fairness', 'web'].includes(selected)) {
  const seeded = await ensureSeeded(path.join(dataDir, 'seeded'), size, log);
  if (selected === 'list' || selected === 'all') {
    log(`\n== GET /api/ai-systems on SQLite, ${size.systems} systems and ${size.events} events ==`);
    await benchmarkListLatency(seeded, { requests: positiveInteger('requests', values.requests), warmupRequests: 200 }, log);
  }
  if (selected === 'verify' || selected === 'all') {
    log(`\n== custos audit verify over ${size.events} events on SQLite ==`);
    await benchmarkAuditVerify(seeded, { runs: 3 }, log);
  }
  if (selected === 'verify-variants' || selected === 'all') {
    log(`\n== Variants of chain verification over ${size.events} events on SQLite ==`);
    await benchmarkVerifyVariants(seeded, log);
  }
}

if (selected === 'load' || selected === 'all') {
  const durationSeconds = positiveInteger('duration', values.duration);
  log(`\n== 200 concurrent clients for ${durationSeconds} s on SQLite, one server process ==`);
  await benchmarkConcurrentLoad({ kind: 'sqlite', serverCount: 1, connections: 200, durationSeconds }, log);
  log(`\n== 200 concurrent clients for ${durationSeconds} s on PostgreSQL, two server processes ==`);
  await benchmarkConcurrentLoad({ kind: 'postgresql', serverCount: 2, connections: 200, durationSeconds }, log);
}

if (selected === 'evidence' || selected === 'all') {
  log('\n== Server memory while it receives a 100 MB evidence upload, against 1 MB, on SQLite ==');
  await benchmarkEvidenceUpload({ runs: positiveInteger('runs', values.runs) }, log);
}

if (selected === 'soa' || selected === 'all') {
  log('\n== Statement of Applicability export of 38 Annex A and 200 additional controls to XLSX, against CSV, on SQLite ==');
  await benchmarkSoaExport({ additionalControls: 200, runs: positiveInteger('runs', values.runs) }, log);
}

if (selected === 'drift' || selected === 'all') {
  const rows = values.rows === undefined ? 1_000_000 : positiveInteger('rows', values.rows);
  log(`\n== Drift report over two files of ${rows} rows x 20 columns, against a bare DuckDB scan and pandas + SciPy ==`);
  await benchmarkDrift({ directory: path.join(dataDir, 'measurement'), rows, runs: positiveInteger('runs', values.runs) }, log);
}

if (selected === 'fairness' || selected === 'all') {
  const rows = values.rows === undefined ? 10_000_000 : positiveInteger('rows', values.rows);
  log(`\n== Fairness over ${rows} rows with two sensitive attributes ==`);
  await benchmarkFairness({ directory: path.join(dataDir, 'measurement'), rows, runs: positiveInteger('runs', values.runs) }, log);
}

if (selected === 'web' || selected === 'all') {
  log('\n== Web app: JavaScript of the first route ==');
  firstRouteJavaScript(log);
  log('\n== Web app: sign-in to drawn dashboard on the demo organization, in chromium on loopback ==');
  await benchmarkFirstScreen({ runs: positiveInteger('runs', values.runs) }, log);
  const seeded = await ensureSeeded(path.join(dataDir, 'web-seeded'), { systems: size.systems, events: size.systems * 2 }, log);
  log(`\n== Web app: register interactions on ${size.systems} systems, in chromium on loopback ==`);
  await benchmarkRegister(seeded, { runs: Math.max(positiveInteger('runs', values.runs), 5) }, log);
}
