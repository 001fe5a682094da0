import type { DuckDBValue } from '@duckdb/node-api';

/**
 * Quotes a column or table name for DuckDB SQL. Names come from data files and users, so they
 * are always quoted, never pasted in bare; a double quote inside the name is doubled.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Collects the values bound to one statement's named parameters. Every value that comes from a
 * user or a file (paths, labels, thresholds, bin edges) travels as a parameter, never as SQL text.
 */
export class SqlParameters {
  private readonly bound: Record<string, DuckDBValue> = {};
  private count = 0;

  /** Binds a value and returns the placeholder to write into the SQL text. */
  bind(value: DuckDBValue): string {
    this.count += 1;
    const name = `p${this.count}`;
    this.bound[name] = value;
    return `$${name}`;
  }

  /** Binds a number as DOUBLE; DuckDB would otherwise infer INTEGER for whole numbers. */
  bindDouble(value: number): string {
    return `CAST(${this.bind(Number.isFinite(value) ? value : String(value))} AS DOUBLE)`;
  }

  /** Binds each value and returns the placeholders as a comma-separated list for `IN (…)`. */
  bindList(values: readonly DuckDBValue[]): string {
    return values.map((value) => this.bind(value)).join(', ');
  }

  get values(): Record<string, DuckDBValue> {
    return this.bound;
  }
}
