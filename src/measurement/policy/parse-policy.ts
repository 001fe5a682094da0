import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { defaultBaselineLength, defaultConfidenceLevel, defaultSpcCharts, defaultTaskDueDays, type MeasurementPolicy, type PolicyCheck, type SpcChart } from './policy.js';
import { PolicyFileSchema, riskTiers, type RiskTier } from './policy-schema.js';
import { assignCheckIds, reportConflictingMappings, reportRepeatedIds, resolveChecks, type UnnamedCheck } from './resolve-checks.js';
import { declaredRoles, resolveData } from './resolve-data.js';
import { checkShape, isMapping, type PointerProblem } from './shape-check.js';
import { positionOf } from './yaml-locations.js';

/**
 * Parses a measurement policy file. Every problem is collected before the parse gives up:
 * YAML syntax errors, values of the wrong shape, unknown metrics and parameters, and references
 * between fields that do not fit. Each problem carries its JSON pointer, its line and column in
 * the file, what was expected and what was received.
 */

export interface PolicyProblem {
  /** JSON pointer (RFC 6901) of the offending value, such as /checks/2/metric. */
  readonly pointer: string;
  /** 1-based line and column in the file, or null when the value has no place in it. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
  readonly expected: string;
  readonly received: string | null;
}

export type PolicyParseResult = { readonly ok: true; readonly policy: MeasurementPolicy } | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

export interface PolicyParseOptions {
  /** Folder that relative data file paths start from: the policy file's folder. */
  readonly baseDirectory: string;
}

/**
 * Limit on alias expansion handed to the yaml package, which counts each use of an anchor times
 * the aliases inside the anchored value, so that nested anchors cannot exhaust memory.
 */
const maxAliasCount = 100;

export function parsePolicy(text: string, options: PolicyParseOptions): PolicyParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxProblems: PolicyProblem[] = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { pointer: '', line, column: col, message: describeYamlError(error.message, text, line), expected: 'valid YAML', received: null };
  });

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount });
  } catch (error) {
    // The yaml package raises ReferenceError for an alias bomb and for an alias without its anchor.
    if (!(error instanceof ReferenceError)) throw error;
    return { ok: false, problems: [...syntaxProblems, { pointer: '', line: null, column: null, message: describeAliasFailure(error), expected: 'YAML without runaway aliases', received: null }] };
  }
  if (value === null || value === undefined) {
    const message = 'is empty; a policy is a mapping with policyFormat, name, aiSystem, data and checks';
    return { ok: false, problems: [...syntaxProblems, { pointer: '', line: 1, column: 1, message, expected: 'a mapping', received: null }] };
  }

  const found: PointerProblem[] = checkShape(PolicyFileSchema, value);
  const policy = resolvePolicy(value, options, found, (pointer) => positionOf(document, lineCounter, pointer)?.line ?? null);
  const located = found.map((problem): PolicyProblem => {
    const position = positionOf(document, lineCounter, problem.pointer);
    return { ...problem, line: position?.line ?? null, column: position?.column ?? null };
  });
  // A syntax error leaves a value behind (an unquoted >= reads as an empty block scalar), and
  // the shape problem that value causes on the same line would only repeat the syntax error.
  const syntaxLines = new Set(syntaxProblems.map((problem) => problem.line));
  const problems = [...syntaxProblems, ...located.filter((problem) => !syntaxLines.has(problem.line))].sort(byPosition);
  return problems.length === 0 ? { ok: true, policy } : { ok: false, problems: dropRepeats(problems) };
}

function resolvePolicy(value: unknown, options: PolicyParseOptions, problems: PointerProblem[], locate: (pointer: string) => number | null): MeasurementPolicy {
  const raw = isMapping(value) ? value : {};
  const data = resolveData(raw.data, options.baseDirectory, problems);
  const context = { files: data, declared: declaredRoles(raw.data) };

  const lists: { tier: RiskTier | null; checks: UnnamedCheck[] }[] = [{ tier: null, checks: resolveChecks(raw.checks, '/checks', context, problems) }];
  const tiers = isMapping(raw.tiers) ? raw.tiers : {};
  for (const tier of riskTiers) {
    if (tiers[tier] !== undefined) lists.push({ tier, checks: resolveChecks(tiers[tier], `/tiers/${tier}`, context, problems) });
  }
  const checkCount = (Array.isArray(raw.checks) ? raw.checks.length : 0) + Object.values(tiers).reduce((total: number, list) => total + (Array.isArray(list) ? list.length : 0), 0);
  if (checkCount === 0 && isMapping(value)) {
    problems.push({ pointer: '/checks', message: 'the policy has no checks; add at least one under checks or under a tier in tiers', expected: 'a list of checks', received: null });
  }

  reportRepeatedIds(
    [{ pointer: '/checks', raw: raw.checks }, ...riskTiers.map((tier) => ({ pointer: `/tiers/${tier}`, raw: tiers[tier] }))],
    problems,
    locate,
  );
  reportConflictingMappings(lists.flatMap((list) => list.checks), problems);
  const ids = assignCheckIds(lists.flatMap((list) => list.checks));
  const named = (checks: UnnamedCheck[]): PolicyCheck[] =>
    checks.map((check) => {
      const { explicitId: _explicitId, pointer, ...resolved } = check;
      return { ...resolved, id: ids.get(check)!, source: { pointer, line: locate(pointer) } };
    });
  const settings = isMapping(raw.settings) ? raw.settings : {};
  const monitoring = isMapping(raw.monitoring) ? raw.monitoring : {};
  const charts = Array.isArray(monitoring.charts) ? [...new Set(monitoring.charts as SpcChart[])] : defaultSpcCharts;

  return {
    name: String(raw.name ?? ''),
    description: typeof raw.description === 'string' ? raw.description : null,
    aiSystem: String(raw.aiSystem ?? ''),
    modelVersion: isMapping(raw.modelVersion) ? { model: String(raw.modelVersion.model), version: String(raw.modelVersion.version) } : null,
    data,
    settings: {
      minGroupSize: typeof settings.minGroupSize === 'number' ? settings.minGroupSize : null,
      confidenceLevel: typeof settings.confidenceLevel === 'number' ? settings.confidenceLevel : defaultConfidenceLevel,
      bootstrapResamples: typeof settings.bootstrapResamples === 'number' ? settings.bootstrapResamples : null,
      seed: typeof settings.seed === 'number' ? settings.seed : null,
    },
    monitoring: {
      charts,
      taskDueDays: typeof monitoring.taskDueDays === 'number' ? monitoring.taskDueDays : defaultTaskDueDays,
      baselineLength: typeof monitoring.baselineLength === 'number' ? monitoring.baselineLength : defaultBaselineLength,
    },
    checks: named(lists[0]!.checks),
    tierChecks: Object.fromEntries(lists.slice(1).map((list) => [list.tier, named(list.checks)])),
  };
}

/** Adds a hint to the yaml package's message for the mistake policy authors make most: an unquoted >=. */
function describeYamlError(message: string, text: string, line: number): string {
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  if (/block scalar/i.test(message) && /:\s*[>|]/.test(lineText)) {
    return `is not valid YAML: ${message}. A value that starts with > or | must be quoted, for example operator: ">="`;
  }
  return `is not valid YAML: ${message}`;
}

function describeAliasFailure(error: ReferenceError): string {
  if (error.message.startsWith('Excessive alias count')) {
    return `has aliases (*name) that expand to more than ${maxAliasCount} copies of anchored values, which could exhaust memory; write the repeated values out in full`;
  }
  return `is not valid YAML: ${error.message}`;
}

function byPosition(a: PolicyProblem, b: PolicyProblem): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0) || a.pointer.localeCompare(b.pointer);
}

function dropRepeats(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Writes a problem the way compilers do, so editors can jump to it: `policy.yaml:14:5: /checks/2/metric is not a known metric …`. */
export function formatPolicyProblem(fileName: string, problem: PolicyProblem): string {
  const where = problem.line === null ? fileName : `${fileName}:${problem.line}:${problem.column ?? 1}`;
  const received = problem.received === null ? '' : ` (received ${problem.received})`;
  return `${where}: ${problem.pointer || 'the file'} ${problem.message}${received}`;
}

/** Turns problems into the catalogue's VALIDATION_FAILED error, one detail per problem. */
export function policyProblemsError(fileName: string, problems: readonly PolicyProblem[]): AppError {
  const details: ErrorDetail[] = problems.map((problem) => ({
    path: `${problem.line === null ? fileName : `${fileName} line ${problem.line}`}, ${problem.pointer || '/'}`,
    message: problem.received === null ? problem.message : `${problem.message} (received ${problem.received})`,
  }));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new AppError('VALIDATION_FAILED', `The policy file "${fileName}" has ${count}; nothing was measured. Fix the file and run again`, details);
}

/** A policy read from disk with the facts a stored run records about it. */
export interface PolicyFileContents {
  readonly policy: MeasurementPolicy;
  readonly fileName: string;
  readonly text: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** Reads and parses a policy file; throws VALIDATION_FAILED listing every problem. */
export function readPolicyFile(filePath: string): PolicyFileContents {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EACCES') throw error;
    const reasons: Record<string, string> = { ENOENT: 'does not exist', EISDIR: 'is a folder', EACCES: 'cannot be read (permission denied)' };
    const reason = reasons[code]!;
    throw new AppError('VALIDATION_FAILED', `The policy file "${filePath}" ${reason}; give the path of a policy YAML file`, [{ path: 'policy', message: reason }]);
  }
  const text = bytes.toString('utf8');
  const fileName = path.basename(filePath);
  const result = parsePolicy(text, { baseDirectory: path.dirname(path.resolve(filePath)) });
  if (!result.ok) throw policyProblemsError(fileName, result.problems);
  return { policy: result.policy, fileName, text, sha256: createHash('sha256').update(bytes).digest('hex') };
}
