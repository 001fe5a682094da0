import { quoteIdentifier } from './sql-text.js';

/**
 * The measurement engine's treatment of a column:
 * - `numerical`: integers, floating-point and decimal numbers;
 * - `categorical`: text and enumerations, compared by value;
 * - `boolean`: true or false, tested for drift as two categories;
 * - `date`: tested for drift as a number of days since 1970-01-01;
 * - `timestamp`: tested for drift as a number of seconds since 1970-01-01 00:00:00 UTC, with
 *   fractions of a second;
 * - `unsupported`: lists, structs, blobs, intervals and times of day, which no measure reads.
 */
export type ColumnType = 'numerical' | 'categorical' | 'boolean' | 'date' | 'timestamp' | 'unsupported';

/** A column of a data set: its name in DuckDB, DuckDB's type and ours. */
export interface DataColumn {
  readonly name: string;
  readonly duckdbType: string;
  readonly columnType: ColumnType;
}

const numericTypes = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|BIGNUM|VARINT)$/;
const timestampTypes = /^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|DATETIME)$/;

/** Maps a DuckDB type name, as DESCRIBE prints it, to the engine's column type. */
export function classifyDuckDbType(duckdbType: string): ColumnType {
  const type = duckdbType.toUpperCase();
  if (numericTypes.test(type)) return 'numerical';
  if (type === 'VARCHAR' || type.startsWith('ENUM(') || type === 'UUID') return 'categorical';
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'DATE') return 'date';
  if (timestampTypes.test(type)) return 'timestamp';
  return 'unsupported';
}

/** Returns whether a column can be read as a number: numbers, dates and timestamps. */
export function isNumberLike(column: DataColumn): boolean {
  return column.columnType === 'numerical' || column.columnType === 'date' || column.columnType === 'timestamp';
}

/**
 * SQL for a column's value as DOUBLE, as drift tests and binning read it: numbers as they are,
 * dates as days since 1970-01-01, timestamps as seconds since 1970-01-01 00:00:00 UTC. The
 * infinite dates and timestamps DuckDB allows become +inf and -inf, so they are counted as
 * excluded values instead of disappearing as missing ones. Text columns are cast with TRY_CAST,
 * so a value that is not a number reads as missing.
 */
export function numericExpression(column: DataColumn): string {
  const name = quoteIdentifier(column.name);
  switch (column.columnType) {
    case 'numerical':
      return `CAST(${name} AS DOUBLE)`;
    case 'date':
      return infiniteAware(name, `CAST(${name} - DATE '1970-01-01' AS DOUBLE)`);
    case 'timestamp':
      return infiniteAware(name, `epoch(${name})`);
    default:
      return `TRY_CAST(${name} AS DOUBLE)`;
  }
}

function infiniteAware(name: string, finiteExpression: string): string {
  return `(CASE WHEN ${name} IS NULL THEN NULL WHEN isfinite(${name}) THEN ${finiteExpression} WHEN ${name} > DATE '1970-01-01' THEN CAST('inf' AS DOUBLE) ELSE CAST('-inf' AS DOUBLE) END)`;
}

/** SQL for a column's value as text, as group keys and category counts read it. */
export function textExpression(column: DataColumn): string {
  return `CAST(${quoteIdentifier(column.name)} AS VARCHAR)`;
}

/** Returns the unit in which a date or timestamp column is tested for drift, for reports. */
export function driftUnit(columnType: ColumnType): string | null {
  if (columnType === 'date') return 'days since 1970-01-01';
  if (columnType === 'timestamp') return 'seconds since 1970-01-01 00:00:00 UTC';
  return null;
}
