import type { DataColumn } from './column-types.js';
import { valueNotComparable } from './data-errors.js';
import type { DataSet } from './dataset.js';
import { quoteIdentifier, type SqlParameters } from './sql-text.js';

/** A value a caller names in a column: a label, a prediction or a category. */
export type ColumnValue = string | number | boolean;

/**
 * SQL that is true when the column's value is one of `values`, false when it is another value,
 * and null when it is missing. Values are compared in the column's own type: numbers as DOUBLE
 * (so `1`, `"1"` and `1.0` all match the integer 1), booleans as BOOLEAN, everything else by
 * its text form. A value that cannot have the column's type raises an error naming both.
 * `expression` is the SQL for the column's value, by default the column itself.
 */
export function membershipExpression(
  dataSet: DataSet,
  column: DataColumn,
  values: readonly ColumnValue[],
  parameters: SqlParameters,
  expression: string = quoteIdentifier(column.name),
): string {
  const name = expression;
  if (column.columnType === 'numerical') {
    const numbers = values.map((value) => asNumber(dataSet, column, value));
    return `(CAST(${name} AS DOUBLE) IN (${numbers.map((number) => parameters.bindDouble(number)).join(', ')}))`;
  }
  if (column.columnType === 'boolean') {
    const booleans = values.map((value) => asBoolean(dataSet, column, value));
    return `(${name} IN (${parameters.bindList(booleans)}))`;
  }
  return `(CAST(${name} AS VARCHAR) IN (${parameters.bindList(values.map((value) => String(value)))}))`;
}

function asNumber(dataSet: DataSet, column: DataColumn, value: ColumnValue): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isNaN(number)) throw valueNotComparable(dataSet.path, column.name, String(value), `numeric (${column.duckdbType})`);
  return number;
}

/** The spellings DuckDB reads as booleans in CSV files, so `yes` matches a column DuckDB typed BOOLEAN. */
const trueSpellings = new Set(['true', 't', 'yes', 'y', '1']);
const falseSpellings = new Set(['false', 'f', 'no', 'n', '0']);

function asBoolean(dataSet: DataSet, column: DataColumn, value: ColumnValue): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (trueSpellings.has(text)) return true;
  if (falseSpellings.has(text)) return false;
  throw valueNotComparable(dataSet.path, column.name, String(value), 'boolean');
}

/**
 * Returns the values of `values` that match none of the texts `found` in the column (its values
 * cast to VARCHAR), comparing them as membershipExpression does: numbers as numbers, booleans as
 * booleans, everything else by its text form.
 */
export function valuesNotFound(dataSet: DataSet, column: DataColumn, values: readonly ColumnValue[], found: readonly string[]): ColumnValue[] {
  if (column.columnType === 'numerical') {
    const numbers = new Set(found.map(Number));
    return values.filter((value) => !numbers.has(asNumber(dataSet, column, value)));
  }
  if (column.columnType === 'boolean') {
    const booleans = new Set(found.map((text) => text === 'true'));
    return values.filter((value) => !booleans.has(asBoolean(dataSet, column, value)));
  }
  const texts = new Set(found);
  return values.filter((value) => !texts.has(String(value)));
}
