import type { DuckDBMaterializedResult } from '@duckdb/node-api';

/** Converts a count DuckDB returns (BIGINT or HUGEINT as bigint, or a number) to a number. */
export function toCount(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  throw new TypeError(`Expected a count from DuckDB, received ${typeof value}`);
}

/** Converts a DOUBLE DuckDB returns to a number; null stays null. */
export function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`Expected a number from DuckDB, received ${typeof value}`);
}

/** Converts a VARCHAR DuckDB returns to a string; null stays null. */
export function toTextOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** One column of a query result, read into JavaScript as numbers or as text. */
export type ColumnReader = { readonly kind: 'number' } | { readonly kind: 'text' };

/**
 * Reads whole columns of a materialized result: number columns into Float64Arrays, text columns
 * into arrays. Reading vector items chunk by chunk avoids building a JavaScript object per row,
 * which is what makes row-object results slow for millions of rows.
 */
export function readColumns(
  result: DuckDBMaterializedResult,
  readers: readonly ColumnReader[],
): (Float64Array | (string | null)[])[] {
  const rowCount = result.rowCount;
  const columns = readers.map((reader) => (reader.kind === 'number' ? new Float64Array(rowCount) : new Array<string | null>(rowCount)));
  let offset = 0;
  for (let chunkIndex = 0; chunkIndex < result.chunkCount; chunkIndex++) {
    const chunk = result.getChunk(chunkIndex);
    const chunkRows = chunk.rowCount;
    readers.forEach((reader, columnIndex) => {
      const vector = chunk.getColumnVector(columnIndex);
      const target = columns[columnIndex] as Float64Array | (string | null)[];
      if (reader.kind === 'number') {
        const numbers = target as Float64Array;
        for (let row = 0; row < chunkRows; row++) numbers[offset + row] = toNumberOrNaN(vector.getItem(row));
      } else {
        const texts = target as (string | null)[];
        for (let row = 0; row < chunkRows; row++) texts[offset + row] = toTextOrNull(vector.getItem(row));
      }
    });
    offset += chunkRows;
  }
  return columns;
}

function toNumberOrNaN(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}
