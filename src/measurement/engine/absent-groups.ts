/**
 * Explanations for a group that a policy or a command names and the data lacks: a value of a
 * group filter or a reference group that no measured row has. Such a name is a mistake in the
 * input (a misspelt value, or the wrong file), so the callers raise it as an input error instead
 * of reporting an undefined outcome.
 */
import { describeValueCounts } from '../data/data-errors.js';

/** A group found in the data: its values in the order of the attributes, and its measured rows. */
export interface CountedGroup {
  readonly key: readonly (string | null)[];
  readonly size: number;
}

const missingValueName = '(missing)';

/**
 * Explains why no measured row has the `values` of `attributes`: names the first value that
 * occurs nowhere in its column, with the values that do occur and their row counts. When every
 * value occurs on its own, it names the combination instead, with the combinations that occur.
 * A value `(missing)` stands for the missing value, as in group filters.
 */
export function describeAbsentGroup(attributes: readonly string[], values: readonly string[], groups: readonly CountedGroup[]): string {
  for (const [index, attribute] of attributes.entries()) {
    const value = values[index] as string;
    const counts = groups.map((group) => ({ value: group.key[index] ?? null, rows: group.size }));
    if (counts.some((count) => count.value === value || (value === missingValueName && count.value === null))) continue;
    const absent = value === missingValueName ? `no row has a missing value in column "${attribute}"` : `the value ${JSON.stringify(value)} does not occur in column "${attribute}"`;
    return `${absent}; the values found are ${describeValueCounts(counts)}`;
  }
  const combinations = groups.map((group) => ({ value: group.key.map((value) => value ?? missingValueName).join(' & '), rows: group.size }));
  const named = attributes.map((attribute, index) => `${attribute}=${values[index]}`).join(' and ');
  return `every value occurs, but no row has ${named} together; the combinations found are ${describeValueCounts(combinations)}`;
}

/**
 * Returns the values of each attribute that a group name gives: the value itself for one
 * attribute, values joined by " & ", or the form reports use (`race=Caucasian, sex=Male`).
 * Returns null when the name fits none of these forms.
 */
export function valuesOfGroupName(attributes: readonly string[], name: string): string[] | null {
  if (attributes.length === 1) return [name.startsWith(`${attributes[0]}=`) ? name.slice(attributes[0]!.length + 1) : name];
  const joined = name.split(' & ');
  if (joined.length === attributes.length) return joined;
  const pairs = name.split(', ');
  if (pairs.length !== attributes.length) return null;
  const values = pairs.map((pair, index) => (pair.startsWith(`${attributes[index]}=`) ? pair.slice(attributes[index]!.length + 1) : null));
  return values.every((value): value is string => value !== null) ? values : null;
}
