import { nonBinaryLabel, positiveValueAbsent, positiveValueNotFound, unexpectedLabelValues, invalidArgument, type ValueCount } from './data-errors.js';
import type { DataSet } from './dataset.js';
import { quoteIdentifier, type SqlParameters } from './sql-text.js';
import { membershipExpression, valuesNotFound, type ColumnValue } from './value-matching.js';

/**
 * The actual outcome of binary classification. A row is an actual positive when its label is
 * one of `positive`. Without `negative`, every other value is the negative class, and the column
 * may contain only one such value. With `negative`, a value in neither list is an error.
 */
export interface BinaryLabelSpec {
  readonly column: string;
  readonly positive: readonly ColumnValue[];
  readonly negative?: readonly ColumnValue[];
  /**
   * Whether a positive value may be absent from the file while another occurs; default false,
   * which raises an error naming the absent value. When true, the absent value gets a warning.
   */
  readonly allowAbsentPositive?: boolean;
}

/** Label values found in a file, as text, by class. */
export interface BinaryLabelValues {
  readonly positive: readonly string[];
  readonly negative: readonly string[];
}

/** How many rows have one label value, and whether that value is positive (null: missing or in no list). */
export interface LabelValueCount {
  readonly labelText: string | null;
  readonly actual: boolean | null;
  readonly rows: number;
}

/**
 * SQL for the label as text (for messages) and for the actual class: true, false, or null when
 * the label is missing or, with declared negatives, in neither list. `expression` is the SQL for
 * the label's value, by default the label column itself.
 */
export function labelSql(
  dataSet: DataSet,
  label: BinaryLabelSpec,
  parameters: SqlParameters,
  expression: string = quoteIdentifier(label.column),
): { text: string; actual: string } {
  const column = dataSet.column(label.column);
  if (label.positive.length === 0) throw invalidArgument(dataSet.path, `The label "${column.name}" needs at least one positive value`);
  const text = `CAST(${expression} AS VARCHAR)`;
  const positive = membershipExpression(dataSet, column, label.positive, parameters, expression);
  if (label.negative === undefined) return { text, actual: positive };
  const negative = membershipExpression(dataSet, column, label.negative, parameters, expression);
  return { text, actual: `(CASE WHEN ${positive} THEN true WHEN ${negative} THEN false ELSE NULL END)` };
}

/**
 * Checks that the label values found make a binary label. Every positive value occurs, every
 * value is in a declared list, and without declared negatives at most one other value occurs.
 * With `allowAbsentPositive`, one positive value suffices and each absent one is added to
 * `warnings`.
 */
export function checkBinaryLabelValues(dataSet: DataSet, label: BinaryLabelSpec, counted: readonly LabelValueCount[], warnings: string[]): BinaryLabelValues {
  const positive = distinctSorted(counted.filter((row) => row.actual === true).map((row) => row.labelText));
  const negative = distinctSorted(counted.filter((row) => row.actual === false).map((row) => row.labelText));
  const unclassified = distinctSorted(counted.filter((row) => row.actual === null && row.labelText !== null).map((row) => row.labelText));
  const found = distinctSorted([...positive, ...negative, ...unclassified]);
  const declaredPositive = label.positive.map(String);

  if (unclassified.length > 0) {
    throw unexpectedLabelValues(dataSet.path, label.column, unclassified, [...declaredPositive, ...(label.negative ?? []).map(String)]);
  }
  if (positive.length === 0) throw positiveValueNotFound(dataSet.path, label.column, declaredPositive, found);
  const counts = counted.map((row) => ({ value: row.labelText, rows: row.rows }));
  checkEveryPositiveOccurs(dataSet, { column: label.column, role: 'label', positive: label.positive, allowAbsent: label.allowAbsentPositive ?? false }, found, counts, warnings);
  if (label.negative === undefined && negative.length > 1) throw nonBinaryLabel(dataSet.path, label.column, declaredPositive, found);
  return { positive, negative };
}

/**
 * Raises an error for the first positive value of the label or the prediction that occurs
 * nowhere in its column, or with `allowAbsent` adds a warning for each such value.
 */
export function checkEveryPositiveOccurs(
  dataSet: DataSet,
  declared: { readonly column: string; readonly role: 'label' | 'prediction'; readonly positive: readonly ColumnValue[]; readonly allowAbsent: boolean },
  found: readonly string[],
  counts: readonly ValueCount[],
  warnings: string[],
): void {
  const absent = valuesNotFound(dataSet, dataSet.column(declared.column), declared.positive, found).map(String);
  if (absent.length === 0) return;
  if (!declared.allowAbsent) throw positiveValueAbsent(dataSet.path, declared.column, declared.role, absent[0]!, counts);
  for (const value of absent) warnings.push(`The positive ${declared.role} value ${JSON.stringify(value)} does not occur in column "${declared.column}" of "${dataSet.path}"`);
}

/** Returns the distinct non-null values in code-point order. */
export function distinctSorted(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))].sort();
}
