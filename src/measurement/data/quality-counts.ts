import type { DataColumn } from './column-types.js';
import { invalidArgument } from './data-errors.js';
import type { DataSet } from './dataset.js';
import type { DataEngine } from './engine.js';
import { quoteIdentifier, SqlParameters } from './sql-text.js';
import { toCount, toTextOrNull } from './values.js';

/** The type a schema declares for a column. */
export type DeclaredType = 'integer' | 'number' | 'string' | 'boolean' | 'date' | 'timestamp';

export const declaredTypes: readonly DeclaredType[] = ['integer', 'number', 'string', 'boolean', 'date', 'timestamp'];

/** One column of a declared schema. Ranges apply to integer and number columns only. */
export interface DeclaredColumn {
  readonly name: string;
  readonly type: DeclaredType;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Allowed values, compared with each value's text form. */
  readonly allowedValues?: readonly string[];
}

/** Counts for one column against its declaration; rates and judgements belong to the core. */
export interface ColumnQualityCounts {
  readonly column: string;
  readonly rowCount: number;
  readonly missing: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
  /** Non-missing values that are not of the declared type. */
  readonly typeViolations: number;
  /** The smallest such value in text order, as an example; null when there is none. */
  readonly typeViolationExample: string | null;
  /** Values of the declared type below `minimum` or above `maximum`. */
  readonly belowMinimum: number;
  readonly aboveMaximum: number;
  /** Non-missing values not in `allowedValues` (0 when no values are declared). */
  readonly notAllowed: number;
  readonly notAllowedExample: string | null;
  /** The most frequent non-missing value (ties broken by text order) and its count. */
  readonly mostFrequent: { readonly value: string; readonly count: number } | null;
}

/**
 * Counts, per declared column, missing and distinct values, type violations, range violations
 * and values outside the allowed set, in one scan. Then it finds the most frequent value of each
 * column with one GROUP BY per column, so materialize a file-based data set first when checking
 * many columns.
 *
 * Type conformance reads a text column's values as written: `integer` means optional sign and
 * digits; `number` anything DuckDB casts to DOUBLE (including `inf` and `nan`); `boolean`
 * anything DuckDB casts to BOOLEAN (true/false, t/f, yes/no, y/n, 1/0); `date` and `timestamp`
 * ISO 8601. A column DuckDB already typed conforms when its type fits the declaration, and a
 * DOUBLE conforms to `integer` when every value is whole. Open the file with `csv.allText` to see
 * every value as written.
 */
export async function columnQualityCounts(engine: DataEngine, dataSet: DataSet, schema: readonly DeclaredColumn[]): Promise<ColumnQualityCounts[]> {
  const columns = dataSet.requireColumns(schema.map((declared) => declared.name));
  schema.forEach((declared) => checkDeclaration(dataSet, declared));
  if (schema.length === 0) return [];

  const parameters = new SqlParameters();
  const aggregates = schema.flatMap((declared, index) => columnAggregates(declared, columns[index] as DataColumn, index, parameters));
  const sql = `SELECT count(*) AS row_count, ${aggregates.join(', ')} FROM ${dataSet.fromClause(parameters)}`;
  const [row] = await engine.rows(`checking data quality of ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);

  const results: ColumnQualityCounts[] = [];
  for (const [index, declared] of schema.entries()) {
    const mostFrequent = await mostFrequentValue(engine, dataSet, declared.name);
    results.push({
      column: declared.name,
      rowCount: toCount(row?.['row_count']),
      missing: toCount(row?.[`missing_${index}`]),
      distinct: toCount(row?.[`distinct_${index}`]),
      typeViolations: toCount(row?.[`type_violations_${index}`]),
      typeViolationExample: toTextOrNull(row?.[`type_violation_example_${index}`]),
      belowMinimum: toCount(row?.[`below_minimum_${index}`]),
      aboveMaximum: toCount(row?.[`above_maximum_${index}`]),
      notAllowed: toCount(row?.[`not_allowed_${index}`]),
      notAllowedExample: toTextOrNull(row?.[`not_allowed_example_${index}`]),
      mostFrequent,
    });
  }
  return results;
}

function checkDeclaration(dataSet: DataSet, declared: DeclaredColumn): void {
  if (!declaredTypes.includes(declared.type)) {
    throw invalidArgument(dataSet.path, `The declared type "${declared.type}" of column "${declared.name}" is unknown; use one of ${declaredTypes.join(', ')}`);
  }
  const hasRange = declared.minimum !== undefined || declared.maximum !== undefined;
  if (hasRange && declared.type !== 'integer' && declared.type !== 'number') {
    throw invalidArgument(dataSet.path, `A range applies only to integer and number columns, but "${declared.name}" is declared ${declared.type}`);
  }
  if (declared.minimum !== undefined && declared.maximum !== undefined && declared.minimum > declared.maximum) {
    throw invalidArgument(dataSet.path, `The minimum ${declared.minimum} of column "${declared.name}" is above its maximum ${declared.maximum}`);
  }
}

function columnAggregates(declared: DeclaredColumn, column: DataColumn, index: number, parameters: SqlParameters): string[] {
  const name = quoteIdentifier(column.name);
  const text = `CAST(${name} AS VARCHAR)`;
  const conforms = conformsExpression(declared.type, column);
  const violation = `(${name} IS NOT NULL AND NOT ${conforms})`;
  const aggregates = [
    `count(*) FILTER (WHERE ${name} IS NULL) AS missing_${index}`,
    `count(DISTINCT ${text}) AS distinct_${index}`,
    `count(*) FILTER (WHERE ${violation}) AS type_violations_${index}`,
    `min(${text}) FILTER (WHERE ${violation}) AS type_violation_example_${index}`,
  ];

  const value = column.duckdbType === 'VARCHAR' ? `TRY_CAST(trim(${name}) AS DOUBLE)` : `TRY_CAST(${name} AS DOUBLE)`;
  const inRange = `(${name} IS NOT NULL AND ${conforms})`;
  aggregates.push(
    declared.minimum === undefined ? `0 AS below_minimum_${index}` : `count(*) FILTER (WHERE ${inRange} AND ${value} < ${parameters.bindDouble(declared.minimum)}) AS below_minimum_${index}`,
    declared.maximum === undefined ? `0 AS above_maximum_${index}` : `count(*) FILTER (WHERE ${inRange} AND ${value} > ${parameters.bindDouble(declared.maximum)}) AS above_maximum_${index}`,
  );

  if (declared.allowedValues === undefined) {
    aggregates.push(`0 AS not_allowed_${index}`, `NULL AS not_allowed_example_${index}`);
  } else {
    const allowed = declared.allowedValues.length === 0 ? 'false' : `${text} IN (${parameters.bindList([...declared.allowedValues])})`;
    aggregates.push(
      `count(*) FILTER (WHERE ${name} IS NOT NULL AND NOT (${allowed})) AS not_allowed_${index}`,
      `min(${text}) FILTER (WHERE ${name} IS NOT NULL AND NOT (${allowed})) AS not_allowed_example_${index}`,
    );
  }
  return aggregates;
}

const integerTypes = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/** SQL that is true when a non-missing value conforms to the declared type. */
function conformsExpression(type: DeclaredType, column: DataColumn): string {
  const name = quoteIdentifier(column.name);
  if (type === 'string') return 'true';
  if (column.duckdbType === 'VARCHAR') {
    const trimmed = `trim(${name})`;
    switch (type) {
      case 'integer':
        return `regexp_full_match(${trimmed}, '[+-]?[0-9]+')`;
      case 'number':
        return `(TRY_CAST(${trimmed} AS DOUBLE) IS NOT NULL)`;
      case 'boolean':
        return `(TRY_CAST(${trimmed} AS BOOLEAN) IS NOT NULL)`;
      case 'date':
        return `(TRY_CAST(${trimmed} AS DATE) IS NOT NULL)`;
      case 'timestamp':
        return `(TRY_CAST(${trimmed} AS TIMESTAMP) IS NOT NULL)`;
    }
  }

  const duckdbType = column.duckdbType.toUpperCase();
  switch (type) {
    case 'integer':
      if (integerTypes.test(duckdbType)) return 'true';
      return column.columnType === 'numerical' ? `(isfinite(CAST(${name} AS DOUBLE)) AND CAST(${name} AS DOUBLE) = trunc(CAST(${name} AS DOUBLE)))` : 'false';
    case 'number':
      return column.columnType === 'numerical' ? 'true' : 'false';
    case 'boolean':
      return column.columnType === 'boolean' ? 'true' : 'false';
    case 'date':
      return column.columnType === 'date' ? 'true' : 'false';
    case 'timestamp':
      return column.columnType === 'timestamp' || column.columnType === 'date' ? 'true' : 'false';
  }
}

async function mostFrequentValue(engine: DataEngine, dataSet: DataSet, columnName: string): Promise<ColumnQualityCounts['mostFrequent']> {
  const parameters = new SqlParameters();
  const text = `CAST(${quoteIdentifier(columnName)} AS VARCHAR)`;
  const sql = `
    SELECT value, count(*) AS value_count
    FROM (SELECT ${text} AS value FROM ${dataSet.fromClause(parameters)})
    WHERE value IS NOT NULL
    GROUP BY value
    ORDER BY value_count DESC, value
    LIMIT 1`;
  const [row] = await engine.rows(`most frequent value of ${columnName} in ${dataSet.path}`, sql, parameters, [dataSet.errorContext]);
  if (row === undefined) return null;
  return { value: toTextOrNull(row['value']) as string, count: toCount(row['value_count']) };
}
