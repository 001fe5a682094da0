import { metricDefinitions, type MetricName, type ParameterSpec } from './metric-names.js';
import { closestNames } from './name-suggestions.js';
import type { ParameterValue, Threshold } from './policy.js';
import { describeReceived, escapePointer, isMapping, type PointerProblem } from './shape-check.js';
import { thresholdBounds } from './thresholds.js';

/**
 * Resolves the parameters and the threshold of one check against its metric's definition:
 * unknown names, values of the wrong kind, required parameters left out, combinations that make
 * no sense, and thresholds outside the range the metric's values lie in.
 */

/** Largest gap allowed between 1 and the sum of the shares of a population. */
const shareSumTolerance = 1e-6;

export function resolveParameters(metric: MetricName, raw: unknown, pointer: string, problems: PointerProblem[]): Record<string, ParameterValue> {
  const specs: Readonly<Record<string, ParameterSpec>> = metricDefinitions[metric].parameters;
  const given = isMapping(raw) ? raw : {};
  const names = Object.keys(specs);
  const resolved: Record<string, ParameterValue> = {};

  for (const [name, value] of Object.entries(given)) {
    const spec = specs[name];
    const at = `${pointer}/${escapePointer(name)}`;
    if (!spec) {
      const suggestions = closestNames(name, names);
      const valid = names.length === 0 ? `${metric} takes no parameters` : `the parameters of ${metric} are ${names.join(', ')}`;
      problems.push({
        pointer: at,
        message: `is not a parameter of ${metric}; ${suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}? ` : ''}${valid}`,
        expected: names.length === 0 ? 'no parameters' : `one of ${names.join(', ')}`,
        received: JSON.stringify(name),
      });
      continue;
    }
    const problem = checkParameter(spec, value);
    const suggestions = problem && spec.kind === 'choice' && typeof value === 'string' ? closestNames(value, spec.values) : [];
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(' or ')}?` : '';
    if (problem) problems.push({ pointer: at, message: `must be ${problem}${hint}`, expected: problem, received: describeReceived(value) });
    else resolved[name] = value as ParameterValue;
  }

  for (const [name, spec] of Object.entries(specs)) {
    if (resolved[name] !== undefined || given[name] !== undefined) continue;
    if (spec.default !== null) resolved[name] = spec.default;
    else if (!('optional' in spec && spec.optional)) {
      const expected = describeSpec(spec);
      problems.push({ pointer: `${pointer}/${escapePointer(name)}`, message: `is missing; ${metric} needs ${name}: ${spec.description}`, expected, received: null });
    }
  }

  checkCombinations(metric, specs, given, resolved, pointer, problems);
  // The reference group matters only when groups are compared with it; its default would mislead.
  if (resolved.comparison !== undefined && resolved.comparison !== 'to_reference') delete resolved.reference;
  return resolved;
}

function checkParameter(spec: ParameterSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value) ? null : describeSpec(spec);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.minimum && value <= spec.maximum ? null : describeSpec(spec);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= spec.minimum && value <= spec.maximum ? null : describeSpec(spec);
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 ? null : describeSpec(spec);
    case 'values':
      return Array.isArray(value) && value.length > 0 && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item)) ? null : describeSpec(spec);
    case 'shares':
      return checkShares(value);
  }
}

function checkShares(value: unknown): string | null {
  if (!isMapping(value) || Object.keys(value).length === 0) return 'a mapping of each category to its share, such as { A: 0.6, B: 0.4 }';
  const shares = Object.values(value);
  if (!shares.every((share) => typeof share === 'number' && share >= 0 && share <= 1)) return 'a mapping of categories to shares from 0 to 1';
  const sum = (shares as number[]).reduce((total, share) => total + share, 0);
  return Math.abs(sum - 1) <= shareSumTolerance ? null : `shares that sum to 1 (these sum to ${sum})`;
}

function describeSpec(spec: ParameterSpec): string {
  switch (spec.kind) {
    case 'choice':
      return `one of ${spec.values.join(', ')}`;
    case 'integer':
      return `a whole number from ${spec.minimum} to ${spec.maximum}`;
    case 'number':
      return Number.isFinite(spec.minimum) || Number.isFinite(spec.maximum) ? `a number from ${spec.minimum} to ${spec.maximum}` : 'a number';
    case 'text':
      return 'non-empty text';
    case 'values':
      return 'a non-empty list of values';
    case 'shares':
      return 'a mapping of each category to its share, the shares summing to 1';
  }
}

function checkCombinations(
  metric: MetricName,
  specs: Readonly<Record<string, ParameterSpec>>,
  given: Record<string, unknown>,
  resolved: Record<string, ParameterValue>,
  pointer: string,
  problems: PointerProblem[],
): void {
  if (specs.reference !== undefined && given.reference !== undefined && resolved.comparison !== 'to_reference') {
    problems.push({
      pointer: `${pointer}/reference`,
      message: `applies only when comparison is to_reference, and comparison is ${String(resolved.comparison)}; set comparison: to_reference or remove reference`,
      expected: 'comparison: to_reference beside reference',
      received: describeReceived(given.reference),
    });
  }
  if (metric === 'range_violations') {
    const { minimum, maximum } = resolved;
    if (minimum === undefined && maximum === undefined && given.minimum === undefined && given.maximum === undefined) {
      problems.push({ pointer, message: 'needs minimum, maximum or both for range_violations', expected: 'a mapping with minimum or maximum', received: describeReceived(given) });
    }
    if (typeof minimum === 'number' && typeof maximum === 'number' && minimum > maximum) {
      problems.push({ pointer: `${pointer}/minimum`, message: `is above maximum (${maximum}); swap the two`, expected: `a number of at most ${maximum}`, received: String(minimum) });
    }
  }
}

/**
 * Resolves a threshold whose shape was checked: between needs min and max and no value; the
 * other operators need value and no min or max.
 */
export function resolveThreshold(raw: unknown, pointer: string, problems: PointerProblem[]): Threshold | null {
  if (!isMapping(raw) || typeof raw.operator !== 'string') return null;
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const misplaced = (key: string, rule: string) =>
    problems.push({ pointer: `${pointer}/${key}`, message: `does not apply to operator ${raw.operator}; ${rule}`, expected: `no ${key}`, received: describeReceived(raw[key]) });
  const missing = (key: string, rule: string) => problems.push({ pointer: `${pointer}/${key}`, message: `is missing; ${rule}`, expected: 'a number', received: null });

  if (raw.operator === 'between') {
    if (raw.value !== undefined) misplaced('value', 'between takes min and max');
    if (raw.min === undefined) missing('min', 'between needs min and max, both inclusive');
    if (raw.max === undefined) missing('max', 'between needs min and max, both inclusive');
    const min = number(raw.min);
    const max = number(raw.max);
    if (min === undefined || max === undefined) return null;
    if (min > max) {
      problems.push({ pointer: `${pointer}/min`, message: `is above max (${max}), so no value could pass; swap the two`, expected: `a number of at most ${max}`, received: String(min) });
      return null;
    }
    return { operator: 'between', min, max };
  }
  if (!['<', '<=', '>', '>='].includes(raw.operator)) return null;
  for (const key of ['min', 'max']) if (raw[key] !== undefined) misplaced(key, `${raw.operator} takes value; min and max belong to between`);
  if (raw.value === undefined) missing('value', `operator ${raw.operator} needs value, the bound`);
  const value = number(raw.value);
  return value === undefined ? null : { operator: raw.operator as '<' | '<=' | '>' | '>=', value };
}

/**
 * Reports a threshold whose bound lies outside the values a metric can take (or an interval
 * that misses them), which is nearly always a percentage written for a share (80 for 0.8). The range narrows to 0..1 when the
 * check thresholds a p-value or a share of rows.
 */
export function checkThresholdRange(metric: MetricName, parameters: Record<string, ParameterValue>, threshold: Threshold, pointer: string, problems: PointerProblem[]): void {
  const isShare = parameters.value === 'p_value' || parameters.measure === 'share';
  const [low, high] = isShare ? [0, 1] : metricDefinitions[metric].range;
  // An interval may reach past the range (0.8 to 1.25 for a folded ratio) as long as it overlaps it.
  const outside =
    threshold.operator === 'between'
      ? threshold.max < low || threshold.min > high
        ? [threshold.min, threshold.max]
        : []
      : thresholdBounds(threshold).filter((bound) => bound < low || bound > high);
  if (outside.length === 0) return;
  const what = parameters.value === 'p_value' ? `the p-value of ${metric}` : metric;
  problems.push({
    pointer,
    message: `names ${outside.join(' and ')}, but ${what} lies from ${low} to ${high}, so the check could never change its result; write shares as fractions (0.8 for 80 %)`,
    expected: `bounds from ${low} to ${high}`,
    received: outside.join(', '),
  });
}
