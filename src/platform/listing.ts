import { sql, type OrderByModifiers, type RawBuilder, type SqlBool } from 'kysely';
import { SortQuery } from './schema-building.js';

export { SortQuery };

/** Building blocks of list endpoints: a sort parameter, its parsing, and case-insensitive text search. */

/**
 * Splits a sort parameter into its key and the ORDER BY modifiers. NULLs sort last in both
 * directions, because SQLite and PostgreSQL would otherwise put them at opposite ends.
 */
export function parseSort<K extends string>(sort: K | `-${K}`): { key: K; order: OrderByModifiers } {
  if (sort.startsWith('-')) return { key: sort.slice(1) as K, order: (item) => item.desc().nullsLast() };
  return { key: sort as K, order: (item) => item.asc().nullsLast() };
}

/**
 * Builds a condition that is true when any of the columns contains `text`, ignoring case. LIKE's
 * wildcards in `text` are escaped, so a search for "50%" finds only that text.
 */
export function containsText(columns: readonly string[], text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const matches = columns.map((column) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(matches, sql` or `)})`;
}
