import { sql, type Kysely } from 'kysely';
import { isBoolean, notBlank } from './column-rules.js';

/*
 * The control catalogue: frameworks (ISO/IEC 42001, NIST AI RMF, the EU AI Act, GDPR and the
 * organization's own controls), their items, and crosswalks between items. Every framework uses
 * the same two tables, so a new one arrives as data and needs no schema change.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('catalogue_frameworks')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('edition', 'text', (col) => col.notNull())
    .addColumn('kind', 'varchar(32)', (col) => col.notNull())
    .addColumn('publisher', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('notice', 'text', (col) => col.notNull())
    .addColumn('built_in', 'integer', (col) => col.notNull())
    .addColumn('content_hash', 'varchar(64)')
    .addColumn('loaded_at', 'varchar(32)', (col) => col.notNull())
    .addCheckConstraint('catalogue_frameworks_built_in', isBoolean('built_in'))
    .addCheckConstraint('catalogue_frameworks_id_format', sql`id <> '' and id not like '%:%'`)
    .execute();

  await db.schema
    .createTable('catalogue_items')
    .addColumn('ref', 'varchar(200)', (col) => col.primaryKey())
    .addColumn('framework_id', 'varchar(64)', (col) => col.notNull().references('catalogue_frameworks.id'))
    .addColumn('item_id', 'varchar(128)', (col) => col.notNull())
    .addColumn('parent_ref', 'varchar(200)', (col) => col.references('catalogue_items.ref'))
    .addColumn('kind', 'varchar(40)', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('evidence_guidance', 'text', (col) => col.notNull())
    .addColumn('documented_information', 'text')
    .addColumn('assessable', 'integer', (col) => col.notNull())
    .addColumn('weight', 'integer', (col) => col.notNull())
    .addColumn('attributes', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version >= 1`))
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addUniqueConstraint('catalogue_items_framework_item', ['framework_id', 'item_id'])
    .addCheckConstraint('catalogue_items_ref_format', sql`ref = framework_id || ':' || item_id`)
    .addCheckConstraint('catalogue_items_title_not_blank', notBlank('title'))
    .addCheckConstraint('catalogue_items_assessable', isBoolean('assessable'))
    .addCheckConstraint('catalogue_items_weight', sql`weight between 1 and 3`)
    .execute();
  await db.schema.createIndex('catalogue_items_listing').on('catalogue_items').columns(['framework_id', 'position']).execute();
  await db.schema.createIndex('catalogue_items_parent').on('catalogue_items').column('parent_ref').execute();

  await db.schema
    .createTable('crosswalks')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('from_framework_id', 'varchar(64)', (col) => col.notNull().references('catalogue_frameworks.id'))
    .addColumn('to_framework_id', 'varchar(64)', (col) => col.notNull().references('catalogue_frameworks.id'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('edition', 'text', (col) => col.notNull())
    .addColumn('publisher', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('notes', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('loaded_at', 'varchar(32)', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('crosswalk_pairs')
    .addColumn('crosswalk_id', 'varchar(64)', (col) => col.notNull().references('crosswalks.id').onDelete('cascade'))
    .addColumn('from_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('to_ref', 'varchar(200)', (col) => col.notNull().references('catalogue_items.ref'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('crosswalk_pairs_key', ['crosswalk_id', 'from_ref', 'to_ref'])
    .execute();
  await db.schema.createIndex('crosswalk_pairs_from').on('crosswalk_pairs').column('from_ref').execute();
  await db.schema.createIndex('crosswalk_pairs_to').on('crosswalk_pairs').column('to_ref').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['crosswalk_pairs', 'crosswalks', 'catalogue_items', 'catalogue_frameworks']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
