import { missingSensitiveValues } from './data-errors.js';
import type { DataSet } from './dataset.js';
import { quoteIdentifier } from './sql-text.js';
import { toTextOrNull } from './values.js';

/**
 * What to do with rows whose sensitive attribute is missing: `group` puts them in a group of
 * their own, whose key is null for that attribute; `error` rejects the file, naming the
 * attribute and the number of rows.
 */
export type MissingGroupPolicy = 'group' | 'error';

/** Grouped aggregates return at most this many rows; more means the columns are not groups. */
export const maxResultRows = 100_000;

/*
 * Group keys are grouped by their raw values (`group_value_i`) and cast to text
 * (`group_key_i`) only in the grouped result: casting every row to VARCHAR before grouping
 * made a 10,000,000-row scan about twice as slow.
 */

/** SQL select items `attribute AS group_value_i`, one per attribute, each with a trailing comma. */
export function groupValueSelect(dataSet: DataSet, attributes: readonly string[]): string {
  return dataSet
    .requireColumns(attributes)
    .map((column, index) => `${quoteIdentifier(column.name)} AS group_value_${index}, `)
    .join('');
}

/** SQL column list `group_value_0, group_value_1, …` for GROUP BY, each with a trailing comma. */
export function groupValueColumns(attributes: readonly string[]): string {
  return attributes.map((_, index) => `group_value_${index}, `).join('');
}

/** SQL select items `CAST(group_value_i AS VARCHAR) AS group_key_i`, each with a trailing comma. */
export function groupKeyText(attributes: readonly string[]): string {
  return attributes.map((_, index) => `CAST(group_value_${index} AS VARCHAR) AS group_key_${index}, `).join('');
}

export function readGroupKey(row: Record<string, unknown>, attributes: readonly string[]): (string | null)[] {
  return attributes.map((_, index) => toTextOrNull(row[`group_key_${index}`]));
}

/** Returns a map key for a group key; JSON keeps null apart from the text "null". */
export function groupMapKey(key: readonly (string | null)[]): string {
  return JSON.stringify(key);
}

/** Orders group keys by their values, attribute by attribute, with missing values last. */
export function compareGroupKeys(left: readonly (string | null)[], right: readonly (string | null)[]): number {
  for (let index = 0; index < left.length; index++) {
    const a = left[index] ?? null;
    const b = right[index] ?? null;
    if (a === b) continue;
    if (a === null) return 1;
    if (b === null) return -1;
    return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Raises the missing-value error when the policy is `error` and some group key has a missing
 * attribute; `counted` lists each group key with its number of rows.
 */
export function enforceMissingGroupPolicy(
  dataSet: DataSet,
  attributes: readonly string[],
  counted: readonly { key: readonly (string | null)[]; rows: number }[],
  policy: MissingGroupPolicy,
): void {
  if (policy === 'group') return;
  attributes.forEach((attribute, index) => {
    const missing = counted.filter(({ key }) => key[index] === null).reduce((sum, { rows }) => sum + rows, 0);
    if (missing > 0) throw missingSensitiveValues(dataSet.path, attribute, missing);
  });
}
