import { sql, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';

/*
 * Check constraints and column sets shared by the migrations. A migration that has shipped must
 * keep creating the same schema, so change what these produce only by adding new helpers.
 */

export function oneOf(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

export function isBoolean(column: string): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (0, 1)`;
}

export function notBlank(column: string): RawBuilder<unknown> {
  return sql`length(trim(${sql.ref(column)})) > 0`;
}

/** Adds the id, version and timestamp columns that every governed record has. */
export function versioned<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id' | 'version' | 'created_at' | 'updated_at'> {
  return table
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull());
}

export async function usesPostgres(db: Kysely<any>): Promise<boolean> {
  // Kysely names its adapter after the dialect (PostgresAdapter, SqliteAdapter).
  const adapterName = db.getExecutor().adapter.constructor.name;
  return adapterName.startsWith('Postgres');
}
