import { DataEngine, openDataSet, SqlParameters } from '../../src/measurement/data/index.js';
import fs from 'node:fs';
import { measureDriftFromProfile } from '../../src/measurement/engine/drift-from-profile.js';
import { measureDrift } from '../../src/measurement/engine/drift-measurement.js';
import { profileReference } from '../../src/measurement/engine/drift-profile.js';
import { parseReferenceProfile, serializeReferenceProfile } from '../../src/measurement/engine/drift-profile-file.js';
import { measureFairness } from '../../src/measurement/engine/fairness-measurement.js';

/*
 * One measured step of the measurement benchmark, run in a child process of its own so that its
 * peak resident memory (Node.js and DuckDB together) is its own. Prints one JSON line:
 * { seconds, peakMb, ...facts about the result }.
 *   node --import tsx bench/measurement/child.ts count FILE [FILE]
 *   node --import tsx bench/measurement/child.ts drift REFERENCE CURRENT
 *   node --import tsx bench/measurement/child.ts profile REFERENCE PROFILE
 *   node --import tsx bench/measurement/child.ts drift-profile PROFILE CURRENT
 *   node --import tsx bench/measurement/child.ts fairness FILE
 */

const [step, ...files] = process.argv.slice(2);
const started = performance.now();
const engine = await DataEngine.create();
let facts: Record<string, unknown> = {};
try {
  if (step === 'count') {
    // The reference scan: DuckDB reads every file once and counts its rows, computing nothing else.
    for (const file of files) {
      const scan = file.endsWith('.parquet') ? `read_parquet('${file}')` : `read_csv('${file}')`;
      const rows = await engine.rows('bare scan', `SELECT count(*) AS n FROM ${scan}`, new SqlParameters(), []);
      facts[file] = Number((rows[0] as { n: bigint }).n);
    }
  } else if (step === 'drift') {
    // As `custos measure drift` does: the files are opened, and measureDrift decides what to load.
    const reference = await openDataSet(engine, { path: files[0]! });
    const current = await openDataSet(engine, { path: files[1]! });
    const report = await measureDrift(engine, reference, current);
    facts = {
      columns: report.columns.length,
      drifted: report.columns.filter((column) => column.drifted === true).map((column) => column.column),
    };
  } else if (step === 'profile') {
    // As `custos measure profile` does: the reference's aggregates, written as JSON.
    const profile = await profileReference(engine, await openDataSet(engine, { path: files[0]! }), 'benchmark');
    fs.writeFileSync(files[1]!, serializeReferenceProfile(profile));
    facts = { bytes: fs.statSync(files[1]!).size };
  } else if (step === 'drift-profile') {
    // As `custos measure drift --reference-profile` does: the profile is read and checked, and only the current file is scanned.
    const profile = parseReferenceProfile(fs.readFileSync(files[0]!, 'utf8'), files[0]!);
    const report = await measureDriftFromProfile(engine, profile, files[0]!, await openDataSet(engine, { path: files[1]! }));
    facts = {
      columns: report.columns.length,
      drifted: report.columns.filter((column) => column.drifted === true).map((column) => column.column),
    };
  } else if (step === 'fairness') {
    const dataSet = await openDataSet(engine, { path: files[0]! });
    const report = await measureFairness(engine, dataSet, {
      label: { column: 'label', positive: [1] },
      prediction: { column: 'prediction', positive: [1] },
      sensitive: ['sex', 'ethnicity'],
    });
    facts = { groups: report.groups.length, rows: report.rows.measured };
  } else {
    throw new Error(`unknown step "${step}"; use count, drift, profile, drift-profile or fairness`);
  }
} finally {
  await engine.close();
}
const seconds = (performance.now() - started) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ seconds, peakMb, ...facts })}\n`);
