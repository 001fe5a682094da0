import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDriftFiles, ensureFairnessFile, expectedDriftedColumns } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'child.ts');
const pandasScript = path.join(here, 'pandas_scipy_drift.py');
const python = '/usr/bin/python3';

interface StepResult {
  seconds: number;
  peakMb: number;
  [fact: string]: unknown;
}

function runNodeStep(args: string[]): StepResult {
  const output = execFileSync(process.execPath, ['--import', 'tsx', childScript, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(output.trim().split('\n').pop()!) as StepResult;
}

function runPandasStep(args: string[]): StepResult {
  const output = execFileSync(python, [pandasScript, ...args], { encoding: 'utf8' });
  return JSON.parse(output.trim()) as StepResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs a step `runs` times and returns the run with the median time, with the slowest time beside it. */
function repeat(runs: number, step: () => StepResult): StepResult & { slowest: number } {
  const results = Array.from({ length: runs }, step);
  const middle = median(results.map((result) => result.seconds));
  const chosen = results.reduce((best, result) => (Math.abs(result.seconds - middle) < Math.abs(best.seconds - middle) ? result : best));
  return { ...chosen, seconds: middle, slowest: Math.max(...results.map((result) => result.seconds)) };
}

/**
 * Installs Debian's pandas and SciPy when the system Python lacks them, because the comparison
 * must run the same tests with the libraries data scientists use. Returns false when that fails.
 */
function ensurePandas(log: (line: string) => void): boolean {
  const available = () => spawnSync(python, ['-c', 'import pandas, scipy'], { stdio: 'ignore' }).status === 0;
  if (available()) return true;
  log('Installing python3-pandas and python3-scipy from Debian for the comparison run');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', '-q', 'python3-pandas', 'python3-scipy'], { stdio: 'inherit', env }).status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-q', 'python3-pandas', 'python3-scipy'], { stdio: 'inherit', env });
  }
  return available();
}

function pandasReadsParquet(): boolean {
  return spawnSync(python, ['-c', 'import pyarrow'], { stdio: 'ignore' }).status === 0 || spawnSync(python, ['-c', 'import fastparquet'], { stdio: 'ignore' }).status === 0;
}

const seconds = (value: number) => `${value.toFixed(2)} s`;

/**
 * Drift report over two files of `rows` rows x 20 columns, on CSV and on Parquet: wall time and
 * peak memory of `custos measure drift`'s engine, against a bare DuckDB count(*) over the same
 * files and against pandas with SciPy running the same tests. Then the same report from a stored
 * reference profile, against a count(*) of the current file and against pandas reading its own
 * stored reference bins.
 */
export async function benchmarkDrift(options: { directory: string; rows: number; runs: number }, log: (line: string) => void): Promise<void> {
  const files = await ensureDriftFiles(options.directory, options.rows, log);
  const havePandas = ensurePandas(log);
  for (const format of ['csv', 'parquet'] as const) {
    const reference = format === 'csv' ? files.referenceCsv : files.referenceParquet;
    const current = format === 'csv' ? files.currentCsv : files.currentParquet;
    const scan = repeat(options.runs, () => runNodeStep(['count', reference, current]));
    const drift = repeat(options.runs, () => runNodeStep(['drift', reference, current]));
    log(`\n${format.toUpperCase()}, ${options.rows} + ${options.rows} rows x 20 columns, median of ${options.runs} runs:`);
    log(`  bare DuckDB scan (count(*) of both files): ${seconds(scan.seconds)}, peak ${scan.peakMb.toFixed(0)} MB`);
    log(`  custos drift report:                       ${seconds(drift.seconds)} (slowest ${seconds(drift.slowest)}), peak ${drift.peakMb.toFixed(0)} MB`);
    log(`  custos / bare scan: ${(drift.seconds / scan.seconds).toFixed(2)} x (goal: at most 3 x)`);
    const drifted = (drift.drifted as string[]) ?? [];
    const missed = expectedDriftedColumns.filter((column) => !drifted.includes(column));
    const extra = drifted.filter((column) => !(expectedDriftedColumns as readonly string[]).includes(column));
    log(`  drifted columns: ${drifted.join(', ')}${missed.length > 0 ? `; missed ${missed.join(', ')}` : ''}${extra.length > 0 ? `; also flagged ${extra.join(', ')}` : ''}`);
    if (!havePandas || (format === 'parquet' && !pandasReadsParquet())) {
      log(`  pandas + SciPy: skipped (${havePandas ? 'no Parquet reader for pandas (python3-pyarrow) on this machine' : 'pandas and SciPy could not be installed'})`);
      benchmarkProfile({ ...options, format, reference, current, drifted, pandasSeconds: null }, log);
      continue;
    }
    const pandas = repeat(options.runs, () => runPandasStep([reference, current, format]));
    log(`  pandas + SciPy, same measures:             ${seconds(pandas.seconds)} (slowest ${seconds(pandas.slowest)}), peak ${pandas.peakMb.toFixed(0)} MB`);
    log(`  pandas + SciPy / custos: ${(pandas.seconds / drift.seconds).toFixed(1)} x (goal: at least 10 x on CSV)`);
    const withKs = repeat(options.runs, () => runPandasStep([reference, current, format, '--with-ks']));
    log(`  pandas + SciPy, also KS and Wasserstein on the numerical columns: ${seconds(withKs.seconds)}, ${(withKs.seconds / drift.seconds).toFixed(1)} x custos's default report`);
    benchmarkProfile({ ...options, format, reference, current, drifted, pandasSeconds: pandas.seconds }, log);
  }
}

/** Times the drift report from a stored reference profile, which reads only the current file. Both tools store their reference aggregates once. */
function benchmarkProfile(
  options: { directory: string; runs: number; format: 'csv' | 'parquet'; reference: string; current: string; drifted: readonly string[]; pandasSeconds: number | null },
  log: (line: string) => void,
): void {
  const { format, reference, current, runs } = options;
  const profileFile = path.join(options.directory, `reference-${format}.profile.json`);
  const pandasProfile = path.join(options.directory, `reference-${format}.pandas.pickle`);
  const profiling = runNodeStep(['profile', reference, profileFile]);
  const currentScan = repeat(runs, () => runNodeStep(['count', current]));
  const fromProfile = repeat(runs, () => runNodeStep(['drift-profile', profileFile, current]));
  const drifted = (fromProfile.drifted as string[]) ?? [];
  const same = drifted.length === options.drifted.length && drifted.every((column) => options.drifted.includes(column));
  log(`  From a stored reference profile (${(Number(profiling.bytes) / 1024).toFixed(0)} KB, written once in ${seconds(profiling.seconds)}):`);
  log(`    bare DuckDB scan of the current file:  ${seconds(currentScan.seconds)}, peak ${currentScan.peakMb.toFixed(0)} MB`);
  log(`    custos drift report from the profile:  ${seconds(fromProfile.seconds)} (slowest ${seconds(fromProfile.slowest)}), peak ${fromProfile.peakMb.toFixed(0)} MB; ${same ? 'same drifted columns' : `drifted columns differ: ${drifted.join(', ')}`}`);
  log(`    custos from the profile / bare scan of the current file: ${(fromProfile.seconds / currentScan.seconds).toFixed(2)} x`);
  if (options.pandasSeconds === null) return;
  runPandasStep(['--write-profile', pandasProfile, reference, format]);
  const pandasFromProfile = repeat(runs, () => runPandasStep(['--reference-profile', pandasProfile, current, format]));
  log(`    pandas + SciPy from its own stored reference bins (pickle): ${seconds(pandasFromProfile.seconds)}, peak ${pandasFromProfile.peakMb.toFixed(0)} MB`);
  log(`    pandas + SciPy reading both files / custos from the profile: ${(options.pandasSeconds / fromProfile.seconds).toFixed(1)} x`);
  log(`    pandas + SciPy from its stored bins / custos from the profile: ${(pandasFromProfile.seconds / fromProfile.seconds).toFixed(1)} x`);
}

/** Fairness over one file of `rows` rows with two sensitive attributes: wall time and peak memory. */
export async function benchmarkFairness(options: { directory: string; rows: number; runs: number }, log: (line: string) => void): Promise<void> {
  const file = await ensureFairnessFile(options.directory, options.rows, log);
  const scan = repeat(options.runs, () => runNodeStep(['count', file]));
  const fairness = repeat(options.runs, () => runNodeStep(['fairness', file]));
  log(`\nCSV, ${options.rows} rows, sensitive attributes sex and ethnicity (8 groups), median of ${options.runs} runs:`);
  log(`  bare DuckDB scan (count(*)):  ${seconds(scan.seconds)}, peak ${scan.peakMb.toFixed(0)} MB`);
  log(`  custos fairness measurement:  ${seconds(fairness.seconds)} (slowest ${seconds(fairness.slowest)}), peak ${fairness.peakMb.toFixed(0)} MB (goal: under 5 s and 1 GB)`);
  log(`  fairness / bare scan: ${(fairness.seconds / scan.seconds).toFixed(2)} x; ${String(fairness.groups)} groups, ${String(fairness.rows)} rows measured`);
}
