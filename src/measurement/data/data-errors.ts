import { AppError } from '../../platform/errors.js';
import type { FileFormat } from './file-spec.js';

/**
 * Errors about data files. Each names the file and, where it applies, the line or column, what
 * was expected and what to do. All are input errors (exit code 2, HTTP 400) except running out
 * of memory and failures the data layer cannot explain.
 */

const shownValues = 10;

function inputError(path: string, where: string | null, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ path: where === null ? path : `${path}, ${where}`, message }]);
}

export function fileNotFound(path: string): AppError {
  return inputError(path, null, `The data file "${path}" does not exist; check the path`);
}

export function notAFile(path: string): AppError {
  return inputError(path, null, `"${path}" is not a regular file; name a data file, not a folder`);
}

export function emptyFile(path: string): AppError {
  return inputError(path, null, `The data file "${path}" is empty: it has no header and no rows; check that it is the file you meant`);
}

export function headerTooLong(path: string): AppError {
  return inputError(path, 'line 1', `The first line of "${path}" is longer than 8 MiB; the delimiter or the format is probably wrong`);
}

export function unreadableFile(path: string, format: FileFormat, reason: string): AppError {
  return inputError(path, null, `"${path}" cannot be read as ${formatName(format)}: ${reason}; check the file or set its format`);
}

export function malformedCsvLine(path: string, line: number, reason: string, delimiter: string, quote: string): AppError {
  return inputError(
    path,
    `line ${line}`,
    `Line ${line} of "${path}" is malformed: ${reason}; fix the line, or check the delimiter (${JSON.stringify(delimiter)}) and quote (${JSON.stringify(quote)}) settings`,
  );
}

export function malformedJsonLine(path: string, line: number, reason: string): AppError {
  return inputError(path, `line ${line}`, `Line ${line} of "${path}" is not a valid JSON object: ${reason}; fix the line`);
}

export function unparsableCsvLayout(path: string, delimiter: string, quote: string): AppError {
  return inputError(
    path,
    null,
    `DuckDB cannot read "${path}" with the delimiter ${JSON.stringify(delimiter)} and quote ${JSON.stringify(quote)}: the rows do not share one layout; check the delimiter, quote, header and skipRows settings`,
  );
}

export function valueNotOfType(path: string, column: string, line: number | null, value: string, type: string): AppError {
  const where = line === null ? `column ${column}` : `line ${line}, column ${column}`;
  return inputError(
    path,
    where,
    `The value ${JSON.stringify(value)} in column "${column}"${line === null ? '' : ` on line ${line}`} of "${path}" is not ${type}, the type DuckDB detected from the first rows; declare the column's type in csv.columnTypes (for example { ${JSON.stringify(column)}: "VARCHAR" }) or add the value to csv.nullStrings if it means "missing"`,
  );
}

export function missingColumns(path: string, missing: readonly string[], available: readonly string[]): AppError {
  const list = missing.map((name) => `"${name}"`).join(', ');
  const noun = missing.length === 1 ? 'column' : 'columns';
  // A single column whose name contains a common separator means the file was split at the wrong delimiter.
  const separator = available.length === 1 ? [';', '\t', '|'].find((candidate) => available[0]!.includes(candidate)) : undefined;
  const hint = separator === undefined ? '' : `; the header was read as one column, so the file may use ${JSON.stringify(separator)} as its delimiter: set it with --delimiter (csv.delimiter in a policy)`;
  return inputError(
    path,
    `column ${missing.join(', ')}`,
    `The ${noun} ${list} ${missing.length === 1 ? 'is' : 'are'} not in "${path}"; the file has ${available.length} ${available.length === 1 ? 'column' : 'columns'}: ${available.join(', ')}${hint}`,
  );
}

export function wrongColumnType(path: string, column: string, found: string, expected: string): AppError {
  return inputError(path, `column ${column}`, `Column "${column}" of "${path}" contains ${found} values, but ${expected} values are needed; choose another column or recode it`);
}

export function noDataRows(path: string): AppError {
  return inputError(path, null, `"${path}" has no data rows to measure; check that it is the file you meant`);
}

export function nonBinaryLabel(path: string, column: string, positives: readonly string[], valuesFound: readonly string[]): AppError {
  return inputError(
    path,
    `column ${column}`,
    `Column "${column}" of "${path}" has ${valuesFound.length} distinct values (${shortList(valuesFound)}), but binary classification needs the positive value${positives.length === 1 ? '' : 's'} ${shortList(positives)} and one negative value; recode the column, list the negative values too, or measure it as multiclass`,
  );
}

export function unexpectedLabelValues(path: string, column: string, unexpected: readonly string[], declared: readonly string[]): AppError {
  return inputError(
    path,
    `column ${column}`,
    `Column "${column}" of "${path}" has values that are neither positive nor negative: ${shortList(unexpected)} (declared: ${shortList(declared)}); add them to a list or recode them`,
  );
}

export function positiveValueNotFound(path: string, column: string, positives: readonly string[], valuesFound: readonly string[]): AppError {
  return inputError(
    path,
    `column ${column}`,
    `None of the positive values ${shortList(positives)} occurs in column "${column}" of "${path}"; the values found are ${shortList(valuesFound)}`,
  );
}

/**
 * Raised when a positive value of the label or the prediction never occurs in its column while
 * another one does: the value is most likely misspelt, and measuring on would silently count its
 * rows in the other class.
 */
export function positiveValueAbsent(path: string, column: string, role: 'label' | 'prediction', value: string, counts: readonly ValueCount[]): AppError {
  return inputError(
    path,
    `column ${column}`,
    `The positive ${role} value ${JSON.stringify(value)} does not occur in column "${column}" of "${path}"; the values found are ${describeValueCounts(counts)}; correct the value, or accept positive values that this file lacks with --allow-absent-positive (allowAbsentPositive: true beside positive in a policy)`,
  );
}

export function valueNotComparable(path: string, column: string, value: string, columnType: string): AppError {
  return inputError(
    path,
    `column ${column}`,
    `The value ${JSON.stringify(value)} cannot be compared with column "${column}" of "${path}", which contains ${columnType} values; give a value of that type`,
  );
}

export function notAProbability(path: string, column: string, count: number, firstRow: number, firstValue: string): AppError {
  return inputError(
    path,
    `column ${column}`,
    `Column "${column}" of "${path}" must hold probabilities between 0 and 1, but ${count} ${count === 1 ? 'row is' : 'rows are'} outside that range or not a number; the first is data row ${firstRow} (counted from 1 after the header) with ${firstValue}`,
  );
}

export function notNumeric(path: string, column: string, count: number, firstRow: number, firstValue: string): AppError {
  return inputError(
    path,
    `column ${column}`,
    `Column "${column}" of "${path}" must hold numbers, but ${count} ${count === 1 ? 'row contains' : 'rows contain'} other text; the first is data row ${firstRow} (counted from 1 after the header) with ${JSON.stringify(firstValue)}`,
  );
}

export function missingSensitiveValues(path: string, column: string, count: number): AppError {
  return inputError(
    path,
    `column ${column}`,
    `The sensitive attribute "${column}" of "${path}" is missing in ${count} ${count === 1 ? 'row' : 'rows'}; fill the values in, or let missing values form their own group`,
  );
}

export function tooManyDistinctValues(path: string, columns: readonly string[], limit: number): AppError {
  return inputError(
    path,
    `column ${columns.join(', ')}`,
    `The columns ${columns.map((name) => `"${name}"`).join(', ')} of "${path}" have more than ${limit} distinct combinations of values; check that they are labels and groups, not measurements or ids`,
  );
}

export function invalidArgument(path: string, message: string): AppError {
  return inputError(path, null, message);
}

export function outOfMemory(path: string, memoryLimit: string): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    `DuckDB ran out of memory while reading "${path}" (memory limit ${memoryLimit}); raise the limit (--memory-limit on the command line) or measure fewer columns at once`,
  );
}

export function queryFailed(path: string, reason: string, cause: unknown): AppError {
  return new AppError('INTERNAL', `Reading "${path}" failed: ${reason}`, [], { cause });
}

function formatName(format: FileFormat): string {
  switch (format) {
    case 'csv':
      return 'CSV';
    case 'parquet':
      return 'Parquet';
    case 'jsonl':
      return 'JSON Lines';
  }
}

/** Lists up to ten values in quotes, with a count of the rest. */
export function shortList(values: readonly string[]): string {
  const shown = values.slice(0, shownValues).map((value) => JSON.stringify(value));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** A value of a column and the number of rows that hold it; null is the missing value. */
export interface ValueCount {
  readonly value: string | null;
  readonly rows: number;
}

/** Largest number of values that describeValueCounts shows. */
const shownValueCounts = 5;

/**
 * Lists the most frequent values with their row counts, such as `"Caucasian" (2454 rows)`, and
 * how many values are left out. Equal counts keep the values in code-point order.
 */
export function describeValueCounts(counts: readonly ValueCount[]): string {
  const totals = new Map<string | null, number>();
  for (const { value, rows } of counts) totals.set(value, (totals.get(value) ?? 0) + rows);
  const sorted = [...totals].sort(([leftValue, leftRows], [rightValue, rightRows]) => rightRows - leftRows || String(leftValue).localeCompare(String(rightValue)));
  const shown = sorted.slice(0, shownValueCounts).map(([value, rows]) => `${value === null ? '(missing)' : JSON.stringify(value)} (${rows} ${rows === 1 ? 'row' : 'rows'})`);
  const rest = sorted.length - shown.length;
  if (shown.length === 0) return 'no values';
  return rest > 0 ? `${shown.join(', ')} and ${rest} more ${rest === 1 ? 'value' : 'values'}` : shown.join(', ');
}

/** Builds the warning that rows were left out of a measurement, for example because they have no label. */
export function leftOutWarning(path: string, count: number, reason: string): string {
  return count === 1 ? `1 row of "${path}" has ${reason} and was left out` : `${count} rows of "${path}" have ${reason} and were left out`;
}
